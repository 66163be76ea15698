"""Tiny shift problems built in a line or two: one block, one rotation, a few people."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from resched.core.model import (
    Assignment,
    Block,
    BlockAssignment,
    CoverageRequirement,
    Eligibility,
    Person,
    Program,
    Role,
    Rotation,
    RuleConfig,
    ShiftKind,
    ShiftType,
)
from resched.core.solver import SolveConfig
from resched.core.solver.shifts import ShiftProblem
from tests.solve_limits import work_limited

START = dt.date(2026, 7, 6)  # a Monday, far from DST and holidays
ROTATION = "R"
DEFAULT_WORK = 10.0  # deterministic time: about what two workers did in the old 10 s limit


def day(offset: int, start: dt.date = START) -> dt.date:
    return start + dt.timedelta(days=offset)


def shift(
    code: str,
    start: str,
    minutes: int,
    kind: ShiftKind = ShiftKind.WORK,
    transition: int = 0,
    **extra: Any,
) -> ShiftType:
    hour, minute = (int(x) for x in start.split(":"))
    return ShiftType(code, code, dt.time(hour, minute), minutes, kind, transition, **extra)


CALL = shift("CALL", "07:00", 24 * 60, ShiftKind.IN_HOUSE_CALL, 4 * 60)
PM = shift("PM", "13:00", 4 * 60)
DAY = shift("DAY", "07:00", 10 * 60)
NIGHT = shift("NIGHT", "19:00", 12 * 60, ShiftKind.NIGHT_FLOAT)


def residents(*pgys: int) -> tuple[Person, ...]:
    return tuple(
        Person(i + 1, f"r{i + 1}", f"Dr R{i + 1}", Role.RESIDENT, pgy=pgy)
        for i, pgy in enumerate(pgys)
    )


def faculty(count: int, first_id: int = 100) -> tuple[Person, ...]:
    return tuple(
        Person(first_id + i, f"f{i + 1}", f"Dr F{i + 1}", Role.FACULTY) for i in range(count)
    )


def need(
    code: str,
    low: int,
    high: int | None = None,
    *,
    weekdays: Sequence[int] = range(1, 8),
    roles: Sequence[Role] = (Role.RESIDENT,),
    pgy_min: int | None = None,
) -> CoverageRequirement:
    return CoverageRequirement(
        code,
        frozenset(weekdays),
        low,
        low if high is None else high,
        eligibility=Eligibility(roles=frozenset(roles), pgy_min=pgy_min),
        name=f"{code} cover",
    )


def problem(
    people: Sequence[Person],
    shifts: Sequence[ShiftType],
    coverage: Sequence[CoverageRequirement],
    *,
    days: int = 28,
    start: dt.date = START,
    pattern: Mapping[int, tuple[str, ...]] | None = None,
    rules: RuleConfig | None = None,
    timezone: str = "America/Chicago",
    **extra: Any,
) -> ShiftProblem:
    """Every resident on rotation R for one block covering the range."""
    end = start + dt.timedelta(days=days - 1)
    block = Block(1, start, end)
    rotation = Rotation(ROTATION, "Rotation R", weekly_pattern=dict(pattern or {}))
    plan = tuple(BlockAssignment(p.id, 1, ROTATION) for p in people if p.role is Role.RESIDENT)
    return ShiftProblem(
        program=Program("Tiny", timezone=timezone, rules=rules or RuleConfig()),
        start=start,
        end=end,
        people=tuple(people),
        shift_types=tuple(shifts),
        rotations=(replace(rotation, weekly_quotas=extra.pop("quotas", ())),),
        blocks=(block,),
        plan=plan,
        coverage=tuple(coverage),
        **extra,
    )


def config(work: float = DEFAULT_WORK, **extra: Any) -> SolveConfig:
    """Two workers and a budget of ``work`` units of deterministic time (tests.solve_limits):
    the small problems here finish long before it; the larger ones search exactly that far."""
    defaults: dict[str, Any] = {"num_workers": 2, **work_limited(work)}
    return SolveConfig(**(defaults | extra))


def on(
    assignments: Sequence[Assignment], shift_code: str, person_id: int | None = None
) -> list[dt.date]:
    return sorted(
        a.date
        for a in assignments
        if a.shift_code == shift_code and (person_id is None or a.person_id == person_id)
    )
