"""Benchmark of the PDF writers on a synthetic academic year (not a test: prints figures).

    .venv/bin/python benchmarks/pdf_export.py [--residents 100] [--faculty 30] [--runs 3]

The year of benchmarks/validate.py (13 four-week blocks, q4 call, night float, clinics),
validated, turned into the compliance report (every finding, a bar per resident) and
rendered; and a month of call schedule with every on-call shift of its busiest month. Prints
the findings and pages, the check, the model and the rendering times (median of the runs).
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from benchmarks.validate import build_year

from resched.core.model import ShiftKind
from resched.core.rules import Finding, ScheduleContext, Severity, account_residents, check_all
from resched.core.rules.findings import HOURS_80
from resched.io.pdf_calls import CallDay, CallLine, CallMonth, render_call_schedule_pdf
from resched.io.pdf_compliance import render_compliance_pdf
from resched.io.pdf_compliance_model import ComplianceReport, hours_bars, rule_sections

MADE = dt.datetime(2027, 7, 1, tzinfo=dt.UTC)
CALLS = {ShiftKind.IN_HOUSE_CALL, ShiftKind.AT_HOME_CALL}


def _median_s(fn: Callable[[], Any], runs: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(runs):
        began = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - began)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--residents", type=int, default=100)
    parser.add_argument("--faculty", type=int, default=30)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--findings", type=int, default=0, help="add this many made-up findings (a bad year)"
    )
    args = parser.parse_args()
    schedule = build_year(args.residents, args.faculty)
    check_s, (context, findings) = _median_s(
        lambda: (ctx := ScheduleContext(schedule), check_all(ctx)), args.runs
    )
    people = {p.id: p for p in schedule.people}
    findings = [*findings, *_made_up(schedule, args.findings)]

    def model() -> ComplianceReport:
        return ComplianceReport(
            program=schedule.program.name,
            version="#1 synthetic year (published)",
            start=schedule.range.start,
            end=schedule.range.end,
            generated_at=MADE,
            timezone=schedule.program.timezone,
            residents=args.residents,
            people=len(people),
            look_back=0,
            hours_limit=80.0,
            approaching_hours=76.0,
            sections=tuple(rule_sections(findings, people)),
            bars=tuple(hours_bars(account_residents(context))),
        )

    model_s, report = _median_s(model, args.runs)
    render_s, data = _median_s(lambda: render_compliance_pdf(report), args.runs)
    print(f"year: {len(schedule.assignments):,} assignments, {len(findings)} findings")
    print(f"check (context + check_all): {check_s:.2f} s")
    print(f"report model (findings in words, accounts): {model_s:.2f} s")
    pages = data.count(b"/Type /Page") - 1  # less the page tree's /Type /Pages
    print(f"compliance PDF: {render_s:.2f} s, {len(data):,} bytes, {pages} pages")
    month = _busiest_month(schedule)
    calls_s, calls = _median_s(lambda: render_call_schedule_pdf(month), args.runs)
    shifts = sum(len(line.names) for day in month.days for line in day.lines)
    print(f"call schedule PDF ({month.month:%B %Y}, {shifts} calls): {calls_s:.2f} s")
    print(f"call schedule size: {len(calls):,} bytes")


def _made_up(schedule: Any, count: int) -> list[Finding]:
    """``count`` findings spread over the residents and the year, with real-length messages."""
    residents = [p for p in schedule.people if p.pgy is not None]
    found = []
    for i in range(count):
        who = residents[i % len(residents)]
        start = schedule.range.start + dt.timedelta(days=(i * 7) % 330)
        end = start + dt.timedelta(days=27)
        message = f"{who.name}: 84.5 h/week averaged over {start:%b %d}-{end:%b %d} (limit 80)"
        found.append(
            Finding(HOURS_80, Severity.VIOLATION, who.id, None, start, end, 84.5, 80, message)
        )
    return found


def _busiest_month(schedule: Any) -> CallMonth:
    kinds = {s.code: s.kind for s in schedule.shift_types}
    names = {p.id: p.name for p in schedule.people}
    by_day: dict[dt.date, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for a in schedule.assignments:
        if kinds[a.shift_code] in CALLS:
            by_day[a.date][a.shift_code].append(names[a.person_id])
    first = schedule.range.start.replace(day=1)
    days = []
    day = first
    while day.month == first.month:
        lines = tuple(CallLine(code, tuple(who)) for code, who in sorted(by_day[day].items()))
        days.append(CallDay(day, None, lines))
        day += dt.timedelta(days=1)
    return CallMonth(
        "Synthetic", first, "year (published)", "America/Chicago", MADE, tuple(days), ()
    )


if __name__ == "__main__":
    main()
