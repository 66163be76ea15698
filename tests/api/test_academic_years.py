"""/academic-years: from an empty database to years of every block scheme, their holidays,
the 422s naming the request's fields with nothing written, and the 409 on deleting a year
that holds schedule versions."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from resched.core.model import Program, ScheduleStatus
from resched.db.repositories.schedule import ScheduleVersionRepository
from resched.db.tables import AcademicYearRow, AuditEventRow, HolidayRow
from resched.services import calendar
from resched.services.audit import list_audit_events
from resched.services.generation.outcome import GenerationKind
from resched.services.generation.specs import GenerationRequest, PlanSpec, ShiftSpec, make_spec
from tests.api.conftest import ClientAs, error_fields

FOUR_WEEKS = {
    "label": "2026-27",
    "start": "2026-07-01",
    "scheme": {"kind": "four_weeks", "blocks": 13},
    "us_federal_holidays": True,
}
MONTHS_SCHEME = {"scheme": {"kind": "calendar_months"}}
MONTHS = {"label": "2027-28", "start": "2027-07-01", **MONTHS_SCHEME}
EXPLICIT = {
    "label": "2028-29",
    "start": "2028-07-01",
    "end": "2029-06-30",
    "scheme": {
        "kind": "explicit",
        "blocks": [
            {"start": "2028-07-01", "end": "2028-07-07"},
            {"start": "2028-07-08", "end": "2029-06-30"},
        ],
    },
    "holidays": [{"day": "2028-12-24", "name": "Christmas Eve"}],
}


def _create(client: TestClient, body: dict[str, Any]) -> dict[str, Any]:
    response = client.post("academic-years", json=body)
    assert response.status_code == 201, response.json()
    created: dict[str, Any] = response.json()
    return created


def test_a_program_from_an_empty_database_gets_years_of_every_scheme(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    calendar.save_program(factory=session_factory, program=Program(name="Pediatrics"))
    four = _create(client, FOUR_WEEKS)
    assert (four["end"], four["scheme"], four["block_count"]) == ("2027-06-30", "four_weeks", 13)
    assert four["blocks"][12] | {"halves": []} == {
        "number": 13,
        "name": "Block 13",
        "start": "2027-06-02",
        "end": "2027-06-30",
        "days": 29,
        "halves": [],
    }
    assert four["blocks"][0]["halves"] == [
        {"start": "2026-07-01", "end": "2026-07-14"},
        {"start": "2026-07-15", "end": "2026-07-28"},
    ]
    named = {h["day"]: h["name"] for h in four["holidays"]}
    assert named["2026-07-03"] == "Independence Day"  # 4 July 2026 is a Saturday
    assert named["2026-11-26"] == "Thanksgiving Day"
    assert named["2027-06-18"] == "Juneteenth National Independence Day"
    assert len(named) == 11
    months = _create(client, MONTHS)
    assert [b["name"] for b in months["blocks"][:2]] == ["July 2027", "August 2027"]
    assert (months["block_count"], months["holidays"]) == (12, [])
    explicit = _create(client, EXPLICIT)
    assert [(b["start"], b["end"]) for b in explicit["blocks"]] == [
        ("2028-07-01", "2028-07-07"),
        ("2028-07-08", "2029-06-30"),
    ]
    listed = client.get("academic-years").json()
    assert [y["label"] for y in listed] == ["2026-27", "2027-28", "2028-29"]
    assert client.get(f"academic-years/{four['id']}").json() == four
    assert client.get(f"academic-years/{four['id']}/blocks").json() == four["blocks"]
    assert client.get(f"academic-years/{explicit['id']}/holidays").json() == explicit["holidays"]
    # A resident can be given a PGY level for the new year, and generation finds the year.
    person = {"code": "r1", "name": "Ada", "role": "resident"}
    years = [{"academic_year_id": months["id"], "pgy": 1}]
    assert client.post("people", json={**person, "years": years}).status_code == 201
    for year in (four, months, explicit):
        request = GenerationRequest(GenerationKind.PLAN, year=year["label"])
        spec = make_spec(factory=session_factory, request=request)
        assert isinstance(spec, PlanSpec)
        assert (spec.year_id, spec.year_label) == (year["id"], year["label"])
        shifts = GenerationRequest(GenerationKind.SHIFTS, year=year["label"], block=2)
        block_spec = make_spec(factory=session_factory, request=shifts)
        assert isinstance(block_spec, ShiftSpec)
        assert str(block_spec.start) == year["blocks"][1]["start"]


def _blocks(*spans: tuple[str, str]) -> dict[str, Any]:
    return {"kind": "explicit", "blocks": [{"start": s, "end": e} for s, e in spans]}


BAD = [
    (
        {"scheme": _blocks(("2028-07-01", "2028-07-07"), ("2028-07-09", "2029-06-30"))},
        "scheme.blocks[1].start",
    ),
    (
        {"scheme": _blocks(("2028-07-01", "2028-07-07"), ("2028-07-07", "2029-06-30"))},
        "scheme.blocks[1].start",
    ),
    ({"scheme": _blocks(("2028-07-02", "2029-06-30"))}, "scheme.blocks[0].start"),
    ({"scheme": _blocks(("2028-07-01", "2029-06-29"))}, "scheme.blocks[0].end"),
    ({"scheme": _blocks(("2028-07-01", "2028-06-30"))}, "scheme.blocks[0].end"),
    ({"holidays": [{"day": "2029-07-04"}]}, "holidays[0].day"),
    ({"holidays": [{"day": "2028-12-25"}, {"day": "2028-12-25"}]}, "holidays[1].day"),
    ({"scheme": {"kind": "four_weeks", "blocks": 20}}, "scheme.blocks"),
    ({"scheme": {"kind": "four_weeks", "blocks": 6}}, "scheme.blocks"),
    ({"end": "2028-06-30"}, "end"),
    ({"end": "2030-06-30"}, "end"),
    (
        {"start": "2026-10-01", "end": "2027-09-30", "scheme": MONTHS["scheme"]},
        "start",
    ),  # overlaps 2026-27
    ({"label": "2026-27"}, "label"),
    ({"label": "  "}, "label"),
    ({"start": "0001-01-01", "end": None}, "start"),
    ({"start": "9999-12-31", "end": None}, "start"),
    (
        {"us_federal_holidays": True, "start": "2019-07-01", "end": None, **MONTHS_SCHEME},
        "us_federal_holidays",
    ),
    # Refused by the schema: the path names the request's fields, not the union's tag.
    ({"scheme": _blocks(("2028-07-01", "July 7th"))}, "scheme.blocks[0].end"),
    ({"scheme": {"kind": "four_weeks", "blocks": "13"}}, "scheme.blocks"),
    ({"scheme": {"kind": "explicit"}}, "scheme.blocks"),
]


@pytest.mark.parametrize(("change", "field"), BAD)
def test_bad_years_are_422_naming_the_field_and_write_nothing(
    client: TestClient, session_factory: sessionmaker[Session], change: dict[str, Any], field: str
) -> None:
    _create(client, FOUR_WEEKS)
    body = {**EXPLICIT, "holidays": [], **change}
    with session_factory() as session:
        before = [session.scalar(select(func.count()).select_from(t)) for t in _COUNTED]
    response = client.post("academic-years", json=body)
    assert response.status_code == 422, response.json()
    assert field in error_fields(response)
    with session_factory() as session:
        assert [session.scalar(select(func.count()).select_from(t)) for t in _COUNTED] == before


_COUNTED = (AcademicYearRow, HolidayRow, AuditEventRow)


def test_holidays_are_added_removed_and_the_federal_ones_added_once(client: TestClient) -> None:
    year = _create(client, MONTHS)
    path = f"academic-years/{year['id']}/holidays"
    added = client.post(path, json={"day": "2027-11-26", "name": "Day after Thanksgiving"})
    assert added.status_code == 201, added.json()
    assert error_fields(client.post(path, json={"day": "2027-11-26"})) == {"day"}
    assert error_fields(client.post(path, json={"day": "2028-07-01"})) == {"day"}
    first = client.post(f"{path}/us-federal")
    assert first.status_code == 200, first.json()
    assert len(first.json()) == 12
    again = client.post(f"{path}/us-federal").json()
    assert again == first.json()
    assert {h["day"]: h["name"] for h in again}["2027-12-31"] == "New Year's Day"
    holiday_id = added.json()["id"]
    assert client.delete(f"{path}/{holiday_id}").status_code == 204
    assert client.delete(f"{path}/{holiday_id}").status_code == 404
    assert len(client.get(path).json()) == 11
    other = _create(client, FOUR_WEEKS)
    some = client.get(f"academic-years/{other['id']}/holidays").json()[0]
    assert client.delete(f"{path}/{some['id']}").status_code == 404
    assert client.get("academic-years/999/holidays").status_code == 404


@pytest.mark.parametrize("status", [ScheduleStatus.PUBLISHED, ScheduleStatus.DRAFT])
def test_a_year_holding_a_schedule_is_409_else_deleted(
    client: TestClient, session_factory: sessionmaker[Session], status: ScheduleStatus
) -> None:
    held, free = _create(client, FOUR_WEEKS), _create(client, MONTHS)
    with session_factory.begin() as session:
        ScheduleVersionRepository(session).add(
            academic_year_id=held["id"], label="v1", status=status
        )
    refused = client.delete(f"academic-years/{held['id']}")
    assert refused.status_code == 409, refused.json()
    assert status.value in refused.json()["error"]["message"]
    assert client.get(f"academic-years/{held['id']}").status_code == 200
    assert client.delete(f"academic-years/{free['id']}").status_code == 204
    assert client.get(f"academic-years/{free['id']}").status_code == 404
    assert client.delete(f"academic-years/{free['id']}").status_code == 404


def test_every_write_is_audited_and_residents_only_read(
    client: TestClient, client_as: ClientAs, session_factory: sessionmaker[Session]
) -> None:
    year = _create(client, MONTHS)
    path = f"academic-years/{year['id']}"
    holiday = client.post(f"{path}/holidays", json={"day": "2027-08-02"}).json()
    client.post(f"{path}/holidays/us-federal")
    client.delete(f"{path}/holidays/{holiday['id']}")
    client.delete(path)
    events = list_audit_events(factory=session_factory, entity="academic_year").items
    assert sorted(e.action for e in events) == [
        "add_holiday",
        "add_us_federal_holidays",
        "create",
        "delete",
        "remove_holiday",
    ]
    resident = client_as("resident")
    assert resident.get("academic-years").status_code == 200
    assert resident.post("academic-years", json=FOUR_WEEKS).status_code == 403
