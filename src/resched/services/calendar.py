"""Storing a program and an academic year exactly as given (prebuilt blocks): the demo loader and
the test seeds use these. People go through ``services.program`` (the program's settings, never
looser than ACGME) and ``services.academic_years`` (years built from a block scheme, holidays)."""

from __future__ import annotations

from resched.core.model import AcademicYear, Program
from resched.db.repositories import AcademicYearRepository
from resched.services.audit import ActorLike, record
from resched.services.common import SessionFactory, check_text, fail, write
from resched.services.program import program_errors, refuse, store_program


def save_program(*, factory: SessionFactory, program: Program, actor: ActorLike = None) -> Program:
    """Create or replace the program's settings (one program per database), as given: the
    demo and tests use it; coordinators go through ``program.update_program``."""
    refuse(program_errors(program))
    with write(factory) as session:
        return store_program(session, lambda _: program, actor)


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


def store_academic_year(
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
