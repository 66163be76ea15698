"""Server-rendered SVG geometry for the rolling-average chart of the Compliance page.

Only numbers and class names leave here: the template draws them, and the stylesheet colours
them (a strict CSP allows no ``style`` attributes). Points above the limit are drawn as
distinct markers with their own text, so colour never carries the meaning alone.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from resched.core.rules import Level, PersonAccount, Tally
from resched.core.rules.findings import fmt_number, fmt_span

WIDTH, HEIGHT = 640, 150
LEFT, RIGHT, TOP, BOTTOM = 44, 8, 8, 22
PLOT_W, PLOT_H = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM


@dataclass(frozen=True, slots=True)
class Marker:
    x: float
    y: float
    label: str


@dataclass(frozen=True, slots=True)
class Tick:
    at: float
    label: str


@dataclass(frozen=True, slots=True)
class Chart:
    """One resident's averages: ``path`` (SVG path data, broken where a window is all leave),
    the limit lines' heights, markers for windows over the limit, axis ticks, and a text
    summary that says what the picture shows."""

    path: str
    limit_y: float
    approaching_y: float | None
    over: tuple[Marker, ...]
    y_ticks: tuple[Tick, ...]
    x_ticks: tuple[Tick, ...]
    summary: str
    # Averages with no neighbour to join (a range of one window, or one between leave): a line
    # through one point draws nothing, so these are drawn as dots.
    dots: tuple[Marker, ...] = ()
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right_edge: int = WIDTH - RIGHT
    bottom: int = HEIGHT - BOTTOM


def rolling_chart(
    account: PersonAccount, limit: float, approaching: float, *, leave: bool = True
) -> Chart:
    """``leave``: whether the reader may see this person's absences (the summary then says
    why a window has no average)."""
    windows = account.windows
    highest = max((w.average for w in windows if w.average is not None), default=0.0)
    top = _top(max(highest, limit))

    def x(i: int) -> float:
        return LEFT + (PLOT_W / 2 if len(windows) < 2 else PLOT_W * i / (len(windows) - 1))

    def y(hours: float) -> float:
        return TOP + PLOT_H * (1 - hours / top)

    commands: list[str] = []
    over: list[Marker] = []
    dots: list[Marker] = []
    runs: list[list[int]] = []
    for i, w in enumerate(windows):
        if w.average is None:
            continue
        if runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        else:
            runs.append([i])
        if w.level is Level.OVER:
            over.append(Marker(round(x(i), 1), round(y(w.average), 1), _label(w)))
    for run in runs:
        points = [(x(i), y(windows[i].average or 0.0)) for i in run]
        if len(points) == 1:
            dots.append(
                Marker(round(points[0][0], 1), round(points[0][1], 1), _label(windows[run[0]]))
            )
            continue
        commands.extend(
            f"{'L' if k else 'M'}{px:.1f} {py:.1f}" for k, (px, py) in enumerate(points)
        )
    x_ticks = (
        ()
        if not windows
        else (Tick(x(0), _day(windows[0])), Tick(x(len(windows) - 1), _day(windows[-1])))
    )
    return Chart(
        path=" ".join(commands),
        limit_y=round(y(limit), 1),
        approaching_y=round(y(approaching), 1) if 0 < approaching < limit else None,
        over=tuple(over),
        y_ticks=tuple(Tick(round(y(h), 1), fmt_number(h)) for h in (0.0, limit, top)),
        x_ticks=x_ticks if len(windows) > 1 else x_ticks[:1],
        summary=_summary(account, limit, leave),
        dots=tuple(dots),
    )


def _top(hours: float) -> float:
    """Head room above the highest value, rounded up to a multiple of 20 h."""
    return float(max(20, math.ceil(hours * 1.1 / 20) * 20))


def _day(window: Tally) -> str:
    # The window's span, not its first day: the last point covers the range's last four weeks.
    return fmt_span(window.start, window.end)


def _label(window: Tally) -> str:
    return f"{fmt_number(window.average or 0.0)} h/week over {fmt_span(window.start, window.end)}"


def _summary(account: PersonAccount, limit: float, leave: bool) -> str:
    worst = account.worst_window
    if worst is None or worst.average is None:
        why = "on leave throughout; " if leave else ""
        return f"{account.person.name}: {why}no average."
    text = (
        f"{account.person.name}: highest four-week average {fmt_number(worst.average)} h/week "
        f"({fmt_span(worst.start, worst.end)})"
    )
    over = sum(1 for w in account.windows if w.level is Level.OVER)
    if over:
        return (
            f"{text}; {over} window{'s' if over > 1 else ''} over the limit of {fmt_number(limit)}."
        )
    return f"{text}; within the limit of {fmt_number(limit)}."
