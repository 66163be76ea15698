"""check_change on hand-built cases: what a swap creates and clears, and refused changes."""

from __future__ import annotations

import datetime as dt

import pytest

from resched.core.errors import Invalid
from resched.core.model import Assignment
from resched.core.rules import check_all, check_change
from tests.core.builders import Doc


def two_residents() -> Doc:
    doc = Doc("2026-07-01").resident("a", pgy=2).resident("b", pgy=2).faculty("f")
    doc.shift("CALL", "07:00", 1440, "in_house_call", transition=240)
    doc.shift("CLIN", "08:00", 240, requires_supervision=True, supervised_by=["PREC"])
    doc.shift("PREC", "08:00", 240)
    doc.assign_days("a", "CALL", range(0, 28, 3))  # 10 calls: call-q3 broken
    doc.assign_days("b", "CALL", range(1, 28, 4))  # 7 calls
    return doc.assign("a", 2, "CLIN").assign("f", 2, "PREC")


def test_giving_a_call_away_moves_the_violation() -> None:
    ctx = two_residents().context()
    assert [(f.rule, f.person_id) for f in check_all(ctx)] == [("call-q3", 1)]
    given = Assignment(1, dt.date(2026, 7, 28), "CALL")
    impact = check_change(ctx, remove=[given], add=[Assignment(2, given.date, "CALL")])
    assert [(f.rule, f.person_id) for f in impact.cleared] == [("call-q3", 1)]
    assert impact.created == ()
    assert check_all(impact.context) == []
    assert not impact.makes_worse


def test_removing_the_preceptor_creates_a_supervision_finding() -> None:
    ctx = two_residents().context()
    impact = check_change(ctx, remove=[Assignment(3, dt.date(2026, 7, 3), "PREC")])
    [created] = impact.created
    assert (created.rule, created.shift_code, created.person_id) == (
        "supervision-ratio",
        "CLIN",
        None,
    )
    assert impact.makes_worse
    assert created not in check_all(ctx)  # the original context is left as it was


def test_changes_chain_on_the_returned_context() -> None:
    ctx = two_residents().context()
    first = check_change(ctx, add=[Assignment(2, dt.date(2026, 7, 4), "CALL")])
    second = check_change(first.context, remove=[Assignment(2, dt.date(2026, 7, 4), "CALL")])
    assert check_all(second.context) == check_all(ctx)
    assert list(second.cleared) == list(first.created)


def test_removing_what_is_not_there_is_refused() -> None:
    with pytest.raises(Invalid, match=r"remove\[0\]: assignment not in the schedule"):
        check_change(two_residents().context(), remove=[Assignment(1, dt.date(2026, 7, 2), "CALL")])


def test_unknown_people_and_shifts_are_refused() -> None:
    ctx = two_residents().context()
    with pytest.raises(Invalid, match="unknown person 99"):
        check_change(ctx, add=[Assignment(99, dt.date(2026, 7, 2), "CALL")])
    with pytest.raises(Invalid, match='unknown shift type "NAP"'):
        check_change(ctx, add=[Assignment(1, dt.date(2026, 7, 2), "NAP")])
