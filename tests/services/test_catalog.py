"""Shift types, rotations and coverage requirements: CRUD, references by code, audit."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sqlalchemy.orm import Session, sessionmaker

from resched.core.errors import Conflict, Invalid, NotFound
from resched.core.model import Capacity, RequestKind, YearlyRequirement
from resched.db.tables import RequestRow
from resched.services import coverage, people, rotations, shift_types
from resched.services.audit import list_audit_events
from tests import builders

Factory = sessionmaker[Session]


def test_shift_type_crud_and_audit(session_factory: Factory) -> None:
    created = shift_types.create_shift_type(
        factory=session_factory, shift_type=builders.shift_type()
    )
    assert created.id is not None
    longer = dataclasses.replace(created, minutes=720, transition_minutes=60)
    assert (
        shift_types.update_shift_type(
            factory=session_factory, shift_type_id=created.id, shift_type=longer
        )
        == longer
    )
    assert shift_types.get_shift_type(factory=session_factory, shift_type_id=created.id) == longer
    shift_types.delete_shift_type(factory=session_factory, shift_type_id=created.id)
    assert shift_types.list_shift_types(factory=session_factory).total == 0
    events = list_audit_events(factory=session_factory, entity="shift_type").items
    assert [e.action for e in events] == ["create", "update", "delete"]
    assert all(e.actor == "system" and e.entity_id == str(created.id) for e in events)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"minutes": 0}, "minutes"),
        ({"minutes": 24 * 60 + 1}, "minutes"),
        ({"transition_minutes": 241}, "transition_minutes"),
        ({"supervised_by": ("ATT",)}, "supervised_by"),  # without requires_supervision
        ({"requires_supervision": True, "supervised_by": ("NOPE",)}, "supervised_by"),
    ],
)
def test_invalid_shift_types(
    session_factory: Factory, change: dict[str, object], field: str
) -> None:
    with pytest.raises(Invalid) as caught:
        shift_types.create_shift_type(
            factory=session_factory, shift_type=builders.shift_type("X", **change)
        )
    assert caught.value.details["field"] == field
    assert shift_types.list_shift_types(factory=session_factory).total == 0


def test_rotation_children_are_replaced(session_factory: Factory) -> None:
    shift_types.create_shift_type(factory=session_factory, shift_type=builders.shift_type("DAY"))
    created = rotations.create_rotation(factory=session_factory, rotation=builders.rotation("ICU"))
    assert created.id is not None
    changed = dataclasses.replace(
        created,
        capacities=(Capacity(2, 3, 0, 1), Capacity(1, 1, 1, 1)),
        # PGY 1 kept with new numbers (unique per rotation and PGY), PGY 2 dropped, 3 added.
        requirements=(YearlyRequirement(1, 2, 3), YearlyRequirement(3, 1, 1)),
    )
    rotations.update_rotation(factory=session_factory, rotation_id=created.id, rotation=changed)
    assert rotations.get_rotation(factory=session_factory, rotation_id=created.id) == changed


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"colour": "red"}, "colour"),
        ({"weekly_pattern": {8: ("DAY",)}}, "weekly_pattern"),
        ({"weekly_pattern": {1: ("NOPE",)}}, "weekly_pattern"),
        ({"not_adjacent_to": ("NOPE",)}, "not_adjacent_to"),
        ({"prerequisites": ("NOPE",)}, "prerequisites"),
        ({"prerequisites": ("ICU",)}, "prerequisites"),
        ({"capacities": (Capacity(2, 1, 0, 1),)}, "capacities[0]"),
        ({"capacities": (Capacity(1, 2, 3, 1),)}, "capacities[0]"),
        ({"requirements": (YearlyRequirement(1, 0, 1),) * 2}, "requirements"),
        ({"requirements": (YearlyRequirement(1, 2, 1),)}, "requirements[0]"),
    ],
)
def test_invalid_rotations(session_factory: Factory, change: dict[str, object], field: str) -> None:
    shift_types.create_shift_type(factory=session_factory, shift_type=builders.shift_type("DAY"))
    with pytest.raises(Invalid) as caught:
        rotations.create_rotation(
            factory=session_factory, rotation=builders.rotation("ICU", **change)
        )
    assert caught.value.details["field"] == field
    assert rotations.list_rotations(factory=session_factory).total == 0


def test_codes_in_use_cannot_be_deleted(session_factory: Factory) -> None:
    day = shift_types.create_shift_type(
        factory=session_factory, shift_type=builders.shift_type("DAY")
    )
    icu = rotations.create_rotation(factory=session_factory, rotation=builders.rotation("ICU"))
    rule = coverage.create_coverage_requirement(
        factory=session_factory,
        coverage=builders.coverage_rule(
            "DAY",
            eligibility=dataclasses.replace(
                builders.coverage_rule().eligibility, rotations=frozenset({"ICU"})
            ),
        ),
    )
    with pytest.raises(Conflict) as caught:
        shift_types.delete_shift_type(factory=session_factory, shift_type_id=day.id or 0)
    assert set(caught.value.details["used_by"]) == {
        "rotation ICU",
        f"coverage requirement {rule.id}",
    }
    with pytest.raises(Conflict):
        rotations.delete_rotation(factory=session_factory, rotation_id=icu.id or 0)
    coverage.delete_coverage_requirement(factory=session_factory, coverage_id=rule.id or 0)
    rotations.delete_rotation(factory=session_factory, rotation_id=icu.id or 0)
    shift_types.delete_shift_type(factory=session_factory, shift_type_id=day.id or 0)


def test_requests_hold_shift_types_and_rotations_and_are_counted(
    session_factory: Factory,
) -> None:
    """Foreign keys hold them too (requests, schedules, plans): the refusal counts them."""
    day = shift_types.create_shift_type(
        factory=session_factory, shift_type=builders.shift_type("DAY")
    )
    icu = rotations.create_rotation(factory=session_factory, rotation=builders.rotation("ICU"))
    person = people.create_person(factory=session_factory, profile=builders.resident())
    start = dt.date(2026, 8, 3)
    with session_factory.begin() as session:
        session.add_all(
            RequestRow(
                person_id=person.id,
                kind=RequestKind.SHIFT_OFF,
                start_date=start,
                end_date=start,
                shift_type_id=day.id,
            )
            for _ in range(2)
        )
        session.add(
            RequestRow(
                person_id=person.id,
                kind=RequestKind.ROTATION,
                start_date=start,
                end_date=start,
                rotation_id=icu.id,
            )
        )
    with pytest.raises(Conflict) as caught:
        shift_types.delete_shift_type(factory=session_factory, shift_type_id=day.id or 0)
    assert caught.value.details["used_by"] == ["rotation ICU", "2 requests"]
    with pytest.raises(Conflict) as caught:
        rotations.delete_rotation(factory=session_factory, rotation_id=icu.id or 0)
    assert caught.value.details["used_by"] == ["1 request"]


def test_a_prerequisite_in_use_cannot_be_deleted(session_factory: Factory) -> None:
    shift_types.create_shift_type(factory=session_factory, shift_type=builders.shift_type("DAY"))
    wards = rotations.create_rotation(factory=session_factory, rotation=builders.rotation("WARDS"))
    icu = rotations.create_rotation(
        factory=session_factory, rotation=builders.rotation("ICU", prerequisites=("WARDS",))
    )
    assert icu.prerequisites == ("WARDS",)
    with pytest.raises(Conflict) as caught:
        rotations.delete_rotation(factory=session_factory, rotation_id=wards.id or 0)
    assert caught.value.details["used_by"] == ["rotation ICU"]
    rotations.delete_rotation(factory=session_factory, rotation_id=icu.id or 0)
    rotations.delete_rotation(factory=session_factory, rotation_id=wards.id or 0)


def test_coverage_crud(session_factory: Factory) -> None:
    shift_types.create_shift_type(factory=session_factory, shift_type=builders.shift_type("DAY"))
    shift_types.create_shift_type(factory=session_factory, shift_type=builders.shift_type("NIGHT"))
    rule = coverage.create_coverage_requirement(
        factory=session_factory, coverage=builders.coverage_rule("DAY")
    )
    assert rule.id is not None
    moved = dataclasses.replace(rule, shift_code="NIGHT", weekdays=frozenset({6, 7}))
    assert (
        coverage.update_coverage_requirement(
            factory=session_factory, coverage_id=rule.id, coverage=moved
        )
        == moved
    )
    assert coverage.list_coverage_requirements(factory=session_factory).items == (moved,)
    with pytest.raises(NotFound):
        coverage.get_coverage_requirement(factory=session_factory, coverage_id=rule.id + 1)


_OCT_28 = frozenset({dt.date(2026, 10, 28)})


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"shift_code": "NOPE"}, "shift_code"),
        ({"weekdays": frozenset()}, "weekdays"),
        ({"weekdays": frozenset({0})}, "weekdays"),
        ({"min_count": 3, "max_count": 2}, "max_count"),
        ({"max_count": 0, "min_count": 0}, "max_count"),
        ({"dates": _OCT_28, "except_dates": _OCT_28}, "except_dates"),
        ({"dates": frozenset({dt.date(2026, 10, 31)})}, "dates"),  # a Saturday; rule is Mon-Fri
    ],
)
def test_invalid_coverage(session_factory: Factory, change: dict[str, object], field: str) -> None:
    shift_types.create_shift_type(factory=session_factory, shift_type=builders.shift_type("DAY"))
    with pytest.raises(Invalid) as caught:
        coverage.create_coverage_requirement(
            factory=session_factory,
            coverage=builders.coverage_rule(**{"shift_code": "DAY", **change}),  # type: ignore[arg-type]
        )
    assert caught.value.details["field"] == field
