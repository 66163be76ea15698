"""Benchmark of validation with piled-up assignments (not a test: prints figures).

    .venv/bin/python benchmarks/validate_repeats.py [--sizes 18000 37000 74000] [--runs 3]

Issue 9 measured 6 s, 23 s and 91 s to validate documents of 18k, 37k and 74k repeated
assignments: ``double-booked`` reported every overlapping pair. For each size this prints
- the `resched validate` path on a document repeating one assignment (JSON in; the reader now
  refuses it naming each repeat, up to 100);
- the validator itself on the same repeats built programmatically (context + check_all; the
  reader's refusal does not protect callers of the core);
- the validator on distinct shifts piled on one another: 200 shift types at the same hours, all
  given to one person every day, for as many days as the size needs.
Times are medians of ``--runs``; each line also says how many findings the validator made.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import statistics
import time
from collections.abc import Callable
from typing import Any

from resched.core.errors import Invalid
from resched.core.interchange import load_document, parse_schedule
from resched.core.rules import ScheduleContext, ScheduleInput, check_all

STACK = 200  # shift types at the same hours in the "stacked" case
START = dt.date(2026, 7, 1)


def _document(assignments: list[dict[str, str]], shift_codes: list[str]) -> dict[str, Any]:
    return {
        "format": "resched.schedule/v1",
        "program": {"name": "Repeats", "timezone": "America/Chicago"},
        "people": [
            {"id": "r1", "name": "Ada Lee", "role": "resident", "pgy": 2},
            {"id": "f1", "name": "Grace Kim", "role": "faculty"},
        ],
        "shift_types": [
            {"code": code, "start": "07:00", "minutes": 600, "kind": "work"} for code in shift_codes
        ],
        "assignments": assignments,
    }


def repeated_document(n: int) -> bytes:
    """A four-week schedule of one resident whose first assignment is written n more times."""
    days = [
        {"person": "r1", "date": (START + dt.timedelta(days=k)).isoformat(), "shift": "DAY"}
        for k in range(0, 28, 2)
    ]
    return json.dumps(_document(days + [days[0]] * n, ["DAY"])).encode()


def repeated_input(n: int) -> ScheduleInput:
    schedule = parse_schedule(load_document(repeated_document(0)))
    extra = (schedule.assignments[0],) * n
    return dataclasses.replace(schedule, assignments=schedule.assignments + extra)


def stacked_input(n: int) -> ScheduleInput:
    codes = [f"S{i}" for i in range(STACK)]
    assignments = [
        {"person": "f1", "date": (START + dt.timedelta(days=k)).isoformat(), "shift": code}
        for k in range(-(-n // STACK))
        for code in codes
    ][:n]
    return parse_schedule(_document(assignments, codes))


def _median_s(fn: Callable[[], Any], runs: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(runs):
        began = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - began)
    return statistics.median(times), result


def _refusal(raw: bytes) -> str:
    try:
        parse_schedule(load_document(raw))
    except Invalid as exc:
        return exc.message
    return "accepted"


def _validate(schedule: ScheduleInput) -> int:
    return len(check_all(ScheduleContext(schedule)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[18_000, 37_000, 74_000])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    for n in args.sizes:
        raw = repeated_document(n)
        seconds, message = _median_s(lambda raw=raw: _refusal(raw), args.runs)
        print(f"{n} repeats, document ({len(raw) / 2**20:.1f} MiB): {seconds:.3f} s -> {message}")
        schedule = repeated_input(n)
        seconds, found = _median_s(lambda s=schedule: _validate(s), args.runs)
        print(f"{n} repeats, validator: {seconds:.3f} s, {found} findings")
        schedule = stacked_input(n)
        seconds, found = _median_s(lambda s=schedule: _validate(s), args.runs)
        print(f"{n} stacked distinct ({STACK} a day): {seconds:.3f} s, {found} findings")


if __name__ == "__main__":
    main()
