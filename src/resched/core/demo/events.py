"""Approved absences and open requests of the demo program, drawn from a seeded generator.

The rotation plan does not exist yet when the demo is built, so absences are placed where a plan
can honour them: each lies inside one block, no two resident absences share a block, and no
resident has more than one. The plan must then put each absent resident on a leave-eligible
rotation (Cardiology, Ambulatory, Elective) in that block; the demo's feasibility bounds check
that the capacities leave room for it. Nothing is placed in block 1, the interns' first month.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence

from resched.core.demo.catalog import AMBULATORY, CARDIOLOGY, ELECTIVE
from resched.core.model import (
    Absence,
    AbsenceType,
    AcademicYear,
    Block,
    Person,
    Request,
    RequestKind,
)

# (PGY level, type, days, note) of each resident absence; each needs its own block.
_RESIDENT_ABSENCES = (
    (1, AbsenceType.VACATION, 7, "Vacation"),
    (1, AbsenceType.VACATION, 7, "Vacation"),
    (2, AbsenceType.VACATION, 7, "Vacation"),
    (2, AbsenceType.VACATION, 7, "Vacation"),
    (3, AbsenceType.VACATION, 7, "Vacation"),
    (3, AbsenceType.VACATION, 7, "Vacation"),
    (3, AbsenceType.CONFERENCE, 5, "National internal medicine meeting"),
    (2, AbsenceType.DEPLOYMENT, 14, "Military deployment"),
)
_DAY_OFF_NOTES = (
    "Sister's wedding",
    "Child's birthday",
    "Religious holiday",
    "Moving apartments",
    "USMLE Step 3",
    "Family visit",
    "City marathon",
    "Parent-teacher conference",
    "Best friend's wedding",
    "Citizenship ceremony",
)


def _mondays_fitting(block: Block, days: int) -> list[dt.date]:
    """Mondays from which ``days`` days stay inside ``block`` (absences start on a Monday so
    that a week of vacation is a calendar week)."""
    first = block.start + dt.timedelta(days=(1 - block.start.isoweekday()) % 7)
    last_start = block.end - dt.timedelta(days=days - 1)
    return [first + dt.timedelta(weeks=w) for w in range((last_start - first).days // 7 + 1)]


def _absence(
    rng: random.Random, person: Person, block: Block, kind: AbsenceType, days: int, note: str
) -> Absence:
    start = rng.choice(_mondays_fitting(block, days))
    return Absence(person.id, start, start + dt.timedelta(days=days - 1), kind, note=note)


def demo_absences(
    rng: random.Random, residents: Sequence[Person], faculty: Sequence[Person], year: AcademicYear
) -> tuple[Absence, ...]:
    """Six resident vacations (two per PGY), a conference week, a two-week deployment and one
    faculty vacation."""
    blocks = rng.sample(year.blocks[1:], len(_RESIDENT_ABSENCES))
    by_pgy = {pgy: [p for p in residents if p.pgy == pgy] for pgy in (1, 2, 3)}
    for people in by_pgy.values():
        rng.shuffle(people)
    absences = [
        _absence(rng, by_pgy[pgy].pop(), block, kind, days, note)
        for (pgy, kind, days, note), block in zip(_RESIDENT_ABSENCES, blocks, strict=True)
    ]
    absences.append(
        _absence(
            rng, rng.choice(faculty), rng.choice(year.blocks), AbsenceType.VACATION, 7, "Vacation"
        )
    )
    return tuple(sorted(absences, key=lambda a: (a.start, a.person_id)))


def _free_day(
    rng: random.Random, person: Person, year: AcademicYear, away: Sequence[Absence]
) -> dt.date:
    """A day of the year on which ``person`` is not already away (a request then would be moot)."""
    while True:
        day = year.start + dt.timedelta(days=rng.randrange((year.end - year.start).days + 1))
        if not any(a.person_id == person.id and a.covers(day) for a in away):
            return day


def _one_day(
    rng: random.Random, person: Person, kind: RequestKind, shift: str | None, note: str,
    year: AcademicYear, away: Sequence[Absence],
) -> Request:  # fmt: skip
    day = _free_day(rng, person, year, away)
    return Request(person.id, kind, day, day, shift_code=shift, weight=rng.randint(1, 3), note=note)


def demo_requests(
    rng: random.Random,
    residents: Sequence[Person],
    faculty: Sequence[Person],
    year: AcademicYear,
    away: Sequence[Absence],
) -> tuple[Request, ...]:
    """Twenty requests: eight days off, four "no call" days, two faculty "no faculty call" days,
    two faculty attending weeks wanted, and four rotation wishes of senior residents."""
    requests = [
        _one_day(rng, rng.choice(residents), RequestKind.DAY_OFF, None,
                 rng.choice(_DAY_OFF_NOTES), year, away)
        for _ in range(8)
    ]  # fmt: skip
    requests += [
        _one_day(rng, rng.choice(residents), RequestKind.SHIFT_OFF, "CALL",
                 "Evening event: no call please", year, away)
        for _ in range(4)
    ]  # fmt: skip
    requests += [
        _one_day(rng, person, RequestKind.SHIFT_OFF, "FAC-CALL", "Out of town", year, away)
        for person in rng.sample(list(faculty), 2)
    ]
    for person in rng.sample(list(faculty), 2):
        monday = rng.choice(_mondays_fitting(rng.choice(year.blocks), 7))
        week_end = monday + dt.timedelta(days=6)
        requests.append(
            Request(person.id, RequestKind.SHIFT_ON, monday, week_end, shift_code="ATTEND",
                    weight=2, note="Would like a ward attending week")
        )  # fmt: skip
    seniors = [p for p in residents if (p.pgy or 0) >= 2]
    for person in rng.sample(seniors, 4):
        block = rng.choice(year.blocks[1:])
        rotation = rng.choice((CARDIOLOGY, AMBULATORY, ELECTIVE))
        requests.append(
            Request(person.id, RequestKind.ROTATION, block.start, block.end,
                    rotation_code=rotation, weight=1, note="Rotation wish")
        )  # fmt: skip
    return tuple(requests)
