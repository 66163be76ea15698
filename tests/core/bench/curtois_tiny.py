"""Tiny hand-made Curtois & Qu instances, written as text so the parser is part of every test."""

from __future__ import annotations

from pathlib import Path

from resched.core.bench.curtois import Instance, parse_instance

INSTANCES = str(Path(__file__).parents[3] / "benchmarks" / "data" / "curtois")


def tiny(
    *,
    days: int = 7,
    shifts: str = "D,480,N\nN,480,",
    staff: str = "A,D=7|N=7,3360,0,7,1,1,2",
    days_off: str = "",
    on: str = "",
    off: str = "",
    cover: str = "",
) -> Instance:
    return parse_instance(text(days, shifts, staff, days_off, on, off, cover))


def text(days: int, shifts: str, staff: str, days_off: str, on: str, off: str, cover: str) -> str:
    return (
        f"# tiny\nSECTION_HORIZON\n{days}\n\nSECTION_SHIFTS\n{shifts}\n"
        f"SECTION_STAFF\n{staff}\nSECTION_DAYS_OFF\n{days_off}\n"
        f"SECTION_SHIFT_ON_REQUESTS\n{on}\nSECTION_SHIFT_OFF_REQUESTS\n{off}\n"
        f"SECTION_COVER\n{cover}\n"
    )
