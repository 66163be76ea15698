"""Shift types. Update replaces every field (PUT semantics) except the code, which is the
stable handle rotations, coverage rules and other shift types refer to."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from resched.core.model import ShiftType
from resched.db.records import Page
from resched.db.repositories import (
    CoverageRepository,
    ProgramRepository,
    RotationRepository,
    ShiftTypeRepository,
)
from resched.services.audit import ActorLike
from resched.services.catalog import CodedCatalog
from resched.services.codes import KnownCodes
from resched.services.common import (
    DEFAULT_PAGE_SIZE,
    SessionFactory,
    check_code,
    check_known,
    check_text,
    fail,
)
from resched.services.versions import Edited

ENTITY = "shift_type"
# ACGME: at most 24 h of scheduled clinical work plus up to 4 h for transitions. A longer shift
# type could never be legal, so it is refused here rather than flagged on every assignment.
MAX_MINUTES = 24 * 60
MAX_TRANSITION_MINUTES = 4 * 60


def validate_shift_type(shift_type: ShiftType) -> None:
    check_code(shift_type.code)
    check_text(shift_type.name, "name", max_length=200)
    if not 1 <= shift_type.minutes <= MAX_MINUTES:
        fail("minutes", f"a shift lasts 1 to {MAX_MINUTES} minutes")
    if not 0 <= shift_type.transition_minutes <= MAX_TRANSITION_MINUTES:
        fail("transition_minutes", f"transition time is 0 to {MAX_TRANSITION_MINUTES} minutes")
    if shift_type.supervised_by and not shift_type.requires_supervision:
        fail("supervised_by", "only a shift that requires supervision names its supervisors")
    if shift_type.code in shift_type.supervised_by:
        fail("supervised_by", "a shift type cannot supervise itself")


def _check_supervisors(known: KnownCodes, shift_type: ShiftType) -> None:
    check_known(shift_type.supervised_by, known.shift_codes, "supervised_by")


def _adding(known: KnownCodes, codes: list[str]) -> KnownCodes:
    return known.adding(shifts=codes)


def shift_code_users(session: Session, code: str) -> list[str]:
    """Who refers to shift type ``code``: by code (JSON references no foreign key can guard),
    then the schedules and requests whose foreign keys hold it, counted."""
    users = [
        f"rotation {r.code}"
        for r in RotationRepository(session).all()
        if any(code in codes for codes in r.weekly_pattern.values())
        or any(code in quota.shift_codes for quota in r.weekly_quotas)
    ]
    users += [
        f"shift type {s.code}"
        for s in ShiftTypeRepository(session).all()
        if code in s.supervised_by
    ]
    users += [
        f"coverage requirement {c.id}"
        for c in CoverageRepository(session).all()
        if c.shift_code == code
    ]
    program = ProgramRepository(session).get()
    if program is not None and program.jeopardy_shift == code:
        users.append("the program's jeopardy shift")
    return users + ShiftTypeRepository(session).held_by(code)


_SHIFT_TYPES = CodedCatalog(
    entity=ENTITY,
    repository=ShiftTypeRepository,
    validate=validate_shift_type,
    check_references=_check_supervisors,
    users_of=shift_code_users,
    adding=_adding,
    kind=Edited.SHIFT_TYPE,
)


def create_shift_type(
    *, factory: SessionFactory, shift_type: ShiftType, actor: ActorLike = None
) -> ShiftType:
    return _SHIFT_TYPES.create(factory=factory, item=shift_type, actor=actor)


def add_shift_types(
    session: Session, shift_types: Sequence[ShiftType], *, actor: ActorLike
) -> list[ShiftType]:
    """Check and store shift types (each audited) in the caller's transaction; one may be
    supervised by another of the same batch."""
    return _SHIFT_TYPES.add_all(session, shift_types, actor=actor)


def get_shift_type(*, factory: SessionFactory, shift_type_id: int) -> ShiftType:
    return _SHIFT_TYPES.get(factory=factory, item_id=shift_type_id)


def list_shift_types(
    *, factory: SessionFactory, limit: int = DEFAULT_PAGE_SIZE, offset: int = 0
) -> Page[ShiftType]:
    return _SHIFT_TYPES.list_page(factory=factory, limit=limit, offset=offset)


def update_shift_type(
    *,
    factory: SessionFactory,
    shift_type_id: int,
    shift_type: ShiftType,
    actor: ActorLike = None,
    expected_version: int | None = None,
) -> ShiftType:
    """StaleEdit (409) when ``expected_version`` is given and no longer the stored one."""
    return _SHIFT_TYPES.update(
        factory=factory,
        item_id=shift_type_id,
        item=shift_type,
        actor=actor,
        expected_version=expected_version,
    )


def delete_shift_type(
    *,
    factory: SessionFactory,
    shift_type_id: int,
    actor: ActorLike = None,
    expected_version: int | None = None,
) -> None:
    """Refused (Conflict) while rotations, coverage rules, other shift types, assignments,
    requests or the program's jeopardy shift setting use it."""
    _SHIFT_TYPES.delete(
        factory=factory, item_id=shift_type_id, actor=actor, expected_version=expected_version
    )
