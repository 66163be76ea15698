"""POST /schedules/{id}/contingency/backups: a suggested backup put on the program's jeopardy
shift in one step, on the demo (BACKUP) and the pediatrics-like program (JEOP): 201 with the
change (in the history, undone by /changes/{id}/undo); a frozen day without an override, a new
violation, no jeopardy shift and bad input are 422 naming the field, a shift already held 409,
anyone but a coordinator 403 - and nothing is written then."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from tests.api.conftest import ClientAs, error_fields
from tests.contingency_data import POOL_STORES, Pools, set_jeopardy, with_jeopardy
from tests.services.test_contingency_backups import code_of, suggested
from tests.today_data import version_rows

pytestmark = pytest.mark.db
Factory = sessionmaker[Session]


def _at(app: FastAPI, day: dt.date) -> None:
    noon = dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.UTC)
    app.state.clock = lambda: noon


def _ready(app: FastAPI, factory: Factory, program: str) -> tuple[Pools, dict[str, Any]]:
    """The pools, a jeopardy shift, today a month before the week, and the suggestion's body."""
    pools = POOL_STORES[program](factory)
    with_jeopardy(factory)
    _at(app, pools.start - dt.timedelta(days=30))
    row = suggested(factory, pools)
    return pools, {"person": row["backup"]["code"], "day": row["day"], "out": row["out"]["code"]}


def _url(pools: Pools) -> str:
    return f"schedules/{pools.version_id}/contingency/backups"


@pytest.mark.parametrize("program", sorted(POOL_STORES))
def test_a_backup_is_added_listed_and_undone(
    client: TestClient, app: FastAPI, session_factory: Factory, program: str
) -> None:
    pools, body = _ready(app, session_factory, program)
    shift = with_jeopardy(session_factory)
    before = version_rows(session_factory, pools.version_id)
    response = client.post(_url(pools), json=body)
    assert response.status_code == 201, response.text
    change = response.json()
    assert change["kind"] == "edit"
    assert change["summary"].endswith(f"on {body['day']} (contingency)")
    assert [(i["op"], i["person"], i["day"], i["shift"]) for i in change["items"]] == [
        ("add", body["person"], body["day"], shift)
    ]
    history = client.get(f"schedules/{pools.version_id}/changes").json()
    assert [c["id"] for c in history["items"]] == [change["id"]]
    again = client.post(_url(pools), json=body)
    assert again.status_code == 409
    assert "already holds" in again.json()["error"]["message"]
    undone = client.post(f"changes/{change['id']}/undo", json={})
    assert undone.status_code == 201, undone.text
    assert version_rows(session_factory, pools.version_id) == before


@pytest.mark.parametrize("program", sorted(POOL_STORES))
def test_refusals_name_the_field_and_write_nothing(
    client: TestClient, app: FastAPI, session_factory: Factory, program: str
) -> None:
    pools, body = _ready(app, session_factory, program)
    before = version_rows(session_factory, pools.version_id)
    call = code_of(session_factory, pools.duties.call)
    cases: list[tuple[dict[str, Any], str]] = [
        ({**body, "person": call, "day": pools.start.isoformat()}, "add"),  # a violation
        ({**body, "person": "nobody"}, "person"),
        ({**body, "day": "2026-13-01"}, "day"),
        ({**body, "override": {"reason": "whim"}}, "override.reason"),
    ]
    for sent, field in cases:
        refused = client.post(_url(pools), json=sent)
        assert refused.status_code in (404, 422), refused.text  # an unknown person: 404
        assert field in error_fields(refused)
    violation = client.post(_url(pools), json=cases[0][0])
    assert "would break a rule" in violation.json()["error"]["message"]
    _at(app, pools.start)  # the week is frozen now
    frozen = client.post(_url(pools), json=body)
    assert frozen.status_code == 422
    assert error_fields(frozen) == {"override"}
    assert version_rows(session_factory, pools.version_id) == before
    with_override = {**body, "override": {"reason": "coverage_gap"}}
    assert client.post(_url(pools), json=with_override).status_code == 201


def test_no_jeopardy_shift_and_other_roles_are_refused(
    client: TestClient, client_as: ClientAs, app: FastAPI, session_factory: Factory
) -> None:
    pools, body = _ready(app, session_factory, "pediatrics")
    before = version_rows(session_factory, pools.version_id)
    for role in ("resident", "faculty"):
        assert client_as(role).post(_url(pools), json=body).status_code == 403
    set_jeopardy(session_factory, "")
    refused = client.post(_url(pools), json=body)
    assert refused.status_code == 422
    assert error_fields(refused) == {"jeopardy_shift"}
    assert client.post("schedules/999999/contingency/backups", json=body).status_code == 404
    assert version_rows(session_factory, pools.version_id) == before
