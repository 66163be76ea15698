"""Whether the last generation honoured each request: the request against the latest
generated version of its academic year (its newest draft, else its published version) -
plan requests against that version's rotation plan, shift requests against its shift
schedule (resched.core.requests). Open and granted requests get an answer; withdrawn and
declined ones none (nobody is asking any more)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from resched.core.model import AcademicYear, Request, RequestKind
from resched.core.requests import GeneratedSchedule, Honoured, HonouredCheck
from resched.db.repositories import AcademicYearRepository, RotationRepository, ShiftTypeRepository
from resched.db.repositories.generation import block_assignments, weighed_requests
from resched.db.repositories.requests import latest_generated_version
from resched.db.repositories.schedule import ScheduleVersionRepository, ShiftAssignmentRepository
from resched.services.common import SessionFactory, not_found, read
from resched.services.requests import ACTIVE
from resched.services.schedules import ENTITY

_DAY = dt.timedelta(days=1)


def honoured_by_last_generation(
    *, factory: SessionFactory, requests: Sequence[Request]
) -> dict[int, Honoured]:
    """Request id -> the answer, for the open and granted ``requests``. A fixed number of
    queries per academic year the requests fall in, whatever their number."""
    asking = [r for r in requests if r.status in ACTIVE and r.id is not None]
    if not asking:
        return {}
    with read(factory) as session:
        years = AcademicYearRepository(session).overlapping(
            min(r.start for r in asking), max(r.start for r in asking)
        )
        by_year: dict[int, list[Request]] = defaultdict(list)
        for request in asking:
            year = next((y for y in years if y.start <= request.start <= y.end), None)
            if year is not None and year.id is not None:
                by_year[year.id].append(request)
        answers: dict[int, Honoured] = {}
        for year in years:
            mine = by_year.get(year.id or 0, [])
            if mine:
                check = HonouredCheck(_generated(session, year, mine))
                answers |= {r.id: check.of(r) for r in mine if r.id is not None}
    for request in asking:
        if request.id is not None and request.id not in answers:
            answers[request.id] = Honoured.NOT_GENERATED  # no academic year holds it
    return answers


@dataclass(frozen=True, slots=True)
class HonouredCount:
    """Of the open and granted requests a version decides (``asked``), how many it honours."""

    honoured: int
    asked: int

    @property
    def unmet(self) -> int:
        return self.asked - self.honoured


def honoured_in_version(*, factory: SessionFactory, version_id: int) -> HonouredCount:
    """The open and granted requests of the version's academic year that the version decides
    (its plan's blocks, its shifts' days), and how many of them it honours. NotFound for an
    unknown version."""
    with read(factory) as session:
        version = ScheduleVersionRepository(session).get(version_id)
        if version is None:
            not_found(ENTITY, version_id)
        year = AcademicYearRepository(session).get(version.academic_year_id)
        assert year is not None  # RESTRICT: a year with versions stays
        asking = weighed_requests(session, year.start, year.end, tuple(RequestKind))
        if not asking:
            return HonouredCount(0, 0)
        check = HonouredCheck(_version_schedule(session, year, asking, version_id))
        answers = [check.of(r) for r in asking]
    decided = [a for a in answers if a is not Honoured.NOT_GENERATED]
    return HonouredCount(sum(1 for a in decided if a is Honoured.YES), len(decided))


def _generated(
    session: Session, year: AcademicYear, requests: Sequence[Request]
) -> GeneratedSchedule:
    """What the year's latest generated version holds around ``requests``' dates."""
    assert year.id is not None
    version_id = latest_generated_version(session, year.id)
    if version_id is None:
        return GeneratedSchedule(blocks=year.blocks)
    return _version_schedule(session, year, requests, version_id)


def _version_schedule(
    session: Session, year: AcademicYear, requests: Sequence[Request], version_id: int
) -> GeneratedSchedule:
    """What version ``version_id`` holds around ``requests``' dates."""
    version = ScheduleVersionRepository(session).get(version_id)
    assert version is not None
    span = (
        (version.first_day, version.last_day)
        if version.first_day is not None and version.last_day is not None
        else None
    )
    # From the day before: a night shift that starts then takes the first morning too.
    first = min(r.start for r in requests) - _DAY
    last = max(r.end for r in requests)
    shifts = ShiftAssignmentRepository(session).between([version_id], first, last)
    return GeneratedSchedule(
        blocks=year.blocks,
        plan=tuple(block_assignments(session, version_id)),
        shifts=tuple(a for _, a in shifts),
        shift_types={s.code: s for s in ShiftTypeRepository(session).all()},
        leave_rotations=frozenset(
            r.code for r in RotationRepository(session).all() if r.leave_eligible
        ),
        shift_span=span,
    )
