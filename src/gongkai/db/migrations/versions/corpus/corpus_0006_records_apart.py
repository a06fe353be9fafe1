"""corpus: a report's record apart from its row (reports.record_z → report_records)

Revision ID: corpus_0006
Revises: corpus_0005
Create Date: 2026-12-06 19:40:00

The compressed record (about 4 KB) made every row of ``reports`` fill a
database page: counting, listing, sorting or summing the reports read every
record too (at 100,000 reports, 410 MB for a count). The records now live in
``report_records``, one row a report, and ``reports`` keeps the short columns.
Records already stored are moved, nothing is lost (downgrade moves them back);
a SQLite file is compacted afterwards (``VACUUM``, by ``gongkai.db.upgrade``).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "corpus_0006"
down_revision: str | Sequence[str] | None = "corpus_0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
#: SQLite keeps the pages of the rows that shrank: ``upgrade`` compacts the file after
COMPACTS = True

# ``reports`` is never rebuilt (see corpus_0003): its column is dropped in place.


def upgrade() -> None:
    op.create_table(
        "report_records",
        sa.Column("report_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("record_z", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["reports.id"],
            name=op.f("fk_report_records_report_id_reports"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("report_id", name=op.f("pk_report_records")),
    )
    op.execute(
        "INSERT INTO report_records (report_id, record_z) "
        "SELECT id, record_z FROM reports WHERE record_z IS NOT NULL"
    )
    with op.batch_alter_table("reports", schema=None, recreate="never") as batch_op:
        batch_op.drop_column("record_z")


def downgrade() -> None:
    with op.batch_alter_table("reports", schema=None, recreate="never") as batch_op:
        batch_op.add_column(sa.Column("record_z", sa.LargeBinary(), nullable=True))
    op.execute(
        "UPDATE reports SET record_z = "
        "(SELECT record_z FROM report_records WHERE report_records.report_id = reports.id)"
    )
    op.drop_table("report_records")
