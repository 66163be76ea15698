"""Benchmark of changes to a published schedule (issue 13): checking and applying a handover
of one shift, and undoing it, on a 60-person program (not a test: prints figures).

    PYTHONPATH=. .venv/bin/python benchmarks/changes.py [--repeats 20]

The program of benchmarks/candidates.py (45 residents, 15 faculty, a published month of
shifts). Each run of "apply + undo" hands a Saturday call to the first legal candidate with
the full checks (version lock, revision, freeze horizon, incremental validation over the
academic year, audit, notices) and then undoes it, so every run starts from the same state.
The target: a swap approved in under 200 ms, so the pages answer at once.
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
from collections.abc import Callable

from benchmarks.candidates import DAY, build_program
from benchmarks.page_timing import report

from resched.core.changes.kinds import ChangeKind
from resched.services.candidates import find_candidates
from resched.services.changes.apply import apply_change, preview_change
from resched.services.changes.history import undo_change
from resched.services.changes.model import ChangeRequest, Slot

TODAY = DAY - dt.timedelta(days=30)  # the freeze horizon does not reach the day


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        program = build_program(directory)
        factory, version_id = program.factory, program.version_id
        holder = program.code(program.residents[4 + (DAY.day - 1) % 4])
        found = find_candidates(
            factory=factory, version_id=version_id, person=holder, day=DAY, shift="CALL"
        )
        taker = found.candidates[0].person.code
        change = ChangeRequest(remove=(Slot(holder, DAY, "CALL"),), add=(Slot(taker, DAY, "CALL"),))

        def apply_and_undo() -> None:
            done = apply_change(
                factory=factory,
                version_id=version_id,
                change=change,
                kind=ChangeKind.SWAP,
                actor="benchmark",
                today=TODAY,
            )
            undo_change(
                factory=factory,
                change_id=done.id,
                actor="benchmark",
                now=done.created_at,
                today=TODAY,
            )

        cases: dict[str, Callable[[], object]] = {
            "preview_change (handover)": lambda: preview_change(
                factory=factory, version_id=version_id, change=change, today=TODAY
            ),
            "apply + undo (2 changes)": apply_and_undo,
        }
        people, shifts = len(program.everyone), program.shifts
        print(f"{people} people, {shifts} published shifts, {args.repeats} runs")
        report(program.app.state.engine, cases, args.repeats, 400.0)
        program.app.state.engine.dispose()


if __name__ == "__main__":
    main()
