"""Domain errors. Adapters map each to their own shape in one table (api/errors.py, cli)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class DomainError(Exception):
    """Base of every error a user can cause and be told about."""

    code = "error"

    def __init__(self, message: str, *, details: Mapping[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details: dict[str, Any] = dict(details or {})


class NotFound(DomainError):
    code = "not_found"


class Conflict(DomainError):
    code = "conflict"


class Forbidden(DomainError):
    code = "forbidden"


class Invalid(DomainError):
    """Input that breaks a rule of its own shape or of the domain; ``details`` names the field."""

    code = "invalid"


class Infeasible(DomainError):
    code = "infeasible"
