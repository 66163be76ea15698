"""The program's rest between shifts (core/rest.py): clauses over the pairs found once per
resident (conflicts.py ``rest_clashes``), one family ``REST`` of build.py, so a diagnosis can
leave it out and name it. Pairs with a published shift were settled before the model
(variables.py): the candidate has no variable and the reason says it is resting."""

from __future__ import annotations

from resched.core.rest import MIN_REST, NIGHT_FLOAT_FREE_DAY
from resched.core.solver.shifts.constraints.conflicts import forbid
from resched.core.solver.shifts.context import ModelContext
from resched.core.solver.shifts.wording import name

REST = "min-rest"  # the family: minimum rest between shifts, and the free day after night float


def add_rest(ctx: ModelContext) -> None:
    hours = ctx.problem.program.generation.min_rest_hours
    for clash in ctx.clashes:
        person = clash.slots[0].person
        if clash.rule == MIN_REST:
            first, following = (s.describe() for s in clash.slots)
            text = (
                f"{name(person)}: {hours:g} h of rest between shifts "
                f"({first} then {following} only where the program allows that sequence)"
            )
            forbid(ctx, clash, f"rest:{person.id}", text)
        elif clash.rule == NIGHT_FLOAT_FREE_DAY:
            text = f"{name(person)}: a free day after night float ({clash.slots[0].describe()})"
            forbid(ctx, clash, f"nf-free:{person.id}", text)
