"""The OpenAPI entry of a route that answers a file (the response itself:
``resched.http.downloads.attachment``)."""

from __future__ import annotations

from typing import Any

from resched.services.exports.common import XLSX_MEDIA_TYPE


def xlsx_ok(description: str) -> dict[int | str, dict[str, Any]]:
    """``responses=`` for a route answering an xlsx workbook."""
    return file_ok(description, XLSX_MEDIA_TYPE)


def file_ok(description: str, *media_types: str) -> dict[int | str, dict[str, Any]]:
    """``responses=`` for a route answering a file of one of ``media_types``."""
    binary = {"schema": {"type": "string", "format": "binary"}}
    return {200: {"description": description, "content": dict.fromkeys(media_types, binary)}}
