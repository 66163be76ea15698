"""Benchmark of imports (issue 16): preview, apply and undo of a 5,000-row people file
(creates, then updates) and a 5,000-row absences file, on an empty SQLite file or any
database URL (not a test: prints seconds).

    PYTHONPATH=. .venv/bin/python benchmarks/imports.py [--rows 5000] [--url URL]

The figures decide which applies run as a background job (services/imports/batches.py,
BACKGROUND_WRITES): anything taking more than a couple of seconds.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from resched.db.migrate import upgrade_to_head
from resched.db.session import create_engine_for, make_session_factory
from resched.services.common import SessionFactory
from resched.services.imports.batches import apply_import, preview_import, undo_import


def csv_file(rows: Sequence[Sequence[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


def timed[T](label: str, action: Callable[[], T]) -> T:
    start = time.perf_counter()
    result = action()
    print(f"{label}: {time.perf_counter() - start:.2f} s")
    return result


def run(factory: SessionFactory, rows: int) -> None:
    people = [["code", "name", "role", "email"]] + [
        [f"P{i:05d}", f"Person {i}", "faculty", f"p{i}@example.org"] for i in range(rows)
    ]
    renamed = [people[0]] + [[c, f"{n} Jr", r, e] for c, n, r, e in people[1:]]
    first = dt.date(2026, 9, 1)
    leave = [["person", "start", "end", "type"]] + [
        [f"P{i:05d}", first.isoformat(), (first + dt.timedelta(days=4)).isoformat(), "vacation"]
        for i in range(rows)
    ]
    for label, kind, data in (
        (f"people, {rows} creates", "people", csv_file(people)),
        (f"people, {rows} updates", "people", csv_file(renamed)),
        (f"absences, {rows} creates", "absences", csv_file(leave)),
    ):
        measure(factory, label, kind, data)


def measure(factory: SessionFactory, label: str, kind: str, data: bytes) -> None:
    batch = timed(
        f"preview {label}",
        lambda: preview_import(factory=factory, kind=kind, filename="f.csv", data=data),
    )
    timed(f"apply {label}", lambda: apply_import(factory=factory, batch_id=batch.id))
    if kind == "absences":
        timed(f"undo {label}", lambda: undo_import(factory=factory, batch_id=batch.id))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--url", help="a database URL (default: a new SQLite file)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        url = args.url or f"sqlite:///{Path(directory) / 'imports.db'}"
        upgrade_to_head(url)
        engine = create_engine_for(url)
        try:
            run(make_session_factory(engine), args.rows)
        finally:
            engine.dispose()


if __name__ == "__main__":
    main()
