"""The program itself: its name, time zone, freeze horizon, change policy (auto-approval and
the undo window) and rule settings.

Everyone reads it; coordinators change it (``update_program``), never looser than ACGME
(core/rule_limits.py). One database holds one program: the first update on an empty database
creates it. Each change is one transaction with its audit event (before and after)."""

from __future__ import annotations

import dataclasses
import enum
import zoneinfo
from collections.abc import Callable

from sqlalchemy.orm import Session

from resched.core.errors import Invalid, NotFound
from resched.core.model import Program, RuleConfig
from resched.core.rule_limits import check_rules
from resched.db.repositories import ProgramRepository, ShiftTypeRepository
from resched.services.audit import ActorLike, record
from resched.services.common import SessionFactory, read, write
from resched.services.versions import Edited, claim

MAX_NAME = 200
MAX_FREEZE_DAYS = 365


class Keep(enum.Enum):
    """Leave a setting as it is (None means "clear" for the jeopardy shift)."""

    KEEP = "keep"


KEEP = Keep.KEEP
MAX_UNDO_HOURS = 168  # a week: past that, a change is history, not a slip to take back


def program_errors(program: Program) -> list[tuple[str, str]]:
    """The name, time zone, freeze horizon and undo window problems, as (field, message)."""
    errors = []
    if not program.name.strip():
        errors.append(("name", "name must not be empty"))
    elif len(program.name) > MAX_NAME:
        errors.append(("name", f"name must be at most {MAX_NAME} characters"))
    if program.timezone not in zoneinfo.available_timezones():
        errors.append(("timezone", f"unknown IANA time zone {program.timezone!r}"))
    if not 0 <= program.freeze_horizon_days <= MAX_FREEZE_DAYS:
        errors.append(("freeze_horizon_days", f"the freeze horizon is 0 to {MAX_FREEZE_DAYS} days"))
    if not 0 <= program.undo_window_hours <= MAX_UNDO_HOURS:
        errors.append(("undo_window_hours", f"the undo window is 0 to {MAX_UNDO_HOURS} hours"))
    return errors


def jeopardy_errors(session: Session, program: Program) -> list[tuple[str, str]]:
    """The jeopardy shift must name a stored shift type (None: not configured)."""
    code = program.jeopardy_shift
    if code is None or ShiftTypeRepository(session).ids_by_code([code]):
        return []
    return [("jeopardy_shift", f"no shift type {code!r}: the jeopardy shift names a shift type")]


def refuse(errors: list[tuple[str, str]]) -> None:
    """``Invalid`` naming every field at fault (``details.field``: the first; ``errors``: all)."""
    if errors:
        path, message = errors[0]
        raise Invalid(
            f"{path}: {message}",
            details={
                "field": path,
                "errors": [{"path": p, "message": m} for p, m in errors],
            },
        )


def store_program(
    session: Session, change: Callable[[Program | None], Program], actor: ActorLike
) -> Program:
    """Save ``change(current)`` and audit it, inside the caller's transaction."""
    repo = ProgramRepository(session)
    before = repo.get()
    saved = repo.save(change(before))
    record(
        session,
        actor=actor,
        action="create" if before is None else "update",
        entity="program",
        entity_id=saved.id or 0,
        before=before,
        after=saved,
    )
    return saved


def get_program(*, factory: SessionFactory) -> Program:
    with read(factory) as session:
        program = ProgramRepository(session).get()
    if program is None:
        raise NotFound("no program is set up", details={"entity": "program"})
    return program


def update_program(
    *,
    factory: SessionFactory,
    name: str,
    timezone: str,
    rules: RuleConfig,
    freeze_horizon_days: int,
    auto_approve_changes: bool | None = None,
    undo_window_hours: int | None = None,
    jeopardy_shift: str | Keep | None = KEEP,
    actor: ActorLike = None,
    expected_version: int | None = None,
) -> Program:
    """Replace the program's settings (its generation settings stay), or create the program.
    The change policy left as None (the jeopardy shift left as ``KEEP``) keeps its current
    value (a new program: the default); an empty jeopardy shift clears it.
    A rule looser than ACGME is ``Invalid`` naming ``rules.<setting>``; nothing is written."""
    with write(factory) as session:
        current = ProgramRepository(session).get() or Program(name="")
        if current.id is not None:
            claim(session, Edited.PROGRAM, current.id, expected_version)
        wanted = Program(
            name=name.strip(),
            timezone=timezone,
            rules=rules,
            freeze_horizon_days=freeze_horizon_days,
            auto_approve_changes=current.auto_approve_changes
            if auto_approve_changes is None
            else auto_approve_changes,
            undo_window_hours=current.undo_window_hours
            if undo_window_hours is None
            else undo_window_hours,
            jeopardy_shift=current.jeopardy_shift
            if isinstance(jeopardy_shift, Keep)
            else (jeopardy_shift or "").strip() or None,
        )
        return save_program_settings(session, wanted, actor=actor)


def save_program_settings(session: Session, wanted: Program, *, actor: ActorLike) -> Program:
    """``update_program`` in the caller's transaction (the demo loader's): the name, time zone,
    freeze horizon and rules of ``wanted``; the generation settings stay (a new program takes
    those of ``wanted``)."""
    refuse(program_errors(wanted) + check_rules(wanted.rules) + jeopardy_errors(session, wanted))

    def keep_identity(current: Program | None) -> Program:
        if current is None:
            return wanted
        return dataclasses.replace(wanted, id=current.id, generation=current.generation)

    return store_program(session, keep_identity, actor)
