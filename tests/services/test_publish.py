"""Publishing (validated, archives the year's published version, audited, reason required for
violations), the diff of two versions. Generations in the background: test_generation_runs.py."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session, sessionmaker

from resched.core.errors import Conflict, Invalid, NotFound
from resched.core.model import Assignment, BlockAssignment, ScheduleStatus
from resched.services.audit import list_audit_events
from resched.services.generation import (
    ChangeKind,
    diff_blocks,
    diff_shifts,
    diff_versions,
    publish_version,
)
from resched.services.schedules import get_schedule
from tests.generation_data import Tiny, store_tiny, store_version

pytestmark = pytest.mark.db
Factory = sessionmaker[Session]
D = dt.date(2026, 7, 6)


@pytest.fixture
def tiny(session_factory: Factory) -> Tiny:
    return store_tiny(session_factory)


def _calls_every_day(tiny: Tiny, days: int = 7) -> list[Assignment]:
    """One resident on 24-h call every day: rest-after-24h, call-q3 and more."""
    return [Assignment(tiny.residents[0], D + dt.timedelta(days=i), "CALL") for i in range(days)]


def _one_call_each(tiny: Tiny) -> list[Assignment]:
    return [Assignment(tiny.residents[i % 4], D + dt.timedelta(days=i), "CALL") for i in range(7)]


def test_publish_archives_the_old_version_and_is_audited(
    session_factory: Factory, tiny: Tiny
) -> None:
    old = store_version(session_factory, tiny, status=ScheduleStatus.PUBLISHED)
    draft = store_version(session_factory, tiny, shifts=_one_call_each(tiny))

    result = publish_version(factory=session_factory, version_id=draft, actor="chief")

    assert (result.archived_id, result.violations) == (old, 0)
    assert result.version.status is ScheduleStatus.PUBLISHED
    assert result.version.published_at is not None
    assert get_schedule(factory=session_factory, version_id=old).status is ScheduleStatus.ARCHIVED
    events = list_audit_events(factory=session_factory, entity="schedule_version").items
    assert sorted((e.action, e.entity_id, e.reason) for e in events) == [
        ("archive", str(old), f"replaced by version {draft}"),
        ("publish", str(draft), None),
    ]
    with pytest.raises(Conflict, match="only a draft"):
        publish_version(factory=session_factory, version_id=draft, actor="chief")
    with pytest.raises(NotFound):
        publish_version(factory=session_factory, version_id=draft + 100, actor="chief")


def test_a_draft_with_violations_needs_a_reason(session_factory: Factory, tiny: Tiny) -> None:
    draft = store_version(session_factory, tiny, shifts=_calls_every_day(tiny))

    with pytest.raises(Invalid, match="needs a reason") as refused:
        publish_version(factory=session_factory, version_id=draft, actor="chief", reason="  ")
    assert refused.value.details["field"] == "reason"
    count = refused.value.details["violations"]
    assert count > 0
    assert get_schedule(factory=session_factory, version_id=draft).status is ScheduleStatus.DRAFT

    result = publish_version(
        factory=session_factory, version_id=draft, actor="chief", reason="Agreed with the PD"
    )
    assert result.violations == count
    (event,) = list_audit_events(factory=session_factory, entity="schedule_version").items
    assert event.reason == f"published with {count} violation(s): Agreed with the PD"


def test_diff_shifts_and_blocks_per_person_and_date() -> None:
    old = [Assignment(1, D, "CALL"), Assignment(2, D, "DAY"), Assignment(3, D, "DAY")]
    new = [Assignment(1, D, "DAY"), Assignment(3, D, "DAY"), Assignment(4, D, "CALL")]
    changes = diff_shifts(new, old)
    assert [(c.person_id, c.before, c.after, c.kind) for c in changes] == [
        (1, ("CALL",), ("DAY",), ChangeKind.CHANGED),
        (2, ("DAY",), (), ChangeKind.REMOVED),
        (4, (), ("CALL",), ChangeKind.ADDED),
    ]
    blocks = diff_blocks(
        [BlockAssignment(1, 2, "ICU", half=1), BlockAssignment(1, 2, "WARDS", half=2)],
        [BlockAssignment(1, 2, "WARDS"), BlockAssignment(1, 3, "WARDS")],
    )
    assert [(c.block, c.before, c.after, c.kind) for c in blocks] == [
        (2, ("WARDS",), ("ICU (half 1)", "WARDS (half 2)"), ChangeKind.CHANGED),
        (3, ("WARDS",), (), ChangeKind.REMOVED),
    ]


def test_diff_versions_against_the_published_one(session_factory: Factory, tiny: Tiny) -> None:
    published = _one_call_each(tiny)
    store_version(session_factory, tiny, status=ScheduleStatus.PUBLISHED, shifts=published)
    moved = [Assignment(tiny.residents[3], D, "CALL"), *published[1:]]
    plan = [
        BlockAssignment(pid, n, "ELEC" if (pid, n) == (tiny.residents[0], 5) else "WARDS")
        for pid in tiny.residents
        for n in range(1, 14)
    ]
    draft = store_version(session_factory, tiny, shifts=moved, plan=plan)

    diff = diff_versions(factory=session_factory, version_id=draft)

    assert diff.against is not None
    assert diff.against.status is ScheduleStatus.PUBLISHED
    assert [(c.person_id, c.date, c.kind) for c in diff.shifts] == [
        (tiny.residents[0], D, ChangeKind.REMOVED),
        (tiny.residents[3], D, ChangeKind.ADDED),
    ]
    assert [(c.person_id, c.block, c.before, c.after) for c in diff.blocks] == [
        (tiny.residents[0], 5, ("WARDS",), ("ELEC",))
    ]
    assert diff.names[tiny.residents[0]] == "Dr R1"
    assert (diff.count(ChangeKind.ADDED), diff.count(ChangeKind.CHANGED)) == (1, 1)


def test_diff_without_anything_published_counts_all_as_added(
    session_factory: Factory, tiny: Tiny
) -> None:
    draft = store_version(session_factory, tiny, shifts=_one_call_each(tiny))
    diff = diff_versions(factory=session_factory, version_id=draft)
    assert diff.against is None
    assert {c.kind for c in (*diff.shifts, *diff.blocks)} == {ChangeKind.ADDED}
    assert len(diff.shifts) == 7
    assert len(diff.blocks) == 4 * 13
