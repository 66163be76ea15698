"""Benchmark of the candidate finder (issue 13): who could take a call, on a 60-person program
(not a test: prints figures).

    PYTHONPATH=. .venv/bin/python benchmarks/candidates.py [--repeats 20]

A fresh SQLite file with the demo program grown to 45 residents and 15 faculty, a published
round-robin rotation plan and a published month of shifts (every resident on a ward day each
weekday, one night-float resident and one 24-hour call a night): then the median and worst time
of ``find_candidates`` for a Saturday call in the middle of the month, with the statements it reads.
The target: under 200 ms.
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from benchmarks.page_timing import report
from fastapi import FastAPI
from sqlalchemy.orm import Session, sessionmaker
from tests.accounts import make_app
from tests.plan_data import store_plan
from tests.today_data import store_shifts

from resched.core.model import Assignment, BlockAssignment, Person, Role
from resched.db.migrate import upgrade_to_head
from resched.db.repositories import AcademicYearRepository, PeopleRepository, RotationRepository
from resched.services.candidates import find_candidates
from resched.services.demo import load_demo

MONTH_START = dt.date(2026, 10, 1)
DAY = dt.date(2026, 10, 17)  # a Saturday: no ward day, so many people pass the cheap checks


@dataclass(frozen=True)
class Program:
    """The 60-person program stored for the benchmarks of issue 13."""

    app: FastAPI
    version_id: int
    everyone: list[Person]
    residents: list[int]
    shifts: int

    @property
    def factory(self) -> sessionmaker[Session]:
        factory: sessionmaker[Session] = self.app.state.session_factory
        return factory

    def code(self, person_id: int) -> str:
        return next(p.code for p in self.everyone if p.id == person_id)


def build_program(directory: str) -> Program:
    """The demo grown to 45 residents and 15 faculty, a published round-robin plan and a
    published month of shifts, in a fresh SQLite file under ``directory``."""
    url = f"sqlite:///{Path(directory) / 'program.db'}"
    upgrade_to_head(url)
    app = make_app(url, log_level="WARNING")
    factory = app.state.session_factory
    load_demo(factory=factory, residents=45, faculty=15)
    with factory() as session:
        (year,) = AcademicYearRepository(session).all()
        codes = sorted(RotationRepository(session).ids_by_code())
        everyone = PeopleRepository(session).in_year(year.id or 0)
    residents = [p.id or 0 for p in everyone if p.role is Role.RESIDENT and p.pgy]
    cells = [
        BlockAssignment(pid, b.number, codes[(i + b.number) % len(codes)])
        for i, pid in enumerate(residents)
        for b in year.blocks
    ]
    version_id = store_plan(factory, year.id or 0, cells)
    shifts = []
    for offset in range(31):
        day = MONTH_START + dt.timedelta(days=offset)
        if day.isoweekday() <= 5:
            shifts += [Assignment(p, day, "WARD") for p in residents[8:]]
        shifts.append(Assignment(residents[offset % 4], day, "NIGHT"))
        shifts.append(Assignment(residents[4 + offset % 4], day, "CALL"))
    store_shifts(factory, version_id, shifts)
    return Program(app, version_id, list(everyone), residents, len(shifts))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        program = build_program(directory)
        factory, version_id = program.factory, program.version_id
        holder = program.code(program.residents[4 + (DAY.day - 1) % 4])
        cases: dict[str, Callable[[], object]] = {
            "find_candidates (call)": lambda: find_candidates(
                factory=factory, version_id=version_id, person=holder, day=DAY, shift="CALL"
            ),
        }
        found = find_candidates(
            factory=factory, version_id=version_id, person=holder, day=DAY, shift="CALL"
        )
        print(
            f"{len(program.everyone)} people, {program.shifts} published shifts, "
            f"{len(found.candidates)} candidates, {args.repeats} runs"
        )
        report(program.app.state.engine, cases, args.repeats, 200.0)
        program.app.state.engine.dispose()


if __name__ == "__main__":
    main()
