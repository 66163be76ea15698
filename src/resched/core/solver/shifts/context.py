"""What every constraint and objective module reads while the model is built."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ortools.sat.python import cp_model

from resched.core.model import Person, RuleConfig
from resched.core.solver.explain import Requirement, Requirements
from resched.core.solver.shifts.candidates import Candidates
from resched.core.solver.shifts.conflicts import Clash, Timing
from resched.core.solver.shifts.horizon import Horizon
from resched.core.solver.shifts.problem import ShiftProblem
from resched.core.solver.shifts.variables import ShiftVars

# A literal or a constant 0/1: published slots and settled days need no variable.
Lit = Any


@dataclass(frozen=True, slots=True)
class Term:
    """One named soft goal: ``weight * value(expr)`` of the objective. ``explain`` turns the
    amount found into the sentence the coordinator reads."""

    name: str
    weight: int
    expr: Any  # a literal, an integer variable or a linear expression
    explain: str | Callable[[int], str]
    person_id: int | None = None
    date: dt.date | None = None


@dataclass(slots=True)
class ModelContext:
    problem: ShiftProblem
    horizon: Horizon
    model: cp_model.CpModel
    vars: ShiftVars
    candidates: Candidates
    clashes: list[Clash]
    timing: Timing
    requirements: Requirements
    weights: dict[str, int]
    people: dict[int, Person]
    terms: list[Term] = field(default_factory=list)
    # Names of rule families and coverage demands (``coverage:<index>``) left out (diagnosis).
    left_out: frozenset[str] = frozenset()
    # Names of the rule families this model holds (build.py): a redundant constraint may rest
    # only on rules that are in it.
    families: frozenset[str] = frozenset()
    # Whether each resident's horizon day is free (ACGME.md "Free day"): literal or 0/1.
    free: dict[tuple[int, int], Lit] = field(default_factory=dict)
    # A resident's pattern day taken off (patterns.py), where nothing else could excuse the
    # pattern's shift without touching the day: a free day there is a day off the pattern.
    days_off: dict[tuple[int, int], Lit] = field(default_factory=dict)

    @property
    def rules(self) -> RuleConfig:
        return self.problem.program.rules

    def require(self, key: str, message: str, constraint: cp_model.Constraint) -> None:
        """Files a hard constraint under the requirement it expresses (see core.solver.explain)."""
        self.requirements.add(Requirement(key, message), constraint)

    def penalise(
        self,
        name: str,
        expr: Any,
        explain: str | Callable[[int], str],
        *,
        scale: int = 1,
        person_id: int | None = None,
        date: dt.date | None = None,
    ) -> None:
        weight = self.weights[name] * scale
        # Look-ahead days only prove the range can be continued: the next range's own solve
        # weighs its goals, so nothing there costs anything here.
        if weight > 0 and (date is None or date <= self.problem.end):
            self.terms.append(Term(name, weight, expr, explain, person_id, date))

    def rotation(self, person_id: int, day: dt.date) -> str | None:
        calendar = self.candidates.rotations
        return None if calendar is None else calendar.rotation(person_id, day)

    def on_leave(self, person_id: int, day: dt.date) -> bool:
        return day in self.candidates.leave.get(person_id, frozenset())

    def both(self, a: Lit, b: Lit, name: str) -> Lit:
        """A literal that is 1 when both ``a`` and ``b`` are (pushed to 0 by its penalty)."""
        if a is True or b is True:
            return b if a is True else a
        both = self.model.new_bool_var(name)
        self.model.add_bool_or([a.Not(), b.Not(), both])
        return both
