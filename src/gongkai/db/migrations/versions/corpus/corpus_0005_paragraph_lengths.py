"""corpus: paragraph lengths read without their text (ix_paragraphs_length)

Revision ID: corpus_0005
Revises: corpus_0004
Create Date: 2026-12-06 19:10:00

The share of a report's prose found in another report is its matched
paragraphs' length over the length of all its paragraphs; an index on
(report_id, seq, length) covers that, so the rows with the text are not read
(100,000 reports: 1.7 million paragraphs).
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "corpus_0005"
down_revision: str | Sequence[str] | None = "corpus_0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_paragraphs_length", "paragraphs", ["report_id", "seq", "length"])


def downgrade() -> None:
    op.drop_index("ix_paragraphs_length", table_name="paragraphs")
