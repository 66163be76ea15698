"""Optimistic concurrency (issue 17): two coordinators read the same item, both save; the
second is refused (StaleEdit, a Conflict) instead of overwriting, nothing of it is written
and nothing is audited. On the demo and on the pediatrics program."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy.orm import Session, sessionmaker

from resched.core.errors import Conflict
from resched.db.tables import PersonRow, ShiftTypeRow
from resched.services import absences, people, rotations, shift_types
from resched.services import program as program_service
from resched.services.audit import list_audit_events
from resched.services.common import write
from resched.services.versions import Edited, StaleEdit, program_version, version_of
from tests import builders
from tests.web.programs import PROGRAMS, store_program

Factory = sessionmaker[Session]


def _audited(factory: Factory, entity: str, item_id: int) -> int:
    return list_audit_events(factory=factory, entity=entity, entity_id=item_id).total


@pytest.mark.parametrize("program", PROGRAMS)
def test_second_of_two_person_edits_read_at_the_same_version_is_refused(
    session_factory: Factory, program: str
) -> None:
    stored = store_program(session_factory, program)
    person_id = stored.resident_ids[0]
    seen_by_a = version_of(factory=session_factory, kind=Edited.PERSON, item_id=person_id)
    seen_by_b = version_of(factory=session_factory, kind=Edited.PERSON, item_id=person_id)
    profile = people.get_person(factory=session_factory, person_id=person_id)
    audited = _audited(session_factory, "person", person_id)

    people.update_person(
        factory=session_factory,
        person_id=person_id,
        profile=dataclasses.replace(profile, name="Saved by A"),
        actor="coordinator A",
        expected_version=seen_by_a,
    )
    with pytest.raises(StaleEdit) as refused:
        people.update_person(
            factory=session_factory,
            person_id=person_id,
            profile=dataclasses.replace(profile, name="Lost by B", email="b@example.org"),
            actor="coordinator B",
            expected_version=seen_by_b,
        )

    assert refused.value.details["current_version"] == seen_by_a + 1
    assert "Someone else changed this person" in refused.value.message
    kept = people.get_person(factory=session_factory, person_id=person_id)
    assert (kept.name, kept.email) == ("Saved by A", profile.email)
    assert _audited(session_factory, "person", person_id) == audited + 1  # A's save only


@pytest.mark.parametrize("program", PROGRAMS)
def test_a_rotation_edit_that_only_changes_children_still_moves_the_version(
    session_factory: Factory, program: str
) -> None:
    store_program(session_factory, program)
    rotation = rotations.list_rotations(factory=session_factory).items[0]
    assert rotation.id is not None
    before = version_of(factory=session_factory, kind=Edited.ROTATION, item_id=rotation.id)
    rotations.update_rotation(
        factory=session_factory,
        rotation_id=rotation.id,
        rotation=rotation,
        expected_version=before,
    )
    assert version_of(factory=session_factory, kind=Edited.ROTATION, item_id=rotation.id) == (
        before + 1
    )
    with pytest.raises(StaleEdit):
        rotations.delete_rotation(
            factory=session_factory, rotation_id=rotation.id, expected_version=before
        )
    assert rotations.get_rotation(factory=session_factory, rotation_id=rotation.id) == rotation


def test_stale_delete_of_a_shift_type_and_an_absence_is_refused(session_factory: Factory) -> None:
    store_program(session_factory, "demo")
    shift = shift_types.list_shift_types(factory=session_factory).items[-1]
    assert shift.id is not None
    version = version_of(factory=session_factory, kind=Edited.SHIFT_TYPE, item_id=shift.id)
    shift_types.update_shift_type(
        factory=session_factory,
        shift_type_id=shift.id,
        shift_type=dataclasses.replace(shift, name="Renamed"),
    )  # no version sent: accepted, and the version still moves on
    with pytest.raises(StaleEdit):
        shift_types.delete_shift_type(
            factory=session_factory, shift_type_id=shift.id, expected_version=version
        )

    person_id = people.list_people(factory=session_factory, limit=1).items[0].id
    assert person_id is not None
    absence = absences.create_absence(factory=session_factory, absence=builders.absence(person_id))
    assert absence.id is not None
    first = version_of(factory=session_factory, kind=Edited.ABSENCE, item_id=absence.id)
    absences.update_absence(
        factory=session_factory,
        absence_id=absence.id,
        absence=dataclasses.replace(absence, note="moved"),
        expected_version=first,
    )
    with pytest.raises(StaleEdit):
        absences.delete_absence(
            factory=session_factory, absence_id=absence.id, expected_version=first
        )
    assert absences.get_absence(factory=session_factory, absence_id=absence.id).note == "moved"


def test_program_settings_saved_meanwhile_refuse_the_stale_form(session_factory: Factory) -> None:
    store_program(session_factory, "pediatrics")
    current = program_service.get_program(factory=session_factory)
    seen = program_version(factory=session_factory)
    settings = {
        "name": current.name,
        "timezone": current.timezone,
        "rules": current.rules,
        "freeze_horizon_days": 3,
    }
    program_service.update_program(factory=session_factory, **settings, expected_version=seen)
    with pytest.raises(StaleEdit):
        program_service.update_program(
            factory=session_factory,
            **{**settings, "freeze_horizon_days": 9},
            expected_version=seen,
        )
    assert program_service.get_program(factory=session_factory).freeze_horizon_days == 3


def test_two_sessions_racing_on_one_row_cannot_both_win(session_factory: Factory) -> None:
    """The ORM's version check itself: both transactions read version v before either
    writes; the second UPDATE matches no row and the write helper turns it into a Conflict."""
    store_program(session_factory, "demo")
    with session_factory() as first:
        row_a = first.query(ShiftTypeRow).order_by(ShiftTypeRow.id).first()
        assert row_a is not None
        with (  # noqa: PT012 - the race is the whole block
            pytest.raises(Conflict, match="at the same moment"),
            write(session_factory) as second,
        ):
            row_b = second.get(ShiftTypeRow, row_a.id)
            assert row_b is not None
            assert row_b.row_version == row_a.row_version
            row_a.name = "A wins"
            first.commit()
            row_b.name = "B loses"
    with session_factory() as check:
        saved = check.get(ShiftTypeRow, row_a.id)
        assert saved is not None
        assert saved.name == "A wins"


def test_new_rows_start_at_version_one(session_factory: Factory) -> None:
    store_program(session_factory, "pediatrics")
    with session_factory() as session:
        versions = {row.row_version for row in session.query(PersonRow)}
    assert versions == {1}
