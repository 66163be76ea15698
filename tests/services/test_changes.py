"""Changing a published schedule in place, on the demo and the pediatrics-like program: atomic,
checked against the rules, the freeze horizon and the revision the caller saw, audited,
announced, and undone exactly."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from resched.core.changes.kinds import ChangeKind, NoticeKind, OverrideReason
from resched.core.errors import Conflict, DomainError, Invalid, NotFound
from resched.db.repositories import PeopleRepository
from resched.db.tables import (
    AuditEventRow,
    NotificationRow,
    ScheduleVersionRow,
)
from resched.services.changes.apply import apply_change, preview_change
from resched.services.changes.history import list_changes, undo_change
from resched.services.changes.model import AppliedChange, ChangeRequest, Override, Slot
from tests.accounts import add_user
from tests.today_data import DUTY_STORES, Duties, version_rows

Factory = sessionmaker[Session]
NOW = dt.datetime(2026, 9, 1, 12, tzinfo=dt.UTC)


def _code(factory: Factory, person_id: int) -> str:
    with factory() as session:
        return next(p.code for p in PeopleRepository(session).in_year(0) if p.id == person_id)


def _apply(
    factory: Factory, version: int, change: ChangeRequest, today: dt.date, **extra: Any
) -> AppliedChange:
    return apply_change(
        factory=factory,
        version_id=version,
        change=change,
        kind=ChangeKind.EDIT,
        actor="coord",
        today=today,
        **extra,
    )


def _revision(factory: Factory, version_id: int) -> int:
    with factory() as session:
        value = session.scalar(
            select(ScheduleVersionRow.revision).where(ScheduleVersionRow.id == version_id)
        )
        assert value is not None
        return value


def _handover(factory: Factory, duties: Duties) -> tuple[ChangeRequest, str, str]:
    """The day shift of ``duties.day`` handed from its holder to a colleague with nothing on."""
    shift = "WARD" if duties.zone.key == "America/Chicago" else "DAY"
    giver = _code(factory, duties.day_shift)
    taker = _code(factory, duties.older_night)
    change = ChangeRequest(
        remove=(Slot(giver, duties.day, shift),), add=(Slot(taker, duties.day, shift),)
    )
    return change, giver, taker


@pytest.fixture(params=sorted(DUTY_STORES))
def duties(request: pytest.FixtureRequest, session_factory: Factory) -> Duties:
    store: Callable[[Factory], Duties] = DUTY_STORES[request.param]
    return store(session_factory)


def _far(duties: Duties) -> dt.date:
    """A "today" well before the day, so the freeze horizon does not reach it."""
    return duties.day - dt.timedelta(days=30)


def test_a_handover_is_applied_audited_announced_and_counted(
    session_factory: Factory, duties: Duties
) -> None:
    version = duties.plan.version_id
    taker_user = add_user(session_factory, "resident", person_id=duties.older_night)
    change, giver, taker = _handover(session_factory, duties)
    before = version_rows(session_factory, version)
    preview = preview_change(
        factory=session_factory, version_id=version, change=change, today=_far(duties)
    )
    assert preview.revision == 0
    assert preview.published
    assert not preview.frozen
    assert preview.new_violations == ()

    applied = _apply(session_factory, version, change, _far(duties), expected_revision=0)

    assert applied.revision == 1 == _revision(session_factory, version)
    after = version_rows(session_factory, version)
    gone = set(before) - set(after)
    new = set(after) - set(before)
    assert {(p, d, c) for p, d, c, _, _ in gone} == {(duties.day_shift, duties.day, _shift(duties))}
    assert {(p, d, c) for p, d, c, _, _ in new} == {
        (duties.older_night, duties.day, _shift(duties))
    }
    with session_factory() as session:
        events = session.scalars(
            select(AuditEventRow).where(AuditEventRow.action == "change.edit")
        ).all()
        notices = session.scalars(
            select(NotificationRow).where(NotificationRow.user_id == taker_user)
        ).all()
    assert len(events) == 1
    assert events[0].entity_id == str(version)
    assert [n.kind for n in notices] == [NoticeKind.SHIFT_CHANGED]
    assert f"Now yours: {_shift(duties)}" in notices[0].body
    history = list_changes(factory=session_factory, version_id=version)
    assert history.total == 1
    assert history.items[0].request == change
    assert giver != taker


def _shift(duties: Duties) -> str:
    return "WARD" if duties.zone.key == "America/Chicago" else "DAY"


def test_a_stale_revision_is_a_conflict_and_writes_nothing(
    session_factory: Factory, duties: Duties
) -> None:
    version = duties.plan.version_id
    change, _, _ = _handover(session_factory, duties)
    before = version_rows(session_factory, version)
    with pytest.raises(Conflict, match="changed since you looked") as caught:
        _apply(session_factory, version, change, _far(duties), expected_revision=3)
    assert caught.value.details["revision"] == 0
    assert version_rows(session_factory, version) == before


def test_a_slot_no_longer_held_is_a_conflict_naming_it(
    session_factory: Factory, duties: Duties
) -> None:
    version = duties.plan.version_id
    change, giver, _ = _handover(session_factory, duties)
    wrong = ChangeRequest(remove=(Slot(giver, duties.day + dt.timedelta(days=3), "ZZZ"),))
    with pytest.raises(NotFound, match="ZZZ"):
        _apply(session_factory, version, wrong, _far(duties))
    absent = ChangeRequest(remove=(Slot(giver, duties.day + dt.timedelta(days=3), _shift(duties)),))
    with pytest.raises(Conflict, match=f"{giver} holds no"):
        _apply(session_factory, version, absent, _far(duties))
    with pytest.raises(Invalid, match="empty"):
        apply_change(
            factory=session_factory,
            version_id=version,
            change=ChangeRequest(),
            kind=ChangeKind.EDIT,
            actor="coord",
            today=_far(duties),
        )
    assert _revision(session_factory, version) == 0
    del change


def test_a_frozen_change_needs_an_override_with_a_reason(
    session_factory: Factory, duties: Duties
) -> None:
    version = duties.plan.version_id
    change, _, _ = _handover(session_factory, duties)
    soon = duties.day - dt.timedelta(days=2)  # inside the default 7-day horizon
    ask = {
        "factory": session_factory,
        "version_id": version,
        "change": change,
        "kind": ChangeKind.EDIT,
        "actor": "coord",
        "today": soon,
    }
    with pytest.raises(Invalid, match="freeze horizon") as caught:
        apply_change(**ask)  # type: ignore[arg-type]
    assert caught.value.details["field"] == "override"
    with pytest.raises(Invalid, match="needs a note"):
        apply_change(**ask, override=Override(OverrideReason.OTHER))  # type: ignore[arg-type]
    assert _revision(session_factory, version) == 0
    applied = apply_change(**ask, override=Override(OverrideReason.SICK_CALL))  # type: ignore[arg-type]
    assert applied.override is OverrideReason.SICK_CALL
    with session_factory() as session:
        event = session.scalars(
            select(AuditEventRow).where(AuditEventRow.action == "change.edit")
        ).one()
    assert event.reason is not None
    assert "sick_call" in event.reason


def test_a_change_that_breaks_a_rule_is_refused_naming_the_finding(
    session_factory: Factory, duties: Duties
) -> None:
    """The day-shift holder also takes the night after it: two shifts back to back, too little
    rest between them (or too long a duty period), refused with the rule's words."""
    version = duties.plan.version_id
    holder = _code(session_factory, duties.day_shift)
    shift = "CALL" if duties.zone.key == "America/Chicago" else "NIGHT"
    extra = ChangeRequest(
        add=tuple(Slot(holder, duties.day + dt.timedelta(days=k), shift) for k in range(0, 6))
    )
    with pytest.raises(Invalid, match="would break a rule") as caught:
        _apply(session_factory, version, extra, _far(duties))
    findings = caught.value.details["findings"]
    assert findings
    assert all(f["message"] for f in findings)
    assert _revision(session_factory, version) == 0


