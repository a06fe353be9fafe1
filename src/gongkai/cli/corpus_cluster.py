"""``gongkai corpus add … --cluster local:N | tcp://HOST:PORT [--to parquet DIR]``.

The distributed path of ``corpus add`` (:mod:`gongkai.cluster`): reading and
checking on a Dask cluster, results stored in batches in the database or a
Parquet dataset. Prints the dashboard's address (or why there is none) and
a progress bar of files done. ``--db DIR`` (or ``parquet:DIR``) of a Parquet
dataset makes ``stats``, ``rank``, ``export``, ``ls`` and ``show`` read it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console

from gongkai.i18n import current_lang, pick

F = TypeVar("F", bound=Callable[..., Any])

K: dict[str, tuple[str, str]] = {
    "cluster": (
        "在 Dask 集群上读取和检查：local:N（本机 N 个工作进程）或调度器地址 tcp://主机:端口",
        "read and check on a Dask cluster: local:N (N worker processes here) or a scheduler "
        "address tcp://HOST:PORT",
    ),
    "to": (
        "结果写入按年度和地区分区的 Parquet 数据集（--to parquet 目录），而不是数据库",
        "write the results to a Parquet dataset partitioned by year and region "
        "(--to parquet DIR) instead of the database",
    ),
    "batch": (
        "每批写入数据库的报告数（默认 200；Parquet 由工作进程按任务写入，每个任务 32 个文件）",
        "reports written to the database in one batch (default 200; a Parquet dataset is "
        "written by the workers, a task of 32 files at a time)",
    ),
    "dashboard": ("Dask 仪表盘：{link}", "Dask dashboard: {link}"),
    "no_dashboard": (
        "Dask 仪表盘不可用：未安装 bokeh（pip install 'gongkai[dashboard]'）",
        "no Dask dashboard: bokeh is not installed (pip install 'gongkai[dashboard]')",
    ),
    "workers": ("集群 {spec}：{n} 个工作进程", "cluster {spec}: {n} workers"),
    "starting": ("正在连接集群 {spec} …", "connecting to the cluster {spec} …"),
    "cleaned": (
        "已清除上次中断留下的 {n} 个未完成文件",
        "removed {n} files an interrupted run left unfinished",
    ),
    "timing": (
        "用时 {seconds:.1f} 秒：读取 {read} 个，{rate:.1f} 份/秒；写入 {batches} 批，{writing:.1f} 秒",
        "{seconds:.1f} s: {read} read, {rate:.1f} reports/s; {batches} batches written in {writing:.1f} s",
    ),
    "timing_parquet": (
        "用时 {seconds:.1f} 秒：读取 {read} 个，{rate:.1f} 份/秒；工作进程写入 Parquet 共 {writing:.1f} 秒",
        "{seconds:.1f} s: {read} read, {rate:.1f} reports/s; the workers spent {writing:.1f} s "
        "writing Parquet",
    ),
    "wrote_parquet": ("数据集：{path}", "dataset: {path}"),
    "bad_cluster": ("--cluster 有误：{detail}", "bad --cluster: {detail}"),
}


def k(key: str, **kw: Any) -> str:
    return pick(K[key], current_lang(), **kw)


def cluster_options(fn: F) -> F:
    for opt in reversed(
        [
            click.option("--cluster", "cluster_spec", default=None, help=k("cluster")),
            click.option(
                "--to",
                "to",
                nargs=2,
                type=(click.Choice(["parquet"]), click.Path(file_okay=False)),
                default=None,
                help=k("to"),
            ),
            click.option(
                "--batch",
                type=click.IntRange(1, 100_000),
                default=None,
                help=k("batch"),
            ),
        ]
    ):
        fn = opt(fn)
    return fn


def parquet_path(db: str | None) -> Path | None:
    """The dataset ``--db`` names (``parquet:DIR`` or a dataset's directory), else None."""
    from gongkai.cluster.dataset import is_dataset

    if not db:
        return None
    if db.startswith("parquet:"):
        return Path(db.removeprefix("parquet:").removeprefix("//"))
    return Path(db) if "://" not in db and is_dataset(db) else None


def add_distributed(
    obj: Any,
    items: list[Any],
    failures: list[Any],
    urls: list[str],
    cluster_spec: str | None,
    to: tuple[str, str] | None,
    batch: int | None,
    fetch: dict[str, Any],
) -> int:
    """Fetch ``urls``, then read, check and store on the cluster; returns the exit code."""
    from gongkai.cli.corpus import m
    from gongkai.cluster.connect import Cluster, parse, start
    from gongkai.cluster.run import DatabaseSink, ParquetSink, Sink, ingest
    from gongkai.corpus.ingest import Stored

    err = Console(stderr=True, highlight=False, markup=False)
    if cluster_spec is not None:
        try:
            parse(cluster_spec)
        except ValueError as e:
            raise click.BadParameter(k("bad_cluster", detail=e), param_hint="--cluster") from None
    if urls:
        from gongkai.corpus.fetch import FetchOptions, fetch_all

        got, bad = fetch_all(urls, FetchOptions(**fetch))
        items = [*items, *got]
        failures = [*failures, *(Stored("failed", u, "", error=msg) for u, msg in bad)]
    for f in failures:
        err.print(f.error or f.name)
    sink: Sink
    if to is not None:
        psink = ParquetSink(to[1], lang=current_lang())
        if psink.cleaned:
            err.print(k("cleaned", n=psink.cleaned))
        sink = psink
    else:
        sink = DatabaseSink(obj.engine(), overrides=obj.overrides(), lang=current_lang())
    cluster: Cluster | None = None
    if cluster_spec is not None:
        err.print(k("starting", spec=cluster_spec))
        cluster = start(cluster_spec)
    try:
        if cluster is not None:
            err.print(k("workers", spec=cluster_spec, n=cluster.workers))
            err.print(
                k("dashboard", link=cluster.dashboard) if cluster.dashboard else k("no_dashboard")
            )
        summary = _run_with_bar(err, items, sink, cluster, batch, ingest)
    finally:
        if cluster is not None:
            cluster.close()
    summary.results[:0] = failures
    counts = summary.counts()
    click.echo(m("summary", total=len(summary.results), **counts))
    rate = summary.read / summary.seconds if summary.seconds else 0.0
    if to is not None:
        timing = k(
            "timing_parquet",
            seconds=summary.seconds,
            read=summary.read,
            rate=rate,
            writing=summary.worker_writing_seconds,
        )
    else:
        timing = k(
            "timing",
            seconds=summary.seconds,
            read=summary.read,
            rate=rate,
            batches=summary.batches,
            writing=summary.writing_seconds,
        )
    click.echo(timing)
    if to is not None:
        click.echo(k("wrote_parquet", path=to[1]))
    return 2 if counts["failed"] else 0


def _run_with_bar(
    err: Console, items: list[Any], sink: Any, cluster: Any, batch: int | None, ingest: Any
) -> Any:
    from gongkai.cli.common import files_bar
    from gongkai.cli.corpus import m

    def report(r: Any) -> None:
        if r.status == "failed":
            err.print(r.error or r.name)

    with files_bar(err, m("progress"), len(items)) as advance:
        return ingest(
            items,
            sink,
            cluster=cluster,
            batch=batch,
            lang=current_lang(),
            on_result=report,
            on_done=lambda _name: advance(),
        )
