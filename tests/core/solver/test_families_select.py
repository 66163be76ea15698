"""Which rule families a model is built with: ``only``, ``skip`` and the soft goals."""

from __future__ import annotations

import pytest

from resched.core.solver.families import Kind, RuleFamily, Scope, hard_names, select


def _noop(*_: object) -> None:
    return None


TABLE = (
    RuleFamily("a", Kind.HARD, Scope.MODEL, _noop, "first"),
    RuleFamily("goal", Kind.SOFT, Scope.MODEL, _noop, "a goal", ("goal",)),
    RuleFamily("b", Kind.HARD, Scope.RESIDENT, _noop, "second"),
)


def names(chosen: tuple[RuleFamily, ...]) -> list[str]:
    return [f.name for f in chosen]


def test_everything_in_table_order_by_default() -> None:
    assert names(select(TABLE)) == ["a", "goal", "b"]
    assert hard_names(TABLE) == ("a", "b")


def test_a_diagnosis_leaves_out_the_goals_and_what_it_skips() -> None:
    assert names(select(TABLE, skip={"a", "coverage:0"}, soft=False)) == ["b"]


def test_only_builds_the_named_families_hard_or_soft() -> None:
    assert names(select(TABLE, only={"goal"}, soft=False)) == ["goal"]
    assert names(select(TABLE, only={"b", "a"})) == ["a", "b"]
    assert names(select(TABLE, only={"a", "b"}, skip={"a"})) == ["b"]


def test_only_refuses_an_unknown_name_and_lists_the_known() -> None:
    with pytest.raises(ValueError, match=r"unknown rule families \['c'\]; known: a, goal, b"):
        select(TABLE, only={"a", "c"})
