"""GET /schedules/{id}/candidates: who could take a shift, its errors naming the parameter, and
who may ask."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from resched.db.repositories import PeopleRepository
from tests.api.conftest import ClientAs, error_fields
from tests.today_data import Duties, store_demo_duties

pytestmark = pytest.mark.db


@pytest.fixture
def duties(session_factory: sessionmaker[Session]) -> Duties:
    return store_demo_duties(session_factory)


def _codes(factory: sessionmaker[Session]) -> dict[int, str]:
    with factory() as session:
        return {p.id or 0: p.code for p in PeopleRepository(session).in_year(0)}


def _url(duties: Duties, person: str, *, day: str | None = None, shift: str = "CALL") -> str:
    day = day or duties.day.isoformat()
    return f"schedules/{duties.plan.version_id}/candidates?person={person}&day={day}&shift={shift}"


def test_lists_the_candidates_fairest_first(
    client: TestClient, duties: Duties, session_factory: sessionmaker[Session]
) -> None:
    codes = _codes(session_factory)
    response = client.get(_url(duties, codes[duties.call]))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["person"] == codes[duties.call]
    assert body["shift"] == "CALL"
    found = [c["person"] for c in body["candidates"]]
    assert found
    assert codes[duties.call] not in found
    assert codes[duties.day_shift] not in found  # already on the ward that day
    keys = [(c["calls"], c["weekend_shifts"], c["holiday_shifts"]) for c in body["candidates"]]
    assert keys == sorted(keys)


def test_a_resident_may_ask_about_the_published_schedule(
    client_as: ClientAs, duties: Duties, session_factory: sessionmaker[Session]
) -> None:
    codes = _codes(session_factory)
    response = client_as("resident").get(_url(duties, codes[duties.call]))
    assert response.status_code == 200, response.text


def test_anonymous_is_refused(anonymous: TestClient, duties: Duties) -> None:
    assert anonymous.get(_url(duties, "x")).status_code == 401


@pytest.mark.parametrize(
    ("change", "status", "field"),
    [
        ({"person": "nobody"}, 404, "person"),
        ({"shift": "NOPE"}, 404, "shift"),
        ({"shift": "WARD"}, 422, "shift"),
        ({"day": "2030-01-01"}, 422, "day"),
        ({"day": "tomorrow"}, 422, "day"),
        ({"person": "bad code!"}, 422, "person"),
    ],
)
def test_bad_input_names_the_parameter(
    client: TestClient,
    duties: Duties,
    session_factory: sessionmaker[Session],
    change: dict[str, str],
    status: int,
    field: str,
) -> None:
    ask = {"person": _codes(session_factory)[duties.call], **change}
    response = client.get(_url(duties, ask.pop("person"), **ask))
    assert response.status_code == status, response.text
    assert any(field in f for f in error_fields(response)), response.text


def test_an_unknown_version_is_not_found(client: TestClient, duties: Duties) -> None:
    response = client.get(f"schedules/999/candidates?person=x&day={duties.day}&shift=CALL")
    assert response.status_code == 404
