"""Runs of consecutive working days: a longest run (sliding windows) and a shortest run
(short patterns forbidden), over one Boolean literal per day."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from ortools.sat.python import cp_model


def sliding_windows[T](items: Sequence[T], width: int) -> Iterator[Sequence[T]]:
    """Every run of ``width`` consecutive items, in order (none when there are fewer items)."""
    for start in range(len(items) - width + 1):
        yield items[start : start + width]


def add_max_run(
    model: cp_model.CpModel, works: Sequence[cp_model.BoolVarT], limit: int, *, rest: int = 1
) -> None:
    """At most ``limit`` consecutive days worked: every ``limit + 1`` days hold a day off.

    ``works[d]`` is 1 when day ``d`` is worked. With ``rest`` > 1 (the shortest run of days off
    between two worked days, as ``add_min_run`` enforces it) every ``limit + rest`` days hold
    at most ``limit`` worked days: more would need a shorter break between two runs. Valid for
    any solution, and much tighter in the LP relaxation than the ``limit + 1`` windows it
    implies."""
    if len(works) <= limit:
        return
    # A horizon shorter than ``limit + rest`` still has windows of ``limit + 1`` and more.
    for window in sliding_windows(works, min(limit + max(1, rest), len(works))):
        model.add(cp_model.LinearExpr.sum(list(window)) <= limit)


def add_min_run(
    model: cp_model.CpModel, works: Sequence[cp_model.BoolVarT], least: int, *, edges: bool = False
) -> None:
    """Every run of worked days lasts at least ``least`` days. A run touching the first or last
    day continues outside the horizon, so it is exempt unless ``edges``.

    For each start and each length below ``least`` the pattern "off, worked x length, off" is
    forbidden as a clause: stronger in propagation than counting, and only ``least - 1``
    clauses per start. For runs of days off pass the negations (``[w.Not() for w in works]``).
    """
    days = len(works)
    for length in range(1, least):
        first = 0 if edges else 1
        last = days - length if edges else days - length - 1
        for start in range(first, last + 1):
            clause = [works[start - 1]] if start > 0 else []
            clause += [works[d].Not() for d in range(start, start + length)]
            if start + length < days:
                clause.append(works[start + length])
            model.add_bool_or(clause)
