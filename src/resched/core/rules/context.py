"""The validator's input and the per-schedule precomputation every rule shares."""

from __future__ import annotations

import copy
import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from resched.core.errors import Invalid
from resched.core.intervals import DateRange, day_boundaries, load_zone
from resched.core.model import (
    Absence,
    Assignment,
    Block,
    LoggedWork,
    Person,
    Program,
    RuleConfig,
    ShiftType,
)
from resched.core.rules.findings import Finding
from resched.core.rules.timeline import Frame, PersonTimeline, Placements
from resched.core.rules.windows import Window, averaging_windows

_HOUR = 3600
# rest-after-24h is about periods of 24 h or more whatever the program's continuous-duty limit.
_LONG_PERIOD_HOURS = 24


@dataclass(frozen=True, slots=True)
class ScheduleInput:
    """Everything the validator reads (ACGME.md, "What the validator must be": pure)."""

    program: Program
    people: tuple[Person, ...]
    shift_types: tuple[ShiftType, ...]
    assignments: tuple[Assignment, ...]
    range: DateRange
    absences: tuple[Absence, ...] = ()
    logged_work: tuple[LoggedWork, ...] = ()
    blocks: tuple[Block, ...] = ()


def _exact(x: float) -> Fraction:
    # Through the decimal text, so a configured 80.1 means 801/10, not the nearest binary float.
    return Fraction(repr(x)) if isinstance(x, float) else Fraction(x)


@dataclass(frozen=True, slots=True)
class Limits:
    """The program's limits as exact integers, so every comparison is exact.

    For an integer count of seconds s and a limit F: s > F iff s > floor(F); s < F iff
    s < ceil(F)."""

    hours: Fraction
    approaching: Fraction
    max_total_seconds: int
    max_scheduled_seconds: int
    long_period_seconds: int
    rest_after_24h_seconds: int
    rest_seconds: int

    @classmethod
    def of(cls, rules: RuleConfig) -> Limits:
        scheduled = _exact(rules.max_continuous_hours) * _HOUR
        return cls(
            hours=_exact(rules.hours_per_week_limit),
            approaching=_exact(rules.approaching_hours),
            max_total_seconds=math.floor(scheduled + _exact(rules.transition_hours) * _HOUR),
            max_scheduled_seconds=math.floor(scheduled),
            long_period_seconds=_LONG_PERIOD_HOURS * _HOUR,
            rest_after_24h_seconds=math.ceil(_exact(rules.rest_after_24h_hours) * _HOUR),
            rest_seconds=math.ceil(_exact(rules.rest_between_periods_hours) * _HOUR),
        )


SlotKey = tuple[dt.date, str]


@dataclass(slots=True)
class Memo:
    """Findings already computed, per person and per supervised (date, shift) slot."""

    person: dict[int, tuple[Finding, ...]] = field(default_factory=dict)
    slot: dict[SlotKey, tuple[Finding, ...]] = field(default_factory=dict)


