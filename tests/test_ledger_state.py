"""The allowed moves: impossible events are refused; state and deadline follow the events."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai.ledger import fees
from gongkai.ledger.calendar import WorkCalendar
from gongkai.ledger.model import LAPSE_ROWS, Application, Event, outcome_rows
from gongkai.ledger.state import (
    AWAIT_CORRECTION,
    AWAIT_FEE,
    CLOSED,
    MOVES,
    OPEN,
    THIRD_PARTY,
    Refused,
    replay,
)
from gongkai.national.editions import EDITION_2019, EDITION_2021, EDITIONS

D = dt.date
CAL = WorkCalendar.default()
APP = Application("2024-0001", D(2024, 9, 20), "in_person", "natural_person", "张三", "138")


def refused(events: list[Event], code: str, app: Application = APP) -> Refused:
    with pytest.raises(Refused) as err:
        replay(app, events)
    assert err.value.code == code, err.value.message("en")
    assert app.number in err.value.message("zh")
    return err.value


def test_answer_before_receipt_is_refused() -> None:
    e = refused([Event("answered", D(2024, 9, 1), outcome="granted")], "before_receipt")
    assert "早于收到申请之日 2024-09-20" in e.message("zh")


def test_second_extension_is_refused() -> None:
    ext = Event("extended", D(2024, 10, 10), reason="档案量大")
    e = refused([ext, Event("extended", D(2024, 10, 20), reason="again")], "second_extension")
    assert "只能延长一次" in e.message("zh") and "once only" in e.message("en")


def test_extension_needs_a_reason() -> None:
    refused([Event("extended", D(2024, 10, 10))], "no_reason")


def test_outcome_must_be_a_row_of_the_edition_in_force() -> None:
    e = refused([Event("answered", D(2024, 10, 8), outcome="approved")], "bad_outcome")
    assert "2021" in e.message("zh") and "granted" in e.message("zh")
    refused([Event("answered", D(2024, 10, 8))], "no_outcome")
    # 2019 edition's single 其他处理 row is no row of 2021, and the reverse
    refused([Event("answered", D(2024, 10, 8), outcome="other")], "bad_outcome")
    app2020 = Application("2020-1", D(2020, 3, 2), "online", "commercial")
    refused([Event("answered", D(2020, 3, 9), outcome="other_misc")], "bad_outcome", app2020)
    st = replay(app2020, [Event("answered", D(2020, 3, 9), outcome="other")])
    assert st.outcome == "other" and st.status == CLOSED


def test_events_are_appended_in_order_and_not_in_the_future() -> None:
    refused(
        [
            Event("extended", D(2024, 10, 10), reason="r"),
            Event("answered", D(2024, 10, 9), outcome="granted"),
        ],
        "out_of_order",
    )
    with pytest.raises(Refused) as err:
        replay(APP, [Event("answered", D(2024, 10, 9), outcome="granted")], today=D(2024, 10, 1))
    assert err.value.code == "future"


def test_nothing_happens_after_closing_but_reviews() -> None:
    done = Event("answered", D(2024, 10, 9), outcome="granted")
    refused([done, Event("answered", D(2024, 10, 10), outcome="granted")], "not_allowed")
    refused([done, Event("extended", D(2024, 10, 10), reason="r")], "not_allowed")
    refused([done, Event("withdrawn", D(2024, 10, 10))], "not_allowed")
    st = replay(
        APP,
        [
            done,
            Event("case_filed", D(2024, 11, 1), case="review"),
            Event("case_decided", D(2024, 12, 20), case="review", result="upheld"),
            Event("case_filed", D(2025, 1, 5), case="litigation_after_review"),
        ],
    )
    assert st.case_row(D(2024, 12, 31)) == {"review": "upheld"}
    assert st.case_row(D(2025, 12, 31)) == {
        "review": "upheld",
        "litigation_after_review": "pending",
    }


def test_case_rules() -> None:
    filed = Event("case_filed", D(2024, 11, 1), case="review")
    refused([Event("case_filed", D(2024, 11, 1), case="appeal")], "bad_case")
    refused([filed, Event("case_filed", D(2024, 11, 2), case="review")], "case_twice")
    refused(
        [Event("case_filed", D(2024, 11, 1), case="litigation_after_review")], "case_after_review"
    )
    refused([filed, Event("case_filed", D(2024, 11, 2), case="litigation_direct")], "case_direct")
    refused(
        [Event("case_decided", D(2024, 11, 1), case="review", result="upheld")], "case_not_filed"
    )
    refused(
        [filed, Event("case_decided", D(2024, 11, 2), case="review", result="won")], "bad_result"
    )
    decided = Event("case_decided", D(2024, 11, 2), case="review", result="corrected")
    refused(
        [filed, decided, Event("case_decided", D(2024, 11, 3), case="review", result="upheld")],
        "case_decided_twice",
    )


def test_correction_flow_restarts_and_lapses() -> None:
    asked = Event("correction_requested", D(2024, 9, 23))
    st = replay(APP, [asked])
    assert st.status == AWAIT_CORRECTION and st.deadline(CAL) is None
    refused([asked, Event("answered", D(2024, 9, 30), outcome="granted")], "not_allowed")
    refused(
        [
            asked,
            Event("correction_received", D(2024, 11, 4)),
            Event("correction_requested", D(2024, 11, 5)),
        ],
        "second_correction",
    )
    st = replay(APP, [asked, Event("correction_received", D(2024, 11, 4))])
    d = st.deadline(CAL)
    assert st.status == OPEN and d is not None and d.due == D(2024, 12, 2)
    st = replay(APP, [asked, Event("correction_lapsed", D(2024, 10, 30))])
    assert st.status == CLOSED and st.outcome == "other_no_correction" and st.deadline(CAL) is None


def test_fee_flow_pauses_and_lapses() -> None:
    app = Application("2024-0002", D(2024, 11, 4), "online", "research")
    notice = Event(
        "fee_noticed", D(2024, 11, 8), fee={"method": "per_volume", "quantity": 50, "yuan": 200}
    )
    st = replay(app, [notice])
    assert st.status == AWAIT_FEE and st.paused
    assert st.deadline(CAL).due is None  # type: ignore[union-attr]
    st = replay(app, [notice, Event("fee_paid", D(2024, 11, 15))])
    assert st.deadline(CAL).due == D(2024, 12, 9)  # type: ignore[union-attr]
    st = replay(app, [notice, Event("fee_lapsed", D(2024, 12, 10))])
    assert st.outcome == "other_unpaid_fee" and st.closed_on == D(2024, 12, 10)
    other_method = Event("fee_noticed", D(2024, 11, 20), fee={"method": "per_application"})
    refused([notice, Event("fee_paid", D(2024, 11, 15)), other_method], "fee_method", app)
    refused([notice, Event("answered", D(2024, 11, 9), outcome="granted")], "not_allowed", app)


def test_consultations_pause_and_answer_while_waiting_is_allowed() -> None:
    asked = Event("third_party_consulted", D(2024, 9, 23))
    st = replay(APP, [asked])
    assert st.status == THIRD_PARTY
    st = replay(APP, [asked, Event("third_party_answered", D(2024, 10, 14))])
    assert st.deadline(CAL).due == D(2024, 11, 8)  # type: ignore[union-attr]
    st = replay(APP, [asked, Event("answered", D(2024, 10, 20), outcome="denied_third_party")])
    assert st.status == CLOSED and st.pauses[-1].end == D(2024, 10, 20)
    refused([asked, Event("agency_consulted", D(2024, 9, 24))], "not_allowed")


def test_withdrawal_counts_in_the_other_row_of_its_edition() -> None:
    st = replay(APP, [Event("withdrawn", D(2024, 9, 25))])
    assert st.outcome == "other_misc"
    app = Application("2020-9", D(2020, 5, 6), "fax", "other")
    assert replay(app, [Event("withdrawn", D(2020, 5, 7))]).outcome == "other"


def test_the_moves_table_names_every_kind_and_lapse_rows_exist() -> None:
    assert all(isinstance(v[0], frozenset) for v in MOVES.values())
    for edition_id, rows in LAPSE_ROWS.items():
        keys = outcome_rows(EDITIONS[edition_id])
        assert set(rows.values()) <= set(keys)
    assert "other" in outcome_rows(EDITION_2019) and "other" not in outcome_rows(EDITION_2021)


def test_unknown_kind_is_refused() -> None:
    with pytest.raises(Refused) as err:
        replay(APP, [Event("teleported", D(2024, 9, 21))])
    assert err.value.code == "unknown_kind"


# ------------------------------------------------------------------ fees


@pytest.mark.parametrize(
    ("count", "yuan"),
    [
        (0, 0),
        (1, 0),
        (10, 0),
        (11, 100),
        (30, 2000),
        (31, 2200),
        (40, 4000),
        (41, 4300),
        (50, 7000),
        (51, 7400),
    ],
)
def test_fee_per_application(count: int, yuan: int) -> None:
    # 11–30 at 100; 31–40 at 200; 41–50 at 300; 51– at 400
    assert fees.per_application(count).yuan == yuan


@pytest.mark.parametrize(
    ("pages", "yuan"),
    [(0, 0), (30, 0), (31, 10), (100, 700), (101, 720), (200, 2700), (201, 2740), (250, 4700)],
)
def test_fee_per_volume(pages: int, yuan: int) -> None:
    # 31–100 at 10 (700), 101–200 at 20 (2000), 201– at 40
    assert fees.per_volume(pages).yuan == yuan


def test_fee_bands_are_shown_and_marginal_price_of_the_nth() -> None:
    fee = fees.per_application(45)
    assert [(b.first, b.last, b.price, b.count) for b in fee.bands] == [
        (1, 10, 0, 10), (11, 30, 100, 20), (31, 40, 200, 10), (41, 45, 300, 5),
    ]  # fmt: skip
    assert fees.per_application(1, already=30).yuan == 200  # the 31st of the month
    assert fees.per_application(1, already=9).yuan == 0
    d = fees.per_volume(120).to_dict("zh")
    assert d["fee"] == 1100 and d["explanation"][-1] == "合计 1100 元"
    with pytest.raises(fees.FeeError):
        fees.per_volume(-1)
