"""Coverage requirements that hold on any day, never on holidays, or only on holidays.

``holidays`` is one of "any", "not_on_holidays" and "holidays_only" (a VARCHAR with a named
CHECK constraint, as every enum column). The server default fills the rows that existed
before: "any", so every stored requirement keeps its meaning. Written by hand and checked
against resched.db.tables.catalog by the parity test in tests/db/test_migrations.py.

Revision ID: 4c1d7e9a2b60
Revises: b7e2c41d9a53
Create Date: 2026-12-06 09:30:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "4c1d7e9a2b60"
down_revision: str | Sequence[str] | None = "b7e2c41d9a53"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Batch mode: SQLite rebuilds the table (for the CHECK constraint); PostgreSQL gets plain
    # ALTER TABLE statements.
    with op.batch_alter_table("coverage_requirement") as batch:
        batch.add_column(
            sa.Column(
                "holidays",
                sa.Enum(
                    "any",
                    "not_on_holidays",
                    "holidays_only",
                    name="holiday_rule",
                    native_enum=False,
                    create_constraint=True,
                    length=32,
                ),
                server_default="any",
                nullable=False,
            )
        )


def downgrade() -> None:
    # The enum's CHECK constraint goes first: SQLite's rebuild would keep it, naming the
    # dropped column.
    with op.batch_alter_table("coverage_requirement") as batch:
        batch.drop_constraint("holiday_rule", type_="check")
        batch.drop_column("holidays")
