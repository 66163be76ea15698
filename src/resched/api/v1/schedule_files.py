"""/schedules/import-file: a schedule from a grid workbook (xlsx), a CSV of assignments or an
interchange document (JSON), as a new draft version; its preview; and undoing the import.

The file comes as multipart form data (``file``, ``label``); its kind is detected from the
content. The body cap of the app allows these routes the upload limit (10 MB of file) instead
of the default (``UPLOAD_PATHS``, http/uploads.py).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, HTTPException, Path, UploadFile
from fastapi.concurrency import run_in_threadpool

from resched.api.deps import ActorDep, SessionFactoryDep
from resched.api.responses import Responses, error_responses
from resched.api.schemas.schedule_files import ScheduleFileImportOut, SchedulePreviewOut
from resched.http.auth import require
from resched.http.params import MAX_ID
from resched.http.uploads import UPLOAD_TOO_LARGE
from resched.io.uploads import MAX_UPLOAD_BYTES, FileKind, Upload, check_upload
from resched.services import schedule_files, schedules
from resched.services.permissions import Permission

router = APIRouter(prefix="/schedules", tags=["schedules"])
WRITE = [require(Permission.SCHEDULE_WRITE)]

FileField = Annotated[
    UploadFile, File(description="xlsx grid workbook, CSV of assignments or interchange JSON")
]
LabelField = Annotated[str, Form(max_length=120, description="label of the draft")]
_FILE_ERROR_TEXT = {
    422: "The file cannot be read (empty, over 10 MB, not xlsx/CSV/JSON, a formula cell...) "
    "or, on import, it has problems: ``details.problems`` lists each with its sheet, row and "
    "column.",
    413: "The request body is over the upload limit (10 MB of file).",
}
FILE_ERRORS: Responses = {
    code: {**error_responses(code)[code], "description": text}
    for code, text in _FILE_ERROR_TEXT.items()
}


async def _upload(file: UploadFile) -> Upload:
    data = await file.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:  # inside the body cap's multipart allowance
        raise HTTPException(413, UPLOAD_TOO_LARGE)
    allowed = (FileKind.XLSX, FileKind.CSV, FileKind.JSON)
    return check_upload(filename=file.filename or "upload", data=data, allowed=allowed)


@router.post(
    "/import-file/preview",
    dependencies=WRITE,
    responses=FILE_ERRORS,
)
async def preview_schedule_file(
    file: FileField, factory: SessionFactoryDep, label: LabelField = ""
) -> SchedulePreviewOut:
    """Check a file and tell what the draft would hold; nothing is written. A file with
    problems answers 200 with them listed (422 only for a file that cannot be read)."""
    upload = await _upload(file)
    preview = await run_in_threadpool(
        lambda: schedule_files.preview_schedule_file(factory=factory, upload=upload, label=label)
    )
    return SchedulePreviewOut.of(preview)


@router.post(
    "/import-file",
    status_code=201,
    dependencies=WRITE,
    responses=FILE_ERRORS,
)
async def import_schedule_file(
    file: FileField, factory: SessionFactoryDep, actor: ActorDep, label: LabelField = ""
) -> ScheduleFileImportOut:
    """Store the file's schedule as a new draft version of the academic year holding its
    range (audited ``import``), or 422 with every problem and nothing stored."""
    upload = await _upload(file)

    def run() -> ScheduleFileImportOut:
        preview = schedule_files.preview_schedule_file(factory=factory, upload=upload, label=label)
        version_id = schedule_files.apply_schedule_file(
            factory=factory, preview=preview, actor=actor
        )
        version = schedules.get_schedule(factory=factory, version_id=version_id)
        return ScheduleFileImportOut.of(version, preview)

    return await run_in_threadpool(run)


@router.delete("/{version_id}/import", status_code=204, dependencies=WRITE)
def undo_schedule_import(
    version_id: Annotated[int, Path(ge=1, le=MAX_ID)], factory: SessionFactoryDep, actor: ActorDep
) -> None:
    """Undo an import: delete the draft version. 409 once it has been published (or
    archived): it is the record then."""
    schedule_files.undo_schedule_import(factory=factory, version_id=version_id, actor=actor)
