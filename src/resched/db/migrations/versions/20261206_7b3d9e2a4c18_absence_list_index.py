"""An index for the absence list's order (start date, id): the Absences page and
GET /absences page through every absence in that order, which read the whole table and sorted
it before (found by tests/web/test_query_plans.py).

Revision ID: 7b3d9e2a4c18
Revises: 5e8a1c3f7b26
Create Date: 2026-12-06 23:40:00+00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "7b3d9e2a4c18"
down_revision: str | Sequence[str] | None = "5e8a1c3f7b26"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(op.f("ix_absence_start_date_id"), "absence", ["start_date", "id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_absence_start_date_id"), table_name="absence")
