"""Tables 3 and 4 from the ledger: counted by hand on a small ledger, and for random
event histories always consistent (every 勾稽关系 the checker knows), also after
being rendered to a report and read back."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.checks import check
from gongkai.ledger.model import (
    APPLICANT_TYPES,
    CASE_KINDS,
    CASE_RESULTS,
    CHANNELS,
    EVENT_KINDS,
    Application,
    Event,
    edition_of,
    outcome_rows,
)
from gongkai.ledger.state import MOVES, Refused, State, apply, replay
from gongkai.ledger.tables import NoTables, tally
from gongkai.record import Report
from gongkai.write.data import from_dict

D = dt.date


def random_history(rng: random.Random, number: str, first: dt.date, span_days: int) -> State:
    """A random legal history: a random walk over the allowed moves."""
    received = first + dt.timedelta(days=rng.randrange(span_days))
    app = Application(
        number, received, rng.choice(list(CHANNELS)), rng.choice(APPLICANT_TYPES), "某", "1"
    )
    state = State(app)
    day = received
    for _ in range(rng.randrange(0, 9)):
        day = day + dt.timedelta(days=rng.choice((0, 1, 3, 10, 40, 200)))
        kinds = [k for k, (allowed, _) in MOVES.items() if state.status in allowed]
        kind = rng.choice(kinds)
        kw: dict[str, Any] = {}
        if kind == "answered":
            kw["outcome"] = rng.choice(outcome_rows(edition_of(day)))
        elif kind == "extended":
            kw["reason"] = "需要更多时间"
        elif kind == "fee_noticed":
            kw["fee"] = {"method": "per_volume", "quantity": 40, "yuan": 100}
        elif kind == "case_filed":
            kw["case"] = rng.choice(CASE_KINDS)
        elif kind == "case_decided":
            kw["case"] = rng.choice(list(state.cases) or ["review"])
            kw["result"] = rng.choice(CASE_RESULTS)
        try:
            apply(state, Event(kind, day, **kw))
        except Refused:
            continue  # an impossible move (a second extension…) is simply not taken
    return state


def random_ledger(seed: int, n: int) -> list[State]:
    rng = random.Random(seed)
    return [random_history(rng, f"A{i:04d}", D(2021, 6, 1), 1200) for i in range(n)]


def assert_balanced(record: dict[str, Any]) -> None:
    t3 = record["table3"]
    outcome = [k for k in t3 if k not in ("new", "carried_over", "total", "carried_forward")]
    for c in range(7):
        assert t3["new"][c] + t3["carried_over"][c] == t3["total"][c] + t3["carried_forward"][c]
        assert t3["total"][c] == sum(t3[k][c] for k in outcome)
    for cells in t3.values():
        assert cells[6] == sum(cells[:6]) and min(cells) >= 0
    for cells in record["table4"].values():
        assert cells[4] == sum(cells[:4])


def errors_of(report: Report) -> list[str]:
    return [f"{f.rule}: {f.message}" for f in check(report).findings if f.severity == "error"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10**9), n=st.integers(0, 40), year=st.integers(2021, 2024))
def test_random_histories_give_balanced_tables(seed: int, n: int, year: int) -> None:
    states = random_ledger(seed, n)
    record = tally(states, year).record("青山区测试局")
    assert_balanced(record)
    data = from_dict(record)
    assert errors_of(data.report) == []


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10**9), year=st.integers(2022, 2024))
def test_a_report_rendered_from_the_ledger_checks_clean(seed: int, year: int) -> None:
    from gongkai.reading import read
    from gongkai.write.render import render_bytes

    t = tally(random_ledger(seed, 30), year)
    data = from_dict({**t.record("青山区测试局"), "published": f"{year + 1}-01-20"})
    html = render_bytes(data, "html")
    back = read(html, "html", name="ledger.html")
    assert errors_of(back) == []
    assert back.t3() == t.table3()
    assert back.t4() == t.table4()


def test_carry_over_links_consecutive_years() -> None:
    states = random_ledger(7, 200)
    for year in (2022, 2023, 2024):
        this, last = tally(states, year).table3(), tally(states, year - 1).table3()
        assert this["carried_over"] == last["carried_forward"]


def app(n: str, received: dt.date, kind: str = "natural_person") -> Application:
    return Application(n, received, "in_person", kind)


def test_counted_by_hand() -> None:
    states = [
        # received 2023, answered 2024: carried over into 2024, outcome in 2024
        replay(app("a", D(2023, 12, 20)), [Event("answered", D(2024, 1, 10), outcome="granted")]),
        # received and answered in 2024
        replay(
            app("b", D(2024, 3, 4), "commercial"),
            [Event("answered", D(2024, 3, 20), outcome="unavailable_not_held")],
        ),
        # received 2024, still open at the end of it
        replay(app("c", D(2024, 12, 30), "legal_services"), []),
        # answered 2023: not in 2024 at all, but its review decided in 2024 is
        replay(
            app("d", D(2023, 5, 5)),
            [
                Event("answered", D(2023, 5, 20), outcome="partially_granted"),
                Event("case_filed", D(2023, 7, 1), case="review"),
                Event("case_decided", D(2024, 2, 1), case="review", result="corrected"),
            ],
        ),
        # a suit filed in 2024, undecided
        replay(
            app("e", D(2024, 1, 8), "research"),
            [
                Event("withdrawn", D(2024, 1, 9)),
                Event("case_filed", D(2024, 6, 1), case="litigation_direct"),
            ],
        ),
        # received 2025: not in 2024
        replay(app("f", D(2025, 1, 2)), []),
    ]
    t = tally(states, 2024)
    t3 = t.table3()
    assert t3["new"] == [0, 1, 1, 0, 1, 0, 3]
    assert t3["carried_over"] == [1, 0, 0, 0, 0, 0, 1]
    assert t3["granted"] == [1, 0, 0, 0, 0, 0, 1]
    assert t3["unavailable_not_held"] == [0, 1, 0, 0, 0, 0, 1]
    assert t3["other_misc"] == [0, 0, 1, 0, 0, 0, 1]
    assert t3["total"] == [1, 1, 1, 0, 0, 0, 3]
    assert t3["carried_forward"] == [0, 0, 0, 0, 1, 0, 1]
    t4 = t.table4()
    assert t4["review"] == [0, 1, 0, 0, 1]
    assert t4["litigation_direct"] == [0, 0, 0, 1, 1]
    assert t4["litigation_after_review"] == [0, 0, 0, 0, 0]
    assert t.t3_numbers("total", "total") == ["a", "b", "e"]
    assert t.t4_numbers("review", "corrected") == ["d"]
    record = t.record("青山区测试局")
    assert record["template"] == "2021" and record["year"] == 2024
    assert "某" not in str(record)  # no personal data in aggregates
    t2023 = tally(states, 2023).table4()
    assert t2023["review"] == [0, 0, 0, 1, 1]


def test_2020_uses_the_2019_edition() -> None:
    states = [replay(app("x", D(2020, 4, 1)), [Event("withdrawn", D(2020, 4, 2))])]
    t = tally(states, 2020)
    assert t.edition.id == "2019"
    assert t.table3()["other"] == [1, 0, 0, 0, 0, 0, 1]
    assert "other_misc" not in t.table3()


def test_no_tables_before_2019() -> None:
    with pytest.raises(NoTables):
        tally([], 2018)


def test_every_event_kind_is_reached_by_the_random_walk() -> None:
    seen = set()
    rng = random.Random(3)
    for i in range(400):
        s = random_history(rng, str(i), D(2022, 1, 1), 600)
        seen.add(s.closing)
        seen.update(s.cases)
    assert {"answered", "withdrawn", "correction_lapsed", "fee_lapsed"} <= seen
    assert set(CASE_KINDS) <= seen
    assert set(EVENT_KINDS) == set(MOVES)
