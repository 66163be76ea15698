"""Benchmark of the Schedule page's month view (issue 11): server time, not a test (prints figures).

    PYTHONPATH=. .venv/bin/python benchmarks/month_view.py [--repeats 20]

Two programs, each on a fresh SQLite file: the demo (36 residents, 16 faculty) and the demo
at the size of `resched demo --residents 150 --faculty 60` (the same loader). Each gets a
published round-robin rotation plan and a published month of shifts around the measured day
(every resident a ward day each weekday and a clinic afternoon once a week, two 24-hour calls
and a night float each night, a third of the faculty attending on weekdays, one faculty call
from home each night). Then the median and worst time of ``load_schedule_view`` for the month
and of ``GET /schedule`` through the real app in-process (template included), with the
statements each reads (first built, with the caches emptied before each run: the first view
after a change; then as served again from the caches until the next change), and the CPU time
the process spent (on a machine shared with other
work the wall clock also counts the waits for a core). The targets: under 150 ms for the demo,
under 500 ms for 150/60.
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
from collections.abc import Callable
from pathlib import Path

from benchmarks.page_timing import report
from sqlalchemy.orm import Session, sessionmaker
from tests.accounts import add_user, make_app, page_client
from tests.plan_data import store_plan
from tests.today_data import DEMO_DAY, DEMO_ZONE, store_shifts

from resched.core.model import Assignment, BlockAssignment, Role
from resched.db.migrate import upgrade_to_head
from resched.db.repositories import AcademicYearRepository, PeopleRepository, RotationRepository
from resched.db.tables import UserRole
from resched.services.demo import load_demo
from resched.services.pages.schedule_view import ScheduleQuery, load_schedule_view
from resched.services.read_cache import clear_read_caches

MORNING = dt.datetime.combine(DEMO_DAY, dt.time(6, 30), tzinfo=DEMO_ZONE)
SIZES = {"demo": (36, 16, 150.0), "150 residents, 60 faculty": (150, 60, 500.0)}


def publish_a_month(factory: sessionmaker[Session], residents: int, faculty: int) -> int:
    """The program, a published round-robin plan and the month of shifts; the shift count."""
    load_demo(factory=factory, residents=residents, faculty=faculty)
    with factory() as session:
        (year,) = AcademicYearRepository(session).all()
        codes = sorted(RotationRepository(session).ids_by_code())
        people = PeopleRepository(session).in_year(year.id or 0)
    assert year.id is not None
    chosen = sorted((p for p in people if p.role is Role.RESIDENT), key=lambda p: p.code)
    staff = sorted(p.id for p in people if p.role is Role.FACULTY)
    ids = [p.id for p in chosen]
    cells = [
        BlockAssignment(pid, b.number, codes[(i + b.number) % len(codes)])
        for i, pid in enumerate(ids)
        for b in year.blocks
    ]
    version_id = store_plan(factory, year.id, cells)
    first = DEMO_DAY.replace(day=1)
    shifts = []
    for offset in range(31):
        day = first + dt.timedelta(days=offset)
        on_call = {ids[(2 * offset) % len(ids)], ids[(2 * offset + 1) % len(ids)]}
        night = ids[(offset + len(ids) // 2) % len(ids)]
        shifts += [Assignment(p, day, "CALL") for p in on_call]
        shifts.append(Assignment(night, day, "NIGHT"))
        shifts.append(Assignment(staff[offset % len(staff)], day, "FAC-CALL"))
        if day.isoweekday() > 5:
            continue
        for i, pid in enumerate(ids):
            if pid in on_call or pid == night:
                continue
            shifts.append(Assignment(pid, day, "WARD"))
            if i % 5 == day.isoweekday() - 1:
                shifts.append(Assignment(pid, day, "CLIN-PM"))
        shifts += [Assignment(f, day, "ATTEND") for f in staff[: len(staff) // 3]]
    store_shifts(factory, version_id, shifts)
    return len(shifts)


def run(label: str, residents: int, faculty: int, target: float, repeats: int) -> None:
    with tempfile.TemporaryDirectory() as directory:
        url = f"sqlite:///{Path(directory) / 'month.db'}"
        upgrade_to_head(url)
        app = make_app(url, log_level="WARNING")
        factory = app.state.session_factory
        count = publish_a_month(factory, residents, faculty)
        app.state.clock = lambda: MORNING
        resident = page_client(app, add_user(factory, UserRole.RESIDENT, username="r"))
        coordinator = page_client(app, add_user(factory, UserRole.COORDINATOR, username="c"))

        def built() -> object:  # the first view after a change: nothing cached
            clear_read_caches()
            return load_schedule_view(factory=factory, query=ScheduleQuery(), now=MORNING)

        def built_page() -> object:
            clear_read_caches()
            return resident.get("/schedule").raise_for_status()

        cases: dict[str, Callable[[], object]] = {
            "load_schedule_view, built": built,
            "GET /schedule, built (resident)": built_page,
            # The views after it, until the next change (services/pages/schedule_view.py).
            "load_schedule_view (month)": lambda: load_schedule_view(
                factory=factory, query=ScheduleQuery(), now=MORNING
            ),
            "GET /schedule (resident)": lambda: resident.get("/schedule").raise_for_status(),
            "GET /schedule (coordinator)": lambda: coordinator.get("/schedule").raise_for_status(),
            "GET /schedule?group=shift": lambda: resident.get(
                "/schedule?group=shift"
            ).raise_for_status(),
            "GET /schedule/print": lambda: resident.get("/schedule/print").raise_for_status(),
        }
        print(f"{label}: {residents + faculty} people, {count} published shifts in the month")
        report(app.state.engine, cases, repeats, target)
        resident.close()
        coordinator.close()
        app.state.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()
    for label, (residents, faculty, target) in SIZES.items():
        run(label, residents, faculty, target, args.repeats)


if __name__ == "__main__":
    main()
