"""A second sample program, of another shape than the demo: a small pediatrics residency.

Plain request bodies of the JSON API (docs/api.md), in the order a coordinator sends them on
an empty database: the program (in-house call at most every FOURTH night - stricter than
ACGME's every third - set through the program setting), the academic year (one block per
calendar month, US federal holidays plus one of the program's own), the shift types, the
rotations (wards, a PICU, a newborn nursery, clinic, electives), the coverage rules (a weekend
clinic among them, supervised by a faculty member), the residents (PGY-1 to PGY-3) and the
faculty, and one approved vacation.

Where the demo (DEMO.md) has 13 four-week blocks, a night-float team and q3 call, this one has
12 calendar months, q4 call shared by the ward and PICU residents, and clinic on weekends.
The per-block capacities and the yearly requirements were checked to admit a plan: 7 PGY-1
and 14 PGY-2+ residents placed every block, every resident's ranges admitting 12 blocks.
"""

from __future__ import annotations

from typing import Any

Json = dict[str, Any]

YEAR_LABEL = "2026-27"
CALL_EVERY_NTH_NIGHT = 4
WARDS, PICU, NURSERY, CLINIC, ELECTIVE = "WARDS", "PICU", "NURS", "CLINIC", "ELEC"
# Everyone on Wards or the PICU shares the in-house call; nobody else takes it.
CALL_POOL = (WARDS, PICU)

PROGRAM: Json = {
    "name": "Sample Pediatrics Residency",
    "timezone": "America/Denver",
    "freeze_horizon_days": 14,
    "rules": {"call_every_nth_night": CALL_EVERY_NTH_NIGHT},
}

ACADEMIC_YEAR: Json = {
    "label": YEAR_LABEL,
    "start": "2026-07-01",
    "scheme": {"kind": "calendar_months"},
    "holidays": [{"day": "2026-11-27", "name": "Day after Thanksgiving"}],
    "us_federal_holidays": True,
}


def _shift(code: str, name: str, start: str, hours: int, kind: str = "work", **extra: Any) -> Json:
    return {"code": code, "name": name, "start": start, "minutes": hours * 60, "kind": kind} | extra


# The supervisors come first: a shift type names only shift types that exist.
SHIFT_TYPES: list[Json] = [
    _shift("WARD", "Ward day", "07:00", 10),
    _shift("CALL", "24 h in-house call", "07:00", 24, "in_house_call", transition_minutes=240),
    _shift("PICU", "PICU day", "07:00", 12),
    _shift("NURS", "Newborn nursery", "07:00", 9),
    _shift("CLIN", "Clinic day", "08:00", 9),
    _shift("ELEC", "Elective day", "08:00", 9),
    _shift("WKC-ATT", "Weekend clinic attending", "09:00", 4),
    _shift(
        "WKC", "Weekend clinic", "09:00", 4, requires_supervision=True, supervised_by=["WKC-ATT"]
    ),
    _shift("ATTEND", "Ward attending", "07:00", 10),
    _shift("FAC-CALL", "Faculty call from home", "17:00", 14, "at_home_call"),
]

WEEKDAYS = [1, 2, 3, 4, 5]
WEEKEND = [6, 7]
EVERY_DAY = [1, 2, 3, 4, 5, 6, 7]


def _rotation(
    code: str,
    name: str,
    shift: str,
    places: tuple[tuple[int, int], tuple[int, int]],
    yearly: tuple[tuple[int, int], tuple[int, int], tuple[int, int]],
    colour: str,
    **extra: Any,
) -> Json:
    """``places``: residents per block, (PGY-1) and (PGY-2 and 3); ``yearly``: blocks a year
    for PGY-1, 2, 3. Weekdays follow ``shift``; weekends come from the coverage rules."""
    (interns, seniors) = places
    return {
        "code": code,
        "name": name,
        "weekly_pattern": {str(day): [shift] for day in WEEKDAYS},
        "capacities": [
            {"pgy_min": 1, "pgy_max": 1, "min_count": interns[0], "max_count": interns[1]},
            {"pgy_min": 2, "pgy_max": 3, "min_count": seniors[0], "max_count": seniors[1]},
        ],
        "requirements": [
            {"pgy": pgy, "min_blocks": low, "max_blocks": high}
            for pgy, (low, high) in enumerate(yearly, start=1)
        ],
        "colour": colour,
    } | extra


