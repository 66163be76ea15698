"""The OpenAPI document names the error codes each route can answer, all with the one error
shape (resched.api.responses); tests/api/test_schemathesis.py checks the answers against it."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from resched.api.errors import field_path
from resched.api.schemas.errors import ErrorOut

ERROR_REF = "#/components/schemas/ErrorOut"
PUBLIC = {("post", "/api/v1/auth/login"), ("post", "/api/v1/auth/refresh")}


def _operations(app: FastAPI) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, operation)
        for path, methods in app.openapi()["paths"].items()
        if path.startswith("/api/v1/")
        for method, operation in methods.items()
    ]


def _error_codes(operation: dict[str, Any]) -> set[int]:
    return {int(code) for code in operation["responses"] if code.startswith("4")}


def test_every_documented_error_has_the_one_error_shape(app: FastAPI) -> None:
    for method, path, operation in _operations(app):
        for code in _error_codes(operation):
            content = operation["responses"][str(code)]["content"]["application/json"]
            assert content["schema"] == {"$ref": ERROR_REF}, (method, path, code)


def test_routes_document_what_their_declaration_implies(app: FastAPI) -> None:
    for method, path, operation in _operations(app):
        codes = _error_codes(operation)
        if (method, path) not in PUBLIC:
            assert {401, 403} <= codes, (method, path)
        if "{" in path:
            assert {404, 422} <= codes, (method, path)
        if "requestBody" in operation:
            assert {400, 413, 422} <= codes, (method, path)


@pytest.mark.parametrize(
    ("method", "path", "codes"),
    [
        ("post", "/api/v1/auth/login", {401, 422, 429}),
        ("post", "/api/v1/auth/refresh", {401, 422}),
        ("post", "/api/v1/people", {409}),
        ("delete", "/api/v1/shift-types/{shift_type_id}", {409}),
        ("get", "/api/v1/jobs/{job_id}/result", {409}),
        ("get", "/api/v1/reports/fairness", {404}),
        ("post", "/api/v1/generations", {404, 409}),
    ],
)
def test_codes_only_the_services_know_are_declared(
    app: FastAPI, method: str, path: str, codes: set[int]
) -> None:
    assert codes <= _error_codes(app.openapi()["paths"][path][method])


def test_routes_on_the_database_document_its_outage(app: FastAPI) -> None:
    """resched.api.unavailable answers 503 in the one error shape (tests/faults)."""
    documented = app.openapi()["paths"]
    for path, method in (("/api/v1/people", "post"), ("/api/v1/auth/login", "post")):
        response = documented[path][method]["responses"]["503"]
        assert response["content"]["application/json"]["schema"] == {"$ref": ERROR_REF}


def test_reads_document_no_conflict(app: FastAPI) -> None:
    documented = app.openapi()["paths"]
    assert 409 not in _error_codes(documented["/api/v1/people/{person_id}"]["get"])
    assert 409 not in _error_codes(documented["/api/v1/compliance/validate"]["post"])


def test_error_answers_match_the_documented_shape(client: TestClient) -> None:
    for response in (client.get("people/12345"), client.get("people", params={"limit": 0})):
        assert response.status_code in (404, 422)
        ErrorOut.model_validate(response.json())


def test_field_paths_leave_out_a_union_tag_but_name_a_missing_field() -> None:
    body = {"scheme": {"kind": "explicit", "blocks": [{"start": "x"}]}, "name": "pgy"}
    assert field_path(("body", "scheme", "explicit", "blocks", 0, "start"), body) == (
        "scheme.blocks[0].start"
    )
    # "pgy" is a value sent, but here it names the field that was not sent.
    assert field_path(("body", "pgy"), body, missing=True) == "pgy"
    assert field_path(("body", "people", 2, "pgy"), None) == "people[2].pgy"
