"""``gongkai corpus …``: keep many reports in one database and work on them.

A thin layer: arguments → :mod:`gongkai.corpus` → a table on the terminal or
JSON. The database comes from ``--db URL`` (or ``GONGKAI_DB``; default the
SQLite file ``gongkai.db`` here). Sub-commands of analysis and output live in
:mod:`gongkai.cli.corpus_views`.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from sqlalchemy import Engine

from gongkai.cli.common import EXIT_INPUT, dump_json, files_bar
from gongkai.cli.corpus_cluster import cluster_options
from gongkai.corpus.agencies import LEVELS, Overrides
from gongkai.corpus.query import Filter
from gongkai.db import DatabaseError
from gongkai.errors import GongkaiError
from gongkai.i18n import current_lang, pick
from gongkai.national.names import edition_name

F = TypeVar("F", bound=Callable[..., Any])

M: dict[str, tuple[str, str]] = {
    "help": (
        "年度报告库：收集、存储、比较、排名和导出大量年度报告。数据库由 --db 或环境变量 GONGKAI_DB 指定（默认当前目录的 gongkai.db）。",
        "The corpus: collect, store, compare, rank and export many reports. The database is --db or GONGKAI_DB (default gongkai.db here).",
    ),
    "db": (
        "数据库地址：SQLite 文件路径或 postgresql://…（默认 gongkai.db）",
        "database: a SQLite file or postgresql://… (default gongkai.db)",
    ),
    "agencies": (
        "机关对照表（CSV、XLSX 或 YAML），覆盖从名称推断的层级、地区和上级",
        "agency override file (CSV, XLSX or YAML): level, region, parent",
    ),
    "add": (
        "读取、检查并存入报告（文件、目录或网址）；同一文件重复添加不会重复存储",
        "read, check and store reports (files, directories or URLs); the same bytes twice add nothing",
    ),
    "workers": ("并行进程数（默认为 CPU 核数）", "parallel worker processes (default: the cores)"),
    "fetch": (
        "从网上收集年度报告并存入：报告页面、文档链接（PDF、DOC、DOCX）或网站的年报栏目（列表页及其链接的报告和附件）。遵守 robots.txt，按站点限速。",
        "collect reports from the web and store them: a report page, a document link (PDF, DOC, DOCX) or a site's annual-report column (its list page, the reports it links and their attachments); robots.txt obeyed, rate-limited per site",
    ),
    "delay": ("同一网站两次请求之间的间隔秒数", "seconds between two requests to the same site"),
    "timeout": ("每个请求的超时秒数", "timeout of each request in seconds"),
    "max_bytes": ("单个文件的大小上限（字节）", "size cap of one download (bytes)"),
    "allow_private": ("允许抓取内网和本机地址", "allow fetching private and loopback addresses"),
    "added": ("已存入 {name}：{agency} {year}", "stored {name}: {agency} {year}"),
    "version": (
        "已存入 {name}：{agency} {year}（第 {version} 个版本）",
        "stored {name}: {agency} {year} (version {version})",
    ),
    "differs": (
        "  与上一版本有 {n} 个单元格不同（versions-differ）",
        "  {n} cells differ from the previous version (versions-differ)",
    ),
    "summary": (
        "共 {total} 个文件：新存入 {added} 个，新版本 {version} 个，已存在 {exists} 个，失败 {failed} 个，跳过 {skipped} 个",
        "{total} files: {added} added, {version} new versions, {exists} already stored, {failed} failed, {skipped} passed over",
    ),
    "progress": ("存入报告", "adding reports"),
    "ls": (
        "列出库中的报告（可按年度、机关、层级、地区、规则筛选）",
        "list the reports (filter by year, agency, level, region, rule)",
    ),
    "show": (
        "显示一份报告：记录、发现的问题和解析提示",
        "show one report: its record, findings and parser warnings",
    ),
    "rm": ("从库中删除报告（按编号或筛选条件）", "remove reports (by id or filter)"),
    "rm_none": (
        "没有给出要删除的报告（编号或筛选条件）；为安全起见不删除全部",
        "no reports named (ids or filters); refusing to remove everything",
    ),
    "removed": ("已删除 {n} 份报告", "removed {n} reports"),
    "not_found": ("没有编号为 {id} 的报告", "no report with id {id}"),
    "year": ("年度（可重复）", "year (repeatable)"),
    "agency_f": ("机关名称或其一部分", "agency name or part of it"),
    "level": (
        "层级：state_council|province|city|county|township",
        "level: state_council|province|city|county|township",
    ),
    "region": ("地区名称或其一部分", "region or part of it"),
    "rule": ("只要有此规则发现问题的报告", "only reports with a finding of this rule"),
    "all_versions": ("包括旧版本", "include superseded versions"),
    "json": ("输出 JSON", "print JSON"),
    "empty": ("库中没有符合条件的报告", "no reports match"),
    "col.id": ("编号", "id"),
    "col.year": ("年度", "year"),
    "col.agency": ("机关", "agency"),
    "col.level": ("层级", "level"),
    "col.template": ("格式", "template"),
    "col.version": ("版本", "version"),
    "col.errors": ("错误", "errors"),
    "col.warnings": ("警告", "warnings"),
    "col.file": ("文件", "file"),
    "findings": ("发现的问题", "findings"),
    "warnings": ("解析提示", "parser warnings"),
    "source": ("来源", "source"),
}


def m(key: str, **kw: Any) -> str:
    return pick(M[key], **kw)


class Ctx:
    """What the group passes to its commands: the database, opened when needed."""

    def __init__(self, db: str | None, agencies: str | None) -> None:
        self.db = db
        self.agencies = agencies
        self._engine: Engine | None = None

    def engine(self) -> Engine:
        if self._engine is None:
            from gongkai.cli.corpus_cluster import parquet_path
            from gongkai.db import connect, upgrade

            dataset = parquet_path(self.db)
            if dataset is not None:  # a Parquet dataset, read through DuckDB views
                from gongkai.cluster.dataset import open_dataset

                self._engine = open_dataset(dataset)
                return self._engine
            self._engine = connect(self.db)
            upgrade(self._engine)
        return self._engine

    def overrides(self) -> Overrides | None:
        if not self.agencies:
            return None
        from gongkai.corpus.agencies import load_overrides

        return load_overrides(self.agencies)


def fail(message: str) -> None:
    click.echo(message, err=True)
    sys.exit(EXIT_INPUT)


def guarded(fn: F) -> F:
    """Library errors (database, input) as one line and exit 2."""
    import functools

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except DatabaseError as e:
            fail(str(e))
        except GongkaiError as e:
            msg = (
                e.message(current_lang())
                if hasattr(e, "message") and callable(e.message)
                else str(e)
            )
            fail(msg)
        return None

    return wrapper  # type: ignore[return-value]


def filter_options(fn: F) -> F:
    for opt in reversed(
        [
            click.option("--year", "years", type=int, multiple=True, help=m("year")),
            click.option("--agency", default=None, help=m("agency_f")),
            click.option("--level", type=click.Choice(list(LEVELS)), default=None, help=m("level")),
            click.option("--region", default=None, help=m("region")),
            click.option("--rule", default=None, help=m("rule")),
            click.option("--all-versions", is_flag=True, help=m("all_versions")),
        ]
    ):
        fn = opt(fn)
    return fn


def make_filter(kw: dict[str, Any], ids: tuple[int, ...] = ()) -> Filter:
    return Filter(
        years=tuple(kw.pop("years", ()) or ()),
        agency=kw.pop("agency", None),
        level=kw.pop("level", None),
        region=kw.pop("region", None),
        rule=kw.pop("rule", None),
        ids=ids,
        all_versions=bool(kw.pop("all_versions", False)),
    )


def console() -> Console:
    """Rich output; piped into a file, tables get room instead of 80 columns."""
    c = Console(highlight=False, soft_wrap=False)
    if not c.is_terminal:
        c = Console(highlight=False, soft_wrap=False, width=200)
    return c


def level_label(level: str | None) -> str:
    if level is None:
        return "—"
    zh, en = LEVELS.get(level, (level, level))
    return en if current_lang() == "en" else zh


def _add_command() -> click.Command:

    @click.command("add", help=m("add"))
    @click.argument("sources", nargs=-1, required=True)
    @click.option("--workers", "-j", type=click.IntRange(1, 64), default=None, help=m("workers"))
    @cluster_options
    @fetch_options
    @click.pass_obj
    @guarded
    def add_cmd(
        obj: Ctx,
        /,
        sources: tuple[str, ...],
        workers: int | None,
        cluster_spec: str | None,
        to: tuple[str, str] | None,
        batch: int | None,
        **fetch: Any,
    ) -> None:
        from gongkai.corpus.collect import items_from_paths

        urls = [s for s in sources if s.lower().startswith(("http://", "https://"))]
        items, failures = items_from_paths([s for s in sources if s not in urls])
        if cluster_spec is not None or to is not None:  # the distributed path (or Parquet)
            from gongkai.cli.corpus_cluster import add_distributed

            code = add_distributed(obj, items, failures, urls, cluster_spec, to, batch, fetch)
            sys.exit(code)
        store_items(obj, items, failures, urls, workers, fetch)

    return add_cmd


#: a batch of up to this many reports lists each one stored
LIST_AT_MOST = 50


def fetch_options(fn: F) -> F:
    for opt in reversed(
        [
            click.option("--allow-private", is_flag=True, help=m("allow_private")),
            click.option(
                "--delay",
                type=click.FloatRange(0, 600),
                default=1.0,
                show_default=True,
                help=m("delay"),
            ),
            click.option(
                "--timeout",
                type=click.FloatRange(1, 600),
                default=20.0,
                show_default=True,
                help=m("timeout"),
            ),
            click.option(
                "--max-bytes",
                type=click.IntRange(1),
                default=32 * 1024 * 1024,
                show_default=True,
                help=m("max_bytes"),
            ),
        ]
    ):
        fn = opt(fn)
    return fn


def store_items(
    obj: Ctx,
    items: list[Any],
    failures: list[Any],
    urls: list[str],
    workers: int | None,
    fetch: dict[str, Any],
) -> None:
    """Fetch ``urls``, then read, check and store everything; print what happened."""
    from gongkai.corpus.collect import add, default_workers
    from gongkai.corpus.ingest import Stored

    if urls:
        from gongkai.corpus.fetch import FetchOptions, fetch_all

        got, bad = fetch_all(urls, FetchOptions(**fetch))
        items = [*items, *got]
        failures = [*failures, *(Stored("failed", u, "", error=msg) for u, msg in bad)]
    err = Console(stderr=True)
    for f in failures:
        click.echo(f.error or f.name, err=True)  # one line, never wrapped
    engine = obj.engine()
    out = console()

    def report(r: Stored) -> None:
        if r.status == "failed":
            click.echo(r.error or r.name, err=True)

    kwargs: dict[str, Any] = {
        "workers": workers or default_workers(),
        "overrides": obj.overrides(),
        "lang": current_lang(),
    }
    with files_bar(err, m("progress"), len(items)) as advance:

        def tick(r: Stored) -> None:
            advance()
            report(r)

        summary = add(engine, items, on_result=tick, **kwargs)
    summary.results[:0] = failures
    stored = [r for r in summary.results if r.status in ("added", "version") and r.report_id]
    # each report stored, one line (a long batch: only the new versions, which need a look)
    for r in stored if len(stored) <= LIST_AT_MOST else [r for r in stored if r.differs]:
        _print_stored(out, engine, r)
    c = summary.counts()
    out.print(m("summary", total=len(summary.results), **c))
    if c["failed"]:
        sys.exit(EXIT_INPUT)


def _fetch_command() -> click.Command:
    @click.command("fetch", help=m("fetch"))
    @click.argument("urls", nargs=-1, required=True)
    @click.option("--workers", "-j", type=click.IntRange(1, 64), default=None, help=m("workers"))
    @fetch_options
    @click.pass_obj
    @guarded
    def fetch_cmd(obj: Ctx, /, urls: tuple[str, ...], workers: int | None, **fetch: Any) -> None:
        store_items(obj, [], [], list(urls), workers, fetch)

    return fetch_cmd


def _print_stored(out: Console, engine: Engine, r: Any) -> None:
    from gongkai.corpus.query import list_reports

    rows = list_reports(engine, Filter(ids=(r.report_id,), all_versions=True))
    if not rows:
        return
    s = rows[0]
    key = "version" if r.status == "version" else "added"
    out.print(
        escape(m(key, name=r.name, agency=s.agency or "—", year=s.year or "—", version=r.version))
    )
    if r.differs:
        out.print(m("differs", n=len(r.differs)))


def _ls_command() -> click.Command:
    @click.command("ls", help=m("ls"))
    @filter_options
    @click.option("--json", "as_json", is_flag=True, help=m("json"))
    @click.pass_obj
    @guarded
    def ls_cmd(obj: Ctx, /, as_json: bool, **kw: Any) -> None:
        from dataclasses import asdict

        from gongkai.corpus.query import list_reports

        rows = list_reports(obj.engine(), make_filter(kw))
        if as_json:
            click.echo(dump_json([asdict(r) for r in rows]))
            return
        if not rows:
            click.echo(m("empty"))
            return
        t = Table(
            *(
                m(f"col.{k}")
                for k in (
                    "id",
                    "year",
                    "agency",
                    "level",
                    "template",
                    "version",
                    "errors",
                    "warnings",
                    "file",
                )
            )
        )
        for r in rows:
            t.add_row(
                str(r.id),
                str(r.year or "—"),
                escape(r.agency or "—"),
                level_label(r.level),
                edition_name(r.template),
                str(r.version) + ("" if r.current else "*"),
                str(r.errors),
                str(r.warnings),
                escape(r.name),
            )
        console().print(t)

    return ls_cmd


def _show_command() -> click.Command:
    @click.command("show", help=m("show"))
    @click.argument("report_id", type=int)
    @click.option("--json", "as_json", is_flag=True, help=m("json"))
    @click.pass_obj
    @guarded
    def show_cmd(obj: Ctx, /, report_id: int, as_json: bool) -> None:
        from gongkai.corpus.query import show_report

        d = show_report(obj.engine(), report_id)
        if d is None:
            fail(m("not_found", id=report_id))
            return
        if as_json:
            click.echo(dump_json(d.to_dict()))
            return
        out = console()
        s = d.summary
        out.print(
            f"[bold]{escape(s.agency or '—')}[/bold]  {s.year or '—'}  ({s.template}, v{s.version}{'' if s.current else '*'})"
        )
        out.print(
            f"{m('source')}: {escape(d.source['name'])}  sha256 {d.source['sha256'][:16]}…"
            + (f"  {escape(d.source['url'])}" if d.source.get("url") else "")
        )
        if d.findings:
            out.print(f"\n[bold]{m('findings')}[/bold] ({len(d.findings)})")
            for f in d.findings:
                out.print(f"  {f['severity']:<7} {f['rule']:<18} {escape(f['message'])}")
        if d.warnings:
            out.print(f"\n[bold]{m('warnings')}[/bold] ({len(d.warnings)})")
            for w in d.warnings:
                out.print(f"  {w['code']:<18} {escape(w['message'])}")

    return show_cmd


def _rm_command() -> click.Command:
    @click.command("rm", help=m("rm"))
    @click.argument("report_ids", type=int, nargs=-1)
    @filter_options
    @click.pass_obj
    @guarded
    def rm_cmd(obj: Ctx, /, report_ids: tuple[int, ...], **kw: Any) -> None:
        from gongkai.corpus.query import find_ids, remove
        from gongkai.db.session import write_connection

        kw["all_versions"] = True  # removing: every version the filter names
        flt = make_filter(kw, report_ids)
        if flt.is_empty():
            fail(m("rm_none"))
        engine = obj.engine()
        ids = find_ids(engine, flt)
        with write_connection(engine) as conn:
            n = remove(conn, ids)
        click.echo(m("removed", n=n))

    return rm_cmd


def command() -> click.Group:
    @click.group("corpus", help=m("help"))
    @click.option("--db", envvar="GONGKAI_DB", default=None, help=m("db"))
    @click.option("--agencies", type=click.Path(dir_okay=False), default=None, help=m("agencies"))
    @click.pass_context
    def corpus(ctx: click.Context, db: str | None, agencies: str | None) -> None:
        ctx.obj = Ctx(db, agencies)

    for make in (_add_command, _fetch_command, _ls_command, _show_command, _rm_command):
        corpus.add_command(make())
    from gongkai.cli import corpus_views

    for cmd in corpus_views.commands():
        corpus.add_command(cmd)
    return corpus
