"""``gongkai corpus stats|rank|agency|roster|chart|export|findings|notices|fetch``."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import click
from rich.markup import escape
from rich.table import Table

from gongkai.cli.common import dump_json
from gongkai.cli.corpus import Ctx, console, filter_options, guarded, level_label, make_filter
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


def commands() -> list[click.Command]:
    return [_stats_command()]
