"""The Excel template: official layout, validation, live totals, and reading it back."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from gongkai.errors import DataError
from gongkai.national.editions import EDITION_2019, EDITION_2021
from gongkai.national.model import Edition
from gongkai.write.data import from_dict
from gongkai.write.formula import FormulaError, evaluate
from gongkai.write.grid import official_tables
from gongkai.write.xlsx import (
    META_SHEET,
    TEXT_SHEET,
    TOP,
    read_workbook,
    sheet_name,
    write_template,
)
from records import example

EDITIONS = [pytest.param(EDITION_2019, id="2019"), pytest.param(EDITION_2021, id="2021")]


def _coords(edition: Edition) -> dict[tuple[str, str, Any], tuple[str, str, bool]]:
    """(table, row, col) → (sheet, coordinate, is_total), from the same layout the writer uses."""
    out = {}
    for table in official_tables(edition):
        for r, c, cell in table.value_positions():
            assert cell.path is not None
            out[cell.path] = (
                sheet_name(edition, table.key),
                f"{get_column_letter(1 + c)}{TOP + r}",
                cell.total,
            )
    return out


def _fill(path: Path, edition: Edition, record: dict[str, Any]) -> None:
    """Type the record into a blank template as staff would: parts only, never totals."""
    wb = load_workbook(path)
    meta = wb[META_SHEET]
    for row in meta.iter_rows(min_row=4, max_col=3):
        key = row[0].value
        if key == "agency":
            row[2].value = record["agency"]
        elif key == "year":
            row[2].value = record["year"]
        elif key == "published":
            row[2].value = record["published"]
    for (table, key, col), (sheet, coord, total) in _coords(edition).items():
        if total:
            continue
        v = record[table][key][col]
        if table == "table2" and isinstance(v, str) and v.replace(".", "").isdigit():
            v = float(v) if "." in v else int(v)
        wb[sheet][coord] = v
    text = wb[TEXT_SHEET]
    for row in text.iter_rows(min_row=3, max_col=3):
        if row[0].value == "part5":
            row[2].value = "存在的问题。\n改进措施。"
    wb.save(path)


@pytest.mark.parametrize("edition", EDITIONS)
def test_template_round_trip(tmp_path: Path, edition: Edition) -> None:
    record = example(edition.id)
    path = write_template(tmp_path / "t.xlsx", edition)
    _fill(path, edition, record)
    data = read_workbook(path)
    assert data.report.to_dict() == from_dict(record).report.to_dict()
    assert data.narrative.parts[5] == "存在的问题。\n改进措施。"


@pytest.mark.parametrize("edition", EDITIONS)
def test_filled_workbook_round_trip(tmp_path: Path, edition: Edition) -> None:
    raw = example(edition.id)
    raw["x_narrative"] = {"title": "标题", "contact": "联系我们。", "parts": {1: "总体。"}}
    data = from_dict(raw)
    back = read_workbook(write_template(tmp_path / "f.xlsx", edition, data=data))
    assert back.to_dict() == data.to_dict()


def test_sheets_totals_validation_and_protection(tmp_path: Path) -> None:
    edition = EDITION_2021
    wb = load_workbook(write_template(tmp_path / "t.xlsx", edition))
    assert wb.sheetnames == [META_SHEET, "表二", "表三", "表四", TEXT_SHEET]
    coords = _coords(edition)
    t3 = wb["表三"]
    # live totals: a row's 总计 and the （七）总计 row
    assert t3[coords[("table3", "new", 6)][1]].value == "=SUM(D7:I7)"
    assert str(t3[coords[("table3", "total", 0)][1]].value).startswith("=SUM(D")
    assert wb["表四"][coords[("table4", "review", 4)][1]].value == "=SUM(A7:D7)"
    # merged official headers
    merged = {str(r) for r in t3.merged_cells.ranges}
    assert "A4:C6" in merged and "D4:J4" in merged
    # validation: whole numbers >= 0; 2021 fees a decimal
    kinds = {(dv.type, dv.operator) for dv in t3.data_validations.dataValidation}
    assert kinds == {("whole", "greaterThanOrEqual")}
    fees = {(dv.type, dv.operator) for dv in wb["表二"].data_validations.dataValidation}
    assert ("decimal", "greaterThanOrEqual") in fees
    # only the input cells are unlocked; totals and labels locked
    assert t3.protection.sheet
    assert t3[coords[("table3", "new", 0)][1]].protection.locked is False
    assert t3[coords[("table3", "new", 6)][1]].protection.locked is True
    assert t3["A4"].protection.locked is True


def test_2019_change_may_be_negative(tmp_path: Path) -> None:
    wb = load_workbook(write_template(tmp_path / "t.xlsx", EDITION_2019))
    kinds = {(dv.type, dv.operator) for dv in wb["表二"].data_validations.dataValidation}
    assert ("whole", "between") in kinds


def test_a_total_typed_over_must_agree(tmp_path: Path) -> None:
    edition = EDITION_2021
    path = write_template(tmp_path / "t.xlsx", edition)
    record = example("2021")
    _fill(path, edition, record)
    wb = load_workbook(path)
    sheet, coord, _ = _coords(edition)[("table3", "new", 6)]
    wb[sheet][coord] = record["table3"]["new"][6]  # typed, and right
    wb.save(path)
    assert read_workbook(path).report.t3()["new"][6] == record["table3"]["new"][6]
    wb[sheet][coord] = 999  # typed, and wrong
    wb.save(path)
    with pytest.raises(DataError, match=f"表三!{coord}"):
        read_workbook(path)


def test_from_last_year_prefills_what_carries_over(tmp_path: Path) -> None:
    last = from_dict(example("2021", year=2023)).report
    path = write_template(
        tmp_path / "t.xlsx", EDITION_2021, meta={"agency": "甲", "year": 2024}, previous=last
    )
    data = read_workbook(path)
    assert data.report.t3()["carried_over"] == last.t3()["carried_forward"]
    t2 = data.report.t2()
    assert t2["normative_documents"]["in_force"] == last.t2()["normative_documents"]["in_force"]
    wb = load_workbook(path)
    sheet, coord, _ = _coords(EDITION_2021)[("table2", "normative_documents", "in_force")]
    assert str(wb[sheet][coord].value).startswith("=38+")


def test_not_a_template(tmp_path: Path) -> None:
    from openpyxl import Workbook

    p = tmp_path / "other.xlsx"
    Workbook().save(p)
    with pytest.raises(DataError, match="gongkai template"):
        read_workbook(p)
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a zip")
    with pytest.raises(DataError):
        read_workbook(bad)


def test_formula_evaluator() -> None:
    cells = {"A1": 2, "A2": 3, "B1": "=A1*2", "C1": None}
    get = cells.get
    assert evaluate("=SUM(A1:A2)", get) == 5
    assert evaluate("=A1+B1-C1", get) == 6
    assert evaluate("=(A1+A2)*2-1", get) == 9
    assert evaluate("=SUM(A1:A2, 10)", get) == 15
    assert evaluate("=7/2", get) == 3.5
    for bad in ("=VLOOKUP(A1)", "=A1+", "=1/0", "=(1"):
        with pytest.raises(FormulaError):
            evaluate(bad, get)


@pytest.mark.office
@pytest.mark.skipif(
    not (Path("/usr/lib/libreoffice/program/libsclo.so").exists() or shutil.which("localc")),
    reason="LibreOffice Calc is not installed: apt-get install libreoffice-calc-nogui",
)
def test_workbook_prints_on_a4_in_calc_with_table_3_on_one_page(tmp_path: Path) -> None:
    """Calc printed 12 pages with table 3 split and labels overlapping (issue 9 #5)."""
    import pypdfium2 as pdfium

    from gongkai.office import convert_files

    path = write_template(tmp_path / "t.xlsx", EDITION_2021, data=from_dict(example("2021")))
    (pdf,) = convert_files([path], tmp_path / "pdf", "pdf:calc_pdf_Export", ".pdf", timeout=180)
    doc = pdfium.PdfDocument(pdf.read_bytes())
    try:
        pages = [doc[i].get_textpage().get_text_range() for i in range(len(doc))]
        sizes = [doc[i].get_size() for i in range(len(doc))]
    finally:
        doc.close()
    assert len(pages) <= 6, f"{len(pages)} pages"
    for w, h in sizes:  # A4, either way round (points)
        assert sorted((round(w), round(h))) == [595, 842]
    t3 = [i for i, t in enumerate(pages) if "收到和处理政府信息公开申请情况" in t]
    assert len(t3) == 1
    page = pages[t3[0]]
    assert "结转下年度继续办理" in page and "自然人" in page


def test_workbook_sheets_freeze_headers_and_fit_long_labels(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from gongkai.write.xlsx import LINE_PT

    path = write_template(tmp_path / "t.xlsx", EDITION_2021)
    wb = load_workbook(path)
    ws = wb["表三"]
    assert ws.freeze_panes is not None and ws.freeze_panes != "A1"
    assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4 and ws.print_title_rows
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    # the longest labels of table 3 (（六）其他处理 …) need two lines or more
    long_rows = [
        c.row
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str) and "申请人无正当理由逾期不补正" in c.value
    ]
    assert long_rows and (ws.row_dimensions[long_rows[0]].height or 0) >= 2 * LINE_PT
