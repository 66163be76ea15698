"""Programs whose outages bite, on top of the demo and pediatrics duties of tests/today_data.py:
three small pools of faculty, each with its own credential, shift and coverage requirement,
over the week from the duty day.

- ECMO: one holder (``lone``) works it every day and nobody else may: a single point of failure;
- PAIR: two of three holders work it every day (minimum two): any one can be lost (the third
  steps in), any two cannot - three fatal pairs;
- EASY: four holders take it in turn (minimum one): ample slack, no alarm.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from resched.core.model import Assignment, CoverageRequirement, Eligibility
from resched.services import coverage, people, shift_types
from resched.services import program as program_service
from tests import builders
from tests.today_data import DUTY_STORES, Duties, store_shifts

Factory = sessionmaker[Session]
DAYS = 7
EVERY_DAY = frozenset(range(1, 8))


@dataclass(frozen=True)
class Pools:
    duties: Duties
    lone: str  # person codes
    pair: tuple[str, str, str]  # the first two work PAIR every day, the third is the backup
    easy: tuple[str, ...]

    @property
    def version_id(self) -> int:
        return self.duties.plan.version_id

    @property
    def start(self) -> dt.date:
        return self.duties.day

    @property
    def end(self) -> dt.date:
        return self.duties.day + dt.timedelta(days=DAYS - 1)


def _holders(factory: Factory, prefix: str, count: int, credential: str) -> list[tuple[str, int]]:
    made = []
    for n in range(1, count + 1):
        profile = dataclasses.replace(
            builders.faculty(f"{prefix}{n}"), credentials=frozenset({credential})
        )
        person = people.create_person(factory=factory, profile=profile)
        assert person.id is not None
        made.append((person.code, person.id))
    return made


def _pool(factory: Factory, code: str, hours: int, minimum: int) -> None:
    shift_types.create_shift_type(
        factory=factory,
        shift_type=builders.shift_type(code, name=f"{code} shift", minutes=hours * 60),
    )
    coverage.create_coverage_requirement(
        factory=factory,
        coverage=CoverageRequirement(
            code,
            EVERY_DAY,
            minimum,
            minimum,
            Eligibility(credentials=frozenset({code.lower()})),
            name=f"{code} cover",
        ),
    )


def add_pools(factory: Factory, duties: Duties) -> Pools:
    """The three pools and their shifts over the week from ``duties.day``."""
    for code, hours, minimum in (("ECMO", 10, 1), ("EASY", 8, 1)):
        _pool(factory, code, hours, minimum)
    (lone,) = _holders(factory, "ecmo", 1, "ecmo")
    pair = add_pair_pool(factory, duties.plan.version_id, duties.day)
    easy = _holders(factory, "easy", 4, "easy")
    days = [duties.day + dt.timedelta(days=n) for n in range(DAYS)]
    shifts = [Assignment(lone[1], d, "ECMO") for d in days]
    shifts += [Assignment(easy[n % 4][1], d, "EASY") for n, d in enumerate(days)]
    store_shifts(factory, duties.plan.version_id, shifts)
    return Pools(duties, lone[0], pair, tuple(c for c, _ in easy))


def add_pair_pool(factory: Factory, version_id: int, first: dt.date) -> tuple[str, str, str]:
    """The PAIR pool: two of its three holders on it every day of the week from ``first``
    (losing either is a large repair: the third is their suggested backup)."""
    _pool(factory, "PAIR", 8, 2)
    pair = _holders(factory, "pair", 3, "pair")
    days = [first + dt.timedelta(days=n) for n in range(DAYS)]
    store_shifts(
        factory, version_id, [Assignment(pid, d, "PAIR") for _, pid in pair[:2] for d in days]
    )
    return (pair[0][0], pair[1][0], pair[2][0])


# The demo and the pediatrics-like program, each with the three pools.
POOL_STORES: dict[str, Callable[[Factory], Pools]] = {
    name: (lambda factory, store=store: add_pools(factory, store(factory)))
    for name, store in DUTY_STORES.items()
}


def with_jeopardy(factory: Factory) -> str:
    """The program's jeopardy shift: the demo's BACKUP, else a "JEOP" shift made and set."""
    current = program_service.get_program(factory=factory)
    if current.jeopardy_shift is not None:
        return current.jeopardy_shift
    shift_types.create_shift_type(
        factory=factory,
        shift_type=builders.shift_type(
            "JEOP", name="Jeopardy call", start=dt.time(17), minutes=840
        ),
    )
    set_jeopardy(factory, "JEOP")
    return "JEOP"


def set_jeopardy(factory: Factory, code: str) -> None:
    """Set the program's jeopardy shift ("": none) through the service, the rest as it is."""
    current = program_service.get_program(factory=factory)
    program_service.update_program(
        factory=factory,
        name=current.name,
        timezone=current.timezone,
        rules=current.rules,
        freeze_horizon_days=current.freeze_horizon_days,
        jeopardy_shift=code,
    )
