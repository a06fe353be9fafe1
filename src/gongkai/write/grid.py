"""The official table grids, built from the national format data.

:func:`official_tables` turns an edition (and optionally a report's values)
into :class:`GridTable` objects: rows of anchor cells with rowspan and
colspan, exactly as the tables of 国办公开办函〔2019〕60号 and 〔2021〕30号
print them. Every output format (DOCX, HTML, Markdown, text, the Excel
template) draws from this one structure, so the formats cannot disagree.

Labels, keys and the order of rows and columns come from
:mod:`gongkai.national.editions`; this module only knows the *shape* of
each table (where the group labels sit, which header spans which columns).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from gongkai.national.editions import T3_GROUP_LABELS
from gongkai.national.model import Column, Edition, Table
from gongkai.record import Report

CellRole = Literal["caption", "header", "label", "group", "value"]
Scope = Literal["col", "colgroup", "row", "rowgroup"]
Path = tuple[str, str, str | int]

#: The column key that holds a total in table 3 and table 4, and the table-3 total row.
TOTAL = "total"


@dataclass(frozen=True)
class GridCell:
    """An anchor cell of the official grid (cells it spans are not listed).

    ``path`` locates a value in the record: ``("table3", "new", 0)`` or
    ``("table2", "rules", "issued")``. ``total`` marks a cell the format
    defines as a sum (总计), ``kind`` the value's cell kind.
    """

    text: str
    role: CellRole
    rowspan: int = 1
    colspan: int = 1
    path: Path | None = None
    kind: str = "count"
    total: bool = False
    value: int | str | None = None

    @property
    def is_header(self) -> bool:
        return self.role != "value"

    @property
    def scope(self) -> Scope | None:
        """The HTML ``scope`` of a header cell."""
        if self.role in ("caption", "header"):
            return "colgroup" if self.colspan > 1 else "col"
        if self.role == "group":
            return "rowgroup"
        if self.role == "label":
            return "row"
        return None


@dataclass(frozen=True)
class GridTable:
    """One table of the report: title (the part heading), grid size and rows."""

    key: str
    title: str
    ncols: int
    widths: tuple[float, ...]
    header_rows: int
    rows: tuple[tuple[GridCell, ...], ...]
    font_pt: float = 10.5

    def cells(self) -> Iterator[GridCell]:
        for row in self.rows:
            yield from row

    def grid(self) -> list[list[tuple[GridCell, bool] | None]]:
        """Expand spans: each position holds (anchor, is_origin); ``None`` never remains."""
        out: list[list[tuple[GridCell, bool] | None]] = [[None] * self.ncols for _ in self.rows]
        for r, row in enumerate(self.rows):
            c = 0
            for cell in row:
                while out[r][c] is not None:
                    c += 1
                for dr in range(cell.rowspan):
                    for dc in range(cell.colspan):
                        out[r + dr][c + dc] = (cell, dr == 0 and dc == 0)
                c += cell.colspan
        for r, grow in enumerate(out):
            if any(g is None for g in grow):
                raise AssertionError(f"{self.key}: row {r} of the grid is not filled")
        return out

    def value_positions(self) -> Iterator[tuple[int, int, GridCell]]:
        """(row, column, cell) of every value cell in the expanded grid."""
        for r, grow in enumerate(self.grid()):
            for c, g in enumerate(grow):
                if g is not None and g[1] and g[0].role == "value":
                    yield r, c, g[0]


# ---------------------------------------------------------------- values


def money_text(value: Any) -> str | None:
    """A money cell as printed: ``7730.28`` → ``"7730.28"``, ``12.0`` → ``"12"``."""
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip() or None
    try:
        d = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    except (InvalidOperation, ValueError):
        return str(value)
    text = format(d, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def cell_text(value: int | str | None) -> str:
    """How a value is printed in a table: numbers plainly, a blank as nothing."""
    if value is None:
        return ""
    return str(value)


# ---------------------------------------------------------------- builders


def _values(report: Report | None) -> dict[Path, int | str | None]:
    """Every cell of ``report`` by path, read once."""
    out: dict[Path, int | str | None] = {}
    if report is None:
        return out
    for key, row in report.t2().items():
        for col, v in row.items():
            out[("table2", key, col)] = v
    for table, rows in (("table3", report.t3()), ("table4", report.t4())):
        for key, cells in rows.items():
            for i, v in enumerate(cells):
                out[(table, key, i)] = v
    return out


@dataclass
class _Builder:
    report: Report | None
    rows: list[list[GridCell]] = field(default_factory=list)
    values: dict[Path, int | str | None] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.values = _values(self.report)

    def value(self, path: Path, col: Column, *, colspan: int = 1, total: bool = False) -> GridCell:
        v = self.values.get(path)
        return GridCell(
            cell_text(v),
            "value",
            colspan=colspan,
            path=path,
            kind=col.kind,
            total=total,
            value=v,
        )


def _table2(table: Table, report: Report | None) -> GridTable:
    b = _Builder(report)
    width = 1 + max(len(s.columns) for s in table.subtables)
    head = table.header_labels[0]
    for sub in table.subtables:
        b.rows.append([GridCell(sub.caption, "caption", colspan=width)])
        spans = [1] * len(sub.columns)
        spans[-1] = width - len(sub.columns)
        b.rows.append(
            [
                GridCell(head, "header"),
                *(
                    GridCell(col.label, "header", colspan=s)
                    for col, s in zip(sub.columns, spans, strict=True)
                ),
            ]
        )
        for key in sub.rows:
            row = table.row(key)
            b.rows.append(
                [
                    GridCell(row.label, "label"),
                    *(
                        b.value(("table2", key, col.key), col, colspan=s)
                        for col, s in zip(sub.columns, spans, strict=True)
                    ),
                ]
            )
    label_w = 0.31
    widths = (label_w, *([(1 - label_w) / (width - 1)] * (width - 1)))
    return GridTable("table2", table.title, width, widths, 0, tuple(tuple(r) for r in b.rows))


def _table3(table: Table, report: Report | None) -> GridTable:
    """Three label columns, then the value columns; three header rows."""
    b = _Builder(report)
    cols = table.columns
    top, sub_groups = T3_GROUP_LABELS[0], T3_GROUP_LABELS[1:]
    applicants, legal, note = table.header_labels[:3]
    n = len(cols)
    b.rows.append(
        [
            GridCell(note, "header", rowspan=3, colspan=3),
            GridCell(applicants, "header", colspan=n),
        ]
    )
    b.rows.append(
        [
            GridCell(cols[0].label, "header", rowspan=2),
            GridCell(legal, "header", colspan=n - 2),
            GridCell(cols[-1].label, "header", rowspan=2),
        ]
    )
    b.rows.append([GridCell(c.label, "header") for c in cols[1:-1]])

    in_top = sum(1 for r in table.rows if r.group == top or r.group in sub_groups)
    seen: set[str] = set()
    for row in table.rows:
        cells: list[GridCell] = []
        if row.group is None:
            cells.append(GridCell(row.label, "label", colspan=3))
        else:
            if top not in seen:
                seen.add(top)
                cells.append(GridCell(top, "group", rowspan=in_top))
            if row.group == top:
                cells.append(GridCell(row.label, "label", colspan=2))
            else:
                if row.group not in seen:
                    seen.add(row.group)
                    count = sum(1 for r in table.rows if r.group == row.group)
                    cells.append(GridCell(row.group, "group", rowspan=count))
                cells.append(GridCell(row.label, "label"))
        cells.extend(
            b.value(("table3", row.key, i), c, total=(c.key == TOTAL or row.key == TOTAL))
            for i, c in enumerate(cols)
        )
        b.rows.append(cells)
    label = (0.055, 0.105, 0.27)
    rest = (1 - sum(label)) / n
    return GridTable(
        "table3",
        table.title,
        3 + n,
        (*label, *([rest] * n)),
        3,
        tuple(tuple(r) for r in b.rows),
    )


def _table4(table: Table, report: Report | None) -> GridTable:
    """Group labels on top, then sub-group labels, then column labels, then one row of values."""
    b = _Builder(report)
    cols = table.columns
    n = len(cols)
    top: list[GridCell] = []
    mid: list[GridCell] = []
    low: list[GridCell] = []
    values: list[GridCell] = []
    done: set[str] = set()
    for row in table.rows:
        if row.group is None:
            top.append(GridCell(row.label, "header", colspan=n))
            mid.extend(GridCell(c.label, "header", rowspan=2) for c in cols)
        else:
            if row.group not in done:
                done.add(row.group)
                count = sum(1 for r in table.rows if r.group == row.group)
                top.append(GridCell(row.group, "header", colspan=n * count))
            mid.append(GridCell(row.label, "header", colspan=n))
            low.extend(GridCell(c.label, "header") for c in cols)
        values.extend(
            b.value(("table4", row.key, i), c, total=c.key == TOTAL) for i, c in enumerate(cols)
        )
    ncols = n * len(table.rows)
    b.rows.extend([top, mid, low, values])
    return GridTable(
        "table4",
        table.title,
        ncols,
        tuple([1 / ncols] * ncols),
        3,
        tuple(tuple(r) for r in b.rows),
        font_pt=9,
    )


_BUILDERS = {"table2": _table2, "table3": _table3, "table4": _table4}


def official_tables(edition: Edition, report: Report | None = None) -> tuple[GridTable, ...]:
    """The tables of ``edition`` in print order, filled from ``report`` if given."""
    return tuple(_BUILDERS[t.key](t, report) for t in edition.tables)


def official_table(edition: Edition, key: str, report: Report | None = None) -> GridTable:
    return _BUILDERS[key](edition.table(key), report)


def total_parts(edition: Edition, path: Path) -> list[Path]:
    """The cells a total cell adds up (A2, A3, A4 of the format).

    Table 3: a row's 总计 = its applicant columns; the （七）总计 row = the
    outcome rows of the same column. Table 4: a group's 总计 = its four
    results.
    """
    table, row_key, col = path
    t = edition.table(table)
    if not isinstance(col, int):
        return []
    last = len(t.columns) - 1
    if table == "table3" and row_key == TOTAL:
        return [(table, r.key, col) for r in t.rows if r.outcome]
    if col == last and t.columns[last].key == TOTAL:
        return [(table, row_key, i) for i in range(last)]
    return []
