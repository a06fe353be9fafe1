"""Across years: this year's report against last year's of the same agency.

Last year's report comes from ``check(report, previous=…)``; the CLI finds it
in a file, a directory or the batch itself, pairing reports by
:func:`~gongkai.checks.agency.agency_key` and year (:func:`pair`). A previous
report of another agency or year is not compared: ``previous-unpaired`` says
so instead.

Text reuse: the prose of each part (``x_sections[].text``, tables left out)
is cut into character 8-grams after folding white space, punctuation and
numbers (a copied sentence with new numbers still counts as copied); the
share of this year's 8-grams found anywhere in last year's prose is the
reuse share. The threshold was set from real reports: two consecutive years
of one district government (hongze 2023 → 2024) share 39 % of their prose —
parts 一 and 五 about 37 % each, the one-sentence part 六 all of it — so a
report is flagged when 60 % or more of its prose repeats, and only when it
has enough prose (200 8-grams) for a share to mean something.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from typing import TypeVar

from gongkai.agencies import agency_key, same_agency
from gongkai.checks.facts import T3_WIDTH, as_int, column_label, row_label, rows, sections
from gongkai.checks.registry import Context, Hit, hit, rule
from gongkai.national.editions import EDITION_2021
from gongkai.record import Report

T = TypeVar("T")


def unpaired_reason(report: Report, previous: Report) -> tuple[str, str] | None:
    """Why ``previous`` is not last year's report of the same agency (None: it is)."""
    if report.year is not None and previous.year is not None and previous.year != report.year - 1:
        return (
            f"上一年度报告应为 {report.year - 1} 年度，给出的是 {previous.year} 年度",
            f"last year's report should be for {report.year - 1}, the one given is for {previous.year}",
        )
    if report.agency and previous.agency and not same_agency(report.agency, previous.agency):
        return (
            f"给出的上一年度报告属于「{previous.agency}」，不是「{report.agency}」",
            f"the previous report given is of {previous.agency}, not {report.agency}",
        )
    return None


def paired(ctx: Context) -> Report | None:
    """Last year's report if it is one of the same agency."""
    prev = ctx.previous
    if prev is None or unpaired_reason(ctx.report, prev) is not None:
        return None
    return prev


def pair_key(report: Report) -> tuple[str, int] | None:
    if not report.agency or report.year is None:
        return None
    return agency_key(report.agency), report.year


def pair(items: Sequence[tuple[T, Report]], pool: Sequence[tuple[T, Report]] = ()) -> dict[int, T]:
    """For each item, the index-aligned key of last year's report of its agency.

    Looks in ``items`` themselves and in ``pool`` (a directory's reports);
    returns ``{index in items: id of the previous report}``.
    """
    by_key: dict[tuple[str, int], T] = {}
    for ident, rep in [*pool, *items]:
        k = pair_key(rep)
        if k is not None:
            by_key.setdefault(k, ident)
    out: dict[int, T] = {}
    for i, (_, rep) in enumerate(items):
        k = pair_key(rep)
        if k is not None and (k[0], k[1] - 1) in by_key:
            out[i] = by_key[(k[0], k[1] - 1)]
    return out


@rule(
    "previous-unpaired",
    "info",
    "across-years",
    title=("上一年度报告不匹配", "previous report does not pair"),
    doc=(
        "给出的上一年度报告不是同一机关的上一年度报告，跨年度检查未进行。",
        "The previous report given is not last year's report of the same agency, "
        "so the across-year rules were not run.",
    ),
    spec=False,
)
def previous_unpaired(ctx: Context) -> Iterator[Hit]:
    if ctx.previous is None:
        return
    reason = unpaired_reason(ctx.report, ctx.previous)
    if reason is not None:
        yield hit(
            ("{zh}，未做跨年度检查。", "{en}; the across-year checks were not run."),
            zh=reason[0],
            en=reason[1],
        )


@rule(
    "carry-over",
    "error",
    "across-years",
    title=("上年结转与上年报告不符", "carry-over differs from last year"),
    doc=(
        "本年表三「二、上年结转」每一列应等于同一机关上一年度报告的「四、结转下年度继续办理」。",
        "Every column of this year's 上年结转 must equal last year's 结转下年度继续办理 "
        "(same agency).",
    ),
)
def carry_over(ctx: Context) -> Iterator[Hit]:
    prev = paired(ctx)
    if prev is None:
        return
    now, before = rows(ctx.report, "table3"), rows(prev, "table3")
    if "carried_over" not in now or "carried_forward" not in before:
        return
    for c in range(T3_WIDTH):
        got, want = as_int(now["carried_over"][c]), as_int(before["carried_forward"][c])
        if got != want:
            yield hit(
                (
                    "表三「{col}」列：上年结转为 {got}，但 {year} 年度报告的结转下年度为 {want}，请核对。",
                    'Table 3 column "{col}": carried over is {got}, but the {year} report '
                    "carried {want} forward; check it.",
                ),
                where={"table": "table3", "row": "carried_over", "column": c},
                expected=want,
                actual=got,
                col=column_label("table3", c),
                got=got,
                want=want,
                year=prev.year if prev.year is not None else "上一",
            )


@rule(
    "stock-flow",
    "warning",
    "across-years",
    title=("现行有效件数与上年不衔接", "in-force count does not follow from last year"),
    doc=(
        "2021 版表二：现行有效件数应约等于上年现行有效件数 + 本年制发 − 本年废止"
        "（各地对修订的计法不同，故只作警告）。",
        "2021 table 2: 现行有效件数 ≈ last year's + 本年制发 − 本年废止 (a heuristic: "
        "agencies count amendments differently, so a warning).",
    ),
)
def stock_flow(ctx: Context) -> Iterator[Hit]:
    prev = paired(ctx)
    if prev is None or ctx.report.template != "2021" or prev.template != "2021":
        return
    now, before = ctx.report.t2(), prev.t2()
    for row in EDITION_2021.table("table2").rows:
        keys = [c.key for c in row.columns]
        if keys != ["issued", "repealed", "in_force"]:
            continue
        cur, old = now.get(row.key), before.get(row.key)
        if not isinstance(cur, dict) or not isinstance(old, dict):
            continue
        issued, repealed, in_force = cur.get("issued"), cur.get("repealed"), cur.get("in_force")
        last = old.get("in_force")
        values = (issued, repealed, in_force, last)
        if not all(isinstance(v, int) for v in values):
            continue
        assert isinstance(issued, int) and isinstance(repealed, int)
        assert isinstance(in_force, int) and isinstance(last, int)
        want = last + issued - repealed
        if want != in_force:
            yield hit(
                (
                    "表二「{row}」：上年现行有效 {last} + 本年制发 {issued} − 本年废止 {repealed} = {want}，"
                    "但现行有效件数为 {got}，请核对（如有修订计法不同，请在报告中说明）。",
                    'Table 2 "{row}": last year in force {last} + issued {issued} − repealed {repealed} = {want}, '
                    "but in force is {got}; check it (or explain how amendments are counted).",
                ),
                where={"table": "table2", "row": row.key, "column": "in_force"},
                expected=want,
                actual=in_force,
                row=row_label("table2", row.key),
                last=last,
                issued=issued,
                repealed=repealed,
                want=want,
                got=in_force,
            )


# ---------------------------------------------------------------- text reuse

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
