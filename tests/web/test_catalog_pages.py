"""/program/shift-types, /program/rotations, /program/coverage: coordinators add, edit and
delete through the same services and audit as the API; bad input shows at its field and
nothing is written; a shift type in use is not deleted and the page says who uses it; other
roles read the lists without the forms and are refused every change."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from resched.core.model import HolidayRule, ShiftKind
from resched.services.audit import list_audit_events
from resched.services.coverage import list_coverage_requirements
from resched.services.rotations import list_rotations
from resched.services.shift_types import list_shift_types
from tests.web.conftest import WebApp
from tests.web.htmlcheck import parse
from tests.web.seed import Seeded
from tests.web.test_sign_in import csrf_of

pytestmark = pytest.mark.db

SHIFT = {
    "code": "CLINIC",
    "name": "Clinic",
    "start": "08:00",
    "hours": "8.5",
    "kind": "work",
    "transition_hours": "0",
    "supervised_by": "",
}
ROTATION = {
    "code": "PEDS",
    "name": "Pediatrics",
    "colour": "#59a14f",
    "pattern_1": "CALL",
    "pattern_3": "NIGHT, CALL",
    "capacities": "1: 1-2\n2-3: 1",
    "requirements": "1: 1\n2: 0-2",
    "weekly_quotas": "",
    "prerequisites": "WARDS",
    "not_adjacent_to": "PEDS ICU",
    "leave_eligible": "on",
}
COVERAGE: dict[str, Any] = {
    "name": "Clinic closed on holidays",
    "shift_code": "CALL",
    "weekdays": ["1", "2", "3", "4", "5"],
    "min_count": "1",
    "max_count": "2",
    "holidays": "not_on_holidays",
    "roles": ["resident"],
    "pgy_min": "2",
    "pgy_max": "",
    "rotations": "WARDS",
    "credentials": "BLS",
    "dates": "",
    "except_dates": "2026-12-24",
}


def _post(client: TestClient, path: str, data: dict[str, Any]) -> Any:
    token = csrf_of(client.get("/program"))
    return client.post(path, data={"csrf_token": token, **data}, follow_redirects=False)


def _refused(web: WebApp, slug: str, body: dict[str, Any], field: str, words: str) -> int:
    """Post a bad form: the page again, the field marked, the message said; the status."""
    response = _post(web.client, f"/program/{slug}", body)
    assert response.status_code in (409, 422)
    page = parse(response.text)
    control = page.by_id(field)
    assert control is not None, response.text
    marked = control.attrs.get("aria-invalid") == "true" or "has-error" in control.attrs.get(
        "class", ""
    )
    assert marked or page.by_id(f"{field}-error") is not None, control.attrs
    assert words.lower() in page.text.lower(), page.text
    return int(response.status_code)


def _events(web: WebApp, entity: str) -> list[str]:
    events = list_audit_events(factory=web.session_factory, entity=entity).items
    return [e.action for e in events]


def test_a_coordinator_adds_edits_and_deletes_a_shift_type(
    seeded: tuple[WebApp, Seeded],
) -> None:
    web, _ = seeded
    assert "/program/shift-types" in web.client.get("/program").text
    added = _post(web.client, "/program/shift-types", SHIFT)
    assert added.status_code == 303, added.text
    page = web.client.get(added.headers["location"])
    assert "The shift type was added." in page.text
    shift = next(
        s for s in list_shift_types(factory=web.session_factory).items if s.code == "CLINIC"
    )
    assert (shift.start, shift.minutes, shift.kind) == (dt.time(8), 510, ShiftKind.WORK)
    form = web.client.get(f"/program/shift-types/{shift.id}")
    assert parse(form.text).by_id("f-hours") is not None
    assert 'value="8:30"' in form.text
    changed = {**SHIFT, "hours": "10", "requires_supervision": "on", "supervised_by": "CALL"}
    assert _post(web.client, f"/program/shift-types/{shift.id}", changed).status_code == 303
    again = next(s for s in list_shift_types(factory=web.session_factory).items if s.id == shift.id)
    assert (again.minutes, again.supervised_by) == (600, ("CALL",))
    assert _post(web.client, f"/program/shift-types/{shift.id}/delete", {}).status_code == 303
    assert _events(web, "shift_type") == ["create", "update", "delete"]


def test_a_shift_type_in_use_is_kept_and_the_page_says_who_uses_it(
    seeded: tuple[WebApp, Seeded],
) -> None:
    web, _ = seeded
    call = next(s for s in list_shift_types(factory=web.session_factory).items if s.code == "CALL")
    refused = _post(web.client, f"/program/shift-types/{call.id}/delete", {})
    assert refused.status_code == 409
    text = parse(refused.text).text
    assert "Shift type CALL is in use: coverage requirement" in text
    assert "coverage requirement" in text
    assert _events(web, "shift_type") == []


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"code": "has space"}, "f-code", "a code is"),
        ({"code": "CALL"}, "f-code", "with this code exists"),  # a duplicate code
        ({"start": "25:00"}, "f-start", "local time"),
        ({"hours": "25"}, "f-hours", "1 to 1440 minutes"),
        ({"hours": "ten"}, "f-hours", "Enter hours"),
        ({"kind": "nap"}, "f-kind", "what kind of duty"),
        ({"supervised_by": "CALL"}, "f-supervised_by", "only a shift that requires supervision"),
        ({"requires_supervision": "on", "supervised_by": "NOPE"}, "f-supervised_by", "NOPE"),
    ],
)
def test_bad_shift_types_show_at_their_field_and_write_nothing(
    seeded: tuple[WebApp, Seeded], change: dict[str, str], field: str, words: str
) -> None:
    web, _ = seeded
    before = list_shift_types(factory=web.session_factory).total
    _refused(web, "shift-types", {**SHIFT, **change}, field, words)
    assert list_shift_types(factory=web.session_factory).total == before
    assert _events(web, "shift_type") == []


def test_a_coordinator_adds_and_edits_a_rotation_with_its_whole_shape(
    seeded: tuple[WebApp, Seeded],
) -> None:
    web, _ = seeded
    assert _post(web.client, "/program/rotations", ROTATION).status_code == 303
    peds = next(r for r in list_rotations(factory=web.session_factory).items if r.code == "PEDS")
    assert peds.weekly_pattern == {1: ("CALL",), 3: ("NIGHT", "CALL")}
    assert [(c.pgy_min, c.pgy_max, c.min_count, c.max_count) for c in peds.capacities] == [
        (1, 1, 1, 2),
        (2, 3, 1, 1),
    ]
    assert [(r.pgy, r.min_blocks, r.max_blocks) for r in peds.requirements] == [
        (1, 1, 1),
        (2, 0, 2),
    ]
    assert (peds.prerequisites, peds.not_adjacent_to) == (("WARDS",), ("PEDS", "ICU"))
    assert peds.leave_eligible
    # The edit form shows what is stored; saving it unchanged keeps everything.
    form = web.client.get(f"/program/rotations/{peds.id}").text
    assert "2-3: 1" in form
    quota = {**ROTATION, "weekly_quotas": "CALL NIGHT: 0-2", "leave_eligible": ""}
    assert _post(web.client, f"/program/rotations/{peds.id}", quota).status_code == 303
    again = next(r for r in list_rotations(factory=web.session_factory).items if r.id == peds.id)
    assert [q.shift_codes for q in again.weekly_quotas] == [("CALL", "NIGHT")]
    assert not again.leave_eligible
    assert again.capacities == peds.capacities
    assert "Pediatrics" in web.client.get("/program/rotations").text
    assert _events(web, "rotation") == ["create", "update"]


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"pattern_2": "NOPE"}, "f-weekly_pattern", "unknown code(s): NOPE"),
        ({"capacities": "1: 3-1"}, "f-capacities", "min_count"),
        ({"capacities": "1 2"}, "f-capacities", "Line 1"),
        ({"capacities": "0: 1"}, "f-capacities", "PGY levels run from 1"),
        ({"requirements": "1: 1\n1: 2"}, "f-requirements", "one requirement per PGY"),
        ({"prerequisites": "PEDS"}, "f-prerequisites", "its own prerequisite"),
        ({"not_adjacent_to": "NOPE"}, "f-not_adjacent_to", "NOPE"),
        ({"colour": "blue"}, "f-colour", "#rrggbb"),
        ({"code": "AMB", "prerequisites": "", "not_adjacent_to": ""}, "f-code", "code exists"),
    ],
)
def test_bad_rotations_show_at_their_field_and_write_nothing(
    seeded: tuple[WebApp, Seeded], change: dict[str, str], field: str, words: str
) -> None:
    web, _ = seeded
    before = list_rotations(factory=web.session_factory).total
    _refused(web, "rotations", {**ROTATION, **change}, field, words)
    assert list_rotations(factory=web.session_factory).total == before
    assert _events(web, "rotation") == []


def test_a_coordinator_adds_a_coverage_rule_not_on_holidays_and_edits_it(
    seeded: tuple[WebApp, Seeded],
) -> None:
    web, _ = seeded
    assert _post(web.client, "/program/coverage", COVERAGE).status_code == 303
    rule = next(
        c
        for c in list_coverage_requirements(factory=web.session_factory).items
        if c.name == COVERAGE["name"]
    )
    assert rule.holidays is HolidayRule.NOT_ON_HOLIDAYS
    assert rule.weekdays == frozenset(range(1, 6))
    assert (rule.eligibility.pgy_min, rule.eligibility.credentials) == (2, frozenset({"BLS"}))
    assert rule.except_dates == frozenset({dt.date(2026, 12, 24)})
    listed = web.client.get("/program/coverage").text
    assert "Monday to Friday except Thu 24 Dec 2026, not on holidays" in listed
    only = {**COVERAGE, "holidays": "holidays_only", "weekdays": [str(d) for d in range(1, 8)]}
    assert _post(web.client, f"/program/coverage/{rule.id}", only).status_code == 303
    edited = web.client.get(f"/program/coverage/{rule.id}").text
    assert '<option value="holidays_only" selected>' in edited
    assert _post(web.client, f"/program/coverage/{rule.id}/delete", {}).status_code == 303
    assert _events(web, "coverage_requirement") == ["create", "update", "delete"]


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"shift_code": "NOPE"}, "f-shift_code", "unknown shift type"),
        ({"weekdays": []}, "f-weekdays", "one or more ISO weekdays"),
        ({"weekdays": ["8"]}, "f-weekdays", "Monday to Sunday"),
        ({"min_count": "3", "max_count": "2"}, "f-max_count", "min_count"),
        ({"min_count": "-1"}, "f-min_count", "whole number"),
        ({"pgy_min": "3", "pgy_max": "2"}, "f-pgy_max", "below pgy_min"),
        ({"rotations": "NOPE"}, "f-rotations", "NOPE"),
        ({"dates": "2026-13-01"}, "f-dates", "not a date"),
        ({"holidays": "sometimes"}, "f-holidays", "holidays"),
        ({"roles": ["janitor"]}, "f-roles", "residents, faculty"),
    ],
)
def test_bad_coverage_rules_show_at_their_field_and_write_nothing(
    seeded: tuple[WebApp, Seeded], change: dict[str, Any], field: str, words: str
) -> None:
    web, _ = seeded
    before = list_coverage_requirements(factory=web.session_factory).total
    assert _refused(web, "coverage", {**COVERAGE, **change}, field, words) == 422
    assert list_coverage_requirements(factory=web.session_factory).total == before
    assert _events(web, "coverage_requirement") == []


@pytest.mark.parametrize("role", ["resident", "faculty"])
def test_other_roles_read_the_lists_and_change_nothing(
    seeded: tuple[WebApp, Seeded], role: str
) -> None:
    web, _ = seeded
    client = web.client_as(role)
    call = next(s for s in list_shift_types(factory=web.session_factory).items if s.code == "CALL")
    for slug, body in (("shift-types", SHIFT), ("rotations", ROTATION), ("coverage", COVERAGE)):
        page = client.get(f"/program/{slug}")
        assert page.status_code == 200
        assert "Add a " not in page.text
        assert "Delete" not in page.text
        assert client.get(f"/program/{slug}/new").status_code == 403
        assert _post(client, f"/program/{slug}", body).status_code == 403
    assert client.get(f"/program/shift-types/{call.id}").status_code == 403
    assert _post(client, f"/program/shift-types/{call.id}", SHIFT).status_code == 403
    assert _post(client, f"/program/shift-types/{call.id}/delete", {}).status_code == 403
    assert list_audit_events(factory=web.session_factory).total == 0


def test_an_unknown_entry_is_a_404(seeded: tuple[WebApp, Seeded]) -> None:
    web, _ = seeded
    assert web.client.get("/program/rotations/999999").status_code == 404
    assert _post(web.client, "/program/coverage/999999", COVERAGE).status_code == 404


def test_the_coverage_form_reads_the_rule_back_in_words(seeded: tuple[WebApp, Seeded]) -> None:
    """The sentence under the form (htmx refreshes it as the form changes); nothing saved."""
    web, _ = seeded
    reading = _post(web.client, "/program/coverage/preview", COVERAGE)
    assert reading.status_code == 200
    text = parse(reading.text).text
    assert "Monday to Friday except Thu 24 Dec 2026, not on holidays: 1 to 2" in text
    unfinished = _post(web.client, "/program/coverage/preview", {**COVERAGE, "max_count": ""})
    assert "not a rule yet (1 field to complete)" in parse(unfinished.text).text
    new = web.client.get("/program/coverage/new")
    preview = parse(new.text).by_id("coverage-preview")
    assert preview is not None
    assert "Reads: Monday to Friday: 1 resident on CALL." in preview.text
    assert (
        _post(web.client_as("resident"), "/program/coverage/preview", COVERAGE).status_code == 403
    )
    assert list_audit_events(factory=web.session_factory).total == 0


def test_a_rotation_in_the_plan_or_named_by_a_rule_is_kept(seeded: tuple[WebApp, Seeded]) -> None:
    web, _ = seeded
    wards = next(r for r in list_rotations(factory=web.session_factory).items if r.code == "WARDS")
    refused = _post(web.client, f"/program/rotations/{wards.id}/delete", {})
    assert refused.status_code == 409
    alert = parse(refused.text).text
    assert "Rotation WARDS is in use: coverage requirement" in alert
    assert any(r.id == wards.id for r in list_rotations(factory=web.session_factory).items)
    assert _events(web, "rotation") == []


def test_a_rotation_only_the_plan_holds_is_kept_with_a_reason(
    seeded: tuple[WebApp, Seeded],
) -> None:
    web, _ = seeded
    amb = next(r for r in list_rotations(factory=web.session_factory).items if r.code == "AMB")
    refused = _post(web.client, f"/program/rotations/{amb.id}/delete", {})
    assert refused.status_code == 409, refused.text
    row = parse(refused.text).by_id(f"item-{amb.id}")
    assert row is not None
    assert re.search(r"Rotation AMB is in use: \d+ rotation plan cells\.", row.text), row.text
    assert any(r.id == amb.id for r in list_rotations(factory=web.session_factory).items)
