"""A phone and a pager number on people (the Today page links them to whoever is on duty).

Both optional VARCHAR(32), checked by services.people; rows that existed before have none.
Written by hand and checked against resched.db.tables.people by the parity test in
tests/db/test_migrations.py.

Revision ID: e3f1a7c5b920
Revises: 4c1d7e9a2b60
Create Date: 2026-12-06 10:40:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "e3f1a7c5b920"
down_revision: str | Sequence[str] | None = "4c1d7e9a2b60"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("person") as batch:
        batch.add_column(sa.Column("phone", sa.String(length=32), nullable=True))
        batch.add_column(sa.Column("pager", sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("person") as batch:
        batch.drop_column("pager")
        batch.drop_column("phone")
