"""``gongkai parse FILE... [--json] [--explain] [-o DIR]``."""

from __future__ import annotations

from typing import Any

import click
from rich.console import Console
from rich.table import Table

from gongkai.cli.common import (
    EXIT_INPUT,
    EXIT_OK,
    Failure,
    dump_json,
    each_file,
    err,
    expand,
    lang,
    write_out,
)
from gongkai.i18n import Lang, pick, tr
from gongkai.record import Report


def _summary(report: Report, ln: Lang) -> Table:
    t = Table(show_header=False, box=None, padding=(0, 1))
    yes, no = "✓", "✗"
    t.add_row(tr("parse.agency", ln), report.agency or tr("parse.missing", ln))
    t.add_row(tr("parse.year", ln), str(report.year) if report.year else tr("parse.missing", ln))
    t.add_row(tr("parse.template", ln), report.template)
    t.add_row(tr("parse.published", ln), report.published.isoformat() if report.published else "—")
    if report.template != "legacy":
        parts = {s["part"] for s in report.extra("x_sections", []) or []}
        t.add_row(
            tr("parse.sections", ln),
            " ".join(f"{'一二三四五六'[i - 1]}{yes if i in parts else no}" for i in range(1, 7)),
        )
        found = []
        for key, name in (("table2", "表二"), ("table3", "表三"), ("table4", "表四")):
            found.append(f"{name}{yes if getattr(report, key) is not None else no}")
        t.add_row(tr("parse.tables", ln), " ".join(found))
        total = filled = 0
        for cells in (*report.t3().values(), *report.t4().values()):
            total += len(cells)
            filled += sum(1 for c in cells if c is not None)
        for row in report.t2().values():
            total += len(row)
            filled += sum(1 for c in row.values() if c is not None)
        t.add_row("", tr("parse.cells", ln, filled=filled, total=total))
    else:
        figures = report.legacy or {}
        t.add_row(
            pick(("正文数字", "figures"), ln),
            ", ".join(f"{k}={v}" for k, v in figures.items()) or "—",
        )
    warnings = report.extra("x_warnings", []) or []
    if warnings:
        t.add_row(tr("parse.warnings", ln), str(len(warnings)))
    diff = report.extra("x_embedded_diff")
    if diff:
        t.add_row("!", tr("parse.embedded_diff", ln, n=len(diff)))
    return t


def command() -> click.Command:
    @click.command(help=tr("help.parse"))
    @click.argument("files", nargs=-1, type=click.Path())
    @click.option("--json", "as_json", is_flag=True, help=tr("help.parse.json"))
    @click.option("--explain", is_flag=True, help=tr("help.parse.explain"))
    @click.option("-o", "--outdir", metavar="DIR", default=None, help=tr("help.parse.outdir"))
    @click.option(
        "--format",
        "fmt",
        type=click.Choice(["text", "html", "docx", "doc", "pdf"]),
        default=None,
        help=tr("help.parse.format"),
    )
    @click.option("--private", "private", is_flag=True, help=tr("help.parse.private"))
    def parse(
        files: tuple[str, ...],
        as_json: bool,
        explain: bool,
        outdir: str | None,
        fmt: str | None,
        private: bool,
    ) -> None:
        from gongkai.reading import read, read_document

        ln: Lang = "en" if lang() == "en" else "zh"
        if not files:
            err(f"{tr('error.usage', ln)}: {tr('error.no_files', ln)}")
            raise SystemExit(EXIT_INPUT)
        given = files
        files = expand(files)
        console = Console(highlight=False, soft_wrap=True)
        records: list[dict[str, Any]] = []
        failures: list[Failure] = []
        for path, result in each_file(files, lambda p: read(p, fmt)):
            if isinstance(result, Failure):
                failures.append(result)
                err(result.message)
                continue
            record = result.to_dict(private=not private)
            if outdir:
                target = write_out(outdir, path, record)
                if not as_json:
                    console.print(tr("parse.wrote", ln, path=str(target)))
            if as_json:
                records.append(record)
            elif not outdir or explain:
                fmt_read = (result.extra("x_source") or {}).get("format")
                console.print(f"[bold]{path}[/bold]  [dim]\\[{fmt_read}][/dim]")
                console.print(_summary(result, ln))
                if explain:
                    doc = read_document(path, fmt)
                    from gongkai.reading.explain import explain_lines

                    for line in explain_lines(result, doc, ln):
                        console.print(line, markup=False)
                console.print()
        if as_json:
            single = len(given) == 1 and len(files) == 1 and given[0] == files[0]
            click.echo(dump_json(records[0] if single and records else records))
        if len(files) > 1:
            err(
                tr(
                    "parse.summary",
                    ln,
                    total=len(files),
                    ok=len(files) - len(failures),
                    failed=len(failures),
                )
            )
        raise SystemExit(EXIT_INPUT if failures else EXIT_OK)

    return parse
