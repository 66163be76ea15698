"""A swap board scenario on the demo and the pediatrics-like program (tests/today_data.py):
three residents holding the program's day shift on days well apart, so give-aways and trades
among them are legal, and a resident who could not legally take the first of them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from resched.core.model import Assignment, Eligibility, Role
from resched.db.repositories import PeopleRepository
from resched.db.tables import ProgramRow
from resched.services import coverage, shift_types
from resched.services.swaps.model import Caller
from tests import builders
from tests.accounts import add_user
from tests.today_data import Duties, store_shifts

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
