"""Every core object survives a trip to the database and back unchanged (ids aside)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.exc import StatementError
from sqlalchemy.orm import Session, sessionmaker

from resched.core.model import (
    Assignment,
    AssignmentSource,
    Averaging,
    BlockAssignment,
    HolidayRule,
    LoggedWork,
    LoggedWorkKind,
    Program,
    Request,
    RequestKind,
    RuleConfig,
)
from resched.db import mappers
from resched.db.repositories import (
    AbsenceRepository,
    AcademicYearRepository,
    CoverageRepository,
    PeopleRepository,
    ProgramRepository,
    RotationRepository,
    ShiftTypeRepository,
)
from resched.db.session import transaction
from resched.db.tables import (
    BlockAssignmentRow,
    BlockRow,
    LoggedWorkRow,
    RequestRow,
    ScheduleVersionRow,
    ShiftAssignmentRow,
)
from tests import builders


def _without_id[T](value: T) -> T:
    return dataclasses.replace(value, id=None)  # type: ignore[type-var]


def test_program_with_custom_rules(session_factory: sessionmaker[Session]) -> None:
    rules = RuleConfig(
        averaging=Averaging.BLOCK, supervision_ratio={1: 3, 2: 5}, call_every_nth_night=4
    )
    program = Program(
        name="IM",
        timezone="America/Chicago",
        rules=rules,
        freeze_horizon_days=10,
        jeopardy_shift="BACKUP",  # the repository stores it as given (the service checks it)
    )
    with transaction(session_factory) as session:
        ProgramRepository(session).save(program)
    with session_factory() as session:
        stored = ProgramRepository(session).get()
    assert stored is not None
    assert _without_id(stored) == program
    assert stored.rules.ratio_for(7) == 5


def test_academic_year_with_blocks_and_holidays(session_factory: sessionmaker[Session]) -> None:
    year = builders.academic_year()
    with transaction(session_factory) as session:
        year_id = AcademicYearRepository(session).add(year).id
    with session_factory() as session:
        assert year_id is not None
        stored = AcademicYearRepository(session).get(year_id)
    assert stored is not None
    assert _without_id(stored) == year
    assert len(stored.blocks) == 13


def test_catalog_objects(session_factory: sessionmaker[Session]) -> None:
    supervisor = builders.shift_type("ATT")
    night = builders.shift_type(
        "NIGHT",
        start=dt.time(19, 30),
        minutes=720,
        transition_minutes=60,
        requires_supervision=True,
        supervised_by=("ATT",),
    )
    rotation = builders.rotation(
        "ICU", "NIGHT", not_adjacent_to=("ICU",), prerequisites=("WARDS", "CLINIC")
    )
    cover = builders.coverage_rule(
        "NIGHT",
        eligibility=dataclasses.replace(
            builders.coverage_rule().eligibility,
            rotations=frozenset({"ICU"}),
            credentials=frozenset({"ACLS"}),
            pgy_max=3,
        ),
    )
    with transaction(session_factory) as session:
        shifts = ShiftTypeRepository(session)
        ids = [shifts.add(supervisor).id, shifts.add(night).id]
        rotation_id = RotationRepository(session).add(rotation).id
        cover_id = CoverageRepository(session).add(cover, shift_type_id=ids[1] or 0).id
    with session_factory() as session:
        assert [_without_id(ShiftTypeRepository(session).get(i or 0)) for i in ids] == [
            supervisor,
            night,
        ]
        assert _without_id(RotationRepository(session).get(rotation_id or 0)) == rotation
        assert _without_id(CoverageRepository(session).get(cover_id or 0)) == cover


def test_coverage_dates_round_trip(session_factory: sessionmaker[Session]) -> None:
    only = frozenset({dt.date(2026, 10, 31), dt.date(2027, 3, 13)})
    never = frozenset({dt.date(2026, 12, 25)})
    scoped = builders.coverage_rule("DAY", dates=only)
    excepted = builders.coverage_rule("DAY", except_dates=never, name="Not on Christmas")
    closed = builders.coverage_rule("DAY", holidays=HolidayRule.NOT_ON_HOLIDAYS)
    rota = builders.coverage_rule("DAY", holidays=HolidayRule.HOLIDAYS_ONLY)
    rules = [scoped, excepted, closed, rota]
    with transaction(session_factory) as session:
        shift_id = ShiftTypeRepository(session).add(builders.shift_type("DAY")).id or 0
        repo = CoverageRepository(session)
        ids = [repo.add(rule, shift_type_id=shift_id).id or 0 for rule in rules]
    with session_factory() as session:
        repo = CoverageRepository(session)
        assert [_without_id(repo.get(i)) for i in ids] == rules


def test_person_profile_and_absence(session_factory: sessionmaker[Session]) -> None:
    with transaction(session_factory) as session:
        year_id = AcademicYearRepository(session).add(builders.academic_year()).id
        next_id = (
            AcademicYearRepository(session)
            .add(builders.academic_year("2027-28", dt.date(2027, 7, 1)))
            .id
        )
        assert year_id is not None
        assert next_id is not None
        profile = dataclasses.replace(builders.resident("r1"), pgy_by_year={year_id: 1, next_id: 2})
        person = PeopleRepository(session).add(profile)
        assert person.id is not None
        absence = builders.absence(person.id)
        absence_id = AbsenceRepository(session).add(absence).id
    with session_factory() as session:
        stored = PeopleRepository(session).get(person.id)
        assert stored is not None
        assert _without_id(stored) == profile
        assert stored.in_year(next_id).pgy == 2
        assert _without_id(AbsenceRepository(session).get(absence_id or 0)) == absence


def test_schedule_rows(session_factory: sessionmaker[Session]) -> None:
    """Assignments map codes and block numbers to ids and back; half None <-> 0."""
    with transaction(session_factory) as session:
        year = AcademicYearRepository(session).add(builders.academic_year())
        shift = ShiftTypeRepository(session).add(builders.shift_type("DAY"))
        rotation = RotationRepository(session).add(builders.rotation("WARDS", "DAY"))
        person = PeopleRepository(session).add(builders.resident("r1"))
        version = ScheduleVersionRow(academic_year_id=year.id)
        session.add(version)
        session.flush()
        blocks = {b.number: b.id for b in session.query(BlockRow)}
        whole = BlockAssignment(person.id or 0, 2, "WARDS")
        half = BlockAssignment(person.id or 0, 3, "WARDS", half=2, locked=True)
        shift_ids, rotation_ids = {"DAY": shift.id or 0}, {"WARDS": rotation.id or 0}
        block_rows = [
            mappers.fill_block_assignment_row(
                BlockAssignmentRow(), a, version.id, blocks, rotation_ids
            )
            for a in (whole, half)
        ]
        work = Assignment(person.id or 0, dt.date(2026, 7, 2), "DAY", AssignmentSource.SWAP, True)
        shift_row = mappers.fill_assignment_row(ShiftAssignmentRow(), work, version.id, shift_ids)
        session.add_all([*block_rows, shift_row])
        session.flush()
        assert block_rows[0].half == 0
        numbers = {v: k for k, v in blocks.items()}
        codes = {v: k for k, v in rotation_ids.items()}
        back = [mappers.block_assignment_from_row(r, numbers, codes) for r in block_rows]
        assert back == [whole, half]
        shift_codes = {v: k for k, v in shift_ids.items()}
        assert _without_id(mappers.assignment_from_row(shift_row, shift_codes)) == work


def test_requests_and_logged_work(session_factory: sessionmaker[Session]) -> None:
    with transaction(session_factory) as session:
        shift = ShiftTypeRepository(session).add(builders.shift_type("DAY"))
        person = PeopleRepository(session).add(builders.resident("r1"))
        pid = person.id or 0
        request = Request(
            pid,
            RequestKind.SHIFT_OFF,
            dt.date(2026, 9, 1),
            dt.date(2026, 9, 2),
            shift_code="DAY",
            weight=3,
            note="wedding",
        )
        request_row = mappers.fill_request_row(RequestRow(), request, {"DAY": shift.id or 0}, {})
        work = LoggedWork(
            pid,
            dt.datetime(2026, 9, 5, 18),
            dt.datetime(2026, 9, 5, 23),
            LoggedWorkKind.MOONLIGHTING,
        )
        work_row = mappers.fill_logged_work_row(LoggedWorkRow(), work)
        session.add_all([request_row, work_row])
        session.flush()
        session.expire_all()  # read back what the database holds, not the Python objects
        back = mappers.request_from_row(request_row, {shift.id or 0: "DAY"}, {})
        assert _without_id(back) == request
        assert _without_id(mappers.logged_work_from_row(work_row)) == work


def test_instants_are_utc_aware(session_factory: sessionmaker[Session]) -> None:
    # The repeated hour of the DST change: fold=0 is the first (CDT, UTC-5) 01:30.
    chicago = dt.datetime(2026, 11, 1, 1, 30, tzinfo=ZoneInfo("America/Chicago"))
    with transaction(session_factory) as session:
        year = AcademicYearRepository(session).add(builders.academic_year())
        session.add(ScheduleVersionRow(academic_year_id=year.id, published_at=chicago))
    with session_factory() as session:
        row = session.query(ScheduleVersionRow).one()
        # Compared in UTC: Python never calls an ambiguous local time equal across zones.
        assert row.published_at == dt.datetime(2026, 11, 1, 6, 30, tzinfo=dt.UTC)
        assert row.published_at is not None
        assert row.published_at.tzinfo == dt.UTC
        assert row.created_at.tzinfo == dt.UTC


def test_naive_instants_are_refused(session_factory: sessionmaker[Session]) -> None:
    def store_naive() -> None:
        with transaction(session_factory) as session:
            year = AcademicYearRepository(session).add(builders.academic_year())
            naive = dt.datetime(2026, 1, 1)
            session.add(ScheduleVersionRow(academic_year_id=year.id, published_at=naive))
            session.flush()

    with pytest.raises(StatementError, match="naive datetime"):
        store_naive()
