"""The program's generation settings: read by everyone, changed by coordinators, audited.

The settings live in the program row (``Program.generation``); generation from the database
(services/generation/inputs.py) reads them, and a generation's own parameters override them.
"""

from __future__ import annotations

import dataclasses

from sqlalchemy.orm import Session

from resched.core.errors import NotFound
from resched.core.generation_settings import GenerationSettings
from resched.core.solver.settings import check_generation_settings
from resched.db.repositories import ProgramRepository, RotationRepository, ShiftTypeRepository
from resched.services.audit import ActorLike, record
from resched.services.common import SessionFactory, read, write

ENTITY = "program.generation"


def _no_program() -> NotFound:
    return NotFound("no program is set up", details={"entity": "program"})


def get_generation_settings(*, factory: SessionFactory) -> GenerationSettings:
    with read(factory) as session:
        program = ProgramRepository(session).get()
    if program is None:
        raise _no_program()
    return program.generation


def update_generation_settings(
    *, factory: SessionFactory, settings: GenerationSettings, actor: ActorLike = None
) -> GenerationSettings:
    """Replace the program's generation settings; ``Invalid`` names the field at fault (an
    unknown penalty name, a weight out of range, a rotation code the program lacks)."""
    with write(factory) as session:
        return save_generation_settings(session, settings, actor=actor)


def save_generation_settings(
    session: Session, settings: GenerationSettings, *, actor: ActorLike
) -> GenerationSettings:
    """``update_generation_settings`` in the caller's transaction (the demo loader's)."""
    repo = ProgramRepository(session)
    program = repo.get()
    if program is None:
        raise _no_program()
    codes = set(RotationRepository(session).ids_by_code())
    shifts = set(ShiftTypeRepository(session).ids_by_code())
    check_generation_settings(settings, codes, shifts)
    saved = repo.save(dataclasses.replace(program, generation=settings))
    record(
        session,
        actor=actor,
        action="update",
        entity=ENTITY,
        entity_id=saved.id or 0,
        before=program.generation,
        after=saved.generation,
    )
    return saved.generation
