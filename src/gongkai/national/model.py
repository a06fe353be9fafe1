"""The shapes of the national format: parts, tables, rows and columns.

These are plain frozen dataclasses; the data itself lives in
:mod:`gongkai.national.editions`. Everything that reads, checks or writes a
report asks these objects for labels and keys instead of spelling them out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

CellKind = Literal["count", "signed", "money"]
TableKey = Literal["table2", "table3", "table4"]
EditionId = Literal["2019", "2021", "legacy"]


@dataclass(frozen=True)
class Column:
    """One value column of a table row."""

    key: str
    label: str
    kind: CellKind = "count"
    variants: tuple[str, ...] = ()

    @property
    def labels(self) -> tuple[str, ...]:
        return (self.label, *self.variants)


@dataclass(frozen=True)
class Row:
    """One data row: its interchange key, printed label and label variants.

    ``group`` names the printed group label a row sits under (for example
    ``（三）不予公开``); ``caption`` the sub-table caption of table 2.
    """

    key: str
    label: str
    variants: tuple[str, ...] = ()
    group: str | None = None
    number: str | None = None
    caption: str | None = None
    columns: tuple[Column, ...] = ()
    outcome: bool = False

    @property
    def labels(self) -> tuple[str, ...]:
        return (self.label, *self.variants)


@dataclass(frozen=True)
class SubTable:
    """A captioned block of table 2 (``第二十条第（一）项`` …)."""

    caption: str
    columns: tuple[Column, ...]
    rows: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """A statistical table of the format.

    For table 3 and table 4 every row has the same ``columns``; table 2 rows
    carry their own columns (see :class:`SubTable`).
    """

    key: TableKey
    part: int
    title: str
    rows: tuple[Row, ...]
    columns: tuple[Column, ...] = ()
    subtables: tuple[SubTable, ...] = ()
    header_labels: tuple[str, ...] = ()

    def row(self, key: str) -> Row:
        return self._rows_by_key[key]  # KeyError for a key the table does not have

    @cached_property
    def _rows_by_key(self) -> dict[str, Row]:
        out: dict[str, Row] = {}
        for row in self.rows:
            out.setdefault(row.key, row)  # the first row of a key, as a search finds it
        return out

    def row_columns(self, key: str) -> tuple[Column, ...]:
        row = self.row(key)
        return row.columns or self.columns

    @cached_property
    def row_keys(self) -> tuple[str, ...]:
        return tuple(r.key for r in self.rows)


@dataclass(frozen=True)
class Part:
    """One of the six parts of a report, with its printed title variants."""

    number: int
    numeral: str
    title: str
    variants: tuple[str, ...] = ()
    keywords: tuple[tuple[str, ...], ...] = ()

    @property
    def heading(self) -> str:
        return f"{self.numeral}、{self.title}"

    @property
    def titles(self) -> tuple[str, ...]:
        return (self.title, *self.variants)


@dataclass(frozen=True)
class Edition:
    """One edition of the format: its years, parts and tables."""

    id: EditionId
    issued_with: str
    first_year: int
    last_year: int | None
    parts: tuple[Part, ...]
    tables: tuple[Table, ...] = ()
    markers: tuple[str, ...] = field(default=())

    def table(self, key: str) -> Table:
        for table in self.tables:
            if table.key == key:
                return table
        raise KeyError(key)

    def has_table(self, key: str) -> bool:
        return any(t.key == key for t in self.tables)

    def covers(self, year: int) -> bool:
        return year >= self.first_year and (self.last_year is None or year <= self.last_year)
