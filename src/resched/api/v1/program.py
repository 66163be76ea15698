"""/program/generation-settings: the program's solver weights, heavy rotations and
weekend-free rotations. Everyone signed in reads; changing needs program:write (coordinators).
PUT replaces the whole settings; an unknown penalty name or rotation code is a 422 naming the
field."""

from __future__ import annotations

from fastapi import APIRouter

from resched.api.deps import ActorDep, SessionFactoryDep
from resched.api.schemas.program import GenerationSettingsIn, GenerationSettingsOut
from resched.http.auth import require
from resched.services import generation_settings
from resched.services.permissions import Permission

router = APIRouter(prefix="/program", tags=["program"])
READ = [require(Permission.PROGRAM_READ)]
WRITE = [require(Permission.PROGRAM_WRITE)]


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
