"""corpus: paragraphs' LSH band keys, the corpus generation and answer cache, a leaner cells table

Revision ID: corpus_0002
Revises: corpus_0001
Create Date: 2026-12-06 16:10:00

- ``paragraphs.bands``: the MinHash band keys of each paragraph (computed here
  for the paragraphs already stored, as ``corpus add`` does for new ones), so
  finding near-duplicate prose does not re-read every paragraph.
- ``corpus_state`` (the generation, grown by every write) and
  ``corpus_cache`` (slow answers with the generation they were computed at).
- ``cells``: the index on ``path`` alone goes (every query reaches cells
  through the report, by the primary key ``(report_id, path)``); on SQLite the
  table is rebuilt WITHOUT ROWID, so the primary key *is* the table instead of
  a second copy of it; ``provenance`` no longer repeats ``line`` and ``page``,
  which have columns of their own.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "corpus_0002"
down_revision: str | Sequence[str] | None = "corpus_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BATCH = 5000


def _backfill_bands(bind: sa.Connection) -> None:
    from gongkai.corpus.ingest import normalise_paragraph, paragraph_names
    from gongkai.corpus.prose import band_keys

    md = sa.MetaData()
    paras = sa.Table("paragraphs", md, autoload_with=bind)
    reports = sa.Table("reports", md, autoload_with=bind)
    p, r = paras.c, reports.c
    last = (-1, -1)
    while True:
        rows = list(
            bind.execute(
                sa.select(p.report_id, p.seq, p.text, r.agency)
                .select_from(paras.join(reports, r.id == p.report_id))
                .where(sa.tuple_(p.report_id, p.seq) > sa.tuple_(*last), p.bands.is_(None))
                .order_by(p.report_id, p.seq)
                .limit(_BATCH)
            )
        )
        if not rows:
            return
        bind.execute(
            paras.update()
            .where(p.report_id == sa.bindparam("rid"), p.seq == sa.bindparam("sq"))
            .values(bands=sa.bindparam("b")),
            [
                {
                    "rid": rid,
                    "sq": seq,
                    "b": band_keys(normalise_paragraph(text, paragraph_names(agency))),
                }
                for rid, seq, text, agency in rows
            ],
        )
        last = (rows[-1][0], rows[-1][1])


def _lean_provenance(bind: sa.Connection) -> None:
    from gongkai.corpus.ingest import provenance_rest

    md = sa.MetaData()
    cells = sa.Table("cells", md, autoload_with=bind)
    c = cells.c
    updates = []
    for rid, path, prov in bind.execute(
        sa.select(c.report_id, c.path, c.provenance).where(c.provenance.like('%"line"%'))
    ):
        got = provenance_rest(json.loads(prov))
        updates.append(
            {
                "rid": rid,
                "pt": path,
                "pv": json.dumps(got, ensure_ascii=False, separators=(",", ":")) if got else None,
            }
        )
    for k in range(0, len(updates), _BATCH):
        bind.execute(
            cells.update()
            .where(c.report_id == sa.bindparam("rid"), c.path == sa.bindparam("pt"))
            .values(provenance=sa.bindparam("pv")),
            updates[k : k + _BATCH],
        )


def upgrade() -> None:
    bind = op.get_bind()
    with op.batch_alter_table("paragraphs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("bands", sa.LargeBinary(), nullable=True))
    op.create_table(
        "corpus_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("generation", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_corpus_state")),
    )
    op.create_table(
        "corpus_cache",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("generation", sa.BigInteger(), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_corpus_cache")),
    )
    with op.batch_alter_table("cells", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cells_path"))
    _backfill_bands(bind)
    _lean_provenance(bind)
    if bind.dialect.name == "sqlite":
        with op.batch_alter_table(
            "cells", recreate="always", table_kwargs={"sqlite_with_rowid": False}
        ):
            pass


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        with op.batch_alter_table("cells", recreate="always"):
            pass
    with op.batch_alter_table("cells", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cells_path"), ["path"], unique=False)
    op.drop_table("corpus_cache")
    op.drop_table("corpus_state")
    with op.batch_alter_table("paragraphs", schema=None) as batch_op:
        batch_op.drop_column("bands")
