"""Files the API sends as downloads: the response with its attachment header, and the
OpenAPI entry that says what the 200 carries."""

from __future__ import annotations

from typing import Any

from fastapi.responses import Response

from resched.services.exports.common import XLSX_MEDIA_TYPE, ExportedFile


def xlsx_ok(description: str) -> dict[int | str, dict[str, Any]]:
    """``responses=`` for a route answering an xlsx workbook."""
    return file_ok(description, XLSX_MEDIA_TYPE)


def file_ok(description: str, *media_types: str) -> dict[int | str, dict[str, Any]]:
    """``responses=`` for a route answering a file of one of ``media_types``."""
    binary = {"schema": {"type": "string", "format": "binary"}}
    return {200: {"description": description, "content": dict.fromkeys(media_types, binary)}}


def xlsx_response(exported: ExportedFile) -> Response:
    disposition = f'attachment; filename="{exported.filename}"'
    return Response(
        exported.content,
        media_type=exported.media_type,
        headers={"Content-Disposition": disposition},
    )
