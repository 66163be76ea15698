"""Coverage requirements: daily demands per shift type with eligibility. Update replaces the
whole requirement (PUT semantics)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from resched.core.model import CoverageRequirement
from resched.db.records import Page
from resched.db.repositories import CoverageRepository
from resched.services.audit import ActorLike, record, record_all_created, record_updated
from resched.services.codes import KnownCodes
from resched.services.common import (
    DEFAULT_PAGE_SIZE,
    SessionFactory,
    check_known,
    check_page,
    check_pgy,
    check_text,
    fail,
    found,
    read,
    write,
)
from resched.services.versions import Edited, claim

ENTITY = "coverage_requirement"


def validate_coverage(coverage: CoverageRequirement) -> None:
    check_text(coverage.name, "name", max_length=200, required=False)
    if not coverage.weekdays or any(day not in range(1, 8) for day in coverage.weekdays):
        fail("weekdays", "one or more ISO weekdays, 1 (Monday) to 7 (Sunday)")
    if coverage.min_count < 0 or coverage.max_count < max(1, coverage.min_count):
        fail("max_count", "need 0 <= min_count <= max_count and max_count >= 1")
    eligibility = coverage.eligibility
    if eligibility.pgy_min is not None:
        check_pgy(eligibility.pgy_min, "eligibility.pgy_min")
    if eligibility.pgy_max is not None:
        check_pgy(eligibility.pgy_max, "eligibility.pgy_max")
        if eligibility.pgy_min is not None and eligibility.pgy_max < eligibility.pgy_min:
            fail("eligibility.pgy_max", "pgy_max is below pgy_min")
    for credential in eligibility.credentials:
        check_text(credential, "eligibility.credentials", max_length=40)
    both = sorted(coverage.dates & coverage.except_dates)
    if both:
        fail("except_dates", f"{both[0].isoformat()} is in both dates and except_dates")
    if coverage.dates and not any(d.isoweekday() in coverage.weekdays for d in coverage.dates):
        # Dates on none of the weekdays would make a rule that never applies: a mistake.
        fail("dates", "none of the dates falls on one of the weekdays")


def _shift_type_id(known: KnownCodes, coverage: CoverageRequirement) -> int:
    """The id of the demanded shift type, after checking every code the rule names."""
    if coverage.shift_code not in known.shift_ids:
        fail("shift_code", f"unknown shift type {coverage.shift_code!r}")
    check_known(coverage.eligibility.rotations, known.rotation_codes, "eligibility.rotations")
    return known.shift_ids[coverage.shift_code]


def create_coverage_requirement(
    *, factory: SessionFactory, coverage: CoverageRequirement, actor: ActorLike = None
) -> CoverageRequirement:
    with write(factory) as session:
        (created,) = add_coverage_requirements(session, [coverage], actor=actor)
        return created


def add_coverage_requirements(
    session: Session, items: Sequence[CoverageRequirement], *, actor: ActorLike
) -> list[CoverageRequirement]:
    """Check and store rules (each audited) in the caller's transaction."""
    for coverage in items:
        validate_coverage(coverage)
    known = KnownCodes.load(session)
    pairs = [(coverage, _shift_type_id(known, coverage)) for coverage in items]
    created = CoverageRepository(session).add_all(pairs)
    return record_all_created(session, actor=actor, entity=ENTITY, created=created)


def get_coverage_requirement(*, factory: SessionFactory, coverage_id: int) -> CoverageRequirement:
    with read(factory) as session:
        coverage = found(CoverageRepository(session).get(coverage_id), ENTITY, coverage_id)
    return coverage


def list_coverage_requirements(
    *, factory: SessionFactory, limit: int = DEFAULT_PAGE_SIZE, offset: int = 0
) -> Page[CoverageRequirement]:
    check_page(limit, offset)
    with read(factory) as session:
        return CoverageRepository(session).list_page(limit=limit, offset=offset)


def update_coverage_requirement(
    *,
    factory: SessionFactory,
    coverage_id: int,
    coverage: CoverageRequirement,
    actor: ActorLike = None,
    expected_version: int | None = None,
) -> CoverageRequirement:
    """StaleEdit (409) when ``expected_version`` is given and no longer the stored one."""
    validate_coverage(coverage)
    with write(factory) as session:
        repo = CoverageRepository(session)
        before = found(repo.get(coverage_id), ENTITY, coverage_id)
        claim(session, Edited.COVERAGE, coverage_id, expected_version)
        shift_type_id = _shift_type_id(KnownCodes.load(session), coverage)
        after = repo.replace(coverage_id, coverage, shift_type_id)
        return record_updated(
            session,
            actor=actor,
            entity=ENTITY,
            entity_id=coverage_id,
            before=before,
            after=after,
        )


def delete_coverage_requirement(
    *,
    factory: SessionFactory,
    coverage_id: int,
    actor: ActorLike = None,
    expected_version: int | None = None,
) -> None:
    with write(factory) as session:
        repo = CoverageRepository(session)
        before = found(repo.get(coverage_id), ENTITY, coverage_id)
        claim(session, Edited.COVERAGE, coverage_id, expected_version)
        repo.delete(coverage_id)
        record(
            session,
            actor=actor,
            action="delete",
            entity=ENTITY,
            entity_id=coverage_id,
            before=before,
        )
