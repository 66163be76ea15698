"""The import kinds by name. The schedule kind (xlsx grid, CSV or interchange JSON -> a new
draft version) is added here beside the others when it is merged."""

from __future__ import annotations

from resched.core.errors import Invalid
from resched.services.imports.absences import ABSENCES
from resched.services.imports.kind import ImportKind
from resched.services.imports.people import PEOPLE
from resched.services.imports.rotations import ROTATIONS

KINDS: dict[str, ImportKind] = {kind.name: kind for kind in (PEOPLE, ROTATIONS, ABSENCES)}


def kind_named(name: str) -> ImportKind:
    kind = KINDS.get(name)
    if kind is None:
        raise Invalid(
            f"unknown import kind {name!r}: expected {', '.join(KINDS)}",
            details={"field": "kind"},
        )
    return kind
