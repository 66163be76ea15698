"""Chained shifts of a generated schedule (core/chains.py), as a draft's report keeps them:
each pair of a resident's shifts closer than the program's minimum rest outside an allowed
sequence, and each exit from night float without a free day. The generator forbids both, so a
generated draft reports none; the section shows that, and any a published context brings in."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from resched.core.model import Assignment

if TYPE_CHECKING:  # the web process reads reports without loading the solver (ortools)
    from resched.core.solver.shifts.problem import ShiftProblem


@dataclass(frozen=True, slots=True)
class StoredChain:
    rule: str  # min-rest or night-float-free-day
    message: str
    person_id: int
    first_date: dt.date
    first_shift: str
    next_date: dt.date
    next_shift: str
    gap_hours: float


def chains_in(
    problem: ShiftProblem, assignments: tuple[Assignment, ...]
) -> tuple[StoredChain, ...]:
    """The chains of the schedule ``assignments`` of ``problem``'s range, with the published
    shifts around it (a night before the range chains with the range's first morning)."""
    from resched.core.chains import chains_between  # only a shift schedule has chains

    found = chains_between(
        problem.program,
        problem.people,
        problem.shift_types,
        (*problem.before, *assignments, *problem.after),
        problem.start,
        problem.end,
    )
    return tuple(
        StoredChain(
            c.rule,
            c.message,
            c.person.id,
            c.first.date,
            c.first.shift_code,
            c.next.date,
            c.next.shift_code,
            round(c.gap_hours, 2),
        )
        for c in found
    )


def chain_json(chain: StoredChain) -> dict[str, Any]:
    return {
        "rule": chain.rule,
        "message": chain.message,
        "person_id": chain.person_id,
        "first": {"date": chain.first_date.isoformat(), "shift": chain.first_shift},
        "next": {"date": chain.next_date.isoformat(), "shift": chain.next_shift},
        "gap_hours": chain.gap_hours,
    }


def chain_of(data: Mapping[str, Any]) -> StoredChain:
    return StoredChain(
        rule=data["rule"],
        message=data["message"],
        person_id=data["person_id"],
        first_date=dt.date.fromisoformat(data["first"]["date"]),
        first_shift=data["first"]["shift"],
        next_date=dt.date.fromisoformat(data["next"]["date"]),
        next_shift=data["next"]["shift"],
        gap_hours=float(data["gap_hours"]),
    )
