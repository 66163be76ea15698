"""Whether a generated schedule honours a request, on hand-built schedules: an internal
medicine-like one (13 four-week blocks, a 24 h call) and a pediatrics-like one (calendar
months, half blocks, a night shift that ends the next morning)."""

from __future__ import annotations

import datetime as dt

from resched.core.calendar import four_week_blocks, monthly_blocks
from resched.core.model import (
    Assignment,
    BlockAssignment,
    Request,
    RequestKind,
    ShiftKind,
    ShiftType,
)
from resched.core.requests import GeneratedSchedule, Honoured, HonouredCheck, touched_days

D = dt.date
DAY = ShiftType("DAY", "Day", dt.time(7), 600, ShiftKind.WORK)
CALL = ShiftType("CALL", "Call", dt.time(7), 1440, ShiftKind.IN_HOUSE_CALL)
NIGHT = ShiftType("NF", "Night float", dt.time(19), 720, ShiftKind.NIGHT_FLOAT)
OFF = ShiftType("OFF", "Off", dt.time(0), 1440, ShiftKind.OFF)
TYPES = {s.code: s for s in (DAY, CALL, NIGHT, OFF)}


def _im() -> GeneratedSchedule:
    blocks = four_week_blocks(D(2026, 7, 1), D(2027, 6, 30))
    plan = (BlockAssignment(1, 1, "WARDS"), BlockAssignment(1, 2, "ELEC"))
    shifts = (
        Assignment(1, D(2026, 7, 6), "DAY"),
        Assignment(1, D(2026, 7, 7), "CALL"),  # 24 h: takes the morning of the 8th
        Assignment(1, D(2026, 7, 10), "OFF"),
    )
    return GeneratedSchedule(
        blocks=blocks,
        plan=plan,
        shifts=shifts,
        shift_types=TYPES,
        leave_rotations=frozenset({"ELEC"}),
        shift_span=(D(2026, 7, 1), D(2026, 7, 28)),
    )


def _ask(kind: RequestKind, start: dt.date, end: dt.date | None = None, **codes: str) -> Request:
    return Request(1, kind, start, end or start, **codes)  # type: ignore[arg-type]


def test_a_day_off_is_missed_by_any_duty_touching_it_even_from_the_night_before() -> None:
    check = HonouredCheck(_im())
    assert check.of(_ask(RequestKind.DAY_OFF, D(2026, 7, 9))) is Honoured.YES
    assert check.of(_ask(RequestKind.DAY_OFF, D(2026, 7, 10))) is Honoured.YES  # an OFF shift
    assert check.of(_ask(RequestKind.DAY_OFF, D(2026, 7, 6))) is Honoured.NO
    assert check.of(_ask(RequestKind.DAY_OFF, D(2026, 7, 8))) is Honoured.NO  # post-call
    assert check.of(_ask(RequestKind.DAY_OFF, D(2026, 7, 9), D(2026, 7, 12))) is Honoured.YES


def test_shift_requests_want_the_shift_every_day_or_on_none() -> None:
    check = HonouredCheck(_im())
    assert check.of(_ask(RequestKind.SHIFT_ON, D(2026, 7, 7), shift_code="CALL")) is Honoured.YES
    on_two = _ask(RequestKind.SHIFT_ON, D(2026, 7, 6), D(2026, 7, 7), shift_code="DAY")
    assert check.of(on_two) is Honoured.NO
    assert check.of(_ask(RequestKind.SHIFT_OFF, D(2026, 7, 7), shift_code="DAY")) is Honoured.YES
    assert check.of(_ask(RequestKind.SHIFT_OFF, D(2026, 7, 7), shift_code="CALL")) is Honoured.NO


def test_days_the_shift_schedule_does_not_cover_are_not_generated_unless_one_is_missed() -> None:
    check = HonouredCheck(_im())
    later = _ask(RequestKind.DAY_OFF, D(2026, 8, 3))
    assert check.of(later) is Honoured.NOT_GENERATED
    across = _ask(RequestKind.DAY_OFF, D(2026, 7, 27), D(2026, 7, 30))
    assert check.of(across) is Honoured.NOT_GENERATED
    missed_across = _ask(RequestKind.DAY_OFF, D(2026, 7, 6), D(2026, 8, 3))
    assert check.of(missed_across) is Honoured.NO
    no_shifts = HonouredCheck(GeneratedSchedule(blocks=_im().blocks, plan=_im().plan))
    assert no_shifts.of(_ask(RequestKind.DAY_OFF, D(2026, 7, 9))) is Honoured.NOT_GENERATED


def test_plan_requests_read_the_rotation_plan() -> None:
    check = HonouredCheck(_im())
    wards = _ask(RequestKind.ROTATION, D(2026, 7, 1), D(2026, 7, 28), rotation_code="WARDS")
    assert check.of(wards) is Honoured.YES
    assert (
        check.of(_ask(RequestKind.ROTATION, D(2026, 7, 20), D(2026, 8, 2), rotation_code="WARDS"))
        is Honoured.NO
    )
    assert check.of(_ask(RequestKind.VACATION, D(2026, 8, 3), D(2026, 8, 7))) is Honoured.YES
    assert check.of(_ask(RequestKind.VACATION, D(2026, 7, 27), D(2026, 7, 30))) is Honoured.NO
    block_3 = _ask(RequestKind.ROTATION, D(2026, 9, 1), rotation_code="WARDS")
    assert check.of(block_3) is Honoured.NOT_GENERATED  # no plan cell for the person


def test_pediatrics_half_blocks_and_an_overnight_night_shift() -> None:
    months = monthly_blocks(D(2026, 7, 1), D(2027, 6, 30))
    peds = GeneratedSchedule(
        blocks=months,
        plan=(BlockAssignment(7, 2, "NICU", half=1), BlockAssignment(7, 2, "CLINIC", half=2)),
        shifts=(Assignment(7, D(2026, 8, 14), "NF"),),
        shift_types=TYPES,
        leave_rotations=frozenset({"CLINIC"}),
        shift_span=(D(2026, 8, 1), D(2026, 8, 31)),
    )
    check = HonouredCheck(peds)
    first_half = Request(
        7, RequestKind.ROTATION, D(2026, 8, 1), D(2026, 8, 15), rotation_code="NICU"
    )
    assert check.of(first_half) is Honoured.YES
    assert (
        check.of(
            Request(7, RequestKind.ROTATION, D(2026, 8, 16), D(2026, 8, 16), rotation_code="NICU")
        )
        is Honoured.NO
    )
    assert (
        check.of(Request(7, RequestKind.VACATION, D(2026, 8, 20), D(2026, 8, 31))) is Honoured.YES
    )
    assert check.of(Request(7, RequestKind.DAY_OFF, D(2026, 8, 15), D(2026, 8, 15))) is Honoured.NO
    assert check.of(Request(7, RequestKind.DAY_OFF, D(2026, 8, 16), D(2026, 8, 16))) is Honoured.YES


def test_touched_days_of_a_shift() -> None:
    assert touched_days(D(2026, 7, 1), DAY) == [D(2026, 7, 1)]
    assert touched_days(D(2026, 7, 1), NIGHT) == [D(2026, 7, 1), D(2026, 7, 2)]
    midnight = ShiftType("EVE", "Evening", dt.time(14), 600, ShiftKind.WORK)
    assert touched_days(D(2026, 7, 1), midnight) == [D(2026, 7, 1)]
