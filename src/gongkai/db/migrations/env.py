"""Alembic environment: run on the connection :func:`gongkai.db.migrate.upgrade` passes."""

from __future__ import annotations

from alembic import context

from gongkai.db.base import Base
from gongkai.db.migrate import load_models

load_models()
connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only run from gongkai.db.migrate
    raise RuntimeError("gongkai migrations run through gongkai.db.upgrade(engine)")
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite alters tables by copying them
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
