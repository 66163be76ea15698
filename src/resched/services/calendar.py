"""The program settings and its academic years (with blocks and holidays)."""

from __future__ import annotations

import zoneinfo

from resched.core.model import AcademicYear, Program
from resched.db.repositories import AcademicYearRepository, ProgramRepository
from resched.services.audit import ActorLike, record
from resched.services.common import SessionFactory, check_text, fail, read, write


def save_program(*, factory: SessionFactory, program: Program, actor: ActorLike = None) -> Program:
    """Create or replace the program's settings (one program per database)."""
    check_text(program.name, "name", max_length=200)
    if program.timezone not in zoneinfo.available_timezones():
        fail("timezone", f"unknown IANA time zone {program.timezone!r}")
    if program.freeze_horizon_days < 0:
        fail("freeze_horizon_days", "the freeze horizon is 0 days or more")
    with write(factory) as session:
        repo = ProgramRepository(session)
        before = repo.get()
        saved = repo.save(program)
        action = "create" if before is None else "update"
        record(
            session,
            actor=actor,
            action=action,
            entity="program",
            entity_id=saved.id or 0,
            before=before,
            after=saved,
        )
        return saved


def validate_academic_year(year: AcademicYear) -> None:
    check_text(year.label, "label", max_length=40)
    if year.end < year.start:
        fail("end", "the year ends before it starts")
    previous_end = None
    for index, block in enumerate(sorted(year.blocks, key=lambda b: b.start)):
        field = f"blocks[{index}]"
        if block.end < block.start or not year.start <= block.start <= block.end <= year.end:
            fail(field, f"block {block.number} must lie within the year, start before end")
        if previous_end is not None and block.start <= previous_end:
            fail(field, f"block {block.number} overlaps the block before it")
        previous_end = block.end
    numbers = [block.number for block in year.blocks]
    if len(set(numbers)) != len(numbers):
        fail("blocks", "block numbers must be unique")
    if any(not year.start <= day <= year.end for day in year.holidays):
        fail("holidays", "holidays must lie within the year")


def create_academic_year(
    *, factory: SessionFactory, year: AcademicYear, actor: ActorLike = None
) -> AcademicYear:
    validate_academic_year(year)
    with write(factory) as session:
        created = AcademicYearRepository(session).add(year)
        record(
            session,
            actor=actor,
            action="create",
            entity="academic_year",
            entity_id=created.id or 0,
            after=created,
        )
        return created


def list_academic_years(*, factory: SessionFactory) -> list[AcademicYear]:
    with read(factory) as session:
        return AcademicYearRepository(session).all()
