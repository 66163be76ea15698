"""Resolving a change against the stored version and the checks every change passes: the
slots exist (or are free), frozen days carry an override, and no new violation appears."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from resched.core.changes.freeze import frozen_days, override_problem
from resched.core.errors import Conflict, Invalid, NotFound
from resched.core.model import (
    AcademicYear,
    Assignment,
    AssignmentSource,
    Program,
    ScheduleStatus,
)
from resched.core.rules import Finding, ScheduleContext, Severity, check_change
from resched.db.repositories import AcademicYearRepository, ProgramRepository
from resched.db.repositories.schedule import ScheduleVersion, ScheduleVersionRepository
from resched.db.tables import PersonRow, ShiftTypeRow
from resched.services.changes.model import ChangeRequest, Override, Slot
from resched.services.schedules import ENTITY, StoredSchedule, load_in

MAX_ITEMS = 200


@dataclass(frozen=True, slots=True)
class Checked:
    """A change resolved against the stored version: its assignments and its impact."""

    version: ScheduleVersion
    program: Program
    remove: tuple[Assignment, ...]
    add: tuple[Assignment, ...]
    created: tuple[Finding, ...]
    cleared: tuple[Finding, ...]
    frozen: tuple[dt.date, ...]

    @property
    def violations(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.created if f.severity is Severity.VIOLATION)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.created if f.severity is not Severity.VIOLATION)


@dataclass(frozen=True, slots=True)
class Loaded:
    """What checking a change against a version reads, read once for many changes (the swap
    board checks up to 20 offers against the same year: reading it per offer cost about 27
    statements each). Codes map to ids for every person and shift type."""

    version: ScheduleVersion
    program: Program
    year: AcademicYear
    stored: StoredSchedule
    people: dict[str, int]
    shifts: dict[str, int]


def load_for_checks(session: Session, version_id: int) -> Loaded:
    version, program, year = _version_of(session, version_id)
    return Loaded(
        version,
        program,
        year,
        load_in(session, version, year.start, year.end),
        dict(session.execute(select(PersonRow.code, PersonRow.id)).all()),
        dict(session.execute(select(ShiftTypeRow.code, ShiftTypeRow.id)).all()),
    )


def _version_of(session: Session, version_id: int) -> tuple[ScheduleVersion, Program, AcademicYear]:
    version = ScheduleVersionRepository(session).get(version_id)
    program = ProgramRepository(session).get()
    if version is None or program is None:
        raise NotFound(f"no schedule version {version_id}", details={"entity": ENTITY})
    year = AcademicYearRepository(session).get(version.academic_year_id)
    assert year is not None
    return version, program, year


def check_in(
    session: Session,
    version_id: int,
    change: ChangeRequest,
    today: dt.date,
    source: AssignmentSource,
    restore: Mapping[Slot, tuple[AssignmentSource, bool]] | None = None,
    loaded: Loaded | None = None,
) -> Checked:
    """``change`` resolved against the version and checked; ``loaded``: the version's reads
    when the caller checks many changes against it (else they are read here)."""
    if not change.remove and not change.add:
        raise Invalid("the change is empty: nothing to remove or add", details={"field": "add"})
    if len(change.remove) + len(change.add) > MAX_ITEMS:
        raise Invalid(f"a change holds at most {MAX_ITEMS} items", details={"field": "add"})
    version, program, year = (
        (loaded.version, loaded.program, loaded.year)
        if loaded
        else _version_of(session, version_id)
    )
    for slot in (*change.remove, *change.add):
        if not year.start <= slot.day <= year.end:
            raise Invalid(
                f"{slot.day.isoformat()} is outside the version's academic year {year.label}",
                details={"field": "day"},
            )
    stored = loaded.stored if loaded else load_in(session, version, year.start, year.end)
    codes = {s.person for s in (*change.remove, *change.add)}
    kinds = {s.shift for s in (*change.remove, *change.add)}
    if loaded:
        people = _known(loaded.people, codes, "person")
        shifts = _known(loaded.shifts, kinds, "shift")
    else:
        people = _ids(session, PersonRow, codes, "person")
        shifts = _ids(session, ShiftTypeRow, kinds, "shift")
    remove = tuple(_held(stored, people[s.person], s) for s in change.remove)
    kept = restore or {}
    add = tuple(
        _free(stored, people[s.person], s, shifts, *kept.get(s, (source, False)))
        for s in change.add
    )
    impact = check_change(ScheduleContext(stored.schedule), remove, add)
    published = version.status is ScheduleStatus.PUBLISHED
    frozen = (
        frozen_days(change.days, today=today, horizon_days=program.freeze_horizon_days)
        if published
        else []
    )
    return Checked(version, program, remove, add, impact.created, impact.cleared, tuple(frozen))


def _ids(
    session: Session, table: type[PersonRow] | type[ShiftTypeRow], codes: set[str], path: str
) -> dict[str, int]:
    found = dict(session.execute(select(table.code, table.id).where(table.code.in_(codes))).all())
    return _known(found, codes, path)


def _known(every: Mapping[str, int], codes: set[str], path: str) -> dict[str, int]:
    found = {code: every[code] for code in codes if code in every}
    missing = sorted(codes - set(found))
    if missing:
        what = "person" if path == "person" else "shift type"
        raise NotFound(
            f"{path}: no {what} {missing[0]!r}",
            details={"errors": [{"path": path, "message": f"unknown code {missing[0]!r}"}]},
        )
    return found


def _own(stored: StoredSchedule) -> Sequence[Assignment]:
    return stored.schedule.assignments[stored.look_back :]


def _held(stored: StoredSchedule, person_id: int, slot: Slot) -> Assignment:
    for a in _own(stored):
        if (a.person_id, a.date, a.shift_code) == (person_id, slot.day, slot.shift):
            return a
    raise Conflict(
        f"{slot.person} holds no {slot.shift} shift on {slot.day.isoformat()} (any longer)",
        details={"field": "remove", "slot": slot.words()},
    )


def _free(
    stored: StoredSchedule,
    person_id: int,
    slot: Slot,
    shifts: dict[str, int],
    source: AssignmentSource,
    locked: bool,
) -> Assignment:
    for a in _own(stored):
        if (a.person_id, a.date, a.shift_code) == (person_id, slot.day, slot.shift):
            raise Conflict(
                f"{slot.person} already holds the {slot.shift} shift on {slot.day.isoformat()}",
                details={"field": "add", "slot": slot.words()},
            )
    assert slot.shift in shifts
    return Assignment(person_id, slot.day, slot.shift, source, locked)


def require_override(checked: Checked, override: Override | None) -> None:
    if not checked.frozen:
        return
    problem = override_problem(
        override.reason if override else None, override.note if override else ""
    )
    if problem is None:
        return
    first = checked.frozen[0].isoformat()
    horizon = checked.program.freeze_horizon_days
    raise Invalid(
        f"{first} is inside the freeze horizon ({horizon} days) or in the past: {problem}",
        details={"field": "override", "frozen": [d.isoformat() for d in checked.frozen]},
    )


def require_legal(checked: Checked, *, allow_violations: bool, reason: str) -> None:
    found = checked.violations
    if not found or (allow_violations and reason):
        return
    words = "; ".join(f.message for f in found[:3])
    more = f" (and {len(found) - 3} more)" if len(found) > 3 else ""
    raise Invalid(
        f"the change would break a rule: {words}{more}",
        details={
            "field": "reason" if allow_violations else "add",
            "findings": [{"rule": f.rule, "message": f.message} for f in found],
        },
    )
