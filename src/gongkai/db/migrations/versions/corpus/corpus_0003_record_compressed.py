"""corpus: the stored record compressed (reports.record → reports.record_z)

Revision ID: corpus_0003
Revises: corpus_0002
Create Date: 2026-12-06 16:30:00

The record (interchange JSON with the reader's ``x_`` keys) was kept as text,
the largest column of a report after its original file; it is now compact
JSON compressed with zlib (``gongkai.corpus.models.pack_record``), about a
fifth of the size. Records already stored are converted, nothing is lost
(downgrade converts back).
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "corpus_0003"
down_revision: str | Sequence[str] | None = "corpus_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BATCH = 2000


def _convert(src: str, dst: str, fn: object) -> None:
    bind = op.get_bind()
    reports = sa.Table("reports", sa.MetaData(), autoload_with=bind)
    c = reports.c
    last = 0
    while True:
        rows = list(
            bind.execute(sa.select(c.id, c[src]).where(c.id > last).order_by(c.id).limit(_BATCH))
        )
        if not rows:
            return
        bind.execute(
            reports.update().where(c.id == sa.bindparam("rid")).values({dst: sa.bindparam("v")}),
            [{"rid": rid, "v": fn(value)} for rid, value in rows],  # type: ignore[operator]
        )
        last = rows[-1][0]


def _pack(text: str) -> bytes:
    from gongkai.corpus.models import pack_record

    return pack_record(json.loads(text))


def _unpack(data: bytes) -> str:
    return json.dumps(json.loads(zlib.decompress(bytes(data))), ensure_ascii=False)


# ``reports`` is never rebuilt (SQLite's batch mode copies a table and drops the
# old one, and dropping a parent table deletes its cells, findings and
# paragraphs through ON DELETE CASCADE): columns are added and dropped in
# place (SQLite ≥ 3.35), so the new column stays nullable.


def upgrade() -> None:
    with op.batch_alter_table("reports", schema=None, recreate="never") as batch_op:
        batch_op.add_column(sa.Column("record_z", sa.LargeBinary(), nullable=True))
    _convert("record", "record_z", _pack)
    with op.batch_alter_table("reports", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("record")


def downgrade() -> None:
    with op.batch_alter_table("reports", schema=None, recreate="never") as batch_op:
        batch_op.add_column(sa.Column("record", sa.Text(), nullable=True))
    _convert("record_z", "record", _unpack)
    with op.batch_alter_table("reports", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("record_z")
