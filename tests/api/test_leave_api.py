"""/leave/queue, /absences/{id}/repair|proposal|approve|deny|publish-repair and /emergency on
the demo and the pediatrics-like program: a resident's request decided with its repair, an
emergency published with an override, 403 for residents and bad input refused by field, with
nothing written."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from resched.db.tables import AbsenceRow, JobRow, PersonRow, ScheduleVersionRow
from tests.api.conftest import ClientAs, error_fields
from tests.job_helpers import RecordingQueue, inline_runtime, work_off
from tests.leave_data import is_demo, propose, shifts_of, store_duties
from tests.today_data import DUTY_STORES, Duties

pytestmark = pytest.mark.db
Factory = sessionmaker[Session]
# Work-bounded repair solves (tests/solve_limits.py).
LIMITS = {"time_limit_s": 600.0, "seed": 1, "num_workers": 1, "work_limit": 20.0}


@pytest.fixture(params=sorted(DUTY_STORES))
def duties(request: pytest.FixtureRequest, session_factory: Factory) -> Duties:
    return store_duties(request.param, session_factory)


@pytest.fixture
def queue(app: FastAPI) -> RecordingQueue:
    recorder = RecordingQueue()
    app.state.job_queue = recorder
    return recorder


def _today(app: FastAPI, day: dt.date) -> None:
    """The app's clock at noon UTC of ``day`` (the program's today is that day)."""
    app.state.clock = lambda: dt.datetime(day.year, day.month, day.day, 17, tzinfo=dt.UTC)


def _run_repair(
    factory: Factory, database_url: str, duties: Duties, queue: RecordingQueue, absence_id: int
) -> None:
    """Play the worker; the demo's repair is proven infeasible, its proposal stored by hand."""
    done = work_off(inline_runtime(database_url, factory), queue)
    if is_demo(duties):
        assert done == ["failed"]
        propose(factory, database_url, duties, absence_id)
    else:
        assert done == ["succeeded"]


def _person_id(factory: Factory, code: str) -> int:
    with factory() as session:
        found = session.scalar(select(PersonRow.id).where(PersonRow.code == code))
    assert found is not None
    return found


def _ask(client: TestClient, duties: Duties, **extra: str) -> int:
    """A day's leave for the resident whose night ran into it; the absence's id."""
    day = duties.day.isoformat()
    body = {"person_id": duties.night_before, "start": day, "end": day, "type": "vacation"}
    asked = client.post("absences", json=body | extra)
    assert asked.status_code == 201, asked.text
    return int(asked.json()["id"])


def _counts(factory: Factory) -> tuple[int, int, int]:
    with factory() as session:
        absences = session.scalar(select(func.count()).select_from(AbsenceRow)) or 0
        jobs = session.scalar(select(func.count()).select_from(JobRow)) or 0
        revision = session.scalar(select(func.sum(ScheduleVersionRow.revision))) or 0
    return absences, jobs, revision


def test_a_request_is_repaired_and_approved(
    app: FastAPI, client: TestClient, client_as: ClientAs, session_factory: Factory,
    database_url: str, queue: RecordingQueue, duties: Duties,
) -> None:  # fmt: skip
    _today(app, duties.day - dt.timedelta(days=30))
    resident = client_as("resident", person_id=duties.night_before)
    leave = _ask(resident, duties, note="a wedding")
    (waiting,) = client.get("leave/queue").json()
    assert waiting["absence"]["id"] == leave
    assert waiting["state"] == "none"
    yesterday = (duties.day - dt.timedelta(days=1)).isoformat()
    assert [(s["day"], s["shift"]) for s in waiting["touched"]] == [(yesterday, "NIGHT")]

    started = client.post(f"absences/{leave}/repair", json=LIMITS)
    assert started.status_code == 202, started.text
    assert started.json()["parameters"]["leave"]["absence_id"] == leave
    assert client.get(f"absences/{leave}/proposal").json()["state"] == "running"
    _run_repair(session_factory, database_url, duties, queue, leave)
    proposal = client.get(f"absences/{leave}/proposal").json()
    assert proposal["state"] == "ready", proposal
    (taker,) = proposal["change"]["add"]

    approved = client.post(f"absences/{leave}/approve", json={"accept_repair": True})

    assert approved.status_code == 200, approved.text
    body = approved.json()
    assert body["absence"]["status"] == "approved"
    assert body["change_id"] is not None
    assert body["absence"]["change_id"] == body["change_id"]
    night = shifts_of(session_factory, duties.plan.version_id, duties.day - dt.timedelta(days=1))
    assert (duties.night_before, "NIGHT") not in night
    assert taker["day"] == yesterday
    assert (_person_id(session_factory, taker["person"]), "NIGHT") in night
    assert client.get("leave/queue").json() == []
    mine = resident.get(f"absences/{leave}").json()
    assert mine["status"] == "approved"


