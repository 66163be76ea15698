"""Rotation prerequisites.

``prerequisites`` (JSON list of rotation codes, like ``not_adjacent_to`` beside it): rotations
a resident must have done a block of earlier in the academic year before this one. The server
default fills the rows that existed before: an empty list requires nothing, so every stored
rotation keeps its meaning. Written by hand and checked against resched.db.tables.catalog by
the parity test in tests/db/test_migrations.py.

Revision ID: 5d1f0c8b7a42
Revises: c909a5ab900c
Create Date: 2026-11-30 05:40:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "5d1f0c8b7a42"
down_revision: str | Sequence[str] | None = "c909a5ab900c"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Batch mode: SQLite rebuilds the table; PostgreSQL gets a plain ALTER TABLE.
    with op.batch_alter_table("rotation") as batch:
        batch.add_column(sa.Column("prerequisites", sa.JSON(), server_default="[]", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("rotation") as batch:
        batch.drop_column("prerequisites")
