"""The report as a sequence of blocks, the same for every output format.

:func:`compose` lays a :class:`ReportData` out as the official report
prints it: title, preamble (legal basis, statistics period, contact), the
six parts with their headings, the agency's paragraphs, the sentences
written from the numbers (parts 一 and 三), the three tables in parts 二,
三 and 四, and the signature with the date. DOCX, HTML, Markdown and text
differ only in how they draw these blocks.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

from gongkai.write import sentences
from gongkai.write.data import ReportData
from gongkai.write.grid import GridTable, official_tables

BlockKind = Literal[
    "title", "notice", "preamble", "heading", "subheading", "para", "table", "signature", "date"
]

_SUBHEAD = re.compile(r"^[（(][一二三四五六七八九十]+[)）][^。；]{1,28}[。]?$")


@dataclass(frozen=True)
class Block:
    kind: BlockKind
    text: str = ""
    table: GridTable | None = None
    part: int | None = None


def chinese_date(d: dt.date) -> str:
    """``2022-01-20`` → ``2022年1月20日`` (as signed on reports)."""
    return f"{d.year}年{d.month}月{d.day}日"


def forced_notice(rules: tuple[str, ...]) -> str:
    """The mark on a report written past error findings (``--force``)."""
    listed = "、".join(dict.fromkeys(rules))
    return (
        f"【注意】本文件未通过 gongkai 检查（{len(rules)} 项错误：{listed}），"
        "经强制生成，仅供核对，不是可以发布的正式文本。"
    )


def default_preamble(data: ReportData) -> str:
    year = data.year
    return (
        "本报告依据《中华人民共和国政府信息公开条例》（以下简称《条例》）和"
        f"《中华人民共和国政府信息公开工作年度报告格式》（{data.edition.issued_with}）要求编制。"
        f"本报告所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。"
    )


def _paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _text_blocks(text: str, part: int) -> list[Block]:
    out: list[Block] = []
    for line in _paragraphs(text):
        kind: BlockKind = "subheading" if _SUBHEAD.match(line) else "para"
        out.append(Block(kind, line, part=part))
    return out


def _part1(data: ReportData) -> list[Block]:
    """Part 一: the agency's text, with the application summary where it belongs.

    Placed at ``{{申请情况}}`` if the text has it, else under the sub-heading
    on applications (``（二）依申请公开``), else at the end.
    """
    report, edition = data.report, data.edition
    text = data.part_text(1)
    if sentences.has_placeholder(text):
        return _text_blocks(sentences.fill(text, report, edition), 1)
    blocks = _text_blocks(text, 1)
    written = sentences.applications_summary(report, edition)
    if not written:
        return blocks  # nothing to say from blank cells
    summary = Block("para", written, part=1)
    for i, b in enumerate(blocks):
        if b.kind == "subheading" and "申请" in b.text:
            return [*blocks[: i + 1], summary, *blocks[i + 1 :]]
    return [*blocks, summary]


def _part3(data: ReportData) -> list[Block]:
    report, edition = data.report, data.edition
    text = data.part_text(3)
    if sentences.has_placeholder(text):
        return _text_blocks(sentences.fill(text, report, edition), 3)
    written = sentences.applications_detail(report, edition)
    detail = [Block("para", written, part=3)] if written else []
    return [*detail, *_text_blocks(text, 3)]


def compose(data: ReportData) -> list[Block]:
    """The blocks of the report, in print order."""
    report, edition = data.report, data.edition
    tables = {t.key: t for t in official_tables(edition, report)}
    by_part = {t.part: tables[t.key] for t in edition.tables}
    preamble = data.narrative.preamble or default_preamble(data)
    if data.narrative.contact:
        preamble = f"{preamble}{data.narrative.contact}"
    blocks: list[Block] = [Block("title", data.title)]
    if data.forced:
        blocks.append(Block("notice", forced_notice(data.forced)))
    blocks.extend(Block("preamble", p) for p in _paragraphs(preamble))
    for part in edition.parts:
        blocks.append(Block("heading", part.heading, part=part.number))
        if part.number == 1:
            blocks.extend(_part1(data))
        elif part.number == 3:
            blocks.extend(_part3(data))
        else:
            text = sentences.fill(data.part_text(part.number), report, edition)
            blocks.extend(_text_blocks(text, part.number))
        if part.number in by_part:
            blocks.append(Block("table", table=by_part[part.number], part=part.number))
    blocks.append(Block("signature", data.signature))
    if report.published is not None:
        blocks.append(Block("date", chinese_date(report.published)))
    return blocks
