"""A program of another shape than the demo, set up on an EMPTY database through the API alone.

The first administrator is made the way production makes one (``resched user create``) and
signs in through ``POST /auth/login``; from there on every step is an HTTP call of the JSON
API: the program with q4 call, the year with its monthly blocks and holidays, the shift types,
rotations and coverage of tests/programs/pediatrics.py, the people and a vacation. Then the
rotation plan is generated and published, the first block's shifts are generated, and the
result is checked three ways: the validator's report (zero violations, with the program's q4
setting), every coverage rule counted from the exported schedule, and the q4 call rule
counted from it by hand.

The test plays the worker (tests/job_helpers.py: the same code a worker runs); solves are
bounded by work, not by the clock (tests/solve_limits.py).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter, defaultdict
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from resched.cli import app as cli
from tests.accounts import API, PASSWORD
from tests.job_helpers import RecordingQueue, inline_runtime, work_off
from tests.programs import pediatrics as peds
from tests.solve_limits import SAFETY_S

pytestmark = pytest.mark.db
Factory = sessionmaker[Session]
Json = dict[str, Any]
ADMIN = "program-director"
# Deterministic work per solve: the same search on a loaded laptop as on an idle CI box.
SOLVE = {"seed": 1, "num_workers": 2, "time_limit_s": SAFETY_S}
PLAN_WORK, SHIFT_WORK = 60.0, 120.0


def _ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def _first_admin(database_url: str) -> None:
    """What an operator runs on a new server before anyone can sign in."""
    result = CliRunner().invoke(
        cli,
        [
            *("user", "create", "--username", ADMIN, "--role", "admin", "--password-stdin"),
            *("--database-url", database_url),
        ],
        input=f"{PASSWORD}\n",
    )
    assert result.exit_code == 0, result.output


def _sign_in(app: FastAPI) -> TestClient:
    client = TestClient(app, base_url=f"http://testserver{API}/")
    tokens = _ok(client.post("auth/login", json={"username": ADMIN, "password": PASSWORD}))
    client.headers["Authorization"] = f"Bearer {tokens['access_token']}"
    return client


def _set_up(api: TestClient) -> Json:
    """Everything a coordinator enters, in order; the created year."""
    program = _ok(api.put("program", json=peds.PROGRAM))
    assert program["rules"]["call_every_nth_night"] == peds.CALL_EVERY_NTH_NIGHT
    year = _ok(api.post("academic-years", json=peds.ACADEMIC_YEAR), 201)
    for shift_type in peds.SHIFT_TYPES:
        _ok(api.post("shift-types", json=shift_type), 201)
    for rotation in peds.ROTATIONS:
        _ok(api.post("rotations", json=rotation), 201)
    for coverage in peds.COVERAGE:
        _ok(api.post("coverage-requirements", json=coverage), 201)
    for person in peds.residents(year["id"]) + peds.FACULTY:
        _ok(api.post("people", json=person), 201)
    return _ok(api.get(f"academic-years/{year['id']}"))


def _generate(api: TestClient, runtime: Any, queue: RecordingQueue, body: Json) -> Json:
    run = _ok(api.post("generations", json=body | SOLVE), 202)
    assert run["parameters"]["work_limit"] == body["work_limit"]
    assert work_off(runtime, queue) == ["succeeded"]
    done = _ok(api.get(f"generations/{run['id']}"))
    assert done["state"] == "finished", done
    outcome: Json = done["outcome"]
    assert outcome["status"] in {"optimal", "feasible"}, outcome
    assert outcome["violations"] == 0, outcome["findings"]
    assert outcome["version_id"] is not None
    return outcome


def _publish(api: TestClient, version_id: int) -> None:
    published = _ok(api.post(f"schedules/{version_id}/publish", json={}))
    assert (published["violations"], published["version"]["status"]) == (0, "published")


def test_pediatrics_set_up_planned_and_scheduled_through_the_api_alone(
    app: FastAPI, database_url: str, session_factory: Factory
) -> None:
    queue = RecordingQueue()
    app.state.job_queue = queue
    runtime = inline_runtime(database_url, session_factory)
    _first_admin(database_url)
    api = _sign_in(app)
    assert api.get("program").status_code == 404  # empty: no demo, no program
    assert _ok(api.get("academic-years")) == []

    year = _set_up(api)
    assert [b["start"][:7] for b in year["blocks"]][:2] == ["2026-07", "2026-08"]
    assert len(year["blocks"]) == 12
    holidays = {h["day"] for h in year["holidays"]}
    assert {"2026-07-03", "2026-11-26", "2026-11-27"} <= holidays  # observed 4 July, own day
    people = {p["code"]: p for p in _ok(api.get("people", params={"limit": 200}))["items"]}
    vacationer = people[peds.VACATION_PERSON]["id"]
    _ok(api.post("absences", json=peds.VACATION | {"person_id": vacationer}), 201)

    plan = _generate(
        api, runtime, queue, {"kind": "plan", "year": peds.YEAR_LABEL} | _work(PLAN_WORK)
    )
    rotations = _plan(api, plan["version_id"], year)
    _publish(api, plan["version_id"])

    block = year["blocks"][0]
    shifts = _generate(
        api,
        runtime,
        queue,
        {"kind": "shifts", "year": peds.YEAR_LABEL, "block": 1} | _work(SHIFT_WORK),
    )
    version_id = shifts["version_id"]
    first = _check_fairness(shifts["fairness"], _ok(api.get(f"schedules/{version_id}/generation")))
    assert first == []  # no year to date yet
    assert shifts["chains"] == []  # the program's 10 h rest, free day after night float
    report = _ok(api.get(f"schedules/{version_id}/compliance"))
    assert report["summary"]["violations"] == 0, report["findings"]
    assert report["compliant"] is True
    document = _ok(
        api.get(
            f"schedules/{version_id}/interchange",
            params={"start": block["start"], "end": block["end"]},
        )
    )
    assert document["program"]["rules"]["call_every_nth_night"] == peds.CALL_EVERY_NTH_NIGHT
    _check_coverage(document, rotations, people, block)
    _check_q4(document, block)
    _check_vacation(
        document, rotations[(vacationer, dt.date.fromisoformat(peds.VACATION["start"]))]
    )
    _publish(api, version_id)

    # The second month: residents who spent the first off the call pool come to it behind.
    second = _generate(
        api,
        runtime,
        queue,
        {"kind": "shifts", "year": peds.YEAR_LABEL, "block": 2} | _work(SHIFT_WORK),
    )
    stored = _ok(api.get(f"schedules/{second['version_id']}/generation"))
    behind = _check_fairness(second["fairness"], stored)
    assert behind, "a resident new to the call pool is behind the year to date"


def _check_fairness(report: Json, stored: Json) -> list[str]:
    """A month's fairness report: the ward and PICU residents who share the call are compared
    within their PGY level and rotation; each pool's calls lie at most 1 apart, or 1 + the
    catch-up (1) where someone is behind the year to date (the first month: nobody); no
    resident has calls 2 nights apart. Returns who was catching up."""
    assert stored["fairness"] == report
    assert report["catch_up"] == 1
    calls = [p for p in report["pools"] if p["counter"] == "calls" and p["pool"][:4] == "PGY-"]
    assert calls, report["pools"]
    assert {p["pool"].split(" on ")[1] for p in calls} <= set(peds.CALL_POOL), calls
    for pool in calls:
        assert pool["range"]["spread"] <= 1 + (1 if pool["catching_up"] else 0), pool
    gaps = report["call_gaps"]
    assert gaps
    assert gaps[0]["nights"] >= 3, gaps[0]
    return [code for p in calls for code in p["catching_up"]]


def _work(units: float) -> Json:
    return {"work_limit": units}


def _plan(api: TestClient, version_id: int, year: Json) -> dict[tuple[int, dt.date], str]:
    """The draft plan as (person id, day) -> rotation code, read from its diff against
    nothing published (every block an addition)."""
    diff = _ok(api.get(f"schedules/{version_id}/diff"))
    assert diff["against_id"] is None
    assert diff["shifts"] == []
    # Every resident on one rotation in every block.
    assert Counter(c["block"] for c in diff["blocks"]) == dict.fromkeys(range(1, 13), 21)
    blocks = {b["number"]: b for b in year["blocks"]}
    placed: dict[tuple[int, dt.date], str] = {}
    for change in diff["blocks"]:
        (code,) = change["after"]  # whole blocks: no rotation here allows halves
        block = blocks[change["block"]]
        start, end = dt.date.fromisoformat(block["start"]), dt.date.fromisoformat(block["end"])
        for offset in range((end - start).days + 1):
            placed[(change["person_id"], start + dt.timedelta(days=offset))] = code
    return placed


def _days(block: Json) -> list[dt.date]:
    start, end = dt.date.fromisoformat(block["start"]), dt.date.fromisoformat(block["end"])
    return [start + dt.timedelta(days=k) for k in range((end - start).days + 1)]


def _eligible(person: Json, rotation: str | None, rule: Json) -> bool:
    who = rule["eligibility"]
    if who.get("roles") and person["role"] not in who["roles"]:
        return False
    return not who.get("rotations") or rotation in who["rotations"]


def _check_coverage(
    document: Json,
    rotations: dict[tuple[int, dt.date], str],
    people: dict[str, Json],
    block: Json,
) -> None:
    """Each rule, each day it applies: between min and max people, every one eligible (the
    rules name one shift type each, so a shift's people are that rule's)."""
    on: dict[tuple[dt.date, str], list[str]] = defaultdict(list)
    for a in document["assignments"]:
        on[(dt.date.fromisoformat(a["date"]), a["shift"])].append(a["person"])
    checked = 0
    for rule in peds.COVERAGE:
        for day in _days(block):
            if day.isoweekday() not in rule["weekdays"]:
                continue
            codes = on[(day, rule["shift_code"])]
            where = f"{rule['name']} on {day}: {codes}"
            assert rule["min_count"] <= len(codes) <= rule["max_count"], where
            for code in codes:
                person = people[code]
                assert _eligible(person, rotations.get((person["id"], day)), rule), where
            checked += 1
    # July 2026: 31 days, 23 weekdays, 8 weekend days; four rules daily, one on weekdays,
    # three on weekends.
    assert checked == 4 * 31 + 23 + 3 * 8


def _check_q4(document: Json, block: Json) -> None:
    """The program's q4 setting, counted by hand: over the block and over any 28 days of it, a
    resident's in-house calls x 4 never exceed the days (the rule averages, like ACGME's q3);
    and two calls are never on consecutive nights (24 h call is followed by rest)."""
    residents = {p["id"] for p in document["people"] if p["role"] == "resident"}
    calls: dict[str, list[dt.date]] = defaultdict(list)
    for a in document["assignments"]:
        if a["shift"] == "CALL":
            assert a["person"] in residents
            calls[a["person"]].append(dt.date.fromisoformat(a["date"]))
    days = _days(block)
    assert sum(len(c) for c in calls.values()) == len(days)  # one call every night
    for person, dates in calls.items():
        dates.sort()
        for first in days[: len(days) - 27]:
            window = [d for d in dates if first <= d < first + dt.timedelta(days=28)]
            assert len(window) * peds.CALL_EVERY_NTH_NIGHT <= 28, (person, window)
        assert all((b - a).days > 1 for a, b in itertools.pairwise(dates)), (person, dates)


def _check_vacation(document: Json, rotation: str) -> None:
    """The planner put the vacationer on a rotation that allows leave; no shift in it."""
    assert rotation in {peds.NURSERY, peds.CLINIC, peds.ELECTIVE}
    start = dt.date.fromisoformat(peds.VACATION["start"])
    end = dt.date.fromisoformat(peds.VACATION["end"])
    away = [
        a
        for a in document["assignments"]
        if a["person"] == peds.VACATION_PERSON and start <= dt.date.fromisoformat(a["date"]) <= end
    ]
    assert away == []
