"""The filters of a schedule view: what narrows its rows (PGY level, rotation, shift type,
person), what the filter form offers, and the refusal of a code nobody has - a filter is never
dropped silently, which would show everyone to a reader who believes they see one rotation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence, Set
from dataclasses import dataclass

from resched.core.errors import Invalid
from resched.core.model import Person, Role, Rotation, ShiftKind, ShiftType


@dataclass(frozen=True, slots=True)
class ScheduleFilters:
    """Codes and levels narrowing the rows; None keeps everyone."""

    pgy: int | None = None
    rotation: str | None = None  # residents on it on any shown day
    shift: str | None = None  # only this shift type's shifts, and who works them
    person: str | None = None

    @property
    def active(self) -> bool:
        return any(v is not None for v in (self.pgy, self.rotation, self.shift, self.person))


@dataclass(frozen=True, slots=True)
class FilterChoices:
    """What the filter form offers: the PGY levels, rotations, shift types and people of the
    version's year."""

    pgy_levels: tuple[int, ...] = ()
    rotations: tuple[Rotation, ...] = ()
    shifts: tuple[ShiftType, ...] = ()
    people: tuple[Person, ...] = ()


def keep_person(person: Person, filters: ScheduleFilters, on_rotation: Set[int]) -> bool:
    """Whether the PGY, rotation and person filters keep ``person`` (the shift filter acts on
    the shifts); ``on_rotation`` holds the ids of the people on the filter's rotation."""
    if filters.person is not None and person.code != filters.person:
        return False
    if filters.pgy is not None and (person.role is not Role.RESIDENT or person.pgy != filters.pgy):
        return False
    return filters.rotation is None or person.id in on_rotation


def check_filters(
    filters: ScheduleFilters,
    people: Sequence[Person],
    rotations: Sequence[Rotation],
    shifts: Sequence[ShiftType],
) -> None:
    """An unknown code is said, never read as "everyone"."""
    checks = (
        ("person", filters.person, {p.code for p in people}),
        ("rotation", filters.rotation, {r.code for r in rotations}),
        ("shift", filters.shift, {s.code for s in shifts}),
    )
    for name, value, known in checks:
        if value is not None and value not in known:
            raise Invalid(
                f"{name}: there is no {_WORDS[name]} with the code {value!r}",
                details={"field": name},
            )


_WORDS = {"person": "person", "rotation": "rotation", "shift": "shift type"}


def filter_choices(
    people: Sequence[Person], rotations: Sequence[Rotation], shifts: Sequence[ShiftType]
) -> FilterChoices:
    levels = sorted({p.pgy for p in people if p.role is Role.RESIDENT and p.pgy is not None})
    return FilterChoices(
        pgy_levels=tuple(levels),
        rotations=tuple(sorted(rotations, key=lambda r: r.name)),
        shifts=tuple(sorted((s for s in shifts if s.kind is not ShiftKind.OFF), key=by_start)),
        people=tuple(sorted(people, key=lambda p: (p.name, p.code))),
    )


def by_start(shift: ShiftType) -> tuple[dt.time, str]:
    return shift.start, shift.code
