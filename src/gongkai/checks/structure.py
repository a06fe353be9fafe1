"""Structure and format: parts, tables, cells, edition, year.

What the parser saw (``x_sections``, ``x_tables``, ``x_warnings``,
``x_blank_cells``, ``x_year_sources``) decides most of these; without those
keys a rule that needs them stays silent, and the rest look at the record
alone (a table or row the template has but the record lacks).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from gongkai.checks.facts import (
    column_label,
    flagged_rows,
    row_label,
    rows,
    sections,
    table2_column,
    text,
    unsure_rows,
)
from gongkai.checks.registry import Context, Hit, hit, rule
from gongkai.national.editions import PARTS, edition, edition_for_year
from gongkai.national.names import TABLE_NAMES
from gongkai.record import Report

_NUMERAL = r"(?:^|\n)[ \t\u3000]*[（(]?[一二三四五六七八九十]{1,3}[)）]?[ \t\u3000]*[、.．，,]?[ \t\u3000]*"


def _loose(title: str) -> str:
    """A pattern for ``title`` that allows spaces between characters and either comma."""
    out = []
    for ch in title:
        out.append("[、，,]" if ch in "、，," else re.escape(ch))
    return r"\s*".join(out)


def _heading_in_text(body: str, titles: tuple[str, ...]) -> bool:
    """A numbered heading carrying one of ``titles`` somewhere in ``body``."""
    return any(re.search(_NUMERAL + _loose(t), body) for t in titles)


@rule(
    "missing-section",
    "error",
    "structure",
    title=("缺少报告部分", "a part is missing"),
    doc=(
        "报告应有六个部分（一、总体情况 … 六、其他需要报告的事项），接受常见的标题变体；"
        "只有解析器给出了 x_sections 时才检查。",
        "A report has six parts (一、总体情况 … 六、其他需要报告的事项); the usual title "
        "variants are accepted. Checked only when the parser gave x_sections.",
    ),
)
def missing_section(ctx: Context) -> Iterator[Hit]:
    report = ctx.report
    found = sections(report)
    if report.template == "legacy" or found is None:
        return
    parts = {s.part for s in found}
    body = text(report) or ""
    for part in edition(report.template).parts or PARTS:
        if part.number in parts or (body and _heading_in_text(body, part.titles)):
            continue
        yield hit(
            (
                "报告缺少第{num}部分「{heading}」，请补上这一部分。",
                'Part {number} "{heading}" is missing from the report; add it.',
            ),
            where={"section": part.number},
            num=part.numeral,
            number=part.number,
            heading=part.heading,
        )


def _required_tables(report: Report) -> list[str]:
    if report.template == "legacy":
        return []
    return [t.key for t in edition(report.template).tables]


@rule(
    "missing-table",
    "error",
    "structure",
    title=("缺少统计表", "a table is missing"),
    doc=(
        "格式要求的表二、表三、表四缺失，或只是一张图片。",
        "A table the template requires (2, 3 or 4) is absent, or only an image.",
    ),
)
def missing_table(ctx: Context) -> Iterator[Hit]:
    report = ctx.report
    tables = report.evidence.tables
    for key in _required_tables(report):
        seen = tables.get(key)
        image = seen is not None and seen.image_only
        if not image and getattr(report, key) is not None and (seen is None or seen.found):
            continue
        zh, en = TABLE_NAMES[key]
        yield hit(
            (
                "{zh}只是一张图片，无法读取其中的数字，请以文字表格发布。",
                "{en} is only an image, its figures cannot be read; publish it as a text table.",
            )
            if image
            else (
                "报告缺少{zh}，请按格式补上。",
                "{en} is missing from the report; add it as the template requires.",
            ),
            where={"table": key, "line": seen.where.line if seen and seen.where else None},
            zh=zh,
            en=en,
        )


def _expected_rows(report: Report, table: str) -> list[str]:
    keys = list(edition(report.template).table(table).row_keys)
    if table == "table3":
        present = rows(report, "table3")
        other = {"other"} if "other" in keys else {k for k in keys if k.startswith("other_")}
        if not other & set(present):
            # the （六） row of the other edition stands in: t3-legacy-row's business
            alien = {"other_no_correction", "other_unpaid_fee", "other_misc", "other"} - other
            if alien & set(present):
                keys = [k for k in keys if k not in other]
    return keys


@rule(
    "missing-cell",
    "warning",
    "structure",
    title=("缺少单元格", "cells are missing"),
    doc=(
        "某一行显示的数值少于格式规定的格数（解析器的 short-row 提示），或格式规定的一行整行缺失。",
        "A row shows fewer values than the template has cells (the parser's short-row "
        "warning), or a row the template has is absent altogether.",
    ),
)
def missing_cell(ctx: Context) -> Iterator[Hit]:
    report = ctx.report
    for w in report.evidence.warnings_of("short-row"):
        table = w.table or ""
        row = w.row or None
        exp, act = w.expected, w.actual
        zh, en = TABLE_NAMES.get(table, (table, table))
        message = (
            (
                "{zh}「{label}」行只显示 {act} 个数值，格式有 {exp} 格，请补全空缺的单元格。",
                '{en} row "{label}" shows {act} values where the template has {exp} cells; fill in the missing cells.',
            )
            if row
            else (
                "{zh}只显示 {act} 个数值，格式有 {exp} 格，请补全空缺的单元格。",
                "{en} shows {act} values where the template has {exp} cells; fill in the missing cells.",
            )
        )
        yield hit(
            message,
            where={"table": table, "row": row, "line": w.where.line if w.where else None},
            expected=exp,
            actual=act,
            zh=zh,
            en=en,
            label=row_label(table, row) if row else "",
            exp=exp if exp is not None else "?",
            act=act if act is not None else "?",
        )
    if report.template == "legacy":
        return
    present: dict[str, set[str]] = {
        "table2": set(report.t2()),
        "table3": set(rows(report, "table3")),
        "table4": set(rows(report, "table4")),
    }
    # a row whose label is printed but whose values the reader could not find is not
    # missing (its cells are unsure: arithmetic-unsure says so)
    unsure = unsure_rows(report)
    for table in _required_tables(report):
        if getattr(report, table) is None:
            continue
        for key in _expected_rows(report, table):
            if key in present[table] or (table, key) in unsure:
                continue
            zh, en = TABLE_NAMES[table]
            yield hit(
                ("{zh}缺少「{label}」一行，请补上。", '{en} lacks the row "{label}"; add it.'),
                where={"table": table, "row": key},
                zh=zh,
                en=en,
                label=row_label(table, key),
            )


def _blank_cells(report: Report) -> list[tuple[str, str, str | int]]:
    ev = report.evidence
    if ev.has("blank_cells"):
        # in a row showing more values than cells, where the blanks fall is a guess
        misplaced = flagged_rows(report, "long-row")
        return [
            (b.table, b.row, b.column)
            for b in ev.blank_cells
            if b.row is not None and b.column is not None and (b.table, b.row) not in misplaced
        ]
    short = flagged_rows(report, "short-row")
    cells: list[tuple[str, str, str | int]] = []
    if report.table2 is not None:
        for row, model in report.table2:
            if model is not None:
                cells += [
                    ("table2", row, k)
                    for k, v in model
                    if v is None and ("table2", row) not in short
                ]
    for table in ("table3", "table4"):
        for row, values in rows(report, table).items():
            if (table, row) not in short:
                cells += [(table, row, c) for c, v in enumerate(values) if v is None]
    return list(dict.fromkeys(cells))


@rule(
    "blank-cell",
    "info",
    "structure",
    title=("单元格空白", "blank cells"),
    doc=(
        "应填数字的单元格空白或填「/」「-」；按 0 计算，但应填写 0。同一列的空白合并为一条。",
        'A cell is blank, "/" or "-" where a number belongs; it counts as 0 but should '
        "say 0. Blanks of one table-3/4 column are reported together.",
    ),
)
def blank_cell(ctx: Context) -> Iterator[Hit]:
    by_column: dict[tuple[str, str | int], list[str]] = {}
    for table, row, col in _blank_cells(ctx.report):
        by_column.setdefault((table, col), []).append(row)
    for (table, col), row_keys in by_column.items():
        zh, en = TABLE_NAMES.get(table, (table, table))
        if table == "table2":
            spec = table2_column(row_keys[0], str(col))
            col_label = spec.label if spec is not None else str(col)
        else:
            col_label = column_label(table, col) if isinstance(col, int) else str(col)
        labels = "、".join(row_label(table, r) for r in row_keys[:3])
        more = len(row_keys) - 3
        yield hit(
            (
                "{zh}「{col}」列有 {n} 处空白（{rows}{more}），应填写数字 0。",
                '{en} column "{col}" has {n} blank cells ({rows}{more_en}); write 0 instead.',
            ),
            where={"table": table, "row": row_keys[0], "column": col},
            actual=len(row_keys),
            zh=zh,
            en=en,
            col=col_label,
            n=len(row_keys),
            rows=labels,
            more=f" 等 {len(row_keys)} 行" if more > 0 else "",
            more_en=f" and {more} more" if more > 0 else "",
        )


@rule(
    "edition-mismatch",
    "error",
    "structure",
    title=("格式版本与年度不符", "tables of the wrong edition"),
    doc=(
        "2019、2020 年度应使用 2019 版表格，2021 年度起应使用 2021 版表格。",
        "Reports for 2019–2020 use the 2019 tables, reports from 2021 on the 2021 tables.",
    ),
    compares="editions",
)
def edition_mismatch(ctx: Context) -> Iterator[Hit]:
    report = ctx.report
    if report.template == "legacy" or report.year is None or report.year < 2019:
        return
    required = edition_for_year(report.year)
    if required.id != report.template:
        yield hit(
            (
                "{year} 年度报告应使用 {want} 版表格，却使用了 {have} 版，请改用 {want} 版格式。",
                "The {year} report uses the {have} tables where the {want} tables are required; use the {want} format.",
            ),
            where={"table": "table2"},
            expected=required.id,
            actual=report.template,
            year=report.year,
            want=required.id,
            have=report.template,
        )


@rule(
    "t3-legacy-row",
    "warning",
    "structure",
    title=("表三沿用 2019 版（六）行", "table 3 keeps the 2019 row （六）"),
    doc=(
        "2021 版报告的表三仍只有一行「（六）其他处理」，没有分成 2021 版的三行"
        "（逾期不补正、逾期未缴费、其他）。数字可以相加，但无法看出因收费而终止的申请。"
        "表格其余部分是 2021 版，故单列为警告，不算 edition-mismatch。",
        "A 2021-edition report whose table 3 keeps the single 2019 row （六）其他处理 "
        "instead of the three 2021 rows (no correction, fee unpaid, other); the sums "
        "still work, but applications dropped over fees cannot be seen. The rest of the "
        "tables is of the 2021 edition, so this is a warning of its own, not edition-mismatch.",
    ),
    spec=False,
)
def t3_legacy_row(ctx: Context) -> Iterator[Hit]:
    report = ctx.report
    if report.template != "2021":
        return
    present = rows(report, "table3")
    new_rows = [r for r in edition("2021").table("table3").rows if r.key.startswith("other_")]
    if "other" in present and not any(r.key in present for r in new_rows):
        yield hit(
            (
                "表三仍使用 2019 版的单行「{old}」，2021 版应分为{n}行（{labels}），请按 2021 版格式拆分。",
                'Table 3 keeps the 2019 single row "{old}" where the 2021 format has {n} rows ({labels}); split it.',
            ),
            where={"table": "table3", "row": "other"},
            old=row_label("table3", "other"),
            n=len(new_rows),
            labels="；".join(
                r.label[:12] + "…" if len(r.label) > 12 else r.label for r in new_rows
            ),
        )


@rule(
    "legacy-format",
    "error",
    "structure",
    title=("2019 年起仍用旧格式", "old format after 2018"),
    doc=(
        "2019 年度起的报告必须使用统一表格；没有固定表格的旧式报告只适用于 2018 年度及以前。",
        "Reports for 2019 and later must carry the fixed tables; the old prose-only "
        "layout belongs to 2018 and earlier.",
    ),
    compares="editions",
)
def legacy_format(ctx: Context) -> Iterator[Hit]:
    report = ctx.report
    if report.evidence.attachments:
        return  # the page only links to the report: report-in-attachment says so
    if report.template == "legacy" and report.year is not None and report.year >= 2019:
        yield hit(
            (
                "{year} 年度报告没有统一的统计表格（旧式文字报告），请按 {want} 版格式补上表二至表四。",
                "The {year} report has no fixed tables (old prose layout); add tables 2–4 in the {want} format.",
            ),
            expected=edition_for_year(report.year).id,
            actual="legacy",
            year=report.year,
            want=edition_for_year(report.year).id,
        )


@rule(
    "report-in-attachment",
    "warning",
    "structure",
    title=("报告在附件中", "report in an attachment"),
    doc=(
        "网页只以附件（PDF、Word 等）形式链接年度报告，本页没有报告正文和表格；请读取附件后再检查。",
        "The page only links to the report as an attachment (PDF, Word …) and holds neither "
        "its text nor its tables; read the attachment and check that.",
    ),
)
def report_in_attachment(ctx: Context) -> Iterator[Hit]:
    found = ctx.report.evidence.attachments
    if not found:
        return
    names = [a.text or a.href for a in found]
    first = found[0]
    yield hit(
        (
            "本页只以附件形式提供报告：{names}；报告正文和表格在附件中，请读取附件（{href}）后再检查。",
            "The page only links to the report as an attachment: {names}; the report is in "
            "the attachment ({href}): read and check that.",
        ),
        where={"line": first.line},
        actual=names[0] if names else None,
        names="、".join(names[:3]),
        href=first.href,
    )


_SOURCES = {
    "title": ("标题", "the title"),
    "period": ("统计期限", "the statistics period"),
    "text": ("正文", "the text"),
}


@rule(
    "year-mismatch",
    "error",
    "structure",
    title=("年度不一致", "years disagree"),
    doc=(
        "标题中的年度、统计期限（X年1月1日至12月31日）、正文主要讲述的年度与数据年度应一致"
        "（正文年度：出现至少 3 次、且是其他任何年度 2 倍以上的年份）。",
        "The year in the title, the statistics period, the year the text speaks of (named at "
        "least 3 times and twice as often as any other) and the year of the data must agree.",
    ),
)
def year_mismatch(ctx: Context) -> Iterator[Hit]:
    report = ctx.report
    sources = report.evidence.year_sources
    years: dict[str, int | None] = {
        "title": sources.title,
        "period": sources.period,
        "text": sources.text,
    }
    base_name = ("数据年度", "the data year")
    base = report.year
    if base is None:
        base, base_name = years.pop("title"), _SOURCES["title"]
    for key, year in years.items():
        if year is None or base is None or year == base:
            continue
        yield hit(
            (
                "{src}写的是 {year} 年，而{base_name}是 {base} 年，请统一年度。",
                "{src_en} says {year} while {base_name_en} is {base}; make the years agree.",
            ),
            where={"section": key},
            expected=base,
            actual=year,
            src=_SOURCES[key][0],
            src_en=_SOURCES[key][1],
            year=year,
            base=base,
            base_name=base_name[0],
            base_name_en=base_name[1],
        )
