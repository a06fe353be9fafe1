"""The one database layer of gongkai, shared by the corpus and the ledger.

    engine = connect(url)            # --db URL / GONGKAI_DB / sqlite file gongkai.db
    upgrade(engine)                  # every wing's Alembic migrations, to heads
    with unit_of_work(engine) as session:
        ...                          # one transaction: committed, or rolled back whole

SQLite (the default, WAL journal and a busy timeout) and PostgreSQL (psycopg 3)
run the same code. Tables are declared on :class:`Base` (SQLAlchemy 2 typed
ORM); each wing keeps its own Alembic branch (``corpus``, ``ledger``) in
``gongkai/db/migrations/versions/<wing>/`` — see ``docs/database.md``.

Errors: :class:`DatabaseError` (a :class:`~gongkai.errors.GongkaiError`) with
one line saying what is wrong (cannot open, locked, disk full, not migrated).
"""

from __future__ import annotations

from gongkai.db.base import Base
from gongkai.db.engine import DatabaseError, connect, default_url, describe, normalise_url
from gongkai.db.migrate import current_heads, heads, upgrade
from gongkai.db.session import unit_of_work

__all__ = [
    "Base",
    "DatabaseError",
    "connect",
    "current_heads",
    "default_url",
    "describe",
    "heads",
    "normalise_url",
    "unit_of_work",
    "upgrade",
]
