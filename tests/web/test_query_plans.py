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
from sqlalchemy import event

from tests.conftest import TEST_DATABASE_ENV
from tests.web.conftest import WebApp
from tests.web.seed import grow

pytestmark = [
    pytest.mark.db,
    pytest.mark.skipif(
        "postgresql" not in os.environ.get(TEST_DATABASE_ENV, ""), reason="needs PostgreSQL"
    ),
]
# The tables that grow with the years a program keeps: a scan of one is a page that slows down
# every year. Small catalogue tables (program, shift types, rotations) are scanned at no cost.
LARGE_TABLES = {"shift_assignment", "absence", "audit_event", "notice", "person_year"}
HOT_PAGES = (
    "/today",
    "/me",
    "/schedule?date=2026-10-14",
    "/schedule?view=week&group=shift&date=2026-10-14",
    "/schedule/print?month=2026-10",
    "/plan",
    "/absences",
)


def _scans(plan: dict[str, Any]) -> Iterator[str]:
    if plan.get("Node Type") == "Seq Scan":
        yield str(plan.get("Relation Name"))
    for child in plan.get("Plans", []):
        yield from _scans(child)


def _captured(web: WebApp, path: str) -> list[tuple[str, Any]]:
    seen: list[tuple[str, Any]] = []

    def capture(*args: Any) -> None:
        statement, parameters = args[2], args[3]
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, parameters))

    event.listen(web.app.state.engine, "before_cursor_execute", capture)
    try:
        assert web.client.get(path).status_code == 200, path
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
    unserved: list[str] = []
    explained = 0
    for path in HOT_PAGES:
        for statement, parameters in _captured(web, path):
            explained += 1
            for table in _seq_scans(web, statement, parameters):
                unserved.append(f"{path}: {table}: {' '.join(statement.split())[:300]}")
    assert explained > len(HOT_PAGES)  # the pages really ran queries
    assert not unserved, "\n".join(unserved)
