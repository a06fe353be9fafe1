"""A check result drawn as the report was printed, for a page.

:func:`draw` turns a check result (the JSON of ``gongkai check --json``) into
a :class:`ReportView`: the three tables in the official layout (the same
:func:`gongkai.write.layout.official_tables` every writer draws from), each
value cell carrying the numbers of the findings that name it, its
provenance (which page, line or table cell it came from) and whether the
reader was unsure of it; the findings numbered and grouped by severity; what
the reader could not place, and why; the six parts of the prose.

Nothing here marks text safe: the template escapes every string.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from gongkai.checks.registry import severity_name, shown_value
from gongkai.evidence import CellSource, Place
from gongkai.i18n import Lang, pick
from gongkai.national.editions import EDITIONS, table3_all_rows
from gongkai.record import Report
from gongkai.write.grid import official_tables

SEVERITIES = ("error", "warning", "info")


class CellView(BaseModel):
    text: str
    role: str
    rowspan: int = 1
    colspan: int = 1
    #: the record path of a value cell, ``table3.new.0``
    key: str | None = None
    #: numbers of the findings that name this cell
    findings: list[int] = Field(default_factory=list)
    #: the worst severity among them
    severity: str | None = None
    #: where the value was read from, for a person (``第 3 页 表 2 第 5 行 第 7 列``)
    source: str | None = None
    blank: bool = False
    #: the reader could not decide this value (left blank, candidates in the warnings)
    unsure: bool = False


class TableView(BaseModel):
    key: str
    title: str
    found: bool
    ncols: int
    header_rows: int
    rows: list[list[CellView]]
    findings: list[int] = Field(default_factory=list)


class CellLink(BaseModel):
    key: str
    label: str


class FindingView(BaseModel):
    number: int
    rule: str
    severity: str
    severity_name: str
    message: str
    where: str
    #: record paths of the cells this finding names
    cells: list[str] = Field(default_factory=list)
    #: links to those cells (one for a whole row), named by their printed labels
    links: list[CellLink] = Field(default_factory=list)
    section: int | None = None
    expected: int | float | str | None = None
    actual: int | float | str | None = None
    #: ``expected`` and ``actual`` as a person reads them (a blank, an edition's name)
    shown_expected: str | None = None
    shown_actual: str | None = None


class SeverityGroup(BaseModel):
    severity: str
    name: str
    findings: list[FindingView]


class Unplaced(BaseModel):
    """Something the reader read but could not place with certainty."""

    code: str
    message: str
    where: str


class PartView(BaseModel):
    number: int
    title: str
    text: str
    findings: list[int] = Field(default_factory=list)


class ReportView(BaseModel):
    agency: str | None
    year: int | None
    template: str
    published: str | None
    source: str | None
    tables: list[TableView]
    legacy: list[tuple[str, int | str | None]] = Field(default_factory=list)
    groups: list[SeverityGroup]
    counts: dict[str, int]
    unplaced: list[Unplaced]
    parts: list[PartView]


def _labels(template: str, table: Any, row: Any, column: Any) -> tuple[str, str, str]:
    """Printed names of a table, a row and a column (from the national format)."""
    edition = EDITIONS.get(template)
    tname, rname, cname = str(table), str(row or ""), str(column if column is not None else "")
    if edition is None or not isinstance(table, str) or not edition.has_table(table):
        return tname, rname, cname
    t = edition.table(table)
    tname = "表" + t.title.split("、", 1)[0]
    spare = {r.key: r for r in table3_all_rows()} if table == "table3" else {}
    if row is None or (row not in t.row_keys and row not in spare):
        return tname, rname, cname
    r = t.row(row) if row in t.row_keys else spare[row]
    rname = r.label
    cols = r.columns or t.columns
    if isinstance(column, int) and 0 <= column < len(cols):
        cname = cols[column].label
    elif isinstance(column, str):
        cname = next((c.label for c in cols if c.key == column), column)
    return tname, rname, cname


def _where_text(where: dict[str, Any], lang: Lang, template: str = "") -> str:
    if where.get("table") is not None:
        tname, rname, cname = _labels(
            template, where["table"], where.get("row"), where.get("column")
        )
        where = {**where, "table": tname}
        if where.get("row") is not None:
            where["row"] = f"「{rname}」"
        if where.get("column") is not None:
            where["column"] = f"「{cname}」"
    names = {
        "table": ("表", "table"),
        "row": ("行", "row"),
        "column": ("列", "column"),
        "section": ("部分", "part"),
        "line": ("第{x}行", "line {x}"),
        "page": ("第{x}页", "page {x}"),
    }
    parts: list[str] = []
    for k in ("table", "row", "column", "section", "page", "line"):
        v = where.get(k)
        if v is None:
            continue
        if k == "table" and str(v).startswith("表"):
            parts.append(str(v))
        elif k in ("line", "page"):
            parts.append(pick(names[k], lang, x=v))
        else:
            parts.append(f"{pick(names[k], lang)} {v}")
    return " · ".join(parts)


def _place(where: Place | None) -> dict[str, Any]:
    return where.model_dump(exclude_none=True) if where else {}


def _source_text(source: CellSource | None, lang: Lang) -> str | None:
    if source is None:
        return None
    prov = _place(source)
    bits: list[str] = []
    for k, pair in (
        ("page", ("第 {x} 页", "page {x}")),
        ("table", ("表 {x}", "table {x}")),
        ("row", ("第 {x} 行", "row {x}")),
        ("col", ("第 {x} 列", "column {x}")),
        ("line", ("第 {x} 行（文本）", "line {x} of the text")),
    ):
        if prov.get(k) is not None:
            bits.append(pick(pair, lang, x=prov[k]))
    return " ".join(bits) or None


def _cells_named(f: dict[str, Any], report: Report) -> list[str]:
    """Record paths of the cells a finding names (a whole row when no column is given)."""
    out: list[str] = []
    for where in (f.get("where") or {}, f.get("table_where") or {}):
        table, row, col = where.get("table"), where.get("row"), where.get("column")
        if table not in ("table2", "table3", "table4") or row is None:
            continue
        if col is not None:
            out.append(f"{table}.{row}.{col}")
            continue
        if table == "table2" and row not in report.t2():
            continue
        if table == "table2":
            out.extend(f"table2.{row}.{c}" for c in report.t2().get(row, {}))
        else:
            cells = (report.t3() if table == "table3" else report.t4()).get(row, [])
            out.extend(f"{table}.{row}.{i}" for i in range(len(cells)))
    return out


def _worst(severities: list[str]) -> str | None:
    for s in SEVERITIES:
        if s in severities:
            return s
    return None


def _rows_beyond(
    table: str,
    ncols: int,
    rows: list[list[CellView]],
    report: Report,
    by_cell: dict[str, list[int]],
    severity_of: dict[int, str],
) -> list[list[CellView]]:
    """Rows the report printed that its edition's grid has not (a 2019 row kept in
    a 2021 table), drawn after the grid so a finding about them has its cells."""
    if table not in ("table3", "table4"):
        return []
    drawn = {c.key.rsplit(".", 1)[0] for row in rows for c in row if c.key}
    values = report.t3() if table == "table3" else report.t4()
    labels = {r.key: r.label for r in table3_all_rows()} if table == "table3" else {}
    out: list[list[CellView]] = []
    for key, cells in values.items():
        if f"{table}.{key}" in drawn:
            continue
        line = [
            CellView(text=labels.get(key, key), role="label", colspan=max(1, ncols - len(cells)))
        ]
        for i, v in enumerate(cells):
            path = f"{table}.{key}.{i}"
            numbers = by_cell.get(path, [])
            line.append(
                CellView(
                    text="" if v is None else str(v),
                    role="value",
                    key=path,
                    findings=numbers,
                    severity=_worst([severity_of[n] for n in numbers]),
                    blank=v is None,
                )
            )
        out.append(line)
    return out


def draw(result: dict[str, Any], lang: Lang) -> ReportView:
    """The :class:`ReportView` of a check result."""
    record = result["report"]
    report = Report.model_validate(record)
    findings: list[dict[str, Any]] = result.get("findings", [])
    views: list[FindingView] = []
    by_cell: dict[str, list[int]] = {}
    by_table: dict[str, list[int]] = {}
    by_part: dict[int, list[int]] = {}
    for n, f in enumerate(findings, 1):
        where = f.get("where") or {}
        cells = _cells_named(f, report)
        links: list[CellLink] = []
        whole_rows: set[str] = set()
        for c in cells:
            tkey, rkey, col = c.split(".", 2)
            named = [w for w in (where, f.get("table_where") or {}) if w.get("row") == rkey]
            if named and all(w.get("column") is None for w in named):
                if f"{tkey}.{rkey}" not in whole_rows:
                    whole_rows.add(f"{tkey}.{rkey}")
                    t, r, _ = _labels(report.template, tkey, rkey, None)
                    links.append(CellLink(key=c, label=f"{t}「{r}」"))
                continue
            t, r, k = _labels(report.template, tkey, rkey, int(col) if col.isdigit() else col)
            links.append(CellLink(key=c, label=f"{t}「{r}」「{k}」"))
        for c in cells:
            by_cell.setdefault(c, []).append(n)
        if where.get("table") and not cells:
            by_table.setdefault(str(where["table"]), []).append(n)
        section = where.get("section")
        part = section if isinstance(section, int) else None
        if part is not None:
            by_part.setdefault(part, []).append(n)
        views.append(
            FindingView(
                number=n,
                rule=f["rule"],
                severity=f["severity"],
                severity_name=severity_name(f["severity"], lang),
                message=f["message"],
                where=_where_text(where, lang, report.template),
                cells=cells,
                links=links,
                section=part,
                expected=f.get("expected"),
                actual=f.get("actual"),
                shown_expected=shown_value(f["rule"], f.get("expected"), lang),
                shown_actual=shown_value(f["rule"], f.get("actual"), lang),
            )
        )
    severity_of = {v.number: v.severity for v in views}
    evidence = report.evidence
    provenance = evidence.provenance
    blank = {f"{b.table}.{b.row}.{b.column}" for b in evidence.blank_cells}
    unsure = {f"{u.table}.{u.row}.{u.column}" for u in evidence.unsure}
    tables: list[TableView] = []
    found = evidence.tables
    if report.template != "legacy":
        for lt in official_tables(EDITIONS[report.template], report):
            rows: list[list[CellView]] = []
            for lrow in lt.rows:
                drawn: list[CellView] = []
                for cell in lrow:
                    key = ".".join(str(p) for p in cell.path) if cell.path else None
                    numbers = by_cell.get(key or "", [])
                    drawn.append(
                        CellView(
                            text=cell.text,
                            role=cell.role,
                            rowspan=cell.rowspan,
                            colspan=cell.colspan,
                            key=key,
                            findings=numbers,
                            severity=_worst([severity_of[n] for n in numbers]),
                            source=_source_text(provenance.get(key), lang) if key else None,
                            blank=key is not None and (key in blank or cell.value is None),
                            unsure=key in unsure,
                        )
                    )
                rows.append(drawn)
            rows.extend(_rows_beyond(lt.key, lt.ncols, rows, report, by_cell, severity_of))
            info = found.get(lt.key)
            present = getattr(report, lt.key) is not None or bool(info and info.found)
            tables.append(
                TableView(
                    key=lt.key,
                    title=lt.title,
                    found=present,
                    ncols=lt.ncols,
                    header_rows=lt.header_rows,
                    rows=rows,
                    findings=by_table.get(lt.key, []),
                )
            )
    groups = [
        SeverityGroup(
            severity=s,
            name=severity_name(s, lang),
            findings=[v for v in views if v.severity == s],
        )
        for s in SEVERITIES
    ]
    unplaced: list[Unplaced] = []
    for w in evidence.warnings:
        message = w.message_en if lang == "en" else w.message
        unplaced.append(
            Unplaced(
                code=w.code, message=message or w.message, where=_where_text(_place(w.where), lang)
            )
        )
    for x in evidence.extra_rows:
        unplaced.append(
            Unplaced(
                code="extra-row",
                message=pick(
                    ("未能归入格式的行：{x}", "a row that is not in the format: {x}"),
                    lang,
                    x=x.label,
                ),
                where=_where_text(_place(x.where), lang),
            )
        )
    parts = [
        PartView(number=s.part, title=s.title, text=s.text, findings=by_part.get(s.part, []))
        for s in evidence.sections or []
    ]
    source = evidence.source
    return ReportView(
        agency=report.agency,
        year=report.year,
        template=report.template,
        published=report.published.isoformat() if report.published else None,
        source=source.path if source else None,
        tables=tables,
        legacy=sorted((report.legacy or {}).items()),
        groups=groups,
        counts={s: sum(1 for v in views if v.severity == s) for s in SEVERITIES},
        unplaced=unplaced,
        parts=parts,
    )
