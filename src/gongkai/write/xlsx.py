"""The Excel workbook agency staff fill in, and reading it back.

``gongkai template --xlsx FILE`` writes a workbook with:

- ``基本信息`` — agency, year, edition, date, title, signature, contact;
- one sheet per table (``表二``, ``表三``, ``表四``) laid out like the official
  table (the same :mod:`gongkai.write.grid` the reports use), with the
  merged headers; only the white cells take input, each validated (whole
  numbers ≥ 0; 本年增/减 any whole number; money a decimal ≥ 0); every 总计
  is a live ``SUM`` formula; table 3 has a check row for its printed
  勾稽关系;
- ``正文`` — the text of the six parts.

Sheets are protected (no password) so labels and formulas stay put.
Reading back does not trust cached formula values (openpyxl writes none):
totals are computed from their parts, and a total someone typed over must
agree with them.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from gongkai.errors import DataError
from gongkai.national.editions import T2_CHANGE_LABEL, WRITABLE_EDITIONS
from gongkai.national.model import Edition
from gongkai.record import Report
from gongkai.write.data import ReportData, blank_tables, from_dict
from gongkai.write.formula import Evaluator, FormulaError, evaluate
from gongkai.write.grid import GridTable, money_text, official_tables, total_parts
from gongkai.write.grid import Path as CellPath
from gongkai.write.messages import Locator
from gongkai.written import parse_date

MARKER = "gongkai-template"
VERSION = "1"
META_SHEET = "基本信息"
TEXT_SHEET = "正文"
TOP = 4  # sheet row of the first grid row

_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_INPUT = PatternFill("solid", fgColor="FFFFFF")
_LOCKED = PatternFill("solid", fgColor="F2F2F2")
_TOTAL = PatternFill("solid", fgColor="DDEBF7")
_BAD = PatternFill("solid", fgColor="F8CBAD")
_FONT = Font(name="宋体", size=10)
_BOLD = Font(name="宋体", size=10, bold=True)
_TITLE = Font(name="黑体", size=14)
_NOTE = Font(name="宋体", size=9, color="595959")

# key, label, hint
_META: tuple[tuple[str, str, str], ...] = (
    ("agency", "机关名称", "发布报告的机关全称，如“青山市示范区民政局”"),
    ("year", "统计年度", "报告所统计的年度，如 2024"),
    ("template", "格式版本", "由模板决定，请勿修改；需要另一版本请重新生成模板"),
    ("published", "发布日期", "报告落款日期，如 2025-01-20（可暂空）"),
    ("title", "标题", "可空：默认为“机关名称+年度+年政府信息公开工作年度报告”"),
    ("signature", "落款机关", "可空：默认为机关名称"),
    ("contact", "联系方式", "可空：如“如对本报告有疑问，请与……联系（地址：……；电话：……）。”"),
)
_TEXT_HINT = (
    "每行一段；以“（一）”等开头的短行为小标题。可用占位符 {{申请情况}}、{{办理情况}}、"
    "{{复议诉讼}}：由表格数字自动生成语句。第一部分未写占位符时，自动在“依申请公开”小标题下"
    "（或末尾）加入申请情况；第三部分自动在表格前加入办理情况。"
)
_EDITIONS_BY_ID: dict[str, Edition] = WRITABLE_EDITIONS


def put(ws: Worksheet, row: int, col: int, value: Any) -> Any:
    """Write ``value`` into a cell; text is always text, never a formula.

    openpyxl turns a string starting with ``=`` into a live formula; text from
    a report (an agency named ``=HYPERLINK(…)``) must not become one, nor be
    taken for one when Excel or Calc re-enters the cell (``+``, ``-``, ``@``):
    the cell is typed as a string with the quote prefix set.
    """
    cell = ws.cell(row, col)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
        if value[:1] in ("=", "+", "-", "@"):
            cell.quotePrefix = True
    return cell


def sheet_name(edition: Edition, table_key: str) -> str:
    part = edition.table(table_key).part
    numeral = next(p.numeral for p in edition.parts if p.number == part)
    return f"表{numeral}"


def _col_width(share: float, total: float) -> float:
    return max(6.0, round(share * total, 1))


def _write_table(
    ws: Worksheet, table: GridTable, edition: Edition, values: dict[CellPath, Any]
) -> dict[CellPath, str]:
    """Draw ``table`` from row TOP; returns the sheet coordinate of every value cell."""
    ncols = table.ncols
    ws.cell(1, 1, table.title).font = _TITLE
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncols)
    note = "白色格子填写数字；蓝色格子为自动合计，不能填写。"
    ws.cell(2, 1, note).font = _NOTE
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=ncols)
    total_chars = 110 if table.key != "table4" else 120
    for i, share in enumerate(table.widths):
        ws.column_dimensions[get_column_letter(i + 1)].width = _col_width(share, total_chars)
    coords: dict[CellPath, str] = {}
    grid = table.grid()
    for r, grow in enumerate(grid):
        for c, g in enumerate(grow):
            assert g is not None
            cell, origin = g
            xc = ws.cell(TOP + r, 1 + c)
            xc.border = _BORDER
            if not origin:
                continue
            if cell.rowspan > 1 or cell.colspan > 1:
                ws.merge_cells(
                    start_row=TOP + r,
                    start_column=1 + c,
                    end_row=TOP + r + cell.rowspan - 1,
                    end_column=c + cell.colspan,
                )
            if cell.role == "value":
                assert cell.path is not None
                coords[cell.path] = xc.coordinate
                xc.alignment = Alignment(horizontal="center", vertical="center")
                xc.font = _FONT
                xc.fill = _TOTAL if cell.total else _INPUT
                xc.protection = Protection(locked=cell.total)
                v = values.get(cell.path)
                if v is not None and not cell.total:
                    put(ws, TOP + r, 1 + c, v)
            else:
                xc.value = cell.text
                xc.font = _BOLD if cell.role in ("caption", "header") else _FONT
                xc.fill = _LOCKED
                horiz = "left" if cell.role in ("label", "caption") else "center"
                xc.alignment = Alignment(horizontal=horiz, vertical="center", wrap_text=True)
    # live totals
    for path, coord in coords.items():
        parts = total_parts(edition, path)
        if parts:
            refs = [coords[p] for p in parts]
            ws[coord] = f"=SUM({refs[0]}:{refs[-1]})" if _contiguous(refs) else "=" + "+".join(refs)
    return coords


def _contiguous(refs: list[str]) -> bool:
    rows = [int(re.sub(r"[A-Z$]", "", r)) for r in refs]
    cols = {re.sub(r"[0-9$]", "", r) for r in refs}
    if len(cols) == 1:
        return rows == list(range(rows[0], rows[0] + len(rows)))
    letters = [re.sub(r"[0-9$]", "", r) for r in refs]
    idx = [_col_index(x) for x in letters]
    return len(set(rows)) == 1 and idx == list(range(idx[0], idx[0] + len(idx)))


def _col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _validate(ws: Worksheet, table: GridTable, coords: dict[CellPath, str]) -> None:
    kinds: dict[str, list[str]] = {}
    for cell in table.cells():
        if cell.role == "value" and cell.path is not None and not cell.total:
            kinds.setdefault(cell.kind, []).append(coords[cell.path])
    rules = {
        "count": DataValidation(
            type="whole",
            operator="greaterThanOrEqual",
            formula1="0",
            allow_blank=True,
            error="请填写不小于 0 的整数。",
            errorTitle="数量",
            prompt="不小于 0 的整数",
        ),
        "signed": DataValidation(
            type="whole",
            operator="between",
            formula1="-1000000000",
            formula2="1000000000",
            allow_blank=True,
            error="请填写整数（减少填负数）。",
            errorTitle=T2_CHANGE_LABEL,
            prompt="整数，减少填负数",
        ),
        "money": DataValidation(
            type="decimal",
            operator="greaterThanOrEqual",
            formula1="0",
            allow_blank=True,
            error="请填写不小于 0 的金额（数字）。",
            errorTitle="金额",
            prompt="金额，不小于 0",
        ),
    }
    for kind, refs in kinds.items():
        dv = rules[kind]
        dv.showErrorMessage = True
        dv.showInputMessage = True
        for ref in refs:
            dv.add(ref)
        ws.add_data_validation(dv)


#: Points a wrapped line of 10-pt 宋体 takes in Calc and Excel, and a cell's padding.
LINE_PT = 14.0
_PAD_PT = 4.0


def display_width(text: str) -> int:
    """Width in Excel's character units: a CJK character counts two."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def lines_needed(text: str, width_chars: float) -> int:
    """Lines ``text`` wraps to in a column ``width_chars`` wide (explicit breaks kept)."""
    room = max(1.0, width_chars - 1)
    return sum(max(1, -(-display_width(part) // int(room))) for part in text.split("\n"))


def _label_columns(table: GridTable) -> int:
    """How many columns at the left hold labels (frozen beside the values)."""
    first_value = min((c for _, c, _ in table.value_positions()), default=1)
    return max(1, first_value)


def _fit_rows(ws: Worksheet, table: GridTable) -> None:
    """Row heights from the wrapped labels: long labels of table 3 no longer overlap.

    Calc (unlike Excel) does not grow a row for wrapped text it did not lay out
    itself, so every row gets the height its longest label needs.
    """
    widths = [
        ws.column_dimensions[get_column_letter(i + 1)].width or 8.43 for i in range(table.ncols)
    ]
    need: dict[int, float] = {}
    for r, grow in enumerate(table.grid()):
        for c, g in enumerate(grow):
            assert g is not None
            cell, origin = g
            if not origin or cell.role == "value" or not cell.text:
                continue
            width = sum(widths[c : c + cell.colspan])
            height = lines_needed(cell.text, width) * LINE_PT + _PAD_PT
            per_row = height / cell.rowspan
            for rr in range(r, r + cell.rowspan):
                need[rr] = max(need.get(rr, 0.0), per_row)
    for r, h in need.items():
        ws.row_dimensions[TOP + r].height = max(LINE_PT + _PAD_PT, round(h, 1))


def print_setup(
    ws: Worksheet,
    *,
    landscape: bool,
    title_rows: tuple[int, int] | None = None,
    area: str | None = None,
    fit_height: bool = True,
) -> None:
    """A4, every column on the page width, header rows repeated on each page."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 1 if fit_height else 0
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.print_options.horizontalCentered = True
    if title_rows is not None:
        ws.print_title_rows = f"{title_rows[0]}:{title_rows[1]}"
    if area is not None:
        ws.print_area = area


def _balance_row(ws: Worksheet, table: GridTable, coords: dict[CellPath, str]) -> None:
    """Table 3: a row checking 第一项 + 第二项 − 第三项（七）总计 − 第四项 = 0 per column."""
    last = TOP + len(table.rows) + 1
    ws.cell(last, 1, "勾稽关系校验（第一项+第二项−（七）总计−第四项，应为0）").font = _NOTE
    ws.merge_cells(start_row=last, start_column=1, end_row=last, end_column=3)
    n = table.ncols - 3
    for i in range(n):
        new, carried = coords[("table3", "new", i)], coords[("table3", "carried_over", i)]
        total, forward = coords[("table3", "total", i)], coords[("table3", "carried_forward", i)]
        xc = ws.cell(last, 4 + i, f"={new}+{carried}-{total}-{forward}")
        xc.font = _NOTE
        xc.alignment = Alignment(horizontal="center")
    rng = f"D{last}:{get_column_letter(3 + n)}{last}"
    ws.conditional_formatting.add(rng, CellIsRule(operator="notEqual", formula=["0"], fill=_BAD))


def _meta_sheet(ws: Worksheet, meta: dict[str, Any]) -> None:
    ws["A1"] = MARKER
    ws["B1"] = "政府信息公开工作年度报告 · 基本信息"
    ws["B1"].font = _TITLE
    ws["A2"] = VERSION
    for letter, text in zip("BCD", ("项目", "内容", "说明"), strict=True):
        ws[f"{letter}3"] = text
        ws[f"{letter}3"].font = _BOLD
        ws[f"{letter}3"].fill = _LOCKED
    for i, (key, label, hint) in enumerate(_META):
        r = 4 + i
        ws.cell(r, 1, key)
        ws.cell(r, 2, label).font = _BOLD
        v = put(ws, r, 3, meta.get(key))
        v.protection = Protection(locked=key == "template")
        v.alignment = Alignment(wrap_text=True, vertical="center")
        if key == "published":
            v.number_format = "yyyy-mm-dd"
        ws.cell(r, 4, hint).font = _NOTE
        for col in (2, 3, 4):
            ws.cell(r, col).border = _BORDER
    year_row = 4 + [k for k, _, _ in _META].index("year")
    date_row = 4 + [k for k, _, _ in _META].index("published")
    dv_year = DataValidation(
        type="whole",
        operator="between",
        formula1="2008",
        formula2="2100",
        error="请填写四位年份。",
        showErrorMessage=True,
    )
    dv_year.add(f"C{year_row}")
    dv_date = DataValidation(
        type="date",
        operator="greaterThan",
        formula1="39448",
        error="请填写日期，如 2025-01-20。",
        showErrorMessage=True,
        allow_blank=True,
    )
    dv_date.add(f"C{date_row}")
    ws.add_data_validation(dv_year)
    ws.add_data_validation(dv_date)
    ws.column_dimensions["A"].hidden = True
    ws.column_dimensions["B"].width = 12
    ws.column_dimensions["C"].width = 48
    ws.column_dimensions["D"].width = 60
    ws.protection.sheet = True


def _text_sheet(ws: Worksheet, edition: Edition, texts: dict[str, str]) -> None:
    ws["B1"] = "正文（六个部分的文字）"
    ws["B1"].font = _TITLE
    ws["B2"] = _TEXT_HINT
    ws["B2"].font = _NOTE
    ws["B2"].alignment = Alignment(wrap_text=True)
    ws.merge_cells("B2:C2")
    ws.row_dimensions[2].height = 45
    rows = [("preamble", "前言（可空：默认写明编制依据和统计期限）")]
    rows += [(f"part{p.number}", p.heading) for p in edition.parts]
    for i, (key, label) in enumerate(rows):
        r = 3 + i
        ws.cell(r, 1, key)
        ws.cell(r, 2, label).font = _BOLD
        ws.cell(r, 2).alignment = Alignment(wrap_text=True, vertical="top")
        v = put(ws, r, 3, texts.get(key))
        v.alignment = Alignment(wrap_text=True, vertical="top")
        v.protection = Protection(locked=False)
        ws.row_dimensions[r].height = 120
        for col in (2, 3):
            ws.cell(r, col).border = _BORDER
    ws.column_dimensions["A"].hidden = True
    ws.column_dimensions["B"].width = 22
    ws.column_dimensions["C"].width = 100
    ws.protection.sheet = True


def _flatten(report: Report | None, edition: Edition) -> dict[CellPath, Any]:
    values: dict[CellPath, Any] = {}
    if report is None:
        return values
    for table in official_tables(edition, report):
        for cell in table.cells():
            if cell.role == "value" and cell.path is not None and cell.value is not None:
                v: Any = cell.value
                if cell.kind == "money" and isinstance(v, str):
                    with contextlib.suppress(ValueError):
                        v = float(v) if "." in v else int(v)
                values[cell.path] = v
    return values


def build_workbook(
    edition: Edition,
    data: ReportData | None = None,
    *,
    meta: dict[str, Any] | None = None,
    previous: Report | None = None,
) -> Workbook:
    """A workbook for ``edition``, filled from ``data`` if given, pre-filled from ``previous``."""
    wb = Workbook()
    meta = {"template": edition.id, **(meta or {})}
    texts: dict[str, str] = {}
    values: dict[CellPath, Any] = {}
    if data is not None:
        r = data.report
        meta.update(
            agency=r.agency,
            year=r.year,
            published=r.published,
            title=data.narrative.title,
            signature=data.narrative.signature,
            contact=data.narrative.contact,
        )
        texts = {f"part{k}": v for k, v in data.narrative.parts.items()}
        if data.narrative.preamble:
            texts["preamble"] = data.narrative.preamble
        values = _flatten(r, edition)
    elif previous is not None:
        values = carry_over(previous, edition)
    ws = wb.active
    assert ws is not None
    ws.title = META_SHEET
    _meta_sheet(ws, meta)
    print_setup(ws, landscape=True)
    for table in official_tables(edition):
        tws = wb.create_sheet(sheet_name(edition, table.key))
        coords = _write_table(tws, table, edition, values)
        _validate(tws, table, coords)
        if table.key == "table3":
            _balance_row(tws, table, coords)
        if previous is not None and data is None and table.key == "table2":
            _in_force_formulas(tws, edition, previous, coords)
        tws.protection.sheet = True
        _fit_rows(tws, table)
        label_cols = _label_columns(table)
        tws.freeze_panes = f"{get_column_letter(label_cols + 1)}{TOP + table.header_rows}"
        print_setup(
            tws,
            landscape=table.key != "table2",
            title_rows=(TOP, TOP + table.header_rows - 1) if table.header_rows else None,
            area=f"A1:{get_column_letter(table.ncols)}{TOP + len(table.rows) + 1}",
        )
    text_ws = wb.create_sheet(TEXT_SHEET)
    _text_sheet(text_ws, edition, texts)
    print_setup(text_ws, landscape=False, fit_height=False)
    wb.properties.title = "政府信息公开工作年度报告"
    wb.properties.keywords = f"{MARKER} {VERSION} edition={edition.id}"
    wb.properties.creator = "gongkai"
    return wb


def carry_over(previous: Report, edition: Edition) -> dict[CellPath, Any]:
    """Values that carry over from last year's report: 上年结转 = 结转下年度继续办理."""
    values: dict[CellPath, Any] = {}
    forward = previous.t3().get("carried_forward")
    if forward:
        for i, v in enumerate(forward):
            if v is not None:
                values[("table3", "carried_over", i)] = v
    return values


def in_force_carry(previous: Report, edition: Edition) -> dict[str, int]:
    """Rows of table 2 whose 现行有效件数 carries over from ``previous``: row key → last year's.

    Only an edition with 本年制发/本年废止/现行有效 (2021) has them, and only
    when last year's report printed the same columns (a 2019-edition report
    does not): otherwise nothing, and nothing is claimed.
    """
    t2 = previous.t2()
    table = edition.table("table2")
    out: dict[str, int] = {}
    for row in table.rows:
        cols = [c.key for c in table.row_columns(row.key)]
        if cols[-1:] != ["in_force"] or "issued" not in cols or "repealed" not in cols:
            continue
        last = (t2.get(row.key) or {}).get("in_force")
        if isinstance(last, int) and not isinstance(last, bool):
            out[row.key] = last
    return out


def _in_force_formulas(
    ws: Worksheet, edition: Edition, previous: Report, coords: dict[CellPath, str]
) -> None:
    """2021 edition: 现行有效件数 = last year's + 本年制发 − 本年废止, as an editable formula."""
    for key, last in in_force_carry(previous, edition).items():
        issued = coords[("table2", key, "issued")]
        repealed = coords[("table2", key, "repealed")]
        ws[coords[("table2", key, "in_force")]] = f"={last}+{issued}-{repealed}"


def write_template(
    path: str | Path,
    edition: Edition,
    *,
    data: ReportData | None = None,
    meta: dict[str, Any] | None = None,
    previous: Report | None = None,
) -> Path:
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    build_workbook(edition, data, meta=meta, previous=previous).save(out)
    return out


# ---------------------------------------------------------------- reading


def cell_places(edition: Edition) -> dict[tuple[str | int, ...], str]:
    """Every place of the record and its workbook cell: ``("table3", "new", 6)`` → ``表三!J5``."""
    out: dict[tuple[str | int, ...], str] = {}
    for i, (key, _, _) in enumerate(_META):
        out[(key,)] = f"{META_SHEET}!C{4 + i}"
    for table in official_tables(edition):
        name = sheet_name(edition, table.key)
        for r, c, cell in table.value_positions():
            assert cell.path is not None
            out[cell.path] = f"{name}!{get_column_letter(1 + c)}{TOP + r}"
    return out


def locator(edition: Edition) -> Locator:
    """Where a place of the record sits in a workbook of ``edition`` (for messages)."""
    places = cell_places(edition)
    return lambda place: places.get(tuple(place))


def _date(v: Any, source: str, cell: str) -> dt.date | None:
    if v is None or v == "":
        return None
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    date = parse_date(str(v), whole=True)
    if date is None:
        raise DataError(
            f"{source}: {cell}: not a date: {v!r} (write 2025-01-20)",
            f"{source}：{cell}（发布日期）不是日期：{v!r}（请写成 2025-01-20）",
        )
    return date


def _whole(v: Any, source: str, cell: str) -> DataError:
    return DataError(
        f"{source}: {cell}: expected a whole number, got {v!r}",
        f"{source}：{cell} 应填整数，实为 {v!r}（只填数字，不带单位）",
    )


def _number(
    ws: Worksheet, coord: str, kind: str, source: str, sheet: str, ev: Evaluator
) -> int | str | None:
    v = ws[coord].value
    cell = f"{sheet}!{coord}"
    if isinstance(v, str) and v.startswith("=") and ws[coord].data_type == "f":
        try:
            v = evaluate(v, ev.get, ev)
        except FormulaError as exc:
            raise DataError(
                f"{source}: {cell}: {exc.en}; type the number instead",
                f"{source}：{cell}：{exc.zh}，请直接填写数字",
            ) from None
    if v is None or (isinstance(v, str) and not v.strip()):
        return None
    if kind == "money":
        try:
            return money_text(v)
        except (ValueError, TypeError, ArithmeticError):
            raise DataError(
                f"{source}: {cell}: expected an amount of money, got {v!r}",
                f"{source}：{cell} 应填金额（数字），实为 {v!r}",
            ) from None
    if isinstance(v, bool):
        raise _whole(v, source, cell)
    if isinstance(v, float) and v.is_integer():
        return int(v)
    if isinstance(v, int):
        return v
    if isinstance(v, str) and re.fullmatch(r"\s*-?\d{1,15}\s*", v):
        return int(v)
    raise _whole(v, source, cell)


def _getter(ws: Worksheet) -> Callable[[str], Any]:
    def get(ref: str) -> Any:
        return ws[ref].value

    return get


def read_workbook(path: str | Path) -> ReportData:
    """Read a workbook written by :func:`write_template` back into :class:`ReportData`."""
    p = Path(path)
    try:
        wb = load_workbook(p, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds on a broken file
        raise DataError(
            f"{p}: cannot open as an Excel workbook ({type(exc).__name__})",
            f"{p}：无法作为 Excel 工作簿打开（{type(exc).__name__}）",
        ) from None
    if META_SHEET not in wb.sheetnames or wb[META_SHEET]["A1"].value != MARKER:
        raise DataError(
            f"{p}: not a workbook made by 'gongkai template'",
            f"{p}：不是由 gongkai template 生成的工作簿",
        )
    meta_ws = wb[META_SHEET]
    meta: dict[str, Any] = {}
    for row in meta_ws.iter_rows(min_row=4, max_col=3):
        if row[0].value:
            meta[str(row[0].value)] = row[2].value
    edition = _EDITIONS_BY_ID.get(str(meta.get("template")))
    if edition is None:
        raise DataError(
            f"{p}: {META_SHEET}: unknown edition (格式版本) {meta.get('template')!r}",
            f"{p}：{META_SHEET} 中的格式版本 {meta.get('template')!r} 无法识别；请重新生成模板",
        )
    record: dict[str, Any] = blank_tables(edition)
    for table in official_tables(edition):
        name = sheet_name(edition, table.key)
        if name not in wb.sheetnames:
            raise DataError(f"{p}: sheet {name!r} is missing", f"{p}：缺少工作表「{name}」")
        ws = wb[name]
        ev = Evaluator(_getter(ws))
        typed: dict[CellPath, tuple[str, Any]] = {}
        for r, c, cell in table.value_positions():
            assert cell.path is not None
            coord = f"{get_column_letter(1 + c)}{TOP + r}"
            _, key, col = cell.path
            raw = ws[coord].value
            if cell.total and isinstance(raw, str) and raw.startswith("="):
                value = None  # computed below
            else:
                value = _number(ws, coord, cell.kind, str(p), name, ev)
                if cell.total:
                    typed[cell.path] = (f"{name}!{coord}", value)
            record[table.key][key][col] = value
        _totals(record, edition, table.key, typed, str(p))
    year = meta.get("year")
    if isinstance(year, float) and year.is_integer():
        year = int(year)
    if isinstance(year, str) and year.strip().isdigit() and len(year.strip()) <= 4:
        year = int(year)
    places = cell_places(edition)
    record.update(
        agency=(str(meta["agency"]).strip() if meta.get("agency") else None),
        year=year,
        template=edition.id,
        published=_date(meta.get("published"), str(p), places[("published",)]),
    )
    narrative: dict[str, Any] = {
        k: str(meta[k]) for k in ("title", "signature", "contact") if meta.get(k)
    }
    if TEXT_SHEET in wb.sheetnames:
        parts: dict[int, str] = {}
        for row in wb[TEXT_SHEET].iter_rows(min_row=3, max_col=3):
            key, text = row[0].value, row[2].value
            if not key or text is None:
                continue
            if key == "preamble":
                narrative["preamble"] = str(text)
            elif str(key).startswith("part") and str(key)[4:].isdigit():
                parts[int(str(key)[4:])] = str(text)
        narrative["parts"] = parts
    record["x_narrative"] = narrative
    return from_dict(record, str(p), locator(edition))


def _totals(
    record: dict[str, Any],
    edition: Edition,
    table_key: str,
    typed: dict[CellPath, tuple[str, Any]],
    source: str,
) -> None:
    """Fill every total from its parts; a total typed over its formula must agree."""
    if table_key == "table2":
        return
    block = record[table_key]
    table = edition.table(table_key)
    last = len(table.columns) - 1
    order = [(r.key, i) for r in table.rows if r.key != "total" for i in range(last + 1)]
    order += [("total", i) for i in range(last + 1)]
    for key, i in order:
        if key not in block:
            continue
        parts = total_parts(edition, (table_key, key, i))
        if key == "total" and i == last:
            parts = [(table_key, key, j) for j in range(last)]
        if not parts:
            continue
        values = [block[k][j] for _, k, j in parts]
        computed = None if all(v is None for v in values) else sum(v or 0 for v in values)
        got = typed.get((table_key, key, i))
        if got is not None and got[1] is not None and got[1] != computed:
            shown = "blank" if computed is None else computed
            shown_zh = "空白" if computed is None else computed
            raise DataError(
                f"{source}: {got[0]}: the total (总计) is {got[1]} but its parts add up to "
                f"{shown}; leave the total cells to their formulas",
                f"{source}：{got[0]} 的总计填为 {got[1]}，但各分项之和为 {shown_zh}；"
                "总计格请保留自动求和公式，不要手工填写",
            )
        block[key][i] = computed
