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
from gongkai.national.editions import T2_IN_FORCE_LABEL

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
    "agency": (
        "一个机关的多年视图：各年度关键数字并列，标出年度之间不衔接之处",
        "one agency over the years: key figures side by side, breaks between years marked",
    ),
    "in_force": (T2_IN_FORCE_LABEL, "documents in force"),
    "gap": ("（缺上一年度）", "(year before missing)"),
    "roster": (
        "对照应报名单：谁未发布、重复发布、年度有误、逾期发布，以及与哪份上年度报告配对",
        "against the roster: who has not published, published twice, for the wrong year or late, and which of last year's reports each pairs with",
    ),
    "roster_file": (
        "应报机关名单（CSV 或 XLSX：名称、层级、上级）",
        "roster of agencies expected to report (CSV or XLSX: name, level, parent)",
    ),
    "roster_year": ("年度（默认为库中最新年度）", "year (default: the latest in the corpus)"),
    "roster_out": ("把名单表导出为 CSV 或 XLSX", "export the table as CSV or XLSX"),
    "sort": ("按此列排序：name|status|level|parent", "sort by: name|status|level|parent"),
    "chart": (
        "绘图：trend（年度趋势）、outcomes（办理结果构成）、ranking（质量得分排名），输出 PNG 或 SVG",
        "draw: trend, outcomes (outcome mix) or ranking (quality scores), as PNG or SVG",
    ),
    "chart_by": ("outcomes 图按年度或层级分组", "group the outcomes chart by year or level"),
    "top": ("ranking 图显示的机关数", "agencies shown in the ranking chart"),
    "notices": (
        "为每个有问题的机关生成整改通知（DOCX，公文格式），逐条引用问题、位置和应满足的数字关系",
        "write a notice to correct (DOCX, official layout) for every agency with findings, quoting each finding, where it is and what the numbers should satisfy",
    ),
    "outdir": ("输出目录", "output folder"),
    "reviewer": ("发文单位（落款）", "issuing office (signature)"),
    "deadline": (
        "整改报送期限（YYYY-MM-DD，默认 15 天后）",
        "reply deadline (YYYY-MM-DD; default in 15 days)",
    ),
    "with_info": ("也包括提示级别的问题", "include findings of info severity"),
    "agencies": (
        "列出库中的机关（层级、地区、上级）；给出 --agencies 文件时先按它更正",
        "list the agencies (level, region, parent); with --agencies, correct them by that file first",
    ),
    "applied": ("已按 {file} 更正 {n} 个机关", "corrected {n} agencies from {file}"),
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


def _agency_command() -> click.Command:
    @click.command("agency", help=v("agency"))
    @click.argument("name")
    @click.option("--json", "as_json", is_flag=True)
    @click.pass_obj
    @guarded
    def agency_cmd(obj: Ctx, /, name: str, as_json: bool) -> None:
        from gongkai.corpus.review import agency_view

        view = agency_view(obj.engine(), name)
        if as_json:
            click.echo(dump_json({**asdict(view), "metrics": [m.key for m in view.metrics]}))
            return
        lang = current_lang()
        out = console()
        out.print(
            f"[bold]{escape(view.name)}[/bold]  {level_label(view.level)}  {escape(view.region or '')}  {escape(view.parent_key or '')}"
        )
        t = Table("", *(f"{y.year}{v('gap') if y.gap_before else ''}" for y in view.years))
        for m in view.metrics:
            t.add_row(m.label(lang), *(_num(y.figures.get(m.key)) for y in view.years))
        t.add_row(v("in_force"), *(_num(y.figures.get("in_force")) for y in view.years))
        t.add_row(v("breaks"), *("\n".join(y.breaks) or "—" for y in view.years), style="red")
        out.print(t)

    return agency_cmd


def _roster_command() -> click.Command:
    @click.command("roster", help=v("roster"))
    @click.option(
        "--roster",
        "roster_file",
        required=True,
        type=click.Path(dir_okay=False),
        help=v("roster_file"),
    )
    @click.option("--year", type=int, default=None, help=v("roster_year"))
    @click.option(
        "-o", "--output", type=click.Path(dir_okay=False), default=None, help=v("roster_out")
    )
    @click.option(
        "--sort",
        type=click.Choice(["name", "status", "level", "parent"]),
        default="status",
        help=v("sort"),
    )
    @click.option("--force", is_flag=True, help=v("force"))
    @click.option("--json", "as_json", is_flag=True)
    @click.pass_obj
    @guarded
    def roster_cmd(
        obj: Ctx,
        /,
        roster_file: str,
        year: int | None,
        output: str | None,
        sort: str,
        force: bool,
        as_json: bool,
    ) -> None:
        from gongkai.corpus.query import list_reports
        from gongkai.corpus.review import load_roster, roster_status, roster_table, write_roster

        engine = obj.engine()
        if year is None:
            years = [r.year for r in list_reports(engine) if r.year]
            if not years:
                fail(
                    pick(
                        (
                            "库中没有报告，无法确定年度；请用 --year",
                            "the corpus is empty; give --year",
                        )
                    )
                )
            year = max(years)
        rows = roster_status(engine, load_roster(roster_file), year)
        order = {
            "missing": 0,
            "twice": 1,
            "wrong-year": 2,
            "late": 3,
            "not-on-roster": 4,
            "published": 5,
        }
        rows.sort(
            key=lambda r: (
                (order[r.status], r.name)
                if sort == "status"
                else (str(getattr(r, sort) or ""), r.name)
            )
        )
        if output:
            write_roster(rows, output, current_lang(), force=force)
            click.echo(pick(("已写出 {p}", "wrote {p}"), p=output))
        if as_json:
            click.echo(dump_json([asdict(r) for r in rows]))
            return
        cols, data = roster_table(rows, current_lang())
        t = Table(*cols, title=f"{year}")
        for d in data:
            t.add_row(*(escape(str(d[c])) if d[c] not in (None, "") else "—" for c in cols))
        console().print(t)

    return roster_cmd


