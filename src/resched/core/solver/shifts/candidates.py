"""Which (person, day, shift) triples get a variable: only those someone could legally want.

A triple is a candidate on a day of the range when the person is eligible for a coverage demand
of that shift that day (role, PGY, rotation, credentials), or the shift is in their rotation's
weekly pattern (unless the shift is closed that day: a holiday, and every coverage demand of
the shift says "not on holidays"), or it is locked or published (repair keeps what it can).
Leave removes it
(``absence-conflict``: an interval must not touch a leave day). Keeping the model to these
triples is what keeps it small: most people can do two or three shifts on a given day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from resched.core.model import Eligibility, HolidayRule, Person, Role, ShiftType
from resched.core.rules.findings import fmt_day
from resched.core.solver.shifts.horizon import Horizon, RotationCalendar, leave_by_person
from resched.core.solver.shifts.problem import ShiftProblem
from resched.core.solver.shifts.slots import Placer, Slot, SlotKey


def is_eligible(person: Person, rotation: str | None, rule: Eligibility) -> bool:
    """Empty parts of ``rule`` restrict nothing; a PGY bound excludes people without a PGY."""
    if rule.roles and person.role not in rule.roles:
        return False
    if rule.pgy_min is not None and (person.pgy is None or person.pgy < rule.pgy_min):
        return False
    if rule.pgy_max is not None and (person.pgy is None or person.pgy > rule.pgy_max):
        return False
    if rule.rotations and rotation not in rule.rotations:
        return False
    return rule.credentials <= person.credentials


@dataclass(slots=True)
class Candidates:
    """The slots of the model. ``removed`` says why a wanted triple has no variable (for the
    explanations); ``patterned`` are triples a rotation asks for by pattern or weekly quota;
    ``locked`` triples are settled facts, like published ones, when clashes are settled."""

    slots: list[Slot]
    fixed: list[Slot]
    removed: dict[SlotKey, str] = field(default_factory=dict)
    patterned: set[SlotKey] = field(default_factory=set)
    locked: set[SlotKey] = field(default_factory=set)
    rotations: RotationCalendar | None = None
    leave: dict[int, frozenset[dt.date]] = field(default_factory=dict)


def closed_on_holidays(problem: ShiftProblem) -> frozenset[str]:
    """Shift codes closed on holidays: every coverage demand of the shift says "not on
    holidays" (clinics on Thanksgiving), so no weekly pattern asks for them on a holiday."""
    rules: dict[str, set[HolidayRule]] = {}
    for need in problem.coverage:
        rules.setdefault(need.shift_code, set()).add(need.holidays)
    return frozenset(
        code for code, kinds in rules.items() if kinds == {HolidayRule.NOT_ON_HOLIDAYS}
    )


def _wanted(
    problem: ShiftProblem, horizon: Horizon, calendar: RotationCalendar
) -> dict[SlotKey, bool]:
    """Candidate triples of the range, mapped to True when a pattern or quota asks for them."""
    people = [p for p in problem.people if p.active]
    rotations = {r.code: r for r in problem.rotations}
    wanted: dict[SlotKey, bool] = {}
    holidays = frozenset(problem.holidays)
    closed = closed_on_holidays(problem)
    for day in horizon.range_days():
        weekday = day.isoweekday()
        for person in people:
            code = calendar.rotation(person.id, day)
            rotation = rotations.get(code) if code else None
            if rotation is not None and person.role is Role.RESIDENT:
                for shift in rotation.weekly_pattern.get(weekday, ()):
                    if not (day in holidays and shift in closed):
                        wanted[(person.id, day, shift)] = True
                quota_shifts = {s for q in rotation.weekly_quotas for s in q.shift_codes}
            else:
                quota_shifts = set()
            for need in problem.coverage:
                if need.applies_on(day, holidays) and is_eligible(person, code, need.eligibility):
                    key = (person.id, day, need.shift_code)
                    wanted[key] = wanted.get(key, False) or need.shift_code in quota_shifts
    for a in (*problem.locked, *problem.published):
        if horizon.decides(a.date):
            wanted.setdefault((a.person_id, a.date, a.shift_code), False)
    return wanted


def _on_leave(slot: Slot, leave: frozenset[dt.date], horizon: Horizon) -> dt.date | None:
    for k in slot.touches():
        day = horizon.day(k)
        if day in leave:
            return day
    # A shift reaching past the horizon's end may still touch a leave day after it.
    last = slot.interval.last_day
    return last if last > horizon.last and last in leave else None


def build_candidates(problem: ShiftProblem, horizon: Horizon, placer: Placer) -> Candidates:
    calendar = RotationCalendar(problem.blocks, problem.plan)
    leave = leave_by_person(problem.approved_absences)
    people = {p.id: p for p in problem.people}
    shifts: dict[str, ShiftType] = {s.code: s for s in problem.shift_types}
    found = Candidates([], [], rotations=calendar, leave=leave)
    found.locked = {(a.person_id, a.date, a.shift_code) for a in problem.locked}
    for (pid, day, code), patterned in sorted(_wanted(problem, horizon, calendar).items()):
        slot = placer.place(people[pid], day, shifts[code], fixed=False)
        away = _on_leave(slot, leave.get(pid, frozenset()), horizon)
        if away is not None:
            found.removed[slot.key] = f"on leave {fmt_day(away)}"
            continue
        found.slots.append(slot)
        if patterned:
            found.patterned.add(slot.key)
    for a in (*problem.before, *problem.after):
        # Everything published outside the range, as the validator will see it: a call two
        # days before the horizon still ends inside it.
        if not horizon.decides(a.date):
            found.fixed.append(
                placer.place(people[a.person_id], a.date, shifts[a.shift_code], fixed=True)
            )
    return found
