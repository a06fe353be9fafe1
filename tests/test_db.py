"""The database layer: URLs, SQLite settings, migrations from an empty
database on SQLite and a real PostgreSQL, one transaction per unit of work,
errors in one line."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from gongkai.db import (
    Base,
    DatabaseError,
    connect,
    current_heads,
    default_url,
    describe,
    heads,
    normalise_url,
    unit_of_work,
    upgrade,
)
from gongkai.db.migrate import load_models, version_dirs


def test_urls(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("GONGKAI_DB", raising=False)
    monkeypatch.chdir(tmp_path)
    assert default_url() == "gongkai.db"
    assert normalise_url() == f"sqlite:///{tmp_path / 'gongkai.db'}"
    monkeypatch.setenv("GONGKAI_DB", "postgresql://u:secret@h/db")
    assert normalise_url() == "postgresql+psycopg://u:secret@h/db"
    assert "secret" not in describe()
    assert normalise_url("postgres://h/db") == "postgresql+psycopg://h/db"
    assert normalise_url("sqlite://") == "sqlite://"
    assert describe(tmp_path / "x.db") == str(tmp_path / "x.db")


def test_every_wing_has_its_branch() -> None:
    assert {p.name for p in version_dirs()} >= {"corpus", "ledger"}
    assert "gongkai.corpus.models" in load_models()


def test_migrations_from_empty_database(db_url: str) -> None:
    engine = connect(db_url)
    assert current_heads(engine) == set()
    upgrade(engine)
    assert current_heads(engine) == heads()
    tables = set(sa.inspect(engine).get_table_names())
    assert {"sources", "blobs", "reports", "cells", "findings", "warnings", "agencies"} <= tables
    upgrade(engine)  # a second time: nothing to do
    # the migrations create exactly what the models declare
    load_models()
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []
    engine.dispose()


def test_sqlite_settings(tmp_path: Path) -> None:
    engine = connect(tmp_path / "s.db")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000
    engine.dispose()


def test_unit_of_work_is_one_transaction(db_url: str) -> None:
    engine = connect(db_url)
    upgrade(engine)
    t = sa.table("agencies", sa.column("key"), sa.column("name"), sa.column("origin"))
    with pytest.raises(RuntimeError), unit_of_work(engine) as s:
        s.execute(sa.insert(t).values(key="a", name="甲", origin="names"))
        raise RuntimeError("crash in the middle")
    with unit_of_work(engine) as s:
        assert s.execute(sa.select(sa.func.count()).select_from(t)).scalar() == 0
        s.execute(sa.insert(t).values(key="a", name="甲", origin="names"))
    with pytest.raises(DatabaseError), unit_of_work(engine) as s:  # unique key broken
        s.execute(sa.insert(t).values(key="b", name="乙", origin="names"))
        s.execute(sa.insert(t).values(key="a", name="甲", origin="names"))
    with engine.connect() as conn:
        assert conn.execute(sa.select(t.c.key)).scalars().all() == ["a"]
    engine.dispose()


def test_cannot_open(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GONGKAI_LANG", "zh")
    with pytest.raises(DatabaseError) as e:
        connect(tmp_path / "no" / "such" / "dir.db")
    assert "dir.db" in str(e.value) and "\n" not in str(e.value)
    assert "目录不存在" in str(e.value)  # the whole line in the reader's language
    bad = tmp_path / "notadb.db"
    bad.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(DatabaseError) as e2:
        upgrade(connect(bad, check=False))
    assert e2.value.kind == "not_db"
    with pytest.raises(DatabaseError) as e3:
        connect("nosuchdialect://x")
    assert e3.value.kind == "bad_url"


def test_locked_database_waits_then_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "l.db"
    engine = connect(path)
    upgrade(engine)
    monkeypatch.setattr("gongkai.db.engine.BUSY_TIMEOUT_MS", 300)
    quick = connect(path)
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    t0 = time.monotonic()
    with pytest.raises(DatabaseError) as e, unit_of_work(quick) as s:
        s.execute(sa.text("INSERT INTO agencies (key, name, origin) VALUES ('k', 'n', 'names')"))
    assert e.value.kind == "locked"
    assert time.monotonic() - t0 >= 0.25
    # a writer released in time is waited for, not failed
    release = threading.Timer(0.2, lambda: other.execute("COMMIT"))
    release.start()
    with unit_of_work(engine) as s:
        s.execute(sa.text("INSERT INTO agencies (key, name, origin) VALUES ('k', 'n', 'names')"))
    release.join()
    other.close()
    engine.dispose()
    quick.dispose()


def test_postgres_unreachable(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError) as e:
        connect(f"postgresql://nobody@/x?host={tmp_path}")
    assert e.value.kind == "unreachable"
    assert str(e.value).count("\n") == 0