def test_undo_restores_the_previous_state_exactly(session_factory: Factory, duties: Duties) -> None:
    version = duties.plan.version_id
    change, _, _ = _handover(session_factory, duties)
    before = version_rows(session_factory, version)
    applied = _apply(session_factory, version, change, _far(duties))
    assert version_rows(session_factory, version) != before
    now = dt.datetime.now(dt.UTC)
    undo = undo_change(
        factory=session_factory, change_id=applied.id, actor="coord", now=now, today=_far(duties)
    )
    assert version_rows(session_factory, version) == before  # sources and locks too
    assert undo.undoes_id == applied.id
    assert undo.revision == 2
    with pytest.raises(Conflict, match="already undone"):
        undo_change(
            factory=session_factory,
            change_id=applied.id,
            actor="coord",
            now=now,
            today=_far(duties),
        )
    with pytest.raises(Conflict, match="itself an undo"):
        undo_change(
            factory=session_factory, change_id=undo.id, actor="coord", now=now, today=_far(duties)
        )


def test_undo_is_refused_after_the_window_and_when_a_later_change_depends_on_it(
    session_factory: Factory, duties: Duties
) -> None:
    version = duties.plan.version_id
    change, _, taker = _handover(session_factory, duties)
    first = _apply(session_factory, version, change, _far(duties))
    late = first.created_at + dt.timedelta(hours=25)
    with pytest.raises(Conflict, match="undo window of 24 hours"):
        undo_change(
            factory=session_factory, change_id=first.id, actor="c", now=late, today=_far(duties)
        )
    back = ChangeRequest(remove=(Slot(taker, duties.day, _shift(duties)),))
    second = _apply(session_factory, version, back, _far(duties))
    with pytest.raises(Conflict, match=f"change {second.id} since then"):
        undo_change(
            factory=session_factory,
            change_id=first.id,
            actor="c",
            now=first.created_at,
            today=_far(duties),
        )


def test_two_concurrent_changes_from_one_revision_cannot_both_win(
    session_factory: Factory, duties: Duties
) -> None:
    """One hands the shift over, the other clears it, both from revision 0: one wins, the
    other gets a conflict, and the schedule holds exactly the winner's change."""
    version = duties.plan.version_id
    change, giver, _ = _handover(session_factory, duties)
    rival = ChangeRequest(remove=change.remove)
    start = threading.Barrier(2)
    outcomes: list[object] = []

    def attempt(request: ChangeRequest) -> None:
        start.wait()
        try:
            outcomes.append(
                _apply(session_factory, version, request, _far(duties), expected_revision=0)
            )
        except DomainError as exc:
            outcomes.append(exc)

    threads = [threading.Thread(target=attempt, args=(c,)) for c in (change, rival)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    conflicts = [o for o in outcomes if isinstance(o, Conflict)]
    assert len(outcomes) == 2, outcomes
    assert len(conflicts) == 1, outcomes
    assert _revision(session_factory, version) == 1
    won = next(o for o in outcomes if isinstance(o, AppliedChange))
    rows = version_rows(session_factory, version)
    pair = {duties.day_shift, duties.older_night}
    holders = [p for p, d, c, _, _ in rows if (d, c) == (duties.day, _shift(duties)) and p in pair]
    assert holders == ([duties.older_night] if won.request == change else [])
    assert duties.day_shift not in holders
    assert giver
