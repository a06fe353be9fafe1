"""Timeliness: the publication date against the deadline of 条例 art. 49.

Departments of governments at county level and above publish last year's
report by 31 January; a government's own (本级) report is due by 31 March;
before the 2019 条例 (reports for 2018 and earlier) 31 March held for all.
The kind of body is read from the agency name (:func:`~gongkai.check.names.level`);
a name that says neither gets the later deadline, so nothing is flagged that
might be on time. ``Options.level`` and ``Options.deadline`` override.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from gongkai.check.facts import as_date, xdict
from gongkai.check.names import level
from gongkai.check.registry import Context, Hit, Level, hit, rule
from gongkai.national.editions import (
    DEADLINE_BEFORE_2019,
    DEADLINE_DEPARTMENT,
    DEADLINE_GOVERNMENT,
)
from gongkai.record import Report

FIRST_YEAR_OF_2019_RULES = 2019


def deadline(year: int, body: Level | None) -> dt.date:
    """The last day to publish the report for ``year`` by a body of kind ``body``."""
    if year < FIRST_YEAR_OF_2019_RULES:
        month, day = DEADLINE_BEFORE_2019
    elif body == "department":
        month, day = DEADLINE_DEPARTMENT
    else:
        month, day = DEADLINE_GOVERNMENT
    return dt.date(year + 1, month, day)


def published(report: Report) -> tuple[dt.date | None, str]:
    """The publication date and where it came from (record, signature or page)."""
    if report.published is not None:
        return report.published, "record"
    sources = xdict(report, "x_published_sources")
    for key in ("signature", "page"):
        date = as_date(sources.get(key))
        if date is not None:
            return date, key
    return None, ""


_KIND = {
    "government": ("本级政府报告", "The government's own report"),
    "department": ("部门报告", "The department's report"),
    None: ("报告", "The report"),
}


@rule(
    "late-publication",
    "warning",
    "timeliness",
    title=("逾期发布", "published late"),
    doc=(
        "部门报告应在次年 1 月 31 日前发布，本级政府报告在 3 月 31 日前（2018 年度及以前均为 3 月 31 日）。"
        "机关类别由名称判断，可用 --level 或 --deadline 指定。",
        "A department publishes by 31 January of the next year, a government's own report by "
        "31 March (31 March for all reports of 2018 and earlier). The kind of body is read from "
        "the name; --level or --deadline override it.",
    ),
)
def late_publication(ctx: Context) -> Iterator[Hit]:
    report = ctx.report
    date, _ = published(report)
    if date is None or report.year is None:
        return
    body = ctx.options.level or level(report.agency)
    due = ctx.options.deadline or deadline(report.year, body)
    if date <= due:
        return
    late = (date - due).days
    yield hit(
        (
            "{kind}的发布日期为 {date}，晚于法定期限 {due}（逾期 {late} 天）。",
            "{kind_en} is dated {date}, after the deadline {due} ({late} days late).",
        ),
        expected=due.isoformat(),
        actual=date.isoformat(),
        kind=_KIND[body][0] if not ctx.options.deadline else "报告",
        kind_en=_KIND[body][1] if not ctx.options.deadline else "The report",
        date=date.isoformat(),
        due=due.isoformat(),
        late=late,
    )