ROTATIONS: list[Json] = [
    _rotation(WARDS, "Inpatient wards", "WARD", ((2, 3), (2, 2)),
              ((3, 5), (1, 3), (1, 3)), "#4e79a7"),
    _rotation(PICU, "Pediatric ICU", "PICU", ((0, 1), (2, 3)),
              ((0, 1), (1, 2), (1, 2)), "#e15759", not_adjacent_to=[PICU]),
    _rotation(NURSERY, "Newborn nursery", "NURS", ((1, 2), (0, 1)),
              ((2, 3), (0, 1), (0, 1)), "#76b7b2", leave_eligible=True),
    _rotation(CLINIC, "General pediatrics clinic", "CLIN", ((1, 2), (2, 4)),
              ((2, 3), (2, 3), (2, 3)), "#59a14f", leave_eligible=True),
    _rotation(ELECTIVE, "Elective", "ELEC", ((0, 2), (3, 6)),
              ((0, 2), (3, 6), (3, 6)), "#c9a227", leave_eligible=True),
]  # fmt: skip


def _residents(*rotations: str) -> Json:
    return {"roles": ["resident"], "rotations": list(rotations)}


FACULTY_ONLY: Json = {"roles": ["faculty"]}


def _need(name: str, shift: str, days: list[int], low: int, high: int, who: Json) -> Json:
    return {
        "name": name,
        "shift_code": shift,
        "weekdays": days,
        "min_count": low,
        "max_count": high,
        "eligibility": who,
    }


# One rule per shift type, so that the test can count each rule's people on its own.
COVERAGE: list[Json] = [
    _need("In-house call", "CALL", EVERY_DAY, 1, 1, _residents(*CALL_POOL)),
    _need("PICU team", "PICU", EVERY_DAY, 1, 4, _residents(PICU)),
    _need("Ward weekend rounds", "WARD", WEEKEND, 1, 3, _residents(WARDS)),
    _need("Nursery", "NURS", WEEKDAYS, 1, 3, _residents(NURSERY)),
    _need("Weekend clinic", "WKC", WEEKEND, 1, 2, _residents(CLINIC, ELECTIVE)),
    _need("Weekend clinic attending", "WKC-ATT", WEEKEND, 1, 1, FACULTY_ONLY),
    _need("Ward attending", "ATTEND", EVERY_DAY, 1, 1, FACULTY_ONLY),
    _need("Faculty call", "FAC-CALL", EVERY_DAY, 1, 1, FACULTY_ONLY),
]

RESIDENTS_PER_PGY = 7
_GIVEN = ("Ana", "Ben", "Chloe", "Dev", "Eli", "Fay", "Gus")
_FAMILY = ("Okafor", "Lind", "Moreau")


def residents(academic_year_id: int) -> list[Json]:
    return [
        {
            "code": f"P{pgy}-{n:02d}",
            "name": f"{_GIVEN[n - 1]} {_FAMILY[pgy - 1]}-{pgy}{n}",
            "role": "resident",
            "email": f"p{pgy}{n:02d}@peds.example.org",
            "years": [{"academic_year_id": academic_year_id, "pgy": pgy}],
        }
        for pgy in (1, 2, 3)
        for n in range(1, RESIDENTS_PER_PGY + 1)
    ]


FACULTY: list[Json] = [
    {"code": f"F-{n:02d}", "name": f"Dr {name}", "role": "faculty"}
    for n, name in enumerate(("Abara", "Brandt", "Castillo", "Dunn", "Eto", "Falk"), start=1)
]

# Approved leave in the first block, on a PGY-2: the planner must put them on a rotation that
# allows leave, and the shift schedule must leave them free.
VACATION_PERSON = "P2-01"
VACATION: Json = {
    "type": "vacation",
    "status": "approved",
    "start": "2026-07-13",
    "end": "2026-07-17",
    "note": "Family wedding",
}
