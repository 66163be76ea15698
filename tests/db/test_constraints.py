"""The database itself refuses bad rows (the last line behind the services' validation), and
integrity errors are described the same way on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from resched.core.model import AbsenceType, Role, ShiftKind
from resched.db.errors import Violation, describe_integrity_error
from resched.db.repositories import (
    AcademicYearRepository,
    CoverageRepository,
    PeopleRepository,
    ShiftTypeRepository,
)
from resched.db.session import transaction
from resched.db.tables import (
    AbsenceRow,
    BlockAssignmentRow,
    BlockRow,
    PersonRow,
    PersonYearRow,
    RotationCapacityRow,
    RotationRow,
    ScheduleVersionRow,
    ShiftAssignmentRow,
    ShiftTypeRow,
)
from tests import builders

Factory = sessionmaker[Session]


def _person(code: str = "r1") -> PersonRow:
    return PersonRow(code=code, name="R", role=Role.RESIDENT, credentials=[])


def _shift(code: str = "DAY", minutes: int = 600) -> ShiftTypeRow:
    return ShiftTypeRow(
        code=code,
        name="Day",
        start_time=dt.time(7),
        minutes=minutes,
        kind=ShiftKind.WORK,
        supervised_by=[],
    )


def _fails(factory: Factory, build: Callable[[Session], None]) -> IntegrityError:
    def attempt() -> None:
        with transaction(factory) as session:
            build(session)
            session.flush()

    with pytest.raises(IntegrityError) as caught:
        attempt()
    return caught.value


def _refused_by_check(error: IntegrityError, constraint: str) -> None:
    """The row broke exactly ``constraint`` (named by the naming convention, db/base.py): the
    same description on SQLite and PostgreSQL, and not some other rule tripped by accident."""
    problem = describe_integrity_error(error)
    assert (problem.kind, problem.constraint) == (Violation.CHECK, constraint), error


def test_minutes_must_be_positive(session_factory: Factory) -> None:
    error = _fails(session_factory, lambda s: s.add(_shift(minutes=0)))
    _refused_by_check(error, "ck_shift_type_minutes_positive")


def test_absence_cannot_end_before_it_starts(session_factory: Factory) -> None:
    def build(session: Session) -> None:
        person = _person()
        session.add(person)
        session.flush()
        session.add(
            AbsenceRow(
                person_id=person.id,
                start_date=dt.date(2026, 8, 2),
                end_date=dt.date(2026, 8, 1),
                type=AbsenceType.SICK,
            )
        )

    _refused_by_check(_fails(session_factory, build), "ck_absence_dates_ordered")


def test_pgy_is_at_least_one(session_factory: Factory) -> None:
    def build(session: Session) -> None:
        year = AcademicYearRepository(session).add(builders.academic_year())
        person = _person()
        person.years = [PersonYearRow(academic_year_id=year.id, pgy=0)]
        session.add(person)

    _refused_by_check(_fails(session_factory, build), "ck_person_year_pgy_positive")


def test_capacity_min_not_above_max(session_factory: Factory) -> None:
    def build(session: Session) -> None:
        rotation = RotationRow(
            code="ICU", name="ICU", weekly_pattern={}, not_adjacent_to=[], weekly_quotas=[]
        )
        rotation.capacities = [RotationCapacityRow(pgy_min=1, pgy_max=2, min_count=3, max_count=2)]
        session.add(rotation)

    _refused_by_check(_fails(session_factory, build), "ck_rotation_capacity_count_ordered")


def test_unknown_enum_value_is_refused_by_the_database(session_factory: Factory) -> None:
    def build(session: Session) -> None:
        session.connection().exec_driver_sql(
            "INSERT INTO person (code, name, role, credentials, active) "
            "VALUES ('x', 'X', 'janitor', '[]', true)"
        )

    _refused_by_check(_fails(session_factory, build), "ck_person_person_role")


def test_unique_code_is_described_with_its_column(session_factory: Factory) -> None:
    with transaction(session_factory) as session:
        session.add(_person("r1"))
    error = _fails(session_factory, lambda s: s.add(_person("r1")))
    problem = describe_integrity_error(error)
    assert problem.kind is Violation.UNIQUE
    assert (problem.table, problem.columns) == ("person", ("code",))


def test_one_person_per_shift_and_day_per_version(session_factory: Factory) -> None:
    def build(session: Session) -> None:
        year = AcademicYearRepository(session).add(builders.academic_year())
        version, person, shift = ScheduleVersionRow(academic_year_id=year.id), _person(), _shift()
        session.add_all([version, person, shift])
        session.flush()
        for _ in range(2):
            session.add(
                ShiftAssignmentRow(
                    version_id=version.id,
                    person_id=person.id,
                    day=dt.date(2026, 7, 1),
                    shift_type_id=shift.id,
                )
            )

    problem = describe_integrity_error(_fails(session_factory, build))
    key = ("version_id", "person_id", "day", "shift_type_id")
    assert (problem.kind, problem.table, problem.columns) == (
        Violation.UNIQUE,
        "shift_assignment",
        key,
    )


def test_whole_block_duplicates_collide(session_factory: Factory) -> None:
    """half=0 (not NULL) for a whole block, so two whole-block rows hit the unique key."""

    def build(session: Session) -> None:
        year = AcademicYearRepository(session).add(builders.academic_year())
        ShiftTypeRepository(session).add(builders.shift_type("DAY"))
        rotation = RotationRow(
            code="W", name="W", weekly_pattern={}, not_adjacent_to=[], weekly_quotas=[]
        )
        version, person = ScheduleVersionRow(academic_year_id=year.id), _person()
        session.add_all([version, person, rotation])
        session.flush()
        block = session.scalars(select(BlockRow).limit(1)).one()
        for _ in range(2):
            session.add(
                BlockAssignmentRow(
                    version_id=version.id,
                    person_id=person.id,
                    block_id=block.id,
                    rotation_id=rotation.id,
                )
            )

    problem = describe_integrity_error(_fails(session_factory, build))
    key = ("version_id", "person_id", "block_id", "half")
    assert (problem.kind, problem.table, problem.columns) == (
        Violation.UNIQUE,
        "block_assignment",
        key,
    )


def test_deleting_a_person_cascades_to_absences_and_years(session_factory: Factory) -> None:
    with transaction(session_factory) as session:
        year = AcademicYearRepository(session).add(builders.academic_year())
        person = PeopleRepository(session).add(builders.resident("r1", year.id, 2))
        session.add(
            AbsenceRow(
                person_id=person.id,
                start_date=dt.date(2026, 8, 1),
                end_date=dt.date(2026, 8, 1),
                type=AbsenceType.SICK,
            )
        )
    with transaction(session_factory) as session:
        assert PeopleRepository(session).delete(person.id or 0)
    with session_factory() as session:
        for table in (AbsenceRow, PersonYearRow):
            assert session.scalar(select(func.count()).select_from(table)) == 0


def test_a_shift_type_in_use_by_coverage_cannot_be_deleted(session_factory: Factory) -> None:
    with transaction(session_factory) as session:
        shift = ShiftTypeRepository(session).add(builders.shift_type("DAY"))
        CoverageRepository(session).add(
            builders.coverage_rule("DAY", eligibility=builders.coverage_rule().eligibility),
            shift.id or 0,
        )

    def build(session: Session) -> None:
        ShiftTypeRepository(session).delete(shift.id or 0)

    assert describe_integrity_error(_fails(session_factory, build)).kind is Violation.FOREIGN_KEY
