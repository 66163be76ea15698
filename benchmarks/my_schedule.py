"""Benchmark of the My schedule page: server time on the demo (not a test: prints figures).

    PYTHONPATH=. .venv/bin/python benchmarks/my_schedule.py [--repeats 50]

The data of benchmarks/today.py (the demo program, a published rotation plan and six weeks of
published shifts around the measured morning), then the median and worst time of
``load_my_schedule`` for a resident with shifts and of ``GET /me`` through the real app
in-process (template included), with the statements each reads once the program's calendar
is kept (services/pages/my_schedule.py: the first view after a change reads 6 more). The load
benchmark's target for a page is a p95 under 150 ms with 50 users; this prints one view's
server time.
"""

from __future__ import annotations

import argparse
import tempfile
from collections.abc import Callable
from pathlib import Path

from benchmarks.page_timing import report
from benchmarks.today import MORNING, demo_app
from tests.accounts import add_user, page_client

from resched.db.tables import UserRole
from resched.services.pages.my_schedule import load_my_schedule


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=50)
    parser.add_argument("--profile", action="store_true", help="cProfile the service call")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        app, duties, stored = demo_app(Path(directory) / "me.db")
        factory = app.state.session_factory
        person = duties.plan.residents[0]
        client = page_client(app, add_user(factory, UserRole.RESIDENT, person_id=person))
        cases: dict[str, Callable[[], object]] = {
            "load_my_schedule": lambda: load_my_schedule(
                factory=factory, person_id=person, now=MORNING
            ),
            "GET /me": lambda: client.get("/me").raise_for_status(),
            "GET /healthz": lambda: client.get("/healthz").raise_for_status(),
        }
        print(f"demo, {stored} published shifts, {args.repeats} runs each")
        if args.profile:
            import cProfile
            import pstats

            with cProfile.Profile() as profile:
                for _ in range(args.repeats):
                    cases["load_my_schedule"]()
            pstats.Stats(profile).sort_stats("cumulative").print_stats(30)
        for case in cases.values():
            case()  # the calendar kept (a view served again): the statements of a warm view
        report(app.state.engine, cases, args.repeats, 150.0)
        client.close()
        app.state.engine.dispose()


if __name__ == "__main__":
    main()
