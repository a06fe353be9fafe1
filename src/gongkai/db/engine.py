"""One engine factory from a URL, and database errors said in one line.

``connect(url)`` takes what ``--db`` or ``GONGKAI_DB`` says:

- nothing → the SQLite file ``gongkai.db`` in the current directory;
- a path (``corpus.db``, ``/data/gk.sqlite``) → that SQLite file;
- ``sqlite:///file.db``, ``sqlite://`` (in memory);
- ``postgresql://user@host/db`` (psycopg 3 is used: ``postgresql+psycopg://``);
- any other SQLAlchemy URL (``duckdb:///…`` for the analysis functions).

SQLite runs with a WAL journal, a busy timeout (a second writer waits instead
of failing), foreign keys on, and write transactions that take the write lock
when they begin (``BEGIN IMMEDIATE``), so two processes adding at once wait
for each other rather than dead-lock.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, SQLAlchemyError

from gongkai.errors import GongkaiError
from gongkai.i18n import pick

DEFAULT_FILE = "gongkai.db"
ENV = "GONGKAI_DB"
#: how long (ms) a SQLite writer waits for another before giving up
BUSY_TIMEOUT_MS = 30_000

_MESSAGES: dict[str, tuple[str, str]] = {
    "bad_url": (
        "{db}：不是可用的数据库地址（{detail}）",
        "{db}: not a usable database URL ({detail})",
    ),
    "cannot_open": (
        "{db}：无法打开数据库（{detail}），请检查路径和权限",
        "{db}: cannot open the database ({detail}); check the path and permissions",
    ),
    "locked": (
        "{db}：数据库被其他进程锁定，等待超时，请稍后重试",
        "{db}: the database is locked by another process; timed out waiting, try again later",
    ),
    "full": (
        "{db}：磁盘已满，本次写入已整体撤销，数据库未被破坏",
        "{db}: the disk is full; this write was rolled back whole, the database is intact",
    ),
    "not_db": (
        "{db}：文件不是数据库或已损坏",
        "{db}: the file is not a database or is damaged",
    ),
    "readonly": ("{db}：数据库只读，无法写入", "{db}: the database is read-only"),
    "unreachable": (
        "{db}：无法连接数据库服务器（{detail}）",
        "{db}: cannot reach the database server ({detail})",
    ),
    "other": ("{db}：数据库错误（{detail}）", "{db}: database error ({detail})"),
}


class DatabaseError(GongkaiError):
    """The database cannot be opened, is locked, is full, or refused a statement."""

    def __init__(self, message: str, *, kind: str = "other") -> None:
        super().__init__(message)
        self.kind = kind


def default_url() -> str:
    """``GONGKAI_DB`` if set, else the SQLite file ``gongkai.db`` in the current directory."""
    return os.environ.get(ENV) or DEFAULT_FILE


def normalise_url(url: str | os.PathLike[str] | None = None) -> str:
    """The SQLAlchemy URL for what a user typed (a path stands for a SQLite file)."""
    raw = os.fspath(url) if url is not None else default_url()
    if "://" not in raw:
        return "sqlite:///" + str(Path(raw).expanduser().absolute())
    scheme, rest = raw.split("://", 1)
    if scheme in ("postgresql", "postgres"):
        return "postgresql+psycopg://" + rest
    return raw


def describe(url: str | os.PathLike[str] | None = None) -> str:
    """The database as shown to a person (no password)."""
    u = make_url(normalise_url(url))
    if u.get_backend_name() == "sqlite":
        return u.database or ":memory:"
    return u.render_as_string(hide_password=True)


def _sqlite_setup(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # transactions are begun by us (below), not by the driver's guesswork
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA synchronous = NORMAL")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        write = conn.get_execution_options().get("gongkai_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def connect(url: str | os.PathLike[str] | None = None, *, check: bool = True) -> Engine:
    """An engine for ``url`` (see the module doc); ``check`` opens it once so a
    database that cannot be opened is said now, in one line."""
    shown = describe_safe(url)
    full = normalise_url(url)
    try:
        u = make_url(full)
        kwargs: dict[str, Any] = {}
        if u.get_backend_name() == "sqlite":
            if u.database and u.database != ":memory:":
                parent = Path(u.database).parent
                if not parent.is_dir():
                    raise DatabaseError(
                        pick(
                            _MESSAGES["cannot_open"],
                            db=shown,
                            detail=pick(("{p}：目录不存在", "{p}: no such directory"), p=parent),
                        ),
                        kind="cannot_open",
                    )
            kwargs["connect_args"] = {"timeout": BUSY_TIMEOUT_MS / 1000}
        else:
            kwargs["pool_pre_ping"] = True
        engine = create_engine(u, **kwargs)
    except (ArgumentError, NoSuchModuleError, ValueError) as e:
        raise DatabaseError(
            pick(_MESSAGES["bad_url"], db=shown, detail=str(e)), kind="bad_url"
        ) from e
    if engine.dialect.name == "sqlite":
        _sqlite_setup(engine)
    if check:
        try:
            with engine.connect():
                pass
        except SQLAlchemyError as e:
            engine.dispose()
            raise translate(e, url) from e
    return engine


def describe_safe(url: str | os.PathLike[str] | None) -> str:
    try:
        return describe(url)
    except (ArgumentError, ValueError):
        return os.fspath(url) if url is not None else default_url()


def translate(
    exc: BaseException, url: str | os.PathLike[str] | Engine | None = None
) -> DatabaseError:
    """A driver error as one line a person can act on."""
    if isinstance(url, Engine):
        shown = describe_safe(url.url.render_as_string(hide_password=True))
    else:
        shown = describe_safe(url)
    orig = exc.orig if isinstance(exc, DBAPIError) else exc
    text = str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__
    low = text.lower()
    if "locked" in low or "could not obtain lock" in low or "lock timeout" in low:
        kind = "locked"
    elif (
        "disk is full" in low
        or "no space left" in low
        or "disk full" in low
        or "could not extend" in low
    ):
        kind = "full"
    elif "unable to open" in low or "permission denied" in low:
        kind = "cannot_open"
    elif "not a database" in low or "malformed" in low:
        kind = "not_db"
    elif "readonly" in low or "read-only" in low:
        kind = "readonly"
    elif "connection" in low and ("refused" in low or "failed" in low or "no such file" in low):
        kind = "unreachable"
    else:
        kind = "other"
    return DatabaseError(pick(_MESSAGES[kind], db=shown, detail=text), kind=kind)
