"""The issuing body: its name, whether the report names another author, and when it published.

* Names. ``淮安市洪泽区人民政府`` and ``洪泽区人民政府`` are the same body: the
  key (:func:`agency_key`) keeps the lowest administrative unit of a name
  and what follows it, and writes ``人民政府`` as ``政府``; reports pair
  across years on it. :func:`level` tells a government's own (本级) report
  from a department's.
* ``agency-mismatch``. A report copied from another agency keeps traces of
  it: a title or a signature naming another body, or the preamble's "本报告由
  … 编制". Names are compared with :func:`same_body`, which lets a short form
  (``省民政厅``) or the compiling office (``区人民政府办公室`` for the district
  government's own report) stand for the agency. Names merely mentioned in
  the text (a superior's notice, the site's owner) are not compared.
* ``late-publication`` (条例 art. 49). Departments of governments at county
  level and above publish last year's report by 31 January; a government's
  own report is due by 31 March; before the 2019 条例 (reports for 2018 and
  earlier) 31 March held for all. A name that says neither kind of body gets
  the later deadline, so nothing is flagged that might be on time;
  ``Options.level`` and ``Options.deadline`` override.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from gongkai.agencies import (
    DEPARTMENT_ENDINGS,
    GOVERNMENT_ENDINGS,
    clean_name,
    same_body,
)
from gongkai.checks.facts import strings, text
from gongkai.checks.registry import Context, Hit, Level, hit, rule
from gongkai.national.editions import (
    DEADLINE_BEFORE_2019,
    DEADLINE_DEPARTMENT,
    DEADLINE_GOVERNMENT,
)
from gongkai.record import Report

# ---------------------------------------------------------------- names


def level(name: str | None) -> Level | None:
    """``government`` for a government's own name, ``department`` for a department's."""
    if not name:
        return None
    s = clean_name(name)
    if s.endswith(GOVERNMENT_ENDINGS):
        return "government"
    if s.endswith(DEPARTMENT_ENDINGS):
        return "department"
    return None


# ---------------------------------------------------------------- agency-mismatch

_AUTHOR = re.compile(
    r"本报告(?:是)?由([^\s，,。；（(《]{3,30}?)(?:根据|依据|按照|依照|编制|制作|负责)"
)
_TITLE_TAIL = re.compile(r"(?:19|20)\d\d|关于|政府信息公开|年度|工作报告")
_PLACES = {
    "title": ("标题", "the title"),
    "signature": ("落款", "the signature"),
    "author": ("报告说明", "the preamble"),
}


def _name(raw: str) -> str | None:
    s = clean_name(raw)
    m = _TITLE_TAIL.search(s)
    if m is not None:
        s = s[: m.start()]
    if len(s) < 3 or not s.endswith((*GOVERNMENT_ENDINGS, *DEPARTMENT_ENDINGS)):
        return None
    return s


def claimed_authors(report: Report) -> list[tuple[str, str, int | None]]:
    """(place, name, line) of every place that names the report's author."""
    out: list[tuple[str, str, int | None]] = []
    ev = report.evidence
    out += [("title", s, None) for s in strings(ev.agency_sources.title)]
    out += [("signature", s, None) for s in strings(ev.agency_sources.signature)]
    sig = ev.signature
    if sig is not None:
        line = sig.where.line if sig.where else None
        out += [("signature", s, line) for s in strings(sig.agency)]
    preamble = ev.preamble
    body = preamble if preamble and preamble.strip() else text(report)
    if body is not None:
        flat = re.sub(r"\s+", "", body)
        out += [("author", m.group(1), None) for m in _AUTHOR.finditer(flat)]
    named: list[tuple[str, str, int | None]] = []
    for place, raw, line in out:
        name = _name(raw)
        if name is not None:
            named.append((place, name, line))
    return named


@rule(
    "agency-mismatch",
    "warning",
    "agency",
    title=("报告署名为其他机关", "another agency named as author"),
    doc=(
        "标题、落款或「本报告由……编制」写的是另一个机关（可能照搬了其他机关的报告）；简称和负责编制的办公室不算。",
        "The title, the signature or the preamble (本报告由…编制) names another agency as the "
        "author, as in a report copied from elsewhere; short forms and the compiling office are fine.",
    ),
)
def agency_mismatch(ctx: Context) -> Iterator[Hit]:
    report = ctx.report
    named = claimed_authors(report)
    primary = report.agency or next((n for _, n, _ in named), None)
    if not primary:
        return
    reported: set[str] = set()
    for place, name, line in named:
        if name in reported or same_body(primary, name):
            continue
        reported.add(name)
        where = _PLACES[place]
        yield hit(
            (
                "{place}写的机关是「{name}」，而报告机关是「{agency}」，请核对是否沿用了其他机关的报告。",
                '{place_en} names "{name}" while the report is of "{agency}"; check whether it '
                "was copied from another agency's report.",
            ),
            where={"section": place, "line": line},
            expected=primary,
            actual=name,
            place=where[0],
            place_en=where[1].capitalize(),
            name=name,
            agency=primary,
        )


# ---------------------------------------------------------------- late-publication

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
    sources = report.evidence.published_sources
    if sources.signature is not None:
        return sources.signature, "signature"
    if sources.page is not None:
        return sources.page, "page"
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
            "{kind}的发布日期为 {date}，晚于{which} {due}（逾期 {late} 天）。",
            "{kind_en} is dated {date}, after the {which_en} {due} ({late} days late).",
        ),
        which="指定期限" if ctx.options.deadline else "法定期限",
        which_en="deadline given" if ctx.options.deadline else "statutory deadline",
        expected=due.isoformat(),
        actual=date.isoformat(),
        kind=_KIND[body][0] if not ctx.options.deadline else "报告",
        kind_en=_KIND[body][1] if not ctx.options.deadline else "The report",
        date=date.isoformat(),
        due=due.isoformat(),
        late=late,
    )


@rule(
    "publication-date-unknown",
    "info",
    "timeliness",
    title=("未检查发布时限", "timeliness not checked"),
    doc=(
        "报告中没有找到发布日期（落款日期、网页的发布时间），因此没有检查是否按时发布。",
        "No publication date was found (the date signed, the page's publication date), so "
        "whether the report was published on time was not checked.",
    ),
)
def publication_date_unknown(ctx: Context) -> Iterator[Hit]:
    # only on a report read from a file (the reader looked for a date and says where)
    if not ctx.report.evidence.has("published_sources") or published(ctx.report)[0] is not None:
        return
    yield hit(
        (
            "未找到发布日期（落款日期或网页发布时间），因此未检查是否按期发布，请人工核对。",
            "No publication date was found (signature or page date): timeliness was not checked.",
        )
    )
