"""Interchange documents as request bodies: read with the 20 MB limit, decoded strictly, and
described in OpenAPI by the shipped JSON Schema.

The body is read here rather than by a Pydantic model: the interchange reader names every
problem by its document path (``assignments[17].shift``), which is the contract, and a model
would first copy tens of thousands of assignments for nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import HTTPException, Request
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute, iter_route_contexts
from starlette.routing import BaseRoute

from resched.core.interchange import MAX_DOCUMENT_BYTES, SCHEDULE_FORMAT, Note, load_document

TOO_LARGE = (
    f"The document is too large: the limit is {MAX_DOCUMENT_BYTES} bytes (20 MB). "
    "Split the schedule into shorter ranges."
)
NOTE_HEADER = "X-Resched-Note"
MAX_NOTE_HEADERS = 20

# A summary, not the shipped schema itself: its "#/$defs/..." references would point into the
# OpenAPI document, where they resolve to nothing. The full schema is load_schema().
# Routes declared with it (``openapi_extra=SCHEDULE_BODY``) are the document routes: the body
# cap of the app (api/body_limit.py) allows them MAX_DOCUMENT_BYTES instead of the default.
SCHEDULE_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": (
            "A resched.schedule/v1 document (INTERCHANGE.md), at most 20 MB. The full JSON Schema "
            "ships in the package (resched.core.interchange.load_schema)."
        ),
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["format"],
                    "properties": {
                        "format": {"const": SCHEDULE_FORMAT},
                        "program": {"type": "object"},
                        "range": {"type": "object"},
                        "people": {"type": "array", "items": {"type": "object"}},
                        "shift_types": {"type": "array", "items": {"type": "object"}},
                        "assignments": {"type": "array", "items": {"type": "object"}},
                        "absences": {"type": "array", "items": {"type": "object"}},
                        "logged_work": {"type": "array", "items": {"type": "object"}},
                    },
                }
            }
        },
    }
}


async def read_document(request: Request) -> dict[str, Any]:
    """The decoded JSON object of the body. 413 when the declared or the actual size is over
    the limit (the body is never read past it); 422 (Invalid, path ``document``) when it is not
    a JSON object."""
    declared = request.headers.get("content-length", "")
    if declared.isascii() and declared.isdigit() and int(declared[-12:]) > MAX_DOCUMENT_BYTES:
        raise HTTPException(413, TOO_LARGE)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_DOCUMENT_BYTES:  # chunked, or a Content-Length that understated it
            raise HTTPException(413, TOO_LARGE)
        chunks.append(chunk)
    return load_document(b"".join(chunks))


def document_paths(routes: Sequence[BaseRoute]) -> set[str]:
    """The full paths of the routes that take a document (declared with ``SCHEDULE_BODY``;
    included routers flattened)."""
    return {
        str(context.path)
        for context in iter_route_contexts(routes)
        if isinstance(context.original_route, APIRoute)
        and context.original_route.openapi_extra is SCHEDULE_BODY
    }


def with_notes(response: JSONResponse, notes: tuple[Note, ...]) -> JSONResponse:
    """Notes travel as ``X-Resched-Note`` headers: the report body is a public contract and
    stays exactly the format. Non-ASCII text is escaped (header values are Latin-1)."""
    for note in notes[:MAX_NOTE_HEADERS]:
        text = str(note).encode("ascii", "backslashreplace").decode("ascii")
        response.headers.append(NOTE_HEADER, text)
    return response
