"""Agency mismatch: the report names another body as its author.

A report copied from another agency keeps traces of it: a title or a
signature naming another body, or the preamble's "本报告由 … 编制". Names
are compared with :func:`~gongkai.check.names.same_body`, which lets a short
form (``省民政厅``) or the compiling office (``区人民政府办公室`` for the
district government's own report) stand for the agency. Names merely
mentioned in the text (a superior's notice, the site's owner) are not
compared.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from gongkai.check.facts import as_line, strings, text, xdict
from gongkai.check.names import DEPARTMENT_ENDINGS, GOVERNMENT_ENDINGS, clean_name, same_body
from gongkai.check.registry import Context, Hit, hit, rule
from gongkai.record import Report

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
    sources = xdict(report, "x_agency_sources")
    for place in ("title", "signature"):
        out += [(place, s, None) for s in strings(sources.get(place))]
    sig = xdict(report, "x_signature")
    out += [("signature", s, as_line(sig.get("where"))) for s in strings(sig.get("agency"))]
    preamble = report.extra("x_preamble")
    body = preamble if isinstance(preamble, str) and preamble.strip() else text(report)
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
