"""The cheapest legal cover of orphaned shifts: each given to at most one stand-in, as many as
possible, exactly - a small CP-SAT model over the legal (orphan, stand-in) pairs.

Each pair is legal on its own (``standby``). Two orphans given to the same stand-in must also
be legal together: pairs of them close enough to interact (within ``PAIR_DAYS``) are checked
and forbidden together when they are not. Whatever the model chooses is then validated as a
whole by the incremental check; a stand-in whose combined shifts still break a rule gets a cut
(not all of those together) and the model is solved again, so the cover returned is legal by
the validator, and its size is the largest such cover.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import TYPE_CHECKING

from resched.core.model import Assignment
from resched.core.rules.context import ScheduleContext
from resched.core.rules.incremental import check_change

if TYPE_CHECKING:  # the web process never loads ortools (tests/test_lean_web_process.py)
    from ortools.sat.python import cp_model

PAIR_DAYS = 14
MAX_ROUNDS = 30


@dataclass(frozen=True, slots=True)
class Cover:
    """``given``: (orphan, stand-in id); ``uncovered``: the orphans left, of which
    ``impossible`` had no legal stand-in at all."""

    given: tuple[tuple[Assignment, int], ...]
    uncovered: tuple[Assignment, ...]
    impossible: tuple[Assignment, ...]

    @property
    def size(self) -> int:
        """Reassignments the repair needs."""
        return len(self.given)


def cover(
    ctx: ScheduleContext, orphans: Sequence[Assignment], options: Mapping[int, Sequence[int]]
) -> Cover:
    """Cover ``orphans`` (in a context that no longer holds them); ``options[i]`` lists who
    could take orphan ``i`` on their own."""
    pairs = [(i, pid) for i in range(len(orphans)) for pid in options.get(i, ())]
    impossible = tuple(o for i, o in enumerate(orphans) if not options.get(i))
    if not pairs:
        return Cover((), tuple(orphans), impossible)
    from ortools.sat.python import cp_model  # only the analysis (a job) pays for the solver

    model = cp_model.CpModel()
    x = {p: model.new_bool_var(f"x{p[0]}_{p[1]}") for p in pairs}
    by_orphan: dict[int, list[cp_model.IntVar]] = defaultdict(list)
    by_person: dict[int, list[int]] = defaultdict(list)
    for (i, pid), var in x.items():
        by_orphan[i].append(var)
        by_person[pid].append(i)
    for variables in by_orphan.values():
        model.add_at_most_one(variables)
    for pid, mine in by_person.items():
        for i, j in combinations(mine, 2):
            if not _together(ctx, pid, orphans[i], orphans[j]):
                model.add_bool_or([x[(i, pid)].Not(), x[(j, pid)].Not()])
    model.maximize(sum(x.values()))
    return _solve(ctx, orphans, model, x, impossible)


def _solve(
    ctx: ScheduleContext,
    orphans: Sequence[Assignment],
    model: cp_model.CpModel,
    x: Mapping[tuple[int, int], cp_model.IntVar],
    impossible: tuple[Assignment, ...],
) -> Cover:
    from ortools.sat.python import cp_model

    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1  # small models; deterministic
    solver.parameters.random_seed = 0
    for _ in range(MAX_ROUNDS):
        status = solver.solve(model)
        assert status == cp_model.OPTIMAL, "an all-zero cover is always feasible"
        chosen = [p for p, var in x.items() if solver.value(var)]
        bad = _breaking(ctx, orphans, chosen)
        if not bad:
            given = tuple((orphans[i], pid) for i, pid in sorted(chosen))
            taken = {i for i, _ in chosen}
            left = tuple(o for i, o in enumerate(orphans) if i not in taken)
            return Cover(given, left, impossible)
        for group in bad:
            model.add(sum(x[p] for p in group) <= len(group) - 1)
    raise RuntimeError("the cover did not settle; raise MAX_ROUNDS")  # pragma: no cover


def _together(ctx: ScheduleContext, pid: int, a: Assignment, b: Assignment) -> bool:
    if abs((a.date - b.date).days) > PAIR_DAYS:
        return True
    first = Assignment(pid, a.date, a.shift_code)
    second = Assignment(pid, b.date, b.shift_code)
    if (a.date, a.shift_code) == (b.date, b.shift_code) or _clash(ctx, first, second):
        return False
    return not check_change(ctx, add=[first, second]).makes_worse


def _clash(ctx: ScheduleContext, a: Assignment, b: Assignment) -> bool:
    start_a, end_a = _span(ctx, a)
    start_b, end_b = _span(ctx, b)
    return start_a < end_b and start_b < end_a


def _span(ctx: ScheduleContext, a: Assignment) -> tuple[dt.datetime, dt.datetime]:
    shift = ctx.shift_types[a.shift_code]
    start = dt.datetime.combine(a.date, shift.start)
    return start, start + dt.timedelta(minutes=shift.minutes)


def _breaking(
    ctx: ScheduleContext, orphans: Sequence[Assignment], chosen: Sequence[tuple[int, int]]
) -> list[list[tuple[int, int]]]:
    """The groups of chosen pairs whose stand-in (or slot) the whole cover breaks a rule for."""
    adds = [Assignment(pid, orphans[i].date, orphans[i].shift_code) for i, pid in chosen]
    found = check_change(ctx, add=adds).new_violations
    if not found:
        return []
    people = {f.person_id for f in found if f.person_id is not None}
    groups = [[p for p in chosen if p[1] == pid] for pid in sorted(people)]
    if any(f.person_id is None for f in found):
        groups.append(list(chosen))  # a slot rule: no finer cut is sure
    return [g for g in groups if g]
