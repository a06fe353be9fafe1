"""The numbers of a synthetic report: tables 2–4 that obey the format's arithmetic.

Every figure of one (agency, year) comes from a random generator seeded by
``(seed, agency id, year, purpose)`` alone, so any report is made without
making the others — and still agrees with last year's: this year's
上年结转 is last year's 结转下年度 (:func:`carried_forward` of the year
before), and 现行有效件数 follows from last year's stock, 本年制发 and
本年废止 (:func:`stock`). Rows and columns come from the national format
data of the edition the year requires.
"""

from __future__ import annotations

import random
from typing import Any

from gongkai.national.editions import TABLE4
from gongkai.national.model import Edition
from gongkai.synth.agencies import Agency, Level

#: how busy a body of each level is (scales applications and decisions)
SCALE: dict[Level, int] = {
    "state_council": 60,
    "province": 40,
    "city": 16,
    "county": 6,
    "township": 1,
}

#: relative weights of table 3's outcome rows (rows absent here weigh 1)
_OUTCOME_WEIGHTS: dict[str, int] = {
    "granted": 50,
    "partially_granted": 10,
    "denied_third_party": 2,
    "denied_process_info": 3,
    "denied_internal_affairs": 2,
    "unavailable_not_held": 18,
    "unavailable_needs_creation": 3,
    "unavailable_unclear": 2,
    "rejected_petition": 4,
    "rejected_duplicate": 3,
    "rejected_confirmation": 1,
    "other": 4,
    "other_no_correction": 2,
    "other_misc": 2,
}
#: applicant columns: 自然人 most, then companies …
_APPLICANT_WEIGHTS = (70, 14, 2, 2, 4, 8)


def rng(seed: int, agency: Agency, year: int, purpose: str) -> random.Random:
    """The generator of one purpose of one report (seeded by a string: stable everywhere)."""
    return random.Random(f"{seed}/{agency.id}/{year}/{purpose}")


def _split(r: random.Random, total: int, weights: tuple[int, ...] | list[int]) -> list[int]:
    """``total`` spread over ``len(weights)`` non-negative parts."""
    out = [0] * len(weights)
    if total <= 0:
        return out
    for i in r.choices(range(len(weights)), weights, k=total):
        out[i] += 1
    return out


def _applications(r: random.Random, agency: Agency) -> int:
    scale = SCALE[agency.level]
    if agency.level == "township" and r.random() < 0.4:
        return 0
    return max(0, int(r.gauss(scale * 3, scale * 1.5)))


def carried_forward(seed: int, agency: Agency, year: int) -> list[int]:
    """结转下年度继续办理 of ``year``, by applicant column (no total)."""
    r = rng(seed, agency, year, "carried-forward")
    if r.random() < 0.45:
        return [0] * 6
    return _split(r, r.randint(1, max(1, SCALE[agency.level] // 2)), _APPLICANT_WEIGHTS)


def _row(parts: list[int]) -> list[int | None]:
    return [*parts, sum(parts)]


def table3(seed: int, agency: Agency, year: int, edition: Edition) -> dict[str, list[int | None]]:
    """Table 3 obeying A1–A3, carrying over last year's 结转下年度."""
    r = rng(seed, agency, year, "table3")
    carried = carried_forward(seed, agency, year - 1)
    forward = carried_forward(seed, agency, year)
    new = _split(r, _applications(r, agency), _APPLICANT_WEIGHTS)
    new = [max(n, f - c) for n, c, f in zip(new, carried, forward, strict=True)]
    done = [n + c - f for n, c, f in zip(new, carried, forward, strict=True)]
    table = edition.table("table3")
    outcome_keys = [row.key for row in table.rows if row.outcome]
    weights = [_OUTCOME_WEIGHTS.get(k, 1) for k in outcome_keys]
    columns = [_split(r, d, weights) for d in done]  # per applicant column, per outcome row
    out: dict[str, list[int | None]] = {"new": _row(new), "carried_over": _row(carried)}
    for i, key in enumerate(outcome_keys):
        out[key] = _row([columns[c][i] for c in range(6)])
    out["total"] = _row(done)
    out["carried_forward"] = _row(forward)
    return {row.key: out[row.key] for row in table.rows}


def table4(seed: int, agency: Agency, year: int) -> dict[str, list[int | None]]:
    r = rng(seed, agency, year, "table4")
    out: dict[str, list[int | None]] = {}
    for row in TABLE4.rows:
        n = 0 if r.random() < 0.6 else r.randint(1, max(1, SCALE[agency.level] // 4))
        out[row.key] = _row(_split(r, n, (55, 15, 15, 15)))
    return out


def stock(seed: int, agency: Agency, year: int, row: str) -> int:
    """现行有效件数 of ``row`` (rules, normative documents) at the end of ``year``."""
    r = rng(seed, agency, year, f"stock-{row}")
    if row == "rules" and agency.level not in ("province", "city", "state_council"):
        return 0
    base = r.randint(0, 4) * SCALE[agency.level] // 2 + r.randint(0, 6)
    return base + 2 * (year - 2015)


def _money(r: random.Random, zero_share: float = 0.6) -> str:
    if r.random() < zero_share:
        return "0"
    return f"{r.randint(1, 9999) / 100:.2f}".rstrip("0").rstrip(".")


def table2(seed: int, agency: Agency, year: int, edition: Edition) -> dict[str, dict[str, Any]]:
    """Table 2 of ``edition``: stocks that follow from last year, decisions by level."""
    r = rng(seed, agency, year, "table2")
    scale = SCALE[agency.level]
    out: dict[str, dict[str, Any]] = {}
    for row in edition.table("table2").rows:
        keys = [c.key for c in edition.table("table2").row_columns(row.key)]
        cells: dict[str, Any] = {}
        if keys in (["issued", "repealed", "in_force"], ["made", "published", "total"]):
            now, before = stock(seed, agency, year, row.key), stock(seed, agency, year - 1, row.key)
            repealed = max(r.randint(0, 2), before - now)
            issued = now - before + repealed
            if keys[0] == "issued":
                cells = {"issued": issued, "repealed": repealed, "in_force": now}
            else:
                cells = {"made": issued, "published": issued, "total": now}
        else:
            for key in keys:
                if key == "decisions":
                    cells[key] = max(0, int(r.gauss(scale * 40, scale * 20)))
                elif key in ("prev_items", "items"):
                    cells[key] = r.randint(0, 3 * scale)
                elif key == "change":
                    cells[key] = r.randint(-3, 3)
                elif key == "amount":
                    cells[key] = _money(r)
                else:  # a column this generator does not know: a small count
                    cells[key] = r.randint(0, scale)
            if "prev_items" in cells and "change" in cells:
                cells["change"] = max(cells["change"], -cells["prev_items"])
        out[row.key] = cells
    return out
