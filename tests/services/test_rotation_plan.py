"""The rotation plan as data: reading a year's plan, and one cell changed by hand - in place,
audited, checked first (breaks need a confirmation, the published plan a reason), nothing
written on a refusal. On a pediatrics-like program (months, half blocks, a prerequisite, leave)
and on the demo."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session, sessionmaker

from resched.core.errors import Conflict, Invalid, NotFound
from resched.core.model import BlockAssignment, ScheduleStatus
from resched.core.solver.plan import PlanProblem, RotationPlan, check_plan
from resched.core.solver.plan.cell import CellChange, Effect, Kind
from resched.db.records import AuditEvent
from resched.db.repositories import RotationRepository
from resched.db.repositories.generation import block_assignments, set_status
from resched.services.audit import list_audit_events
from resched.services.generation import count_violations, publish_version
from resched.services.rotation_plan import (
    ACTION,
    check_plan_cell,
    edit_plan_cell,
    get_year_plan,
)
from tests.plan_data import StoredPlan, store_demo_plan, store_peds, store_plan

pytestmark = pytest.mark.db
Factory = sessionmaker[Session]


@pytest.fixture
def peds(session_factory: Factory) -> StoredPlan:
    return store_peds(session_factory)


def _edits(factory: Factory) -> list[AuditEvent]:
    events = list_audit_events(factory=factory, entity="schedule_version", limit=100).items
    return [e for e in events if e.action == ACTION]


def _cells(factory: Factory, version_id: int) -> list[BlockAssignment]:
    with factory() as session:
        return block_assignments(session, version_id)


def test_the_pediatrics_plan_reads_back_and_breaks_no_rule(
    session_factory: Factory, peds: StoredPlan
) -> None:
    plan = get_year_plan(factory=session_factory, academic_year_id=peds.year_id)
    assert plan.version is not None
    assert plan.version.id == peds.version_id
    assert plan.version.status is ScheduleStatus.PUBLISHED
    assert [p.id for p in plan.residents] == list(peds.residents)
    assert len(plan.year.blocks) == 12
    assert sorted(plan.assignments, key=repr) == sorted(peds.plan, key=repr)
    with session_factory() as session:
        rotations = tuple(RotationRepository(session).all())
    problem = PlanProblem(residents=plan.residents, rotations=rotations, blocks=plan.year.blocks)
    assert check_plan(problem, RotationPlan(plan.assignments)) == []


def test_a_draft_is_edited_in_place_and_audited(session_factory: Factory, peds: StoredPlan) -> None:
    draft = store_plan(session_factory, peds.year_id, list(peds.plan), ScheduleStatus.DRAFT)
    first = peds.residents[0]
    change = CellChange(first, 4, "CLIN", half=2, locked=True)  # Nursery month 4, 2nd half
    edit = edit_plan_cell(
        factory=session_factory,
        academic_year_id=peds.year_id,
        change=change,
        actor="chief",
        version_id=draft,
    )
    assert edit.saved
    assert edit.version.id == draft
    assert edit.check.breaks == ()
    cell = [
        c for c in _cells(session_factory, draft) if (c.person_id, c.block_number) == (first, 4)
    ]
    assert cell == [
        BlockAssignment(first, 4, "NURS", half=1),
        BlockAssignment(first, 4, "CLIN", half=2, locked=True),
    ]
    assert sorted(_cells(session_factory, peds.version_id), key=repr) == sorted(
        peds.plan, key=repr
    )  # the published plan is another version, untouched
    (event,) = _edits(session_factory)
    assert (event.actor, event.entity_id, event.reason) == ("chief", str(draft), None)
    assert event.before == {
        "person_id": first,
        "block": 4,
        "cells": [
            {"person_id": first, "block_number": 4, "rotation_code": "NURS", "half": None}
            | {"locked": False}
        ],
    }
    assert event.after is not None
    assert [c["rotation_code"] for c in event.after["cells"]] == ["NURS", "CLIN"]


def test_a_break_is_saved_only_when_confirmed(session_factory: Factory, peds: StoredPlan) -> None:
    # Month 2 already has two residents on Nursery: a third is over its maximum.
    change = CellChange(peds.residents[0], 2, "NURS")
    with pytest.raises(Invalid) as refused:
        edit_plan_cell(
            factory=session_factory,
            academic_year_id=peds.year_id,
            change=change,
            actor="chief",
            reason="cover a sick colleague",
        )
    assert refused.value.details["field"] == "confirm"
    assert (
        "block 2 (1st half): 3 PGY-1..3 residents on Nursery, more than its maximum of 2"
        in (refused.value.details["breaks"])
    )
    assert _edits(session_factory) == []
    assert sorted(_cells(session_factory, peds.version_id), key=repr) == sorted(peds.plan, key=repr)
    edit = edit_plan_cell(
        factory=session_factory,
        academic_year_id=peds.year_id,
        change=change,
        actor="chief",
        reason="cover a sick colleague",
        confirm=True,
    )
    assert edit.saved
    kinds = {(f.kind, f.effect) for f in edit.check.findings}
    assert (Kind.CAPACITY, Effect.BREAKS) in kinds
    # PICU in month 2 moved away: the resident's later PICU months no longer need it, but the
    # yearly count of PICU falls to 1, still within 1-2; Nursery rises to 4, within 2-4.
    assert (Kind.YEARLY, Effect.BREAKS) not in kinds
    (event,) = _edits(session_factory)
    assert event.reason is not None
    assert event.reason.startswith("saved with 2 rule(s) broken: cover a sick colleague")


def test_the_published_plan_changes_only_with_a_reason(
    session_factory: Factory, peds: StoredPlan
) -> None:
    change = CellChange(peds.residents[0], 1, "PW", locked=True)
    with pytest.raises(Invalid) as refused:
        edit_plan_cell(
            factory=session_factory, academic_year_id=peds.year_id, change=change, actor="c"
        )
    assert refused.value.details["field"] == "reason"
    assert _edits(session_factory) == []
    edit = edit_plan_cell(
        factory=session_factory,
        academic_year_id=peds.year_id,
        change=change,
        actor="c",
        reason="agreed with the resident",
    )
    assert edit.saved
    assert edit.check.after == (BlockAssignment(peds.residents[0], 1, "PW", locked=True),)
    assert BlockAssignment(peds.residents[0], 1, "PW", locked=True) in _cells(
        session_factory, peds.version_id
    )
    (event,) = _edits(session_factory)
    assert event.reason == "agreed with the resident"


def test_leave_and_prerequisite_breaks_in_words(session_factory: Factory, peds: StoredPlan) -> None:
    first = peds.residents[0]
    leave = check_plan_cell(
        factory=session_factory, academic_year_id=peds.year_id, change=CellChange(first, 4, "PW")
    )
    messages = [f.message for f in leave.check.breaks]
    assert any(
        m.startswith("Dr P1 (p1) is on approved leave")
        and m.endswith("Pediatric Wards is not leave-eligible")
        for m in messages
    ), messages
    assert not leave.saved
    # Month 1 is the first resident's only Wards before PICU in month 2.
    order = check_plan_cell(
        factory=session_factory, academic_year_id=peds.year_id, change=CellChange(first, 1, "CLIN")
    )
    assert (
        "Dr P1 (p1): PICU in block 2 (1st half) without a block of Pediatric Wards before it"
        in [f.message for f in order.check.breaks]
    )
    assert _edits(session_factory) == []


def test_an_edit_that_changes_nothing_is_not_audited(
    session_factory: Factory, peds: StoredPlan
) -> None:
    edit = edit_plan_cell(
        factory=session_factory,
        academic_year_id=peds.year_id,
        change=CellChange(peds.residents[0], 1, "PW"),
        actor="c",
    )
    assert not edit.saved
    assert not edit.check.changed
    assert _edits(session_factory) == []


def test_versions_that_cannot_be_edited(session_factory: Factory, peds: StoredPlan) -> None:
    change = CellChange(peds.residents[0], 1, "CLIN")
    with pytest.raises(NotFound):
        check_plan_cell(factory=session_factory, academic_year_id=999, change=change)
    with pytest.raises(NotFound) as unknown:
        check_plan_cell(
            factory=session_factory, academic_year_id=peds.year_id, change=change, version_id=999
        )
    assert unknown.value.details["field"] == "version_id"
    with session_factory.begin() as session:
        set_status(session, peds.version_id, ScheduleStatus.ARCHIVED)
    with pytest.raises(Conflict):
        check_plan_cell(
            factory=session_factory,
            academic_year_id=peds.year_id,
            change=change,
            version_id=peds.version_id,
        )
    with pytest.raises(Conflict):  # nothing left to edit: no published plan, no draft
        check_plan_cell(factory=session_factory, academic_year_id=peds.year_id, change=change)


def test_residents_see_no_draft(session_factory: Factory, peds: StoredPlan) -> None:
    draft = store_plan(session_factory, peds.year_id, list(peds.plan), ScheduleStatus.DRAFT)
    with pytest.raises(NotFound):
        get_year_plan(
            factory=session_factory,
            academic_year_id=peds.year_id,
            version_id=draft,
            include_drafts=False,
        )
    shown = get_year_plan(
        factory=session_factory, academic_year_id=peds.year_id, include_drafts=False
    )
    assert shown.version is not None
    assert shown.version.id == peds.version_id


def test_an_edit_of_the_demo_plan(session_factory: Factory) -> None:
    demo = store_demo_plan(session_factory)
    person = demo.residents[0]
    before = next(c for c in demo.plan if (c.person_id, c.block_number) == (person, 1))
    target = "ICU" if before.rotation_code != "ICU" else "WARDS"
    edit = edit_plan_cell(
        factory=session_factory,
        academic_year_id=demo.year_id,
        change=CellChange(person, 1, target),
        actor="chief",
        reason="swap agreed",
        confirm=True,
    )
    assert edit.saved
    assert edit.check.before == (before,)
    assert edit.check.after == (BlockAssignment(person, 1, target),)
    assert all(f.message for f in edit.check.findings)
    assert any(f.kind is Kind.CAPACITY for f in edit.check.findings)
    assert BlockAssignment(person, 1, target) in _cells(session_factory, demo.version_id)
    assert len(_edits(session_factory)) == 1


def test_a_draft_saved_with_breaks_is_published_only_with_a_reason(
    session_factory: Factory, peds: StoredPlan
) -> None:
    draft = store_plan(session_factory, peds.year_id, list(peds.plan), ScheduleStatus.DRAFT)
    assert count_violations(factory=session_factory, version_id=draft) == 0
    edit_plan_cell(
        factory=session_factory,
        academic_year_id=peds.year_id,
        change=CellChange(peds.residents[0], 2, "NURS"),
        actor="chief",
        confirm=True,
        version_id=draft,
    )
    assert count_violations(factory=session_factory, version_id=draft) == 2
    with pytest.raises(Invalid) as refused:
        publish_version(factory=session_factory, version_id=draft, actor="chief")
    assert refused.value.details["field"] == "reason"
    published = publish_version(
        factory=session_factory, version_id=draft, actor="chief", reason="agreed at the meeting"
    )
    assert published.violations == 2
