"""Accounts that must choose a new password at their next sign-in.

``must_change_password`` is set by an administrator's password reset (a one-time password) and
cleared by the owner's password change. The server default fills the rows that existed before:
false, so every account keeps signing in as it did. Written by hand and checked against
resched.db.tables.people by the parity test in tests/db/test_migrations.py.

Revision ID: b7e2c41d9a53
Revises: 5d1f0c8b7a42
Create Date: 2026-12-06 06:45:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b7e2c41d9a53"
down_revision: str | Sequence[str] | None = "5d1f0c8b7a42"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Batch mode: SQLite adds the column in place (no rebuild for an added column);
    # PostgreSQL gets a plain ALTER TABLE.
    with op.batch_alter_table("app_user") as batch:
        batch.add_column(
            sa.Column(
                "must_change_password", sa.Boolean(), server_default=sa.false(), nullable=False
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("app_user") as batch:
        batch.drop_column("must_change_password")
