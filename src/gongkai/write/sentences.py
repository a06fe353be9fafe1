"""Sentences written from the numbers, so the prose cannot contradict the tables.

Every figure in these sentences is read from the same cells the tables
print, through the same national format data: the outcome categories are
the groups of table 3 of the report's edition. A blank cell is not a zero:
a clause whose figure is blank is left out, and a sentence whose figures
are all blank is not written at all (the empty string) — the writer never
states 「未收到申请」 from cells nobody filled in.

- :func:`applications_summary` — part 一 (依申请公开): received, carried
  over, concluded, carried forward.
- :func:`applications_detail` — part 三: the same with the outcome
  categories of table 3 and the applicants.
- :func:`reviews` — part 四: administrative reviews and lawsuits.
"""

from __future__ import annotations

import re

from gongkai.national.editions import CARRIED_FORWARD_WORDS, T3_GROUP_LABELS, T3_LEGAL_PERSONS
from gongkai.national.model import Edition
from gongkai.record import Report

_NUMBERING = re.compile(r"^[（(][一二三四五六七八九十]+[)）]")
_PAREN = re.compile(r"[（(].*$")

#: Placeholders the agency may put in its text; each becomes a sentence.
PLACEHOLDERS = {
    "{{申请情况}}": "applications_summary",
    "{{办理情况}}": "applications_detail",
    "{{复议诉讼}}": "reviews",
}


def _t3(report: Report, key: str, col: int = -1) -> int | None:
    row = report.t3().get(key)
    if not row:
        return None
    return row[col]


def _t4_total(report: Report, key: str) -> int | None:
    row = report.t4().get(key)
    return row[-1] if row else None


def _sum(values: list[int | None]) -> int | None:
    """The sum of the figures given, ``None`` when every one is blank."""
    given = [v for v in values if v is not None]
    return sum(given) if given else None


def _clauses(pairs: list[tuple[str, int | None]]) -> list[str]:
    return [f"{text}{n}件" for text, n in pairs if n is not None]


def short_name(label: str) -> str:
    """``（二）部分公开（区分处理的，…）`` → ``部分公开``."""
    return _PAREN.sub("", _NUMBERING.sub("", label.strip())).strip()


def outcome_categories(edition: Edition) -> list[tuple[str, list[str]]]:
    """The outcome categories of table 3 in print order: (name, row keys)."""
    table = edition.table("table3")
    top = T3_GROUP_LABELS[0]
    cats: list[tuple[str, list[str]]] = []
    for row in table.rows:
        if not row.outcome:
            continue
        name = short_name(row.label if row.group in (None, top) else row.group or "")
        if cats and cats[-1][0] == name:
            cats[-1][1].append(row.key)
        else:
            cats.append((name, [row.key]))
    return cats


def applications_summary(report: Report, edition: Edition) -> str:
    """One sentence for part 一: 新收, 上年结转, 办结, 结转下年度 ("" when all are blank)."""
    new, carried = _t3(report, "new"), _t3(report, "carried_over")
    done, forward = _t3(report, "total"), _t3(report, "carried_forward")
    if new == 0 and carried == 0 and done == 0 and forward == 0:
        return "本年度未收到政府信息公开申请，无上年结转申请。"
    head = _clauses([("本年度共新收政府信息公开申请", new), ("上年结转", carried)])
    tail = _clauses([("办结", done), (CARRIED_FORWARD_WORDS, forward)])
    if not head and not tail:
        return ""
    return "；".join(x for x in ("，".join(head), "，".join(tail)) if x) + "。"


def applications_detail(report: Report, edition: Edition) -> str:
    """The sentence for part 三: the summary with applicants and outcome categories."""
    new, carried = _t3(report, "new"), _t3(report, "carried_over")
    done, forward = _t3(report, "total"), _t3(report, "carried_forward")
    if new == 0 and carried == 0 and done == 0 and forward == 0:
        return "本年度未收到政府信息公开申请，无上年结转申请，无结转下年度继续办理的申请。"
    cols = edition.table("table3").columns
    person = _t3(report, "new", 0)
    legal = _sum([_t3(report, "new", i) for i in range(1, len(cols) - 1)])
    sentences: list[str] = []
    head = _clauses([("本年度共新收政府信息公开申请", new)])
    if head and new and person is not None and legal is not None:
        head[0] += f"（{cols[0].label}{person}件，{T3_LEGAL_PERSONS}{legal}件）"
    head += _clauses([("上年结转", carried)])
    if head:
        sentences.append("，".join(head) + "。")
    outcomes = [
        (name, _sum([_t3(report, k) for k in keys])) for name, keys in outcome_categories(edition)
    ]
    listed = "，".join(f"{name}{n}件" for name, n in outcomes if n)
    body = _clauses([("本年度办结", done)])
    if body and listed:
        body[0] += f"，其中{listed}"
    body += _clauses([(CARRIED_FORWARD_WORDS, forward)])
    if body:
        sentences.append("；".join(body) + "。")
    return "".join(sentences)


def reviews(report: Report, edition: Edition) -> str:
    """The sentence for part 四: 行政复议 N 件, 行政诉讼 M 件 ("" when all are blank)."""
    table = edition.table("table4")
    review_key = next(r.key for r in table.rows if r.group is None)
    suits = [r for r in table.rows if r.group is not None]
    r = _t4_total(report, review_key)
    per_suit = [(s.label, _t4_total(report, s.key)) for s in suits]
    lawsuits = _sum([n for _, n in per_suit])
    if r is None and lawsuits is None:
        return ""
    if r == 0 and lawsuits == 0:
        return "本年度未发生因政府信息公开工作被申请行政复议或提起行政诉讼的情况。"
    out = []
    if r is not None:
        out.append(f"本年度因政府信息公开工作被申请行政复议{r}件")
    if lawsuits is not None:
        detail = "，".join(_clauses(per_suit))
        lead = "被" if out else "本年度因政府信息公开工作被"
        out.append(f"{lead}提起行政诉讼{lawsuits}件（{detail}）")
    return "，".join(out) + "。"


_FUNCS = {
    "applications_summary": applications_summary,
    "applications_detail": applications_detail,
    "reviews": reviews,
}


def fill(text: str, report: Report, edition: Edition) -> str:
    """Replace the placeholders in ``text`` by their sentences."""
    for token, name in PLACEHOLDERS.items():
        if token in text:
            text = text.replace(token, _FUNCS[name](report, edition))
    return text


def has_placeholder(text: str) -> bool:
    return any(token in text for token in PLACEHOLDERS)
