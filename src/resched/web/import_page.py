"""/import: the import wizard (UI.md "Import / export"). Step 1 chooses what to import and
uploads the file (with a template to start from), step 2 shows the stored preview - what will
be created or changed, the problems by row and column - step 3 applies it, and the result
offers "Undo this import". Below the form, the recent imports with their status.

Everything goes through services/imports, the same as the API; a refused file shows above
the form with nothing stored, a refused apply or undo above the preview with its reasons."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from resched.core.errors import Conflict, DomainError, Invalid
from resched.db.repositories.imports import ImportBatch
from resched.http.auth import request_actor, require
from resched.http.database import request_factory
from resched.http.jobs import job_queue
from resched.http.params import ItemId
from resched.http.uploads import UPLOAD_TOO_LARGE
from resched.io.uploads import MAX_UPLOAD_BYTES
from resched.services import jobs
from resched.services.imports import batches
from resched.services.imports.kinds import KINDS
from resched.services.imports.templates import template_file
from resched.services.jobs.kinds import JobKind
from resched.services.permissions import Permission, Principal
from resched.web.formtools import refusal_status, sentence
from resched.web.templating import templates

router = APIRouter(include_in_schema=False)
Importer = Annotated[Principal, require(Permission.PEOPLE_WRITE)]
PAGE = "/import"
RECENT = 20
NOTICES = {
    "applied": "The import was applied.",
    "undone": "The import was undone: what it created is deleted, what it changed restored.",
}


def _kinds(principal: Principal) -> list[Any]:
    return [kind for kind in KINDS.values() if principal.can(kind.permission)]


def _start_page(
    request: Request,
    principal: Principal,
    *,
    errors: dict[str, str] | None = None,
    chosen: str = "",
    status: int = 200,
) -> Response:
    factory = request_factory(request)
    kinds = _kinds(principal)
    extensions = sorted({f".{file_kind.value}" for kind in kinds for file_kind in kind.file_kinds})
    context = {
        "kinds": kinds,
        "extensions": extensions,
        "chosen": chosen,
        "errors": errors or {},
        "recent": batches.list_imports(factory=factory, limit=RECENT).items,
        "max_mb": MAX_UPLOAD_BYTES // (1024 * 1024),
        "section": "import",
        "program_name": None,
    }
    return templates.TemplateResponse(request, "import/page.html", context, status_code=status)


@router.get("/import", response_class=HTMLResponse)
def import_page(request: Request, principal: Importer) -> Response:
    return _start_page(request, principal)


@router.post("/import", response_class=HTMLResponse)
def upload(
    request: Request,
    principal: Importer,
    file: Annotated[UploadFile, File()],
    kind: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    data = file.file.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        errors = {"file": UPLOAD_TOO_LARGE}
        return _start_page(request, principal, errors=errors, chosen=kind, status=413)
    try:
        batch = batches.preview_import(
            factory=request_factory(request),
            kind=kind,
            filename=file.filename or "",
            data=data,
            actor=request_actor(request, principal),
            principal=principal,
        )
    except Invalid as exc:
        field = "kind" if exc.details.get("field") == "kind" else "file"
        errors = {field: sentence(exc.message)}
        return _start_page(request, principal, errors=errors, chosen=kind, status=422)
    return RedirectResponse(f"{PAGE}/{batch.id}", status_code=303)


def _batch_page(
    request: Request,
    batch: ImportBatch,
    *,
    notice: str = "",
    problem: str = "",
    blockers: list[str] | None = None,
    status: int = 200,
) -> Response:
    rows = batch.rows or []
    context = {
        "batch": batch,
        "kind": KINDS.get(batch.kind),
        "creates": [r for r in rows if r["action"] == "create"],
        "updates": [r for r in rows if r["action"] == "update"],
        "notice": NOTICES.get(notice),
        "problem": problem,
        "blockers": blockers or [],
        "section": "import",
        "program_name": None,
    }
    return templates.TemplateResponse(request, "import/batch.html", context, status_code=status)


@router.get("/import/{batch_id:int}", response_class=HTMLResponse)
def batch_page(
    request: Request, principal: Importer, batch_id: ItemId, notice: str = ""
) -> Response:
    batch = batches.get_import(factory=request_factory(request), batch_id=batch_id)
    return _batch_page(request, batch, notice=notice)


def _act(request: Request, principal: Principal, batch_id: int, *, undo: bool) -> Response:
    factory = request_factory(request)
    action = batches.undo_import if undo else batches.apply_import
    if batches.runs_in_background(
        factory=factory, batch_id=batch_id, action=batches.UNDO if undo else batches.APPLY
    ):
        return _queue(request, principal, batch_id, undo=undo)
    try:
        action(
            factory=factory,
            batch_id=batch_id,
            actor=request_actor(request, principal),
            principal=principal,
        )
    except (Conflict, Invalid) as exc:
        batch = batches.get_import(factory=factory, batch_id=batch_id)
        blockers = [str(b) for b in exc.details.get("blocked_by", [])]
        message = "This import cannot be undone." if blockers else sentence(exc.message)
        return _batch_page(
            request, batch, problem=message, blockers=blockers, status=refusal_status(exc)
        )
    return RedirectResponse(
        f"{PAGE}/{batch_id}?notice={'undone' if undo else 'applied'}", status_code=303
    )


def _queue(request: Request, principal: Principal, batch_id: int, *, undo: bool) -> Response:
    """A large batch: apply or undo it in a background job, followed on the Jobs page."""
    batch = batches.get_import(factory=request_factory(request), batch_id=batch_id)
    batches.allowed_kind(batch.kind, principal)
    job = jobs.submit_job(
        factory=request_factory(request),
        queue=job_queue(request),
        kind=JobKind.IMPORT_BATCH.value,
        parameters={"batch_id": batch_id, "action": batches.UNDO if undo else batches.APPLY},
        actor=request_actor(request, principal),
        requested_by=principal.user_id,
    )
    return RedirectResponse(f"/jobs?notice=import&job={job.id}", status_code=303)


@router.post("/import/{batch_id:int}/apply", response_class=HTMLResponse)
def apply(request: Request, principal: Importer, batch_id: ItemId) -> Response:
    return _act(request, principal, batch_id, undo=False)


@router.post("/import/{batch_id:int}/undo", response_class=HTMLResponse)
def undo(request: Request, principal: Importer, batch_id: ItemId) -> Response:
    return _act(request, principal, batch_id, undo=True)


@router.get("/import/templates/{kind}.{file_kind}")
def template(principal: Importer, kind: str, file_kind: str) -> Response:
    try:
        found = template_file(kind=kind, file_kind=file_kind)
    except DomainError as exc:
        return Response(exc.message, status_code=404, media_type="text/plain")
    disposition = f'attachment; filename="{found.name}"'
    return Response(
        found.data, media_type=found.media_type, headers={"content-disposition": disposition}
    )
