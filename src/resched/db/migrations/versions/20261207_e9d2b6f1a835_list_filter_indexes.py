"""Indexes for the list routes' filters (found by tests/web/test_query_plans.py, which
explains every query of the hot list pages with sequential scans discouraged):

- request (start_date, person_id, id): the requests list (page and GET /requests) pages in
  this order; it read and sorted the whole table.
- request (status, start_date, person_id, id): Today lists and counts the open requests.
- absence (status, start_date, id): the leave queue and the status filter of the absence list
  (page and API) list and count one status; the count read the whole table.
- job (kind, id): the leave queue finds each requested absence's newest repair run among the
  generation jobs; it read every job (exports, checks) ever run.

Revision ID: e9d2b6f1a835
Revises: c4e17a9b2f60
Create Date: 2026-12-07 01:10:00+00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "e9d2b6f1a835"
down_revision: str | Sequence[str] | None = "c4e17a9b2f60"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = (
    ("request", ("start_date", "person_id", "id")),
    ("request", ("status", "start_date", "person_id", "id")),
    ("absence", ("status", "start_date", "id")),
    ("job", ("kind", "id")),
)


def _name(table: str, columns: Sequence[str]) -> str:
    return f"ix_{table}_{'_'.join(columns)}"


def upgrade() -> None:
    for table, columns in INDEXES:
        op.create_index(op.f(_name(table, columns)), table, list(columns))


def downgrade() -> None:
    for table, columns in reversed(INDEXES):
        op.drop_index(op.f(_name(table, columns)), table_name=table)
