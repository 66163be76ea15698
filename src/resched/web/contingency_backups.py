"""The Contingency page's suggested backups added in one step: what the rows need (the
program's jeopardy shift, which days are frozen, the override reasons), the form a row posts,
and the notice after a backup was added (with the way to undo it)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import Request
from pydantic import BaseModel

from resched.core.changes.freeze import frozen_days
from resched.core.changes.kinds import OVERRIDE_LABELS, OverrideReason
from resched.core.errors import NotFound
from resched.http.clock import request_now
from resched.http.database import request_factory
from resched.http.params import MAX_ID, url_number
from resched.services import program as program_service
from resched.services.changes.history import get_change
from resched.services.changes.model import AppliedChange, Override
from resched.services.common import SessionFactory
from resched.services.fairness import today_of_program
from resched.web.formtools import parse_day

OVERRIDES = [(r.value, OVERRIDE_LABELS[r]) for r in OverrideReason]
DEFAULT_OVERRIDE = OverrideReason.COVERAGE_GAP.value


class BackupForm(BaseModel):
    """One row's "Add as backup" form (override fields only on frozen days)."""

    version_id: int
    person: str = ""
    day: str = ""
    out: str = ""
    override_reason: str = ""
    override_note: str = ""

    def when(self) -> dt.date:
        return parse_day(self.day, "day")

    def override(self) -> Override | None:
        found = next((r for r in OverrideReason if r.value == self.override_reason), None)
        return Override(found, self.override_note.strip()) if found else None


def today_of(request: Request) -> dt.date:
    return today_of_program(factory=request_factory(request), now=request_now(request))


def backup_context(request: Request, report: dict[str, Any] | None) -> dict[str, Any]:
    """The jeopardy shift (None: the rows say where to set one), the report's backup days
    inside the freeze horizon (those rows carry the override fields) and the reasons."""
    factory: SessionFactory = request_factory(request)
    try:
        program = program_service.get_program(factory=factory)
    except NotFound:
        program = None
    days = {dt.date.fromisoformat(b["day"]) for b in (report or {}).get("backups", ())}
    frozen: list[dt.date] = []
    if program is not None and days:
        frozen = frozen_days(
            days, today=today_of(request), horizon_days=program.freeze_horizon_days
        )
    return {
        "jeopardy_shift": program.jeopardy_shift if program is not None else None,
        "frozen_backup_days": {d.isoformat() for d in frozen},
        "overrides": OVERRIDES,
        "default_override": DEFAULT_OVERRIDE,
        "backup_error": None,
        "added": None,
    }


def added_change(factory: SessionFactory, text: str | None) -> AppliedChange | None:
    """The change named by ``?added=`` (the notice after adding a backup); None if unknown."""
    number = url_number((text or "").strip()) if text else None
    if number is None or number > MAX_ID:
        return None
    try:
        return get_change(factory=factory, change_id=number)
    except NotFound:
        return None
