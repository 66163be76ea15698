"""Rotations' weekly patterns (defaults) and weekly quotas.

A pattern is hard with excuses: a resident on Wards works WARD on each pattern day unless
another shift keeps them from it (a call that day, the call the night before, a clinic
session), or the day is taken off, which costs ``pattern_day_off``. Off days are what the
averaged rules (1 in 7, 80 h) and the weekend goal need; the small cost keeps them to that, so
nobody on Wards is idle by accident.

A quota (e.g. one continuity-clinic half-day a week) holds exactly in full weeks on the
rotation; a week cut by the range, a rotation change or leave asks for at most the maximum
(WeeklyQuota), and the missed minimum there costs ``continuity_clinic`` instead.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from resched.core.calendar import monday_of
from resched.core.model import Role, Rotation, WeeklyQuota
from resched.core.solver.blocks.soft import add_shortfall
from resched.core.solver.shifts.context import ModelContext
from resched.core.solver.shifts.problem import CONTINUITY_CLINIC, PATTERN_DAY_OFF
from resched.core.solver.shifts.slots import Slot
from resched.core.solver.shifts.wording import day_text, name


def _partners(ctx: ModelContext) -> dict[Slot, list[Slot]]:
    """Slots that keep each slot from being worked (the other side of a two-slot clash); a
    slot hashes by identity."""
    found: dict[Slot, list[Slot]] = defaultdict(list)
    for clash in ctx.clashes:
        if len(clash.slots) == 2:
            a, b = clash.slots
            found[a].append(b)
            found[b].append(a)
    return found


def add_patterns(ctx: ModelContext) -> None:
    partners = _partners(ctx)
    rotations = {r.code: r for r in ctx.problem.rotations}
    for person in ctx.problem.people:
        if person.role is not Role.RESIDENT:
            continue
        for day in ctx.horizon.range_days():
            rotation = rotations.get(ctx.rotation(person.id, day) or "")
            if rotation is None or ctx.on_leave(person.id, day):
                continue
            codes = rotation.weekly_pattern.get(day.isoweekday(), ())
            slots = [ctx.vars.slot(person.id, day, c) for c in codes]
            present = [s for s in slots if s is not None]
            if not present:
                continue
            off = ctx.model.new_bool_var(f"off[{person.code},{day}]")
            k = ctx.horizon.index(day)
            for slot in present:
                excuses = [p for p in partners.get(slot, []) if not p.fixed]
                ctx.model.add(slot.literal + off + sum(p.literal for p in excuses) >= 1)
                if all(k in p.touches() for p in excuses):
                    ctx.days_off[(person.id, k)] = off
            text = f"{name(person)}: a day off {rotation.name} on {day_text(day)}"
            ctx.penalise(PATTERN_DAY_OFF, off, text, person_id=person.id, date=day)


def _weeks(ctx: ModelContext) -> dict[dt.date, list[dt.date]]:
    weeks: dict[dt.date, list[dt.date]] = defaultdict(list)
    for day in ctx.horizon.range_days():
        weeks[monday_of(day)].append(day)
    return weeks


def add_quotas(ctx: ModelContext) -> None:
    rotations = {r.code: r for r in ctx.problem.rotations}
    weeks = _weeks(ctx)
    for person in ctx.problem.people:
        if person.role is not Role.RESIDENT:
            continue
        for monday, days in weeks.items():
            by_rotation: dict[str, list[dt.date]] = defaultdict(list)
            for day in days:
                code = ctx.rotation(person.id, day)
                if code in rotations and not ctx.on_leave(person.id, day):
                    by_rotation[code].append(day)
            for code, on in by_rotation.items():
                for quota in rotations[code].weekly_quotas:
                    _quota(ctx, person.id, rotations[code], quota, monday, on)


def _quota(
    ctx: ModelContext,
    person_id: int,
    rotation: Rotation,
    quota: WeeklyQuota,
    monday: dt.date,
    days: list[dt.date],
) -> None:
    slots = [
        s for day in days for c in quota.shift_codes if (s := ctx.vars.slot(person_id, day, c))
    ]
    if not slots:
        return
    person = ctx.people[person_id]
    count = sum(s.literal for s in slots)
    what = "/".join(quota.shift_codes)
    key = f"quota:{person_id}:{rotation.code}:{monday}"
    ctx.require(
        key,
        f"{name(person)}: at most {quota.max_count} {what} in the week of {day_text(monday)}",
        ctx.model.add(count <= quota.max_count),
    )
    if quota.min_count <= 0:
        return
    if len(days) == 7:
        ctx.require(
            key + ":min",
            f"{name(person)}: at least {quota.min_count} {what} in the "
            f"week of {day_text(monday)} on {rotation.name}",
            ctx.model.add(count >= quota.min_count),
        )
        return
    short = add_shortfall(ctx.model, count, quota.min_count, f"short[{person.code},{monday}]")
    text = f"{name(person)}: no {what} in the part week of {day_text(monday)}"
    # Dated by the part's last day: a part in the look-ahead is the next range's to weigh.
    ctx.penalise(CONTINUITY_CLINIC, short, text, person_id=person_id, date=max(days))
