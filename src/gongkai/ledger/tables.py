"""Tables 3 and 4 of a year, as a pure function of the applications' states.

* 一 新收: applications received in the year;
* 二 上年结转: received before the year and still open on 1 January;
* 三 outcomes: closed in the year, in the row their answer (or lapse, or
  withdrawal) is counted in, in the edition of that year;
* 四 结转下年度: received by 31 December and still open at its end;
* table 4: every review or suit filed by 31 December and not decided before
  1 January, in its result's column if decided by 31 December, else 尚未审结.

Every cell also keeps the numbers of the applications counted in it
(:class:`Tally`), which is what ``ledger reconcile`` shows. The record is the
report record of ``interchange.md``: ``gongkai template``/``render`` take it
as it is, and no applicant's personal data is in it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gongkai.ledger.model import CASE_PENDING
from gongkai.ledger.state import State
from gongkai.national.editions import TABLE4, edition_for_year
from gongkai.national.model import Edition
from gongkai.write.data import ReportData

T3_NEW = "new"
T3_CARRIED_OVER = "carried_over"
T3_TOTAL = "total"
T3_CARRIED_FORWARD = "carried_forward"
COL_TOTAL = "total"


class NoTables(ValueError):
    """The year has no tables 3 and 4 (before the 2019 format)."""


@dataclass
class Tally:
    """Which applications are counted in which cell of tables 3 and 4."""

    year: int
    edition: Edition
    t3: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    t4: dict[str, dict[str, list[str]]] = field(default_factory=dict)

    def t3_numbers(self, row: str, column: str) -> list[str]:
        """Numbers counted in a cell (the total column and total row included)."""
        cols = self._t3_cols() if column == COL_TOTAL else [column]
        if row == T3_TOTAL:
            rows = [r.key for r in self.edition.table("table3").rows if r.outcome]
        else:
            rows = [row]
        return sorted(n for r in rows for c in cols for n in self.t3.get(r, {}).get(c, []))

    def t4_numbers(self, row: str, column: str) -> list[str]:
        cols = self._t4_cols() if column == COL_TOTAL else [column]
        return sorted(n for c in cols for n in self.t4.get(row, {}).get(c, []))

    def _t3_cols(self) -> list[str]:
        return [c.key for c in self.edition.table("table3").columns if c.key != COL_TOTAL]

    def _t4_cols(self) -> list[str]:
        return [c.key for c in TABLE4.columns if c.key != COL_TOTAL]

    def table3(self) -> dict[str, list[int]]:
        table = self.edition.table("table3")
        cols = self._t3_cols()
        out: dict[str, list[int]] = {}
        for row in table.rows:
            cells = [len(self.t3_numbers(row.key, c)) for c in cols]
            out[row.key] = [*cells, sum(cells)]
        return out

    def table4(self) -> dict[str, list[int]]:
        cols = self._t4_cols()
        out: dict[str, list[int]] = {}
        for row in TABLE4.rows:
            cells = [len(self.t4.get(row.key, {}).get(c, [])) for c in cols]
            out[row.key] = [*cells, sum(cells)]
        return out

    def record(self, agency: str, published: dt.date | None = None) -> dict[str, Any]:
        """The report record (interchange.md §1) holding tables 3 and 4."""
        return {
            "agency": agency,
            "year": self.year,
            "template": self.edition.id,
            "published": published.isoformat() if published else None,
            "table3": self.table3(),
            "table4": self.table4(),
        }


def merge_into(tally: Tally, data_path: str | Path, agency: str | None = None) -> ReportData:
    """The agency's own report data (``data_path``: a workbook from ``gongkai
    template``, or a JSON/YAML record with table 2 and the text) with tables 3
    and 4 replaced by the ledger's. Raises :class:`~gongkai.errors.DataError`
    when the data is of another year or cannot be read."""
    from gongkai.batch.load import load_data
    from gongkai.errors import DataError
    from gongkai.write.data import from_dict

    data = load_data(data_path)
    if data.year and data.year != tally.year:
        raise DataError(f"{data_path}: the data is for {data.year}, the tables for {tally.year}")
    raw = data.to_dict()
    mine = tally.record(agency or data.agency)
    raw.update({k: mine[k] for k in ("year", "template", "table3", "table4")})
    if not raw.get("agency"):
        raw["agency"] = mine["agency"]
    return from_dict(raw, str(data_path))


def edition_with_tables(year: int) -> Edition:
    edition = edition_for_year(year)
    if not edition.has_table("table3"):
        raise NoTables(f"{year}: the tables exist from 2019 on")
    return edition


def tally(states: Iterable[State], year: int) -> Tally:
    """Count ``states`` into tables 3 and 4 of ``year``."""
    edition = edition_with_tables(year)
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    out = Tally(year, edition)
    t3, t4 = out.t3, out.t4
    outcome_keys = {r.key for r in edition.table("table3").rows if r.outcome}

    def put3(row: str, col: str, number: str) -> None:
        t3.setdefault(row, {}).setdefault(col, []).append(number)

    for s in states:
        app = s.application
        col = app.applicant_type
        received = app.received
        if received > last:
            continue
        closed = s.closed_on
        if received >= first:
            put3(T3_NEW, col, app.number)
        elif closed is None or closed >= first:
            put3(T3_CARRIED_OVER, col, app.number)
        if closed is not None and first <= closed <= last:
            if s.outcome not in outcome_keys:  # the state machine validated it against this edition
                raise ValueError(
                    f"{app.number}: outcome {s.outcome!r} is not a row of {edition.id}"
                )
            put3(s.outcome, col, app.number)
        elif closed is None or closed > last:
            put3(T3_CARRIED_FORWARD, col, app.number)
        for kind, track in s.cases.items():
            if track.filed > last or (track.decided is not None and track.decided < first):
                continue
            done = track.decided is not None and track.decided <= last
            column = track.result if done and track.result else CASE_PENDING
            t4.setdefault(kind, {}).setdefault(column, []).append(app.number)
    return out


_NUMBERS = re.compile(r"\[\s*(-?\d+(?:,\s*-?\d+)*)\s*\]")


def record_json(record: dict[str, Any]) -> str:
    """The record as JSON, one table row a line."""
    text = json.dumps(record, ensure_ascii=False, indent=1)
    return _NUMBERS.sub(lambda m: "[" + ", ".join(m[1].replace(",", " ").split()) + "]", text)
