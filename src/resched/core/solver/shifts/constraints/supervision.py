"""``supervision-ratio``: faculty on a supervised shift >= ceil(sum over residents of 1/ratio).

Linear in integers: with L the least common multiple of the ratios involved,
sum over residents of (L / ratio) <= L x faculty, which is the ceiling condition exactly
(faculty is an integer).
"""

from __future__ import annotations

import math

from resched.core.model import Role
from resched.core.solver.shifts.context import ModelContext
from resched.core.solver.shifts.wording import day_text


def add_supervision(ctx: ModelContext) -> None:
    for shift in ctx.problem.shift_types:
        if not shift.requires_supervision:
            continue
        for day in ctx.horizon.range_days():
            residents = [s for s in ctx.vars.on(day, shift.code) if s.person.role is Role.RESIDENT]
            if not residents:
                continue
            ratios = {s.key: ctx.rules.ratio_for(s.person.pgy or 1) for s in residents}
            common = math.lcm(*ratios.values())
            faculty = [
                s
                for code in dict.fromkeys((shift.code, *shift.supervised_by))
                for s in ctx.vars.on(day, code)
                if s.person.role is Role.FACULTY
            ]
            load = sum(common // ratios[s.key] * s.literal for s in residents)
            ctx.require(
                f"supervise:{shift.code}:{day}",
                f"{shift.code} on {day_text(day)} needs supervising faculty "
                f"({' or '.join(dict.fromkeys((shift.code, *shift.supervised_by)))})",
                ctx.model.add(load <= common * sum(s.literal for s in faculty)),
            )
