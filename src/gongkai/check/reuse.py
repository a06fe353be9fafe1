"""Text reuse: how much of each part's prose repeats last year's report.

The prose of each part (``x_sections[].text``, tables left out) is cut into
character 8-grams after folding white space, punctuation and numbers (a
copied sentence with new numbers still counts as copied). The share of this
year's 8-grams found anywhere in last year's prose is the reuse share.

The threshold was set from real reports: two consecutive years of one
district government (hongze 2023 → 2024) share 39 % of their prose — parts
一 and 五 about 37 % each, the one-sentence part 六 all of it — so a report
is flagged when 60 % or more of its prose repeats, and only when it has
enough prose (200 8-grams) for a share to mean something.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from gongkai.check.across_years import paired
from gongkai.check.facts import sections
from gongkai.check.registry import Context, Hit, hit, rule
from gongkai.record import Report

SHINGLE = 8
MIN_SHINGLES = 200
MIN_PART_SHINGLES = 20

_DIGITS = re.compile(r"\d+(?:\.\d+)?")
_NOISE = re.compile(r"[\W_]+")


def shingles(text: str, n: int = SHINGLE) -> set[str]:
    """Character n-grams of ``text`` with spaces, punctuation and numbers folded."""
    s = _DIGITS.sub("#", unicodedata.normalize("NFKC", text))
    s = _NOISE.sub("", s)
    return {s[i : i + n] for i in range(len(s) - n + 1)}


def part_shingles(report: Report) -> dict[int, set[str]] | None:
    found = sections(report)
    if found is None:
        return None
    out: dict[int, set[str]] = {}
    for s in found:
        out.setdefault(s.part, set()).update(shingles(s.text))
    return out


def reuse_shares(report: Report, previous: Report) -> tuple[float, dict[int, float], int] | None:
    """(overall share, share per part, 8-grams compared); None without sections."""
    now, before = part_shingles(report), part_shingles(previous)
    if now is None or before is None:
        return None
    old = set().union(*before.values()) if before else set()
    per_part: dict[int, float] = {}
    total = repeated = 0
    for part, grams in sorted(now.items()):
        if not grams:
            continue
        same = len(grams & old)
        total += len(grams)
        repeated += same
        if len(grams) >= MIN_PART_SHINGLES:
            per_part[part] = same / len(grams)
    if total == 0:
        return None
    return repeated / total, per_part, total


_NUMERALS = "一二三四五六七八九十"


@rule(
    "text-reuse",
    "warning",
    "across-years",
    title=("正文大量沿用上年", "prose repeats last year's"),
    doc=(
        "与同一机关上一年度报告相比，本年正文（不含表格）有 60% 以上的文字重复（按 8 字片段计，数字不计）。"
        "报告应写本年的工作。",
        "60 % or more of this year's prose (tables left out) repeats last year's report of the "
        "same agency, counted in 8-character shingles with numbers folded. A report should "
        "describe this year's work.",
    ),
)
def text_reuse(ctx: Context) -> Iterator[Hit]:
    prev = paired(ctx)
    if prev is None:
        return
    shares = reuse_shares(ctx.report, prev)
    if shares is None:
        return
    overall, per_part, total = shares
    threshold = ctx.options.reuse_threshold
    if total < MIN_SHINGLES or overall < threshold:
        return
    worst = max(per_part, key=lambda p: per_part[p]) if per_part else None
    detail = "，".join(
        f"{_NUMERALS[p - 1] if 1 <= p <= 10 else p} {share:.0%}" for p, share in per_part.items()
    )
    detail_en = ", ".join(f"part {p} {share:.0%}" for p, share in per_part.items())
    yield hit(
        (
            "正文有 {share} 与 {year} 年度报告相同（各部分：{detail}），请按本年实际情况重写。",
            "{share} of the prose repeats the {year} report ({detail_en}); rewrite it for this year.",
        ),
        where={"section": worst},
        expected=threshold,
        actual=round(overall, 3),
        extra={"shares": {str(p): round(s, 3) for p, s in per_part.items()}},
        share=f"{overall:.0%}",
        year=prev.year if prev.year is not None else "上一",
        detail=detail,
        detail_en=detail_en,
    )
