"""The matrix on the pages: every role reads the program and the plan; absences on a person's
page are shown to that person and to coordinators only."""

from __future__ import annotations

import pytest

from tests.web.conftest import WebApp
from tests.web.seed import Seeded

pytestmark = pytest.mark.db


@pytest.mark.parametrize("role", ["resident", "faculty", "coordinator", "admin"])
def test_every_role_reads_the_program_and_the_plan(
    seeded: tuple[WebApp, Seeded], role: str
) -> None:
    web, ids = seeded
    client = web.client_as(role)
    person = f"/people/{ids.first_resident_id}"
    paths = ("/", "/today", "/program", "/plan", person, "/rotations.css", "/people", "/absences")
    for path in (*paths, "/program/generation"):
        assert client.get(path).status_code == 200, (role, path)


@pytest.mark.parametrize("role", ["resident", "faculty"])
def test_the_edit_forms_are_for_coordinators(seeded: tuple[WebApp, Seeded], role: str) -> None:
    web, ids = seeded
    client = web.client_as(role)
    for path in ("/people/new", f"/people/{ids.first_resident_id}/edit"):
        assert client.get(path).status_code == 403, (role, path)
        assert web.client.get(path).status_code == 200, path


def test_absences_show_to_their_person_and_to_coordinators_only(
    seeded: tuple[WebApp, Seeded],
) -> None:
    web, ids = seeded
    path = f"/people/{ids.first_resident_id}"
    hidden = "Absences are shown to the person and to coordinators."
    own = web.client_as("resident", person_id=ids.first_resident_id).get(path).text
    other = web.client_as("resident").get(path).text
    coordinator = web.client.get(path).text
    assert hidden in other
    assert "Vacation" not in other
    for text in (own, coordinator):
        assert hidden not in text
        assert "Vacation" in text


def test_a_refusal_says_in_words_what_the_role_cannot_do(seeded: tuple[WebApp, Seeded]) -> None:
    web, _ids = seeded
    response = web.client_as("resident").get("/people/new")
    assert response.status_code == 403
    assert "Your role (resident) cannot change the people." in response.text
    assert "people:write" not in response.text


def test_every_permission_has_words() -> None:
    from resched.services.permissions import PERMISSION_WORDS, Permission

    assert set(PERMISSION_WORDS) == set(Permission)
