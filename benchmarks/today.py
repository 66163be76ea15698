"""Benchmark of the Today page (issue 11): server time on the demo (not a test: prints figures).

    PYTHONPATH=. .venv/bin/python benchmarks/today.py [--repeats 20]

A fresh SQLite file with the demo program, a published round-robin rotation plan and six weeks
of published shifts around the measured morning (every resident on a ward day each weekday,
one night-float resident and one 24-hour call a night, faculty attending): then the median and
worst time of ``load_today`` (a resident's view, then a coordinator's with the four weeks'
findings and coverage gaps) and of ``GET /today`` through the real app in-process (template
included), with the statements each reads. The target: under 100 ms server time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
from collections.abc import Callable
from pathlib import Path

from benchmarks.page_timing import report
from fastapi import FastAPI
from tests.accounts import add_user, make_app, page_client
from tests.today_data import DEMO_DAY, DEMO_ZONE, Duties, store_demo_duties, store_shifts

from resched.core.model import Assignment
from resched.db.migrate import upgrade_to_head
from resched.db.tables import UserRole
from resched.services.pages.today import load_today

MORNING = dt.datetime.combine(DEMO_DAY, dt.time(6, 30), tzinfo=DEMO_ZONE)


def demo_app(path: Path) -> tuple[FastAPI, Duties, int]:
    """The app on a fresh SQLite file at ``path`` holding the demo duties and six weeks of
    published shifts around ``MORNING`` (its clock), and how many shifts are published."""
    url = f"sqlite:///{path}"
    upgrade_to_head(url)
    app = make_app(url, log_level="WARNING")
    duties = store_demo_duties(app.state.session_factory)
    residents = duties.plan.residents
    shifts = []
    for offset in range(-14, 28):
        day = DEMO_DAY + dt.timedelta(days=offset)
        if offset in (-1, 0):
            continue  # the fixed shifts of those two days are stored already
        if day.isoweekday() <= 5:
            shifts += [Assignment(p, day, "WARD") for p in residents[4:]]
        shifts.append(Assignment(residents[offset % 4], day, "NIGHT"))
        shifts.append(Assignment(residents[(offset + 2) % 4], day, "CALL"))
    store_shifts(app.state.session_factory, duties.plan.version_id, shifts)
    app.state.clock = lambda: MORNING
    return app, duties, len(shifts) + 6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        app, _, stored = demo_app(Path(directory) / "today.db")
        factory = app.state.session_factory
        resident = page_client(app, add_user(factory, UserRole.RESIDENT, username="r"))
        coordinator = page_client(app, add_user(factory, UserRole.COORDINATOR, username="c"))
        cases: dict[str, Callable[[], object]] = {
            "load_today (resident)": lambda: load_today(factory=factory, now=MORNING),
            "load_today (coordinator)": lambda: load_today(
                factory=factory, now=MORNING, coordinator=True
            ),
            "GET /today (resident)": lambda: resident.get("/today").raise_for_status(),
            "GET /today (coordinator)": lambda: coordinator.get("/today").raise_for_status(),
        }
        print(f"demo, {stored} published shifts, {args.repeats} runs each")
        report(app.state.engine, cases, args.repeats, 100.0)
        resident.close()
        coordinator.close()
        app.state.engine.dispose()


if __name__ == "__main__":
    main()
