"""The import kinds by name: people, rotations, absences, and a schedule (an xlsx grid, a CSV
or an interchange document as a new draft version)."""

from __future__ import annotations

from resched.core.errors import Invalid
from resched.services.imports.absences import ABSENCES
from resched.services.imports.kind import ImportKind
from resched.services.imports.people import PEOPLE
from resched.services.imports.rotations import ROTATIONS
from resched.services.imports.schedules import SCHEDULE

KINDS: dict[str, ImportKind] = {kind.name: kind for kind in (PEOPLE, ROTATIONS, ABSENCES, SCHEDULE)}


def kind_named(name: str) -> ImportKind:
    kind = KINDS.get(name)
    if kind is None:
        raise Invalid(
            f"unknown import kind {name!r}: expected {', '.join(KINDS)}",
            details={"field": "kind"},
        )
    return kind
