"""Published shifts around one morning, on the demo (America/Chicago, four-week blocks) and on
the pediatrics-like program of tests/plan_data.py (America/New_York, calendar months, a DST
night): the common ground of the Today service, page and e2e tests."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from resched.core.model import Absence, AbsenceStatus, AbsenceType, Assignment, Role, ShiftKind
from resched.db.repositories import PeopleRepository, ShiftTypeRepository
from resched.db.repositories.schedule import ShiftAssignmentRepository
from resched.db.tables import ShiftAssignmentRow, ShiftTypeRow
from resched.services import absences, people, shift_types
from tests import builders
from tests.plan_data import StoredPlan, store_demo_plan, store_peds

Factory = sessionmaker[Session]

DEMO_DAY = dt.date(2026, 10, 14)  # a Wednesday in block 4 of the demo
DEMO_ZONE = ZoneInfo("America/Chicago")
# The night the clocks go back in New York: 19:00 EDT to 07:00 EST, 13 hours of real time.
PEDS_DAY = dt.date(2026, 11, 1)
PEDS_ZONE = ZoneInfo("America/New_York")


@dataclass(frozen=True)
class Duties:
    plan: StoredPlan
    day: dt.date
    zone: ZoneInfo
    night_before: int  # on the night shift that started yesterday evening
    older_night: int  # on a night two days ago: long over
    day_shift: int  # on a day shift today
    call: int  # on a 24-hour call from this morning
    evening: int  # faculty on call from home from this evening (None rotation)
    faculty: int

    def at(self, hour: int, minute: int = 0) -> dt.datetime:
        return dt.datetime(
            self.day.year, self.day.month, self.day.day, hour, minute, tzinfo=self.zone
        )


def store_shifts(factory: Factory, version_id: int, assignments: list[Assignment]) -> None:
    with factory.begin() as session:
        ids = ShiftTypeRepository(session).ids_by_code()
        ShiftAssignmentRepository(session).add_many(version_id, assignments, ids)


# (person id, day, shift code, source, locked): a version's rows, for exact before/after checks.
Rows = list[tuple[int, dt.date, str, str, bool]]


def version_rows(factory: Factory, version_id: int) -> Rows:
    """Every shift assignment of the version, in a stable order."""
    with factory() as session:
        found = session.execute(
            select(
                ShiftAssignmentRow.person_id,
                ShiftAssignmentRow.day,
                ShiftTypeRow.code,
                ShiftAssignmentRow.source,
                ShiftAssignmentRow.locked,
            )
            .join(ShiftTypeRow, ShiftTypeRow.id == ShiftAssignmentRow.shift_type_id)
            .where(ShiftAssignmentRow.version_id == version_id)
            .order_by(ShiftAssignmentRow.day, ShiftAssignmentRow.person_id, ShiftTypeRow.code)
        )
        return [(p, d, c, str(s), bool(locked)) for p, d, c, s, locked in found]


def _faculty(factory: Factory) -> int:
    with factory() as session:
        return next(p.id for p in PeopleRepository(session).in_year(0) if p.role is Role.FACULTY)


def _contact(factory: Factory, person_id: int, phone: str | None, pager: str | None) -> None:
    profile = people.get_person(factory=factory, person_id=person_id)
    changed = dataclasses.replace(profile, phone=phone, pager=pager)
    people.update_person(factory=factory, person_id=person_id, profile=changed)


def store_demo_duties(factory: Factory, *, extra_days: int = 0) -> Duties:
    """The demo's published round-robin plan with a handful of shifts around ``DEMO_DAY``
    (and, with ``extra_days``, a day shift for every resident on that many further days)."""
    plan = store_demo_plan(factory)
    r = plan.residents
    faculty = _faculty(factory)
    day, yesterday = DEMO_DAY, DEMO_DAY - dt.timedelta(days=1)
    shifts = [
        Assignment(r[0], yesterday, "NIGHT"),
        Assignment(r[1], day - dt.timedelta(days=2), "NIGHT"),
        Assignment(r[2], day, "WARD"),
        Assignment(r[3], day, "CALL"),
        Assignment(faculty, day, "FAC-CALL"),
        Assignment(faculty, day, "ATTEND"),
    ]
    for offset in range(1, extra_days + 1):
        shifts += [Assignment(p, day + dt.timedelta(days=offset), "WARD") for p in r]
    store_shifts(factory, plan.version_id, shifts)
    _contact(factory, r[0], "+1 (312) 555-0100", "4-1234")
    _contact(factory, faculty, None, "#321")
    return Duties(plan, day, DEMO_ZONE, r[0], r[1], r[2], r[3], faculty, faculty)


def store_peds_duties(factory: Factory) -> Duties:
    """The pediatrics-like program, its day and night shift types, and shifts around the night
    the clocks go back."""
    plan = store_peds(factory)
    for shift in (
        builders.shift_type("DAY", name="Day", minutes=720),
        builders.shift_type(
            "NIGHT", name="Night", start=dt.time(19), minutes=720, kind=ShiftKind.NIGHT_FLOAT
        ),
        builders.shift_type("OFF", name="Post-night off", kind=ShiftKind.OFF),
    ):
        shift_types.create_shift_type(factory=factory, shift_type=shift)
    attending = people.create_person(factory=factory, profile=builders.faculty("att"))
    assert attending.id is not None
    r = plan.residents
    day, yesterday = PEDS_DAY, PEDS_DAY - dt.timedelta(days=1)
    store_shifts(
        factory,
        plan.version_id,
        [
            Assignment(r[0], yesterday, "NIGHT"),
            Assignment(r[1], yesterday - dt.timedelta(days=1), "NIGHT"),
            Assignment(r[2], day, "DAY"),
            Assignment(r[3], day, "NIGHT"),
            Assignment(r[4], day, "OFF"),
            Assignment(attending.id, day, "DAY"),
        ],
    )
    _contact(factory, r[0], "555 0100", None)
    return Duties(plan, day, PEDS_ZONE, r[0], r[1], r[2], r[3], r[3], attending.id)


# The two programs the Today and My schedule pages are tested on, by name.
DUTY_STORES: dict[str, Callable[[Factory], Duties]] = {
    "demo": store_demo_duties,
    "pediatrics": store_peds_duties,
}


# Both programs by name, for tests parametrized over them (``duties`` fixtures).
DUTY_PROGRAMS: dict[str, Callable[[Factory], Duties]] = {
    "demo": store_demo_duties,
    "pediatrics": store_peds_duties,
}


def request_leave(factory: Factory, duties: Duties, days: int = 1) -> Absence:
    """A leave request (not decided) of the person on call, from the shown day."""
    return absences.create_absence(
        factory=factory,
        absence=Absence(
            person_id=duties.call,
            start=duties.day,
            end=duties.day + dt.timedelta(days=days - 1),
            type=AbsenceType.VACATION,
            status=AbsenceStatus.REQUESTED,
        ),
    )
