"""corpus: a generation per year (corpus_years)

Revision ID: corpus_0007
Revises: corpus_0006
Create Date: 2026-12-06 19:20:00

Every write grew one generation, so any kept answer went stale with it: the
first ``rank`` after adding one report of 2024 scored the reports of every
year again. Each write now also grows the generations of the years it
touched (year 0: a change of every year, such as agencies edited), and
``rank`` keeps each year's scores under the generations they depend on (that
year's and the year before's).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "corpus_0007"
down_revision: str | Sequence[str] | None = "corpus_0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "corpus_years",
        sa.Column("year", sa.Integer(), nullable=False, autoincrement=False),
        sa.Column("generation", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_corpus_years")),
    )


def downgrade() -> None:
    op.drop_table("corpus_years")
