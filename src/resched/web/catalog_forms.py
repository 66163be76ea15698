"""Reading the catalog forms (shift types, rotations, coverage requirements) into core values.

Only the text is read here: numbers, times, dates, codes and lines become values, and text
that is none of them is an error at its field. Every rule of the domain (lengths, ranges,
known codes, PGY order, ...) is the services', exactly as for the API; ``field_of`` turns the
paths those name (``eligibility.pgy_min``, ``capacities[2]``) into the form's fields.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from resched.core.model import (
    Capacity,
    CoverageRequirement,
    Eligibility,
    HolidayRule,
    Role,
    Rotation,
    ShiftKind,
    ShiftType,
    WeeklyQuota,
    YearlyRequirement,
)
from resched.web.wording import KIND_LABELS, WEEKDAY_NAMES

type FormValues = Mapping[str, str | Sequence[str]]
# What a form shows: each field's text (lists for checkbox groups).
type FormText = dict[str, str | list[str]]

HOLIDAY_CHOICES = (
    (HolidayRule.ANY.value, "Holidays like any other day"),
    (HolidayRule.NOT_ON_HOLIDAYS.value, "Not on holidays (e.g. clinic closed)"),
    (HolidayRule.HOLIDAYS_ONLY.value, "On holidays only"),
)
KIND_CHOICES = tuple((kind.value, KIND_LABELS.get(kind, kind.value)) for kind in ShiftKind)
ROLE_CHOICES = ((Role.RESIDENT.value, "Residents"), (Role.FACULTY.value, "Faculty"))
WEEKDAY_CHOICES = tuple((str(day), WEEKDAY_NAMES[day]) for day in range(1, 8))
_SEPARATORS = re.compile(r"[\s,;]+")
_RANGE = re.compile(r"^\s*(\d{1,3})\s*(?:(?:-|\u2013|to)\s*(\d{1,3}))?\s*$")


class FormInvalid(Exception):
    """Text that is not what its field takes: ``errors`` maps each field to a sentence."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(", ".join(errors))
        self.errors = errors


@dataclass(slots=True)
class _Reader:
    form: FormValues
    errors: dict[str, str]

    def text(self, name: str) -> str:
        value = self.form.get(name, "")
        return (value if isinstance(value, str) else " ".join(value)).strip()

    def many(self, name: str) -> list[str]:
        value = self.form.get(name, ())
        return [value] if isinstance(value, str) else list(value)

    def flag(self, name: str) -> bool:
        return self.text(name) == "on"

    def whole(self, name: str, message: str = "Enter a whole number.") -> int:
        text = self.text(name)
        if text.isascii() and text.isdigit() and len(text) <= 6:
            return int(text)
        self.errors.setdefault(name, message)
        return 0

    def optional_whole(self, name: str) -> int | None:
        return self.whole(name) if self.text(name) else None

    def hours(self, name: str, *, allow_zero: bool) -> int:
        """Hours as typed ("10", "10.5", "0:30" as hours:minutes) in whole minutes."""
        text = self.text(name)
        minutes: float = -1
        try:
            if ":" in text:
                hours, _, rest = text.partition(":")
                minutes = int(hours) * 60 + int(rest) if len(rest) == 2 else -1
            else:
                minutes = float(text) * 60
        except ValueError:
            minutes = -1
        if not (0 <= minutes <= 10_000 and minutes == int(minutes)) or (
            minutes == 0 and not allow_zero
        ):
            self.errors.setdefault(name, "Enter hours, such as 10, 10.5 or 10:30.")
            return 0
        return int(minutes)

    def time(self, name: str) -> dt.time:
        text = self.text(name)
        try:
            if re.fullmatch(r"\d{1,2}:\d{2}(:\d{2})?", text):
                return dt.time.fromisoformat(text.zfill(5) if len(text) == 4 else text)
        except ValueError:
            pass
        self.errors.setdefault(name, "Enter a local time, such as 07:00.")
        return dt.time(0, 0)

    def codes(self, name: str) -> tuple[str, ...]:
        """Codes separated by spaces or commas, in order, each once."""
        return tuple(dict.fromkeys(c for c in _SEPARATORS.split(self.text(name)) if c))

    def dates(self, name: str) -> frozenset[dt.date]:
        found = set()
        for word in (w for w in _SEPARATORS.split(self.text(name)) if w):
            try:
                if len(word) != 10:
                    raise ValueError(word)
                found.add(dt.date.fromisoformat(word))
            except ValueError:
                self.errors.setdefault(name, f"{word} is not a date YYYY-MM-DD.")
        return frozenset(found)

    def lines(self, name: str) -> list[tuple[int, str, str]]:
        """``LEFT: RIGHT`` lines of a text area, with their line numbers (from 1)."""
        found = []
        rows = [row for row in self.text(name).splitlines() if row.strip()]
        for number, row in enumerate(rows, start=1):
            left, colon, right = row.partition(":")
            if not colon:
                self.errors.setdefault(
                    name, f"Line {number}: expected two parts and a colon, as in the hint."
                )
                continue
            found.append((number, left.strip(), right.strip()))
        return found

    def span(self, name: str, number: int, text: str) -> tuple[int, int]:
        """``3`` or ``1-3`` (also ``1 to 3``)."""
        match = _RANGE.match(text)
        if match is None:
            self.errors.setdefault(name, f"Line {number}: {text or '(empty)'} is not N or N-M.")
            return (0, 0)
        low = int(match.group(1))
        return low, int(match.group(2) or low)

    def done[T](self, value: T) -> T:
        if self.errors:
            raise FormInvalid(self.errors)
        return value


