"""Importing people: one row per person, matched by code (a known code updates the person,
a new code creates one). The checks are those of the People page (services/people.py).

A column left out of the file keeps the stored value; a column present but empty clears an
optional field (email, phone, pager, credentials). ``pgy`` sets the level in the academic year
named by ``academic_year`` (or, without it, the year holding today, else the latest year).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy.orm import Session

from resched.core.errors import Conflict
from resched.core.model import AcademicYear, Role
from resched.db.mappers import snapshot
from resched.db.records import PersonProfile
from resched.db.repositories import AcademicYearRepository, PeopleRepository
from resched.io.tables import Record
from resched.io.uploads import FileKind, Upload
from resched.services.audit import ActorLike
from resched.services.common import check_code, fail
from resched.services.imports.documents import DocumentArray, place_at_paths, table_of
from resched.services.imports.kind import TABLE_FILES, ImportKind
from resched.services.imports.staging import (
    CREATE,
    UNCHANGED,
    UPDATE,
    Column,
    Staged,
    StagedRow,
    changes,
    code_list,
    read_records,
    stage_records,
    whole_number,
    yes_no,
)
from resched.services.imports.undoing import check_unchanged, refuse_if_blocked
from resched.services.people import add_people, remove_person, replace_person, validate_profile
from resched.services.permissions import Permission

COLUMNS = (
    Column("code", True, "the person's stable code (matches an existing person)", "R1-DOE"),
    Column("name", True, "full name", "Jane Doe"),
    Column("role", True, "resident or faculty", "resident"),
    Column("email", False, "email address", "jane.doe@example.org"),
    Column("pgy", False, "PGY level 1-10 (residents only)", "1"),
    Column("academic_year", False, "the year the PGY level is for (its label)", ""),
    Column("phone", False, "phone number", "+1 555 0100"),
    Column("pager", False, "pager number", ""),
    Column("credentials", False, "credentials, separated by spaces or ;", ""),
    Column("active", False, "yes or no (new people: yes)", "yes"),
)
# Service field -> file column, where they differ.
FIELD_COLUMNS = {"pgy_by_year": "pgy", "person_id": "code"}
# An interchange document's people[]: its ``id`` is the person's code.
DOCUMENT = DocumentArray("people", {"id": "code", "name": "name", "role": "role", "pgy": "pgy"})


def stage_people(session: Session, upload: Upload) -> Staged:
    notes: list[str] = []
    sheet = table_of(upload, DOCUMENT, notes=notes)
    found = read_records(sheet, COLUMNS)
    codes = [record.values["code"] for record in found]
    existing = PeopleRepository(session).by_codes(codes)
    years = AcademicYearRepository(session).all()

    def stage_one(record: Record) -> StagedRow:
        return _stage_person(record, existing.get(record.values["code"]), years)

    staged = stage_records(
        sheet,
        found,
        key_of=lambda record: record.values["code"],
        stage_one=stage_one,
        columns_by_field=FIELD_COLUMNS,
        key_column="code",
    )
    staged.notes.extend(notes)
    return place_at_paths(staged, DOCUMENT)


def _stage_person(
    record: Record, current: PersonProfile | None, years: list[AcademicYear]
) -> StagedRow:
    values = record.values
    check_code(values["code"])
    base = current or PersonProfile(code=values["code"], name="", role=Role.RESIDENT)
    profile = replace(
        base,
        name=values["name"],
        role=_role(values["role"]),
        email=_optional(values, "email", base.email),
        phone=_optional(values, "phone", base.phone),
        pager=_optional(values, "pager", base.pager),
        credentials=frozenset(code_list(values["credentials"]))
        if "credentials" in values
        else base.credentials,
        # An empty cell keeps what is stored (new people are active).
        active=yes_no(values["active"], "active") if values.get("active") else base.active,
        pgy_by_year=_levels(values, base, years),
    )
    validate_profile(profile)
    after = _values(profile)
    if current is None:
        return {"action": CREATE, "key": profile.code, "id": None, "values": after}
    before = _values(current)
    action = UPDATE if before != after else UNCHANGED
    found = changes(before, after)
    return {
        "action": action,
        "key": profile.code,
        "id": current.id,
        "values": after,
        "before": snapshot(current),
        "changes": found,
    }


def _role(value: str) -> Role:
    try:
        return Role(value.strip().lower())
    except ValueError:
        fail("role", f"expected {' or '.join(r.value for r in Role)}, got {value!r}")


def _optional(values: dict[str, str] | Any, name: str, kept: str | None) -> str | None:
    if name not in values:
        return kept
    return values[name] or None


def _levels(values: Any, base: PersonProfile, years: list[AcademicYear]) -> dict[int, int]:
    levels = dict(base.pgy_by_year)
    if not values.get("pgy"):
        return levels
    pgy = whole_number(values["pgy"], "pgy_by_year")
    year = _year(values.get("academic_year", ""), years)
    assert year.id is not None
    levels[year.id] = pgy
    return levels


def _year(label: str, years: list[AcademicYear]) -> AcademicYear:
    if label:
        for year in years:
            if year.label == label:
                return year
        fail("academic_year", f"no academic year is labelled {label!r}")
    if not years:
        fail("pgy_by_year", "a PGY level needs an academic year: add the year first")
    today = dt.datetime.now(dt.UTC).date()
    current = [year for year in years if year.start <= today <= year.end]
    return current[0] if current else max(years, key=lambda year: year.start)


def _values(profile: PersonProfile) -> dict[str, Any]:
    """The person as staged JSON (``snapshot`` without the id; PGY keys are year ids)."""
    data: dict[str, Any] = snapshot(profile)
    data.pop("id", None)
    return data


def _profile(values: dict[str, Any], person_id: int | None = None) -> PersonProfile:
    return PersonProfile(
        code=values["code"],
        name=values["name"],
        role=Role(values["role"]),
        email=values["email"],
        credentials=frozenset(values["credentials"]),
        active=values["active"],
        pgy_by_year={int(year): pgy for year, pgy in values["pgy_by_year"].items()},
        id=person_id,
        phone=values["phone"],
        pager=values["pager"],
    )


def apply_people(session: Session, rows: Sequence[StagedRow], actor: ActorLike) -> dict[str, Any]:
    repo = PeopleRepository(session)
    held = repo.preload([r["id"] for r in rows if r["action"] == UPDATE])  # noqa: F841 - see preload
    created = add_people(
        session, [_profile(r["values"]) for r in rows if r["action"] == CREATE], actor=actor
    )
    updated = []
    for row in rows:
        if row["action"] != UPDATE:
            continue
        current = repo.get(row["id"])
        if current is None or snapshot(current) != row["before"]:
            raise Conflict(
                f"person {row['key']} (row {row['row']}) changed since the preview; "
                "upload the file again",
                details={"row": row["row"], "code": row["key"]},
            )
        after = replace_person(
            session, person_id=row["id"], profile=_profile(row["values"]), actor=actor
        )
        updated.append({"id": row["id"], "before": _values(current), "after": snapshot(after)})
    return {
        "created": [{"id": p.id, "after": snapshot(p)} for p in created],
        "updated": updated,
    }


def undo_people(session: Session, applied: dict[str, Any], actor: ActorLike) -> None:
    repo = PeopleRepository(session)
    held = repo.preload([item["id"] for item in applied["created"] + applied["updated"]])  # noqa: F841 - see preload
    blockers: list[str] = []
    for item in applied["created"] + applied["updated"]:
        current = repo.get(item["id"])
        check_unchanged(blockers, "person", item, None if current is None else snapshot(current))
    for item in applied["created"]:
        used = repo.references(item["id"])
        if used:
            listed = ", ".join(f"{count} {what}" for what, count in used.items())
            blockers.append(f"person {item['after']['code']} now has {listed}")
    refuse_if_blocked(blockers)
    for item in applied["updated"]:
        profile = _profile(item["before"], item["id"])
        replace_person(session, person_id=item["id"], profile=profile, actor=actor)
    for item in applied["created"]:
        remove_person(session, person_id=item["id"], actor=actor)


PEOPLE = ImportKind(
    name="people",
    title="People",
    permission=Permission.PEOPLE_WRITE,
    file_kinds=TABLE_FILES | {FileKind.JSON},
    columns=COLUMNS,
    stage=stage_people,
    apply=apply_people,
    undo=undo_people,
)
