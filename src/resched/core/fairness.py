"""Fairness of a schedule: per resident the calls, nights, weekend and holiday duty days and
hours over a range, compared within each PGY level.

What is counted (docs/jobs.md, "Fairness report"). An assignment belongs to the local date it
starts on, and only assignments dated inside the range count:

- **calls**: in-house call assignments (kind ``in_house_call``). At-home call is not a call
  here: it puts no one in the hospital overnight.
- **nights**: dates with a night-float assignment, or with a ``work`` shift whose scheduled end
  (start + length; transition minutes not counted) lies after the local midnight that ends its
  date - a shift ending at 24:00 sharp is not a night. In-house calls cross midnight too, but
  count as calls only (as in the generator's fairness goal).
- **weekend days**: Saturdays and Sundays with at least one assignment of any kind but ``off``
  (at-home call included: the day is not free).
- **holiday days**: the academic year's holidays with such an assignment.
- **hours**: hours as ``hours-80`` counts them (rules/accounting.py): duty and logged work
  split at local midnights and clipped to the range, nothing on approved leave days.

The solver's year-to-date counters (solver/shifts/counters.py) differ on purpose in
two places: they count at-home call as a call and each assignment rather than each date.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from resched.core.intervals import DateRange
from resched.core.model import Person, Role, ShiftKind, ShiftType
from resched.core.rules.accounting import account_person
from resched.core.rules.context import ScheduleContext, ScheduleInput

FORMAT = "resched.fairness/v1"
METRICS = ("calls", "nights", "weekend_days", "holiday_days", "hours")
_MINUTES_A_DAY = 24 * 60
_HOUR = 3600


def is_night(shift: ShiftType) -> bool:
    """Night float, or a work shift scheduled past the midnight that ends its date (calls cross
    midnight too but count as calls). The one definition: the generator's fairness goal counts
    nights with it as well (solver/shifts/counters.py)."""
    if shift.kind is ShiftKind.NIGHT_FLOAT:
        return True
    end = shift.start.hour * 60 + shift.start.minute + shift.minutes
    return shift.kind is ShiftKind.WORK and end > _MINUTES_A_DAY


@dataclass(frozen=True, slots=True)
class ResidentFairness:
    """One resident's counts over the range; hours are kept as whole seconds (exact)."""

    person: Person
    calls: int
    nights: int
    weekend_days: int
    holiday_days: int
    seconds: int

    def value(self, metric: str) -> int:
        """The metric's exact value: seconds for ``hours``."""
        return self.seconds if metric == "hours" else int(getattr(self, metric))


@dataclass(frozen=True, slots=True)
class Outlier:
    code: str
    value: int
    deviation: Fraction  # value - the group's mean


@dataclass(frozen=True, slots=True)
class Spread:
    """A metric across one group: range, mean and the residents furthest from the mean
    (all of them on a tie; none when everyone has the same value)."""

    metric: str
    minimum: int
    maximum: int
    mean: Fraction
    furthest: tuple[Outlier, ...]

    @property
    def spread(self) -> int:
        return self.maximum - self.minimum


@dataclass(frozen=True, slots=True)
class GroupFairness:
    pgy: int | None  # None: residents without a PGY level this year
    residents: tuple[str, ...]
    spreads: tuple[Spread, ...]  # in METRICS order


@dataclass(frozen=True, slots=True)
class FairnessReport:
    range: DateRange
    residents: tuple[ResidentFairness, ...]
    groups: tuple[GroupFairness, ...]

    def to_json(self) -> dict[str, Any]:
        """The report as JSON values: hours in hours, means and deviations to 2 decimals."""
        return {
            "format": FORMAT,
            "range": {"start": self.range.start.isoformat(), "end": self.range.end.isoformat()},
            "residents": [_resident_json(r) for r in self.residents],
            "groups": [_group_json(g) for g in self.groups],
        }


