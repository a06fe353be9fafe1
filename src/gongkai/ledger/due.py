"""What is due: every open application with its deadline and how near it is.

:func:`agenda` is the morning's list (``gongkai ledger due`` and the list
page): overdue first, then by due date; paused applications and those
awaiting a correction are listed with what they wait for.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from gongkai.i18n import Lang, pick
from gongkai.ledger.calendar import UnknownYear, WorkCalendar
from gongkai.ledger.clock import working_days_between
from gongkai.ledger.state import AWAIT_CORRECTION, State, status_label

Flag = Literal["overdue", "due_soon", "paused", "awaiting_correction", "open", "closed", "unknown"]

FLAGS: dict[str, tuple[str, str]] = {
    "overdue": ("已逾期", "overdue"),
    "due_soon": ("即将到期", "due soon"),
    "paused": ("暂停计时", "paused"),
    "awaiting_correction": ("等待补正", "awaiting correction"),
    "open": ("办理中", "open"),
    "closed": ("已办结", "closed"),
    "unknown": ("日历未知", "calendar unknown"),
}

DEFAULT_WITHIN = 5


@dataclass(frozen=True)
class Item:
    number: str
    received: dt.date
    applicant_type: str
    status: str
    flag: Flag
    due: dt.date | None
    days_left: int | None
    closed_on: dt.date | None = None

    def to_dict(self, lang: Lang | None = None) -> dict[str, Any]:
        return {
            "number": self.number,
            "received": self.received.isoformat(),
            "applicant_type": self.applicant_type,
            "status": self.status,
            "status_label": status_label(self.status, lang),
            "flag": self.flag,
            "flag_label": pick(FLAGS[self.flag], lang),
            "due": self.due.isoformat() if self.due else None,
            "working_days_left": self.days_left,
            "closed_on": self.closed_on.isoformat() if self.closed_on else None,
        }


def item(
    state: State, calendar: WorkCalendar, today: dt.date, within: int = DEFAULT_WITHIN
) -> Item:
    """How application ``state`` stands on ``today``."""
    app = state.application

    def make(flag: Flag, due: dt.date | None = None, left: int | None = None) -> Item:
        return Item(
            app.number, app.received, app.applicant_type, state.status, flag, due, left,
            state.closed_on,
        )  # fmt: skip

    try:
        d = state.deadline(calendar, explain=False)
    except UnknownYear:
        return make("unknown")
    due = d.due if d else None
    if not state.is_open:
        return make("closed", due)
    if state.status == AWAIT_CORRECTION:
        return make("awaiting_correction")
    if due is None:
        return make("paused")
    try:
        left = working_days_between(calendar, today, due)
    except UnknownYear:
        left = (due - today).days
    if left < 0:
        flag: Flag = "overdue"
    elif state.paused:
        flag = "paused"
    elif left <= within:
        flag = "due_soon"
    else:
        flag = "open"
    return make(flag, due, left)


_ORDER = {
    "overdue": 0,
    "due_soon": 1,
    "paused": 2,
    "awaiting_correction": 3,
    "unknown": 4,
    "open": 5,
    "closed": 6,
}


def agenda(
    states: Iterable[State],
    calendar: WorkCalendar,
    today: dt.date,
    within: int | None = DEFAULT_WITHIN,
    *,
    everything: bool = False,
) -> list[Item]:
    """Open applications due within ``within`` working days or overdue, plus the
    paused and those awaiting correction (``everything``: every open one)."""
    out = []
    for st in states:
        if not st.is_open:
            continue
        it = item(st, calendar, today, within if within is not None else DEFAULT_WITHIN)
        if everything or it.flag != "open":
            out.append(it)
    out.sort(key=lambda i: (_ORDER[i.flag], i.due or dt.date.max, i.number))
    return out
