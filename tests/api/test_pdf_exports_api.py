"""/schedules/{id}/compliance.pdf and /schedules/{id}/calls.pdf: real PDF files whose text
says what the JSON report says, the readers' permissions (drafts hidden from residents and
faculty), a 4xx naming the field for every bad parameter, and a second program (the sample
pediatrics program of tests/programs, set up through the API) with non-Latin names."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from resched.core.rules.names import RULE_NAMES
from resched.services import people
from tests.api.conftest import ClientAs, error_fields
from tests.api.test_compliance_api import publish_directly
from tests.core.builders import Doc
from tests.pdf_text import page_count, pdf_lines, pdf_text
from tests.programs import pediatrics as peds
from tests.schedule_data import store_program, troubled_doc

pytestmark = pytest.mark.db
Factory = sessionmaker[Session]
NOW = dt.datetime(2026, 8, 20, 15, 0, tzinfo=dt.UTC)
ZOE = "Nguyễn Thị Zoë"


@pytest.fixture
def version_id(app: FastAPI, client: TestClient, session_factory: Factory) -> int:
    app.state.clock = lambda: NOW
    stored = store_program(session_factory)
    ada = stored.person_ids["r1"]
    profile = people.get_person(factory=session_factory, person_id=ada)
    renamed = dataclasses.replace(profile, name=ZOE)
    people.update_person(factory=session_factory, person_id=ada, profile=renamed)
    document = troubled_doc()
    document["assignments"].append({"person": "r2", "date": "2026-07-25", "shift": "CALL"})
    response = client.post("schedules/import", json=document)
    assert response.status_code == 201, response.text
    return int(response.json()["version"]["id"])


def _pdf(response: Any, filename: str) -> bytes:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == f'attachment; filename="{filename}"'
    data: bytes = response.content
    assert data.startswith(b"%PDF-")
    return data


def test_the_compliance_pdf_says_what_the_report_says(client: TestClient, version_id: int) -> None:
    report = client.get(f"schedules/{version_id}/compliance").json()
    response = client.get(f"schedules/{version_id}/compliance.pdf")
    data = _pdf(response, f"compliance-{version_id}-20260701-20260811.pdf")
    text = pdf_text(data).replace("\n", " ")
    lines = pdf_lines(data)
    summary = report["summary"]
    assert f"Not compliant: {summary['violations']} violations" in text
    assert "Generated 2026-08-20 10:00 CDT by resched" in lines  # the program's zone
    for finding in report["findings"]:
        assert RULE_NAMES[finding["rule"]] in lines
        assert finding["message"][:30] in text
    assert f"{ZOE} PGY-1" in lines  # the chart, in the bundled font
    assert page_count(data) >= 2


def test_the_range_narrows_the_report(client: TestClient, version_id: int) -> None:
    week = {"start": "2026-07-20", "end": "2026-07-26"}
    data = _pdf(
        client.get(f"schedules/{version_id}/compliance.pdf", params=week),
        f"compliance-{version_id}-20260720-20260726.pdf",
    )
    assert "July 20, 2026 to July 26, 2026" in pdf_lines(data)


def test_the_calls_pdf_shows_the_months_on_call_shifts(client: TestClient, version_id: int) -> None:
    data = _pdf(
        client.get(f"schedules/{version_id}/calls.pdf", params={"month": "2026-07"}),
        f"calls-2026-07-v{version_id}.pdf",
    )
    assert page_count(data) == 1
    text = pdf_text(data).replace("\n", " ")
    assert "Call schedule, July 2026" in text
    assert "CALL: Ben Ode" in text
    assert "NIGHT:" not in text  # night float is not call (the print page's choice)
    assert "DAY:" not in text


@pytest.mark.parametrize("role", ["resident", "faculty"])
def test_drafts_are_hidden_until_published(
    client_as: ClientAs, version_id: int, session_factory: Factory, role: str
) -> None:
    member = client_as(role)
    for suffix in ("compliance.pdf", "calls.pdf?month=2026-07"):
        assert member.get(f"schedules/{version_id}/{suffix}").status_code == 404
    publish_directly(session_factory, version_id)
    for suffix in ("compliance.pdf", "calls.pdf?month=2026-07"):
        assert member.get(f"schedules/{version_id}/{suffix}").status_code == 200


def test_signed_out_is_401(anonymous: TestClient, version_id: int) -> None:
    assert anonymous.get(f"schedules/{version_id}/compliance.pdf").status_code == 401
    assert anonymous.get(f"schedules/{version_id}/calls.pdf").status_code == 401


@pytest.mark.parametrize(
    ("suffix", "params", "field"),
    [
        ("compliance.pdf", {"start": "2026-02-30"}, "start"),
        ("compliance.pdf", {"end": "20260701"}, "end"),
        ("compliance.pdf", {"start": "2026-07-10", "end": "2026-07-01"}, "end"),
        ("compliance.pdf", {"start": "2026-07-01", "end": "2028-07-10"}, "end"),
        ("compliance.pdf", {"start": "0001-01-01", "end": "0001-01-02"}, "start"),
        ("compliance.pdf", {"start": "9999-12-30", "end": "9999-12-31"}, "start"),
        ("compliance", {"start": "0001-01-01", "end": "0001-01-02"}, "start"),
        ("calls.pdf", {"month": "9999-12"}, "month"),
        ("calls.pdf", {"month": "0001-01"}, "month"),
        ("calls.pdf", {"month": "2026-13"}, "month"),
        ("calls.pdf", {"month": "0000-01"}, "month"),
        ("calls.pdf", {"month": "July"}, "month"),
    ],
)
def test_bad_parameters_name_the_field(
    client: TestClient, version_id: int, suffix: str, params: dict[str, str], field: str
) -> None:
    response = client.get(f"schedules/{version_id}/{suffix}", params=params)
    assert response.status_code == 422, response.text
    assert field in error_fields(response) or field in response.text


def test_unknown_versions_are_404(client: TestClient, version_id: int) -> None:
    for suffix in ("compliance.pdf", "calls.pdf"):
        assert client.get(f"schedules/{version_id + 1}/{suffix}").status_code == 404
        assert client.get(f"schedules/0/{suffix}").status_code == 422


def test_the_openapi_document_declares_pdf_and_every_status(app: FastAPI) -> None:
    paths = app.openapi()["paths"]
    for name in ("compliance.pdf", "calls.pdf"):
        responses = paths[f"/api/v1/schedules/{{version_id}}/{name}"]["get"]["responses"]
        assert "application/pdf" in responses["200"]["content"]
        assert {"401", "403", "404", "422"} <= set(responses)


def _ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def test_the_pediatrics_program_from_an_empty_database(app: FastAPI, client: TestClient) -> None:
    """tests/programs/pediatrics.py entered through the API (a PGY-1 renamed to a Vietnamese
    name), then a month imported by hand: q4 call broken by a call every other night."""
    app.state.clock = lambda: NOW
    _ok(client.put("program", json=peds.PROGRAM))
    year = _ok(client.post("academic-years", json=peds.ACADEMIC_YEAR), 201)
    for shift_type in peds.SHIFT_TYPES:
        _ok(client.post("shift-types", json=shift_type), 201)
    residents = peds.residents(year["id"])
    residents[0]["name"] = ZOE
    for person in residents + peds.FACULTY:
        _ok(client.post("people", json=person), 201)
    doc = Doc("2026-09-01", days=30, timezone=peds.PROGRAM["timezone"])
    doc.resident(residents[0]["code"], 1, ZOE).resident(residents[8]["code"], 2)
    doc.shift("CALL", "07:00", 1440, "in_house_call", 240).shift("WARD", "07:00", 600)
    doc.assign_days(residents[0]["code"], "CALL", range(0, 30, 2))
    doc.assign_days(residents[8]["code"], "WARD", range(0, 30, 2))
    doc.assign_days(residents[8]["code"], "CALL", range(1, 30, 4))
    version = _ok(client.post("schedules/import", json=doc.doc), 201)["version"]["id"]
    compliance = pdf_text(
        _pdf(
            client.get(f"schedules/{version}/compliance.pdf"),
            f"compliance-{version}-20260901-20260930.pdf",
        )
    ).replace("\n", " ")
    assert "Sample Pediatrics Residency" in compliance
    assert f"{ZOE} (PGY-1)" in compliance
    assert "How often in-house call comes (call-q3)" in compliance
    assert "Times in America/Denver" in compliance
    calls = pdf_text(
        _pdf(
            client.get(f"schedules/{version}/calls.pdf", params={"month": "2026-09"}),
            f"calls-2026-09-v{version}.pdf",
        )
    ).replace("\n", " ")
    assert f"CALL: {ZOE}" in calls
    assert "7  Holiday: Labor Day" in calls  # September 7, a US federal holiday
    assert "CALL: 24 h in-house call (07:00 for 24 h)" in calls
