"""Working days: the State Council's holiday notices, with their 调休 days.

:class:`WorkCalendar` answers "is this a working day, and why" for every
date of the years it knows. Its knowledge comes from the ``chinese-calendar``
package (the notices of the years that package was released for) and from
holiday files the user supplies for later years (or to correct a year).
A date in a year nobody supplied raises :class:`UnknownYear` — a working day
is never guessed.

A holiday file (YAML or JSON) holds one year's notice::

    year: 2027
    notice: 国办发明电〔2026〕X号      # optional: where the dates come from
    holidays:                          # days off (a range is "FROM..TO")
      元旦: [2027-01-01]
      春节: ["2027-02-05..2027-02-11"]
    workdays:                          # 调休: weekend days worked
      春节: [2027-02-14]

``holidays`` and ``workdays`` may also be plain lists of dates or ranges.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

from gongkai import written
from gongkai.errors import GongkaiError
from gongkai.i18n import Lang, pick

DayKind = Literal["workday", "weekend", "holiday", "makeup"]

_HOLIDAY_ZH = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}

_MSG = {
    "unknown_year": (
        "日历不知道 {year} 年的节假日安排（已知 {known}）：请取得国务院办公厅关于 {year} 年"
        "部分节假日安排的通知，写成节假日文件（YAML：year、holidays、workdays 调休上班日），"
        "用 --holidays 文件 传入；不会猜测工作日",
        "the calendar does not know the holidays of {year} (it knows {known}): take the State "
        "Council's holiday notice for {year}, write it as a holiday file (YAML: year, holidays, "
        "workdays for 调休 make-up days) and pass it with --holidays FILE; working days are "
        "never guessed",
    ),
    "bad_file": ("{path}：节假日文件有误：{detail}", "{path}: bad holiday file: {detail}"),
}


class UnknownYear(GongkaiError):
    """A date falls in a year whose holiday notice the calendar does not have."""

    def __init__(self, year: int, known: tuple[int, int] | None = None) -> None:
        self.year = year
        self.known = known
        super().__init__(self.message("en"))

    def message(self, lang: Lang | None = None) -> str:
        known = f"{self.known[0]}–{self.known[1]}" if self.known else "?"
        return pick(_MSG["unknown_year"], lang, year=self.year, known=known)


class HolidayFileError(GongkaiError):
    """A holiday file cannot be used."""

    def __init__(self, path: str, detail: str) -> None:
        self.path = path
        self.detail = detail
        super().__init__(self.message("en"))

    def message(self, lang: Lang | None = None) -> str:
        return pick(_MSG["bad_file"], lang, path=self.path, detail=self.detail)


@dataclass(frozen=True)
class Day:
    """What a date is: its kind and, for holidays and 调休, the festival."""

    date: dt.date
    kind: DayKind
    name: str | None = None

    @property
    def working(self) -> bool:
        return self.kind in ("workday", "makeup")


@dataclass(frozen=True)
class HolidayNotice:
    """One year's holiday notice: days off and make-up working days, with names."""

    year: int
    holidays: Mapping[dt.date, str]
    workdays: Mapping[dt.date, str]
    notice: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The notice in the holiday-file form (names to lists of dates)."""
        return {
            "year": self.year,
            "notice": self.notice,
            "holidays": _by_name(self.holidays),
            "workdays": _by_name(self.workdays),
        }

    @property
    def digest(self) -> str:
        return hashlib.sha256(json.dumps(self.to_dict(), sort_keys=True).encode()).hexdigest()[:12]

    @classmethod
    def from_dict(cls, raw: Any, source: str = "<holidays>") -> HolidayNotice:
        if not isinstance(raw, dict):
            raise HolidayFileError(source, "expected a mapping with year, holidays, workdays")
        year = raw.get("year")
        if not isinstance(year, int) or isinstance(year, bool) or not 1990 <= year <= 2100:
            raise HolidayFileError(source, "'year' must be a year such as 2027")
        holidays = _dates(raw.get("holidays"), source, "holidays", year)
        workdays = _dates(raw.get("workdays"), source, "workdays", year)
        if not holidays:
            raise HolidayFileError(source, "'holidays' lists no day")
        both = sorted(set(holidays) & set(workdays))
        if both:
            raise HolidayFileError(source, f"{both[0]} is both a holiday and a working day")
        for d in workdays:
            if d.weekday() < 5:
                raise HolidayFileError(source, f"make-up working day {d} is not a weekend day")
        notice = raw.get("notice")
        return cls(year, holidays, workdays, str(notice) if notice else None)


def _by_name(days: Mapping[dt.date, str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for d, name in sorted(days.items()):
        out.setdefault(name, []).append(d.isoformat())
    return out


def _parse_date(v: Any, source: str, what: str) -> dt.date:
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    date = written.parse_date(str(v), whole=True)
    if date is None:
        raise HolidayFileError(source, f"{what}: not a date: {v!r}")
    return date


def _expand(v: Any, source: str, what: str) -> list[dt.date]:
    if isinstance(v, str) and ".." in v:
        a, b = v.split("..", 1)
        start, end = _parse_date(a, source, what), _parse_date(b, source, what)
        if end < start or (end - start).days > 40:
            raise HolidayFileError(source, f"{what}: bad range {v!r}")
        return [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]
    return [_parse_date(v, source, what)]


def _dates(raw: Any, source: str, what: str, year: int) -> dict[dt.date, str]:
    out: dict[dt.date, str] = {}
    if raw is None:
        return out
    items: Iterable[tuple[str, Any]]
    if isinstance(raw, dict):
        items = ((str(k), v) for k, v in raw.items())
    elif isinstance(raw, list):
        items = (("", v) for v in raw)
    else:
        raise HolidayFileError(source, f"'{what}' must be a list or a mapping of name to dates")
    for name, value in items:
        values = value if isinstance(value, list) else [value]
        for v in values:
            for d in _expand(v, source, what):
                if d.year != year:
                    raise HolidayFileError(source, f"{what}: {d} is not in {year}")
                out[d] = name
    return out


def load_holiday_file(path: str | Path) -> HolidayNotice:
    """Read a holiday file (YAML or JSON); :class:`HolidayFileError` names what is wrong."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise HolidayFileError(str(p), str(getattr(exc, "strerror", None) or exc)) from None
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise HolidayFileError(str(p), f"not YAML/JSON: {str(exc).splitlines()[0]}") from None
    except ValueError as exc:  # YAML's own dates: 2027-13-01
        raise HolidayFileError(str(p), f"not a date: {exc}") from None
    return HolidayNotice.from_dict(raw, str(p))


