"""The ledger kept in the database: one transaction per event.

:class:`Ledger` is the library face of every ``gongkai ledger`` command and
page. Every write is one unit of work (:func:`gongkai.db.unit_of_work`):
committed whole, or not at all, so a process killed mid-write loses nothing
that was acknowledged and leaves nothing half-written. An event is checked
against the application's history inside the same transaction, with the
application's row locked (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite
writers take the write lock at ``BEGIN``), so two processes adding at once
cannot both pass a check that only one of them may pass (two extensions).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from gongkai.db import DatabaseError, connect, unit_of_work, upgrade
from gongkai.errors import CodedError
from gongkai.ledger.calendar import HolidayNotice, UnknownYear, WorkCalendar
from gongkai.ledger.fees import Fee, per_application
from gongkai.ledger.model import (
    APPLICANT_TYPES,
    APPLICATION_FIELDS,
    CHANNELS,
    Application,
    Event,
)
from gongkai.ledger.models import ApplicationRow, CalendarRow, EventRow, MetaRow
from gongkai.ledger.state import State, apply, check_time_limits, replay

_MSG = {
    "no_such": ("账中没有编号为 {number} 的申请", "no application numbered {number} in the ledger"),
    "exists": ("编号 {number} 已在账中", "number {number} is already in the ledger"),
    "bad_type": (
        "申请人类型「{value}」不是表三的列（{choices}）",
        "applicant type {value!r} is not a column of table 3 ({choices})",
    ),
    "bad_channel": (
        "申请方式「{value}」不存在（{choices}）",
        "unknown channel {value!r} ({choices})",
    ),
    "no_agency": (
        "账中没有机关名称：用 gongkai ledger init --agency 名称 设置，或用 --agency 给出",
        "the ledger has no agency name: set it with gongkai ledger init --agency NAME, or pass --agency",
    ),
}


class LedgerError(CodedError):
    """A request the ledger cannot carry out (unknown number, duplicate…)."""

    MESSAGES = _MSG


@dataclass(frozen=True)
class Change:
    """A deadline that moved when the calendar changed."""

    number: str
    before: dt.date | None
    after: dt.date | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "before": self.before.isoformat() if self.before else None,
            "after": self.after.isoformat() if self.after else None,
        }


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def _app(row: ApplicationRow) -> Application:
    shared = {name: getattr(row, name) for name in APPLICATION_FIELDS}
    return Application(**shared, recorded_by=row.recorded_by, recorded_at=row.recorded_at)


def _event(row: EventRow) -> Event:
    return Event.from_payload(
        row.kind,
        row.date,
        json.loads(row.payload or "{}"),
        actor=row.actor,
        recorded_at=row.recorded_at,
        seq=row.id,
    )


def validate_application(app: Application) -> None:
    if app.applicant_type not in APPLICANT_TYPES:
        raise LedgerError("bad_type", value=app.applicant_type, choices=", ".join(APPLICANT_TYPES))
    if app.channel not in CHANNELS:
        raise LedgerError("bad_channel", value=app.channel, choices=", ".join(CHANNELS))


class Ledger:
    """An agency's ledger in a database (SQLite by default, or PostgreSQL)."""

    def __init__(self, engine: Engine, calendar: WorkCalendar | None = None) -> None:
        self.engine = engine
        self.calendar = calendar or WorkCalendar.default()
        for notice in self.notices():
            if notice.year not in self.calendar.notices:
                self.calendar.add(notice)

    @classmethod
    def open(cls, url: str | None = None, calendar: WorkCalendar | None = None) -> Ledger:
        """Open (creating and migrating if needed) the ledger at ``url``."""
        engine = connect(url)
        upgrade(engine)
        return cls(engine, calendar)

    def close(self) -> None:
        """Close the database connections."""
        self.engine.dispose()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------ settings

    def get_meta(self, key: str) -> str | None:
        with unit_of_work(self.engine, write=False) as s:
            row = s.get(MetaRow, key)
            return row.value if row else None

    def set_meta(self, key: str, value: str) -> None:
        with unit_of_work(self.engine) as s:
            s.merge(MetaRow(key=key, value=value))

    def agency(self, given: str | None = None) -> str:
        name = given or self.get_meta("agency")
        if not name:
            raise LedgerError("no_agency")
        return name

    # ------------------------------------------------------------ writes

    def add(
        self, app: Application, *, actor: str = "", events: Iterable[Event] = ()
    ) -> Application:
        """Register ``app`` (and, in the same transaction, its first ``events``)."""
        return self.add_many([(app, list(events))], actor=actor)[0]

    def add_many(
        self, items: list[tuple[Application, list[Event]]], *, actor: str = ""
    ) -> list[Application]:
        """Register applications with their events, all in one transaction (or none)."""
        now = _now()
        for app, events in items:
            validate_application(app)
            replay(app, events)
        numbers = [a.number for a, _ in items]
        try:
            with unit_of_work(self.engine) as s:
                for start in range(0, len(numbers), 500):
                    chunk = numbers[start : start + 500]
                    taken = s.scalars(
                        select(ApplicationRow.number).where(ApplicationRow.number.in_(chunk))
                    ).first()
                    if taken is not None:
                        raise LedgerError("exists", number=taken)
                rows = [
                    ApplicationRow(
                        **{name: getattr(app, name) for name in APPLICATION_FIELDS},
                        recorded_by=app.recorded_by or actor,
                        recorded_at=now,
                    )
                    for app, _ in items
                ]
                s.add_all(rows)
                s.flush()
                s.add_all(
                    [
                        self._event_row(row.id, ev, actor or ev.actor, now)
                        for row, (_, events) in zip(rows, items, strict=True)
                        for ev in events
                    ]
                )
                out = [_app(row) for row in rows]
        except (IntegrityError, DatabaseError) as e:
            # another process took a number between the check and the insert
            cause = e if isinstance(e, IntegrityError) else e.__cause__
            if not isinstance(cause, IntegrityError):
                raise
            raise LedgerError("exists", number=", ".join(a.number for a, _ in items[:3])) from None
        return out

    @staticmethod
    def _event_row(app_id: int, ev: Event, actor: str, now: dt.datetime) -> EventRow:
        return EventRow(
            application_id=app_id,
            kind=ev.kind,
            date=ev.date,
            payload=json.dumps(ev.payload(), ensure_ascii=False, sort_keys=True),
            actor=actor,
            recorded_at=now,
        )

    def add_numbered(self, app: Application, *, actor: str = "", tries: int = 50) -> Application:
        """Register ``app`` under the next free number of its year (another
        process taking the same number at the same moment makes this one try
        the next)."""
        for _ in range(tries):
            number = self.next_number(app.received.year)
            try:
                return self.add(replace(app, number=number), actor=actor)
            except LedgerError as e:
                if e.code != "exists":
                    raise
        raise LedgerError("exists", number=app.number or str(app.received.year))

    def next_number(self, year: int) -> str:
        """A number not yet used: ``YEAR-NNNN`` after the highest of the year."""
        prefix = f"{year}-"
        with unit_of_work(self.engine, write=False) as s:
            numbers = s.scalars(
                select(ApplicationRow.number).where(ApplicationRow.number.like(prefix + "%"))
            ).all()
        tails = [int(n[len(prefix) :]) for n in numbers if n[len(prefix) :].isdigit()]
        return f"{prefix}{(max(tails) if tails else 0) + 1:04d}"

    def append(
        self, number: str, event: Event, *, actor: str = "", today: dt.date | None = None
    ) -> Event:
        """Append ``event`` to application ``number`` in one transaction, after
        checking it against the history (:class:`~gongkai.ledger.state.Refused`)."""
        now = _now()
        with unit_of_work(self.engine) as s:
            row = self._locked(s, number)
            history = [_event(r) for r in self._event_rows(s, row.id)]
            state = replay(_app(row), history)
            check_time_limits(state, event, self.calendar)
            apply(state, event, today=today)
            ev_row = self._event_row(row.id, event, actor or event.actor, now)
            s.add(ev_row)
            s.flush()
            return _event(ev_row)

    def _locked(self, s: Session, number: str) -> ApplicationRow:
        q = select(ApplicationRow).where(ApplicationRow.number == number)
        if s.get_bind().dialect.name == "postgresql":
            q = q.with_for_update()
        row = s.scalar(q)
        if row is None:
            raise LedgerError("no_such", number=number)
        return row

    @staticmethod
    def _event_rows(s: Session, app_id: int) -> list[EventRow]:
        return list(
            s.scalars(
                select(EventRow).where(EventRow.application_id == app_id).order_by(EventRow.id)
            )
        )

    # ------------------------------------------------------------ reads

    def get(self, number: str) -> tuple[Application, list[Event]]:
        with unit_of_work(self.engine, write=False) as s:
            row = s.scalar(select(ApplicationRow).where(ApplicationRow.number == number))
            if row is None:
                raise LedgerError("no_such", number=number)
            return _app(row), [_event(r) for r in self._event_rows(s, row.id)]

    def state(self, number: str) -> State:
        app, events = self.get(number)
        return replay(app, events)

    def numbers(self) -> set[str]:
        """The numbers of every application in the ledger."""
        with unit_of_work(self.engine, write=False) as s:
            return set(s.scalars(select(ApplicationRow.number)))

    def count(self) -> int:
        with unit_of_work(self.engine, write=False) as s:
            return int(s.scalar(select(func.count(ApplicationRow.id))) or 0)

    def histories(
        self, *, received_by: dt.date | None = None
    ) -> Iterator[tuple[Application, list[Event]]]:
        """Every application with its events, in the order of receipt (two queries)."""
        a, e = ApplicationRow, EventRow
        app_cols = (a.id, a.number, a.received, a.channel, a.applicant_type, a.applicant_name,
                    a.applicant_contact, a.request, a.recorded_by, a.recorded_at)  # fmt: skip
        ev_cols = (e.application_id, e.kind, e.date, e.payload, e.actor, e.recorded_at, e.id)
        with unit_of_work(self.engine, write=False) as s:
            # plain rows, not ORM objects: a ledger of 100,000 applications loads in seconds
            q = select(*app_cols).order_by(a.received, a.id)
            if received_by is not None:
                q = q.where(a.received <= received_by)
            apps = s.execute(q).all()
            by_app: dict[int, list[Event]] = defaultdict(list)
            for app_id, kind, date, payload, actor, at, seq in s.execute(
                select(*ev_cols).order_by(e.application_id, e.id)
            ):
                by_app[app_id].append(
                    Event.from_payload(
                        kind,
                        date,
                        json.loads(payload or "{}"),
                        actor=actor,
                        recorded_at=at,
                        seq=seq,
                    )
                )
        for app_id, number, received, channel, kind, name, contact, request, by, at in apps:
            app = Application(number, received, channel, kind, name, contact, request, by, at)
            yield app, by_app.get(app_id, [])

    def states(self, *, received_by: dt.date | None = None) -> Iterator[State]:
        for app, events in self.histories(received_by=received_by):
            yield replay(app, events)

    # ------------------------------------------------------------ fees

    def fee_for(self, number: str, *, method: str, quantity: int) -> Fee:
        """The fee of a notice for application ``number``: per volume by its
        ``quantity`` pages, or per application as the applicant's n-th application
        of the calendar month (counted by the applicant's name and contact)."""
        from gongkai.ledger.fees import per_volume

        if method == "per_volume":
            return per_volume(quantity)
        app, _ = self.get(number)
        first = app.received.replace(day=1)
        nxt = (first + dt.timedelta(days=32)).replace(day=1)
        with unit_of_work(self.engine, write=False) as s:
            rows = s.scalars(
                select(ApplicationRow).where(
                    ApplicationRow.received >= first,
                    ApplicationRow.received < nxt,
                    ApplicationRow.applicant_name == app.applicant_name,
                    ApplicationRow.applicant_contact == app.applicant_contact,
                )
            ).all()
        order = sorted(rows, key=lambda r: (r.received, r.id))
        nth = next(i for i, r in enumerate(order, 1) if r.number == number)
        return per_application(1, already=nth - 1)

    # ------------------------------------------------------------ calendar

    def notices(self) -> list[HolidayNotice]:
        try:
            with unit_of_work(self.engine, write=False) as s:
                rows = list(s.scalars(select(CalendarRow).order_by(CalendarRow.year)))
        except DatabaseError:
            return []
        return [
            HolidayNotice.from_dict(json.loads(r.notice), f"ledger_calendar {r.year}") for r in rows
        ]

    def add_notice(self, notice: HolidayNotice, *, actor: str = "") -> list[Change]:
        """Store a year's holiday notice; open deadlines are recomputed and the
        ones that moved are returned."""
        before = self.open_deadlines(self.calendar)
        new_cal = WorkCalendar(dict(self.calendar.notices), self.calendar.use_package)
        new_cal.add(notice)
        after = self.open_deadlines(new_cal)
        with unit_of_work(self.engine) as s:
            s.merge(
                CalendarRow(
                    year=notice.year,
                    notice=json.dumps(notice.to_dict(), ensure_ascii=False),
                    added_by=actor,
                    added_at=_now(),
                )
            )
        self.calendar = new_cal
        return [
            Change(n, before.get(n), after.get(n))
            for n in sorted(set(before) | set(after))
            if before.get(n) != after.get(n)
        ]

    def open_deadlines(self, cal: WorkCalendar) -> dict[str, dt.date | None]:
        """The due date of every open application under ``cal`` (None: paused,
        awaiting correction, or in a year ``cal`` does not know)."""
        out: dict[str, dt.date | None] = {}
        for st in self.states():
            if not st.is_open:
                continue
            try:
                d = st.deadline(cal, explain=False)
            except UnknownYear:
                d = None
            out[st.application.number] = d.due if d else None
        return out