def _chart_command() -> click.Command:
    from gongkai.corpus.chart import KINDS

    @click.command("chart", help=v("chart"))
    @click.argument("kind", type=click.Choice(list(KINDS)))
    @click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help=v("out"))
    @click.option("--by", type=click.Choice(["year", "level"]), default="year", help=v("chart_by"))
    @click.option("--top", type=click.IntRange(1, 200), default=20, help=v("top"))
    @filter_options
    @click.option("--force", is_flag=True, help=v("force"))
    @click.pass_obj
    @guarded
    def chart_cmd(
        obj: Ctx, /, kind: Any, output: str, by: Any, top: int, force: bool, **kw: Any
    ) -> None:
        from gongkai.corpus.chart import chart

        path = chart(
            obj.engine(),
            kind,
            output,
            make_filter(kw),
            by=by,
            top=top,
            lang=current_lang(),
            force=force,
        )
        click.echo(pick(("已写出 {p}", "wrote {p}"), p=path))

    return chart_cmd


def _notices_command() -> click.Command:
    @click.command("notices", help=v("notices"))
    @click.option(
        "-o", "--output", required=True, type=click.Path(file_okay=False), help=v("outdir")
    )
    @click.option("--reviewer", default="政务公开工作主管部门", help=v("reviewer"))
    @click.option("--deadline", type=click.DateTime(["%Y-%m-%d"]), default=None, help=v("deadline"))
    @click.option("--with-info", is_flag=True, help=v("with_info"))
    @filter_options
    @click.option("--force", is_flag=True, help=v("force"))
    @click.pass_obj
    @guarded
    def notices_cmd(
        obj: Ctx,
        /,
        output: str,
        reviewer: str,
        deadline: Any,
        with_info: bool,
        force: bool,
        **kw: Any,
    ) -> None:
        from gongkai.corpus.notices import write_notices

        sev = ("error", "warning", "info") if with_info else ("error", "warning")
        files = write_notices(
            obj.engine(),
            output,
            make_filter(kw),
            reviewer=reviewer,
            deadline=deadline.date() if deadline else None,
            severities=sev,
            force=force,
        )
        for f in files:
            click.echo(pick(("已写出 {p}", "wrote {p}"), p=f))
        click.echo(pick(("共 {n} 份整改通知", "{n} notices"), n=len(files)))

    return notices_cmd


def _agencies_command() -> click.Command:
    @click.command("agencies", help=v("agencies"))
    @click.option("--json", "as_json", is_flag=True)
    @click.pass_obj
    @guarded
    def agencies_cmd(obj: Ctx, /, as_json: bool) -> None:
        from gongkai.corpus.query import apply_overrides, list_agencies
        from gongkai.db.session import write_connection

        engine = obj.engine()
        overrides = obj.overrides()
        if overrides is not None:
            with write_connection(engine) as conn:
                n = apply_overrides(conn, overrides)
            click.echo(v("applied", n=n, file=obj.agencies), err=True)
        rows = list_agencies(engine)
        if as_json:
            click.echo(dump_json([asdict(r) for r in rows]))
            return
        t = Table(
            *(
                pick(h)
                for h in (
                    ("键", "key"),
                    ("名称", "name"),
                    ("层级", "level"),
                    ("类型", "kind"),
                    ("地区", "region"),
                    ("上级", "parent"),
                    ("来源", "origin"),
                    ("报告数", "reports"),
                )
            )
        )
        for r in rows:
            t.add_row(
                escape(r.key),
                escape(r.name),
                level_label(r.level),
                r.kind or "—",
                escape(r.region or "—"),
                escape(r.parent_key or "—"),
                r.origin,
                str(r.reports),
            )
        console().print(t)

    return agencies_cmd


def commands() -> list[click.Command]:
    return [
        _stats_command(),
        _rank_command(),
        _agency_command(),
        _roster_command(),
        _chart_command(),
        _export_command(),
        _findings_command(),
        _notices_command(),
        _agencies_command(),
    ]
