"""The contract every import kind meets (people, rotations, absences, schedule).

A kind reads an uploaded file into a preview inside a read of the database (``stage``),
writes exactly the staged rows in the caller's one transaction (``apply``, returning what it
did as JSON), and takes that back (``undo``, raising Conflict naming what blocks it, before
writing anything). Both writes go through the same service functions as manual edits, so
they are validated and audited the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from resched.io.uploads import FileKind, Upload
from resched.services.audit import ActorLike
from resched.services.imports.staging import Column, Staged, StagedRow
from resched.services.permissions import Permission

type Stage = Callable[[Session, Upload], Staged]
type Apply = Callable[[Session, Sequence[StagedRow], ActorLike], dict[str, Any]]
type Undo = Callable[[Session, dict[str, Any], ActorLike], None]

TABLE_FILES = frozenset({FileKind.CSV, FileKind.XLSX})


@dataclass(frozen=True, slots=True)
class ImportKind:
    """``name`` is the API's ``kind`` value; ``permission`` what the importer must hold
    besides being a coordinator; ``columns`` the file's columns (for templates and the
    user guide; empty for a kind whose file is not one table)."""

    name: str
    title: str
    permission: Permission
    file_kinds: frozenset[FileKind]
    columns: tuple[Column, ...]
    stage: Stage
    apply: Apply
    undo: Undo
