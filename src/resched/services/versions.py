"""Optimistic concurrency for single-item edits: the version a form or API client read is
compared with the row's current one inside the write transaction.

A form carries the ``row_version`` it was drawn at; the API takes it from ``If-Match``. A
different current version means someone else saved since: ``StaleEdit`` (a Conflict, 409)
carrying the current version, before anything is written, so nothing is half-saved and
nothing is audited. ``claim`` also raises the version itself (once per transaction), so an
edit that only changes a row's children (a rotation's capacities, a person's PGY levels)
still moves it on, and the ORM's ``version_id_col`` check closes the window between this
comparison and the UPDATE (resched.db.versioning).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from resched.core.errors import Conflict, NotFound
from resched.core.model import BlockAssignment
from resched.db.tables import (
    AbsenceRow,
    CoverageRequirementRow,
    PersonRow,
    ProgramRow,
    RotationRow,
    ShiftTypeRow,
)
from resched.db.versioning import Versioned
from resched.services.common import SessionFactory, not_found, read

log = logging.getLogger(__name__)


class Edited(StrEnum):
    """The kinds of item that carry a version; the value is the audit entity name."""

    SHIFT_TYPE = "shift_type"
    ROTATION = "rotation"
    COVERAGE = "coverage_requirement"
    PERSON = "person"
    ABSENCE = "absence"
    PROGRAM = "program"

    @property
    def noun(self) -> str:
        return "coverage rule" if self is Edited.COVERAGE else self.value.replace("_", " ")


_ROWS: dict[Edited, type[Versioned]] = {
    Edited.SHIFT_TYPE: ShiftTypeRow,
    Edited.ROTATION: RotationRow,
    Edited.COVERAGE: CoverageRequirementRow,
    Edited.PERSON: PersonRow,
    Edited.ABSENCE: AbsenceRow,
    Edited.PROGRAM: ProgramRow,
}


class StaleEdit(Conflict):
    """Someone else saved the item after this writer read it; ``details.current_version``."""

    def __init__(self, kind: Edited, item_id: int, *, sent: int | None, current: int | None):
        super().__init__(
            f"Someone else changed this {kind.noun} since you opened it: here is the current "
            "version; your changes were not saved.",
            details={
                "entity": kind.value,
                "id": item_id,
                "field": "version",
                "your_version": sent,
                "current_version": current,
            },
        )
        self.kind = kind
        self.current_version = current


def version_of(*, factory: SessionFactory, kind: Edited, item_id: int) -> int:
    """The current version of one item (NotFound if there is none).

    Read it *before* the item it goes with: a save in between then makes the version older
    than the data shown, which can only cause a needless conflict, never a lost update."""
    with read(factory) as session:
        row = session.get(_ROWS[kind], item_id)
        if row is None:
            not_found(kind.value, item_id)
        return int(row.row_version)


def claim(session: Session, kind: Edited, item_id: int, expected: int | None) -> None:
    """Refuse (StaleEdit) when ``expected`` is not the row's version, then raise the version
    by exactly one (so a writer that sent version v knows it saved v + 1).

    ``expected=None`` (an API client that sent no If-Match, an import) skips the comparison
    but the row is still claimed, so a concurrent writer cannot slip in unnoticed. A missing
    row is left to the caller's own NotFound."""
    row = session.get(_ROWS[kind], item_id)
    if row is None:
        return
    current = int(row.row_version)
    if expected is not None and expected != current:
        log.info("stale edit refused: %s %s is at %s, sent %s", kind, item_id, current, expected)
        raise StaleEdit(kind, item_id, sent=expected, current=current)
    row.row_version = current + 1


def program_version(*, factory: SessionFactory) -> int:
    """The version of the one program row (NotFound before the program is set up)."""
    with read(factory) as session:
        version = session.scalar(select(ProgramRow.row_version).order_by(ProgramRow.id).limit(1))
    if version is None:
        raise NotFound("the program is not set up yet", details={"entity": Edited.PROGRAM.value})
    return version


def cell_signature(cell: Iterable[BlockAssignment]) -> str:
    """What one rotation-plan cell holds, as text an edit form carries back ("ICU/0/1" per
    part: rotation, half, locked): the cell is not a row with a version of its own (an empty
    cell has no row at all), so its content is the precondition."""
    parts = sorted(f"{a.rotation_code}/{a.half or 0}/{int(a.locked)}" for a in cell)
    return ",".join(parts) or "-"


def check_cell_unchanged(expected: str | None, cell: Iterable[BlockAssignment]) -> None:
    """Conflict when the cell no longer holds what the form was opened on (None: no check)."""
    current = cell_signature(cell)
    if expected is not None and expected != current:
        log.info("stale plan cell edit refused: form had %s, cell holds %s", expected, current)
        raise Conflict(
            "Someone else changed this cell since you opened it: here is the current version; "
            "your changes were not saved.",
            details={"field": "cell", "current": current},
        )
