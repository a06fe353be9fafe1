"""``gongkai serve``: the web pages and the REST API, served by uvicorn.

Arguments → :class:`gongkai.web.Settings` → :func:`gongkai.web.create_app`
→ uvicorn. Writing needs ``--token`` (or ``GONGKAI_TOKEN``); without it the
server is read-only. A token shorter than 16 characters is refused when the
server listens beyond loopback.
"""

from __future__ import annotations

import os
import sys

import click

from gongkai.cli.common import fail
from gongkai.i18n import current_lang, pick

_HELP = {
    "cmd": (
        "启动网页和 REST API 服务（检查报告、报告库、检查规则，/docs 为 API 文档）。",
        "Serve the web pages and the REST API (check, corpus, rules; API docs at /docs).",
    ),
    "db": (
        "报告库数据库 URL（SQLite 或 PostgreSQL；默认读取 GONGKAI_DB）",
        "database URL of the corpus (SQLite or PostgreSQL; default: GONGKAI_DB)",
    ),
    "host": (
        "监听地址（默认 127.0.0.1，仅本机）",
        "address to listen on (default 127.0.0.1: this machine only)",
    ),
    "port": ("端口", "port"),
    "token": (
        "写入令牌（默认读取 GONGKAI_TOKEN）；未设置时服务器只读",
        "write token (default: GONGKAI_TOKEN); without one the server is read-only",
    ),
    "fetch": (
        "允许检查页面按网址获取报告（从不访问本机或内网地址）",
        "let the check page fetch reports from URLs (never from this machine or private networks)",
    ),
    "max_mb": ("上传文件上限（MB）", "largest upload, MB"),
    "timeout": ("每份报告读取时限（秒）", "seconds a report may take to read"),
    "memory": ("读取进程内存上限（MB）", "memory limit of a reading process, MB"),
    "workers": ("读取进程数", "reading processes"),
    "rate": (
        "每个客户端每分钟最多检查次数（0 为不限）",
        "checks per client per minute (0: no limit)",
    ),
}


def command() -> click.Command:
    lang = current_lang()

    def h(key: str) -> str:
        return pick(_HELP[key], lang)

    @click.command(name="serve", help=h("cmd"))
    @click.option("--db", default=None, metavar="URL", help=h("db"))
    @click.option("--host", default="127.0.0.1", show_default=True, help=h("host"))
    @click.option("--port", default=8000, show_default=True, type=int, help=h("port"))
    @click.option("--token", default=None, help=h("token"))
    @click.option("--fetch-urls", is_flag=True, help=h("fetch"))
    @click.option("--max-mb", default=20.0, show_default=True, type=float, help=h("max_mb"))
    @click.option("--timeout", default=60.0, show_default=True, type=float, help=h("timeout"))
    @click.option("--memory-mb", default=2048, show_default=True, type=int, help=h("memory"))
    @click.option("--workers", default=2, show_default=True, type=int, help=h("workers"))
    @click.option("--checks-per-minute", default=30, show_default=True, type=int, help=h("rate"))
    def cmd(
        db: str | None,
        host: str,
        port: int,
        token: str | None,
        fetch_urls: bool,
        max_mb: float,
        timeout: float,
        memory_mb: int,
        workers: int,
        checks_per_minute: int,
    ) -> None:
        try:
            import uvicorn

            from gongkai.web import Limits, Settings, create_app
        except ImportError as exc:  # pragma: no cover - the web extra is a dependency
            fail(str(exc))
            sys.exit(2)
        settings = Settings(
            db=db or os.environ.get("GONGKAI_DB") or None,
            host=host,
            port=port,
            token=token or os.environ.get("GONGKAI_TOKEN") or None,
            fetch_urls=fetch_urls,
            limits=Limits(
                upload_bytes=int(max_mb * 1024 * 1024),
                seconds=timeout,
                memory_mb=memory_mb,
                workers=max(1, workers),
                checks_per_minute=checks_per_minute,
            ),
        )
        problems = settings.problems()
        if problems:
            for p in problems:
                fail(pick(p, lang))
            sys.exit(2)
        mode = (
            pick(("可写入（需令牌）", "writes need the token"), lang)
            if settings.writable
            else pick(("只读（未设置写入令牌）", "read-only (no write token)"), lang)
        )
        click.echo(f"gongkai serve: http://{host}:{port}/  ·  {mode}", err=True)
        uvicorn.run(create_app(settings), host=host, port=port, log_level="warning")

    return cmd
