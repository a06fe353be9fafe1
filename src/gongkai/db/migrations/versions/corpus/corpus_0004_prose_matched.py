"""corpus: prose matched when a report is stored (prose_keys, prose_pairs, prose_common)

Revision ID: corpus_0004
Revises: corpus_0003
Create Date: 2026-12-06 19:00:00

Copied and reused prose was computed when asked, for every year at once: the
first ``corpus rank`` after any change recomputed every pair of the corpus.
Now each report's paragraphs are matched when it is stored
(:mod:`gongkai.corpus.prose_index`) and the results are kept:

- ``prose_keys``: the LSH band keys of the current reports, per year (the
  buckets; boilerplate is a bucket of more than 20 agencies);
- ``prose_common``: the paragraphs that are boilerplate;
- ``prose_pairs``: the verified pairs, copied and reused.

The tables are filled here for the reports already stored, a year at a time
(:func:`gongkai.corpus.prose_index.rebuild`).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "corpus_0004"
down_revision: str | Sequence[str] | None = "corpus_0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "prose_keys",
        sa.Column("year", sa.Integer(), nullable=False, autoincrement=False),
        sa.Column("key", sa.BigInteger(), nullable=False, autoincrement=False),
        sa.Column("report_id", sa.Integer(), nullable=False, autoincrement=False),
        sa.PrimaryKeyConstraint("year", "key", "report_id", name=op.f("pk_prose_keys")),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "prose_pairs",
        sa.Column("report_id", sa.Integer(), nullable=False, autoincrement=False),
        sa.Column("seq", sa.Integer(), nullable=False, autoincrement=False),
        sa.Column("other_id", sa.Integer(), nullable=False, autoincrement=False),
        sa.Column("other_seq", sa.Integer(), nullable=False, autoincrement=False),
        sa.Column("kind", sa.String(length=1), nullable=False),
        sa.Column("similarity", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["reports.id"],
            name=op.f("fk_prose_pairs_report_id_reports"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["other_id"],
            ["reports.id"],
            name=op.f("fk_prose_pairs_other_id_reports"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "report_id", "seq", "other_id", "other_seq", name=op.f("pk_prose_pairs")
        ),
    )
    op.create_index("ix_prose_pairs_other", "prose_pairs", ["other_id"], unique=False)
    op.create_table(
        "prose_common",
        sa.Column("report_id", sa.Integer(), nullable=False, autoincrement=False),
        sa.Column("seq", sa.Integer(), nullable=False, autoincrement=False),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["reports.id"],
            name=op.f("fk_prose_common_report_id_reports"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("report_id", "seq", name=op.f("pk_prose_common")),
    )
    from gongkai.corpus.prose_index import rebuild

    t0 = time.perf_counter()

    def say(what: str) -> None:
        if sys.stderr.isatty():
            print(f"  corpus_0004 [{time.perf_counter() - t0:6.0f} s] {what}", file=sys.stderr)

    rebuild(op.get_bind(), say)


def downgrade() -> None:
    op.drop_table("prose_common")
    op.drop_index("ix_prose_pairs_other", table_name="prose_pairs")
    op.drop_table("prose_pairs")
    op.drop_table("prose_keys")
