"""The rolling-average chart's geometry: every average is drawn, even one with no neighbour."""

from __future__ import annotations

import datetime as dt

from resched.core.model import Person, Role
from resched.core.rules import Level, PersonAccount, Tally
from resched.web.charts import rolling_chart

ADA = Person(1, "r1", "Ada Lee", Role.RESIDENT, pgy=1)


def _window(first: int, hours: float, leave: bool = False) -> Tally:
    start = dt.date(2026, 7, 1) + dt.timedelta(days=first)
    return Tally(
        start=start,
        end=start + dt.timedelta(days=27),
        days=28,
        leave_days=28 if leave else 0,
        seconds=int(hours * 4 * 3600),
        free_days=4,
        calls=0,
        nights=0,
        level=Level.OVER if hours > 80 else Level.OK,
    )


def _account(*windows: Tally) -> PersonAccount:
    return PersonAccount(person=ADA, weeks=(), windows=windows, total=windows[0])


def test_a_single_window_is_drawn_as_a_dot() -> None:
    chart = rolling_chart(_account(_window(0, 60)), 80, 76)
    assert chart.path == ""
    assert len(chart.dots) == 1
    assert chart.dots[0].label.startswith("60 h/week over ")
    assert chart.dots[0].y > chart.limit_y  # 60 h is drawn below the 80 h line


def test_an_average_between_leave_windows_is_a_dot_and_runs_are_lines() -> None:
    windows = (_window(0, 50), _window(1, 0, leave=True), _window(2, 70), _window(3, 72))
    chart = rolling_chart(_account(*windows), 80, 76)
    assert len(chart.dots) == 1
    assert chart.path.count("M") == 1
    assert chart.path.count("L") == 1
