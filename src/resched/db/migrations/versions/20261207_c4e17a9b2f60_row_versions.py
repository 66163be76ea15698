"""A ``row_version`` counter on the rows people edit (optimistic concurrency, issue 17).

Shift types, rotations, coverage requirements, people, absences and the program row get an
INTEGER NOT NULL column with server default 1: existing rows start at version 1, and every
UPDATE/DELETE through the ORM checks and raises it (resched.db.versioning). Batch mode so
SQLite, which cannot add a NOT NULL column in place on every version, rebuilds the tables.

Revision ID: c4e17a9b2f60
Revises: 7b3d9e2a4c18
Create Date: 2026-12-07 00:45:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c4e17a9b2f60"
down_revision: str | Sequence[str] | None = "7b3d9e2a4c18"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("shift_type", "rotation", "coverage_requirement", "person", "absence", "program")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(
                sa.Column("row_version", sa.Integer(), nullable=False, server_default="1")
            )


def downgrade() -> None:
    for table in reversed(TABLES):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("row_version")
