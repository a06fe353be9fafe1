"""Known slips injected into synthetic reports, each with its ground truth.

A slip changes the record (or the agency's text, or what is printed) the
way agencies get reports wrong, and says which rule of the checker must
fire and where (:class:`Slip`). Slips are built so that exactly the named
findings follow — an arithmetic slip breaks one relation, not three; a
carry-over break keeps the table's own sums right; nothing spills into the
next year's report — so a test can ask for the findings to be exactly the
ground truth (clean reports: none at all).

======================  =====================  ==================================
kind                    rule                   what is changed
======================  =====================  ==================================
``row-total``           t3-row-total (+ A3)    an outcome row's 总计
``balance``             t3-balance             a 新收 cell and its row total
``results-total``       t3-results-total       an outcome cell and its row total
``t4-total``            t4-total               a table-4 group's 总计
``negative``            negative-value         a count moved below zero
``carry-over``          carry-over             上年结转 ≠ last year's 结转下年度
``stock-flow``          stock-flow             本年制发 off by a few
``missing-part``        missing-section        part 一 or 五 left out
``wrong-year``          year-mismatch          the period stated names the year before
``late``                late-publication       signed after the deadline
``reused-prose``        text-reuse             last year's text printed again
``other-agency``        agency-mismatch        signed by another body
``fee-silent``          fee-not-reported       fees noticed, part 六 silent
``prose-figure``        text-table-mismatch    part 三 states a wrong count
``spam``                tampered-content       a gambling advert in part 六
``old-edition``         edition-mismatch       a 2021+ report in the 2019 format
======================  =====================  ==================================
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from gongkai.national.model import Edition

T3_TOTAL = 6


@dataclass(frozen=True)
class Slip:
    """One injected slip: its kind and the findings it must cause.

    ``hits`` are ``(rule, where)`` pairs; a finding matches when its rule
    is the same and its ``where`` holds every key given. ``fields`` name the
    record fields the printed report no longer states as the record has
    them (so a read-back comparison leaves them out).
    """

    kind: str
    hits: tuple[tuple[str, tuple[tuple[str, Any], ...]], ...]
    needs_previous: bool = False
    fields: tuple[str, ...] = ()

    @property
    def rules(self) -> tuple[str, ...]:
        return tuple(sorted({r for r, _ in self.hits}))

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "rules": list(self.rules),
            "hits": [{"rule": r, "where": dict(w)} for r, w in self.hits],
            "needs_previous": self.needs_previous,
            "fields": list(self.fields),
        }


@dataclass
class Draft:
    """A report being made: the record, the narrative, and what the slip may use."""

    record: dict[str, Any]
    narrative: dict[str, Any]
    edition: Edition
    r: random.Random
    previous_parts: dict[int, str] | None = None
    other_agency: str | None = None
    deadline: dt.date | None = None
    drop_part: int | None = None
    period_year: int | None = None


def _h(rule: str, **where: Any) -> tuple[str, tuple[tuple[str, Any], ...]]:
    return rule, tuple(sorted(where.items()))


def _outcomes(d: Draft) -> list[str]:
    return [r.key for r in d.edition.table("table3").rows if r.outcome]


def _t3(d: Draft) -> dict[str, list[Any]]:
    t3: dict[str, list[Any]] = d.record["table3"]
    return t3


def row_total(d: Draft) -> Slip:
    key = d.r.choice(_outcomes(d))
    _t3(d)[key][T3_TOTAL] += d.r.randint(1, 5)
    return Slip(
        "row-total",
        (
            _h("t3-row-total", table="table3", row=key),
            _h("t3-results-total", table="table3", column=T3_TOTAL),
        ),
    )


def _bump(d: Draft, key: str, c: int, delta: int) -> None:
    """Add ``delta`` to table 3's cell (key, c) and to its row total (the row still adds up)."""
    row = _t3(d)[key]
    row[c] += delta
    row[T3_TOTAL] += delta


def _column_slip(d: Draft, kind: str, rule: str, key: str) -> Slip:
    """``key``'s cell in a random column up by 1–5, its row total too: ``rule`` fires twice."""
    c = d.r.randrange(6)
    _bump(d, key, c, d.r.randint(1, 5))
    hits = tuple(_h(rule, table="table3", column=col) for col in (c, T3_TOTAL))
    return Slip(kind, hits)


def balance(d: Draft) -> Slip:
    return _column_slip(d, "balance", "t3-balance", "new")


def results_total(d: Draft) -> Slip:
    return _column_slip(d, "results-total", "t3-results-total", d.r.choice(_outcomes(d)))


def t4_total(d: Draft) -> Slip:
    t4 = d.record["table4"]
    key = d.r.choice(sorted(t4))
    t4[key][4] += d.r.randint(1, 3)
    return Slip("t4-total", (_h("t4-total", table="table4", row=key),))


def negative(d: Draft) -> Slip:
    """A count below zero; the sums still hold (another row takes the difference)."""
    t3 = _t3(d)
    low, high = d.r.sample(_outcomes(d), 2)
    c = d.r.randrange(6)
    k = t3[low][c] + 1
    _bump(d, low, c, -k)
    _bump(d, high, c, k)
    hits = [
        _h("negative-value", table="table3", row=key, column=col)
        for key in (low,)
        for col in (c, T3_TOTAL)
        if t3[key][col] < 0
    ]
    return Slip("negative", tuple(hits))