def test_an_emergency_is_published_with_an_override(
    app: FastAPI, client: TestClient, session_factory: Factory, database_url: str,
    queue: RecordingQueue, duties: Duties,
) -> None:  # fmt: skip
    _today(app, duties.day)
    started = client.post(
        "emergency",
        json={"person_id": duties.night_before, "start": duties.day.isoformat(), "type": "sick"}
        | LIMITS,
    )
    assert started.status_code == 201, started.text
    body = started.json()
    leave = body["proposal"]["absence"]["id"]
    assert body["proposal"]["absence"]["status"] == "approved"
    assert body["run"]["state"] == "queued"
    assert body["proposal"]["touched"]
    _run_repair(session_factory, database_url, duties, queue, leave)
    before = _counts(session_factory)

    frozen = client.post(f"absences/{leave}/publish-repair", json={})
    assert frozen.status_code == 422
    assert error_fields(frozen) == {"override"}
    assert _counts(session_factory) == before

    published = client.post(
        f"absences/{leave}/publish-repair", json={"override": {"reason": "sick_call"}}
    )
    assert published.status_code == 200, published.text
    assert published.json()["change_id"] is not None
    night = shifts_of(session_factory, duties.plan.version_id, duties.day - dt.timedelta(days=1))
    assert (duties.night_before, "NIGHT") not in night
    again = client.post(
        f"absences/{leave}/publish-repair", json={"override": {"reason": "sick_call"}}
    )
    assert again.status_code == 409


def test_only_coordinators_decide(
    app: FastAPI, client_as: ClientAs, session_factory: Factory, queue: RecordingQueue,
    duties: Duties,
) -> None:  # fmt: skip
    _today(app, duties.day - dt.timedelta(days=30))
    resident = client_as("resident", person_id=duties.night_before)
    leave = _ask(resident, duties)
    before = _counts(session_factory)
    for method, path, body in (
        ("get", "leave/queue", None),
        ("post", f"absences/{leave}/repair", {}),
        ("get", f"absences/{leave}/proposal", None),
        ("post", f"absences/{leave}/approve", {"accept_repair": False, "reason": "x"}),
        ("post", f"absences/{leave}/deny", {"reason": "x"}),
        ("post", f"absences/{leave}/publish-repair", {}),
        ("post", "emergency", {"person_id": duties.night_before, "start": "2026-10-01",
                               "type": "sick"}),
    ):  # fmt: skip
        answer = resident.request(method, path, json=body)
        assert answer.status_code == 403, (path, answer.text)
    assert _counts(session_factory) == before
    assert queue.sent == []


def test_bad_input_is_refused_by_field_and_writes_nothing(
    app: FastAPI, client: TestClient, session_factory: Factory, queue: RecordingQueue,
    duties: Duties,
) -> None:  # fmt: skip
    _today(app, duties.day - dt.timedelta(days=30))
    leave = _ask(client, duties, status="requested")
    before = _counts(session_factory)
    cases: list[tuple[str, dict[str, object], int, set[str]]] = [
        (f"absences/{leave}/deny", {"reason": "  "}, 422, {"reason"}),
        (f"absences/{leave}/deny", {}, 422, {"reason"}),
        (f"absences/{leave}/approve", {"accept_repair": "yes"}, 422, {"accept_repair"}),
        (f"absences/{leave}/approve", {"accept_repair": False}, 422, {"reason"}),
        (f"absences/{leave}/approve", {"accept_repair": True}, 409, {"proposal"}),
        ("absences/999999/approve", {"accept_repair": True}, 404, set()),
        (f"absences/{leave}/repair", {"work_limit": -1}, 422, {"work_limit"}),
        (
            "emergency",
            {"person_id": duties.night_before, "start": "2026-10-10", "end": "2026-10-01",
             "type": "sick"},
            422,
            {"end"},
        ),
        (
            "emergency",
            {"person_id": duties.night_before, "start": "2026-10-10", "type": "vacation"},
            422,
            {"type"},
        ),
        ("emergency", {"person_id": 999999, "start": "2026-10-10", "type": "sick"}, 422,
         {"person_id"}),
    ]  # fmt: skip
    got = []
    for path, body, _, _ in cases:
        answer = client.post(path, json=body)
        got.append((answer.status_code, error_fields(answer)))
    assert got == [(status, fields) for _, _, status, fields in cases]
    assert _counts(session_factory) == before
    assert queue.sent == []
