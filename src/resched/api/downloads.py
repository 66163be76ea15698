"""Files the API sends as downloads: the response with its attachment header, and the
OpenAPI entry that says what the 200 carries."""

from __future__ import annotations

from typing import Any

from fastapi.responses import Response

from resched.services.exports.common import XLSX_MEDIA_TYPE, XlsxExport


def xlsx_ok(description: str) -> dict[int | str, dict[str, Any]]:
    """``responses=`` for a route answering an xlsx workbook."""
    binary = {"schema": {"type": "string", "format": "binary"}}
    return {200: {"description": description, "content": {XLSX_MEDIA_TYPE: binary}}}


def xlsx_response(exported: XlsxExport) -> Response:
    disposition = f'attachment; filename="{exported.filename}"'
    return Response(
        exported.content,
        media_type=exported.media_type,
        headers={"Content-Disposition": disposition},
    )
