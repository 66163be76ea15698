"""``continuous-duty`` and ``rest-after-24h``: clauses over chains of duty slots.

The chains are found once per resident (conflicts.py): a chain the validator would merge into
one duty period longer than 24 + 4 h is forbidden; so is a period of 24 h or more followed by
duty less than 14 h after it.
"""

from __future__ import annotations

from resched.core.rules.findings import CONTINUOUS_DUTY, REST_AFTER_24H
from resched.core.solver.shifts.constraints.conflicts import forbid
from resched.core.solver.shifts.context import ModelContext
from resched.core.solver.shifts.wording import name


def add_duty_periods(ctx: ModelContext) -> None:
    rules = ctx.rules
    for clash in ctx.clashes:
        person = clash.slots[0].person
        if clash.rule == CONTINUOUS_DUTY:
            limit = f"{rules.max_continuous_hours:g} + {rules.transition_hours:g} h"
            text = f"{name(person)}: at most {limit} of continuous duty"
            forbid(ctx, clash, f"continuous:{person.id}", text)
        elif clash.rule == REST_AFTER_24H:
            text = f"{name(person)}: {rules.rest_after_24h_hours:g} h off after 24 h on duty"
            forbid(ctx, clash, f"rest24:{person.id}", text)
