"""Calendar feed tokens: a user's secret subscription address (issue 16), stored hashed.

Written by hand and checked against resched.db.tables.calendar_feed by the parity test in
tests/db/test_migrations.py.

Revision ID: 9c4e2b7d1f35
Revises: 7b3d9e2f4a18
Create Date: 2026-12-06 16:50:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "9c4e2b7d1f35"
down_revision: str | Sequence[str] | None = "7b3d9e2f4a18"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "calendar_feed_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["app_user.id"],
            name=op.f("fk_calendar_feed_token_user_id_app_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_feed_token")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_calendar_feed_token_token_hash")),
    )
    with op.batch_alter_table("calendar_feed_token", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_calendar_feed_token_user_id"), ["user_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("calendar_feed_token", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_calendar_feed_token_user_id"))
    op.drop_table("calendar_feed_token")
