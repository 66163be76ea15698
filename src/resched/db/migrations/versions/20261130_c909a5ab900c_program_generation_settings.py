"""Program generation settings: the solvers' weights and the rotations their goals are about.

``generation`` (JSON, NULL: the solvers' defaults) holds the program's GenerationSettings: the
weights of the planner's and the shift scheduler's soft goals by penalty name, the heavy
rotations and the longest run of them, and the rotations whose residents are owed a free
weekend day. Written by hand and checked against resched.db.tables.program by the parity test
in tests/db/test_migrations.py.

Revision ID: c909a5ab900c
Revises: c65a7a121426
Create Date: 2026-11-30 06:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c909a5ab900c"
down_revision: str | Sequence[str] | None = "c65a7a121426"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Batch mode: SQLite rebuilds the table; PostgreSQL gets a plain ALTER TABLE.
    with op.batch_alter_table("program") as batch:
        batch.add_column(sa.Column("generation", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("program") as batch:
        batch.drop_column("generation")
