"""``gongkai check FILE...``: check annual reports against the rule catalogue.

Arguments → :func:`gongkai.batch.check_files` → findings by severity and a
verdict per file, then a summary table of every file given (read, skipped
with why, failed). Exit 0 without errors, 1 with findings of error
severity, 2 for unreadable input, no report found, or a usage error.

``--json``: one FILE named gives its check result (``interchange.md``); a
folder or several FILEs give a list of batch entries (one per file, even
if the folder holds one report or none) — the shape follows the command
line, never what was found. ``--jsonl``: one entry a line. Both are written
as the files are checked, so memory stays flat.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import IO, Any

import click

from gongkai.batch import CheckOptions, Outcome, check_files
from gongkai.batch.summary import Totals, line
from gongkai.checks.console import print_pairing, print_result, print_summary
from gongkai.checks.registry import Level, select
from gongkai.cli.common import (
    EXIT_FINDINGS,
    EXIT_INPUT,
    EXIT_OK,
    console_for,
    fail,
    limit_option,
    progress_bar,
    usage_error,
)
from gongkai.errors import InputError
from gongkai.i18n import current_lang, pick, tr
from gongkai.reading.limits import Limits

_HELP = {
    "cmd": (
        "检查年度报告：表内算术、结构、跨年度、正文与表格、发布时限、篡改与署名。"
        "FILE 可以是报告文件或报告记录 JSON。",
        "Check annual reports: arithmetic, structure, across years, prose against tables, "
        "timeliness, tampering and authorship. FILE is a report or a report record (.json).",
    ),
    "previous": (
        "上一年度报告：一个文件，或一个目录（按机关和年度自动配对）。未给出时在本批文件中配对。",
        "last year's report: a file, or a directory whose reports are paired by agency and year; "
        "without it, reports of the batch pair with each other",
    ),
    "json": (
        "输出 JSON 检查结果（interchange.md 格式）",
        "print the check result as JSON (interchange.md)",
    ),
    "pick": (
        "只运行这些规则（规则 id 或类别，逗号分隔）",
        "run only these rules (ids or scopes, comma-separated)",
    ),
    "skip": (
        "不运行这些规则（规则 id 或类别，逗号分隔）",
        "skip these rules (ids or scopes, comma-separated)",
    ),
    "level": (
        "机关类别：government（本级政府报告，3月31日前）或 department（部门，1月31日前）；默认按名称判断",
        "kind of agency: government (own report, due 31 March) or department (due 31 January); "
        "read from the name by default",
    ),
    "deadline": (
        "指定发布期限（YYYY-MM-DD），代替法定期限",
        "publication deadline (YYYY-MM-DD) instead of the statutory one",
    ),
    "jsonl": (
        "每个文件一行 JSON（边检查边输出，内存不随文件数增长）",
        "one JSON line a file, written as each is checked (memory stays flat)",
    ),
    "no_pair": (
        "本批文件之间不做跨年度配对（每个文件只读一遍，适合大批量）",
        "do not pair the batch's reports with each other across years "
        "(each file is read once: for large batches)",
    ),
    "jobs": (
        "并行进程数（输出仍按输入顺序）",
        "number of processes (output stays in input order)",
    ),
}


class _JsonList:
    """A JSON list written as it grows: ``[`` first, ``]`` at the end."""

    def __init__(self, out: IO[str]) -> None:
        self.out = out
        self.n = 0

    def add(self, obj: Any) -> None:
        self.out.write(("[\n" if self.n == 0 else ",\n") + json.dumps(obj, ensure_ascii=False))
        self.out.flush()
        self.n += 1

    def close(self) -> None:
        self.out.write("[]\n" if self.n == 0 else "\n]\n")
        self.out.flush()


def _note(message: str) -> None:
    click.echo(message, err=True)


def run(
    files: tuple[str, ...],
    previous: str | None,
    as_json: bool,
    picked: tuple[str, ...],
    skipped: tuple[str, ...],
    level: Level | None,
    deadline: dt.date | None,
    *,
    jsonl: bool = False,
    jobs: int = 1,
    limits: Limits | None = None,
    pair: bool = True,
) -> int:
    lang = current_lang()
    if not files:
        usage_error(tr("error.no_files"))
        return EXIT_INPUT
    try:
        select(picked or None, skipped)
    except ValueError as exc:
        fail(
            pick(
                ("未知的规则：{x}（见 gongkai rules）", "unknown rules: {x} (see gongkai rules)"),
                lang,
                x=exc,
            )
        )
        return EXIT_INPUT
    if previous is not None and not Path(previous).exists():
        fail(tr("error.not_found", path=previous))
        return EXIT_INPUT
    options = CheckOptions(
        lang=lang, pick=picked or None, skip=skipped, level=level, deadline=deadline
    )
    # one file named: its result alone; a folder or several files: a batch, whatever it holds
    single = len(files) == 1 and not Path(files[0]).is_dir()
    show_pairing = previous is not None or (not single and pair)

    def passed_over(o: Outcome) -> None:
        _note(
            pick(
                ("--previous 中未使用：{m}", "--previous: passed over {m}"), lang, m=o.message(lang)
            )
        )

    totals = Totals(keep=not (as_json or jsonl))  # the table is printed only without them
    console = console_for(sys.stdout)
    listing = _JsonList(sys.stdout) if as_json and not single else None
    with progress_bar(pick(("读取", "reading"), lang)) as progress:
        outcomes = check_files(
            files,
            previous,
            options,
            jobs=jobs,
            on_previous=passed_over,
            progress=progress if not single else None,
            limits=limits,
            pair=pair,
        )
        try:
            for o in outcomes:
                totals.add(line(o, options, lang))
                if o.status == "failed":
                    fail(o.message(lang) or o.path)
                elif o.status == "skipped":
                    _note(o.message(lang) or o.path)
                if jsonl:
                    sys.stdout.write(json.dumps(o.to_dict(lang), ensure_ascii=False) + "\n")
                    sys.stdout.flush()
                elif listing is not None:
                    listing.add(o.to_dict(lang))
                elif o.result is not None and as_json:
                    click.echo(json.dumps(o.result.to_dict(), ensure_ascii=False, indent=1))
                elif o.result is not None:
                    print_result(console, o.path, o.result, lang)
                    if show_pairing:
                        print_pairing(console, o.previous, lang)
                    console.print()
        except InputError as exc:  # the --previous file itself is unreadable
            fail(exc.message(lang))
            return EXIT_INPUT
    if listing is not None:
        listing.close()
    if not single and not (as_json or jsonl):
        print_summary(console, totals, lang)
    if totals.read == 0 and not single:
        fail(
            tr(
                "error.no_report",
                lang,
                given="、".join(files) if lang == "zh" else ", ".join(files),
            )
        )
    if totals.failed or totals.read == 0:
        return EXIT_INPUT
    return EXIT_FINDINGS if totals.errors else EXIT_OK


def command() -> click.Command:
    lang = current_lang()

    @click.command(name="check", help=pick(_HELP["cmd"], lang))
    @click.argument("files", nargs=-1, type=click.Path())
    @click.option("--previous", type=click.Path(), default=None, help=pick(_HELP["previous"], lang))
    @click.option("--json", "as_json", is_flag=True, help=pick(_HELP["json"], lang))
    @click.option(
        "--pick", "picked", multiple=True, metavar="RULES", help=pick(_HELP["pick"], lang)
    )
    @click.option(
        "--skip", "skipped", multiple=True, metavar="RULES", help=pick(_HELP["skip"], lang)
    )
    @click.option(
        "--level",
        type=click.Choice(["government", "department"]),
        default=None,
        help=pick(_HELP["level"], lang),
    )
    @click.option(
        "--deadline",
        type=click.DateTime(formats=["%Y-%m-%d"]),
        default=None,
        metavar="YYYY-MM-DD",
        help=pick(_HELP["deadline"], lang),
    )
    @click.option("--jsonl", is_flag=True, help=pick(_HELP["jsonl"], lang))
    @click.option("--no-pair", "no_pair", is_flag=True, help=pick(_HELP["no_pair"], lang))
    @limit_option()
    @click.option(
        "--jobs", type=click.IntRange(1, 64), default=1, metavar="N", help=pick(_HELP["jobs"], lang)
    )
    def cmd(
        files: tuple[str, ...],
        previous: str | None,
        as_json: bool,
        picked: tuple[str, ...],
        skipped: tuple[str, ...],
        level: str | None,
        deadline: dt.datetime | None,
        jsonl: bool,
        no_pair: bool,
        jobs: int,
        limits: Limits | None,
    ) -> None:
        body: Level | None = (
            "government" if level == "government" else "department" if level else None
        )
        code = run(
            files,
            previous,
            as_json and not jsonl,
            picked,
            skipped,
            body,
            deadline.date() if deadline else None,
            jsonl=jsonl,
            jobs=jobs,
            limits=limits,
            pair=not no_pair,
        )
        sys.exit(code)

    return cmd
