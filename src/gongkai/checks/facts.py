"""What the rules read from a record, read defensively.

The public keys of a record are typed by :class:`~gongkai.record.Report`;
the parser's own ``x_`` keys are plain JSON whose shape a rule must not
trust. Every accessor here returns ``None`` (or an empty value) when a key
is absent or of an unexpected shape, so a rule can stay silent instead of
guessing. Labels come from :mod:`gongkai.national`, never spelled out here.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

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
TABLE_NAMES: dict[str, tuple[str, str]] = {
    "table2": ("表二", "table 2"),
    "table3": ("表三", "table 3"),
    "table4": ("表四", "table 4"),
}

_YEAR = re.compile(r"(19[89]\d|20\d\d)")


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
    for u in dict_items(report.extra("x_unsure")):
        if isinstance(u.get("table"), str) and isinstance(u.get("row"), str):
            out.setdefault((u["table"], u["row"]), []).append(u.get("column"))
    return out


def flagged_rows(report: Report, *codes: str) -> set[tuple[str, str]]:
    """(table, row) pairs the parser warned about with one of ``codes``
    (``short-row``: fewer values than cells; ``long-row``: more)."""
    out: set[tuple[str, str]] = set()
    for w in dict_items(report.extra("x_warnings")):
        if w.get("code") in codes and isinstance(w.get("row"), str):
            out.add((str(w.get("table", "")), w["row"]))
    return out


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


# ------------------------------------------------------------------ x_ keys


def dict_items(value: Any) -> list[dict[str, Any]]:
    """The dict items of a list (anything else dropped)."""
    if not isinstance(value, list):
        return []
    return [v for v in value if isinstance(v, dict)]


def xdict(report: Report, key: str) -> dict[str, Any]:
    v = report.extra(key)
    return v if isinstance(v, dict) else {}


def text(report: Report) -> str | None:
    """All the text of the report (``x_text``); None when the parser gave none."""
    v = report.extra("x_text")
    return v if isinstance(v, str) and v.strip() else None


def strings(value: Any) -> list[str]:
    """A string or a list of strings as a list (anything else dropped)."""
    if isinstance(value, str):
        return [value] if value.strip() else []
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str) and v.strip()]
    return []


def as_year(value: Any) -> int | None:
    """A year from an int or the first year written in a string."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 1980 <= value <= 2100 else None
    if isinstance(value, str):
        m = _YEAR.search(value)
        return int(m.group(1)) if m else None
    if isinstance(value, dict):
        for k in ("year", "value"):
            if k in value:
                return as_year(value[k])
    return None


def as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, dict):
        return as_date(value.get("date") or value.get("value"))
    if isinstance(value, str):
        m = re.search(r"(\d{4})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})", value)
        if m:
            try:
                return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                return None
    return None


def as_line(value: Any) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    if isinstance(value, dict):
        return as_line(value.get("line"))
    return None


def as_page(value: Any) -> int | None:
    if isinstance(value, dict):
        return as_line(value.get("page"))
    return None


@dataclass(frozen=True)
class Section:
    """One of the six parts as the parser found it."""

    part: int
    title: str
    text: str
    line: int | None
    page: int | None


def sections(report: Report) -> list[Section] | None:
    """The parts found (``x_sections``); None when the parser gave no sections."""
    raw = report.extra("x_sections")
    if not isinstance(raw, list):
        return None
    out: list[Section] = []
    for s in dict_items(raw):
        part = s.get("part")
        if isinstance(part, bool) or not isinstance(part, int):
            continue
        title = s.get("title")
        body = s.get("text")
        where = s.get("where")
        out.append(
            Section(
                part,
                title if isinstance(title, str) else "",
                body if isinstance(body, str) else "",
                as_line(where),
                as_page(where),
            )
        )
    return out


def html(report: Report) -> dict[str, list[Any]]:
    """``x_html`` signal lists (scripts, links, emails, hidden_text, …)."""
    raw = xdict(report, "x_html")
    return {k: v for k, v in raw.items() if isinstance(v, list)}


def item_text(item: Any, *keys: str) -> str:
    """The first string found under ``keys`` of a dict item (or the item itself)."""
    if isinstance(item, str):
        return item
    if isinstance(item, dict):
        for k in keys:
            v = item.get(k)
            if isinstance(v, str):
                return v
    return ""


def in_content(item: Any) -> bool:
    return isinstance(item, dict) and item.get("in_content") is True