def carry_over(d: Draft) -> Slip | None:
    t3 = _t3(d)
    cols = [c for c in range(6) if t3["new"][c] >= 1]
    if not cols:
        return None
    c = d.r.choice(cols)
    delta = d.r.randint(1, t3["new"][c])
    _bump(d, "carried_over", c, delta)
    _bump(d, "new", c, -delta)
    return Slip(
        "carry-over",
        (
            _h("carry-over", table="table3", row="carried_over", column=c),
            _h("carry-over", table="table3", row="carried_over", column=T3_TOTAL),
        ),
        needs_previous=True,
    )


def stock_flow(d: Draft) -> Slip | None:
    t2 = d.record["table2"]
    cells = t2.get("normative_documents", {})
    if "issued" not in cells or d.record["year"] - 1 < 2021:  # last year's had no stock
        return None
    cells["issued"] += d.r.randint(1, 4)
    return Slip(
        "stock-flow",
        (_h("stock-flow", table="table2", row="normative_documents", column="in_force"),),
        needs_previous=True,
    )


def missing_part(d: Draft) -> Slip:
    d.drop_part = d.r.choice((1, 5))
    return Slip("missing-part", (_h("missing-section", section=d.drop_part),))


def wrong_year(d: Draft) -> Slip:
    """The statistics period names the year before (the title stays right)."""
    d.period_year = d.record["year"] - 1
    return Slip("wrong-year", (_h("year-mismatch", section="period"),))


def late(d: Draft) -> Slip | None:
    if d.deadline is None:
        return None
    d.record["published"] = (d.deadline + dt.timedelta(days=d.r.randint(1, 90))).isoformat()
    return Slip("late", (_h("late-publication"),))


def reused_prose(d: Draft) -> Slip | None:
    if d.previous_parts is None:
        return None
    d.narrative["parts"] = dict(d.previous_parts)
    return Slip("reused-prose", (_h("text-reuse"),), needs_previous=True)


def other_agency(d: Draft) -> Slip | None:
    if d.other_agency is None:
        return None
    d.narrative["signature"] = d.other_agency
    return Slip("other-agency", (_h("agency-mismatch"),), fields=("agency",))


def fee_silent(d: Draft) -> Slip | None:
    t3 = _t3(d)
    if "other_unpaid_fee" not in t3:
        return None
    donors = [(k, c) for k in _outcomes(d) for c in range(6) if t3[k][c] > 0]
    if not donors:
        return None
    if t3["other_unpaid_fee"][T3_TOTAL] == 0:
        key, c = d.r.choice(donors)
        _bump(d, key, c, -1)
        _bump(d, "other_unpaid_fee", c, 1)
    parts = d.narrative["parts"]
    parts[6] = "本机关无其他需要报告的事项。"
    return Slip("fee-silent", (_h("fee-not-reported", section=6),))


def prose_figure(d: Draft) -> Slip:
    t3 = _t3(d)
    wrong = t3["new"][T3_TOTAL] + t3["carried_over"][T3_TOTAL] + d.r.randint(1, 9)
    parts = d.narrative["parts"]
    parts[3] = f"{parts.get(3, '')}\n本年度共受理政府信息公开申请{wrong}件。".strip()
    return Slip("prose-figure", (_h("text-table-mismatch", section=3),))


def spam(d: Draft) -> Slip:
    parts = d.narrative["parts"]
    advert = d.r.choice(("真人娱乐城注册送彩金，首存即送。", "足球投注网即时比分直播。"))
    parts[6] = f"{parts.get(6, '')}\n{advert}".strip()
    return Slip("spam", (_h("tampered-content"),))


def old_edition(d: Draft) -> Slip | None:
    """The tables were already made in the 2019 format (see :data:`BEFORE_TABLES`)."""
    if d.record["year"] < 2021 or d.record["template"] != "2019":
        return None
    return Slip("old-edition", (_h("edition-mismatch"),))


SlipFunc = Callable[[Draft], "Slip | None"]

#: every slip kind and the function that injects it
SLIPS: dict[str, SlipFunc] = {
    "row-total": row_total,
    "balance": balance,
    "results-total": results_total,
    "t4-total": t4_total,
    "negative": negative,
    "carry-over": carry_over,
    "stock-flow": stock_flow,
    "missing-part": missing_part,
    "wrong-year": wrong_year,
    "late": late,
    "reused-prose": reused_prose,
    "other-agency": other_agency,
    "fee-silent": fee_silent,
    "prose-figure": prose_figure,
    "spam": spam,
    "old-edition": old_edition,
}
#: kinds that compare with last year's report (need it in the corpus)
ACROSS_YEARS: frozenset[str] = frozenset({"carry-over", "stock-flow", "reused-prose"})
#: kinds decided before the tables are made (they change the edition)
BEFORE_TABLES: frozenset[str] = frozenset({"old-edition"})
