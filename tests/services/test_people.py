"""People: CRUD with PGY levels per academic year, validation, audit."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sqlalchemy.orm import Session, sessionmaker

from resched.core.errors import Conflict, Invalid, NotFound
from resched.core.model import Role
from resched.services import calendar, people
from resched.services.audit import list_audit_events
from tests import builders
from tests.generation_data import store_tiny, store_version

Factory = sessionmaker[Session]


@pytest.fixture
def year_id(session_factory: Factory) -> int:
    year = calendar.store_academic_year(factory=session_factory, year=builders.academic_year())
    assert year.id is not None
    return year.id


def test_create_get_update_delete(session_factory: Factory, year_id: int) -> None:
    created = people.create_person(
        factory=session_factory, profile=builders.resident("r1", year_id, 1), actor="coord"
    )
    assert created.id is not None
    assert people.get_person(factory=session_factory, person_id=created.id) == created

    promoted = dataclasses.replace(created, name="Renamed", pgy_by_year={year_id: 2})
    updated = people.update_person(
        factory=session_factory, person_id=created.id, profile=promoted, actor="coord"
    )
    assert (updated.name, updated.pgy_by_year) == ("Renamed", {year_id: 2})

    people.delete_person(factory=session_factory, person_id=created.id, actor="coord")
    with pytest.raises(NotFound):
        people.get_person(factory=session_factory, person_id=created.id)

    events = list_audit_events(factory=session_factory, entity="person").items
    assert [(e.action, e.actor) for e in events] == [
        ("create", "coord"),
        ("update", "coord"),
        ("delete", "coord"),
    ]
    assert events[1].before is not None
    assert events[1].after is not None
    assert events[1].before["pgy_by_year"] == {str(year_id): 1}
    assert events[1].after["pgy_by_year"] == {str(year_id): 2}
    assert events[2].after is None


def test_duplicate_code_is_a_conflict_naming_the_field(
    session_factory: Factory, year_id: int
) -> None:
    people.create_person(factory=session_factory, profile=builders.resident("r1"))
    with pytest.raises(Conflict) as caught:
        people.create_person(factory=session_factory, profile=builders.faculty("r1"))
    assert caught.value.details["field"] == "code"
    assert people.list_people(factory=session_factory).total == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"code": "bad code"}, "code"),
        ({"name": "  "}, "name"),
        ({"email": "nope"}, "email"),
        ({"pgy_by_year": {1: 0}}, "pgy_by_year"),
        ({"role": Role.FACULTY, "pgy_by_year": {1: 1}}, "pgy_by_year"),
        ({"pgy_by_year": {999_999: 1}}, "pgy_by_year"),
        ({"phone": "call me"}, "phone"),
        ({"phone": ""}, "phone"),
        ({"phone": "5" * 33}, "phone"),
        ({"pager": "12\n34"}, "pager"),
        ({"pager": "1234\n"}, "pager"),  # "$" alone would let a final newline through
    ],
)
def test_invalid_people_are_refused(
    session_factory: Factory, change: dict[str, object], field: str
) -> None:
    profile = dataclasses.replace(builders.resident("r1"), **change)  # type: ignore[arg-type]
    with pytest.raises(Invalid) as caught:
        people.create_person(factory=session_factory, profile=profile)
    assert caught.value.details["field"] == field
    assert people.list_people(factory=session_factory).total == 0


@pytest.mark.parametrize(
    ("role", "pgy", "words"), [(Role.RESIDENT, 11, "1 to 10"), (Role.FACULTY, 2, "only residents")]
)
def test_a_level_at_fault_names_its_year(
    session_factory: Factory, year_id: int, role: Role, pgy: int, words: str
) -> None:
    later = calendar.store_academic_year(
        factory=session_factory, year=builders.academic_year("2027-28", dt.date(2027, 7, 1))
    )
    levels = {year_id: 1, later.id or 0: pgy} if role is Role.RESIDENT else {later.id or 0: pgy}
    profile = dataclasses.replace(builders.resident("r1"), role=role, pgy_by_year=levels)
    with pytest.raises(Invalid) as caught:
        people.create_person(factory=session_factory, profile=profile)
    assert caught.value.details == {"field": "pgy_by_year", "academic_year_id": later.id}
    assert words in caught.value.message


def test_someone_in_a_schedule_is_not_deleted(session_factory: Factory) -> None:
    tiny = store_tiny(session_factory)
    store_version(session_factory, tiny)
    with pytest.raises(Conflict) as caught:
        people.delete_person(factory=session_factory, person_id=tiny.residents[0])
    assert caught.value.details["schedule_versions"] == 1
    assert "appears in 1 schedule version; deactivate them instead" in caught.value.message
    assert people.get_person(factory=session_factory, person_id=tiny.residents[0])
    events = list_audit_events(factory=session_factory, entity="person").items
    assert "delete" not in {e.action for e in events}


def test_code_cannot_change(session_factory: Factory) -> None:
    created = people.create_person(factory=session_factory, profile=builders.resident("r1"))
    with pytest.raises(Invalid) as caught:
        people.update_person(
            factory=session_factory,
            person_id=created.id or 0,
            profile=dataclasses.replace(created, code="r2"),
        )
    assert caught.value.details == {"field": "code"}


def test_unknown_ids_are_not_found(session_factory: Factory) -> None:
    with pytest.raises(NotFound):
        people.update_person(factory=session_factory, person_id=42, profile=builders.resident())
    with pytest.raises(NotFound):
        people.delete_person(factory=session_factory, person_id=42)
    assert list_audit_events(factory=session_factory).total == 0


def test_list_pages_and_filters(session_factory: Factory, year_id: int) -> None:
    for n in range(5):
        people.create_person(factory=session_factory, profile=builders.resident(f"r{n}", year_id))
    people.create_person(factory=session_factory, profile=builders.resident("r9"))
    people.create_person(factory=session_factory, profile=builders.faculty("f1"))

    page = people.list_people(factory=session_factory, limit=2, offset=2)
    assert (page.total, [p.code for p in page.items]) == (
        7,
        ["r1", "r2"],
    )  # f1, r0, | r1, r2 |, r3, ...
    in_year = people.list_people(factory=session_factory, academic_year_id=year_id)
    assert in_year.total == 5
    faculty = people.list_people(factory=session_factory, role=Role.FACULTY)
    assert [p.code for p in faculty.items] == ["f1"]
    with pytest.raises(Invalid) as caught:
        people.list_people(factory=session_factory, limit=201)
    assert caught.value.details == {"field": "limit"}
