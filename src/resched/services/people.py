"""People and their PGY level per academic year.

Update is a full replacement of the person's fields and year levels (PUT semantics); the code
is the person's stable handle and cannot change.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from sqlalchemy.orm import Session

from resched.core.errors import Conflict
from resched.core.model import CONTACT_NUMBER_MAX, CONTACT_NUMBER_PATTERN, Role
from resched.db.records import Page, PersonProfile
from resched.db.repositories import AcademicYearRepository, PeopleRepository
from resched.services.audit import ActorLike, record, record_all_created, record_updated
from resched.services.common import (
    DEFAULT_PAGE_SIZE,
    SessionFactory,
    check_code,
    check_page,
    check_pgy,
    check_same_code,
    check_text,
    fail,
    found,
    read,
    write,
)
from resched.services.versions import Edited, claim

ENTITY = "person"


def validate_profile(profile: PersonProfile) -> None:
    check_code(profile.code)
    check_text(profile.name, "name", max_length=200)
    if profile.email is not None and (len(profile.email) > 254 or "@" not in profile.email):
        fail("email", "not an email address")
    for field, number in (("phone", profile.phone), ("pager", profile.pager)):
        if number is not None and not re.fullmatch(CONTACT_NUMBER_PATTERN, number):
            fail(
                field,
                f"a {field} number is digits with spaces, '-', '.', brackets, a leading '+' "
                f"(at most {CONTACT_NUMBER_MAX} characters)",
            )
    for credential in profile.credentials:
        check_text(credential, "credentials", max_length=40)
    # ``academic_year_id`` in the details says which year's level is at fault (a form shows
    # the error at that year's field).
    for year_id, pgy in sorted(profile.pgy_by_year.items()):
        if profile.role is not Role.RESIDENT:
            fail("pgy_by_year", "only residents have a PGY level", academic_year_id=year_id)
        check_pgy(pgy, "pgy_by_year", academic_year_id=year_id)


def _check_years_exist(session: Session, *profiles: PersonProfile) -> None:
    wanted = {year_id for profile in profiles for year_id in profile.pgy_by_year}
    missing = sorted(wanted - AcademicYearRepository(session).existing_ids(wanted))
    if missing:
        fail("pgy_by_year", "unknown academic year(s)", unknown=missing)


def create_person(
    *, factory: SessionFactory, profile: PersonProfile, actor: ActorLike = None
) -> PersonProfile:
    with write(factory) as session:
        (created,) = add_people(session, [profile], actor=actor)
        return created


def add_people(
    session: Session, profiles: Sequence[PersonProfile], *, actor: ActorLike
) -> list[PersonProfile]:
    """Check and store people (each audited) in the caller's transaction: one API call adds
    one, the demo loader everyone, in a fixed number of statements."""
    for profile in profiles:
        validate_profile(profile)
    _check_years_exist(session, *profiles)
    created = PeopleRepository(session).add_all(profiles)
    return record_all_created(session, actor=actor, entity=ENTITY, created=created)


def get_person(*, factory: SessionFactory, person_id: int) -> PersonProfile:
    with read(factory) as session:
        profile = found(PeopleRepository(session).get(person_id), ENTITY, person_id)
    return profile


def list_people(
    *,
    factory: SessionFactory,
    limit: int = DEFAULT_PAGE_SIZE,
    offset: int = 0,
    role: Role | None = None,
    active: bool | None = None,
    academic_year_id: int | None = None,
    pgy: int | None = None,
) -> Page[PersonProfile]:
    """People by code; with ``academic_year_id``, only those with a PGY level in that year
    (with ``pgy`` too, only those at that level)."""
    check_page(limit, offset)
    if pgy is not None and academic_year_id is None:
        fail("pgy", "a PGY level belongs to an academic year: give academic_year_id too")
    with read(factory) as session:
        return PeopleRepository(session).list_page(
            limit=limit,
            offset=offset,
            role=role,
            active=active,
            academic_year_id=academic_year_id,
            pgy=pgy,
        )


def update_person(
    *,
    factory: SessionFactory,
    person_id: int,
    profile: PersonProfile,
    actor: ActorLike = None,
    expected_version: int | None = None,
) -> PersonProfile:
    """StaleEdit (409) when ``expected_version`` is given and no longer the stored one."""
    validate_profile(profile)
    with write(factory) as session:
        return replace_person(
            session,
            person_id=person_id,
            profile=profile,
            actor=actor,
            expected_version=expected_version,
        )


def replace_person(
    session: Session,
    *,
    person_id: int,
    profile: PersonProfile,
    actor: ActorLike,
    expected_version: int | None = None,
) -> PersonProfile:
    """``update_person`` in the caller's transaction (an import updates many in one)."""
    validate_profile(profile)
    repo = PeopleRepository(session)
    before = found(repo.get(person_id), ENTITY, person_id)
    claim(session, Edited.PERSON, person_id, expected_version)
    check_same_code(before.code, profile.code)
    _check_years_exist(session, profile)
    after = repo.replace(person_id, profile)
    return record_updated(
        session, actor=actor, entity=ENTITY, entity_id=person_id, before=before, after=after
    )


def delete_person(
    *,
    factory: SessionFactory,
    person_id: int,
    actor: ActorLike = None,
    expected_version: int | None = None,
) -> None:
    """Delete a person and their absences, requests and year levels. Someone who appears in a
    schedule cannot be deleted (Conflict): deactivate them instead, the record stays whole."""
    with write(factory) as session:
        remove_person(session, person_id=person_id, actor=actor, expected_version=expected_version)


def remove_person(
    session: Session, *, person_id: int, actor: ActorLike, expected_version: int | None = None
) -> None:
    """``delete_person`` in the caller's transaction (the undo of an import)."""
    repo = PeopleRepository(session)
    before = found(repo.get(person_id), ENTITY, person_id)
    claim(session, Edited.PERSON, person_id, expected_version)
    held = repo.schedule_versions(person_id)
    if held:
        raise Conflict(
            f"{before.name} appears in {held} schedule version{'s' if held > 1 else ''}; "
            "deactivate them instead (the record stays whole)",
            details={"entity": ENTITY, "id": person_id, "schedule_versions": held},
        )
    repo.delete(person_id)
    record(session, actor=actor, action="delete", entity=ENTITY, entity_id=person_id, before=before)
