"""The data generation: one counter every committed change of the program's data raises
(resched.db.generation), so that a page's cached read model knows it is still current.

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
    table = op.create_table(
        "data_generation",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("generation", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_generation")),
    )
    op.bulk_insert(table, [{"id": 1, "generation": 0}])


def downgrade() -> None:
    op.drop_table("data_generation")
