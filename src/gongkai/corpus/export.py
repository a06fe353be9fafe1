"""``corpus export`` and ``corpus findings``: the corpus as files.

- **long**: one row a cell, with its report, agency, provenance and how it
  was placed;
- **wide**: one row a report, one column a cell named by its interchange path
  (``table3.new.6``), after the agency and year columns;
- **json**: a list of report records (interchange.md) each with ``x_source``
  (name, sha256, URL) and ``x_findings``;
- **findings workbook**: the reviewer's follow-up list, one sheet an agency
  (or one file an agency), each finding with where it is, the numbers compared
  and a 整改 column to fill in.

Files are written whole (a temporary file renamed into place) and never over
an existing file unless asked. Text from reports never becomes a formula.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import Connection, Engine, Select, select

from gongkai.corpus.models import CellRow, FindingRow
from gongkai.corpus.query import (
    ALL,
    A,
    F,
    Filter,
    R,
    S,
    _conn,
    finding_dict,
    provenance_of,
    record_of,
    reports_from,
)
from gongkai.errors import GongkaiError
from gongkai.i18n import Lang, pick
from gongkai.output import atomic_write

Format = Literal["csv", "parquet", "xlsx", "json"]
Shape = Literal["wide", "long"]
C = CellRow.__table__.c

REPORT_COLUMNS = (
    "report_id",
    "agency",
    "agency_key",
    "year",
    "level",
    "region",
    "parent_key",
    "template",
    "published",
    "version",
    "current",
    "errors",
    "warnings",
    "name",
    "sha256",
    "url",
)
LONG_COLUMNS = (
    *REPORT_COLUMNS[:4],
    "template",
    "path",
    "tbl",
    "row_key",
    "col_key",
    "value",
    "amount",
    "text",
    "blank",
    "placed",
    "line",
    "page",
    "provenance",
    "sha256",
)


class ExportError(GongkaiError):
    def message(self, lang: Lang = "zh") -> str:
        return str(self)


def _exists(path: Path) -> ExportError:
    return ExportError(
        pick(
            ("{p}：文件已存在，加 --force 覆盖", "{p}: the file exists; --force overwrites it"),
            p=path,
        )
    )


def _report_rows(c: Connection, flt: Filter) -> list[dict[str, Any]]:
    q = (
        select(
            R.id.label("report_id"),
            R.agency,
            R.agency_key,
            R.year,
            A.level,
            A.region,
            A.parent_key,
            R.template,
            R.published,
            R.version,
            R.current,
            R.n_errors.label("errors"),
            R.n_warnings.label("warnings"),
            S.name,
            R.sha256,
            S.url,
        )
        .select_from(reports_from())
        .where(flt.condition())
        .order_by(R.year, R.agency_key, R.version, R.id)
    )
    return [dict(r._mapping) for r in c.execute(q)]


def _path_order() -> dict[str, int]:
    """Interchange paths in the order of the national format (table 2, 3, 4)."""
    from gongkai.national.editions import EDITION_2019, EDITION_2021, TABLE4, table3_all_rows

    order: list[str] = []
    for ed in (EDITION_2021, EDITION_2019):
        t2 = ed.table("table2")
        for r in t2.rows:
            order += [f"table2.{r.key}.{c.key}" for c in t2.row_columns(r.key)]
    order += [f"table3.{r.key}.{i}" for r in table3_all_rows() for i in range(7)]
    order += [f"table4.{r.key}.{i}" for r in TABLE4.rows for i in range(5)]
    return {p: i for i, p in enumerate(dict.fromkeys(order))}


def _cell_value(row: Any) -> Any:
    return row.text if row.text is not None else row.value


def long_rows(conn: Engine | Connection, flt: Filter = ALL) -> Iterator[dict[str, Any]]:
    with _conn(conn) as c:
        q = (
            select(
                R.id.label("report_id"),
                R.agency,
                R.agency_key,
                R.year,
                R.template,
                C.path,
                C.tbl,
                C.row_key,
                C.col_key,
                C.value,
                C.amount,
                C.text,
                C.blank,
                C.placed,
                C.line,
                C.page,
                C.provenance,
                R.sha256,
            )
            .select_from(reports_from().join(CellRow.__table__, C.report_id == R.id))
            .where(flt.condition())
            .order_by(R.year, R.agency_key, R.id, C.path)
        )
        for row in c.execute(q):
            yield dict(row._mapping)


def wide_table(
    conn: Engine | Connection, flt: Filter = ALL
) -> tuple[list[str], list[dict[str, Any]]]:
    with _conn(conn) as c:
        reports = _report_rows(c, flt)
        cells: dict[int, dict[str, Any]] = defaultdict(dict)
        ids = [r["report_id"] for r in reports]
        for chunk in range(0, len(ids), 500):
            part = ids[chunk : chunk + 500]
            for row in c.execute(
                select(C.report_id, C.path, C.value, C.text).where(C.report_id.in_(part))
            ):
                cells[row.report_id][row.path] = _cell_value(row)
    order = _path_order()
    paths = sorted({p for d in cells.values() for p in d}, key=lambda p: (order.get(p, 10**6), p))
    rows = [{**r, **cells.get(r["report_id"], {})} for r in reports]
    return [*REPORT_COLUMNS, *paths], rows


def json_records(conn: Engine | Connection, flt: Filter = ALL) -> list[dict[str, Any]]:
    out = []
    with _conn(conn) as c:
        reports = _report_rows(c, flt)
        findings: dict[int, list[dict[str, Any]]] = defaultdict(list)
        ids = [r["report_id"] for r in reports]
        for chunk in range(0, len(ids), 500):
            for row in c.execute(
                select(FindingRow.__table__)
                .where(F.report_id.in_(ids[chunk : chunk + 500]))
                .order_by(F.report_id, F.seq)
            ):
                findings[row.report_id].append(finding_dict(row))
        for r in reports:
            rec = record_of(c, r["report_id"])
            rec["x_provenance"] = provenance_of(c, r["report_id"])
            rec["x_source"] = {
                **(rec.get("x_source") or {}),
                "name": r["name"],
                "sha256": r["sha256"],
                "url": r["url"],
            }
            rec["x_findings"] = findings.get(r["report_id"], [])
            rec["x_corpus"] = {
                "report_id": r["report_id"],
                "version": r["version"],
                "current": r["current"],
                "agency_key": r["agency_key"],
                "level": r["level"],
                "region": r["region"],
            }
            out.append(rec)
    return out


def _plain(v: Any) -> Any:
    if v is None or isinstance(v, int | float | str | bool):
        return v
    return str(v)


def export(
    conn: Engine | Connection,
    path: str | Path,
    fmt: Format,
    shape: Shape = "wide",
    flt: Filter = ALL,
    *,
    force: bool = False,
) -> int:
    """Write the chosen reports to ``path``; returns the number of rows (records for json)."""
    target = Path(path)
    if target.exists() and not force:
        raise _exists(target)
    if fmt == "json":
        records = json_records(conn, flt)
        atomic_write(target, json.dumps(records, ensure_ascii=False, indent=1, default=str) + "\n")
        return len(records)
    if shape == "long":
        columns = list(LONG_COLUMNS)
        rows = list(long_rows(conn, flt))
    else:
        columns, rows = wide_table(conn, flt)
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.DictWriter(buf, columns, extrasaction="ignore")
        w.writeheader()
        for r in rows:
            w.writerow({k: _csv_safe(_plain(r.get(k))) for k in columns})
        atomic_write(target, "\ufeff" + buf.getvalue())  # BOM: Excel opens UTF-8 right
    elif fmt == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.table({k: [_plain(r.get(k)) for r in rows] for k in columns})
        sink = pa.BufferOutputStream()
        pq.write_table(table, sink)
        atomic_write(target, sink.getvalue().to_pybytes())
    elif fmt == "xlsx":
        atomic_write(target, _xlsx_bytes({"corpus": (columns, rows)}))
    else:  # pragma: no cover - click restricts the choice
        raise ExportError(f"unknown format {fmt}")
    return len(rows)


def _csv_safe(v: Any) -> Any:
    """Text from reports never starts a spreadsheet formula."""
    if (
        isinstance(v, str)
        and v[:1] in ("=", "+", "-", "@")
        and not re.fullmatch(r"-?\d+(\.\d+)?", v)
    ):
        return "'" + v
    return v


def _xlsx_bytes(
    sheets: dict[str, tuple[list[str], list[dict[str, Any]]]], widths: dict[str, int] | None = None
) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from gongkai.write.xlsx import put

    wb = Workbook()
    wb.remove(wb.active)
    for title, (columns, rows) in sheets.items():
        ws = wb.create_sheet(title)
        for j, col in enumerate(columns, start=1):
            put(ws, 1, j, col).font = Font(bold=True)
            if widths and col in widths:
                ws.column_dimensions[ws.cell(1, j).column_letter].width = widths[col]
        for i, r in enumerate(rows, start=2):
            for j, col in enumerate(columns, start=1):
                put(ws, i, j, _plain(r.get(col)))
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = ws.dimensions
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# ---------------------------------------------------------------- findings workbook

FINDING_COLUMNS: dict[str, tuple[str, str]] = {
    "year": ("年度", "year"),
    "file": ("报告文件", "report file"),
    "severity": ("严重程度", "severity"),
    "rule": ("规则", "rule"),
    "message": ("问题", "finding"),
    "where": ("位置", "where"),
    "expected": ("应为", "expected"),
    "actual": ("实际", "actual"),
    "fix": ("整改情况（请填写）", "correction (fill in)"),
    "done": ("整改完成日期", "date corrected"),
}
_SEVERITY = {"error": ("错误", "error"), "warning": ("警告", "warning"), "info": ("提示", "info")}


@dataclass(frozen=True)
class AgencyFindings:
    agency_key: str
    agency: str
    rows: list[dict[str, Any]]


def where_text(where: dict[str, Any], lang: Lang = "zh") -> str:
    """Where a finding points, in the checker's own words."""
    from gongkai.checks.console import describe_where
    from gongkai.record import Where

    return describe_where(Where(**where), lang) if where else ""


