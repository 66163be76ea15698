"""A swap board scenario on the demo and the pediatrics-like program (tests/today_data.py):
three residents holding the program's day shift on days well apart, so give-aways and trades
among them are legal, and a resident who could not legally take the first of them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from resched.core.model import Assignment, Eligibility, Role
from resched.db.repositories import PeopleRepository
from resched.db.tables import ProgramRow, ShiftAssignmentRow, ShiftTypeRow
from resched.services import coverage, shift_types
from resched.services.swaps.model import Caller
from tests import builders
from tests.accounts import add_user
from tests.today_data import DUTY_STORES, Duties, store_shifts

Factory = sessionmaker[Session]


@dataclass(frozen=True)
class Board:
    duties: Duties
    shift: str  # the day shift: WARD (demo) or DAY (pediatrics)
    a: int  # holds the day shift on duties.day
    b: int  # holds it on day + 10
    c: int  # holds it on day + 20
    clash: int  # taking a's shift breaks a rule: on call that day (demo), off a night (peds)
    users: dict[int, str]  # person id -> username

    @property
    def day(self) -> dt.date:
        return self.duties.day

    @property
    def far(self) -> dt.date:
        """A today well before the day: outside the freeze horizon."""
        return self.day - dt.timedelta(days=30)

    @property
    def near(self) -> dt.date:
        """A today two days before the day: inside the 7-day freeze horizon."""
        return self.day - dt.timedelta(days=2)

    def later(self, days: int) -> dt.date:
        return self.day + dt.timedelta(days=days)

    def caller(self, person_id: int) -> Caller:
        return Caller(self.users[person_id], person_id)

    def code(self, factory: Factory, person_id: int) -> str:
        with factory() as session:
            return next(p.code for p in PeopleRepository(session).in_year(0) if p.id == person_id)


COORDINATOR = Caller("coord", None, coordinator=True)


def store_board(factory: Factory, duties: Duties) -> Board:
    shift = "WARD" if duties.zone.key == "America/Chicago" else "DAY"
    a, b, c = duties.day_shift, duties.older_night, duties.night_before
    day = duties.day
    store_shifts(
        factory,
        duties.plan.version_id,
        [
            Assignment(b, day + dt.timedelta(days=10), shift),
            Assignment(c, day + dt.timedelta(days=20), shift),
        ],
    )
    users = {}
    for pid in (a, b, c, duties.call):
        name = f"u{pid}"
        add_user(factory, "resident", username=name, person_id=pid)
        users[pid] = name
    add_user(factory, "coordinator", username="coord")
    clash = duties.call if shift == "WARD" else duties.night_before
    return Board(duties, shift, a, b, c, clash, users)


def set_auto_approve(factory: Factory, value: bool) -> None:
    with factory.begin() as session:
        session.execute(update(ProgramRow).values(auto_approve_changes=value))


SLOT_SHIFT = "XCLINIC"


def add_open_slot(factory: Factory, board: Board) -> dt.date:
    """An evening clinic that needs one resident on ``board.later(5)`` and has none: an open
    slot anyone of the residents is eligible for. Returns its day."""
    day = board.later(5)
    shift_types.create_shift_type(
        factory=factory,
        shift_type=builders.shift_type(SLOT_SHIFT, start=dt.time(17), minutes=240),
    )
    coverage.create_coverage_requirement(
        factory=factory,
        coverage=builders.coverage_rule(
            SLOT_SHIFT,
            weekdays=frozenset({day.isoweekday()}),
            dates=frozenset({day}),
            max_count=1,
            eligibility=Eligibility(roles=frozenset({Role.RESIDENT})),
            name="Evening clinic",
        ),
    )
    return day


@pytest.fixture(name="board", params=sorted(DUTY_STORES))
def board_fixture(request: pytest.FixtureRequest, session_factory: sessionmaker[Session]) -> Board:
    """The board on the demo and on the pediatrics-like program (import it into a test module
    to use it as a fixture)."""
    store: Callable[[sessionmaker[Session]], Duties] = DUTY_STORES[request.param]
    return store_board(session_factory, store(session_factory))


def holders(
    factory: sessionmaker[Session],
    board: Board,
    day: dt.date,
    shift: str,
    among: Iterable[int] | None = None,
) -> list[int]:
    """Who holds ``shift`` on ``day`` in the board's version (only ``among``, if given)."""
    stmt = (
        select(ShiftAssignmentRow.person_id)
        .join(ShiftTypeRow, ShiftTypeRow.id == ShiftAssignmentRow.shift_type_id)
        .where(
            ShiftAssignmentRow.version_id == board.duties.plan.version_id,
            ShiftAssignmentRow.day == day,
            ShiftTypeRow.code == shift,
        )
    )
    if among is not None:
        stmt = stmt.where(ShiftAssignmentRow.person_id.in_(list(among)))
    with factory() as session:
        return list(session.scalars(stmt))
