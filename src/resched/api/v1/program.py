"""/program: the program's name, time zone and rule settings; /program/generation-settings:
its solver weights, heavy rotations and weekend-free rotations. Everyone signed in reads;
changing needs program:write (coordinators). PUT replaces the whole setting; a rule looser than
ACGME, an unknown penalty name or rotation code is a 422 naming the field."""

from __future__ import annotations

from fastapi import APIRouter, Response

from resched.api.deps import ActorDep, SessionFactoryDep
from resched.api.responses import error_responses
from resched.api.schemas.program import (
    GenerationSettingsIn,
    GenerationSettingsOut,
    ProgramIn,
    ProgramOut,
)
from resched.api.versions import IfMatchDep, saved_version, tag
from resched.http.auth import require
from resched.services import generation_settings, program
from resched.services.permissions import Permission
from resched.services.versions import program_version

router = APIRouter(prefix="/program", tags=["program"])
READ = [require(Permission.PROGRAM_READ)]
WRITE = [require(Permission.PROGRAM_WRITE)]


@router.get("", dependencies=READ, responses=error_responses(404))
def get_program(factory: SessionFactoryDep, response: Response) -> ProgramOut:
    """With the program's ETag, for If-Match on PUT."""
    tag(response, program_version(factory=factory))
    return ProgramOut.of(program.get_program(factory=factory))


@router.put("", dependencies=WRITE)
def replace_program(
    body: ProgramIn,
    factory: SessionFactoryDep,
    actor: ActorDep,
    version: IfMatchDep,
    response: Response,
) -> ProgramOut:
    """Creates the program on an empty database. If-Match: 409 when the settings changed
    since that GET (the generation settings are part of the same row)."""
    saved = program.update_program(
        factory=factory,
        name=body.name,
        timezone=body.timezone,
        rules=body.rules.to_core(),
        freeze_horizon_days=body.freeze_horizon_days,
        auto_approve_changes=body.auto_approve_changes,
        undo_window_hours=body.undo_window_hours,
        jeopardy_shift=body.jeopardy_shift,
        actor=actor,
        expected_version=version,
    )
    tag(response, saved_version(version))
    return ProgramOut.of(saved)


@router.get("/generation-settings", dependencies=READ)
def get_generation_settings(factory: SessionFactoryDep) -> GenerationSettingsOut:
    return GenerationSettingsOut.of(generation_settings.get_generation_settings(factory=factory))


@router.put("/generation-settings", dependencies=WRITE)
def replace_generation_settings(
    body: GenerationSettingsIn, factory: SessionFactoryDep, actor: ActorDep
) -> GenerationSettingsOut:
    saved = generation_settings.update_generation_settings(
        factory=factory, settings=body.to_core(), actor=actor
    )
    return GenerationSettingsOut.of(saved)