def measure_fairness(schedule: ScheduleInput, holidays: Collection[dt.date]) -> FairnessReport:
    """Every resident's counts over ``schedule.range`` and each PGY group's spread."""
    ctx = ScheduleContext(schedule)
    days_off = frozenset(holidays)
    residents = tuple(
        _measure(ctx, pid, days_off)
        for pid in ctx.person_ids
        if ctx.people[pid].role is Role.RESIDENT
    )
    return FairnessReport(schedule.range, residents, group_fairness(residents))


def _measure(
    ctx: ScheduleContext, person_id: int, holidays: frozenset[dt.date]
) -> ResidentFairness:
    total = account_person(ctx, person_id).total
    nights: set[dt.date] = set()
    weekends: set[dt.date] = set()
    holiday_days: set[dt.date] = set()
    for a in ctx.assignments_of(person_id):
        shift = ctx.shift_types[a.shift_code]
        if not ctx.range.contains(a.date) or shift.kind is ShiftKind.OFF:
            continue
        if is_night(shift):
            nights.add(a.date)
        if a.date.isoweekday() >= 6:
            weekends.add(a.date)
        if a.date in holidays:
            holiday_days.add(a.date)
    return ResidentFairness(
        person=ctx.people[person_id],
        calls=total.calls,
        nights=len(nights),
        weekend_days=len(weekends),
        holiday_days=len(holiday_days),
        seconds=total.seconds,
    )


def group_fairness(residents: Sequence[ResidentFairness]) -> tuple[GroupFairness, ...]:
    """Residents grouped by PGY level (ascending; those without a level last)."""
    groups: dict[int | None, list[ResidentFairness]] = defaultdict(list)
    for r in residents:
        groups[r.person.pgy].append(r)
    order = sorted(groups, key=lambda pgy: (pgy is None, pgy or 0))
    return tuple(
        GroupFairness(
            pgy=pgy,
            residents=tuple(r.person.code for r in groups[pgy]),
            spreads=tuple(spread_of(metric, groups[pgy]) for metric in METRICS),
        )
        for pgy in order
    )


def spread_of(metric: str, members: Sequence[ResidentFairness]) -> Spread:
    return spread_of_values(metric, [(r.person.code, r.value(metric)) for r in members])


def spread_of_values(metric: str, values: Sequence[tuple[str, int]]) -> Spread:
    """The spread of (person code, value) pairs; at least one pair."""
    numbers = [v for _, v in values]
    mean = Fraction(sum(numbers), len(numbers))
    furthest: tuple[Outlier, ...] = ()
    if max(numbers) != min(numbers):
        distance = max(abs(v - mean) for v in numbers)
        furthest = tuple(
            Outlier(code, v, v - mean) for code, v in values if abs(v - mean) == distance
        )
    return Spread(metric, min(numbers), max(numbers), mean, furthest)


def _scaled(metric: str, value: int | Fraction) -> int | float:
    """Seconds to hours for ``hours``; counts stay whole, the rest to two decimals (a mean of
    17/3 shows as 5.67)."""
    if metric != "hours" and isinstance(value, int):
        return value
    return round(float(value) / (_HOUR if metric == "hours" else 1), 2)


def _resident_json(r: ResidentFairness) -> dict[str, Any]:
    p = r.person
    counts = {m: _scaled(m, r.value(m)) for m in METRICS}
    return {"person": p.code, "name": p.name, "pgy": p.pgy, **counts}


def _group_json(g: GroupFairness) -> dict[str, Any]:
    return {
        "pgy": g.pgy,
        "residents": list(g.residents),
        "metrics": {s.metric: spread_json(s) for s in g.spreads},
    }


def spread_json(s: Spread) -> dict[str, Any]:
    m = s.metric
    return {
        "min": _scaled(m, s.minimum),
        "max": _scaled(m, s.maximum),
        "mean": _scaled(m, s.mean),
        "spread": _scaled(m, s.spread),
        "furthest": [
            {"person": o.code, "value": _scaled(m, o.value), "deviation": _scaled(m, o.deviation)}
            for o in s.furthest
        ],
    }
