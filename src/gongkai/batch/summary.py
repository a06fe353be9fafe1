"""A batch in one table: a line a file, and the totals.

:class:`Line` is what the summary shows of an :class:`~gongkai.batch.Outcome`
— small enough to keep for 100,000 files — and :class:`Totals` adds them
up. The CLI prints them; the web server can serve them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from gongkai.batch.run import CheckOptions, Outcome, Status

Deadline = Literal["on-time", "late", "unknown", ""]


@dataclass(frozen=True)
class Line:
    """One file of the summary."""

    path: str
    status: Status
    agency: str = ""
    year: int | None = None
    published: dt.date | None = None
    deadline: Deadline = ""
    previous: str | None = None
    errors: int = 0
    warnings: int = 0
    notes: int = 0
    reason: str = ""
    manual_review: bool = False

    @property
    def passed(self) -> bool:
        return self.status == "read" and self.errors == 0


def deadline_status(outcome: Outcome, options: CheckOptions | None = None) -> Deadline:
    """``late``, ``on-time``, or ``unknown`` (no publication date was found)."""
    from gongkai.checks.agency import deadline, level, published

    if outcome.report is None:
        return ""
    report = outcome.report
    date, _ = published(report)
    if date is None or report.year is None:
        return "unknown"
    o = options or CheckOptions()
    due = o.deadline or deadline(report.year, o.level or level(report.agency))
    return "late" if date > due else "on-time"


def line(outcome: Outcome, options: CheckOptions | None = None, lang: str = "zh") -> Line:
    """The summary line of one outcome."""
    if outcome.status != "read" or outcome.report is None:
        msg = ""
        e = outcome.error
        if e is not None and outcome.status == "skipped":
            msg = e.zh_detail if lang == "zh" else e.detail
        elif e is not None:
            msg = e.zh_message() if lang == "zh" else e.en_message()
        return Line(outcome.path, outcome.status, reason=msg, manual_review=outcome.manual_review)
    report = outcome.report
    from gongkai.checks.agency import published

    n = {"error": 0, "warning": 0, "info": 0}
    for f in outcome.result.findings if outcome.result is not None else []:
        n[f.severity] += 1
    return Line(
        outcome.path,
        "read",
        agency=report.agency or "",
        year=report.year,
        published=published(report)[0],
        deadline=deadline_status(outcome, options),
        previous=outcome.previous,
        errors=n["error"],
        warnings=n["warning"],
        notes=n["info"],
        manual_review=outcome.manual_review,
    )


@dataclass
class Totals:
    """What a batch came to."""

    files: int = 0
    read: int = 0
    skipped: int = 0
    failed: int = 0
    passed: int = 0
    late: int = 0
    paired: int = 0
    manual_review: int = 0
    errors: int = 0
    warnings: int = 0
    notes: int = 0
    lines: list[Line] = field(default_factory=list)
    #: keep every line (for the summary table); without it memory stays flat
    keep: bool = True

    def add(self, ln: Line) -> None:
        if self.keep:
            self.lines.append(ln)
        self.files += 1
        if ln.status == "read":
            self.read += 1
        elif ln.status == "skipped":
            self.skipped += 1
        else:
            self.failed += 1
        self.passed += ln.passed
        self.late += ln.deadline == "late"
        self.paired += ln.previous is not None
        self.manual_review += ln.manual_review
        self.errors += ln.errors
        self.warnings += ln.warnings
        self.notes += ln.notes


__all__ = ["Deadline", "Line", "Totals", "deadline_status", "line"]
