"""A first schedule built greedily on the model's slots, to hint CP-SAT.

On the 150-resident program CP-SAT found no schedule at all within 120 s (docs/performance.md):
its search starts from nothing and the averaged rules (1 in 7, 80 h, call q3) tie every day of a
resident to 27 others. This constructs one in a single pass instead, from the same slots and
clashes the model is built on, so it is general (any program, any rules the model states) and
never legal by accident only:

1. locked slots; 2. each coverage demand's minimum, day by day, the scarcest demand first, each
from the eligible person with the most room (their rotation's own shift first, then the fewest
of that shift so far); 3. the minimum of each full week's quota; 4. supervising faculty where a
session's residents need more; 5. each rotation's pattern shifts where they still fit (each one
missing would cost ``pattern_day_off``).

A slot is added only when every "at most" rule still holds with it: no clash of the model
(overlap, continuous duty, rest), the free days, hours and calls of every averaging window it
touches, night-float runs, the demands' maxima and the weekly quotas' maxima. The "at least"
rules are what the passes fill; one left short (a demand nobody can take) is left to CP-SAT,
which repairs the hint. The hint is only a starting point: every schedule returned is still
CP-SAT's and checked by ``core.rules``.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass, field

from resched.core.calendar import monday_of
from resched.core.model import Role, ShiftKind, ShiftType
from resched.core.solver.shifts.candidates import is_eligible
from resched.core.solver.shifts.constraints.coverage import eligible_slots
from resched.core.solver.shifts.constraints.windows import ResidentDays, resident_days
from resched.core.solver.shifts.context import ModelContext
from resched.core.solver.shifts.slots import Slot

_HOUR, _WEEK = 3600, 7


@dataclass(frozen=True, slots=True)
class FirstSchedule:
    """The slots the greedy works, and the people who could have taken a minimum it left
    short (whose slots a repair should free: hint.py)."""

    worked: list[Slot]
    short: frozenset[int]


@dataclass(slots=True)
class _Resident:
    """One resident's running totals per averaging window (what the "at most" rules read)."""

    days: ResidentDays
    effective: list[int]
    busy: list[int]  # per horizon day: worked slots touching it (a day with none is free)
    free: list[int]  # per window: free days
    seconds: list[int]  # per window: duty seconds on days that are not leave
    calls: list[int]  # per window: in-house calls starting in it
    nights: set[dt.date] = field(default_factory=set)


