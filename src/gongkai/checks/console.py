"""Check results for people: findings by severity, a verdict, a batch summary.

The JSON twin of this output is :meth:`~gongkai.record.CheckResult.to_dict`;
both come from the same result object.
"""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from gongkai.batch.summary import Totals
from gongkai.checks.facts import column_label, row_label, table2_column
from gongkai.checks.registry import severity_name, shown_value
from gongkai.i18n import Lang, pick
from gongkai.national.editions import part_numeral
from gongkai.national.names import TABLE_NAMES, edition_name
from gongkai.record import CheckResult, Finding, Where

_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
_MARK = {"error": "✗", "warning": "!", "info": "·"}


def describe_where(where: Where, lang: Lang | None = None) -> str:
    """``表三 · （七）总计 · 「总计」列`` — where a finding points, in words."""
    parts: list[str] = []
    en = pick(("zh", "en"), lang) == "en"
    table = where.table
    if table is not None:
        names = TABLE_NAMES.get(table)
        parts.append((names[1] if en else names[0]) if names else table)
    if table is not None and where.row is not None:
        parts.append(row_label(table, where.row) if table in TABLE_NAMES else where.row)
    if where.column is not None:
        col = where.column
        if table in ("table3", "table4") and isinstance(col, int):
            label = column_label(table, col)
        elif table == "table2" and where.row is not None:
            spec = table2_column(where.row, str(col))
            label = spec.label if spec is not None else str(col)
        else:
            label = str(col)
        parts.append(f'column "{label}"' if en else f"「{label}」列")
    if where.section is not None:
        sec = where.section
        if isinstance(sec, int):
            parts.append(f"part {sec}" if en else f"第{part_numeral(sec)}部分")
        else:
            parts.append(str(sec))
    if where.page is not None:
        parts.append(f"page {where.page}" if en else f"第 {where.page} 页")
    if where.line is not None:
        parts.append(f"line {where.line}" if en else f"第 {where.line} 行")
    return " · ".join(parts)


def counts(result: CheckResult) -> dict[str, int]:
    out = {"error": 0, "warning": 0, "info": 0}
    for f in result.findings:
        out[f.severity] += 1
    return out


def verdict(result: CheckResult, lang: Lang | None = None) -> str:
    """One line: passed or not, with the number of findings of each severity."""
    n = counts(result)
    if n["error"]:
        return pick(
            (
                "✗ 不合格：{e} 个错误，{w} 个警告，{i} 条提示",
                "✗ fails: {e} errors, {w} warnings, {i} notes",
            ),
            lang,
            e=n["error"],
            w=n["warning"],
            i=n["info"],
        )
    if n["warning"]:
        return pick(
            (
                "✓ 没有错误，但有 {w} 个警告、{i} 条提示",
                "✓ no errors, but {w} warnings and {i} notes",
            ),
            lang,
            w=n["warning"],
            i=n["info"],
        )
    return pick(("✓ 没有发现问题", "✓ no problems found"), lang) + (
        pick(("（{i} 条提示）", " ({i} notes)"), lang, i=n["info"]) if n["info"] else ""
    )


def _numbers(f: Finding, lang: Lang | None) -> str:
    if f.expected is None:
        return ""
    return pick(
        ("（应为 {e}，实为 {a}）", " (expected {e}, found {a})"),
        lang,
        e=shown_value(f.rule, f.expected, lang),
        a=shown_value(f.rule, f.actual, lang),
    )


def print_result(
    console: Console, name: str, result: CheckResult, lang: Lang | None = None
) -> None:
    """One file's findings, grouped by severity, then its verdict."""
    r = result.report
    head = " · ".join(
        str(x)
        for x in (
            r.agency or pick(("（机关未知）", "(agency unknown)"), lang),
            r.year or "?",
            edition_name(r.template, lang),
        )
    )
    console.print(f"[bold]{escape(name)}[/bold] — {escape(head)}")
    for severity in ("error", "warning", "info"):
        group = [f for f in result.findings if f.severity == severity]
        if not group:
            continue
        console.print(f"  [{_STYLE[severity]}]{severity_name(severity, lang)} ({len(group)})[/]")
        for f in group:
            where = describe_where(f.where, lang)
            console.print(
                f"    [{_STYLE[severity]}]{_MARK[severity]}[/] [dim]{f.rule}[/dim]"
                + (f" [dim]{escape(where)}[/dim]" if where else "")
            )
            console.print(f"      {escape(f.message)}{escape(_numbers(f, lang))}")
    style = "bold red" if result.errors else "bold green"
    console.print(f"  [{style}]{escape(verdict(result, lang))}[/]")


