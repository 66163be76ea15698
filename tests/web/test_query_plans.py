"""The hot pages' queries on the large tables are served by indexes (PostgreSQL).

Every statement a page runs is captured with its parameters, then explained with sequential
scans discouraged (``enable_seqscan = off``): if an index can serve a query, the planner takes
it; if none can, the plan still holds a Seq Scan, and this test names the statement. A tiny test
database would otherwise always be scanned, whatever the indexes. The SQLite run skips it (its
planner is not the production one); ``make test`` runs it in the PostgreSQL tier.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event

from resched.db.tables import UserRole
from tests.accounts import add_user, page_client
from tests.conftest import TEST_DATABASE_ENV
from tests.web.conftest import WebApp
from tests.web.growth import grow_activity
from tests.web.seed import grow

pytestmark = [
    pytest.mark.db,
    pytest.mark.skipif(
        "postgresql" not in os.environ.get(TEST_DATABASE_ENV, ""), reason="needs PostgreSQL"
    ),
]
# The tables that grow with the years a program keeps: a scan of one is a page that slows down
# every year. Small catalogue tables (program, shift types, rotations) are scanned at no cost.
LARGE_TABLES = {
    "shift_assignment",
    "block_assignment",
    "absence",
    "request",
    "swap_request",
    "schedule_change",
    "schedule_change_item",
    "audit_event",
    "notification",
    "mail_outbox",
    "job",
    "import_batch",
    "person_year",
    "logged_work",
}
# The list routes people open most, and their filters: the schedule views, Today, My schedule,
# compliance, the audit list, jobs, requests and swaps, notices (inbox), absences, people - as
# pages and as the JSON API - for a coordinator and (ROLE_PAGES) a resident.
HOT_PAGES = (
    "/today",
    "/me",
    "/schedule?date=2026-10-14",
    "/schedule?view=week&group=shift&date=2026-10-14",
    "/schedule?view=day&date=2026-10-14",
    "/schedule/print?month=2026-10",
    "/plan",
    "/compliance",
    "/absences",
    "/absences?status=approved",
    "/leave",
    "/people",
    "/people?pgy=2",
    "/requests",
    "/swaps",
    "/inbox",
    "/jobs",
    "/import",
    "/api/v1/absences?status=requested",
    "/api/v1/people?role=resident",
    "/api/v1/requests",
    "/api/v1/swaps",
    "/api/v1/notifications",
    "/api/v1/jobs",
    "/api/v1/imports",
)
ADMIN_PAGES = (
    "/admin/audit",
    "/admin/outbox",
    "/admin/users",
    "/api/v1/audit-events",
    "/api/v1/outbox",
)
ROLE_PAGES = ("/today", "/me", "/requests", "/swaps", "/inbox", "/jobs", "/absences")


def _scans(plan: dict[str, Any]) -> Iterator[str]:
    if plan.get("Node Type") == "Seq Scan":
        yield str(plan.get("Relation Name"))
    for child in plan.get("Plans", []):
        yield from _scans(child)


def _captured(web: WebApp, path: str, client: TestClient) -> list[tuple[str, Any]]:
    seen: list[tuple[str, Any]] = []

    def capture(*args: Any) -> None:
        statement, parameters = args[2], args[3]
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, parameters))

    event.listen(web.app.state.engine, "before_cursor_execute", capture)
    try:
        assert client.get(path).status_code == 200, path
    finally:
        event.remove(web.app.state.engine, "before_cursor_execute", capture)
    return seen


def _seq_scans(web: WebApp, statement: str, parameters: Any) -> set[str]:
    raw = web.app.state.engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("SET enable_seqscan = off")
        cursor.execute("EXPLAIN (FORMAT JSON) " + statement, parameters)
        (document,) = cursor.fetchone()
        plan = document if isinstance(document, list) else json.loads(document)
        raw.rollback()
    finally:
        raw.close()
    return set(_scans(plan[0]["Plan"])) & LARGE_TABLES


def test_hot_pages_read_the_large_tables_through_indexes(web: WebApp) -> None:
    seeded = web.seed(residents_per_level=2, faculty=2)
    grow(web.session_factory, seeded, residents=30, absences=20)
    grow_activity(web.session_factory, count=20)
    resident = add_user(web.session_factory, UserRole.RESIDENT, person_id=seeded.first_resident_id)
    admin = web.client_as(UserRole.ADMIN)
    visits = [(path, web.client) for path in HOT_PAGES] + [(p, admin) for p in ADMIN_PAGES]
    with page_client(web.app, resident) as mine:
        visits += [(path, mine) for path in ROLE_PAGES]
        unserved: list[str] = []
        explained = 0
        for path, client in visits:
            for statement, parameters in _captured(web, path, client):
                explained += 1
                for table in _seq_scans(web, statement, parameters):
                    unserved.append(f"{path}: {table}: {' '.join(statement.split())[:300]}")
    assert explained > len(visits)  # the pages really ran queries
    assert not unserved, "\n".join(unserved)
