"""Benchmark of the ACGME validator on a synthetic academic year (not a test: prints figures).

    .venv/bin/python benchmarks/validate.py [--residents 100] [--faculty 30] [--runs 7]

Builds 13 four-week blocks (2026-07-01 to 2027-06-30, America/Chicago) for the residents, each on
a rotation per block (wards with q4 call, ICU, night float, emergency, clinic, elective,
cardiology; AM/PM sessions where the work is half-days) and faculty precepting, attending and
taking home call: about 40,000 assignments for 100 residents. Times the full validation
(context + check_all, median of several runs), the interchange reader, the whole path of
`resched validate`, and single changes checked incrementally; reports peak memory.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import resource
import statistics
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

from resched.core.interchange import load_document, parse_schedule, write_report, write_schedule
from resched.core.model import Assignment, Person, Program, Role, ShiftKind, ShiftType
from resched.core.rules import DateRange, ScheduleContext, ScheduleInput, check_all, check_change

START = dt.date(2026, 7, 1)
DAYS = 365
ROTATIONS = ("wards", "icu", "night", "ed", "clinic", "elective", "cardio")


def _shift(
    code: str,
    start: str,
    minutes: int,
    kind: ShiftKind = ShiftKind.WORK,
    transition: int = 0,
    supervised_by: tuple[str, ...] = (),
) -> ShiftType:
    return ShiftType(
        code,
        code,
        dt.time.fromisoformat(start),
        minutes,
        kind,
        transition,
        requires_supervision=bool(supervised_by),
        supervised_by=supervised_by,
    )


SHIFT_TYPES = (
    _shift("WARD", "07:00", 600),
    _shift("CALL", "07:00", 1440, ShiftKind.IN_HOUSE_CALL, 240),
    _shift("ICU", "07:00", 720),
    _shift("NIGHT", "19:00", 720, ShiftKind.NIGHT_FLOAT),
    _shift("ED-D", "07:00", 720),
    _shift("ED-N", "19:00", 720),
    _shift("CLIN-AM", "08:00", 240, supervised_by=("PRECEPT-AM",)),
    _shift("CLIN-PM", "13:00", 240, supervised_by=("PRECEPT-PM",)),
    _shift("PRECEPT-AM", "08:00", 240),
    _shift("PRECEPT-PM", "13:00", 240),
    _shift("DAY-AM", "08:00", 240),
    _shift("DAY-PM", "13:00", 240),
    _shift("BACKUP", "17:00", 840, ShiftKind.AT_HOME_CALL),
    _shift("ATTEND", "07:00", 600),
    _shift("FAC-CALL", "17:00", 840, ShiftKind.AT_HOME_CALL),
)


def _resident_day(rotation: str, i: int, day_in_block: int, weekday: int) -> list[str]:
    """The shifts of resident ``i`` on one day of a rotation (weekday: 0 = Monday)."""
    if day_in_block == 0:  # the change-over day: last night's call or night shift ends today
        return []
    if rotation == "wards":  # q4 call: call, post-call, ward day, day off
        return {0: ["CALL"], 2: ["WARD"]}.get((day_in_block + i) % 4, [])
    if rotation == "icu":
        return [] if weekday in (i % 7, 6) else ["ICU"]
    if rotation == "night":
        return ["NIGHT"] if weekday < 4 else []
    if rotation == "ed":  # two days off in a row, so a week of nights still has a free day
        if weekday in (i % 7, (i + 1) % 7):
            return []
        return ["ED-D" if day_in_block < 14 else "ED-N"]
    if rotation == "clinic":
        return ["CLIN-AM", "CLIN-PM"] if weekday < 5 else []
    if weekday >= 5:
        return []
    backup = ["BACKUP"] if rotation == "elective" and weekday == 4 and i % 2 else []
    if rotation == "cardio" and weekday == i % 5:  # the continuity-clinic half-day
        return ["CLIN-AM", "DAY-PM"]
    return ["DAY-AM", "DAY-PM", *backup]


def build_year(residents: int, faculty: int, seed: int = 1) -> ScheduleInput:
    rnd = random.Random(seed)
    people = [
        Person(i + 1, f"r{i + 1}", f"Resident {i + 1}", Role.RESIDENT, pgy=1 + i % 3)
        for i in range(residents)
    ]
    people += [
        Person(residents + j + 1, f"f{j + 1}", f"Faculty {j + 1}", Role.FACULTY)
        for j in range(faculty)
    ]
    assignments: list[Assignment] = []
    for offset in range(DAYS):
        day = START + dt.timedelta(days=offset)
        block, day_in_block = min(offset // 28, 12), offset - min(offset // 28, 12) * 28
        clinic = {"CLIN-AM": 0, "CLIN-PM": 0}
        for i in range(residents):
            rotation = ROTATIONS[(i + block) % len(ROTATIONS)]
            for code in _resident_day(rotation, i, day_in_block, day.weekday()):
                assignments.append(Assignment(i + 1, day, code))
                clinic[code] = clinic.get(code, 0) + 1
        assignments += _faculty_day(day, residents, faculty, clinic, rnd)
    return ScheduleInput(
        program=Program("Benchmark Internal Medicine", timezone="America/Chicago"),
        people=tuple(people),
        shift_types=SHIFT_TYPES,
        assignments=tuple(assignments),
        range=DateRange(START, START + dt.timedelta(days=DAYS - 1)),
    )


def _faculty_day(
    day: dt.date, residents: int, faculty: int, clinic: dict[str, int], rnd: random.Random
) -> list[Assignment]:
    ids = list(range(residents + 1, residents + faculty + 1))
    rnd.shuffle(ids)
    found = [Assignment(ids.pop(), day, "FAC-CALL")]
    for session in ("AM", "PM"):
        # Roughly enough preceptors (1:3 on average), so a few sessions fall short.
        for _ in range(-(-clinic[f"CLIN-{session}"] // 3)):
            found.append(Assignment(ids.pop(), day, f"PRECEPT-{session}"))
    found += [Assignment(pid, day, "ATTEND") for pid in ids[:8]]
    return found


def _median_ms(fn: Callable[[], Any], runs: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(runs):
        began = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times), result


def _changes(schedule: ScheduleInput, count: int) -> list[tuple[Assignment, Assignment]]:
    """Give-aways of a resident's call to another resident of the same level."""
    rnd = random.Random(2)
    calls = [a for a in schedule.assignments if a.shift_code == "CALL"]
    residents = [p.id for p in schedule.people if p.role is Role.RESIDENT]
    picked = rnd.sample(calls, count)
    return [
        (a, Assignment(rnd.choice([r for r in residents if r != a.person_id]), a.date, "CALL"))
        for a in picked
    ]


