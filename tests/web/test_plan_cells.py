"""/plan/cell: a coordinator opens a cell of the Block plan, previews what a change breaks in
words (htmx), and saves it (a break needs "save anyway", the published plan a reason); other
roles see no edit controls and get 403. On the pediatrics-like program and on the demo."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from resched.db.repositories.generation import block_assignments
from resched.services.audit import list_audit_events
from resched.services.rotation_plan import ACTION
from tests.plan_data import StoredPlan, store_demo_plan, store_peds
from tests.web.conftest import WebApp
from tests.web.htmlcheck import parse
from tests.web.test_sign_in import csrf_of

pytestmark = pytest.mark.db
HTMX = {"HX-Request": "true"}


@pytest.fixture
def peds(web: WebApp) -> StoredPlan:
    return store_peds(web.session_factory)


def _form_url(plan: StoredPlan, person: int, block: int) -> str:
    return f"/plan/cell?year_id={plan.year_id}&person_id={person}&block={block}"


def _data(client: TestClient, plan: StoredPlan, person: int, block: int, **fields: str) -> Any:
    token = csrf_of(client.get(_form_url(plan, person, block)))
    base = {"year_id": str(plan.year_id), "person_id": str(person), "block": str(block)}
    return {"csrf_token": token, **base, **fields}


def _edits(web: WebApp) -> int:
    events = list_audit_events(factory=web.session_factory, limit=100).items
    return sum(1 for e in events if e.action == ACTION)


def _rotation(web: WebApp, plan: StoredPlan, person: int, block: int) -> list[tuple[str, bool]]:
    with web.session_factory() as session:
        cells = block_assignments(session, plan.version_id)
    return [
        (c.rotation_code, c.locked)
        for c in cells
        if (c.person_id, c.block_number) == (person, block)
    ]


def test_a_coordinator_opens_a_cell_from_the_plan(web: WebApp, peds: StoredPlan) -> None:
    page = web.client.get("/plan")
    assert page.status_code == 200
    link = _form_url(peds, peds.residents[0], 2)
    assert link.replace("&", "&amp;") in page.text
    assert 'hx-target="#cell-editor"' in page.text
    fragment = web.client.get(link, headers=HTMX)
    assert fragment.status_code == 200
    html = parse(fragment.text)
    assert "<html" not in fragment.text  # a fragment for the page
    assert "Block 2 of Dr P1" in html.text
    assert 'hx-post="/plan/cell/check"' in fragment.text
    assert '<option value="PICU" selected>' in fragment.text
    assert "Part of the block" in fragment.text  # Nursery and Clinic allow half blocks
    full = web.client.get(link)
    assert "<html" in full.text
    assert "Back to the block plan" in full.text


def test_the_preview_says_what_breaks_in_words(web: WebApp, peds: StoredPlan) -> None:
    first = peds.residents[0]
    data = _data(web.client, peds, first, 2, rotation="NURS")
    preview = web.client.post("/plan/cell/check", data=data, headers=HTMX)
    assert preview.status_code == 200
    text = parse(preview.text).text
    assert "What this change breaks (2)" in text
    assert "block 2 (1st half): 3 PGY-1..3 residents on Nursery, more than its maximum of 2" in (
        text
    )
    assert "Save anyway" in text
    harmless = web.client.post(
        "/plan/cell/check", data={**data, "rotation": "PICU", "locked": "on"}, headers=HTMX
    )
    assert "This change breaks no rule." in parse(harmless.text).text
    unknown = web.client.post("/plan/cell/check", data={**data, "rotation": "NOPE"}, headers=HTMX)
    assert unknown.status_code == 200
    assert "No rotation has the code 'NOPE'." in parse(unknown.text).text
    assert _edits(web) == 0


def test_saving_a_break_needs_save_anyway_and_a_reason(web: WebApp, peds: StoredPlan) -> None:
    first = peds.residents[0]
    data = _data(web.client, peds, first, 2, rotation="NURS")
    no_reason = web.client.post("/plan/cell", data=data, follow_redirects=False)
    assert no_reason.status_code == 422
    assert "The published plan changes only with a reason" in parse(no_reason.text).text
    unconfirmed = web.client.post(
        "/plan/cell", data={**data, "reason": "sick cover"}, follow_redirects=False
    )
    assert unconfirmed.status_code == 422
    text = parse(unconfirmed.text).text
    assert "tick “Save anyway” to save it" in text
    assert "more than its maximum of 2" in text  # the findings next to the refusal
    assert _edits(web) == 0
    assert _rotation(web, peds, first, 2) == [("PICU", False)]
    saved = web.client.post(
        "/plan/cell",
        data={**data, "reason": "sick cover", "confirm": "on", "locked": "on"},
        follow_redirects=False,
    )
    assert saved.status_code == 303, saved.text
    assert saved.headers["location"] == f"/plan?year=2026-27&notice=cell#person-{first}"
    assert _rotation(web, peds, first, 2) == [("NURS", True)]
    assert _edits(web) == 1
    page = web.client.get(saved.headers["location"])
    assert "The cell was saved." in page.text
    assert "(locked)" in parse(page.text).text


@pytest.mark.parametrize("role", ["resident", "faculty"])
def test_other_roles_see_no_edit_controls(web: WebApp, peds: StoredPlan, role: str) -> None:
    member = web.client_as(role)
    page = member.get("/plan")
    assert page.status_code == 200
    assert "/plan/cell" not in page.text
    assert "cell-editor" in page.text  # the empty slot is harmless; no links point to it
    assert member.get(_form_url(peds, peds.residents[0], 2)).status_code == 403
    token = csrf_of(page)
    data = {"csrf_token": token, "year_id": str(peds.year_id), "person_id": "1", "block": "1"}
    assert member.post("/plan/cell", data={**data, "rotation": "PW"}).status_code == 403
    assert member.post("/plan/cell/check", data=data).status_code == 403
    assert _edits(web) == 0


def test_unknown_cells_are_404(web: WebApp, peds: StoredPlan) -> None:
    assert web.client.get(_form_url(peds, 99999, 1)).status_code == 404
    assert web.client.get(_form_url(peds, peds.residents[0], 13)).status_code == 404


def test_a_cell_of_the_demo_plan(web: WebApp) -> None:
    demo = store_demo_plan(web.session_factory)
    person = demo.residents[0]
    fragment = web.client.get(_form_url(demo, person, 1), headers=HTMX)
    assert fragment.status_code == 200
    assert "Part of the block" not in fragment.text  # no demo rotation allows half blocks
    data = _data(web.client, demo, person, 1, rotation="ICU", reason="swap", confirm="on")
    preview = web.client.post("/plan/cell/check", data=data, headers=HTMX)
    text = parse(preview.text).text
    assert "residents on ICU" in text  # the block's ICU places, before and after
    saved = web.client.post("/plan/cell", data=data, follow_redirects=False)
    assert saved.status_code == 303, saved.text
    assert _rotation(web, demo, person, 1) == [("ICU", False)]