def findings_select(flt: Filter, severities: tuple[str, ...] | None = None) -> Select[Any]:
    """Every finding of the chosen reports with its agency, year and file, agency
    by agency (the findings workbook and the notices read the same)."""
    q = (
        select(
            R.agency_key,
            R.agency,
            A.name.label("canonical"),
            R.year,
            S.name.label("file"),
            FindingRow.__table__,
        )
        .select_from(reports_from().join(FindingRow.__table__, F.report_id == R.id))
        .where(flt.condition())
        .order_by(R.agency_key, R.year, F.report_id, F.seq)
    )
    return q if severities is None else q.where(F.severity.in_(severities))


def findings_by_agency(
    conn: Engine | Connection, flt: Filter = ALL, lang: Lang = "zh"
) -> list[AgencyFindings]:
    with _conn(conn) as c:
        q = findings_select(flt)
        groups: dict[str, AgencyFindings] = {}
        for row in c.execute(q):
            key = row.agency_key or row.agency or "—"
            g = groups.setdefault(key, AgencyFindings(key, row.canonical or row.agency or key, []))
            f = finding_dict(row)
            g.rows.append(
                {
                    "year": row.year,
                    "file": row.file,
                    "severity": pick(_SEVERITY[f["severity"]], lang),
                    "rule": f["rule"],
                    "message": f["message"],
                    "where": where_text(f.get("where") or {}, lang),
                    "expected": _plain(f.get("expected")),
                    "actual": _plain(f.get("actual")),
                    "fix": None,
                    "done": None,
                }
            )
    return list(groups.values())


