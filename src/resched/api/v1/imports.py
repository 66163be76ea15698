"""/imports: people, rotations and absences (and schedules, once merged) from xlsx, CSV or
interchange JSON files.

POST uploads a file (multipart: ``file`` and ``kind``) and answers the stored preview: what
will be created or changed, and the problems by sheet, row and column. Nothing else is
written until ``/apply``, which writes exactly the previewed rows in one transaction;
``/undo`` takes the whole batch back, or refuses (409) naming what depends on it since.
Coordinators and admins only (and each kind needs its own permission: people, program,
absences).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, HTTPException, Request, Response, UploadFile

from resched.api.deps import ActorDep, PageDep, SessionFactoryDep
from resched.api.responses import error_responses
from resched.api.schemas.common import PageOut
from resched.api.schemas.imports import ImportOut
from resched.api.schemas.jobs import JobOut
from resched.http.auth import require
from resched.http.database import request_factory
from resched.http.jobs import job_queue
from resched.http.params import ItemId
from resched.http.uploads import UPLOAD_TOO_LARGE
from resched.io.uploads import MAX_UPLOAD_BYTES
from resched.services import jobs
from resched.services.audit import Actor
from resched.services.imports import batches
from resched.services.jobs.kinds import JobKind
from resched.services.permissions import Permission, Principal

router = APIRouter(prefix="/imports", tags=["imports"])
Importer = Annotated[Principal, require(Permission.PEOPLE_WRITE)]
APPLY_CONFLICTS = (
    "the batch is not a preview (already applied, undone or expired), it has problems, or a "
    "record it updates changed since the preview"
)


@router.post(
    "",
    status_code=201,
    responses=error_responses(413, 422),
    summary="Upload a file and preview its import",
)
def upload_import(
    factory: SessionFactoryDep,
    principal: Importer,
    actor: ActorDep,
    file: Annotated[UploadFile, File(description="an .xlsx, .csv or .json file, at most 10 MB")],
    kind: Annotated[
        str, Form(max_length=40, description="people, rotations, absences or schedule")
    ],
) -> ImportOut:
    """201 with the preview (the batch id, summary and problems). 413 over 10 MB; 422 when
    the file is refused (empty, not the kind of file it claims, a zip bomb, an old .xls,
    formulas, missing or unknown columns) - nothing is stored then."""
    data = file.file.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise HTTPException(413, UPLOAD_TOO_LARGE)
    batch = batches.preview_import(
        factory=factory,
        kind=kind,
        filename=file.filename or "",
        data=data,
        actor=actor,
        principal=principal,
    )
    return ImportOut.of(batch)


@router.get("", summary="Recent imports, newest first")
def list_imports(
    factory: SessionFactoryDep, principal: Importer, page: PageDep
) -> PageOut[ImportOut]:
    result = batches.list_imports(factory=factory, limit=page.limit, offset=page.offset)
    return PageOut[ImportOut].of(result, ImportOut.of)


@router.get("/{batch_id}", summary="One import with its staged changes")
def get_import(batch_id: ItemId, factory: SessionFactoryDep, principal: Importer) -> ImportOut:
    return ImportOut.of(batches.get_import(factory=factory, batch_id=batch_id))


BACKGROUND = (
    f"More than {batches.BACKGROUND_WRITES} records to write: queued as a background job "
    "(kind import_batch); follow it at /jobs/{id}, then GET the import"
)


def _apply_or_undo(
    request: Request,
    response: Response,
    *,
    batch_id: int,
    action: str,
    principal: Principal,
    actor: Actor,
) -> ImportOut | JobOut:
    factory = request_factory(request)
    run = batches.apply_import if action == batches.APPLY else batches.undo_import
    batch = batches.get_import(factory=factory, batch_id=batch_id)
    batches.allowed_kind(batch.kind, principal)
    if batches.writes_of(batch, action) <= batches.BACKGROUND_WRITES:
        return ImportOut.of(
            run(factory=factory, batch_id=batch_id, actor=actor, principal=principal)
        )
    job = jobs.submit_job(
        factory=factory,
        queue=job_queue(request),
        kind=JobKind.IMPORT_BATCH.value,
        parameters={"batch_id": batch_id, "action": action},
        actor=actor,
        requested_by=principal.user_id,
    )
    response.status_code = 202
    return JobOut.of(job)


@router.post(
    "/{batch_id}/apply",
    responses={
        202: {"model": JobOut, "description": BACKGROUND},
        409: {**error_responses(409)[409], "description": APPLY_CONFLICTS},
    },
    summary="Write the previewed rows (all or nothing)",
)
def apply_import(
    batch_id: ItemId, request: Request, response: Response, principal: Importer, actor: ActorDep
) -> ImportOut | JobOut:
    """200 with the applied import; 202 with a job when it is large (see BACKGROUND)."""
    return _apply_or_undo(
        request, response, batch_id=batch_id, action=batches.APPLY, principal=principal, actor=actor
    )


@router.post(
    "/{batch_id}/undo",
    responses={
        202: {"model": JobOut, "description": BACKGROUND},
        409: {
            **error_responses(409)[409],
            "description": "not applied, or something depends on it since "
            "(details.blocked_by lists every blocker; nothing was changed)",
        },
    },
    summary="Take the whole import back",
)
def undo_import(
    batch_id: ItemId, request: Request, response: Response, principal: Importer, actor: ActorDep
) -> ImportOut | JobOut:
    """200 with the undone import; 202 with a job when it is large (see BACKGROUND)."""
    return _apply_or_undo(
        request, response, batch_id=batch_id, action=batches.UNDO, principal=principal, actor=actor
    )