def _bench_full(schedule: ScheduleInput, runs: int) -> None:
    full_ms, findings = _median_ms(lambda: check_all(ScheduleContext(schedule)), runs)
    by_rule: dict[str, int] = {}
    for f in findings:
        by_rule[f.rule] = by_rule.get(f.rule, 0) + 1
    print(f"full validation (context + check_all), median of {runs}: {full_ms:.1f} ms")
    print(f"findings: {len(findings)} {dict(sorted(by_rule.items()))}")


def _bench_document(schedule: ScheduleInput, runs: int) -> None:
    document = write_schedule(
        program=schedule.program,
        people=schedule.people,
        shift_types=schedule.shift_types,
        assignments=schedule.assignments,
        range=schedule.range,
    )
    raw = json.dumps(document).encode()
    parse_ms, _ = _median_ms(lambda: parse_schedule(document), runs)
    print(f"interchange reader (parse_schedule of the decoded document), median: {parse_ms:.1f} ms")

    def whole() -> dict[str, Any]:
        parsed = parse_schedule(load_document(raw))
        found = check_all(ScheduleContext(parsed))
        return write_report(found, parsed.range, parsed.people, parsed.assignments)

    whole_ms, _ = _median_ms(whole, runs)
    print(
        f"what `resched validate` does ({len(raw) / 2**20:.1f} MiB of JSON to report), "
        f"median: {whole_ms:.1f} ms"
    )


def _bench_incremental(schedule: ScheduleInput) -> None:
    warm = ScheduleContext(schedule)
    check_all(warm)
    changes = _changes(schedule, 50)
    warm_times = []
    for old, new in changes:
        began = time.perf_counter()
        check_change(warm, remove=[old], add=[new])
        warm_times.append((time.perf_counter() - began) * 1000)
    print(
        f"incremental check of one give-away (after check_all), median of {len(changes)}: "
        f"{statistics.median(warm_times):.2f} ms, max {max(warm_times):.2f} ms"
    )
    cold_times = []
    for old, new in changes[:10]:
        cold = ScheduleContext(schedule)
        began = time.perf_counter()
        check_change(cold, remove=[old], add=[new])
        cold_times.append((time.perf_counter() - began) * 1000)
    print(
        f"incremental check on a fresh context (nothing cached), median of "
        f"{len(cold_times)}: {statistics.median(cold_times):.2f} ms"
    )


def _bench_memory(schedule: ScheduleInput) -> None:
    tracemalloc.start()
    check_all(ScheduleContext(schedule))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"peak memory allocated by one full validation: {peak / 2**20:.1f} MiB "
        f"(process max RSS {rss:.0f} MiB)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--residents", type=int, default=100)
    parser.add_argument("--faculty", type=int, default=30)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    schedule = build_year(args.residents, args.faculty)
    print(
        f"people: {len(schedule.people)} ({args.residents} residents), "
        f"assignments: {len(schedule.assignments)}, days: {schedule.range.days}"
    )
    _bench_full(schedule, args.runs)
    _bench_document(schedule, args.runs)
    _bench_incremental(schedule)
    _bench_memory(schedule)


if __name__ == "__main__":
    main()
