"""Data generations: a counter per table that every committed change of the table raises
(resched.db.generation), so that a page's cached read model knows it is still current. Rows
are made by a table's first change.

Revision ID: 908ccba2c6b9
Revises: e9d2b6f1a835
Create Date: 2026-12-07 10:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "908ccba2c6b9"
down_revision: str | Sequence[str] | None = "e9d2b6f1a835"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "data_generation",
        sa.Column("table_name", sa.String(length=64), nullable=False),
        sa.Column("generation", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("table_name", name=op.f("pk_data_generation")),
    )


def downgrade() -> None:
    op.drop_table("data_generation")
