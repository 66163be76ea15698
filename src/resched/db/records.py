"""Small typed results the repositories return where a core object alone does not fit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from resched.core.model import Person, Role


@dataclass(frozen=True, slots=True)
class Page[T]:
    """One page of a list: ``items`` plus the ``total`` number of matches, for any page."""

    items: tuple[T, ...]
    total: int
    limit: int
    offset: int


@dataclass(frozen=True, slots=True)
class PersonProfile:
    """A person with their PGY level in each academic year (academic year id -> PGY).

    core.model.Person is a person *as seen in one year* (one ``pgy``); editing people needs all
    years at once, hence this record. ``id`` is None before the person is stored.
    """

    code: str
    name: str
    role: Role
    email: str | None = None
    credentials: frozenset[str] = frozenset()
    active: bool = True
    pgy_by_year: Mapping[int, int] = field(default_factory=dict)
    id: int | None = None
    phone: str | None = None
    pager: str | None = None

    def in_year(self, academic_year_id: int | None) -> Person:
        """The core Person for one academic year (``pgy`` None if not set for that year)."""
        if self.id is None:
            raise ValueError("a stored person (with an id) is needed")
        pgy = None if academic_year_id is None else self.pgy_by_year.get(academic_year_id)
        return Person(
            id=self.id,
            code=self.code,
            name=self.name,
            role=self.role,
            pgy=pgy,
            email=self.email,
            credentials=self.credentials,
            active=self.active,
            phone=self.phone,
            pager=self.pager,
        )


@dataclass(frozen=True, slots=True)
class AuditEvent:
    """One entry of the audit trail, as read back."""

    id: int
    at: dt.datetime
    actor: str
    action: str
    entity: str
    entity_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    reason: str | None = None
    request_id: str | None = None
    client_address: str | None = None
