"""``gongkai check FILE...``: check annual reports against the rule catalogue.

Arguments → :func:`gongkai.checks.check` → findings by severity and a verdict
per file (or ``--json``: the check result of ``interchange.md``), a summary
table after a batch. Exit 0 without errors, 1 with findings of error
severity, 2 for unreadable input or a usage error.

A ``.json`` file holding a report record (or a check result) is used as it
is; anything else goes through :func:`gongkai.reading.read`. Last year's
reports come from ``--previous`` (a file, or a directory whose reports are
paired by agency and year) or from the batch itself.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from pathlib import Path
from typing import Any

import click
from pydantic import ValidationError
from rich.console import Console

from gongkai.checks import check
from gongkai.checks.across_years import pair
from gongkai.checks.console import Row, print_result, print_summary
from gongkai.checks.registry import Level, select
from gongkai.cli.common import (
    EXIT_FINDINGS,
    EXIT_INPUT,
    EXIT_OK,
    Failure,
    dump_json,
    each_file,
    expand,
)
from gongkai.errors import InputError
from gongkai.i18n import Lang, current_lang, pick, tr
from gongkai.record import CheckResult, Report

#: file endings read from a ``--previous`` directory
REPORT_SUFFIXES: tuple[str, ...] = (".json", ".txt", ".html", ".htm", ".shtml", ".docx", ".pdf")


class RecordError(InputError):
    """The JSON file is not a valid report record"""

    code = "bad-record"
    zh = "JSON 文件不是有效的报告记录"


class ReaderMissing(InputError):
    """The report reader (gongkai.reading) is not available"""

    code = "no-reader"
    zh = "未安装报告读取模块（gongkai.reading）"


def _record_json(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, OSError):
        return None
    if isinstance(data, dict) and isinstance(data.get("report"), dict):
        data = data["report"]
    if isinstance(data, dict) and "template" in data:
        return data
    return None


def load(path: str | os.PathLike[str]) -> Report:
    """The report record of ``path``; raises an :class:`InputError` if unreadable."""
    p = Path(path)
    if p.suffix.lower() == ".json":
        data = _record_json(p)
        if data is not None:
            try:
                return Report.model_validate(data)
            except ValidationError as exc:
                first = exc.errors()[0]
                loc = ".".join(str(x) for x in first.get("loc", ()))
                detail = f"{loc}: {first.get('msg', '')}".strip(": ")
                raise RecordError(str(path), detail, detail) from None
    try:
        from gongkai.reading import read  # the parser, imported when a file needs it
    except ImportError:
        raise ReaderMissing(str(path)) from None
    report: Report = read(p)
    return report


def load_dir(directory: str | Path) -> list[tuple[str, Report]]:
    """Every readable report in ``directory`` (unreadable files are passed over)."""
    out: list[tuple[str, Report]] = []
    for p in sorted(Path(directory).iterdir()):
        if not p.is_file() or p.suffix.lower() not in REPORT_SUFFIXES:
            continue
        try:
            out.append((str(p), load(p)))
        except Exception:  # a stray file in the directory is not the user's input
            continue
    return out


def previous_for(items: list[tuple[str, Report]], previous: str | Path | None) -> dict[int, Report]:
    """Last year's report for each item: from a file, a directory, or the batch."""
    if previous is not None and Path(previous).is_file():
        prev = load(previous)
        return dict.fromkeys(range(len(items)), prev)
    pool = load_dir(previous) if previous is not None else []
    reports = {name: rep for name, rep in [*pool, *items]}
    return {i: reports[name] for i, name in pair(items, pool).items()}


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
}


def _lang() -> Lang:
    return current_lang()


def _fail(message: str) -> None:
    click.echo(f"{tr('error.prefix')}: {message}", err=True)


def run(
    files: tuple[str, ...],
    previous: str | None,
    as_json: bool,
    picked: tuple[str, ...],
    skipped: tuple[str, ...],
    level: Level | None,
    deadline: dt.date | None,
) -> int:
    lang = _lang()
    if not files:
        _fail(tr("error.no_files"))
        return EXIT_INPUT
    try:
        select(picked or None, skipped)
    except ValueError as exc:
        _fail(
            pick(
                ("未知的规则：{x}（见 gongkai rules）", "unknown rules: {x} (see gongkai rules)"),
                lang,
                x=exc,
            )
        )
        return EXIT_INPUT
    if previous is not None and not Path(previous).exists():
        _fail(tr("error.not_found", path=previous))
        return EXIT_INPUT
    code = EXIT_OK
    rows: list[Row] = []
    items: list[tuple[str, Report]] = []
    given, files = files, expand(files, (".json",))
    single = len(given) == 1 and files == given
    for path, got in each_file(files, load):
        if isinstance(got, Failure):
            _fail(got.message)
            rows.append(Row(path, None))
            code = EXIT_INPUT
        else:
            items.append((path, got))
            rows.append(Row(path, None))
    try:
        prev = previous_for(items, previous)
    except InputError as exc:
        _fail(exc.message(lang))
        return EXIT_INPUT
    results: dict[str, CheckResult] = {}
    for i, (path, report) in enumerate(items):
        results[path] = check(
            report,
            prev.get(i),
            lang=lang,
            pick=picked or None,
            skip=skipped,
            level=level,
            deadline=deadline,
        )
        if results[path].errors and code == EXIT_OK:
            code = EXIT_FINDINGS
    for row in rows:
        row.result = results.get(row.name)
    if as_json:
        out: Any = [r.to_dict() for r in results.values()]
        if single:
            out = out[0] if out else None
        if out is not None:
            click.echo(dump_json(out))
        return code
    console = Console(soft_wrap=True, highlight=False, file=sys.stdout)
    for path, result in results.items():
        print_result(console, path, result, lang)
        console.print()
    if not single:
        print_summary(console, rows, lang)
    return code


def command() -> click.Command:
    lang = _lang()

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
        help=pick(_HELP["deadline"], lang),
    )
    def cmd(
        files: tuple[str, ...],
        previous: str | None,
        as_json: bool,
        picked: tuple[str, ...],
        skipped: tuple[str, ...],
        level: str | None,
        deadline: dt.datetime | None,
    ) -> None:
        body: Level | None = (
            "government" if level == "government" else "department" if level else None
        )
        code = run(
            files, previous, as_json, picked, skipped, body, deadline.date() if deadline else None
        )
        sys.exit(code)

    return cmd
