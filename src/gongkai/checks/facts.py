"""What the rules read from a record.

The public keys of a record are typed by :class:`~gongkai.record.Report`,
the reader's evidence by :class:`~gongkai.evidence.Evidence`
(``report.evidence``: an ``x_`` key of an unexpected shape reads as absent,
so a rule stays silent instead of guessing). Labels come from
:mod:`gongkai.national`, never spelled out here.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from gongkai.evidence import HtmlSignals, PartFound
from gongkai.national.editions import EDITION_2019, EDITION_2021, TABLE4, table3_all_rows
from gongkai.national.labels import row_spec
from gongkai.national.model import Column
from gongkai.record import Report

T3_COLUMNS: tuple[Column, ...] = EDITION_2021.table("table3").columns
T4_COLUMNS: tuple[Column, ...] = TABLE4.columns
T3_WIDTH = len(T3_COLUMNS)
T4_WIDTH = len(T4_COLUMNS)
T3_TOTAL = T3_WIDTH - 1
T4_TOTAL = T4_WIDTH - 1


# ------------------------------------------------------------------ labels


def row_label(table: str, key: str) -> str:
    """The printed label of a row (any edition); the key if unknown."""
    spec = row_spec(table, key)
    return spec.label if spec is not None else key


def column_label(table: str, index: int) -> str:
    cols = T3_COLUMNS if table == "table3" else T4_COLUMNS
    return cols[index].label if 0 <= index < len(cols) else str(index)


def table2_column(row: str, key: str) -> Column | None:
    for ed in (EDITION_2021, EDITION_2019):
        t = ed.table("table2")
        if row in t.row_keys:
            for c in t.row_columns(row):
                if c.key == key:
                    return c
    return None


# ------------------------------------------------------------------ tables


def rows(report: Report, table: str) -> dict[str, list[int | None]]:
    """Rows of table 3 or 4 present in the record, each exactly as wide as the table."""
    width = T3_WIDTH if table == "table3" else T4_WIDTH
    raw = report.t3() if table == "table3" else report.t4()
    out: dict[str, list[int | None]] = {}
    for key, values in raw.items():
        if not isinstance(values, list):
            continue
        cells = [v if isinstance(v, int) and not isinstance(v, bool) else None for v in values]
        out[key] = (cells + [None] * width)[:width]
    return out


def t3_rows_in_order(present: dict[str, list[int | None]]) -> list[str]:
    return [r.key for r in table3_all_rows() if r.key in present]


def t3_outcome_keys() -> tuple[str, ...]:
    return tuple(r.key for r in table3_all_rows() if r.outcome)


def as_int(v: int | None) -> int:
    """A blank cell counts as 0 (template.md: blanks usually mean 0)."""
    return v if v is not None else 0


def unsure_rows(report: Report) -> dict[tuple[str, str], list[Any]]:
    """(table, row) → the cells of it the parser could not place with certainty and left
    null (``x_unsure``): no finding may rest on them."""
    out: dict[tuple[str, str], list[Any]] = {}
    for u in report.evidence.unsure:
        if u.row is not None:
            out.setdefault((u.table, u.row), []).append(u.column)
    return out


def flagged_rows(report: Report, *codes: str) -> set[tuple[str, str]]:
    """(table, row) pairs the reader warned about with one of ``codes``
    (``short-row``: fewer values than cells; ``long-row``: more)."""
    return {
        (w.table or "", w.row)
        for w in report.evidence.warnings_of(*codes)
        if isinstance(w.row, str)
    }


def money(value: Any) -> Decimal | None:
    """The number of a money string ("287.54万元" → 287.54); None if none."""
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        return None
    m = re.search(r"-?\d+(?:\.\d+)?", str(value).replace(",", ""))
    if m is None:
        return None
    try:
        return Decimal(m.group(0))
    except InvalidOperation:  # pragma: no cover - the pattern is a number
        return None


# ------------------------------------------------------------------ the evidence


def text(report: Report) -> str | None:
    """All the text of the report (``x_text``); None when the reader gave none."""
    v = report.evidence.text
    return v if v and v.strip() else None


def strings(value: str | list[str] | None) -> list[str]:
    """A string or a list of strings as a list (empty ones dropped)."""
    if isinstance(value, str):
        return [value] if value.strip() else []
    if isinstance(value, list):
        return [v for v in value if v.strip()]
    return []


def sections(report: Report) -> list[PartFound] | None:
    """The parts found (``x_sections``); None when the reader gave no sections."""
    return report.evidence.sections


def html(report: Report) -> HtmlSignals:
    """A web page's tamper signals (``x_html``; empty lists for other formats)."""
    return report.evidence.html or HtmlSignals()
