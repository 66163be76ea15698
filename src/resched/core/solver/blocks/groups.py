"""Groups of days counted as one (a weekend is worked if any of its days is): an indicator per
group and a limit on how many are worked."""

from __future__ import annotations

from collections.abc import Sequence

from ortools.sat.python import cp_model


def add_worked_any(
    model: cp_model.CpModel, works: Sequence[cp_model.BoolVarT], name: str
) -> cp_model.IntVar:
    """A Boolean equal to "some day of ``works`` is worked" (bounded both ways, so it can be
    counted against a limit and read back)."""
    any_day = model.new_bool_var(name)
    for work in works:
        model.add(any_day >= work)
    model.add(any_day <= cp_model.LinearExpr.sum(list(works)))
    return any_day


def add_at_most_worked(
    model: cp_model.CpModel, groups: Sequence[Sequence[cp_model.BoolVarT]], limit: int, name: str
) -> list[cp_model.IntVar]:
    """At most ``limit`` of ``groups`` worked; returns the indicators, one per group."""
    worked = [add_worked_any(model, group, f"{name}[{k}]") for k, group in enumerate(groups)]
    if limit < len(worked):
        model.add(cp_model.LinearExpr.sum(worked) <= limit)
    return worked