class ScheduleContext:
    """A schedule prepared for validation: indexes built once, per-person timelines and findings
    computed on first use and kept, so ``check_change`` only redoes what a change touches."""

    def __init__(self, data: ScheduleInput) -> None:
        self.program = data.program
        self.rules = data.program.rules
        self.range = data.range
        self.blocks = data.blocks
        self.zone = load_zone(data.program.timezone)
        self.people = {p.id: p for p in data.people}
        self.shift_types = {s.code: s for s in data.shift_types}
        _check_references(data, self.people, self.shift_types)
        bounds = day_boundaries(data.range, self.zone)
        self.frame = Frame(
            zone=self.zone,
            rng=data.range,
            bounds=bounds,
            placements=Placements(self.shift_types, self.zone, bounds),
            merge_gap_seconds=self.rules.merge_gap_minutes * 60,
            leave_window=_widened(data.range, data.shift_types),
        )
        self.windows: list[Window] = averaging_windows(
            data.range, self.rules.averaging, data.blocks
        )
        self.limits = Limits.of(self.rules)
        self._targets = _supervision_targets(data.shift_types)
        self._absences = _group(data.absences)
        self._logged = _group(data.logged_work)
        self._by_person: dict[int, tuple[Assignment, ...]] = _group(data.assignments)
        self._slots = self._index_slots(data.assignments)
        self._assignments: tuple[Assignment, ...] | None = data.assignments
        self._timelines: dict[int, PersonTimeline] = {}
        self.memo = Memo()

    @property
    def person_ids(self) -> list[int]:
        return sorted(self.people)

    @property
    def assignments(self) -> tuple[Assignment, ...]:
        """All assignments (after ``with_changes``: grouped by person, in person order)."""
        if self._assignments is None:
            self._assignments = tuple(
                a for pid in self.person_ids for a in self.assignments_of(pid)
            )
        return self._assignments

    def assignments_of(self, person_id: int) -> tuple[Assignment, ...]:
        return self._by_person.get(person_id, ())

    def absences_of(self, person_id: int) -> tuple[Absence, ...]:
        return self._absences.get(person_id, ())

    def timeline(self, person_id: int) -> PersonTimeline:
        found = self._timelines.get(person_id)
        if found is None:
            found = PersonTimeline(
                self.frame,
                self.people[person_id],
                self.assignments_of(person_id),
                self._absences.get(person_id, ()),
                self._logged.get(person_id, ()),
            )
            self._timelines[person_id] = found
        return found

    def slot(self, day: dt.date, shift_code: str) -> tuple[int, ...]:
        """Ids of the people assigned to ``shift_code`` on ``day`` (supervision-related shifts)."""
        return self._slots.get((day, shift_code), ())

    def supervision_targets(self, shift_code: str) -> tuple[str, ...]:
        """Shift types requiring supervision whose check reads assignments to ``shift_code``:
        the shift itself and every shift it supervises (``supervised_by``)."""
        return self._targets.get(shift_code, ())

    def supervised_slots(self) -> list[SlotKey]:
        """(date, shift) pairs in the range with someone on a shift that requires supervision."""
        needs = {code for code, s in self.shift_types.items() if s.requires_supervision}
        return sorted(k for k in self._slots if k[1] in needs and self.range.contains(k[0]))

    def with_changes(
        self, remove: Sequence[Assignment], add: Sequence[Assignment]
    ) -> ScheduleContext:
        """A new context with ``remove`` taken out (each once) and ``add`` put in. It shares the
        timelines and findings of every person and slot the change does not touch."""
        _check_change(self, remove, add)
        other = copy.copy(self)
        touched = {a.person_id for a in (*remove, *add)}
        by_person = {pid: list(self.assignments_of(pid)) for pid in touched}
        slots = {
            (a.date, a.shift_code): list(self.slot(a.date, a.shift_code))
            for a in (*remove, *add)
            if a.shift_code in self._targets
        }
        for i, a in enumerate(remove):
            _remove_one(by_person[a.person_id], a, f"remove[{i}]")
            if (a.date, a.shift_code) in slots:
                slots[(a.date, a.shift_code)].remove(a.person_id)
        for a in add:
            by_person[a.person_id].append(a)
            if (a.date, a.shift_code) in slots:
                slots[(a.date, a.shift_code)].append(a.person_id)
        other._by_person = {**self._by_person, **{p: tuple(v) for p, v in by_person.items()}}
        other._slots = {**self._slots, **{k: tuple(v) for k, v in slots.items()}}
        other._assignments = None
        other._timelines = {p: t for p, t in self._timelines.items() if p not in touched}
        other.memo = Memo(
            person={p: f for p, f in self.memo.person.items() if p not in touched},
            slot=dict(self.memo.slot),
        )
        for a in (*remove, *add):
            for code in self.supervision_targets(a.shift_code):
                other.memo.slot.pop((a.date, code), None)
        return other

    def _index_slots(self, assignments: Iterable[Assignment]) -> dict[SlotKey, tuple[int, ...]]:
        slots: dict[SlotKey, list[int]] = defaultdict(list)
        targets = self._targets
        for a in assignments:
            if a.shift_code in targets:
                slots[(a.date, a.shift_code)].append(a.person_id)
        return {k: tuple(v) for k, v in slots.items()}


