"""Job progress details: the structured figures behind a running job's progress and message.

``details`` (JSON, NULL until the job reports any) is written by the worker's heartbeat beside
``progress`` and ``message``; a generation job keeps its best objective, bound, gap and
solution count there, so the Generate page and the API can show them while the job runs.
Written by hand and checked against resched.db.tables.jobs by the parity test in
tests/db/test_migrations.py.

Revision ID: c65a7a121426
Revises: e9e341421d75
Create Date: 2026-11-30 05:05:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c65a7a121426"
down_revision: str | Sequence[str] | None = "e9e341421d75"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Batch mode: SQLite rebuilds the table; PostgreSQL gets a plain ALTER TABLE.
    with op.batch_alter_table("job") as batch:
        batch.add_column(sa.Column("details", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("job") as batch:
        batch.drop_column("details")
