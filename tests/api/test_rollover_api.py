"""POST /academic-years/{id}/next and .../next/preview: the preview and the real thing agree,
the new year and its levels are stored, the old year's record is unchanged to the byte, bad
input is a 422 naming the field (CSV: row and column), a second next year a 409, and a
refusal writes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from tests.api.conftest import error_fields
from tests.rollover_data import levels_in, peds_program, record_of, row_counts

pytestmark = pytest.mark.db

BODY = {
    "incoming": [{"code": "ped1c", "name": "Ivy Nolan", "email": "ivy@example.org"}],
    "incoming_csv": "code,name,email,pgy\nped2c,Otto Ray,otto@example.org,2\n",
    "leaving": ["ped1b"],
}


def test_preview_then_start_the_next_year(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    stored = peds_program(session_factory)
    before = record_of(session_factory, stored.version_id)
    counts = row_counts(session_factory)
    preview = client.post(f"academic-years/{stored.year_id}/next/preview", json=BODY)
    assert preview.status_code == 200, preview.json()
    assert row_counts(session_factory) == counts
    plan = preview.json()
    assert (plan["label"], plan["start"], plan["end"]) == ("2027-28", "2027-07-01", "2028-06-30")
    assert (plan["scheme"], plan["block_count"], plan["final_pgy"]) == ("calendar_months", 12, 3)
    assert plan["counts"] == {
        "promoted": 3,
        "graduated": 2,
        "leaving": 1,
        "incoming": 2,
        "faculty": 1,
    }
    assert plan["dated_coverage"] == ["Thanksgiving ward"]
    assert plan["academic_year"] is None
    started = client.post(f"academic-years/{stored.year_id}/next", json=BODY)
    assert started.status_code == 201, started.json()
    result = started.json()
    year = result.pop("academic_year")
    assert result == {k: v for k, v in plan.items() if k != "academic_year"}
    assert (year["label"], len(year["holidays"])) == ("2027-28", 11)
    assert levels_in(session_factory, year["id"]) == {
        "ped1a": 2,
        "ped2a": 3,
        "ped2b": 3,
        "ped1c": 1,
        "ped2c": 2,
    }
    assert client.get(f"academic-years/{year['id']}").json() == year
    assert record_of(session_factory, stored.version_id) == before
    again = client.post(f"academic-years/{stored.year_id}/next", json={})
    assert again.status_code == 409, again.json()
    assert "2027-28" in again.json()["error"]["message"]


BAD: list[tuple[dict[str, Any], str, dict[str, Any]]] = [
    ({"incoming_csv": "a1,A,,1\na2,B,,7\n"}, "incoming_csv", {"row": 2, "column": "pgy"}),
    ({"incoming_csv": "a1,A,,1\nA1,B,,1\n"}, "incoming_csv", {"row": 2, "column": "code"}),
    ({"incoming_csv": "a1,A,x@e.org,1\na2,B,x@e.org,1\n"}, "incoming_csv", {"column": "email"}),
    ({"incoming_csv": "a1,A,,one\n"}, "incoming_csv", {"row": 1, "column": "pgy"}),
    ({"incoming": [{"code": "a1", "name": "A", "pgy": 4}]}, "incoming[0].pgy", {}),
    ({"incoming": [{"code": "a1", "name": "A", "pgy": 11}]}, "incoming[0].pgy", {}),
    ({"incoming": [{"code": "ped3a", "name": "A"}]}, "incoming[0].code", {}),
    (
        {"incoming": [{"code": "a1", "name": "A"}, {"code": "a1", "name": "B"}]},
        "incoming[1].code",
        {},
    ),
    ({"incoming": [{"code": "a1", "name": "A", "email": "nope"}]}, "incoming[0].email", {}),
    ({"leaving": ["zz9"]}, "leaving[0]", {}),
    ({"final_pgy": 2}, "final_pgy", {}),
    ({"start": "2027-06-01"}, "start", {}),
    ({"scheme": {"kind": "four_weeks", "blocks": 6}}, "scheme.blocks", {}),
    ({"label": "2026-27"}, "label", {}),
    ({"surprise": 1}, "surprise", {}),
]


@pytest.mark.parametrize(("body", "field", "extra"), BAD)
@pytest.mark.parametrize("route", ["next", "next/preview"])
def test_bad_input_is_422_at_its_field_and_writes_nothing(
    client: TestClient,
    session_factory: sessionmaker[Session],
    route: str,
    body: dict[str, Any],
    field: str,
    extra: dict[str, Any],
) -> None:
    stored = peds_program(session_factory)
    counts = row_counts(session_factory)
    response = client.post(f"academic-years/{stored.year_id}/{route}", json=body)
    assert response.status_code == 422, response.json()
    assert error_fields(response) == {field}
    details = response.json()["error"]["details"]
    assert {k: details[k] for k in extra} == extra
    assert row_counts(session_factory) == counts


def test_an_unknown_year_is_404(client: TestClient, session_factory: sessionmaker[Session]) -> None:
    peds_program(session_factory)
    assert client.post("academic-years/999/next", json={}).status_code == 404