def _widened(rng: DateRange, shift_types: Iterable[ShiftType]) -> DateRange:
    """``rng`` and the days a shift dated outside it can reach into it from, or from it."""
    longest = max((s.minutes + s.transition_minutes for s in shift_types), default=0)
    days = longest // (24 * 60) + 2  # a partial day, and a DST day of 25 hours
    first = max(rng.start.toordinal() - days, 1)
    last = min(rng.end.toordinal() + days, dt.date.max.toordinal())
    return DateRange(dt.date.fromordinal(first), dt.date.fromordinal(last))


def _group[T: (Assignment, Absence, LoggedWork)](items: Iterable[T]) -> dict[int, tuple[T, ...]]:
    grouped: dict[int, list[T]] = defaultdict(list)
    for item in items:
        grouped[item.person_id].append(item)
    return {pid: tuple(v) for pid, v in grouped.items()}


def _supervision_targets(shift_types: Iterable[ShiftType]) -> dict[str, tuple[str, ...]]:
    targets: dict[str, list[str]] = defaultdict(list)
    for s in shift_types:
        if s.requires_supervision:
            for code in dict.fromkeys((s.code, *s.supervised_by)):
                targets[code].append(s.code)
    return {code: tuple(v) for code, v in targets.items()}


def _remove_one(items: list[Assignment], target: Assignment, path: str) -> None:
    try:
        items.remove(target)
    except ValueError:
        raise _invalid([(path, "assignment not in the schedule")]) from None


def _invalid(errors: list[tuple[str, str]]) -> Invalid:
    first = f"{errors[0][0]}: {errors[0][1]}"
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return Invalid(first + more, details={"errors": [{"path": p, "message": m} for p, m in errors]})


def _check_change(
    ctx: ScheduleContext, remove: Sequence[Assignment], add: Sequence[Assignment]
) -> None:
    errors = []
    for name, items in (("remove", remove), ("add", add)):
        for i, a in enumerate(items):
            if a.person_id not in ctx.people:
                errors.append((f"{name}[{i}].person_id", f"unknown person {a.person_id}"))
            if a.shift_code not in ctx.shift_types:
                errors.append((f"{name}[{i}].shift_code", f'unknown shift type "{a.shift_code}"'))
    if errors:
        raise _invalid(errors)


def _check_references(
    data: ScheduleInput, people: dict[int, Person], shift_types: dict[str, ShiftType]
) -> None:
    """Programmatic callers get the same guarantees the interchange reader gives documents."""
    errors: list[tuple[str, str]] = []
    if len(people) != len(data.people):
        errors.append(("people", "duplicate person id"))
    if len(shift_types) != len(data.shift_types):
        errors.append(("shift_types", "duplicate shift type code"))
    for s in data.shift_types:
        errors += [
            (f"shift_types.{s.code}.supervised_by", f'unknown shift type "{c}"')
            for c in s.supervised_by
            if c not in shift_types
        ]
    for i, a in enumerate(data.assignments):
        if a.person_id not in people:
            errors.append((f"assignments[{i}].person_id", f"unknown person {a.person_id}"))
        if a.shift_code not in shift_types:
            errors.append((f"assignments[{i}].shift_code", f'unknown shift type "{a.shift_code}"'))
    for i, absence in enumerate(data.absences):
        if absence.person_id not in people:
            errors.append((f"absences[{i}].person_id", f"unknown person {absence.person_id}"))
        if absence.end < absence.start:
            errors.append((f"absences[{i}].end", "before start"))
    for i, work in enumerate(data.logged_work):
        if work.person_id not in people:
            errors.append((f"logged_work[{i}].person_id", f"unknown person {work.person_id}"))
        if work.end <= work.start:
            errors.append((f"logged_work[{i}].end", "not after start"))
    if errors:
        raise _invalid(errors[:100])
