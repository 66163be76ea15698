"""The one error shape every 4xx of the API carries (resched.api.errors builds it), as a
model for the OpenAPI document."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from resched.api.schemas.common import Output


class ErrorDetail(Output):
    code: str = Field(description="stable, machine-readable: invalid, not_found, conflict, ...")
    message: str = Field(description="a sentence for people, naming the field when one is bad")
    details: dict[str, Any] = Field(
        description="more about the error: ``errors`` (each a ``path`` and ``message``) for "
        "invalid requests, ``field`` or ``id`` for others"
    )


class ErrorOut(Output):
    error: ErrorDetail
