"""``gongkai synth -o DIR``: write a synthetic national corpus with its ground truth.

Fictional agencies at every level, several consecutive years, the output
formats asked for, and a share of reports with a known slip; ``truth.jsonl``
in DIR says what each file holds and which findings it must cause. Exit 0
when written, 2 on a usage error or a directory that already holds a corpus.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from gongkai.cli.common import fail
from gongkai.errors import GongkaiError, MissingDependency
from gongkai.i18n import current_lang, pick
from gongkai.synth.corpus import DEFAULT_FORMATS, VARIANTS, plan
from gongkai.synth.output import TRUTH, write_corpus
from gongkai.synth.slips import SLIPS

_MSG = {
    "help": (
        "生成合成的全国年度报告语料：各级虚构机关（国务院部门、省、市、县、乡镇；政府及其部门）、"
        "连续多个年度、多种格式，按比例注入已知差错，并在 truth.jsonl 中记录真值（应触发的规则和单元格）。",
        "Write a synthetic national corpus: fictional agencies at every level (State Council "
        "departments, provinces, cities, counties, townships; governments and departments), "
        "consecutive years, several formats, with known slips injected and their ground truth "
        "(the rules that must fire, and where) in truth.jsonl.",
    ),
    "out": ("输出目录", "output directory"),
    "agencies": ("机关数量", "number of agencies"),
    "years": ("年度，如 2021-2024 或 2021,2022", "years, e.g. 2021-2024 or 2021,2022"),
    "formats": (
        "输出格式，逗号分隔：{all}（pdf 需要 LibreOffice，较慢）",
        "output formats, comma-separated: {all} (pdf needs LibreOffice and is slow)",
    ),
    "seed": ("随机种子（相同种子生成相同语料）", "random seed (the same seed, the same corpus)"),
    "slip_rate": ("含差错报告的比例", "share of reports given a slip"),
    "slips": (
        "注入的差错种类，逗号分隔（默认全部）：{all}",
        "kinds of slip, comma-separated (default all): {all}",
    ),
    "overwrite": ("覆盖目录中已有的语料", "overwrite a corpus already in the directory"),
    "exists": (
        "{out}：目录中已有语料（truth.jsonl），请换一个目录，或用 --overwrite 覆盖",
        "{out}: already holds a corpus (truth.jsonl); choose another directory or use --overwrite",
    ),
    "bad_years": ("年度格式有误：{value}", "bad years: {value}"),
    "bad_list": ("未知的{what}：{value}", "unknown {what_en}: {value}"),
    "wrote": (
        "已在 {out} 生成 {n} 份报告（{seconds:.1f} 秒），真值见 {out}/truth.jsonl",
        "wrote {n} reports to {out} in {seconds:.1f} s; ground truth in {out}/truth.jsonl",
    ),
    "formats_line": ("格式：{detail}", "formats: {detail}"),
    "slips_line": ("差错：{detail}", "slips: {detail}"),
    "progress": ("生成报告", "writing reports"),
}


def _t(key: str, **kw: Any) -> str:
    return pick(_MSG[key], current_lang(), **kw)


def parse_years(value: str) -> list[int]:
    """``2021-2024`` → [2021, 2022, 2023, 2024]; ``2021,2023`` → [2021, 2023]."""
    value = value.strip()
    if "-" in value:
        lo, hi = (int(x) for x in value.split("-", 1))
        return list(range(lo, hi + 1))
    return [int(x) for x in value.split(",") if x.strip()]


def _list(value: str | None, known: list[str], what: tuple[str, str]) -> list[str] | None:
    if value is None:
        return None
    items = [x.strip() for x in value.split(",") if x.strip()]
    bad = [x for x in items if x not in known]
    if bad:
        raise click.BadParameter(
            _t("bad_list", what=what[0], what_en=what[1], value=", ".join(bad))
        )
    return items


def command() -> click.Command:
    fmts = ",".join(VARIANTS)
    kinds = ",".join(SLIPS)

    @click.command(help=_t("help"))
    @click.option("-o", "--out", required=True, type=click.Path(file_okay=False), help=_t("out"))
    @click.option(
        "--agencies",
        "n_agencies",
        default=100,
        show_default=True,
        type=click.IntRange(1),
        help=_t("agencies"),
    )
    @click.option("--years", default="2021-2024", show_default=True, help=_t("years"))
    @click.option(
        "--formats",
        default=",".join(DEFAULT_FORMATS),
        show_default=True,
        help=_t("formats", all=fmts),
    )
    @click.option("--seed", default=1, show_default=True, type=int, help=_t("seed"))
    @click.option(
        "--slip-rate",
        default=0.2,
        show_default=True,
        type=click.FloatRange(0, 1),
        help=_t("slip_rate"),
    )
    @click.option("--slips", default=None, help=_t("slips", all=kinds))
    @click.option("--overwrite", is_flag=True, help=_t("overwrite"))
    def synth_cmd(
        out: str,
        n_agencies: int,
        years: str,
        formats: str,
        seed: int,
        slip_rate: float,
        slips: str | None,
        overwrite: bool,
    ) -> None:
        try:
            year_list = parse_years(years)
        except ValueError:
            raise click.BadParameter(_t("bad_years", value=years), param_hint="--years") from None
        fmt_list = _list(formats, list(VARIANTS), ("格式", "format")) or list(DEFAULT_FORMATS)
        kind_list = _list(slips, list(SLIPS), ("差错种类", "slip kind"))
        try:
            entries = list(
                plan(
                    n_agencies,
                    year_list,
                    formats=fmt_list,
                    seed=seed,
                    slip_rate=slip_rate,
                    kinds=kind_list,
                )
            )
        except ValueError as exc:
            raise click.BadParameter(str(exc)) from None
        if (Path(out) / TRUTH).exists() and not overwrite:
            fail(_t("exists", out=out))
            raise SystemExit(2)
        params = {
            "agencies": n_agencies,
            "years": year_list,
            "formats": fmt_list,
            "seed": seed,
            "slip_rate": slip_rate,
            "slips": kind_list or list(SLIPS),
        }
        console = Console(stderr=True)
        try:
            with Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                console=console,
                transient=True,
            ) as bar:
                task = bar.add_task(_t("progress"), total=len(entries))
                written = write_corpus(
                    out,
                    entries,
                    overwrite=overwrite,
                    params=params,
                    progress=lambda n: bar.update(task, completed=n),
                )
        except (MissingDependency, GongkaiError) as exc:
            fail(str(exc))
            raise SystemExit(2) from None
        except OSError as exc:
            click.echo(f"{exc.filename or out}: {exc.strerror or exc}", err=True)
            raise SystemExit(2) from None
        click.echo(_t("wrote", out=out, n=written.files, seconds=written.seconds))
        detail = ", ".join(f"{k} {v}" for k, v in sorted(written.formats.items()))
        click.echo(_t("formats_line", detail=detail))
        detail = ", ".join(f"{k} {v}" for k, v in written.slips.most_common())
        click.echo(_t("slips_line", detail=detail))

    return synth_cmd