def _sheet_title(name: str, used: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\']", "", name)[:28] or "sheet"
    title, n = base, 2
    while title in used:
        title = f"{base[:25]}-{n}"
        n += 1
    used.add(title)
    return title


def findings_workbook(
    conn: Engine | Connection,
    path: str | Path,
    flt: Filter = ALL,
    *,
    split: bool = False,
    force: bool = False,
    lang: Lang = "zh",
) -> list[Path]:
    """One sheet an agency in ``path`` (or, with ``split``, one file an agency in
    the folder ``path``); returns the files written."""
    groups = findings_by_agency(conn, flt, lang)
    columns = [pick(FINDING_COLUMNS[k], lang) for k in FINDING_COLUMNS]
    widths = dict(zip(columns, (6, 24, 8, 16, 60, 24, 8, 8, 30, 12), strict=True))

    def sheet(g: AgencyFindings) -> tuple[list[str], list[dict[str, Any]]]:
        return columns, [{pick(FINDING_COLUMNS[k], lang): v for k, v in r.items()} for r in g.rows]

    target = Path(path)
    if not split:
        if target.exists() and not force:
            raise _exists(target)
        used: set[str] = set()
        atomic_write(
            target,
            _xlsx_bytes(
                {_sheet_title(g.agency, used): sheet(g) for g in groups} or {"—": (columns, [])},
                widths,
            ),
        )
        return [target]
    out = []
    used_names: set[str] = set()
    for g in groups:
        name = _sheet_title(g.agency, used_names) + ".xlsx"
        f = target / name
        if f.exists() and not force:
            raise _exists(f)
        atomic_write(f, _xlsx_bytes({_sheet_title(g.agency, set()): sheet(g)}, widths))
        out.append(f)
    return out
