"""Benchmark of the xlsx exports (issue 16): figures, not a test.

    PYTHONPATH=. .venv/bin/python benchmarks/xlsx_exports.py [--repeats 3]

The demo (36 residents, 16 faculty) on a fresh SQLite file with a published round-robin plan
and every person on a ward day every day of the year (18,980 shifts: more than any real year
holds, so a ceiling). Prints, for the whole year (13 sheets), one month and the rotation plan,
the file size and the median wall clock and CPU time of the use case (database read, workbook
built, bytes written).
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from tests.plan_data import store_demo_plan
from tests.today_data import store_shifts

from resched.core.model import Assignment
from resched.db.migrate import upgrade_to_head
from resched.db.repositories import AcademicYearRepository, PeopleRepository
from resched.db.session import create_engine_for, make_session_factory
from resched.services.exports.common import XlsxExport
from resched.services.exports.plan import plan_xlsx
from resched.services.exports.shift_grid import shift_grid_xlsx, year_xlsx


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=3)
    repeats = parser.parse_args().repeats
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        upgrade_to_head(url)
        factory = make_session_factory(create_engine_for(url))
        plan = store_demo_plan(factory)
        with factory() as session:
            year = AcademicYearRepository(session).get(plan.year_id)
            people = PeopleRepository(session).in_year(plan.year_id)
        assert year is not None
        days = [year.start + dt.timedelta(days=i) for i in range((year.end - year.start).days + 1)]
        shifts = [Assignment(p.id, d, "WARD") for p in people for d in days]
        store_shifts(factory, plan.version_id, shifts)
        print(f"{len(people)} people, {len(days)} days, {len(shifts)} shifts")
        cases: dict[str, Callable[[], XlsxExport]] = {
            "whole year": lambda: year_xlsx(factory=factory, version_id=plan.version_id),
            "one month": lambda: shift_grid_xlsx(factory=factory, version_id=plan.version_id),
            "rotation plan": lambda: plan_xlsx(factory=factory, academic_year_id=plan.year_id),
        }
        for name, run in cases.items():
            walls, cpus, size = [], [], 0
            for _ in range(repeats):
                wall, cpu = time.perf_counter(), time.process_time()
                size = len(run().content)
                walls.append(time.perf_counter() - wall)
                cpus.append(time.process_time() - cpu)
            print(
                f"{name}: {size / 1024:.0f} KiB, median {statistics.median(walls):.2f} s wall, "
                f"{statistics.median(cpus):.2f} s CPU"
            )


if __name__ == "__main__":
    main()
