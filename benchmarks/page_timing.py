"""Timing a page's server work: the shared measuring loop of the page benchmarks
(benchmarks/today.py, benchmarks/month_view.py)."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Mapping

from sqlalchemy import Engine, event


def measure(action: Callable[[], object], repeats: int) -> tuple[float, float, float]:
    """Median and worst wall-clock milliseconds of ``repeats`` runs after one warm-up, and
    the median CPU milliseconds of the process (all its threads: the test client serves in
    another): on a busy machine the wall clock also counts the time others held the CPU."""
    action()
    times, cpu = [], []
    for _ in range(repeats):
        started, used = time.perf_counter(), time.process_time()
        action()
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - used) * 1000)
    return statistics.median(times), max(times), statistics.median(cpu)


def report(
    engine: Engine, cases: Mapping[str, Callable[[], object]], repeats: int, target_ms: float
) -> None:
    """Print each case's median, worst and CPU time and the SQL statements one run sends."""
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    for name, action in cases.items():
        statements.clear()
        action()
        count = len(statements)
        median, worst, cpu = measure(action, repeats)
        verdict = "ok" if median < target_ms else f"OVER {target_ms:.0f} ms"
        print(
            f"  {name:30} median {median:6.1f} ms  worst {worst:6.1f} ms  "
            f"cpu {cpu:6.1f} ms  {count:3} statements  {verdict}"
        )
