"""Prose against the tables: figures the text states, compared with the tables.

The prose of each part (``x_sections``; else ``x_text`` without table-like
lines) is folded onto one line per sentence — PDF text breaks sentences and
numbers across lines — and searched for a few kinds of statement:
applications received (受理/收到 … 申请 N 件), answered (答复/办结 N 件),
carried over from last year, carried forward, reviews (行政复议 N 件),
litigation (行政诉讼 N 件 = 直接起诉 + 复议后起诉), and "none" statements
(未收到政府信息公开申请, 未发生行政复议、行政诉讼).

Scope words decide what is compared: a figure for 全市/全区/各部门 in a
department's report counts other bodies and is skipped; a figure after 其中
is a part of another and is skipped. 受理 is compared with 新收 (or 新收 +
上年结转), 答复/办结 with （七）总计.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass

from gongkai.checks.agency import level
from gongkai.checks.facts import (
    T3_TOTAL,
    T4_TOTAL,
    as_int,
    row_label,
    rows,
    sections,
    text,
)
from gongkai.checks.registry import Context, Hit, hit, rule
from gongkai.national.editions import LITIGATION_WORD, REVIEW_WORD, part_numeral
from gongkai.record import Report

_UNIT = r"(?:件|宗|份)"
_N = r"(\d+)"
_GAP = r"[^。；;，,\d]{0,12}?"
_OBJ = r"(?:政府信息公开申请|信息公开申请|依申请公开政府信息|依申请公开申请|依申请信息公开|依申请公开|公开申请|申请)"
_COUNTED = r"(?:共|共计|合计|总计|数量|总数|数)?(?:为|达)?"

#: kind → (patterns giving a number, the Chinese and English name of the figure)
PATTERNS: dict[str, tuple[tuple[str, ...], tuple[str, str]]] = {
    "received": (
        (r"(?:受理|收到|接收|接到|新收)" + _GAP + _OBJ + _COUNTED + _N + _UNIT,),
        ("收到申请", "applications received"),
    ),
    "answered": (
        (r"(?:答复|办结|办理完毕|回复)(?:申请|了)?(?:共|共计)?" + _N + _UNIT,),
        ("答复申请", "applications answered"),
    ),
    "carried_over": (
        (r"(?:上年度?|上一年度?|去年)(?:结转|转入|遗留|未办结)(?:的)?" + _OBJ + r"?" + _N + _UNIT,),
        ("上年结转", "carried over from last year"),
    ),
    "carried_forward": (
        (
            _N + _UNIT + r"(?:申请)?(?:顺延|结转|转入)(?:到|至|入)?下一?年度?",
            r"结转(?:到|至)?下一?年度?(?:继续办理|办理)?(?:的)?(?:申请)?" + _N + _UNIT,
        ),
        ("结转下年度", "carried forward"),
    ),
    "review": (
        (r"行政复议(?:案件|申请)?(?:共|共计|合计)?" + _N + r"(?:件|宗|起)",),
        (REVIEW_WORD, "administrative reviews"),
    ),
    "litigation": (
        (r"行政诉讼(?:案件)?(?:共|共计|合计)?" + _N + r"(?:件|宗|起)",),
        (LITIGATION_WORD, "lawsuits"),
    ),
}

_ZERO: dict[str, str] = {
    "received": r"(?:未|没有)(?:收到|受理|接到|发生)"
    + _GAP
    + r"(?:政府信息公开申请|信息公开申请|依申请公开申请|公开申请)",
    "carried_over": r"无上一?年度?[^。；，,\d]{0,8}结转",
}
_ZERO_SUITS = re.compile(
    r"(?:未|没有|无)(?:发生|收到|出现)?(?:因政府信息公开(?:工作)?(?:而)?(?:引起|引发|被申请|提起)?的?)?"
    r"(行政复议|行政诉讼)(?:[、和及与或](行政复议|行政诉讼))?"
)
_NOT_ZERO_CONTEXT = re.compile(
    r"纠错|纠正|败诉|撤销|违法|法人|企业|组织|自然人|个人|当面|信函|网上|传真|邮寄"
)
_SCOPE = re.compile(
    r"全市|全区|全县|全省|全州|全旗|全盟|全系统|全镇|全乡|各地|各部门|各单位|各级|各县|各镇|各乡镇|系统内"
)
_SENTENCE = re.compile(r"[^。；;！!？?]+")
_PAGE_MARK = re.compile(r"-\d{1,3}-")
_TABLE_LINE = re.compile(r"(?:\s\d+){3,}\s*$|^\s*[\d\s|]+$")


@dataclass(frozen=True)
class Figure:
    """A figure stated in the prose."""

    kind: str
    value: int
    section: int | None
    line: int | None
    page: int | None
    snippet: str


_WHITE = re.compile(r"\s+")


def _compact(body: str) -> tuple[str, list[int]]:
    """``body`` without white space, and where each of its lines starts in that text.

    The line of the character at ``i`` is ``line_at(starts, i)``. (A list of each
    character's line cost 70 bytes a character: 1.4 GB for a record of 20 million.)
    """
    parts = [_WHITE.sub("", ln) for ln in body.split("\n")]
    starts: list[int] = []
    n = 0
    for part in parts:
        starts.append(n)
        n += len(part)
    return "".join(parts), starts


def line_at(starts: list[int], i: int) -> int:
    """The 0-based line of character ``i`` of :func:`_compact`'s text."""
    return bisect.bisect_right(starts, i) - 1


def _blocks(report: Report) -> list[tuple[int | None, int | None, int | None, str]]:
    """(part, line of its first text line, page, prose) of each part; without parts, the whole text."""
    found = sections(report)
    if found is not None:
        # a part's text starts on the line after its heading
        out: list[tuple[int | None, int | None, int | None, str]] = []
        for s in found:
            line, page = (s.where.line, s.where.page) if s.where else (None, None)
            if s.text:
                out.append((s.part, line + 1 if line else None, page, s.text))
        return out
    body = text(report)
    if body is None:
        return []
    kept = "\n".join("" if _TABLE_LINE.search(ln) else ln for ln in body.split("\n"))
    return [(None, 1, None, kept)]


def _skip(sentence: str, pos: int, agency_level: str | None) -> bool:
    """A figure for a wider scope than the agency, or a part after 其中."""
    before = sentence[:pos]
    clause = re.split(r"[，,：:]", before)[-1]
    if "其中" in clause:
        return True
    return bool(_SCOPE.search(before)) and agency_level != "government"


def _sentence_figures(sentence: str, agency_level: str | None) -> Iterator[tuple[str, int, int]]:
    """(kind, value, offset) of the figures one sentence states."""
    for kind, (patterns, _) in PATTERNS.items():
        for pat in patterns:
            for m in re.finditer(pat, sentence):
                if not _skip(sentence, m.start(), agency_level):
                    yield kind, int(m.group(1)), m.start()
    for kind, pat in _ZERO.items():
        for m in re.finditer(pat, sentence):
            if not _skip(sentence, m.start(), agency_level) and not _NOT_ZERO_CONTEXT.search(
                sentence
            ):
                yield kind, 0, m.start()
    for m in _ZERO_SUITS.finditer(sentence):
        if _skip(sentence, m.start(), agency_level) or _NOT_ZERO_CONTEXT.search(
            sentence[m.start() :]
        ):
            continue
        for word in filter(None, m.groups()):
            yield ("review" if word == REVIEW_WORD else "litigation"), 0, m.start()


def figures(report: Report) -> list[Figure]:
    """Every figure of a known kind the prose states."""
    agency_level = level(report.agency)
    out: list[Figure] = []
    for part, first_line, page, body in _blocks(report):
        flat, starts = _compact(body)
        for sent in _SENTENCE.finditer(flat):
            sentence = _PAGE_MARK.sub("", sent.group(0))
            for kind, value, pos in _sentence_figures(sentence, agency_level):
                idx = min(sent.start() + pos, len(flat) - 1)
                line = (
                    first_line + line_at(starts, idx)
                    if first_line is not None and idx >= 0
                    else None
                )
                out.append(Figure(kind, value, part, line, page, sentence))
    return list({(f.kind, f.value, f.section): f for f in out}.values())


def _table_values(report: Report) -> dict[str, tuple[list[int], dict[str, object], str]]:
    """kind → (values the tables allow, the cell's first; where in the tables; the cell named)."""
    t3, t4 = rows(report, "table3"), rows(report, "table4")
    out: dict[str, tuple[list[int], dict[str, object], str]] = {}

    def t3tot(key: str) -> int:
        return as_int(t3[key][T3_TOTAL])

    if "new" in t3:
        allowed = [t3tot("new")]
        if "carried_over" in t3:
            allowed.append(t3tot("new") + t3tot("carried_over"))
        out["received"] = (allowed, {"table": "table3", "row": "new", "column": T3_TOTAL}, "new")
    for kind, key in (
        ("answered", "total"),
        ("carried_over", "carried_over"),
        ("carried_forward", "carried_forward"),
    ):
        if key in t3:
            out[kind] = ([t3tot(key)], {"table": "table3", "row": key, "column": T3_TOTAL}, key)
    if "review" in t4:
        out["review"] = (
            [as_int(t4["review"][T4_TOTAL])],
            {"table": "table4", "row": "review", "column": T4_TOTAL},
            "review",
        )
    if "litigation_direct" in t4 and "litigation_after_review" in t4:
        suits = as_int(t4["litigation_direct"][T4_TOTAL]) + as_int(
            t4["litigation_after_review"][T4_TOTAL]
        )
        out["litigation"] = (
            [suits],
            {"table": "table4", "row": "litigation_direct", "column": T4_TOTAL},
            "litigation",
        )
    return out


_CELL_NAMES = {
    "litigation": ("直接起诉与复议后起诉总计之和", "direct suits plus suits after review")
}


@rule(
    "text-table-mismatch",
    "warning",
    "prose",
    title=("正文数字与表格不符", "prose contradicts the tables"),
    doc=(
        "正文所述的收到申请、答复、上年结转、结转下年度、行政复议、行政诉讼件数与表三、表四不一致；"
        "「全市」「全区」等范围词、「其中」后的分项不比较。口径可能不同，故为警告。",
        "A figure the prose states (applications received, answered, carried over or forward, "
        "reviews, lawsuits) differs from tables 3 and 4; figures for a wider scope (全市, 全区) "
        "or after 其中 are not compared. Scopes can differ, hence a warning.",
    ),
)
def text_table_mismatch(ctx: Context) -> Iterator[Hit]:
    report = ctx.report
    if report.template == "legacy":
        return
    tables = _table_values(report)
    for f in figures(report):
        if f.kind not in tables:
            continue
        allowed, cell, key = tables[f.kind]
        if f.value in allowed:
            continue
        table_value = allowed[0]
        table = str(cell["table"])
        cell_name = _CELL_NAMES.get(key) or (
            f"「{row_label(table, key)}」总计",
            f'"{row_label(table, key)}" total',
        )
        place = f"第{part_numeral(f.section)}部分" if f.section else "正文"
        place_en = f"Part {f.section}" if f.section else "The text"
        yield hit(
            (
                "{place}{line}写{what} {prose} 件，而{table}{cell}为 {value}，请核对口径后统一。",
                "{place_en}{line_en} states {what_en} {prose}, but {table_en} {cell_en} is {value}; "
                "check the scope and make them agree.",
            ),
            where={"section": f.section, "line": f.line, "page": f.page},
            expected=table_value,
            actual=f.value,
            extra={"table_where": cell, "prose": f.snippet[:120]},
            place=place,
            place_en=place_en,
            line=f"第 {f.line} 行" if f.line else "",
            line_en=f" line {f.line}" if f.line else "",
            what=PATTERNS[f.kind][1][0],
            what_en=PATTERNS[f.kind][1][1],
            prose=f.value,
            table="表三" if table == "table3" else "表四",
            table_en="table 3" if table == "table3" else "table 4",
            cell=cell_name[0],
            cell_en=cell_name[1],
            value=table_value,
        )


_FEE_CHARGED = re.compile(
    r"收取(?:了)?[^。；;]{0,16}?(?:信息处理费|处理费|费用)(?:共|共计|合计)?(\d+(?:\.\d+)?)万?元"
)
_FEE_NOTICE = re.compile(
    r"(?:发出|送达|出具)(?:了)?[^。；;]{0,6}?收费通知(?:书)?(?:共|共计)?(\d+)(?:件|份|次)"
)


@rule(
    "fee-not-reported",
    "warning",
    "prose",
    title=("收费情况未在第六部分报告", "fees not reported in part 六"),
    doc=(
        "表三（六）2「逾期未按收费通知要求缴纳费用」大于 0，或正文说收取了信息处理费、发出了收费通知，"
        "但第六部分「其他需要报告的事项」没有提到收费（国办函〔2020〕109号要求在此报告）。",
        "Fees were charged or noticed (（六）2 > 0, or the prose says so) but part 六 says "
        "nothing about fees, where 国办函〔2020〕109号 wants them reported.",
    ),
)
def fee_not_reported(ctx: Context) -> Iterator[Hit]:
    report = ctx.report
    found = sections(report)
    if found is None or report.template != "2021":
        return
    six = "".join(s.text + s.title for s in found if s.part == 6)
    if "费" in six:
        return
    t3 = rows(report, "table3")
    reasons: list[tuple[str, str]] = []
    unpaid = as_int(t3["other_unpaid_fee"][T3_TOTAL]) if "other_unpaid_fee" in t3 else 0
    if unpaid > 0:
        reasons.append(
            (
                f"表三（六）2 逾期未缴费 {unpaid} 件",
                f"table 3 （六）2 counts {unpaid} unpaid fee notices",
            )
        )
    prose = "".join(re.sub(r"\s+", "", s.text) for s in found if s.part != 6)
    for m in _FEE_CHARGED.finditer(prose):
        if float(m.group(1)) > 0:
            reasons.append(
                (
                    f"正文说收取费用 {m.group(1)} 元",
                    f"the prose says {m.group(1)} yuan were charged",
                )
            )
            break
    for m in _FEE_NOTICE.finditer(prose):
        if int(m.group(1)) > 0:
            reasons.append(
                (
                    f"正文说发出收费通知 {m.group(1)} 件",
                    f"the prose says {m.group(1)} fee notices were sent",
                )
            )
            break
    if reasons:
        yield hit(
            (
                "{why}，但第六部分没有报告收费情况，请按国办函〔2020〕109号在第六部分说明。",
                "{why_en}, but part 6 says nothing about fees; report them there as 国办函〔2020〕109号 requires.",
            ),
            where={"section": 6},
            actual=unpaid or None,
            why="；".join(r[0] for r in reasons),
            why_en="; ".join(r[1] for r in reasons),
        )
