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
    transaction; two processes upgrading at once wait for each other."""
    try:
        if current_heads(engine) == heads() and target == "heads":
            return
        with engine.connect() as conn:
            conn.execution_options(gongkai_write=True)
            with conn.begin():
                if conn.dialect.name == "postgresql":
                    conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK})
                command.upgrade(config(conn), target)
    except SQLAlchemyError as e:
        raise translate(e, engine) from e


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
