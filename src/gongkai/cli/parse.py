"""``gongkai parse FILE... [--json] [--explain] [-o DIR]``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click
from rich.markup import escape
from rich.table import Table

from gongkai.batch import read_files
from gongkai.cli.common import (
    EXIT_INPUT,
    EXIT_OK,
    console_for,
    dump_json,
    err,
    fail,
    lang,
    limit_option,
    usage_error,
)
from gongkai.i18n import Lang, pick, tr
from gongkai.national.names import TABLE_NAMES, edition_name, table_name
from gongkai.output import Outputs
from gongkai.reading.limits import Limits
from gongkai.record import Report


def _summary(report: Report, ln: Lang) -> Table:
    t = Table(show_header=False, box=None, padding=(0, 1))
    yes, no = "✓", "✗"
    t.add_row(tr("parse.agency", ln), escape(report.agency or tr("parse.missing", ln)))
    t.add_row(tr("parse.year", ln), str(report.year) if report.year else tr("parse.missing", ln))
    t.add_row(tr("parse.template", ln), edition_name(report.template, ln))
    t.add_row(tr("parse.published", ln), report.published.isoformat() if report.published else "—")
    if report.template != "legacy":
        parts = {s.part for s in report.evidence.sections or []}
        t.add_row(
            tr("parse.sections", ln),
            " ".join(f"{'一二三四五六'[i - 1]}{yes if i in parts else no}" for i in range(1, 7)),
        )
        found = []
        for key in TABLE_NAMES:
            found.append(f"{table_name(key, ln)}{yes if getattr(report, key) is not None else no}")
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
            escape(", ".join(f"{k}={v}" for k, v in figures.items()) or "—"),
        )
    warnings = report.evidence.warnings
    if warnings:
        t.add_row(tr("parse.warnings", ln), str(len(warnings)))
    diff = report.evidence.embedded_diff
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
    @click.option(
        "--jobs", type=click.IntRange(1, 64), default=1, metavar="N", help=tr("help.jobs")
    )
    @limit_option()
    def parse(
        files: tuple[str, ...],
        as_json: bool,
        explain: bool,
        outdir: str | None,
        fmt: str | None,
        private: bool,
        jobs: int,
        limits: Limits | None,
    ) -> None:
        ln: Lang = "en" if lang() == "en" else "zh"
        if not files:
            usage_error(tr("error.no_files", ln))
            raise SystemExit(EXIT_INPUT)
        single = len(files) == 1 and not Path(files[0]).is_dir()
        console = console_for(sys.stdout)
        listing: list[dict[str, Any]] = []
        outputs = Outputs(outdir) if outdir else None
        n = {"read": 0, "skipped": 0, "failed": 0}
        for o in read_files(files, fmt, keep_document=explain, jobs=jobs, limits=limits):
            n[o.status] += 1
            if o.status == "failed":
                fail(o.message(ln) or o.path)
                continue
            if o.status == "skipped":
                err(o.message(ln) or o.path)
                continue
            assert o.report is not None
            record = o.report.to_dict(private=not private)
            if outputs is not None:
                target = outputs.write(o.path, dump_json(record) + "\n")
                if not as_json:
                    console.print(escape(tr("parse.wrote", ln, path=str(target))))
            if as_json:
                listing.append(record)
            elif outputs is None or explain:
                src = o.report.evidence.source
                fmt_read = ", ".join(x for x in (src.format, src.encoding) if x) if src else ""
                console.print(
                    f"[bold]{escape(o.path)}[/bold]  [dim]\\[{escape(str(fmt_read))}][/dim]"
                )
                console.print(_summary(o.report, ln))
                if explain and o.document is not None:
                    from gongkai.reading.explain import explain_lines

                    for text in explain_lines(o.report, o.document, ln):
                        console.print(text, markup=False)
                console.print()
        if outputs is not None:
            for note in outputs.renamed_notes(ln):
                err(note)
        if as_json:
            click.echo(dump_json(listing[0] if single and listing else listing))
        total = sum(n.values())
        if total > 1:
            err(
                tr(
                    "parse.summary",
                    ln,
                    total=total,
                    ok=n["read"],
                    skipped=n["skipped"],
                    failed=n["failed"],
                )
            )
        if n["read"] == 0 and not single:
            fail(
                tr(
                    "error.no_report",
                    ln,
                    given="、".join(files) if ln == "zh" else ", ".join(files),
                )
            )
        raise SystemExit(EXIT_INPUT if n["failed"] or n["read"] == 0 else EXIT_OK)

    return parse