class Greedy:
    """``quotas_first``: the weekly quotas' minima are placed on each Monday before the
    week's coverage, spread over the days (else after all coverage, where it left room)."""

    def __init__(self, ctx: ModelContext, *, quotas_first: bool = False) -> None:
        self.ctx = ctx
        self.quotas_first = quotas_first
        self.worked: set[Slot] = set()  # worked decided slots (a slot hashes by identity)
        self.count: dict[tuple[int, str], int] = defaultdict(int)  # (person, shift) -> worked
        self.total: dict[int, int] = defaultdict(int)  # person -> worked
        self.short: set[int] = set()  # people who could take a minimum left short
        self._clashes: dict[Slot, list[tuple[Slot, ...]]] = defaultdict(list)
        for clash in ctx.clashes:
            for slot in clash.slots:
                self._clashes[slot].append(clash.slots)
        windows = ctx.horizon.windows
        self._windows_of: dict[int, list[int]] = defaultdict(list)
        for w, window in enumerate(windows):
            for k in range(window.lo, window.hi):
                self._windows_of[k].append(w)
        self._residents: dict[int, _Resident] = {}
        for days in resident_days(ctx):
            self._residents[days.person.id] = self._resident(days)
        self._holidays = frozenset(ctx.problem.holidays)

    def _resident(self, days: ResidentDays) -> _Resident:
        windows = self.ctx.horizon.windows
        busy = [0] * self.ctx.horizon.days
        state = _Resident(
            days,
            [days.effective(w) for w in windows],
            busy,
            [0] * len(windows),
            [0] * len(windows),
            [0] * len(windows),
        )
        for k, slots in days.touching.items():
            busy[k] = sum(1 for s in slots if s.fixed)
        for w, window in enumerate(windows):
            state.free[w] = sum(
                1 for k in range(window.lo, window.hi) if not busy[k] and not days.leave[k]
            )
        for slot in self.ctx.vars.of_person(days.person.id):
            if slot.fixed:
                self._count(state, slot, 1)
        return state

    # -- the "at most" rules -------------------------------------------------------------
    def _is_on(self, slot: Slot) -> bool:
        return slot.fixed or slot in self.worked

    def fits(self, slot: Slot) -> bool:
        if slot.literal is None or slot in self.worked:
            return False
        for others in self._clashes.get(slot, ()):
            if all(self._is_on(s) for s in others if s is not slot):
                return False
        if not self._demands_fit(slot) or not self._quotas_fit(slot):
            return False
        state = self._residents.get(slot.person.id)
        return state is None or self._windows_fit(state, slot)

    def _windows_fit(self, state: _Resident, slot: Slot) -> bool:
        rules = self.ctx.rules
        limits = self.ctx.timing.limits.hours
        horizon = self.ctx.horizon
        newly = (
            [k for k in slot.touches() if k < horizon.days and not state.busy[k]]
            if slot.kind is not ShiftKind.OFF
            else []
        )
        seconds = self._seconds(state, slot)
        call = slot.kind is ShiftKind.IN_HOUSE_CALL
        start = horizon.index(slot.day)
        touched = {w for k in slot.touches() for w in self._windows_of.get(k, ())}
        if call:
            touched.update(self._windows_of.get(start, ()))
        for w in touched:
            effective = state.effective[w]
            if effective <= 0:
                continue
            window = horizon.windows[w]
            lost = sum(1 for k in newly if window.lo <= k < window.hi and not state.days.leave[k])
            if lost and (state.free[w] - lost) * rules.free_day_every_n_days < effective:
                return False
            added = sum(s for k, s in seconds if window.lo <= k < window.hi)
            worked = (state.seconds[w] + added) * limits.denominator * _WEEK
            if added and worked > limits.numerator * _HOUR * effective:
                return False
            inside = call and window.lo <= start < window.hi
            if inside and (state.calls[w] + 1) * rules.call_every_nth_night > effective:
                return False
        if slot.kind is ShiftKind.NIGHT_FLOAT:
            return self._nights_fit(state, slot.day)
        return True

    def _seconds(self, state: _Resident, slot: Slot) -> list[tuple[int, int]]:
        if not slot.is_duty:
            return []
        return [
            (k, s) for k, s in slot.parts if 0 <= k < len(state.busy) and not state.days.leave[k]
        ]

    def _nights_fit(self, state: _Resident, day: dt.date) -> bool:
        limit = self.ctx.rules.night_float_max_consecutive
        if limit <= 0:
            return True
        run = 1
        for step in (-1, 1):
            other = day + dt.timedelta(days=step)
            while other in state.nights:
                run += 1
                other += dt.timedelta(days=step)
        return run <= limit

    def _demands_fit(self, slot: Slot) -> bool:
        rotation = self.ctx.rotation(slot.person.id, slot.day)
        for need in self.ctx.problem.coverage:
            if (
                need.shift_code == slot.shift.code
                and need.applies_on(slot.day, self._holidays)
                and is_eligible(slot.person, rotation, need.eligibility)
            ):
                taken = sum(1 for s in eligible_slots(self.ctx, need, slot.day) if self._is_on(s))
                if taken + 1 > need.max_count:
                    return False
        return True

    def _quotas_fit(self, slot: Slot) -> bool:
        for codes, most, _, days in self._quotas(slot.person.id, slot.day):
            if slot.shift.code in codes and self._quota_count(slot.person.id, codes, days) >= most:
                return False
        return True

    def _quotas(
        self, person_id: int, day: dt.date
    ) -> list[tuple[tuple[str, ...], int, int, list[dt.date]]]:
        """The weekly quotas of the person's rotation on ``day``: codes, max, min (0 in a part
        week) and the week's days on that rotation."""
        ctx = self.ctx
        if ctx.people[person_id].role is not Role.RESIDENT:
            return []
        code = ctx.rotation(person_id, day)
        rotation = next((r for r in ctx.problem.rotations if r.code == code), None)
        if rotation is None or not rotation.weekly_quotas or ctx.on_leave(person_id, day):
            return []
        monday = monday_of(day)
        week = [monday + dt.timedelta(days=i) for i in range(7)]
        days = [
            d
            for d in week
            if ctx.horizon.decides(d)
            and ctx.rotation(person_id, d) == code
            and not ctx.on_leave(person_id, d)
        ]
        full = len(days) == 7
        return [
            (q.shift_codes, q.max_count, q.min_count if full else 0, days)
            for q in rotation.weekly_quotas
        ]

    def _quota_count(self, person_id: int, codes: tuple[str, ...], days: list[dt.date]) -> int:
        found = 0
        for day in days:
            for code in codes:
                slot = self.ctx.vars.slot(person_id, day, code)
                found += slot is not None and self._is_on(slot)
        return found

    # -- adding ------------------------------------------------------------------------
    def add(self, slot: Slot) -> bool:
        if not self.fits(slot) or not self._supervised(slot):
            return False
        self.worked.add(slot)
        self.count[(slot.person.id, slot.shift.code)] += 1
        self.total[slot.person.id] += 1
        state = self._residents.get(slot.person.id)
        if state is not None:
            self._count(state, slot, 1)
        return True

    def _count(self, state: _Resident, slot: Slot, sign: int) -> None:
        horizon = self.ctx.horizon
        if slot.kind is not ShiftKind.OFF:
            for k in slot.touches():
                if k >= horizon.days:
                    continue
                if not state.busy[k] and not state.days.leave[k] and not slot.fixed:
                    for w in self._windows_of.get(k, ()):
                        state.free[w] -= 1
                if not slot.fixed:
                    state.busy[k] += 1
        for k, seconds in self._seconds(state, slot):
            for w in self._windows_of.get(k, ()):
                state.seconds[w] += seconds
        if slot.kind is ShiftKind.IN_HOUSE_CALL:
            for w in self._windows_of.get(horizon.index(slot.day), ()):
                state.calls[w] += 1
        if slot.kind is ShiftKind.NIGHT_FLOAT:
            state.nights.add(slot.day)

    def _room(self, slot: Slot) -> int:
        """Spare free days (times the rule's n) in the tightest window the slot touches: who
        has the most is taken first, so that nobody's windows fill up while others idle."""
        state = self._residents.get(slot.person.id)
        if state is None:
            return 0
        every = self.ctx.rules.free_day_every_n_days
        windows = {w for k in slot.touches() for w in self._windows_of.get(k, ())}
        return min(
            (state.free[w] * every - state.effective[w] for w in windows if state.effective[w] > 0),
            default=0,
        )

    def _newly_busy(self, slot: Slot) -> int:
        """Days the slot would take from the person's free days: a night after a night takes
        one (the morning is taken already), a night after a day two."""
        state = self._residents.get(slot.person.id)
        if state is None or slot.kind is ShiftKind.OFF:
            return 0
        return sum(1 for k in slot.touches() if k < len(state.busy) and not state.busy[k])

    def _owes(self, slot: Slot) -> int:
        """1 when the person still owes a weekly quota that the slot's day could hold: others
        take the day's coverage first, so that the quota finds room later."""
        if slot.person.role is not Role.RESIDENT:
            return 0
        for codes, _, least, days in self._quotas(slot.person.id, slot.day):
            owed = least > 0 and slot.shift.code not in codes
            if owed and self._quota_count(slot.person.id, codes, days) < least:
                return 1
        return 0

    def _rank(self, slot: Slot) -> tuple[int, int, int, int, int, int, int]:
        patterned = slot.key in self.ctx.candidates.patterned
        return (
            0 if patterned else 1,
            self._owes(slot),
            self._newly_busy(slot),
            -self._room(slot),
            self.count[(slot.person.id, slot.shift.code)],
            self.total[slot.person.id],
            slot.person.id,
        )

    def fill(self, slots: list[Slot], wanted: int) -> bool:
        """Adds slots of ``slots`` until ``wanted`` of them are worked; whether they are."""
        have = sum(1 for s in slots if self._is_on(s))
        for slot in sorted((s for s in slots if not self._is_on(s)), key=self._rank):
            if have >= wanted:
                break
            have += self.add(slot)
        return have >= wanted

    # -- the passes ----------------------------------------------------------------------
    def run(self) -> FirstSchedule:
        ctx = self.ctx
        locked = {(a.person_id, a.date, a.shift_code) for a in ctx.problem.locked}
        for slot in ctx.vars.decided:
            if slot.key in locked:
                self.worked.add(slot)
                state = self._residents.get(slot.person.id)
                if state is not None:
                    self._count(state, slot, 1)
        for day in ctx.horizon.range_days():
            if self.quotas_first:
                self._quota_minimums(day)
            self._cover(day)
        for day in ctx.horizon.range_days():
            if not self.quotas_first:
                self._quota_minimums(day)
            for shift in ctx.problem.shift_types:
                if shift.requires_supervision and not self._supervise(day, shift):
                    self.short.update(s.person.id for s in ctx.vars.on(day, shift.code))
        self._patterns()
        worked = [s for s in ctx.vars.decided if s in self.worked]
        return FirstSchedule(worked, frozenset(self.short))

    def _cover(self, day: dt.date) -> None:
        demands = []
        for index, need in enumerate(self.ctx.problem.coverage):
            if f"coverage:{index}" in self.ctx.left_out or not need.applies_on(day, self._holidays):
                continue
            slots = eligible_slots(self.ctx, need, day)
            least = (
                need.min_count if day <= self.ctx.problem.end else min(need.min_count, len(slots))
            )
            if least > 0:
                demands.append((len(slots) - least, index, slots, least))
        for _, _, slots, least in sorted(demands, key=lambda d: (d[0], d[1])):
            self._must(slots, least)

    def _quota_minimums(self, day: dt.date) -> None:
        """On a Monday, before the week's coverage (which would fill the week with the
        people's other shifts): each full week's quota minimum, on the days where the fewest
        of the same rotation take theirs, so that a team is never away all on one day."""
        if day.weekday() != 0:
            return
        away: dict[tuple[str | None, dt.date], int] = defaultdict(int)
        for person in self.ctx.problem.people:
            rotation = self.ctx.rotation(person.id, day)
            for codes, _, least, days in self._quotas(person.id, day):
                if least <= 0:
                    continue
                slots = sorted(
                    (
                        s
                        for d in days
                        for c in codes
                        if (s := self.ctx.vars.slot(person.id, d, c)) is not None
                    ),
                    key=lambda s: (away[(rotation, s.day)], self._rank(s)),
                )
                have = self._quota_count(person.id, codes, days)
                for slot in slots:
                    if have >= least:
                        break
                    if self.add(slot):
                        have += 1
                        away[(rotation, slot.day)] += 1
                if have < least:
                    self.short.update(s.person.id for s in slots)

    def _must(self, slots: list[Slot], wanted: int) -> None:
        if not self.fill(slots, wanted):
            self.short.update(s.person.id for s in slots)

    def _supervised(self, slot: Slot) -> bool:
        """A resident joins a supervised session only with enough supervising faculty on it
        (added first if need be)."""
        if slot.shift.requires_supervision and slot.person.role is Role.RESIDENT:
            return self._supervise(slot.day, slot.shift, slot)
        return True

    def _supervise(self, day: dt.date, shift: ShiftType, joining: Slot | None = None) -> bool:
        ctx = self.ctx
        residents = [
            s
            for s in ctx.vars.on(day, shift.code)
            if s.person.role is Role.RESIDENT and (self._is_on(s) or s is joining)
        ]
        if not residents:
            return True
        ratios = [ctx.rules.ratio_for(s.person.pgy or 1) for s in residents]
        common = math.lcm(*ratios)
        needed = -(-sum(common // r for r in ratios) // common)
        faculty = [
            s
            for code in dict.fromkeys((shift.code, *shift.supervised_by))
            for s in ctx.vars.on(day, code)
            if s.person.role is Role.FACULTY
        ]
        return self.fill(faculty, needed)

    def _patterns(self) -> None:
        for slot in sorted(
            (s for s in self.ctx.vars.decided if s.key in self.ctx.candidates.patterned),
            key=lambda s: (s.day, s.person.id, s.shift.code),
        ):
            if not self._is_on(slot):
                self.add(slot)


def greedy_schedule(ctx: ModelContext) -> FirstSchedule:
    """The decided slots a greedy first schedule works (see the module's docstring). The
    quotas' minima are placed after the coverage (which suits a tight team: the demo's three
    emergency residents) and, if that leaves a minimum short, before it (which suits a program
    whose teams fill every weekday, leaving no room for clinic afterwards); the one that
    leaves fewer people short is kept."""
    first = Greedy(ctx).run()
    if not first.short:
        return first
    other = Greedy(ctx, quotas_first=True).run()
    return other if len(other.short) < len(first.short) else first
