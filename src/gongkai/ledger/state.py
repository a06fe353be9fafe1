"""An application's state and deadline, derived from its events.

:data:`MOVES` is the one table of allowed moves: for each kind of event, the
states it may happen in and the state it leads to. :func:`replay` folds the
events over it; an impossible event (an answer before receipt, a second
extension, an outcome that is not a row of the edition, an answer while the
applicant has not corrected the application…) raises :class:`Refused` with a
message naming the application, the event and why.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from gongkai.errors import GongkaiError
from gongkai.i18n import Lang, pick
from gongkai.ledger import clock
from gongkai.ledger.calendar import WorkCalendar
from gongkai.ledger.model import (
    CASE_AFTER_REVIEW,
    CASE_DIRECT,
    CASE_KINDS,
    CASE_RESULTS,
    CASE_REVIEW,
    EVENT_KINDS,
    LAPSE_ROWS,
    Application,
    Event,
    edition_of,
    outcome_rows,
)

OPEN = "open"
AWAIT_CORRECTION = "awaiting_correction"
THIRD_PARTY = "third_party"
OTHER_AGENCY = "other_agency"
AWAIT_FEE = "awaiting_fee"
CLOSED = "closed"

STATES: dict[str, tuple[str, str]] = {
    OPEN: ("办理中", "open"),
    AWAIT_CORRECTION: ("等待补正", "awaiting correction"),
    THIRD_PARTY: ("征求第三方意见中（暂停计时）", "third party consulted (clock paused)"),
    OTHER_AGENCY: ("征求其他机关意见中（暂停计时）", "other agency consulted (clock paused)"),
    AWAIT_FEE: ("等待缴费（暂停计时）", "fee awaited (clock paused)"),
    CLOSED: ("已办结", "closed"),
}

_RUNNING = frozenset({OPEN, THIRD_PARTY, OTHER_AGENCY, AWAIT_FEE})
_NOT_CLOSED = frozenset({*_RUNNING, AWAIT_CORRECTION})
_ANY = frozenset({*_NOT_CLOSED, CLOSED})

#: kind of event → (states it may happen in, state after it; None = unchanged)
MOVES: dict[str, tuple[frozenset[str], str | None]] = {
    "correction_requested": (frozenset({OPEN}), AWAIT_CORRECTION),
    "correction_received": (frozenset({AWAIT_CORRECTION}), OPEN),
    "correction_lapsed": (frozenset({AWAIT_CORRECTION}), CLOSED),
    "third_party_consulted": (frozenset({OPEN}), THIRD_PARTY),
    "third_party_answered": (frozenset({THIRD_PARTY}), OPEN),
    "agency_consulted": (frozenset({OPEN}), OTHER_AGENCY),
    "agency_answered": (frozenset({OTHER_AGENCY}), OPEN),
    "extended": (_RUNNING, None),
    "fee_noticed": (frozenset({OPEN}), AWAIT_FEE),
    "fee_paid": (frozenset({AWAIT_FEE}), OPEN),
    "fee_lapsed": (frozenset({AWAIT_FEE}), CLOSED),
    "answered": (frozenset({OPEN, THIRD_PARTY, OTHER_AGENCY}), CLOSED),
    "withdrawn": (_NOT_CLOSED, CLOSED),
    "case_filed": (_ANY, None),
    "case_decided": (_ANY, None),
}
assert set(MOVES) == set(EVENT_KINDS)

_PAUSE_OPEN = {"third_party_consulted": "third_party", "agency_consulted": "other_agency"}
_PAUSE_CLOSE = {"third_party_answered", "agency_answered", "fee_paid"}

_MSG = {
    "not_allowed": (
        "申请 {number}：当前状态为「{state}」，不能记录「{event}」",
        "application {number}: it is {state_en}; '{event_en}' cannot happen now",
    ),
    "unknown_kind": ("未知的事件类型 {kind}", "unknown kind of event {kind}"),
    "before_receipt": (
        "申请 {number}：「{event}」的日期 {date} 早于收到申请之日 {received}",
        "application {number}: '{event_en}' on {date} is before the application was received ({received})",
    ),
    "out_of_order": (
        "申请 {number}：「{event}」的日期 {date} 早于上一事件的日期 {last}（事件只能按时间顺序追加）",
        "application {number}: '{event_en}' on {date} is before the previous event ({last}); events are appended in order",
    ),
    "future": (
        "申请 {number}：「{event}」的日期 {date} 晚于今天 {today}",
        "application {number}: '{event_en}' on {date} is after today ({today})",
    ),
    "second_extension": (
        "申请 {number}：答复期限只能延长一次（第三十三条），已于 {date} 延长",
        "application {number}: the deadline can be extended once only (art. 33); it was extended on {date}",
    ),
    "no_reason": (
        "申请 {number}：延长答复期限须写明理由（第三十三条）",
        "application {number}: an extension needs its reason (art. 33)",
    ),
    "second_correction": (
        "申请 {number}：补正应一次性告知（第三十条），已于 {date} 发出补正通知",
        "application {number}: a correction is requested once (art. 30); it was requested on {date}",
    ),
    "no_outcome": (
        "申请 {number}：答复须选择表三的办理结果行：{choices}",
        "application {number}: an answer needs its outcome, a row of table 3: {choices}",
    ),
    "bad_outcome": (
        "申请 {number}：「{outcome}」不是 {edition} 版表三的办理结果行；可选：{choices}",
        "application {number}: {outcome!r} is not an outcome row of table 3 in the {edition} edition; choose one of: {choices}",
    ),
    "fee_method": (
        "申请 {number}：一件申请只能采用一种收费方式，已按「{method}」通知",
        "application {number}: one charging method per application; it was noticed as {method}",
    ),
    "bad_case": (
        "申请 {number}：复议或诉讼的种类须为 {choices} 之一",
        "application {number}: the case must be one of {choices}",
    ),
    "case_twice": (
        "申请 {number}：已于 {date} 记录过「{case}」",
        "application {number}: {case} was already filed on {date}",
    ),
    "case_after_review": (
        "申请 {number}：复议后起诉须先有已决的行政复议",
        "application {number}: a suit after review needs a decided administrative review first",
    ),
    "case_direct": (
        "申请 {number}：已申请行政复议，不能再记为未经复议直接起诉",
        "application {number}: a review was filed, so a suit cannot be 'without review'",
    ),
    "case_not_filed": (
        "申请 {number}：尚未记录「{case}」的提起，不能记录结果",
        "application {number}: no {case} was filed, so it cannot be decided",
    ),
    "case_decided_twice": (
        "申请 {number}：「{case}」已于 {date} 有结果",
        "application {number}: {case} was already decided on {date}",
    ),
    "fee_not_due": (
        "申请 {number}：缴费期限为收费通知后 20 个工作日（至 {due}），{date} 尚未逾期",
        "application {number}: the fee may be paid within 20 working days of the notice (until {due}); on {date} it is not late",
    ),
    "bad_result": (
        "申请 {number}：结果须为 {choices} 之一",
        "application {number}: the result must be one of {choices}",
    ),
}


class Refused(GongkaiError):
    """An event that cannot happen to the application as it stands."""

    def __init__(self, code: str, **kw: Any) -> None:
        self.code = code
        self.kw = kw
        super().__init__(self.message("en"))

    def message(self, lang: Lang | None = None) -> str:
        kw = dict(self.kw)
        ev = kw.get("kind")
        if ev in EVENT_KINDS:
            kw.setdefault("event", EVENT_KINDS[ev][0])
            kw.setdefault("event_en", EVENT_KINDS[ev][1])
        st = kw.get("status")
        if st in STATES:
            kw.setdefault("state", STATES[st][0])
            kw.setdefault("state_en", STATES[st][1])
        return pick(_MSG[self.code], lang, **kw)


@dataclass
class CaseTrack:
    """One administrative review or suit (a row of table 4)."""

    kind: str
    filed: dt.date
    result: str | None = None
    decided: dt.date | None = None


@dataclass
class State:
    """What the events say about an application now."""

    application: Application
    status: str = OPEN
    last_date: dt.date | None = None
    corrected: dt.date | None = None
    correction_requested: dt.date | None = None
    extended: dt.date | None = None
    extension_reason: str = ""
    pauses: list[clock.Pause] = field(default_factory=list)
    fee: dict[str, Any] | None = None
    fee_noticed: dt.date | None = None
    fee_paid: dt.date | None = None
    closed_on: dt.date | None = None
    closing: str | None = None
    outcome: str | None = None
    cases: dict[str, CaseTrack] = field(default_factory=dict)

    @property
    def is_open(self) -> bool:
        return self.status != CLOSED

    @property
    def paused(self) -> bool:
        return self.status in (THIRD_PARTY, OTHER_AGENCY, AWAIT_FEE)

    def open_on(self, day: dt.date) -> bool:
        """Received by ``day`` and not closed by the end of it."""
        return self.application.received <= day and (self.closed_on is None or self.closed_on > day)

    def deadline(self, calendar: WorkCalendar, *, explain: bool = True) -> clock.Deadline | None:
        """The answer deadline, or None while a correction is awaited."""
        if self.status == AWAIT_CORRECTION:
            return None
        if self.closing == "correction_lapsed":
            return None
        return clock.deadline(
            calendar,
            self.application.received,
            corrected=self.corrected,
            extended=self.extended is not None,
            pauses=tuple(self.pauses),
            explain=explain,
        )

    def case_row(self, day: dt.date) -> dict[str, str]:
        """Each case filed by ``day``: its result by then, or pending."""
        out: dict[str, str] = {}
        for kind, track in self.cases.items():
            if track.filed > day:
                continue
            done = track.decided is not None and track.decided <= day
            out[kind] = track.result if done and track.result else "pending"
        return out


def apply(state: State, event: Event, *, today: dt.date | None = None) -> State:
    """``state`` after ``event`` (the state is changed in place and returned).

    Raises :class:`Refused` when the event cannot happen now.
    """
    app = state.application
    kw: dict[str, Any] = {"number": app.number, "kind": event.kind, "date": event.date.isoformat()}
    move = MOVES.get(event.kind)
    if move is None:
        raise Refused("unknown_kind", kind=event.kind)
    if event.date < app.received:
        raise Refused("before_receipt", received=app.received.isoformat(), **kw)
    if state.last_date is not None and event.date < state.last_date:
        raise Refused("out_of_order", last=state.last_date.isoformat(), **kw)
    if today is not None and event.date > today:
        raise Refused("future", today=today.isoformat(), **kw)
    allowed, after = move
    if state.status not in allowed:
        raise Refused("not_allowed", status=state.status, **kw)
    _guard(state, event, kw)
    _effect(state, event)
    if after is not None:
        state.status = after
    state.last_date = event.date
    return state


def _guard(state: State, event: Event, kw: dict[str, Any]) -> None:
    k = event.kind
    if k == "extended":
        if state.extended is not None:
            raise Refused("second_extension", **{**kw, "date": state.extended.isoformat()})
        if not event.reason.strip():
            raise Refused("no_reason", **kw)
    elif k == "correction_requested" and state.correction_requested is not None:
        raise Refused("second_correction", **{**kw, "date": state.correction_requested.isoformat()})
    elif k == "answered":
        edition = edition_of(event.date)
        rows = outcome_rows(edition)
        if not event.outcome:
            raise Refused("no_outcome", choices=", ".join(rows), **kw)
        if event.outcome not in rows:
            raise Refused(
                "bad_outcome",
                outcome=event.outcome,
                edition=edition.id,
                choices=", ".join(rows),
                **kw,
            )
    elif k == "fee_noticed":
        method = event.fee.get("method")
        if state.fee is not None and state.fee.get("method") != method:
            raise Refused("fee_method", method=state.fee.get("method"), **kw)
    elif k == "case_filed":
        _guard_case_filed(state, event, kw)
    elif k == "case_decided":
        track = state.cases.get(event.case or "")
        if track is None:
            raise Refused("case_not_filed", case=event.case, **kw)
        if track.decided is not None:
            raise Refused("case_decided_twice", case=event.case, **{**kw, "date": track.decided})
        if event.result not in CASE_RESULTS:
            raise Refused("bad_result", choices=", ".join(CASE_RESULTS), **kw)


def _guard_case_filed(state: State, event: Event, kw: dict[str, Any]) -> None:
    if event.case not in CASE_KINDS:
        raise Refused("bad_case", choices=", ".join(CASE_KINDS), **kw)
    if event.case in state.cases:
        raise Refused(
            "case_twice", case=event.case, **{**kw, "date": state.cases[event.case].filed}
        )
    review = state.cases.get(CASE_REVIEW)
    if event.case == CASE_AFTER_REVIEW and (review is None or review.decided is None):
        raise Refused("case_after_review", **kw)
    if event.case == CASE_DIRECT and review is not None:
        raise Refused("case_direct", **kw)
    if event.case == CASE_REVIEW and CASE_DIRECT in state.cases:
        raise Refused("case_direct", **kw)


def _effect(state: State, event: Event) -> None:
    k, d = event.kind, event.date
    if k == "correction_requested":
        state.correction_requested = d
    elif k == "correction_received":
        state.corrected = d
        state.pauses = []  # the count restarts: earlier pauses no longer matter
    elif k in _PAUSE_OPEN:
        state.pauses.append(clock.Pause(d, None, _PAUSE_OPEN[k]))  # type: ignore[arg-type]
    elif k == "fee_noticed":
        state.fee = dict(event.fee)
        state.fee_noticed = d
        state.pauses.append(clock.Pause(d, None, "fee"))
    elif k in _PAUSE_CLOSE:
        last = state.pauses[-1]
        state.pauses[-1] = clock.Pause(last.start, d, last.reason)
        if k == "fee_paid":
            state.fee_paid = d
    elif k == "extended":
        state.extended = d
        state.extension_reason = event.reason
    elif k == "case_filed":
        assert event.case is not None
        state.cases[event.case] = CaseTrack(event.case, d)
    elif k == "case_decided":
        track = state.cases[event.case or ""]
        track.result, track.decided = event.result, d
    if MOVES[k][1] == CLOSED:
        if state.pauses and state.pauses[-1].end is None:
            last = state.pauses[-1]
            state.pauses[-1] = clock.Pause(last.start, d, last.reason)
        state.closed_on = d
        state.closing = k
        state.outcome = event.outcome if k == "answered" else LAPSE_ROWS[edition_of(d).id][k]


def check_time_limits(state: State, event: Event, calendar: WorkCalendar) -> None:
    """Refuse a lapse recorded before its time limit has run out (fee: 20
    working days after the notice, 国办函〔2020〕109号)."""
    if event.kind == "fee_lapsed" and state.fee_noticed is not None:
        due = clock.add_working_days(calendar, state.fee_noticed, clock.FEE_PAYMENT_DAYS)
        if event.date <= due:
            raise Refused(
                "fee_not_due",
                number=state.application.number,
                kind=event.kind,
                date=event.date.isoformat(),
                due=due.isoformat(),
            )


def replay(
    application: Application, events: Iterable[Event], *, today: dt.date | None = None
) -> State:
    """The state after ``events`` (in the order given). Raises :class:`Refused`."""
    state = State(application)
    for event in events:
        apply(state, event, today=today)
    return state


def status_label(status: str, lang: Lang | None = None) -> str:
    return pick(STATES[status], lang)
