"""Forbidden successions: a shift that may not be followed by certain shifts the next day."""

from __future__ import annotations

from collections.abc import Collection, Mapping

from ortools.sat.python import cp_model


def add_forbidden_successions(
    model: cp_model.CpModel,
    today: Mapping[str, cp_model.BoolVarT],
    tomorrow: Mapping[str, cp_model.BoolVarT],
    forbidden: Mapping[str, Collection[str]],
) -> None:
    """For each shift worked ``today`` (id -> literal), the shifts ``forbidden`` after it are not
    worked ``tomorrow``; a shift missing from either day (not workable) needs nothing."""
    for first, lit in today.items():
        for second in forbidden.get(first, ()):
            after = tomorrow.get(second)
            if after is not None:
                model.add_bool_or([lit.Not(), after.Not()])
