"""Coverage requirements limited to dates, or excepting dates.

``dates`` (the requirement applies only on these) and ``except_dates`` (never on these), ISO
dates in JSON like the weekdays beside them. The server default fills the rows that existed
before: an empty list restricts nothing, so every stored requirement keeps its meaning.
Written by hand and checked against resched.db.tables.catalog by the parity test in
tests/db/test_migrations.py.

Revision ID: e9e341421d75
Revises: 3aba70be6688
Create Date: 2026-11-30 04:29:33+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "e9e341421d75"
down_revision: str | Sequence[str] | None = "3aba70be6688"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COLUMNS = ("dates", "except_dates")


def upgrade() -> None:
    # Batch mode: SQLite rebuilds the table; PostgreSQL gets plain ALTER TABLE statements.
    with op.batch_alter_table("coverage_requirement") as batch:
        for name in _COLUMNS:
            batch.add_column(sa.Column(name, sa.JSON(), server_default="[]", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("coverage_requirement") as batch:
        for name in reversed(_COLUMNS):
            batch.drop_column(name)
