"""``gongkai ledger …``: the agency's ledger of disclosure applications.

Commands without a database: ``deadline`` (one deadline, explained) and
``fee`` (国办函〔2020〕109号). Commands on the ledger (``--db URL``, default
``GONGKAI_DB`` or the SQLite file ``gongkai.db``): ``init``, ``add``,
``event``, ``show``, ``explain``, ``due``, ``tables``, ``reconcile``,
``import``, ``export``, ``calendar``. Exit codes: 0 done, 1 refused (an
impossible event, a report that disagrees, rows left out), 2 bad input.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

import click

from gongkai.cli.common import EXIT_FINDINGS, EXIT_INPUT, dump_json
from gongkai.cli.common import fail as print_error
from gongkai.errors import GongkaiError, InputError
from gongkai.i18n import current_lang, pick
from gongkai.ledger import clock, fees
from gongkai.ledger.calendar import (
    HolidayFileError,
    UnknownYear,
    WorkCalendar,
    load_holiday_file,
)
from gongkai.ledger.importer import BadRow, ImportFileError, parse_date
from gongkai.ledger.state import Refused

F = TypeVar("F", bound=Callable[..., Any])

_MSG: dict[str, tuple[str, str]] = {
    "help": (
        "依申请公开台账：登记申请、追加事件、按条例计算答复期限并逐日说明、生成表三表四、与已发布报告核对。",
        "The ledger of disclosure applications: register them, append events, keep the statutory "
        "clock (explained day by day), make tables 3 and 4, reconcile a published report.",
    ),
    "db": (
        "数据库（SQLite 文件路径或 postgresql:// 地址；默认 GONGKAI_DB 或 gongkai.db）",
        "the database (a SQLite file or a postgresql:// URL; default GONGKAI_DB or gongkai.db)",
    ),
    "holidays": (
        "节假日文件（某年的国务院节假日安排，YAML），可多次给出",
        "a holiday file (one year's State Council notice, YAML); may be repeated",
    ),
    "json": ("输出 JSON", "print JSON"),
    "by": (
        "记录人（审计记录；默认当前系统用户）",
        "who records this (audit trail; default: the system user)",
    ),
    "today": ("以此日期为今天（默认今天）", "take this date as today (default: today)"),
    "bad_date": (
        "{value}：不是日期（如 2024-03-05、2024/3/5、2024年3月5日）",
        "{value}: not a date (e.g. 2024-03-05, 2024/3/5, 2024年3月5日)",
    ),
    # deadline
    "h.deadline": (
        "计算一个答复期限（不需要台账）：收到申请后第 20 个工作日（收到当日不计，调休上班日计入）；"
        "有补正的从收到补正之日起算；延长的再加 20 个工作日。",
        "Compute one deadline without a ledger: the 20th working day after receipt (the day of "
        "receipt not counted, 调休 days worked), from the corrected application where there is "
        "one, 20 working days more when extended.",
    ),
    "h.received": ("收到申请之日（第三十一条）", "date of receipt (art. 31)"),
    "h.corrected": (
        "收到补正后申请之日（第三十条）",
        "date the corrected application was received (art. 30)",
    ),
    "h.extended": ("经批准延长 20 个工作日（第三十三条）", "extended by 20 working days (art. 33)"),
    # fee
    "h.fee": (
        "计算信息处理费（国办函〔2020〕109号）：按件（同一申请人一个自然月内的件数）或按量（页数），二者选一。",
        "Compute the processing fee (国办函〔2020〕109号): per application (an applicant's "
        "applications in a calendar month) or per volume (pages), one of the two.",
    ),
    "h.per_app": (
        "按件：同一申请人本自然月累计申请件数",
        "per application: the applicant's applications this calendar month",
    ),
    "h.pages": ("按量：本件提供的页数", "per volume: pages provided for this application"),
    "one_method": (
        "请在 --per-application 与 --pages 中选一个（一件申请只能用一种收费方式）",
        "give one of --per-application and --pages (one method per application)",
    ),
    # init / add / event
    "h.init": (
        "创建或升级台账数据库，并设置机关名称。",
        "Create or upgrade the ledger database and set the agency's name.",
    ),
    "h.agency": ("机关名称", "the agency's name"),
    "inited": ("台账就绪：{db}（机关：{agency}）", "ledger ready: {db} (agency: {agency})"),
    "h.add": ("登记一件申请。", "Register an application."),
    "h.number": ("申请编号（默认按年份自动编号）", "number (default: the next of the year)"),
    "h.type": (
        "申请人类型（表三的列）：{choices}",
        "applicant type (a column of table 3): {choices}",
    ),
    "h.channel": (
        "收到方式（决定收到之日，第三十一条）：{choices}",
        "channel of receipt (art. 31): {choices}",
    ),
    "h.name": ("申请人姓名或名称（个人信息）", "applicant's name (personal data)"),
    "h.contact": ("联系方式（个人信息）", "applicant's contact (personal data)"),
    "h.request": ("申请内容", "what is asked"),
    "added": ("已登记 {number}，答复期限 {due}", "registered {number}, due {due}"),
    "h.event": (
        "给申请追加一个事件（只追加，不改写）。",
        "Append an event to an application (append-only).",
    ),
    "h.kind": ("事件类型：{choices}", "kind of event: {choices}"),
    "h.date": ("事件日期（默认今天）", "date of the event (default: today)"),
    "h.outcome": ("答复的办理结果（表三的行键）", "the answer's outcome (a table-3 row key)"),
    "h.case": ("复议或诉讼的种类（表四的行键）", "the kind of case (a table-4 row key)"),
    "h.result": ("复议或诉讼的结果（表四的列键）", "the case's result (a table-4 column key)"),
    "h.reason": ("理由或说明（延长须写明理由）", "reason or note (an extension needs one)"),
    "h.fee_method": (
        "收费方式：per_application 或 per_volume",
        "charging method: per_application or per_volume",
    ),
    "h.quantity": ("按量的页数（按件时可不填）", "pages for per_volume"),
    "appended": ("已记录 {number}：{event}（{date}）", "recorded {number}: {event} ({date})"),
    "fee_notice": ("收费：{fee} 元", "fee: {fee} yuan"),
    # show / explain / due
    "h.show": ("显示一件申请的经过和当前状态。", "Show an application's timeline and state."),
    "h.explain": (
        "逐日说明答复期限是怎样得出的。",
        "Explain, day by day, how the deadline was reached.",
    ),
    "h.due": (
        "今日待办：已逾期、即将到期、暂停中、等待补正的申请。",
        "The morning's work: overdue, due soon, paused and awaiting correction.",
    ),
    "h.within": (
        "“即将到期”的工作日数（默认 5）",
        "working days that count as due soon (default 5)",
    ),
    "h.all": ("列出所有未办结的申请", "list every open application"),
    "nothing_due": ("没有到期或逾期的申请", "nothing due or overdue"),
    "no_deadline": ("目前没有答复期限：{why}", "no deadline now: {why}"),
    "closed_line": ("已于 {date} 办结：{outcome}", "closed on {date}: {outcome}"),
    "state": ("状态", "state"),
    # tables / reconcile
    "h.tables": (
        "生成某年度的表三、表四（该年度版式的报告记录，可直接交给 gongkai template/render）。",
        "Make tables 3 and 4 of a year (a report record in that year's edition, which gongkai template/render take as it is).",
    ),
    "h.year": ("统计年度", "the year"),
    "h.into": (
        "机关自己的报告数据（gongkai template 生成的工作簿，或含表二和正文的 JSON/YAML）：用台账的表三表四替换其中的",
        "the agency's own report data (a workbook from gongkai template, or JSON/YAML with table 2 and the text): tables 3 and 4 replaced by the ledger's",
    ),
    "h.out": ("写入文件（.json 或 .yaml）", "write to a file (.json or .yaml)"),
    "wrote": (
        "已写出 {path}（{year} 年度，{edition} 版；{n} 件申请）",
        "wrote {path} ({year}, edition {edition}; {n} applications)",
    ),
    "h.reconcile": (
        "把已发布的年度报告与台账核对：哪些单元格不一致，台账里是哪些申请。",
        "Reconcile a published report with the ledger: which cells disagree and the applications behind each.",
    ),
    # import / export / calendar
    "h.import": (
        "导入已有的 Excel 或 CSV 台账：按表头识别列；有任何一行无法导入则整体不导入（除非 --skip-bad）。",
        "Import an existing Excel or CSV ledger: columns by their headers; nothing is imported unless every row is clean (or --skip-bad).",
    ),
    "h.map": (
        "表头=字段，指定其余列（字段：{fields}）",
        "HEADER=FIELD for other columns (fields: {fields})",
    ),
    "h.sheet": ("工作表名称（默认第一个）", "worksheet (default: the first)"),
    "h.skip_bad": (
        "跳过无法导入的行，导入其余的",
        "leave out the rows that cannot be taken, import the rest",
    ),
    "bad_map_opt": ("--map 须写成 表头=字段：{value}", "--map takes HEADER=FIELD: {value}"),
    "import_refused": (
        "{source}：{n} 行无法导入，未导入任何数据（可修正后重试，或用 --skip-bad）",
        "{source}: {n} rows cannot be taken; nothing was imported (fix them, or use --skip-bad)",
    ),
    "imported": ("已导入 {n} 件申请（{source}）", "imported {n} applications ({source})"),
    "skipped": ("跳过 {n} 行", "left out {n} rows"),
    "h.export": (
        "把台账导出为 XLSX 或 CSV（逐件一行）。",
        "Export the ledger to XLSX or CSV (one row an application).",
    ),
    "h.redact": ("去掉申请人姓名和联系方式", "leave out applicants' names and contacts"),
    "exported": (
        "已导出 {n} 件申请到 {path}{redacted}",
        "exported {n} applications to {path}{redacted}",
    ),
    "redacted": ("（已去除个人信息）", " (personal data left out)"),
    "bad_ext": ("{path}：只能导出为 .xlsx 或 .csv", "{path}: export to .xlsx or .csv"),
    "h.calendar": (
        "加入某年的节假日文件（国务院通知），重新计算未办结申请的期限并列出变化。",
        "Add a year's holiday file (the State Council's notice); open deadlines are recomputed and the changes listed.",
    ),
    "calendar_added": (
        "已加入 {year} 年节假日安排（{notice}）",
        "added the holidays of {year} ({notice})",
    ),
    "no_changes": ("未办结申请的期限没有变化", "no open deadline moved"),
    "changed": ("{number}：{before} → {after}", "{number}: {before} → {after}"),
}


def _t(key: str, **kw: Any) -> str:
    return pick(_MSG[key], current_lang(), **kw)


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x1b]")


def safe(text: object) -> str:
    """Text typed by people, made harmless for a terminal (no control sequences)."""
    return _CONTROL.sub("?", str(text))


def fail(message: str, code: int = EXIT_INPUT) -> None:
    """The one error line (``错误：…``), then exit ``code``."""
    print_error(safe(message))
    raise SystemExit(code)


def guarded(fn: F) -> F:
    """Library errors become one line and an exit code."""

    @wraps(fn)
    def inner(*args: Any, **kw: Any) -> Any:
        lang = current_lang()
        try:
            return fn(*args, **kw)
        except Refused as e:
            fail(e.message(lang), EXIT_FINDINGS)
        except (UnknownYear, HolidayFileError, ImportFileError) as e:
            fail(e.message(lang))
        except fees.FeeError as e:
            fail(e.message(lang))
        except InputError as e:
            fail(e.message(lang))
        except GongkaiError as e:
            msg = getattr(e, "message", None)
            fail(msg(lang) if callable(msg) else str(e))
        return None

    return cast(F, inner)


def date_arg(value: str | None) -> dt.date | None:
    if value is None:
        return None
    d = parse_date(value)
    if d is None:
        raise click.BadParameter(_t("bad_date", value=value))
    return d


def _date_cb(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    return date_arg(value)


def calendar_from(files: tuple[str, ...]) -> WorkCalendar:
    return WorkCalendar.default(load_holiday_file(f) for f in files)


def db_option(fn: F) -> F:
    return click.option("--db", "db", default=None, metavar="URL", help=_t("db"))(fn)


def holidays_option(fn: F) -> F:
    return click.option(
        "--holidays",
        "holidays",
        multiple=True,
        metavar="FILE",
        type=click.Path(dir_okay=False),
        help=_t("holidays"),
    )(fn)


def json_option(fn: F) -> F:
    return click.option("--json", "as_json", is_flag=True, help=_t("json"))(fn)


def today_option(fn: F) -> F:
    return click.option(
        "--today", "today", default=None, callback=_date_cb, metavar="DATE", help=_t("today")
    )(fn)


def echo_json(obj: Any) -> None:
    click.echo(dump_json(obj))


# ------------------------------------------------------------------ no ledger


def deadline_command() -> click.Command:
    @click.command("deadline", help=_t("h.deadline"))
    @click.option(
        "--received", required=True, callback=_date_cb, metavar="DATE", help=_t("h.received")
    )
    @click.option(
        "--corrected", default=None, callback=_date_cb, metavar="DATE", help=_t("h.corrected")
    )
    @click.option("--extended", is_flag=True, help=_t("h.extended"))
    @holidays_option
    @json_option
    @guarded
    def deadline(
        received: dt.date,
        corrected: dt.date | None,
        extended: bool,
        holidays: tuple[str, ...],
        as_json: bool,
    ) -> None:
        cal = calendar_from(holidays)
        result = clock.deadline(cal, received, corrected=corrected, extended=extended)
        if as_json:
            echo_json(result.to_dict(current_lang()))
            return
        for line in result.lines(current_lang()):
            click.echo(line)

    return deadline


def fee_command() -> click.Command:
    @click.command("fee", help=_t("h.fee"))
    @click.option(
        "--per-application", "per_app", type=int, default=None, metavar="N", help=_t("h.per_app")
    )
    @click.option("--pages", type=int, default=None, metavar="N", help=_t("h.pages"))
    @json_option
    @guarded
    def fee(per_app: int | None, pages: int | None, as_json: bool) -> None:
        if (per_app is None) == (pages is None):
            fail(_t("one_method"))
        result = (
            fees.per_application(per_app) if per_app is not None else fees.per_volume(pages or 0)
        )
        if as_json:
            echo_json(result.to_dict(current_lang()))
            return
        for line in result.lines(current_lang()):
            click.echo(line)

    return fee


def command() -> click.Group:
    @click.group("ledger", help=_t("help"))
    def ledger() -> None:
        pass

    from gongkai.cli import ledger_db

    ledger.add_command(deadline_command())
    ledger.add_command(fee_command())
    for cmd in ledger_db.commands():
        ledger.add_command(cmd)
    return ledger


def bad_rows_lines(bad: list[BadRow], limit: int = 50) -> list[str]:
    lines = [b.message(current_lang()) for b in bad[:limit]]
    if len(bad) > limit:
        lines.append(f"… (+{len(bad) - limit})")
    return lines
