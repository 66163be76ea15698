"""Suggested backups added in one step (services.contingency.backups) on the demo (its BACKUP
shift) and the pediatrics-like program (a JEOP shift set for it), with the pools of
tests/contingency_data.py: the report's stand-in lands on the jeopardy shift as one audited
change in the history that undo takes back; a frozen day needs an override, a new violation
and a shift already held are refused, no jeopardy shift is refused naming the setting - and
nothing is written on a refusal."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from resched.core.changes.kinds import ChangeKind, OverrideReason
from resched.core.errors import Conflict, Invalid
from resched.db.repositories import PeopleRepository
from resched.db.tables import AuditEventRow
from resched.services import program as program_service
from resched.services import shift_types
from resched.services.changes.history import list_changes, undo_change
from resched.services.changes.model import Override
from resched.services.contingency import analyse
from resched.services.contingency.backups import add_backup
from tests.contingency_data import POOL_STORES, Pools, set_jeopardy, with_jeopardy
from tests.today_data import version_rows

Factory = sessionmaker[Session]
pytestmark = pytest.mark.db


@pytest.fixture(params=sorted(POOL_STORES))
def pools(request: pytest.FixtureRequest, session_factory: Factory) -> Pools:
    return POOL_STORES[request.param](session_factory)


def _far(pools: Pools) -> dt.date:
    """A "today" well before the pools' week, so the freeze horizon does not reach it."""
    return pools.start - dt.timedelta(days=30)


def suggested(factory: Factory, pools: Pools) -> dict[str, Any]:
    """The report's first suggested backup for the first pair holder."""
    report = analyse(factory=factory, version_id=pools.version_id, start=pools.start, end=pools.end)
    return next(b for b in report["backups"] if b["out"]["code"] == pools.pair[0])


def code_of(factory: Factory, person_id: int) -> str:
    with factory() as session:
        return next(p.code for p in PeopleRepository(session).in_year(0) if p.id == person_id)


def _id(factory: Factory, code: str) -> int:
    with factory() as session:
        return next(p.id for p in PeopleRepository(session).in_year(0) if p.code == code)


def _add(factory: Factory, pools: Pools, row: dict[str, Any], today: dt.date, **extra: Any) -> Any:
    return add_backup(
        factory=factory,
        version_id=pools.version_id,
        person=row["backup"]["code"],
        day=dt.date.fromisoformat(row["day"]),
        out=row["out"]["code"],
        actor="coord",
        today=today,
        **extra,
    )


def test_a_suggested_backup_is_added_audited_listed_and_undone(
    session_factory: Factory, pools: Pools
) -> None:
    shift = with_jeopardy(session_factory)
    demo = pools.duties.zone.key == "America/Chicago"
    assert shift == ("BACKUP" if demo else "JEOP")  # the demo loads with its own set
    row = suggested(session_factory, pools)
    assert row["backup"]["code"] == pools.pair[2]
    before = version_rows(session_factory, pools.version_id)

    applied = _add(session_factory, pools, row, _far(pools))

    after = version_rows(session_factory, pools.version_id)
    day = dt.date.fromisoformat(row["day"])
    new = {(p, d, c) for p, d, c, _, _ in set(after) - set(before)}
    assert new == {(_id(session_factory, pools.pair[2]), day, shift)}
    assert set(before) <= set(after)  # nothing else moved
    assert applied.kind is ChangeKind.EDIT
    assert applied.summary == f"backup for {row['out']['name']} on {row['day']} (contingency)"
    with session_factory() as session:
        events = session.scalars(
            select(AuditEventRow).where(AuditEventRow.action == "change.edit")
        ).all()
    assert [e.entity_id for e in events] == [str(pools.version_id)]
    history = list_changes(factory=session_factory, version_id=pools.version_id)
    assert [c.id for c in history.items] == [applied.id]

    undo_change(
        factory=session_factory,
        change_id=applied.id,
        actor="coord",
        now=dt.datetime.now(dt.UTC),
        today=_far(pools),
    )
    assert version_rows(session_factory, pools.version_id) == before


def test_a_frozen_day_needs_an_override(session_factory: Factory, pools: Pools) -> None:
    with_jeopardy(session_factory)
    row = suggested(session_factory, pools)
    before = version_rows(session_factory, pools.version_id)
    with pytest.raises(Invalid) as caught:
        _add(session_factory, pools, row, pools.start)  # today: the week is frozen
    assert caught.value.details["field"] == "override"
    assert version_rows(session_factory, pools.version_id) == before
    applied = _add(
        session_factory,
        pools,
        row,
        pools.start,
        override=Override(OverrideReason.COVERAGE_GAP, ""),
    )
    assert applied.override is OverrideReason.COVERAGE_GAP


def test_a_shift_already_held_is_a_conflict(session_factory: Factory, pools: Pools) -> None:
    with_jeopardy(session_factory)
    row = suggested(session_factory, pools)
    _add(session_factory, pools, row, _far(pools))
    before = version_rows(session_factory, pools.version_id)
    with pytest.raises(Conflict, match="already holds"):
        _add(session_factory, pools, row, _far(pools))
    assert version_rows(session_factory, pools.version_id) == before


def test_a_new_violation_is_refused_naming_the_finding(
    session_factory: Factory, pools: Pools
) -> None:
    """A resident on 24-hour call that morning put on the jeopardy shift that evening too."""
    with_jeopardy(session_factory)
    code = code_of(session_factory, pools.duties.call)
    row = {"backup": {"code": code}, "out": {"code": pools.pair[0]}, "day": pools.start.isoformat()}
    before = version_rows(session_factory, pools.version_id)
    with pytest.raises(Invalid, match="would break a rule") as caught:
        _add(session_factory, pools, row, _far(pools))
    assert caught.value.details["findings"]
    assert version_rows(session_factory, pools.version_id) == before


def test_no_jeopardy_shift_is_refused_naming_the_setting(
    session_factory: Factory, pools: Pools
) -> None:
    set_jeopardy(session_factory, "")
    assert program_service.get_program(factory=session_factory).jeopardy_shift is None
    row = suggested(session_factory, pools)
    before = version_rows(session_factory, pools.version_id)
    with pytest.raises(Invalid) as caught:
        _add(session_factory, pools, row, _far(pools))
    assert caught.value.details["field"] == "jeopardy_shift"
    assert version_rows(session_factory, pools.version_id) == before


def test_the_setting_names_an_existing_shift_type(session_factory: Factory, pools: Pools) -> None:
    current = program_service.get_program(factory=session_factory)
    with pytest.raises(Invalid) as caught:
        set_jeopardy(session_factory, "NOPE")
    assert caught.value.details["field"] == "jeopardy_shift"
    assert program_service.get_program(factory=session_factory) == current


def test_the_jeopardy_shift_type_cannot_be_deleted_while_set(
    session_factory: Factory, pools: Pools
) -> None:
    code = with_jeopardy(session_factory)
    stored = shift_types.list_shift_types(factory=session_factory, limit=200).items
    (jeopardy,) = [t for t in stored if t.code == code]
    assert jeopardy.id is not None
    with pytest.raises(Conflict) as caught:
        shift_types.delete_shift_type(factory=session_factory, shift_type_id=jeopardy.id)
    assert "the program's jeopardy shift" in caught.value.details["used_by"]
