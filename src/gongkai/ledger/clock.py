"""The statutory clock of arts. 30–34 of the 条例, explained day by day.

Pure functions of dates and a :class:`~gongkai.ledger.calendar.WorkCalendar`:

* the answer is due on the 20th working day after the date of receipt (the
  day of receipt is not counted, 调休 make-up days are worked), art. 33;
* after a 补正 the count restarts from the day the corrected application was
  received, art. 30;
* days while a third party (art. 32), another agency (art. 34) or a fee
  payment (国办函〔2020〕109号) is awaited are not counted: a pause runs from
  the day after the letter or notice was sent up to and including the day the
  answer or payment came; counting resumes the next day;
* one extension adds 20 working days, art. 33.

:func:`deadline` returns the due date with every day that decided it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

from gongkai.i18n import Lang, pick
from gongkai.ledger.calendar import WorkCalendar

ANSWER_DAYS = 20  # art. 33
EXTENSION_DAYS = 20  # art. 33
CORRECTION_NOTICE_DAYS = 7  # art. 30
CONSULTATION_DAYS = 15  # arts. 32, 34
FEE_PAYMENT_DAYS = 20  # 国办函〔2020〕109号

PauseReason = Literal["third_party", "other_agency", "fee"]
NoteKind = Literal["start", "counted", "makeup", "weekend", "holiday", "paused"]

#: The longest span a clock walks before giving up (a bad input, not a real case).
_MAX_DAYS = 3 * 366

REASONS: dict[str, tuple[str, str]] = {
    "third_party": ("征求第三方意见（第三十二条）", "third party consulted (art. 32)"),
    "other_agency": ("征求其他机关意见（第三十四条）", "other agency consulted (art. 34)"),
    "fee": (
        "等待缴纳信息处理费（国办函〔2020〕109号）",
        "fee payment awaited (国办函〔2020〕109号)",
    ),
}

_WEEKDAY = (
    ("星期一", "Mon"),
    ("星期二", "Tue"),
    ("星期三", "Wed"),
    ("星期四", "Thu"),
    ("星期五", "Fri"),
    ("星期六", "Sat"),
    ("星期日", "Sun"),
)

_MSG = {
    "start_received": ("收到申请之日（不计入）", "date of receipt (not counted)"),
    "start_corrected": (
        "收到补正后的申请之日，重新起算（不计入，第三十条）",
        "corrected application received: the count restarts (not counted, art. 30)",
    ),
    "counted": ("第 {n} 个工作日", "working day {n}"),
    "makeup": (
        "调休上班日（{name}），第 {n} 个工作日",
        "make-up working day ({name}), working day {n}",
    ),
    "weekend": ("周末，不计", "weekend, not counted"),
    "holiday": ("法定节假日（{name}），不计", "public holiday ({name}), not counted"),
    "paused": ("暂停计算：{reason}", "paused: {reason}"),
    "base_due": (
        "（第 {n} 个工作日：原答复期限）",
        "(working day {n}: the deadline before extension)",
    ),
    "due": (
        "答复期限：{date}（{start}后第 {n} 个工作日）",
        "due: {date} (working day {n} after {start_en})",
    ),
    "due_extended": (
        "，含延长 {m} 个工作日（第三十三条）",
        ", including {m} days of extension (art. 33)",
    ),
    "open_pause": (
        "自 {since} 起暂停计算（{reason}），已计 {n} 个工作日，尚余 {left} 个",
        "paused since {since} ({reason}): {n} working days counted, {left} left",
    ),
    "start_word_received": ("收到申请", "receipt"),
    "start_word_corrected": ("收到补正", "the correction"),
}


@dataclass(frozen=True)
class Pause:
    """Days after ``start`` up to and including ``end`` are not counted (``end`` None: still paused)."""

    start: dt.date
    end: dt.date | None
    reason: PauseReason

    def covers(self, date: dt.date) -> bool:
        return date > self.start and (self.end is None or date <= self.end)


@dataclass(frozen=True)
class DayNote:
    """One day the clock walked over, and what it made of it."""

    date: dt.date
    kind: NoteKind
    count: int | None = None
    name: str | None = None
    reason: PauseReason | None = None

    def text(self, lang: Lang | None = None, corrected: bool = False) -> str:
        wd = pick(_WEEKDAY[self.date.weekday()], lang)
        if self.kind == "start":
            what = pick(_MSG["start_corrected" if corrected else "start_received"], lang)
        elif self.kind == "counted":
            what = pick(_MSG["counted"], lang, n=self.count)
        elif self.kind == "makeup":
            what = pick(_MSG["makeup"], lang, n=self.count, name=self.name or "调休")
        elif self.kind == "weekend":
            what = pick(_MSG["weekend"], lang)
        elif self.kind == "holiday":
            what = pick(_MSG["holiday"], lang, name=self.name or "—")
        else:
            what = pick(_MSG["paused"], lang, reason=pick(REASONS[self.reason or "fee"], lang))
        return f"{self.date.isoformat()} {wd}  {what}"

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"date": self.date.isoformat(), "kind": self.kind}
        for k in ("count", "name", "reason"):
            v = getattr(self, k)
            if v is not None:
                d[k] = v
        return d


@dataclass(frozen=True)
class Deadline:
    """A computed deadline and the days that decided it.

    ``due`` is None while the clock is stopped by an open pause; then
    ``paused`` names it and ``counted`` says how many days were counted.
    """

    received: dt.date
    start: dt.date
    corrected: bool
    extended: bool
    target: int
    due: dt.date | None
    base_due: dt.date | None
    counted: int
    paused: Pause | None
    days: tuple[DayNote, ...] = field(repr=False)

    def lines(self, lang: Lang | None = None) -> list[str]:
        out = [n.text(lang, self.corrected) for n in self.days]
        if self.extended and self.base_due is not None:
            for i, n in enumerate(self.days):
                if n.date == self.base_due:
                    out[i] += " " + pick(_MSG["base_due"], lang, n=ANSWER_DAYS)
        out.append(self.summary(lang))
        return out

    def summary(self, lang: Lang | None = None) -> str:
        if self.due is None and self.paused is not None:
            return pick(
                _MSG["open_pause"],
                lang,
                since=self.paused.start.isoformat(),
                reason=pick(REASONS[self.paused.reason], lang),
                n=self.counted,
                left=self.target - self.counted,
            )
        word = "start_word_corrected" if self.corrected else "start_word_received"
        text = pick(
            _MSG["due"],
            lang,
            date=self.due.isoformat() if self.due else "—",
            start=pick(_MSG[word], "zh"),
            start_en=pick(_MSG[word], "en"),
            n=self.target,
        )
        if self.extended:
            text += pick(_MSG["due_extended"], lang, m=EXTENSION_DAYS)
        return text

    def to_dict(self, lang: Lang | None = None) -> dict[str, Any]:
        return {
            "due": self.due.isoformat() if self.due else None,
            "received": self.received.isoformat(),
            "counted_from": self.start.isoformat(),
            "corrected": self.corrected,
            "extended": self.extended,
            "working_days": self.target,
            "due_before_extension": self.base_due.isoformat() if self.base_due else None,
            "paused": (
                {"since": self.paused.start.isoformat(), "reason": self.paused.reason}
                if self.paused
                else None
            ),
            "explanation": self.lines(lang),
            "days": [n.to_dict() for n in self.days],
        }


def deadline(
    calendar: WorkCalendar,
    received: dt.date,
    *,
    corrected: dt.date | None = None,
    extended: bool = False,
    pauses: tuple[Pause, ...] | list[Pause] = (),
    explain: bool = True,
) -> Deadline:
    """The answer deadline (art. 33) with its explanation (``explain=False``:
    the date alone, ``days`` left empty — for lists of many deadlines).

    Raises :class:`~gongkai.ledger.calendar.UnknownYear` when a day the clock
    must classify lies in a year the calendar does not know.
    """
    start = corrected or received
    if corrected is not None and corrected < received:
        raise ValueError("the correction cannot come before the application")
    target = ANSWER_DAYS + (EXTENSION_DAYS if extended else 0)
    relevant = [p for p in pauses if p.end is None or p.end > start]
    notes: list[DayNote] = [DayNote(start, "start")] if explain else []
    count = 0
    base_due: dt.date | None = None
    d = start
    one = dt.timedelta(days=1)
    day_of = calendar.day
    for _ in range(_MAX_DAYS):
        d += one
        pause = next((p for p in relevant if p.covers(d)), None) if relevant else None
        if pause is not None:
            if pause.end is None:
                return Deadline(
                    received, start, corrected is not None, extended, target, None, base_due,
                    count, pause, tuple(notes),
                )  # fmt: skip
            if explain:
                notes.append(DayNote(d, "paused", reason=pause.reason))
            continue
        day = day_of(d)
        if not day.working:
            if explain:
                notes.append(
                    DayNote(d, "holiday" if day.kind == "holiday" else "weekend", name=day.name)
                )
            continue
        count += 1
        if explain:
            notes.append(
                DayNote(d, "makeup" if day.kind == "makeup" else "counted", count, day.name)
            )
        if count == ANSWER_DAYS:
            base_due = d
        if count == target:
            return Deadline(
                received, start, corrected is not None, extended, target, d, base_due, count,
                None, tuple(notes),
            )  # fmt: skip
    raise ValueError(f"no deadline within {_MAX_DAYS} days of {start}: the pauses never end")


def add_working_days(calendar: WorkCalendar, start: dt.date, n: int) -> dt.date:
    """The ``n``-th working day after ``start`` (``start`` itself not counted)."""
    d = start
    count = 0
    while count < n:
        d += dt.timedelta(days=1)
        if calendar.is_workday(d):
            count += 1
    return d


def working_days_between(calendar: WorkCalendar, start: dt.date, end: dt.date) -> int:
    """Working days after ``start`` up to and including ``end`` (negative when ``end`` is earlier)."""
    if end < start:
        return -working_days_between(calendar, end, start)
    n = 0
    d = start
    while d < end:
        d += dt.timedelta(days=1)
        if calendar.is_workday(d):
            n += 1
    return n
