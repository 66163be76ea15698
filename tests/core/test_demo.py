"""The demo program of DEMO.md (core/demo) and the plan counting bounds (core/plan_bounds.py)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from resched.core.calendar import block_for, us_federal_holidays
from resched.core.demo import DemoProgram, build_demo, check_plan_feasibility_bounds
from resched.core.demo.clocks import days_between, too_long_dates
from resched.core.errors import Invalid
from resched.core.model import (
    Absence,
    AbsenceStatus,
    AbsenceType,
    Capacity,
    Person,
    RequestKind,
    Role,
    Rotation,
    ShiftKind,
    YearlyRequirement,
)
from resched.core.plan_bounds import check_plan_bounds

DEMO = build_demo()

# DEMO.md's rotation table: (PGY-1 per block, PGY-2+ per block, yearly PGY-1/PGY-2/PGY-3).
TABLE = {
    "WARDS": ((5, 5), (4, 4), ((5, 6), (2, 3), (2, 3))),
    "ICU": ((2, 2), (2, 2), ((2, 3), (1, 2), (1, 2))),
    "NF": ((1, 1), (1, 1), ((1, 2), (1, 1), (0, 1))),
    "EM": ((1, 1), (2, 2), ((1, 2), (1, 2), (1, 2))),
    "CARDS": ((0, 1), (2, 2), ((0, 1), (1, 2), (0, 1))),
    "AMB": ((1, 2), (4, 4), ((1, 2), (2, 3), (2, 3))),
    "ELEC": ((0, 2), (9, 9), ((0, 2), (3, 5), (4, 6))),
}


def rotation(demo: DemoProgram, code: str) -> Rotation:
    return next(r for r in demo.rotations if r.code == code)


def places(demo: DemoProgram, code: str, pgy_min: int) -> tuple[int, int]:
    cap = next(c for c in rotation(demo, code).capacities if c.pgy_min == pgy_min)
    return cap.min_count, cap.max_count


def coverage(demo: DemoProgram, name: str) -> tuple[str, frozenset[int], int, int]:
    need = next(c for c in demo.coverage if c.name == name)
    return need.shift_code, need.weekdays, need.min_count, need.max_count


# --- people -----------------------------------------------------------------------------------


def test_default_people_match_demo_md() -> None:
    residents, faculty = DEMO.residents, DEMO.faculty
    assert len(residents) == 36
    assert len(faculty) == 16
    assert Counter(p.pgy for p in residents) == {1: 12, 2: 12, 3: 12}
    assert [p.code for p in residents] == [f"r{i:02d}" for i in range(1, 37)]
    assert [p.code for p in faculty] == [f"f{i:02d}" for i in range(1, 17)]
    assert all(p.pgy is None for p in faculty)


def test_ids_codes_names_and_emails_are_unique() -> None:
    people = DEMO.people
    for values in (
        [p.id for p in people],
        [p.code for p in people],
        [p.name for p in people],
        [p.email for p in people],
        [p.name.split()[-1] for p in people],  # 52 people: surnames stay unambiguous
    ):
        assert len(set(values)) == len(people)
    assert all(p.email and p.email.endswith("@example.org") for p in people)


def test_same_seed_same_demo_other_seed_other_names() -> None:
    assert build_demo(seed=7) == build_demo(seed=7)
    names_7 = [p.name for p in build_demo(seed=7).people]
    names_8 = [p.name for p in build_demo(seed=8).people]
    assert names_7 != names_8
    assert len(set(names_7) ^ set(names_8)) > 10


# --- program, calendar, shift types -----------------------------------------------------------


def test_program_and_year() -> None:
    assert DEMO.program.timezone == "America/Chicago"
    year = DEMO.year
    assert (year.label, year.start, year.end) == (
        "2026-27",
        dt.date(2026, 7, 1),
        dt.date(2027, 6, 30),
    )
    assert len(year.blocks) == 13
    assert year.blocks[-1].end == dt.date(2027, 6, 30)
    expected = [
        d for y in (2026, 2027) for d in us_federal_holidays(y) if year.start <= d <= year.end
    ]
    assert list(year.holidays) == expected
    assert dt.date(2026, 11, 26) in year.holidays


def test_shift_types_match_demo_md() -> None:
    shifts = {s.code: s for s in DEMO.shift_types}
    assert set(shifts) == {
        "WARD", "CALL", "ICU", "NIGHT", "ED-D", "ED-N", "CLIN-AM", "CLIN-PM",
        "PRECEPT-AM", "PRECEPT-PM", "DAYJOB", "BACKUP", "ATTEND", "FAC-CALL",
        "CALL-DST",  # not in DEMO.md: see test_the_night_the_clocks_go_back_has_a_shorter_call
    }  # fmt: skip
    call = shifts["CALL"]
    assert (call.kind, call.start, call.minutes, call.transition_minutes) == (
        ShiftKind.IN_HOUSE_CALL,
        dt.time(7),
        24 * 60,
        4 * 60,
    )
    assert (shifts["NIGHT"].kind, shifts["NIGHT"].start) == (ShiftKind.NIGHT_FLOAT, dt.time(19))
    assert shifts["BACKUP"].kind is shifts["FAC-CALL"].kind is ShiftKind.AT_HOME_CALL
    assert (shifts["CLIN-PM"].start, shifts["CLIN-PM"].minutes) == (dt.time(13), 240)
    for session in ("AM", "PM"):
        clinic = shifts[f"CLIN-{session}"]
        assert clinic.requires_supervision
        assert clinic.supervised_by == (f"PRECEPT-{session}",)
        assert shifts[f"PRECEPT-{session}"].start == clinic.start
    assert all(code in shifts for s in DEMO.shift_types for code in s.supervised_by)


def test_the_night_the_clocks_go_back_has_a_shorter_call() -> None:
    """CALL from 07:00 on Sat 31 Oct 2026 would last 25 h (continuous-duty); that day the
    demand moves to CALL-DST, 24 h of real time, for the same residents."""
    dst = dt.date(2026, 10, 31)  # the day before the first Sunday of November, Chicago
    short = next(s for s in DEMO.shift_types if s.code == "CALL-DST")
    assert (short.kind, short.start, short.minutes, short.transition_minutes) == (
        ShiftKind.IN_HOUSE_CALL,
        dt.time(7),
        23 * 60,
        4 * 60,
    )
    calls = [c for c in DEMO.coverage if c.shift_code == "CALL"]
    twins = [c for c in DEMO.coverage if c.shift_code == "CALL-DST"]
    assert len(calls) == len(twins) == 3
    for call, twin in zip(calls, twins, strict=True):
        assert (call.dates, call.except_dates) == (frozenset(), frozenset({dst}))
        assert (twin.dates, twin.except_dates) == (frozenset({dst}), frozenset())
        assert (twin.eligibility, twin.min_count, twin.max_count) == (
            call.eligibility,
            call.min_count,
            call.max_count,
        )
        before, after = dst - dt.timedelta(days=1), dst + dt.timedelta(days=1)
        assert [call.applies_on(d, DEMO.year.holidays) for d in (before, dst, after)] == [
            True,
            False,
            True,
        ]
        assert [twin.applies_on(d, DEMO.year.holidays) for d in (before, dst, after)] == [
            False,
            True,
            False,
        ]
    # Spring forward (Sun 14 Mar 2027) makes the call shorter, which is legal: no change.
    assert all(c.except_dates == {dst} for c in calls)


def test_the_short_call_follows_the_timezone() -> None:
    """Computed from the zone, not a table: a zone without DST needs no CALL-DST demand."""
    call = next(s for s in DEMO.shift_types if s.code == "CALL")
    year = DEMO.year
    rules = DEMO.program.rules
    days = list(days_between(year.start, year.end))
    assert too_long_dates(call, days, "America/Chicago", rules) == {dt.date(2026, 10, 31)}
    assert too_long_dates(call, days, "Europe/Berlin", rules) == {dt.date(2026, 10, 24)}
    assert too_long_dates(call, days, "Asia/Tokyo", rules) == frozenset()


# --- rotations --------------------------------------------------------------------------------


def test_rotation_table_matches_demo_md_at_the_reference_size() -> None:
    assert {r.code for r in DEMO.rotations} == set(TABLE)
    for code, (interns, seniors, yearly) in TABLE.items():
        rot = rotation(DEMO, code)
        assert rot.capacities == (Capacity(1, 1, *interns), Capacity(2, 3, *seniors)), code
        assert rot.requirements == tuple(
            YearlyRequirement(pgy, low, high) for pgy, (low, high) in enumerate(yearly, start=1)
        ), code


def test_leave_eligibility_and_adjacency_rules() -> None:
    assert {r.code for r in DEMO.rotations if r.leave_eligible} == {"CARDS", "AMB", "ELEC"}
    assert set(rotation(DEMO, "NF").not_adjacent_to) == {"NF", "ICU"}
    assert "NF" in rotation(DEMO, "ICU").not_adjacent_to  # either order
    codes = {r.code for r in DEMO.rotations}
    assert all(code in codes for r in DEMO.rotations for code in r.not_adjacent_to)


def test_every_pattern_and_quota_code_is_a_shift_type() -> None:
    shifts = {s.code for s in DEMO.shift_types}
    for rot in DEMO.rotations:
        assert set(rot.weekly_pattern) <= set(range(1, 8)), rot.code
        for codes in rot.weekly_pattern.values():
            assert set(codes) <= shifts, rot.code
        for quota in rot.weekly_quotas:
            assert set(quota.shift_codes) <= shifts, rot.code
            assert 0 <= quota.min_count <= quota.max_count


def test_weekly_patterns_say_what_demo_md_says() -> None:
    night = rotation(DEMO, "NF").weekly_pattern
    assert sorted(night) == [1, 2, 3, 4, 7]  # Sunday to Thursday nights
    ambulatory = rotation(DEMO, "AMB").weekly_pattern
    sessions = sum(code.startswith("CLIN") for codes in ambulatory.values() for code in codes)
    assert sessions == 6
    assert all(ambulatory[d] in (("DAYJOB",), ("CLIN-AM", "CLIN-PM")) for d in range(1, 6))
    for code in ("CARDS", "ELEC"):
        assert rotation(DEMO, code).weekly_pattern == dict.fromkeys(range(1, 6), ("DAYJOB",))
    continuity = {r.code for r in DEMO.rotations if r.weekly_quotas}
    assert continuity == {"EM", "CARDS", "ELEC"}  # not Wards, ICU, Night Float; Ambulatory has 6


# --- coverage ---------------------------------------------------------------------------------


def test_every_coverage_refers_to_known_codes() -> None:
    shifts = {s.code for s in DEMO.shift_types}
    rotations = {r.code for r in DEMO.rotations}
    for need in DEMO.coverage:
        assert need.shift_code in shifts, need.name
        assert need.eligibility.rotations <= rotations, need.name
        assert need.weekdays, need.name
        assert need.weekdays <= set(range(1, 8)), need.name
        assert 0 <= need.min_count <= need.max_count, need.name


def test_coverage_matches_demo_md_at_the_reference_size() -> None:
    every, weekdays = frozenset(range(1, 8)), frozenset(range(1, 6))
    assert coverage(DEMO, "Ward call, PGY-1") == ("CALL", every, 1, 1)
    assert coverage(DEMO, "Ward call, PGY-2+") == ("CALL", every, 1, 1)
    assert coverage(DEMO, "ICU call") == ("CALL", every, 1, 1)
    assert coverage(DEMO, "Night float, PGY-1") == ("NIGHT", frozenset({7, 1, 2, 3, 4}), 1, 1)
    assert coverage(DEMO, "Emergency day") == ("ED-D", every, 1, 1)
    assert coverage(DEMO, "Emergency night") == ("ED-N", every, 1, 1)
    assert coverage(DEMO, "Clinic AM") == ("CLIN-AM", weekdays, 0, 8)
    assert coverage(DEMO, "Backup call") == ("BACKUP", every, 1, 1)
    assert coverage(DEMO, "Ward attendings, one per team") == ("ATTEND", every, 4, 4)
    assert coverage(DEMO, "Faculty call") == ("FAC-CALL", every, 1, 1)
    senior_call = next(c for c in DEMO.coverage if c.name == "Ward call, PGY-2+").eligibility
    assert (senior_call.pgy_min, senior_call.rotations, senior_call.roles) == (
        2,
        frozenset({"WARDS"}),
        frozenset({Role.RESIDENT}),
    )
    backup = next(c for c in DEMO.coverage if c.name == "Backup call").eligibility
    assert backup.rotations == frozenset({"ELEC"})
    clinic = next(c for c in DEMO.coverage if c.name == "Clinic PM").eligibility
    assert clinic.rotations == frozenset({"AMB", "EM", "CARDS", "ELEC"})


# --- absences and requests --------------------------------------------------------------------


def test_absences_are_the_kinds_demo_md_lists() -> None:
    kinds = Counter((a.type, (a.end - a.start).days + 1) for a in DEMO.absences)
    assert kinds == {
        (AbsenceType.VACATION, 7): 7,
        (AbsenceType.CONFERENCE, 5): 1,
        (AbsenceType.DEPLOYMENT, 14): 1,
    }
    assert all(a.status is AbsenceStatus.APPROVED for a in DEMO.absences)
    faculty_ids = {p.id for p in DEMO.faculty}
    assert sum(a.person_id in faculty_ids for a in DEMO.absences) == 1


def test_resident_absences_sit_where_a_plan_can_honour_them() -> None:
    resident_ids = {p.id for p in DEMO.residents}
    mine = [a for a in DEMO.absences if a.person_id in resident_ids]
    blocks = [block_for(a.start, DEMO.year) for a in mine]
    assert all(block_for(a.end, DEMO.year) == b for a, b in zip(mine, blocks, strict=True))
    assert len({b.number for b in blocks}) == len(mine)  # one absence per block
    assert 1 not in {b.number for b in blocks}
    assert len({a.person_id for a in mine}) == len(mine)
    assert all(a.start.isoweekday() == 1 for a in mine)


def test_requests_are_about_twenty_and_refer_to_known_things() -> None:
    requests = DEMO.requests
    assert len(requests) == 20
    ids = {p.id for p in DEMO.people}
    shifts = {s.code for s in DEMO.shift_types}
    rotations = {r.code for r in DEMO.rotations}
    for request in requests:
        assert request.person_id in ids
        assert DEMO.year.start <= request.start <= request.end <= DEMO.year.end
        assert request.shift_code is None or request.shift_code in shifts
        assert request.rotation_code is None or request.rotation_code in rotations
        assert request.weight >= 1
    kinds = Counter(r.kind for r in requests)
    assert kinds[RequestKind.DAY_OFF] == 8
    assert kinds[RequestKind.ROTATION] == 4


def test_no_day_off_is_requested_on_a_day_already_away() -> None:
    for request in DEMO.requests:
        if request.kind is RequestKind.DAY_OFF:
            mine = [a for a in DEMO.absences if a.person_id == request.person_id]
            assert not any(a.covers(request.start) for a in mine)


# --- feasibility bounds -----------------------------------------------------------------------


def test_default_and_scaled_demo_pass_the_bounds() -> None:
    assert check_plan_feasibility_bounds(DEMO) == []
    assert check_plan_feasibility_bounds(build_demo(residents=60, faculty=25)) == []


def with_rotation(demo: DemoProgram, code: str, **changes: Any) -> DemoProgram:
    rotations = tuple(
        dataclasses.replace(r, **changes) if r.code == code else r for r in demo.rotations
    )
    return dataclasses.replace(demo, rotations=rotations)


def test_too_few_yearly_ward_places_are_reported() -> None:
    # 3 interns a block still leaves room to place all 12 each block, but not 5 blocks each.
    broken = with_rotation(DEMO, "WARDS", capacities=(Capacity(1, 1, 3, 3), Capacity(2, 3, 4, 4)))
    assert check_plan_feasibility_bounds(broken) == [
        "Wards, PGY-1: 12 residents need 60-72 blocks a year, but 13 blocks offer 39-39 places"
    ]


def test_too_many_block_places_are_reported() -> None:
    broken = with_rotation(DEMO, "WARDS", capacities=(Capacity(1, 1, 8, 8), Capacity(2, 3, 4, 4)))
    problems = check_plan_feasibility_bounds(broken)
    assert (
        "PGY-1: 12 residents to place every block, but the rotations take 13-17 per block"
        in problems
    )


def test_yearly_ranges_that_cannot_fill_the_year_are_reported() -> None:
    requirements = (
        YearlyRequirement(1, 0, 2),
        YearlyRequirement(2, 0, 1),
        YearlyRequirement(3, 4, 6),
    )
    broken = with_rotation(DEMO, "ELEC", requirements=requirements)
    problems = check_plan_feasibility_bounds(broken)
    assert problems == [
        "Elective, PGY-2..3: 24 residents need 48-84 blocks a year, but 13 blocks offer "
        "117-117 places"
    ]
    tight = with_rotation(DEMO, "WARDS", requirements=(YearlyRequirement(2, 9, 9),))
    assert "PGY-2: yearly requirements add up to 18-24 blocks, but the year has 13" in (
        check_plan_feasibility_bounds(tight)
    )


def test_absences_beyond_leave_eligible_places_are_reported() -> None:
    block = DEMO.year.blocks[3]
    interns = [p for p in DEMO.residents if p.pgy == 1][:4]
    away = tuple(Absence(p.id, block.start, block.start, AbsenceType.VACATION) for p in interns)
    crowded = dataclasses.replace(DEMO, absences=away)
    assert check_plan_feasibility_bounds(crowded) == [
        "block 4: 4 PGY-1 residents are away, but only 3 can be on leave-eligible rotations"
    ]
    one = interns[0]
    spread = tuple(
        Absence(one.id, b.start, b.start, AbsenceType.VACATION) for b in DEMO.year.blocks[:5]
    )
    assert check_plan_feasibility_bounds(dataclasses.replace(DEMO, absences=spread)) == [
        f"resident {one.code}: absences touch 5 blocks, but a PGY-1 resident has at most 4 "
        "leave-eligible blocks"
    ]


def test_residents_outside_every_capacity_group_are_reported() -> None:
    extra = Person(99, "r99", "Extra Resident", Role.RESIDENT, pgy=4)
    problems = check_plan_bounds(
        people=(*DEMO.people, extra), rotations=DEMO.rotations, blocks=DEMO.year.blocks
    )
    assert "resident r99 (PGY-4) has no rotation capacity" in problems


# --- sizes ------------------------------------------------------------------------------------


def test_sixty_residents_and_twenty_five_faculty_keep_the_shape() -> None:
    demo = build_demo(residents=60, faculty=25)
    assert Counter(p.pgy for p in demo.residents) == {1: 20, 2: 20, 3: 20}
    assert [p.code for p in demo.residents][-1] == "r60"
    assert [p.code for p in demo.faculty][-1] == "f25"
    for code in TABLE:
        for pgy_min, size in ((1, 20), (2, 40)):
            low, high = places(demo, code, pgy_min)
            assert 0 <= low <= high <= size
    assert places(demo, "NF", 1) == places(demo, "NF", 2) == (2, 2)
    assert coverage(demo, "Night float, PGY-1")[2:] == (2, 2)
    teams = places(demo, "WARDS", 2)[0]
    assert coverage(demo, "Ward attendings, one per team")[2:] == (teams, teams)


@pytest.mark.parametrize(
    ("residents", "faculty", "words"),
    [
        (35, 16, "multiple of 3"),
        (0, 16, "multiple of 3"),
        (24, 16, "cannot be scaled to 24 residents"),
        (27, 16, "3 PGY-2\\+ residents on Wards cannot share a call"),
        (36, 8, "needs at least 9 faculty"),
        (36, 0, "between 1 and"),
    ],
)
def test_sizes_that_cannot_work_are_refused(residents: int, faculty: int, words: str) -> None:
    with pytest.raises(Invalid, match=words):
        build_demo(residents=residents, faculty=faculty)


@settings(max_examples=25, deadline=None)
@given(st.integers(min_value=15, max_value=100), st.integers(min_value=0, max_value=10))
def test_larger_sizes_build_and_pass_the_bounds(per_pgy: int, spare_faculty: int) -> None:
    residents = 3 * per_pgy
    demo = build_demo(residents=residents, faculty=residents // 2 + spare_faculty)
    assert len(demo.residents) == residents
    assert check_plan_feasibility_bounds(demo) == []
