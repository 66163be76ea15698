"""Requests: days off, shifts wanted, shifts not wanted; each missed day costs the request's
weight times the program's weight for its kind."""

from __future__ import annotations

import datetime as dt

from resched.core.model import Request, RequestKind, RequestStatus, ShiftKind
from resched.core.solver.shifts.context import ModelContext
from resched.core.solver.shifts.problem import REQUEST_DAY_OFF, REQUEST_SHIFT_OFF, REQUEST_SHIFT_ON
from resched.core.solver.shifts.wording import day_text, name

_ACTIVE = frozenset({RequestStatus.OPEN, RequestStatus.GRANTED})


def _days(ctx: ModelContext, request: Request) -> list[dt.date]:
    first, last = max(request.start, ctx.horizon.start), min(request.end, ctx.problem.end)
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


def add_requests(ctx: ModelContext) -> None:
    for request in ctx.problem.requests:
        if request.status not in _ACTIVE or request.person_id not in ctx.people:
            continue
        for day in _days(ctx, request):
            if request.kind is RequestKind.DAY_OFF:
                _day_off(ctx, request, day)
            elif request.kind is RequestKind.SHIFT_ON and request.shift_code:
                _shift(ctx, request, day, wanted=True)
            elif request.kind is RequestKind.SHIFT_OFF and request.shift_code:
                _shift(ctx, request, day, wanted=False)


def _day_off(ctx: ModelContext, request: Request, day: dt.date) -> None:
    """Missed when any slot touches the day (the day is not free)."""
    k = ctx.horizon.index(day)
    touching = [
        s
        for s in ctx.vars.of_person(request.person_id)
        if s.kind is not ShiftKind.OFF and k in s.touches()
    ]
    if not touching:
        return
    missed = ctx.model.new_bool_var(f"dayoff[{request.person_id},{day}]")
    for slot in touching:
        ctx.model.add(missed >= slot.lit)
    person = ctx.people[request.person_id]
    note = f" ({request.note})" if request.note else ""
    text = f"{name(person)}: asked for {day_text(day)} off{note}"
    ctx.penalise(REQUEST_DAY_OFF, missed, text, scale=request.weight, person_id=person.id, date=day)


def _shift(ctx: ModelContext, request: Request, day: dt.date, *, wanted: bool) -> None:
    code = request.shift_code or ""
    person = ctx.people[request.person_id]
    slot = ctx.vars.slot(person.id, day, code)
    if slot is None and not wanted:
        return
    name_ = REQUEST_SHIFT_ON if wanted else REQUEST_SHIFT_OFF
    if slot is None:
        missed: object = 1  # wanted but impossible: reported, never granted
    else:
        missed = 1 - slot.literal if wanted else slot.literal
    verb = "asked for" if wanted else "asked not to work"
    text = f"{name(person)}: {verb} {code} on {day_text(day)}"
    ctx.penalise(name_, missed, text, scale=request.weight, person_id=person.id, date=day)
