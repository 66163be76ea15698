"""``day-off-1-in-7``: free days x 7 >= effective days in every window, leave left out."""

from __future__ import annotations

from resched.core.solver.shifts.constraints.windows import ResidentDays
from resched.core.solver.shifts.context import Lit, ModelContext
from resched.core.solver.shifts.wording import name


def free_literal(ctx: ModelContext, days: ResidentDays, k: int) -> Lit:
    """Whether horizon day ``k`` is free (ACGME.md "Free day": no duty and no at-home call
    interval touches it, and it is not leave): 0 or 1 when settled, else a literal that any
    slot touching the day turns off. Night shifts touch two days, so both lose their freedom."""
    key = (days.person.id, k)
    if key in ctx.free:
        return ctx.free[key]
    slots = days.touching.get(k, [])
    found: Lit
    if days.leave[k] or any(s.fixed for s in slots):
        found = 0
    elif not slots:
        found = 1
    else:
        found = ctx.model.new_bool_var(f"free[{days.person.code},{k}]")
        # Linear (not clauses): CP-SAT's default relaxation keeps linear constraints and drops
        # clauses, and these are what let it count the free days 1-in-7 forces.
        for slot in slots:
            ctx.model.add(found + slot.literal <= 1)
        off = ctx.days_off.get(key)
        if off is not None:
            # Implied already (a free day has no pattern shift and no excuse for missing it);
            # stated, the relaxation sees the days off that 1-in-7 forces: most of the bound
            # on ``pattern_day_off``.
            ctx.model.add(found <= off)
    ctx.free[key] = found
    return found


def add_free_days(ctx: ModelContext, days: ResidentDays) -> None:
    every = ctx.rules.free_day_every_n_days
    person = days.person
    for window in ctx.horizon.windows:
        effective = days.effective(window)
        free = [free_literal(ctx, days, k) for k in range(window.lo, window.hi)]
        if effective <= 0 or all(isinstance(f, int) for f in free):
            continue
        ctx.require(
            f"free:{person.id}",
            f"{name(person)}: one day in {every} free of duty",
            ctx.model.add(sum(free) * every >= effective),
        )