def _package_years() -> tuple[int, int]:
    from chinese_calendar import constants

    years = [d.year for d in constants.holidays]
    return min(years), max(years)


@dataclass
class WorkCalendar:
    """Working days of the years known from ``chinese-calendar`` and supplied notices.

    A supplied notice replaces the package's data for its year.
    """

    notices: dict[int, HolidayNotice] = field(default_factory=dict)
    use_package: bool = True
    _cache: dict[dt.date, Day] = field(default_factory=dict, repr=False)

    @classmethod
    def default(cls, notices: Iterable[HolidayNotice] = ()) -> WorkCalendar:
        return cls({n.year: n for n in notices})

    def add(self, notice: HolidayNotice) -> None:
        self.notices[notice.year] = notice
        self._cache.clear()

    def knows(self, year: int) -> bool:
        if year in self.notices:
            return True
        if not self.use_package:
            return False
        lo, hi = _package_years()
        return lo <= year <= hi

    def day(self, date: dt.date) -> Day:
        hit = self._cache.get(date)
        if hit is not None:
            return hit
        day = self._classify(date)
        if len(self._cache) > 200_000:
            self._cache.clear()
        self._cache[date] = day
        return day

    def _classify(self, date: dt.date) -> Day:
        notice = self.notices.get(date.year)
        weekend = date.weekday() >= 5
        if notice is not None:
            if date in notice.holidays:
                return Day(date, "holiday", notice.holidays[date] or None)
            if date in notice.workdays:
                return Day(date, "makeup", notice.workdays[date] or None)
            return Day(date, "weekend" if weekend else "workday")
        if not self.knows(date.year):
            raise UnknownYear(date.year, self._known_for_message())
        from chinese_calendar import constants

        if date in constants.holidays:
            return Day(date, "holiday", _zh(constants.holidays[date]))
        if date in constants.workdays:
            return Day(date, "makeup", _zh(constants.workdays[date]))
        return Day(date, "weekend" if weekend else "workday")

    def _known_for_message(self) -> tuple[int, int] | None:
        years = list(self.notices)
        if self.use_package:
            years.extend(_package_years())
        return (min(years), max(years)) if years else None

    def is_workday(self, date: dt.date) -> bool:
        return self.day(date).working

    def check_year(self, year: int) -> None:
        if not self.knows(year):
            raise UnknownYear(year, self._known_for_message())

    def fingerprint(self) -> str:
        """Changes whenever a supplied notice changes (to know when to recompute)."""
        return ",".join(f"{y}:{n.digest}" for y, n in sorted(self.notices.items()))


def _zh(name: Any) -> str | None:
    if name is None:
        return None
    text = str(getattr(name, "value", name))
    return _HOLIDAY_ZH.get(text, text)
