"""Rotations with their capacities and yearly requirements (replaced as a whole on update,
PUT semantics; the code cannot change)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from sqlalchemy.orm import Session

from resched.core.model import Rotation
from resched.db.records import Page
from resched.db.repositories import CoverageRepository, RotationRepository
from resched.services.audit import ActorLike
from resched.services.catalog import CodedCatalog
from resched.services.codes import KnownCodes
from resched.services.common import (
    DEFAULT_PAGE_SIZE,
    SessionFactory,
    check_code,
    check_known,
    check_pgy,
    check_text,
    fail,
)
from resched.services.versions import Edited

ENTITY = "rotation"
COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


def validate_rotation(rotation: Rotation) -> None:
    check_code(rotation.code)
    check_text(rotation.name, "name", max_length=200)
    if not COLOUR.match(rotation.colour):
        fail("colour", "a colour is #rrggbb")
    if any(day not in range(1, 8) for day in rotation.weekly_pattern):
        fail("weekly_pattern", "weekdays are ISO numbers 1 (Monday) to 7 (Sunday)")
    for index, cap in enumerate(rotation.capacities):
        field = f"capacities[{index}]"
        check_pgy(cap.pgy_min, field)
        check_pgy(cap.pgy_max, field)
        if cap.pgy_max < cap.pgy_min or not 0 <= cap.min_count <= cap.max_count:
            fail(field, "need pgy_min <= pgy_max and 0 <= min_count <= max_count")
    for index, quota in enumerate(rotation.weekly_quotas):
        if not quota.shift_codes or not 0 <= quota.min_count <= quota.max_count <= 7:
            fail(f"weekly_quotas[{index}]", "need shift codes and 0 <= min <= max <= 7 a week")
    if rotation.code in rotation.prerequisites:
        fail("prerequisites", "a rotation cannot be its own prerequisite")
    pgys = [req.pgy for req in rotation.requirements]
    if len(set(pgys)) != len(pgys):
        fail("requirements", "one requirement per PGY level")
    for index, req in enumerate(rotation.requirements):
        check_pgy(req.pgy, f"requirements[{index}]")
        if not 0 <= req.min_blocks <= req.max_blocks:
            fail(f"requirements[{index}]", "need 0 <= min_blocks <= max_blocks")


def _check_references(known: KnownCodes, rotation: Rotation) -> None:
    pattern = {code for codes in rotation.weekly_pattern.values() for code in codes}
    quotas = {code for quota in rotation.weekly_quotas for code in quota.shift_codes}
    check_known(pattern, known.shift_codes, "weekly_pattern")
    check_known(quotas, known.shift_codes, "weekly_quotas")
    # A rotation may name itself: "never two blocks of this in a row".
    check_known(rotation.not_adjacent_to, known.rotation_codes | {rotation.code}, "not_adjacent_to")
    # ... but not as its own prerequisite (validate_rotation refuses that).
    check_known(rotation.prerequisites, known.rotation_codes, "prerequisites")


def check_rotation_references(known: KnownCodes, rotation: Rotation) -> None:
    """Invalid for a code the rotation names that ``known`` does not hold (an import checks a
    whole file against the stored codes plus its own)."""
    _check_references(known, rotation)


def _adding(known: KnownCodes, codes: list[str]) -> KnownCodes:
    return known.adding(rotations=codes)


def rotation_code_users(session: Session, code: str) -> list[str]:
    """Who refers to rotation ``code``: by code (JSON references no foreign key can guard),
    then the rotation plans and requests whose foreign keys hold it, counted."""
    users = [
        f"rotation {r.code}"
        for r in RotationRepository(session).all()
        if r.code != code and (code in r.not_adjacent_to or code in r.prerequisites)
    ]
    users += [
        f"coverage requirement {c.id}"
        for c in CoverageRepository(session).all()
        if code in c.eligibility.rotations
    ]
    return users + RotationRepository(session).held_by(code)


_ROTATIONS = CodedCatalog(
    entity=ENTITY,
    repository=RotationRepository,
    validate=validate_rotation,
    check_references=_check_references,
    users_of=rotation_code_users,
    adding=_adding,
    kind=Edited.ROTATION,
)


def create_rotation(
    *, factory: SessionFactory, rotation: Rotation, actor: ActorLike = None
) -> Rotation:
    return _ROTATIONS.create(factory=factory, item=rotation, actor=actor)


def add_rotations(
    session: Session, rotations: Sequence[Rotation], *, actor: ActorLike
) -> list[Rotation]:
    """Check and store rotations (each audited) in the caller's transaction; one may name
    another of the same batch (not next to it, needs it first)."""
    return _ROTATIONS.add_all(session, rotations, actor=actor)


def get_rotation(*, factory: SessionFactory, rotation_id: int) -> Rotation:
    return _ROTATIONS.get(factory=factory, item_id=rotation_id)


def list_rotations(
    *, factory: SessionFactory, limit: int = DEFAULT_PAGE_SIZE, offset: int = 0
) -> Page[Rotation]:
    return _ROTATIONS.list_page(factory=factory, limit=limit, offset=offset)


def update_rotation(
    *,
    factory: SessionFactory,
    rotation_id: int,
    rotation: Rotation,
    actor: ActorLike = None,
    expected_version: int | None = None,
) -> Rotation:
    """StaleEdit (409) when ``expected_version`` is given and no longer the stored one."""
    return _ROTATIONS.update(
        factory=factory,
        item_id=rotation_id,
        item=rotation,
        actor=actor,
        expected_version=expected_version,
    )


def replace_rotation(
    session: Session, *, rotation_id: int, rotation: Rotation, actor: ActorLike
) -> Rotation:
    """``update_rotation`` in the caller's transaction (an import updates many in one)."""
    return _ROTATIONS.replace(session, item_id=rotation_id, item=rotation, actor=actor)


def remove_rotation(session: Session, *, rotation_id: int, actor: ActorLike) -> None:
    """``delete_rotation`` in the caller's transaction (the undo of an import)."""
    _ROTATIONS.remove(session, item_id=rotation_id, actor=actor)


def delete_rotation(
    *,
    factory: SessionFactory,
    rotation_id: int,
    actor: ActorLike = None,
    expected_version: int | None = None,
) -> None:
    """Refused (Conflict) while other rotations, coverage rules, plans or requests use it."""
    _ROTATIONS.delete(
        factory=factory, item_id=rotation_id, actor=actor, expected_version=expected_version
    )
