"""Hand-built schedule documents for the rule tests: the tests speak the interchange format, as
the acceptance checks and other tools do, and go through the real reader."""

from __future__ import annotations

import datetime as dt
from typing import Any

from resched.core.interchange import parse_schedule
from resched.core.rules import Finding, ScheduleContext, Severity, check_all


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


class Doc:
    """A schedule document under construction. Dates are ISO strings or ``dt.date``."""

    def __init__(
        self,
        start: str = "2026-07-01",
        end: str | None = None,
        *,
        timezone: str = "America/Chicago",
        rules: dict[str, Any] | None = None,
        days: int | None = 28,
    ) -> None:
        """Without ``end``, the range is ``days`` days from ``start`` (None: no range at all, so
        the reader's default applies)."""
        self.start = d(start)
        self.doc: dict[str, Any] = {
            "format": "resched.schedule/v1",
            "program": {"name": "Test program", "timezone": timezone, "rules": rules or {}},
            "people": [],
            "shift_types": [],
            "assignments": [],
            "absences": [],
            "logged_work": [],
        }
        if end is None and days is not None:
            end = (self.start + dt.timedelta(days=days - 1)).isoformat()
        if end is not None:
            self.doc["range"] = {"start": start, "end": end}

    def day(self, offset: int) -> str:
        """The ISO date ``offset`` days after the range start."""
        return (self.start + dt.timedelta(days=offset)).isoformat()

    def resident(self, code: str, pgy: int = 1, name: str | None = None) -> Doc:
        self.doc["people"].append(
            {"id": code, "name": name or f"Dr {code}", "role": "resident", "pgy": pgy}
        )
        return self

    def faculty(self, code: str, name: str | None = None) -> Doc:
        self.doc["people"].append({"id": code, "name": name or f"Dr {code}", "role": "faculty"})
        return self

    def shift(
        self,
        code: str,
        start: str,
        minutes: int,
        kind: str = "work",
        transition: int = 0,
        **extra: Any,
    ) -> Doc:
        item = {"code": code, "name": code, "start": start, "minutes": minutes, "kind": kind}
        if transition:
            item["transition_minutes"] = transition
        item.update(extra)
        self.doc["shift_types"].append(item)
        return self

    def assign(self, person: str, day: int | str, shift: str) -> Doc:
        date = self.day(day) if isinstance(day, int) else day
        self.doc["assignments"].append({"person": person, "date": date, "shift": shift})
        return self

    def assign_days(self, person: str, shift: str, days: Any) -> Doc:
        for offset in days:
            self.assign(person, offset, shift)
        return self

    def absence(self, person: str, start: int, end: int, kind: str = "vacation") -> Doc:
        self.doc["absences"].append(
            {"person": person, "start": self.day(start), "end": self.day(end), "type": kind}
        )
        return self

    def log(self, person: str, start: str, end: str, kind: str) -> Doc:
        self.doc["logged_work"].append({"person": person, "start": start, "end": end, "kind": kind})
        return self

    def context(self) -> ScheduleContext:
        return ScheduleContext(parse_schedule(self.doc))

    def check(self) -> list[Finding]:
        return check_all(self.context())

    def violations(self, rule: str | None = None) -> list[Finding]:
        return _select(self.check(), Severity.VIOLATION, rule)

    def warnings(self, rule: str | None = None) -> list[Finding]:
        return _select(self.check(), Severity.WARNING, rule)


def _select(found: list[Finding], severity: Severity, rule: str | None) -> list[Finding]:
    return [f for f in found if f.severity is severity and (rule is None or f.rule == rule)]


def rules_of(found: list[Finding]) -> set[str]:
    return {f.rule for f in found}
