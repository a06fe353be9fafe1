"""Alembic migrations shipped in the package and run from code.

Each wing keeps its own branch (``branch_labels``) in its own directory under
``migrations/versions/``: ``corpus/`` and ``ledger/``. :func:`upgrade` brings
every branch to its head; the wings never touch each other's files.
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import SQLAlchemyError

import gongkai
from gongkai.db.engine import translate

HERE = Path(__file__).resolve().parent
MIGRATIONS = HERE / "migrations"
VERSIONS = MIGRATIONS / "versions"
#: an arbitrary constant: the PostgreSQL advisory lock two upgrading processes share
_PG_LOCK = 72_190_417


def version_dirs() -> list[Path]:
    """One directory a wing (``versions/corpus``, ``versions/ledger`` …)."""
    return sorted(p for p in VERSIONS.iterdir() if p.is_dir() and not p.name.startswith("_"))


def config(connection: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("path_separator", "os")
    cfg.set_main_option("version_locations", ":".join(str(p) for p in version_dirs()))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def heads() -> set[str]:
    """The head revision of every branch shipped."""
    return set(ScriptDirectory.from_config(config()).get_heads())


def current_heads(engine: Engine | Connection) -> set[str]:
    """The revisions the database is at (empty for a new database)."""
    if isinstance(engine, Connection):
        return set(MigrationContext.configure(engine).get_current_heads())
    with engine.connect() as conn:
        return set(MigrationContext.configure(conn).get_current_heads())


def upgrade(engine: Engine, target: str = "heads") -> None:
    """Migrate ``engine``'s database to ``target`` (every branch's head), in one
    transaction; two processes upgrading at once wait for each other. A SQLite
    file that a migration reshaped (``COMPACTS = True`` in its module) is then
    compacted (``VACUUM``)."""
    try:
        before = current_heads(engine)
        if before == heads() and target == "heads":
            return
        with engine.connect() as conn:
            conn.execution_options(gongkai_write=True)
            with conn.begin():
                if conn.dialect.name == "postgresql":
                    conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK})
                command.upgrade(config(conn), target)
    except SQLAlchemyError as e:
        raise translate(e, engine) from e
    if engine.dialect.name == "sqlite" and _compacting(before, current_heads(engine)):
        _vacuum(engine)


def _compacting(before: set[str], after: set[str]) -> bool:
    """Whether a migration applied between ``before`` and ``after`` asks for compaction."""
    script = ScriptDirectory.from_config(config())

    def applied(tops: set[str]) -> set[str]:
        return {r.revision for top in tops for r in script.iterate_revisions(top, "base")}

    done = applied(after) - applied(before)
    return any(getattr(script.get_revision(r).module, "COMPACTS", False) for r in done)


def _vacuum(engine: Engine) -> None:
    """Give the pages a reshaped table left behind back (SQLite rewrites a row in
    place, so a table whose rows shrank keeps its pages until ``VACUUM``). Best
    effort: the migration is done and the database whole if this cannot run
    (another process reading, or no room for the copy VACUUM makes)."""
    raw = engine.raw_connection()
    try:
        raw.cursor().execute("VACUUM")  # the driver is in autocommit: no transaction open
    except Exception:
        pass
    finally:
        raw.close()


def load_models() -> list[str]:
    """Import every ``gongkai.<wing>.models`` so ``Base.metadata`` holds every table."""
    found = []
    for info in pkgutil.iter_modules(gongkai.__path__):
        if not info.ispkg:
            continue
        name = f"gongkai.{info.name}.models"
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as e:
            if e.name != name:
                raise
            continue
        found.append(name)
    return found
