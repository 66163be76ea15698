"""/generations: start a generation in the background, watch it, cancel it; and for a stored
version: how it was generated, its diff against the published schedule, publishing it.

The solver never runs inside a request: POST submits a ``generation`` job and answers 202 at
once with the run's resource (its id is the job's), which a client polls
(``GET /generations/{id}``) for progress and, at the end, the outcome with the new draft's id.
Everything here is the coordinator's ``schedule:write``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Header, Path, Query

from resched.api.deps import ActorDep, SessionFactoryDep
from resched.api.responses import error_responses
from resched.api.schemas.generation import (
    DiffOut,
    GenerationIn,
    GenerationOut,
    OutcomeOut,
    PublishIn,
    PublishOut,
)
from resched.core.errors import Invalid, NotFound
from resched.http.auth import require
from resched.http.jobs import job_queue
from resched.http.params import MAX_ID, url_number
from resched.services import generation
from resched.services.jobs import JobQueue, generations
from resched.services.permissions import Permission, Principal, job_owner_filter

router = APIRouter(tags=["generation"])
WRITE = [require(Permission.SCHEDULE_WRITE)]
Coordinator = Annotated[Principal, require(Permission.SCHEDULE_WRITE)]
RunId = Annotated[int, Path(ge=1, le=MAX_ID)]
VersionId = Annotated[int, Path(ge=1, le=MAX_ID)]
QueueDep = Annotated[JobQueue, Depends(job_queue)]
IdempotencyKey = Annotated[
    str | None,
    Header(
        min_length=1,
        max_length=100,
        description="Repeat a POST with the same key: you get the run it started, not another.",
    ),
]


@router.post("/generations", status_code=202, responses=error_responses(404))
def start_generation(
    body: GenerationIn,
    principal: Coordinator,
    factory: SessionFactoryDep,
    actor: ActorDep,
    queue: QueueDep,
    idempotency_key: IdempotencyKey = None,
) -> GenerationOut:
    """Checks the parameters and submits a generation job; a worker runs it. ``kind``
    ``"year"`` generates every block of the year, block after block, as one draft (its
    ``outcome.blocks`` and, while it runs, ``progress.blocks`` give each block's gap).

    202: queued (the run's resource). 404: an unknown year, or a block the year does not have.
    422: bad parameters - a range backwards, longer than a year or across two years, a bad time
    or work limit, an unknown weight; for ``"year"``, a block, dates or a mode other than
    ``fresh`` (the whole year takes none). 401/403: not signed in, or not a coordinator."""
    spec = generation.make_spec(factory=factory, request=body.to_request())
    run = generations.start_generation(
        factory=factory,
        queue=queue,
        spec=spec,
        actor=actor,
        requested_by=principal.user_id,
        idempotency_key=idempotency_key,
    )
    return GenerationOut.of(run)


@router.get("/generations/{run_id}")
def get_generation_run(
    run_id: RunId, principal: Coordinator, factory: SessionFactoryDep
) -> GenerationOut:
    """State, progress (objective, bound, gap, elapsed) and, once finished, the outcome."""
    run = generations.get_generation_run(
        factory=factory, run_id=run_id, owner=job_owner_filter(principal)
    )
    return GenerationOut.of(run)


@router.post("/generations/{run_id}/cancel", status_code=202)
def cancel_generation(
    run_id: RunId, principal: Coordinator, factory: SessionFactoryDep, actor: ActorDep
) -> GenerationOut:
    """The solver stops within about a second; nothing is stored. Harmless once the run is
    over."""
    run = generations.cancel_generation(
        factory=factory, run_id=run_id, actor=actor, owner=job_owner_filter(principal)
    )
    return GenerationOut.of(run)


@router.get("/schedules/{version_id}/generation", dependencies=WRITE)
def get_version_generation(version_id: VersionId, factory: SessionFactoryDep) -> OutcomeOut:
    """How a generated version came about: status, figures, penalties, findings."""
    found = generation.get_generation(factory=factory, version_id=version_id)
    if found is None:
        raise NotFound(
            f"schedule version {version_id} was not generated", details={"id": version_id}
        )
    return OutcomeOut.of(found)


@router.get("/schedules/{version_id}/diff", dependencies=WRITE)
def diff_schedule(
    version_id: VersionId,
    factory: SessionFactoryDep,
    against: Annotated[
        str, Query(max_length=12, description='"published" or another version id')
    ] = "published",
) -> DiffOut:
    """Changes per person and date (shifts) and per person and block (rotations)."""
    other = _against(against)
    diff = generation.diff_versions(factory=factory, version_id=version_id, against_id=other)
    return DiffOut.of(diff)


@router.post("/schedules/{version_id}/publish", dependencies=WRITE)
def publish_schedule(
    version_id: VersionId, factory: SessionFactoryDep, actor: ActorDep, body: PublishIn
) -> PublishOut:
    """Validates the draft, archives the year's published version, publishes this one. A draft
    with violations needs a ``reason`` (422 without one), which the audit trail keeps."""
    result = generation.publish_version(
        factory=factory, version_id=version_id, actor=actor, reason=body.reason
    )
    return PublishOut.of(result)


def _against(value: str) -> int | None:
    if value == "published":
        return None
    version = url_number(value)
    if version is not None and 1 <= version <= MAX_ID:
        return version
    raise Invalid(
        'against: "published" or a version id', details={"field": "against", "value": value}
    )
