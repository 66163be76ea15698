"""Soft targets: how far a count falls short of, or goes beyond, what is wanted. The caller
weights the variables in its objective (a coverage row's under and over weights, a quota's
missed minimum)."""

from __future__ import annotations

from ortools.sat.python import cp_model


def add_shortfall(
    model: cp_model.CpModel, count: cp_model.LinearExprT, target: int, name: str
) -> cp_model.IntVar:
    """A variable in [0, target] at least ``target - count``: minimised, the shortfall."""
    short = model.new_int_var(0, max(0, target), name)
    model.add(short >= target - count)
    return short


def add_excess(
    model: cp_model.CpModel, count: cp_model.LinearExprT, target: int, most: int, name: str
) -> cp_model.IntVar:
    """A variable in [0, most - target] at least ``count - target``, where ``most`` bounds the
    count: minimised, the excess."""
    over = model.new_int_var(0, max(0, most - target), name)
    model.add(over >= count - target)
    return over
