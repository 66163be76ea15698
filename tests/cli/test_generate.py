"""``resched generate`` and ``resched publish`` against a real database: the --json fields,
exit codes 0 (stored), 1 (infeasible, explained), 2 (bad input), publishing."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner, Result

from resched.cli import app
from resched.core.model import Assignment, ScheduleStatus
from resched.services.schedules import get_schedule
from tests.generation_data import Tiny, everyone_away, store_tiny, store_version
from tests.solve_limits import SAFETY_S

pytestmark = pytest.mark.db
Factory = sessionmaker[Session]
# The tiny week and year finish by themselves: the time limit is only a safety net.
FAST = ("--time-limit", str(int(SAFETY_S)), "--workers", "2", "--seed", "1")
WEEK = ("--start", "2026-07-06", "--end", "2026-07-12")


@pytest.fixture
def tiny(session_factory: Factory) -> Tiny:
    return store_tiny(session_factory)


def run(url: str, *args: str) -> Result:
    return CliRunner().invoke(app, [*args, "--database-url", url])


def refused(result: Result, *words: str) -> None:
    assert result.exit_code == 2, result.output
    for word in words:
        assert word in result.stderr, result.stderr
    assert "Traceback" not in result.output


def test_generate_shifts_json_stores_a_draft(
    database_url: str, session_factory: Factory, tiny: Tiny
) -> None:
    store_version(session_factory, tiny, status=ScheduleStatus.PUBLISHED)

    result = run(database_url, "generate", "shifts", *WEEK, *FAST, "--json")

    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert {"status", "objective", "bound", "gap", "seconds", "findings"} <= set(out)
    assert out["status"] in ("optimal", "feasible")
    assert out["findings"] == []
    assert out["chains"] == []  # reported for a shift schedule: none closer than the min rest
    assert out["published"] is False
    assert isinstance(out["seconds"], float)
    assert out["objective"] is not None
    fairness = out["fairness"]  # the week's spreads per pool and its call gaps
    assert fairness["format"] == "resched.range-fairness/v1"
    assert [p["pool"] for p in fairness["pools"] if p["counter"] == "calls"] == ["PGY-1 on WARDS"]
    version = get_schedule(factory=session_factory, version_id=out["version_id"])
    assert version.status is ScheduleStatus.DRAFT


def test_generate_plan_and_publish(database_url: str, session_factory: Factory, tiny: Tiny) -> None:
    result = run(database_url, "generate", "plan", "--year", "2026", *FAST, "--publish")

    assert result.exit_code == 0, result.output
    assert "draft version" in result.stdout
    assert "published version" in result.stdout
    version_id = int(result.stdout.split("published version ")[1].split()[0])
    published = get_schedule(factory=session_factory, version_id=version_id)
    assert published.status is ScheduleStatus.PUBLISHED


def test_infeasible_exits_1_with_the_explanation(
    database_url: str, session_factory: Factory, tiny: Tiny
) -> None:
    store_version(session_factory, tiny, status=ScheduleStatus.PUBLISHED)
    everyone_away(session_factory, tiny, dt.date(2026, 7, 8))

    result = run(database_url, "generate", "shifts", *WEEK, *FAST)

    assert result.exit_code == 1, result.output
    assert "status infeasible" in result.stdout
    assert "conflict: Night call (CALL) on Wed Jul 8 needs 1" in result.stdout

    as_json = json.loads(run(database_url, "generate", "shifts", *WEEK, *FAST, "--json").stdout)
    assert as_json["status"] == "infeasible"
    assert as_json["version_id"] is None
    assert as_json["conflicts"]


def test_bad_input_exits_2(database_url: str, session_factory: Factory, tiny: Tiny) -> None:
    refused(run(database_url, "generate", "plan", "--year", "1999", *FAST), "no academic year 1999")
    refused(run(database_url, "generate", "shifts", "--block", "20", *FAST), "no block 20")
    refused(
        run(database_url, "generate", "shifts", "--start", "2026-07-12", "--end", "2026-07-06"),
        "before the start",
    )
    refused(run(database_url, "generate", "shifts", *FAST), "give --block N")
    refused(run(database_url, "generate", "shifts", *WEEK, "--mode", "best"), "--mode")
    refused(run(database_url, "generate", "shifts", "--start", "6/7/2026", "--end", "2026-07-12"))
    refused(run(database_url, "generate", "shifts", *WEEK, *FAST), "no rotation plan")


def test_publish_needs_a_reason_for_violations(
    database_url: str, session_factory: Factory, tiny: Tiny
) -> None:
    every_day = [
        Assignment(tiny.residents[0], dt.date(2026, 7, 6) + dt.timedelta(days=i), "CALL")
        for i in range(7)
    ]
    draft = store_version(session_factory, tiny, shifts=every_day)

    refused(run(database_url, "publish", str(draft)), "needs a reason")
    result = run(database_url, "publish", str(draft), "--reason", "Board approved")
    assert result.exit_code == 0, result.output
    assert f"published version {draft}" in result.stdout
    assert "reason recorded" in result.stdout
    refused(run(database_url, "publish", str(draft)), "only a draft")
