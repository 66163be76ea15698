"""Shared definitions and coordinator words for the rotation plan's rules and findings."""

from __future__ import annotations

from resched.core.model import Absence, Person, Rotation


def who(person: Person) -> str:
    return f"{person.name} ({person.code})" if person.name else person.code


def pgy_label(low: int, high: int) -> str:
    return f"PGY-{low}" if low == high else f"PGY-{low}..{high}"


def yearly_range(rotation: Rotation, pgy: int, blocks: int) -> tuple[int, int]:
    """(min, max) blocks a year of ``rotation`` for a resident of ``pgy``. No requirement for
    the level means allowed, not required (as in plan_bounds)."""
    for requirement in rotation.requirements:
        if requirement.pgy == pgy:
            return requirement.min_blocks, requirement.max_blocks
    return 0, blocks


def prerequisite_text(rotation: Rotation, prerequisite: Rotation) -> str:
    """ "Icu needs a block of Wards before it": a prerequisite as a coordinator reads it."""
    return f"{rotation.name} needs a block of {prerequisite.name} before it"


def block_range(units: int, halves: int) -> str:
    blocks = units / halves
    text = f"{blocks:g}"
    return f"{text} block" if blocks == 1 else f"{text} blocks"


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def days(absence: Absence) -> str:
    """ "on 21 Oct" or "21 Oct-25 Oct": the dates as a coordinator reads them."""
    if absence.start == absence.end:
        return f"on {absence.start:%d %b}"
    return f"{absence.start:%d %b}-{absence.end:%d %b}"
