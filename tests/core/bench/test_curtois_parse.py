"""The Curtois & Qu parser: the published instances read, malformed files refused by line and
section."""

from __future__ import annotations

from pathlib import Path

import pytest

from resched.core.bench.curtois import ParseError, parse_instance, read_instance
from tests.core.bench.curtois_tiny import INSTANCES, text, tiny

SIZES = {1: (14, 8, 1), 2: (14, 14, 2), 3: (14, 20, 3), 4: (28, 10, 2), 5: (28, 16, 2)}
SIZES |= {6: (28, 18, 3), 7: (28, 20, 3)}


@pytest.mark.parametrize("number", sorted(SIZES))
def test_reads_published_instances(number: int) -> None:
    instance = read_instance(Path(INSTANCES) / f"Instance{number}.txt")
    assert (instance.days, len(instance.staff), len(instance.shifts)) == SIZES[number]
    assert len(instance.cover) == instance.days * len(instance.shifts)
    assert instance.on_requests
    assert instance.off_requests


def test_reads_fields() -> None:
    instance = tiny(
        shifts="E,480,\nL,600,E|L",
        staff="A,E=3|L=0,4000,1000,5,2,3,1",
        days_off="A,0,6",
        on="A,2,E,4",
        off="A,3,L,5",
        cover="1,E,2,100,1",
    )
    assert instance.shift("L").minutes == 600
    assert instance.shift("L").forbidden_next == {"E", "L"}
    (a,) = instance.staff
    assert dict(a.max_shifts) == {"E": 3, "L": 0}
    assert (a.max_minutes, a.min_minutes, a.max_consecutive) == (4000, 1000, 5)
    assert (a.min_consecutive, a.min_consecutive_off, a.max_weekends) == (2, 3, 1)
    assert instance.days_off["A"] == {0, 6}
    assert instance.on_requests[0].weight == 4
    assert instance.off_requests[0].shift == "L"
    assert instance.cover[0].requirement == 2


def test_a_long_horizon_with_many_shift_types() -> None:
    shifts = "\n".join(f"S{i},{400 + i},S{(i + 1) % 32}" for i in range(32))
    limits = "|".join(f"S{i}=20" for i in range(32))
    instance = tiny(days=364, shifts=shifts, staff=f"A,{limits},99999,0,6,1,1,52")
    assert len(instance.shifts) == 32
    assert len(instance.weekends()) == 52


def _error(source: str) -> ParseError:
    with pytest.raises(ParseError) as caught:
        parse_instance(source)
    return caught.value


def _with(**parts: str) -> str:
    values = {"days": "7", "shifts": "D,480,", "staff": "A,D=7,3360,0,7,1,1,2", "days_off": ""}
    values |= {"on": "", "off": "", "cover": ""} | parts
    return text(int(values.pop("days")), **values)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (_with(staff="A,D=x,3360,0,7,1,1,2"), "line 8 (SECTION_STAFF): MaxShifts 'D=x' is not"),
        (_with(staff="A,D=7,3360,0,7,1,1"), "line 8 (SECTION_STAFF): expected 8 comma"),
        (_with(staff="A,X=7,3360,0,7,1,1,2"), "(SECTION_STAFF): MaxShifts names unknown shift"),
        (_with(shifts="D,480,Z"), "line 6 (SECTION_SHIFTS): unknown shift 'Z' after D"),
        (_with(shifts="D,eight,"), "(SECTION_SHIFTS): the length of shift D 'eight' is not"),
        (_with(days_off="B,3"), "line 10 (SECTION_DAYS_OFF): unknown employee 'B'"),
        (_with(days_off="A,7"), "(SECTION_DAYS_OFF): day 7 is outside the horizon (0-6)"),
        (_with(on="A,1,N,2"), "(SECTION_SHIFT_ON_REQUESTS): unknown shift 'N'"),
        (_with(off="A,1,D"), "(SECTION_SHIFT_OFF_REQUESTS): expected 4 comma-separated"),
        (_with(cover="9,D,1,100,1"), "(SECTION_COVER): day 9 is outside the horizon"),
        (_with(cover="1,D,-1,100,1"), "(SECTION_COVER): requirement -1 is below 0"),
        (_with(days="0"), "line 3 (SECTION_HORIZON): the number of days 0 is below 1"),
    ],
)
def test_refuses_malformed_naming_line_and_section(source: str, expected: str) -> None:
    assert expected in str(_error(source))


def test_refuses_missing_and_misordered_sections() -> None:
    source = _with()
    assert "missing section SECTION_COVER" in str(_error(source.split("SECTION_COVER")[0]))
    swapped = source.replace("SECTION_SHIFTS", "SECTION_X")
    assert "unknown section SECTION_X" in str(_error(swapped))
    reordered = "SECTION_SHIFTS\nD,480,\n" + source
    assert "line 1: SECTION_SHIFTS where SECTION_HORIZON was expected" in str(_error(reordered))
    assert "line 1: data before the first" in str(_error("14\n" + source))


def test_error_details_carry_line_and_section() -> None:
    error = _error(_with(staff="A,D=7,3360,0,7,1,1,many"))
    assert (error.line, error.section) == (8, "STAFF")
    assert str(error) == "line 8 (SECTION_STAFF): MaxWeekends 'many' is not a number"
