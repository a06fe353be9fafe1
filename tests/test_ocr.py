"""OCR of scans and table images (the ``gongkai[ocr]`` extra, RapidOCR).

A report rendered by gongkai's writer through LibreOffice is rasterised and
spoilt like a scan; reading it back must give every value right or null —
never a wrong number. The grid finder and the settling of values are tested
on their own as well.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from gongkai.errors import NoTextLayer
from gongkai.reading import ocr
from gongkai.reading.limits import Limits
from gongkai.record import flat_cells

cv2 = pytest.importorskip(
    "cv2", reason="the OCR extra is not installed: pip install 'gongkai[ocr]'"
)
np = pytest.importorskip("numpy")

from scans import raster, rendered_pdf, scan_pdf, spoil  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "qingshan-minzheng-2024.yaml"
#: a loaded test machine reads a page in tens of seconds; the time limit is tested elsewhere
NO_TIME_LIMIT = Limits().replace(seconds=3600)
office = pytest.mark.skipif(
    shutil.which("soffice") is None,
    reason="LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui",
)


def tables_of(record: dict[str, Any]) -> dict[str, Any]:
    return {
        k: v
        for k, v in flat_cells(record).items()
        if k.startswith(("table2.", "table3.", "table4.")) and v is not None
    }


def right_null_wrong(truth: dict[str, Any], got: dict[str, Any]) -> tuple[int, int, list[str]]:
    t, g = tables_of(truth), flat_cells(got)
    wrong = [f"{k}: {g.get(k)!r} != {v!r}" for k, v in t.items() if g.get(k) not in (None, v)]
    return sum(g.get(k) == v for k, v in t.items()), sum(g.get(k) is None for k in t), wrong


# -- the grid finder on drawn tables -------------------------------------------------


def drawn_table(spans: bool) -> np.ndarray:
    img = np.full((400, 700), 255, np.uint8)
    xs, ys = [50, 250, 400, 550, 650], [40, 100, 160, 220, 280, 340]
    for y in ys:
        cv2.line(img, (xs[0], y), (xs[-1], y), 0, 2)
    for i, x in enumerate(xs):
        cv2.line(img, (x, ys[0]), (x, ys[-1]), 0, 2)
        if spans and i == 2:  # no line between columns 1 and 2 in the first row
            cv2.line(img, (x, ys[0]), (x, ys[1]), 255, 4)
    return img


def test_grid_finder_gives_rows_columns_and_spans() -> None:
    from gongkai.reading.ocr.grid import find_grids

    (grid,) = find_grids(drawn_table(spans=True))
    assert (grid.rows, grid.cols) == (5, 4)
    first = [c for c in grid.cells if c.row == 0]
    assert [(c.col, c.colspan) for c in first] == [(0, 1), (1, 2), (3, 1)]
    assert len(grid.cells) == 5 * 4 - 1


def test_deskew_turns_a_page_straight() -> None:
    from gongkai.reading.ocr.grid import deskew, find_grids

    page = spoil(drawn_table(spans=False), "skew")
    straight, angle = deskew(page)
    assert abs(abs(angle) - 1.5) < 0.3
    (grid,) = find_grids(straight)
    assert (grid.rows, grid.cols) == (5, 4)


def test_no_table_on_a_blank_page() -> None:
    from gongkai.reading.ocr.grid import find_grids

    assert find_grids(np.full((300, 300), 255, np.uint8)) == []


# -- settling what the engine read ---------------------------------------------------


def settled(
    values: list[int],
    scores: list[float],
    texts: list[str] | None = None,
    cols: list[int] | None = None,
) -> Any:
    """A table-3 row read by OCR with these confidences (from these grid columns), settled."""
    from gongkai.reading.ocr.page import OcrCell
    from gongkai.reading.ocr.verify import settle

    texts = texts or [str(v) for v in values]
    cols = cols or [i + 2 for i in range(7)]
    provenance = {
        f"table3.new.{i}": {"page": 1, "table": 1, "row": 3, "col": cols[i]} for i in range(7)
    }
    cells = {(1, 1, 3, cols[i]): OcrCell(str(values[i]), texts[i], scores[i]) for i in range(7)}
    return settle(_ocr_report("2021", {"table3": {"new": values}}, provenance), cells)


def _ocr_report(template: str, tables: dict[str, Any], provenance: dict[str, Any]) -> Any:
    from gongkai.record import Report

    year = 2024 if template == "2021" else 2019
    record = {"agency": "青山市示范区民政局", "year": year, "template": template, "published": None}
    return Report.model_validate({**record, **tables, "x_provenance": provenance})


def test_sure_cells_that_add_up_are_kept() -> None:
    out = settled([3, 1, 0, 0, 1, 0, 5], [0.99] * 7)
    assert out.t3()["new"] == [3, 1, 0, 0, 1, 0, 5]
    assert not out.extra("x_warnings")


def test_unsure_cell_confirmed_by_the_row_total_is_placed_by_arithmetic() -> None:
    out = settled(
        [3, 1, 0, 0, 1, 0, 5], [0.99, 0.5, 0.99, 0.99, 0.99, 0.99, 0.99], ["3", "l", *"00105"]
    )
    assert out.t3()["new"] == [3, 1, 0, 0, 1, 0, 5]
    assert out.extra("x_provenance")["table3.new.1"]["how"] == "arithmetic"


def test_a_row_that_does_not_add_up_is_left_null_with_the_readings() -> None:
    out = settled([3, 1, 0, 0, 1, 0, 6], [0.99] * 6 + [0.7])
    assert out.t3()["new"] == [None] * 7
    warnings = out.extra("x_warnings")
    assert {w["code"] for w in warnings} == {"ocr-unsure"}
    assert any(w["candidates"] == ["6"] for w in warnings)


def test_values_from_cells_that_are_not_side_by_side_are_left_null() -> None:
    """An unreadable cell skipped by the row scan shifts the values after it."""
    out = settled([1, 0, 0, 2, 0, 0, 3], [0.99] * 7, cols=[2, 3, 5, 6, 7, 8, 9])
    assert out.t3()["new"] == [None] * 7


@pytest.mark.parametrize(
    ("value", "raw", "kept"),
    [(2, "2", False), (-2, "-2", False), (0, "0", True)],
)
def test_a_positive_change_read_by_ocr_may_have_lost_its_minus_sign(
    value: int, raw: str, kept: bool
) -> None:
    """本年增/减 may be negative: a confident ``2`` may be a ``-2`` whose thin minus sign a
    noisy 100 dpi scan lost (bench/ocr.py found one), so it is null with a warning, as a
    negative one already was (a sign is never a clean reading); a zero is kept, and the
    other columns keep what the engine was sure of."""
    from gongkai.reading.ocr.page import OcrCell
    from gongkai.reading.ocr.verify import settle

    columns = {"prev_items": 5, "change": value, "decisions": 9}
    provenance = {
        f"table2.licensing.{c}": {"page": 1, "table": 1, "row": 4, "col": i + 2}
        for i, c in enumerate(columns)
    }
    texts = {"prev_items": "5", "change": raw, "decisions": "9"}
    cells = {
        (1, 1, 4, i + 2): OcrCell(str(columns[c]), texts[c], 0.99) for i, c in enumerate(columns)
    }
    report = _ocr_report("2019", {"table2": {"licensing": columns}}, provenance)
    got = settle(report, cells).to_dict()["table2"]["licensing"]
    assert got == {**columns, "change": value if kept else None}
    warned = [w for w in settle(report, cells).extra("x_warnings") or []]
    assert bool(warned) == (not kept)
    if not kept:
        assert warned[0]["cell"] == "table2.licensing.change" and warned[0]["candidates"] == [raw]


# -- whole reports ------------------------------------------------------------------


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return rendered_pdf(EXAMPLE, tmp_path_factory.mktemp("render"))


@office
@pytest.mark.slow
def test_a_scanned_report_reads_right_or_null_never_wrong(tmp_path: Path, rendered: bytes) -> None:
    import gongkai

    (tmp_path / "qingshan-minzheng-2024.pdf").write_bytes(rendered)
    scan, truth, pages = scan_pdf(EXAMPLE, tmp_path, dpi=150, noise="skew")
    report = gongkai.read(scan, name="scan.pdf", limits=NO_TIME_LIMIT)
    right, null, wrong = right_null_wrong(truth, report.to_dict())
    assert wrong == []
    assert right >= 0.9 * (right + null), (right, null)
    assert report.agency == truth["agency"] and report.year == truth["year"]
    assert report.extra("x_sections") and len(report.extra("x_sections")) == 6
    assert pages >= 4


@office
@pytest.mark.slow
def test_html_page_reads_its_table_images_beside_it(tmp_path: Path, rendered: bytes) -> None:
    """A saved page whose table 3 is an image in PAGE_files/: the image is read."""
    import gongkai

    pages = raster(rendered, 150)
    truth = gongkai.read(rendered).to_dict()
    folder = tmp_path / "report_files"
    folder.mkdir()
    names = []
    for i, page in enumerate(pages[2:5], 3):
        cv2.imwrite(str(folder / f"p{i}.png"), page)
        names.append(f"report_files/p{i}.png")
    images = "".join(f'<p><img src="{n}" alt="表"></p>' for n in names)
    html = (
        "<html><head><title>青山市示范区民政局2024年政府信息公开工作年度报告</title></head>"
        f"<body><div class='content'><h1>青山市示范区民政局2024年政府信息公开工作年度报告</h1>{images}"
        '<p><img src="https://elsewhere.example/t4.png"></p></div></body></html>'
    )
    page = tmp_path / "report.html"
    page.write_text(html, "utf-8")
    report = gongkai.read(page, limits=NO_TIME_LIMIT)
    right, _null, wrong = right_null_wrong(
        {"table3": truth["table3"], "table4": truth["table4"]}, report.to_dict()
    )
    assert wrong == []
    assert report.t3() and right > 150
    codes = {w["code"] for w in report.extra("x_warnings") or []}
    assert "images-unreachable" not in codes or report.t3()


def test_an_image_is_read_by_ocr(tmp_path: Path) -> None:
    import gongkai
    from gongkai.errors import NotAReport

    img = drawn_table(spans=False)
    for i, y in enumerate((80, 140, 200)):
        cv2.putText(img, str(12 * (i + 1)), (280, y), cv2.FONT_HERSHEY_SIMPLEX, 1.0, 0, 2)
    png = tmp_path / "table.png"
    cv2.imwrite(str(png), img)
    from gongkai.reading import read_document

    doc = read_document(png)
    assert doc.format == "image"
    assert [c.text for row in doc.tables()[0].rows for c in row if c.text] == ["12", "24", "36"]
    with pytest.raises(NotAReport):  # read, and found to hold no report
        gongkai.read(png)
    blank = tmp_path / "blank.png"
    cv2.imwrite(str(blank), np.full((300, 300), 255, np.uint8))
    with pytest.raises(NoTextLayer):
        gongkai.read(blank)


def test_without_the_extra_a_scan_says_how_to_get_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import gongkai

    monkeypatch.setattr(ocr, "available", lambda: False)
    png = tmp_path / "table.png"
    cv2.imwrite(str(png), drawn_table(spans=False))
    with pytest.raises(NoTextLayer) as e:
        gongkai.read(png)
    assert "gongkai[ocr]" in e.value.message("zh")


def test_an_image_that_is_not_one_is_refused(tmp_path: Path) -> None:
    import gongkai
    from gongkai.errors import CorruptFile

    bad = tmp_path / "broken.png"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00garbage" * 10)
    with pytest.raises(CorruptFile):
        gongkai.read(bad)


def test_ocr_stops_at_the_page_the_time_limit_would_not_let_it_finish(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import gongkai.reading.ocr as package

    monkeypatch.setattr(package, "remaining", lambda: 0.0)
    page = drawn_table(spans=False)
    cv2.putText(page, "12", (280, 80), cv2.FONT_HERSHEY_SIMPLEX, 1.0, 0, 2)
    doc = package.read_pages([page, page, page], "pdf", "scan.pdf")
    assert doc.meta["ocr"]["pages"] == 1
    assert [w.code for w in doc.warnings] == ["pages-truncated"]