def print_pairing(console: Console, previous: str | None, lang: Lang | None = None) -> None:
    """Which of last year's reports a file was checked against, or that none was found."""
    if previous is not None:
        console.print(
            "  " + escape(pick(("上一年度报告：{p}", "last year's report: {p}"), lang, p=previous))
        )
    else:
        console.print(
            "  [dim]"
            + escape(
                pick(
                    (
                        "未找到同一机关的上一年度报告，未做跨年度检查",
                        "no report of the same agency for last year: across-year checks not run",
                    ),
                    lang,
                )
            )
            + "[/dim]"
        )


_DEADLINE = {
    "on-time": ("[green]按时[/]", "[green]on time[/]"),
    "late": ("[red]逾期[/]", "[red]late[/]"),
    "unknown": ("[yellow]未核对[/]", "[yellow]not checked[/]"),
    "": ("", ""),
}


def print_summary(console: Console, totals: Totals, lang: Lang | None = None) -> None:
    """The table printed at the end of a batch: a line a file, then the totals."""
    heads = pick(
        (
            "文件|机关|年度|发布日期|时限|上年报告|错误|警告|提示|结论",
            "file|agency|year|published|deadline|paired with|errors|warnings|notes|verdict",
        ),
        lang,
    ).split("|")
    table = Table(title=pick(("检查汇总", "Summary"), lang), show_footer=True)
    for i, h in enumerate(heads):
        table.add_column(h, justify="right" if i in (2, 6, 7, 8) else "left")
    for ln in totals.lines:
        name = escape(Path(ln.path).name)
        if ln.status != "read":
            mark = (
                f"[yellow]– {escape(pick(('已跳过', 'skipped'), lang))}：{escape(ln.reason)}[/]"
                if ln.status == "skipped"
                else f"[red]✗ {escape(ln.reason)}[/]"
            )
            table.add_row(name, "", "", "", "", "", "", "", "", mark)
            continue
        table.add_row(
            name,
            escape(ln.agency),
            str(ln.year or ""),
            ln.published.isoformat() if ln.published else "",
            pick(_DEADLINE[ln.deadline], lang),
            escape(Path(ln.previous).name) if ln.previous else "—",
            str(ln.errors),
            str(ln.warnings),
            str(ln.notes),
            "[green]✓[/]" if ln.passed else "[red]✗[/]",
        )
    t = totals
    table.columns[0].footer = pick(("合计 {n} 个文件", "{n} files"), lang, n=t.files)
    table.columns[1].footer = pick(
        ("已检查 {r}，跳过 {s}，失败 {f}", "{r} checked, {s} skipped, {f} failed"),
        lang,
        r=t.read,
        s=t.skipped,
        f=t.failed,
    )
    table.columns[4].footer = pick(("逾期 {n}", "{n} late"), lang, n=t.late)
    table.columns[5].footer = pick(("配对 {n}", "{n} paired"), lang, n=t.paired)
    table.columns[6].footer = str(t.errors)
    table.columns[7].footer = str(t.warnings)
    table.columns[8].footer = str(t.notes)
    table.columns[9].footer = pick(("合格 {n}", "{n} pass"), lang, n=t.passed)
    console.print(table)
    if t.manual_review:
        console.print(
            escape(
                pick(
                    (
                        "{n} 个文件需人工查看（扫描件、图片或不支持的格式）",
                        "{n} files need a person to look at them (scans, images, formats not read)",
                    ),
                    lang,
                    n=t.manual_review,
                )
            )
        )
