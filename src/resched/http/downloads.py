"""A made file as a download, for the API and the pages alike."""

from __future__ import annotations

from fastapi.responses import Response

from resched.services.exports.common import ExportedFile


def attachment(exported: ExportedFile) -> Response:
    """``exported`` with its media type, as an attachment named by its file name. The name
    went through ``safe_filename``: no quote or line break can leave the header."""
    disposition = f'attachment; filename="{exported.filename}"'
    return Response(
        exported.content,
        media_type=exported.media_type,
        headers={"Content-Disposition": disposition},
    )