def _join(values: Sequence[object]) -> str:
    return " ".join(str(v) for v in values)


def _span(low: int, high: int) -> str:
    return str(low) if low == high else f"{low}-{high}"


def _hours(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    return f"{hours}:{rest:02d}" if rest else str(hours)


# Shift types ---------------------------------------------------------------------------------

SHIFT_FIELDS = {"minutes": "hours", "transition_minutes": "transition_hours", "start": "start"}


def shift_type_of(form: FormValues) -> ShiftType:
    read = _Reader(form, {})
    kind = read.text("kind")
    if kind not in {k.value for k in ShiftKind}:
        read.errors["kind"] = "Choose what kind of duty this is."
    shift = ShiftType(
        code=read.text("code"),
        name=read.text("name"),
        start=read.time("start"),
        minutes=read.hours("hours", allow_zero=False),
        kind=ShiftKind(kind) if kind in {k.value for k in ShiftKind} else ShiftKind.WORK,
        transition_minutes=read.hours("transition_hours", allow_zero=True)
        if read.text("transition_hours")
        else 0,
        requires_supervision=read.flag("requires_supervision"),
        supervised_by=read.codes("supervised_by"),
    )
    return read.done(shift)


def shift_type_text(shift: ShiftType | None) -> FormText:
    if shift is None:
        return {"kind": ShiftKind.WORK.value, "transition_hours": "0"}
    return {
        "code": shift.code,
        "name": shift.name,
        "start": shift.start.strftime("%H:%M"),
        "hours": _hours(shift.minutes),
        "kind": shift.kind.value,
        "transition_hours": _hours(shift.transition_minutes),
        "requires_supervision": "on" if shift.requires_supervision else "",
        "supervised_by": _join(shift.supervised_by),
    }


# Rotations -----------------------------------------------------------------------------------


def rotation_of(form: FormValues) -> Rotation:
    read = _Reader(form, {})
    pattern = {day: read.codes(f"pattern_{day}") for day in range(1, 8)}
    capacities = []
    for number, left, right in read.lines("capacities"):
        pgy_min, pgy_max = read.span("capacities", number, left.upper().removeprefix("PGY"))
        low, high = read.span("capacities", number, right)
        capacities.append(Capacity(pgy_min, pgy_max, low, high))
    requirements = []
    for number, left, right in read.lines("requirements"):
        pgy, other = read.span("requirements", number, left.upper().removeprefix("PGY"))
        if pgy != other:
            read.errors.setdefault("requirements", f"Line {number}: one PGY level a line.")
        low, high = read.span("requirements", number, right)
        requirements.append(YearlyRequirement(pgy, low, high))
    quotas = []
    for number, left, right in read.lines("weekly_quotas"):
        low, high = read.span("weekly_quotas", number, right)
        codes = tuple(c for c in _SEPARATORS.split(left) if c)
        quotas.append(WeeklyQuota(codes, low, high))
    rotation = Rotation(
        code=read.text("code"),
        name=read.text("name"),
        weekly_pattern={day: codes for day, codes in pattern.items() if codes},
        capacities=tuple(capacities),
        requirements=tuple(requirements),
        leave_eligible=read.flag("leave_eligible"),
        allows_half_block=read.flag("allows_half_block"),
        not_adjacent_to=read.codes("not_adjacent_to"),
        colour=read.text("colour") or "#cccccc",
        weekly_quotas=tuple(quotas),
        prerequisites=read.codes("prerequisites"),
    )
    return read.done(rotation)


def rotation_text(rotation: Rotation | None) -> FormText:
    if rotation is None:
        return {"colour": "#4e79a7"}
    text: FormText = {
        "code": rotation.code,
        "name": rotation.name,
        "colour": rotation.colour,
        "leave_eligible": "on" if rotation.leave_eligible else "",
        "allows_half_block": "on" if rotation.allows_half_block else "",
        "not_adjacent_to": _join(rotation.not_adjacent_to),
        "prerequisites": _join(rotation.prerequisites),
        "capacities": "\n".join(
            f"{_span(c.pgy_min, c.pgy_max)}: {_span(c.min_count, c.max_count)}"
            for c in rotation.capacities
        ),
        "requirements": "\n".join(
            f"{r.pgy}: {_span(r.min_blocks, r.max_blocks)}" for r in rotation.requirements
        ),
        "weekly_quotas": "\n".join(
            f"{_join(q.shift_codes)}: {_span(q.min_count, q.max_count)}"
            for q in rotation.weekly_quotas
        ),
    }
    for day in range(1, 8):
        text[f"pattern_{day}"] = _join(rotation.weekly_pattern.get(day, ()))
    return text


def rotation_field(path: str) -> str:
    """``capacities[2]`` -> ``capacities``; ``weekly_pattern`` is the week's fieldset."""
    return path.split("[", 1)[0].split(".", 1)[0]


# Coverage requirements -----------------------------------------------------------------------


def coverage_of(form: FormValues) -> CoverageRequirement:
    read = _Reader(form, {})
    weekdays = set()
    for day in read.many("weekdays"):
        if day in {value for value, _ in WEEKDAY_CHOICES}:
            weekdays.add(int(day))
        else:
            read.errors.setdefault("weekdays", "Choose weekdays from Monday to Sunday.")
    roles = set()
    for role in read.many("roles"):
        if role in {r.value for r in Role}:
            roles.add(Role(role))
        else:
            read.errors.setdefault("roles", "Choose residents, faculty or both.")
    if not read.text("shift_code"):
        read.errors["shift_code"] = "Choose the shift."
    holidays = read.text("holidays") or HolidayRule.ANY.value
    if holidays not in {h.value for h in HolidayRule}:
        read.errors["holidays"] = "Choose how the rule treats holidays."
        holidays = HolidayRule.ANY.value
    coverage = CoverageRequirement(
        name=read.text("name"),
        shift_code=read.text("shift_code"),
        weekdays=frozenset(weekdays),
        min_count=read.whole("min_count"),
        max_count=read.whole("max_count"),
        eligibility=Eligibility(
            roles=frozenset(roles),
            pgy_min=read.optional_whole("pgy_min"),
            pgy_max=read.optional_whole("pgy_max"),
            rotations=frozenset(read.codes("rotations")),
            credentials=frozenset(read.codes("credentials")),
        ),
        dates=read.dates("dates"),
        except_dates=read.dates("except_dates"),
        holidays=HolidayRule(holidays),
    )
    return read.done(coverage)


def coverage_text(coverage: CoverageRequirement | None) -> FormText:
    if coverage is None:
        return {
            "weekdays": [str(day) for day in range(1, 6)],
            "min_count": "1",
            "max_count": "1",
            "holidays": HolidayRule.ANY.value,
            "roles": [Role.RESIDENT.value],
        }
    who = coverage.eligibility
    return {
        "name": coverage.name,
        "shift_code": coverage.shift_code,
        "weekdays": [str(day) for day in sorted(coverage.weekdays)],
        "min_count": str(coverage.min_count),
        "max_count": str(coverage.max_count),
        "holidays": coverage.holidays.value,
        "roles": sorted(role.value for role in who.roles),
        "pgy_min": "" if who.pgy_min is None else str(who.pgy_min),
        "pgy_max": "" if who.pgy_max is None else str(who.pgy_max),
        "rotations": _join(sorted(who.rotations)),
        "credentials": _join(sorted(who.credentials)),
        "dates": _join(sorted(d.isoformat() for d in coverage.dates)),
        "except_dates": _join(sorted(d.isoformat() for d in coverage.except_dates)),
    }


def coverage_field(path: str) -> str:
    """``eligibility.pgy_min`` -> ``pgy_min``; ``credentials[0]`` -> ``credentials``."""
    return path.removeprefix("eligibility.").split("[", 1)[0]
