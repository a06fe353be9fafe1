"""``gongkai corpus stats|rank|agency|roster|chart|export|findings|notices|fetch``."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any, cast

import click
from rich.markup import escape
from rich.table import Table

from gongkai.cli.common import dump_json
from gongkai.cli.corpus import Ctx, console, fail, filter_options, guarded, level_label, make_filter
from gongkai.i18n import current_lang, pick

V: dict[str, tuple[str, str]] = {
    "stats": (
        "统计：申请数量、办理结果、结转、复议诉讼及纠错率（按年度、机关、层级或地区）",
        "statistics: applications, outcomes, carry-over, reviews and suits with correction rates",
    ),
    "by": ("分组方式", "group by"),
    "reports": ("报告数", "reports"),
    "total": ("合计", "total"),
    "breaks": (
        "跨年度不衔接（上年结转 / 现行有效件数）",
        "breaks between years (carry-over / stock-flow)",
    ),
    "copied": ("不同机关之间的相同段落", "paragraphs shared between different agencies"),
    "across": (
        "同时列出跨年度衔接、相同段落和上级与部门合计",
        "also list breaks between years, shared prose and roll-ups",
    ),
    "rank": (
        "质量评分与排名（同一层级内排名；公式和权重见 --explain）",
        "quality score and rank within a level (formula and weights: --explain)",
    ),
    "explain": (
        "说明评分公式、权重和每份报告各项得分",
        "explain the formula, the weights and each report's components",
    ),
    "min_app": (
        "申请数少于此数的报告只标注、不排名",
        "reports with fewer applications are marked, not ranked",
    ),
    "min_rep": (
        "报告数少于此数的机关只标注、不排名",
        "agencies with fewer reports are marked, not ranked",
    ),
    "improved": ("进步最大（与上一年度相比）", "most improved since last year"),
    "col.rank": ("排名", "rank"),
    "col.score": ("得分", "score"),
    "col.marks": ("标注", "marks"),
    "col.delta": ("较上年", "vs last year"),
    "export": (
        "导出报告数据：csv、parquet、xlsx 或 json；--wide 每份报告一行，--long 每个单元格一行",
        "export: csv, parquet, xlsx or json; --wide one row a report, --long one row a cell",
    ),
    "out": ("输出文件", "output file"),
    "force": ("覆盖已存在的文件", "overwrite an existing file"),
    "wrote": ("已写出 {path}（{n} 行）", "wrote {path} ({n} rows)"),
    "findings": (
        "整改工作簿：每个机关一个工作表（--split 每个机关一个文件），每个问题附位置、比较的数字和整改栏",
        "follow-up workbook: a sheet an agency (--split: a file an agency), each finding with where, the numbers and a correction column",
    ),
    "split": (
        "每个机关单独一个文件（-o/--xlsx 为目录）",
        "one file an agency (-o/--xlsx names a folder)",
    ),
    "rollup": (
        "政府本级与所属部门合计（仅供参考）",
        "a government's figure against its departments' sum (information)",
    ),
}
#: the columns ``stats`` prints (all metrics are in --json)
STATS_COLUMNS = (
    "received",
    "carried_over",
    "granted",
    "partially_granted",
    "denied",
    "unavailable",
    "rejected",
    "other",
    "carried_forward",
    "review_total",
    "litigation_direct_total",
    "litigation_after_review_total",
)
RATE_COLUMNS = ("grant_rate", "review_correction", "litigation_correction")


def v(key: str, **kw: Any) -> str:
    return pick(V[key], **kw)


def _num(x: int | None) -> str:
    return "—" if x is None else str(x)


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{x:.1%}"


def _stats_command() -> click.Command:
    @click.command("stats", help=v("stats"))
    @click.option(
        "--by",
        type=click.Choice(["year", "agency", "level", "region", "none"]),
        default="year",
        help=v("by"),
    )
    @filter_options
    @click.option("--across", is_flag=True, help=v("across"))
    @click.option("--json", "as_json", is_flag=True)
    @click.pass_obj
    @guarded
    def stats_cmd(obj: Ctx, /, by: Any, across: bool, as_json: bool, **kw: Any) -> None:
        from gongkai.corpus import analysis
        from gongkai.corpus.metrics import BY_KEY, RATES

        engine = obj.engine()
        flt = make_filter(kw)
        st = analysis.stats(engine, flt, by)
        if as_json:
            payload: dict[str, Any] = {
                "by": by,
                "rows": [asdict(r) for r in st.rows],
                "total": st.total(),
            }
            if across:
                payload["breaks"] = [asdict(b) for b in analysis.year_breaks(engine, flt)]
                payload["copied"] = [asdict(c) for c in analysis.copied_prose(engine, flt)]
                payload["reused"] = [asdict(c) for c in analysis.reused_prose(engine, flt)]
                payload["roll_up"] = [asdict(r) for r in analysis.roll_up(engine, flt)]
            click.echo(dump_json(payload))
            return
        lang = current_lang()
        rates = {r.key: r for r in RATES}
        tot = st.total()
        labels = [level_label(r.group) if by == "level" else str(r.label) for r in st.rows]
        if len(st.rows) <= 8:
            # few groups: the classic statistical table, one row a metric
            t = Table("", *(escape(x) for x in labels), v("total"))
            t.add_row(
                v("reports"),
                *(str(r.reports) for r in st.rows),
                str(sum(r.reports for r in st.rows)),
            )
            for k in STATS_COLUMNS:
                t.add_row(
                    BY_KEY[k].label(lang), *(_num(r.sums.get(k)) for r in st.rows), _num(tot.get(k))
                )
            for k in RATE_COLUMNS:
                t.add_row(
                    rates[k].label(lang),
                    *(_pct(r.rates.get(k)) for r in st.rows),
                    _pct(rates[k].value(tot)),
                )
        else:
            t = Table(
                v("by") + f" ({by})",
                v("reports"),
                *(BY_KEY[k].label(lang) for k in STATS_COLUMNS),
                *(rates[k].label(lang) for k in RATE_COLUMNS),
            )
            for label, r in zip(labels, st.rows, strict=True):
                t.add_row(
                    escape(label),
                    str(r.reports),
                    *(_num(r.sums.get(k)) for k in STATS_COLUMNS),
                    *(_pct(r.rates.get(k)) for k in RATE_COLUMNS),
                )
            t.add_row(
                v("total"),
                str(sum(r.reports for r in st.rows)),
                *(_num(tot.get(k)) for k in STATS_COLUMNS),
                *(_pct(rates[k].value(tot)) for k in RATE_COLUMNS),
                style="bold",
            )
        out = console()
        out.print(t)
        if across:
            breaks = analysis.year_breaks(engine, flt)
            out.print(f"\n[bold]{v('breaks')}[/bold] ({len(breaks)})")
            for b in breaks:
                out.print(
                    f"  {escape(b.agency or b.agency_key)} {b.year}  {b.check}  {b.path}: {b.actual} ≠ {b.expected}"
                )
            copied = analysis.copied_prose(engine, flt)
            out.print(f"\n[bold]{v('copied')}[/bold] ({len(copied)})")
            for c in copied[:30]:
                out.print(
                    f"  {escape(c.agency or '—')} {c.year} ← {escape(c.other_agency or '—')}: {c.paragraphs} ({c.share:.0%})"
                )
            rolls = analysis.roll_up(engine, flt)
            out.print(f"\n[bold]{v('rollup')}[/bold] ({len(rolls)})")
            for ru in rolls:
                out.print(
                    f"  {escape(ru.government)} {ru.year} {ru.metric}: {_num(ru.own)} / Σ{ru.departments} = {_num(ru.departments_sum)}"
                )

    return stats_cmd


def _rank_command() -> click.Command:
    @click.command("rank", help=v("rank"))
    @filter_options
    @click.option("--explain", is_flag=True, help=v("explain"))
    @click.option(
        "--min-applications",
        type=click.IntRange(0),
        default=5,
        show_default=True,
        help=v("min_app"),
    )
    @click.option(
        "--min-reports", type=click.IntRange(1), default=1, show_default=True, help=v("min_rep")
    )
    @click.option("--json", "as_json", is_flag=True)
    @click.pass_obj
    @guarded
    def rank_cmd(
        obj: Ctx,
        /,
        explain: bool,
        min_applications: int,
        min_reports: int,
        as_json: bool,
        **kw: Any,
    ) -> None:
        from gongkai.corpus.rank import LABELS, MARKS, explain_markdown, rank

        result = rank(
            obj.engine(),
            make_filter(kw),
            min_applications=min_applications,
            min_reports=min_reports,
        )
        if as_json:
            click.echo(
                dump_json(
                    {
                        "formula": result.formula,
                        "weights": result.weights,
                        "entries": [{**asdict(e), "delta": e.delta} for e in result.entries],
                    }
                )
            )
            return
        lang = current_lang()
        out = console()
        if explain:
            out.print(escape(explain_markdown()))
            out.print()
        cols = [
            v("col.rank"),
            pick(("年度", "year")),
            pick(("层级", "level")),
            pick(("机关", "agency")),
            v("col.score"),
            v("col.delta"),
        ]
        if explain:
            cols += [pick(LABELS[k]) for k in result.weights]
        t = Table(*cols, v("col.marks"))
        for e in result.entries:
            row = [
                f"{e.rank}/{e.of}" if e.rank else "—",
                str(e.year or "—"),
                level_label(e.level),
                escape(e.agency or "—"),
                f"{e.score:.1f}",
                "—" if e.delta is None else f"{e.delta:+.1f}",
            ]
            if explain:
                row += [
                    "—" if e.components.get(k) is None else f"{e.components[k]:.2f}"
                    for k in result.weights
                ]
            t.add_row(*row, escape("；".join(pick(MARKS[mk]) for mk in e.marks)))
        out.print(t)
        best = result.most_improved()
        if best:
            out.print(f"\n[bold]{v('improved')}[/bold]")
            for e in best:
                out.print(
                    f"  {escape(e.agency or '—')} {e.year}: {e.previous_score:.1f} → {e.score:.1f} ({e.delta:+.1f})"
                )
        if explain:
            for e in result.entries:
                out.print(f"\n{escape(e.agency or '—')} {e.year}: {e.score:.1f}")
                for k, why in e.why.items():
                    c = e.components.get(k)
                    out.print(
                        f"  {pick(LABELS[k])} ({result.weights[k]:g}): {'—' if c is None else f'{c:.2f}'}  {escape(why)}"
                    )
        del lang

    return rank_cmd


def _export_command() -> click.Command:
    @click.command("export", help=v("export"))
    @click.option(
        "--format", "fmt", type=click.Choice(["csv", "parquet", "xlsx", "json"]), default=None
    )
    @click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help=v("out"))
    @click.option("--wide/--long", "wide", default=True)
    @filter_options
    @click.option("--force", is_flag=True, help=v("force"))
    @click.pass_obj
    @guarded
    def export_cmd(
        obj: Ctx, /, fmt: str | None, output: str, wide: bool, force: bool, **kw: Any
    ) -> None:
        from gongkai.corpus.export import Format, Shape, export

        fmt = fmt or (Path(output).suffix.lstrip(".").lower() or "csv")
        if fmt not in ("csv", "parquet", "xlsx", "json"):
            fail(
                pick(
                    (
                        "{o}：无法从扩展名判断格式，请用 --format",
                        "{o}: cannot tell the format from the ending; use --format",
                    ),
                    o=output,
                )
            )
        shape: Shape = "wide" if wide else "long"
        n = export(obj.engine(), output, cast(Format, fmt), shape, make_filter(kw), force=force)
        click.echo(v("wrote", path=output, n=n))

    return export_cmd


def _findings_command() -> click.Command:
    @click.command("findings", help=v("findings"))
    @click.option("--xlsx", "-o", "output", required=True, type=click.Path(), help=v("out"))
    @click.option("--split", is_flag=True, help=v("split"))
    @filter_options
    @click.option("--force", is_flag=True, help=v("force"))
    @click.pass_obj
    @guarded
    def findings_cmd(obj: Ctx, /, output: str, split: bool, force: bool, **kw: Any) -> None:
        from gongkai.corpus.export import findings_workbook

        files = findings_workbook(
            obj.engine(), output, make_filter(kw), split=split, force=force, lang=current_lang()
        )
        for f in files:
            click.echo(pick(("已写出 {p}", "wrote {p}"), p=f))

    return findings_cmd


def commands() -> list[click.Command]:
    return [_stats_command(), _rank_command(), _export_command(), _findings_command()]
