"""What a generated draft carries: the solver's report and the number of violations found.

``generation`` (JSON, NULL for imported versions) holds the solver status, objective, bound,
gap, penalties, statistics and the validator's findings; ``violation_count`` flags a draft that
may only be published with a reason. Checked against resched.db.tables.schedule by the parity
test in tests/db/test_migrations.py.

Revision ID: 668dc3ca0060
Revises: 49cf529db7f4
Create Date: 2026-11-30 04:40:00.000000+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "668dc3ca0060"
down_revision: str | Sequence[str] | None = "49cf529db7f4"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("schedule_version") as batch:
        batch.add_column(sa.Column("generation", sa.JSON(), nullable=True))
        batch.add_column(
            sa.Column("violation_count", sa.Integer(), server_default="0", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("schedule_version") as batch:
        batch.drop_column("violation_count")
        batch.drop_column("generation")
