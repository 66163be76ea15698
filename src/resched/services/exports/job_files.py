"""A file (a workbook, a PDF) made by a background job: kept in the job's JSON result
(base64), and handed back as a file. For exports too large to build within a request (a whole
year of a big program, a long compliance report)."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from resched.core.errors import Conflict
from resched.services.common import SessionFactory
from resched.services.exports.common import ExportedFile
from resched.services.jobs import get_job_result

CONTENT = "content_base64"


def pack_file(exported: ExportedFile) -> dict[str, Any]:
    """A job result holding the file: its name, media type and bytes (base64)."""
    return {
        "filename": exported.filename,
        "media_type": exported.media_type,
        "size": len(exported.content),
        CONTENT: base64.b64encode(exported.content).decode("ascii"),
    }


def job_file(*, factory: SessionFactory, job_id: int, owner: int | None = None) -> ExportedFile:
    """The file a succeeded job made. NotFound as ``get_job`` (someone else's job, for an
    owner); Conflict while the job runs, or when it made no file (another kind of job)."""
    result = get_job_result(factory=factory, job_id=job_id, owner=owner)
    try:
        content = base64.b64decode(result[CONTENT], validate=True)
        return ExportedFile(str(result["filename"]), content, str(result["media_type"]))
    except (KeyError, TypeError, binascii.Error):
        raise Conflict(
            f"job {job_id} made no file (its result is a document: GET /jobs/{job_id}/result)",
            details={"field": "job_id"},
        ) from None
