"""Every write and its audit event share one transaction: both happen or neither does."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from resched.core.errors import Conflict
from resched.db.repositories import AuditRepository
from resched.services import people, shift_types
from resched.services.audit import list_audit_events
from tests import builders

Factory = sessionmaker[Session]


def test_a_failing_audit_write_undoes_the_change(
    session_factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_record(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("audit store unavailable")

    # The audit write itself fails, whichever service helper reaches it.
    monkeypatch.setattr(AuditRepository, "add", broken_record)
    with pytest.raises(RuntimeError):
        people.create_person(factory=session_factory, profile=builders.resident("r1"))
    assert people.list_people(factory=session_factory).total == 0


def test_a_failing_write_leaves_no_audit_event(session_factory: Factory) -> None:
    shift_types.create_shift_type(factory=session_factory, shift_type=builders.shift_type("DAY"))
    with pytest.raises(Conflict):
        shift_types.create_shift_type(
            factory=session_factory, shift_type=builders.shift_type("DAY")
        )
    assert list_audit_events(factory=session_factory).total == 1
    assert shift_types.list_shift_types(factory=session_factory).total == 1


def test_a_failed_update_keeps_the_old_row_and_children(session_factory: Factory) -> None:
    """The update flushes new year levels and then fails on the audit: no partial write."""
    from resched.services import calendar

    year = calendar.store_academic_year(factory=session_factory, year=builders.academic_year())
    person = people.create_person(
        factory=session_factory, profile=builders.resident("r1", year.id, 1)
    )
    assert person.id is not None

    def broken_record(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("boom")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(AuditRepository, "add", broken_record)
        with pytest.raises(RuntimeError):
            people.update_person(
                factory=session_factory,
                person_id=person.id,
                profile=builders.resident("r1", year.id, 3),
            )
    assert people.get_person(factory=session_factory, person_id=person.id) == person
