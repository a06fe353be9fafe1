"""``gongkai render DATA... --to FORMAT -o OUT``: write reports in the official layout.

DATA is a workbook from ``gongkai template``, or a report record as JSON or
YAML. The report is checked first: a finding of error severity stops it
(exit 1, the findings printed) unless ``--force``. Several DATA files go to
the directory ``-o``; PDF then converts them all in one LibreOffice run.
Exit 0 when written, 1 when refused, 2 for unreadable data or a usage error.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from gongkai.cli.common import fail
from gongkai.errors import DataError, GongkaiError, InputError, MissingDependency
from gongkai.i18n import current_lang, pick
from gongkai.output import OutputRefused, Outputs, refuse_input
from gongkai.record import Finding, Report
from gongkai.write.render import (
    FORMATS,
    OutputFormat,
    Refused,
    Rendered,
    format_for,
    render,
    render_many,
)
from gongkai.write.text import TEXT_LAYOUTS, TextLayout

_SUFFIX = {"docx": ".docx", "pdf": ".pdf", "html": ".html", "md": ".md", "txt": ".txt"}
_MARK = {"error": "✗", "warning": "!", "info": "·"}

_MSG = {
    "help": (
        "由填好的数据（gongkai template 生成的 Excel，或 JSON/YAML 报告记录）生成官方格式的年度报告："
        "docx、pdf、html、md 或 txt。生成前先检查，存在错误时拒绝生成（--force 可强制）。",
        "Write annual reports in the official layout (docx, pdf, html, md or txt) from filled-in "
        "data: a workbook from 'gongkai template', or a report record as JSON or YAML. The data "
        "is checked first; errors stop it unless --force.",
    ),
    "to": ("输出格式（默认按 -o 的扩展名）", "output format (default: from the -o suffix)"),
    "out": (
        "输出文件；多个 DATA 时为输出目录（默认：DATA 所在目录）",
        "output file; a directory for several DATA (default: beside DATA)",
    ),
    "layout": (
        "txt 的表格排列：cells（每格一行）或 pipe（每行一行，以 | 分隔）",
        "table layout of txt: cells (one cell a line) or pipe (one row a line, | between cells)",
    ),
    "force": ("即使存在错误也生成，并注明", "write even when the data has errors, and say so"),
    "previous": (
        "上一年度的报告或数据，用于检查上年结转",
        "last year's report or data, to check the carry-over",
    ),
    "no_embed": ("不在文件中嵌入机器可读的数据副本", "do not embed the machine-readable record"),
    "need_to": (
        "请用 --to 指定输出格式（{formats}）",
        "give the output format with --to ({formats})",
    ),
    "many_out": (
        "多个 DATA 时 -o 须为目录：{path}",
        "with several DATA, -o must be a directory: {path}",
    ),
    "wrote": ("已生成 {path}", "wrote {path}"),
    "forced": (
        "已强制生成 {path}，但数据有 {n} 项错误，请更正后重新生成",
        "wrote {path} by force although the data has {n} errors; correct them and render again",
    ),
    "refused": (
        "{source}：数据有 {n} 项错误，未生成报告；请更正数据，或用 --force 强制生成",
        "{source}: the data has {n} errors; no report written. Correct the data, or use --force",
    ),
    "missing": ("缺少所需程序：{detail}", "a required program is missing: {detail}"),
    "bad_data": ("数据有误：{detail}", "bad data: {detail}"),
}


def _t(key: str, **kw: Any) -> str:
    return pick(_MSG[key], current_lang(), **kw)


def _error(message: str) -> None:
    fail(message)


def _show(findings: list[Finding], severities: tuple[str, ...]) -> None:
    for f in findings:
        if f.severity in severities:
            cell = (f.model_extra or {}).get("x_cell")
            at = f" — {cell}" if cell else ""
            click.echo(f"  {_MARK[f.severity]} [{f.rule}]{at} {f.message}", err=True)


def _previous(path: str | None) -> Report | None:
    if path is None:
        return None
    from gongkai.batch import load_report

    return load_report(path)


def _report(result: Rendered | GongkaiError, source: str) -> int:
    if isinstance(result, Refused):
        _show(result.findings, ("error",))
        _error(_t("refused", source=source, n=len(result.findings)))
        return 1
    if isinstance(result, DataError):
        _error(_t("bad_data", detail=result.message(current_lang())))
        return 2
    if isinstance(result, GongkaiError):
        _error(_t("bad_data", detail=str(result)))
        return 2
    _show(result.findings, ("error", "warning"))
    if result.forced:
        click.echo(_t("forced", path=result.out, n=len(result.errors)), err=True)
    else:
        click.echo(_t("wrote", path=result.out))
    return 0


def run(
    data: tuple[str, ...],
    to: str | None,
    out: str | None,
    layout: str,
    force: bool,
    previous: str | None,
    no_embed: bool,
) -> int:
    fmt: OutputFormat | None = next((f for f in FORMATS if f == to), None)
    if fmt is None and out is not None:
        fmt = format_for(out)
    if fmt is None:
        _error(_t("need_to", formats=", ".join(FORMATS)))
        return 2
    for d in data:
        if not Path(d).is_file():
            _error(f"{d}: " + pick(("文件不存在", "no such file"), current_lang()))
            return 2
    suffix = _SUFFIX[fmt]
    text_layout: TextLayout = "pipe" if layout == "pipe" else "cells"
    try:
        prev = _previous(previous)
        if len(data) == 1 and (out is None or not Path(out).is_dir()):
            target = Path(out) if out else Path(data[0]).with_suffix(suffix)
            refuse_input(target, [*data, *([previous] if previous else [])])
            try:
                result: Rendered | GongkaiError = render(
                    data[0],
                    fmt,
                    target,
                    force=force,
                    layout=text_layout,
                    previous=prev,
                    embed=not no_embed,
                )
            except (Refused, DataError) as exc:
                result = exc
            return _report(result, data[0])
        outdir = Path(out) if out else None
        if outdir is not None and outdir.exists() and not outdir.is_dir():
            _error(_t("many_out", path=out))
            return 2
        names: dict[Path, Outputs] = {}
        jobs = []
        for d in data:
            folder = outdir or Path(d).parent
            outputs = names.setdefault(folder, Outputs(folder, suffix))
            target = outputs.target(d, Path(d).stem + suffix)
            refuse_input(target, data)
            jobs.append((d, target))
        for outputs in names.values():
            for note in outputs.renamed_notes(current_lang()):
                click.echo(note, err=True)
        results = render_many(
            jobs,
            fmt,
            force=force,
            layout=text_layout,
            embed=not no_embed,
        )
    except MissingDependency as exc:
        _error(_t("missing", detail=str(exc)))
        return 2
    except (InputError, OutputRefused) as exc:
        _error(exc.message(current_lang()))
        return 2
    except GongkaiError as exc:
        _error(str(exc))
        return 2
    return max((_report(r, d) for r, d in zip(results, data, strict=True)), default=0)


def command() -> click.Command:
    @click.command(help=_t("help"))
    @click.argument("data", nargs=-1, required=True, type=click.Path(dir_okay=False))
    @click.option("--to", "to", type=click.Choice(FORMATS), default=None, help=_t("to"))
    @click.option("-o", "--out", default=None, help=_t("out"))
    @click.option(
        "--layout",
        type=click.Choice(TEXT_LAYOUTS),
        default="cells",
        show_default=True,
        help=_t("layout"),
    )
    @click.option("--force", is_flag=True, help=_t("force"))
    @click.option("--previous", default=None, type=click.Path(dir_okay=False), help=_t("previous"))
    @click.option("--no-embed", is_flag=True, help=_t("no_embed"))
    def render_cmd(
        data: tuple[str, ...],
        to: str | None,
        out: str | None,
        layout: str,
        force: bool,
        previous: str | None,
        no_embed: bool,
    ) -> None:
        try:
            code = run(data, to, out, layout, force, previous, no_embed)
        except OSError as e:
            click.echo(f"{e.filename or out}: {e.strerror or e}", err=True)
            code = 2
        raise SystemExit(code)

    return render_cmd
