"""``check_cell_change``: one hand edit of a plan cell, and each kind of rule it breaks, mends
or leaves broken, in words; the new cell (halves, locks, merging) and the refused changes."""

from __future__ import annotations

import dataclasses

import pytest

from resched.core.errors import Invalid
from resched.core.model import BlockAssignment
from resched.core.solver.plan import PlanProblem, RotationPlan, check_plan
from resched.core.solver.plan.cell import CellChange, CellFinding, Effect, Kind, check_cell_change
from tests.core.solver.tiny import absence, problem, residents, rotation

WARDS = rotation("WARDS", cap=(1, 1), yearly={1: (1, 2)})
ICU = rotation("ICU", cap=(0, 1), pgy=(2, 3), not_adjacent=("NF",))
NF = rotation("NF", cap=(0, 1), not_adjacent=("NF",))
CLINIC = rotation("CLINIC", cap=(0, 2), leave=True)
GOOD = {1: ["WARDS", "CLINIC", "WARDS"], 2: ["CLINIC", "WARDS", "ICU"]}


def base(**changes: object) -> PlanProblem:
    p = problem(residents(1, 2), (WARDS, ICU, NF, CLINIC), count=3)
    return dataclasses.replace(p, **changes)  # type: ignore[arg-type]


def plan(rows: dict[int, list[str]]) -> tuple[BlockAssignment, ...]:
    return tuple(
        BlockAssignment(person, block, code)
        for person, codes in rows.items()
        for block, code in enumerate(codes, start=1)
    )


def found(findings: tuple[CellFinding, ...], effect: Effect) -> list[tuple[Kind, str]]:
    return [(f.kind, f.message) for f in findings if f.effect is effect]


def test_a_harmless_change_finds_nothing_and_gives_the_new_plan() -> None:
    check = check_cell_change(base(), plan(GOOD), CellChange(2, 1, "NF"))
    assert check.findings == ()
    assert check.before == (BlockAssignment(2, 1, "CLINIC"),)
    assert check.after == (BlockAssignment(2, 1, "NF"),)
    assert check.changed
    assert check_plan(base(), RotationPlan(check.plan)) == []


def test_capacity_over_and_under_in_words() -> None:
    # r2 leaves Wards in block 2 for Clinic: block 2's Wards falls to 0, under its minimum.
    check = check_cell_change(base(), plan(GOOD), CellChange(2, 2, "CLINIC"))
    assert (
        Kind.CAPACITY,
        "block 2: 0 PGY-1..3 residents on Wards, fewer than its minimum of 1",
    ) in found(check.findings, Effect.BREAKS)
    # r2 joins r1 on Wards in block 1: 2 residents, over its maximum.
    over = check_cell_change(base(), plan(GOOD), CellChange(2, 1, "WARDS"))
    assert (
        Kind.CAPACITY,
        "block 1: 2 PGY-1..3 residents on Wards, more than its maximum of 1",
    ) in found(over.findings, Effect.BREAKS)


def test_a_rotation_that_takes_no_resident_of_that_level() -> None:
    check = check_cell_change(base(), plan(GOOD), CellChange(1, 2, "ICU"))
    assert (Kind.CAPACITY, "block 2: Icu takes no PGY-1 residents") in found(
        check.findings, Effect.BREAKS
    )


def test_yearly_requirement_no_longer_met_and_met_again() -> None:
    rows = {1: ["WARDS", "CLINIC", "CLINIC"], 2: ["CLINIC", "WARDS", "ICU"]}
    broken = check_cell_change(base(), plan(rows), CellChange(1, 1, "CLINIC"))
    assert (
        Kind.YEARLY,
        "Dr R1 (r1): 0 blocks of Wards in the year, fewer than the PGY-1 requirement of 1-2 blocks",
    ) in found(broken.findings, Effect.BREAKS)
    mended = check_cell_change(base(), broken.plan, CellChange(1, 3, "WARDS"))
    assert (
        Kind.YEARLY,
        "Dr R1 (r1): 1 block of Wards in the year, meets the PGY-1 requirement of 1-2 blocks",
    ) in found(mended.findings, Effect.MENDS)


def test_not_adjacent_rule_broken() -> None:
    check = check_cell_change(base(), plan(GOOD), CellChange(2, 2, "NF"))
    assert (
        Kind.NOT_ADJACENT,
        "Dr R2 (r2): Nf in block 2 directly followed by Icu in block 3, which must not "
        "follow each other",
    ) in found(check.findings, Effect.BREAKS)


def test_prerequisite_order_broken() -> None:
    icu = dataclasses.replace(ICU, prerequisites=("WARDS",))
    p = base(rotations=(WARDS, icu, NF, CLINIC))
    check = check_cell_change(p, plan(GOOD), CellChange(2, 2, "CLINIC"))
    assert (
        Kind.PREREQUISITE,
        "Dr R2 (r2): Icu in block 3 without a block of Wards before it",
    ) in found(check.findings, Effect.BREAKS)


def test_a_resident_on_leave_moved_to_a_rotation_that_is_not_leave_eligible() -> None:
    p = base()
    p = dataclasses.replace(p, absences=(absence(2, p.blocks[0]),))
    check = check_cell_change(p, plan(GOOD), CellChange(2, 1, "NF"))
    ((_kind, message),) = [m for m in found(check.findings, Effect.BREAKS) if m[0] is Kind.LEAVE]
    assert message.startswith("Dr R2 (r2) is on approved leave 2026-07-01..2026-07-07 in block 1")
    assert message.endswith("and Nf is not leave-eligible")
    back = check_cell_change(p, check.plan, CellChange(2, 1, "CLINIC"))
    assert [k for k, _ in found(back.findings, Effect.MENDS)] == [Kind.LEAVE]


def test_emptying_a_cell_and_what_stays_broken() -> None:
    check = check_cell_change(base(), plan(GOOD), CellChange(1, 2, None))
    breaks = found(check.findings, Effect.BREAKS)
    assert (Kind.EMPTY, "Dr R1 (r1) has no rotation in block 2") in breaks
    assert check.after == ()
    # Filling it again mends it; a capacity already broken and touched is "still" broken.
    again = check_cell_change(base(), check.plan, CellChange(1, 2, "CLINIC"))
    assert (Kind.EMPTY, "no longer: Dr R1 (r1) has no rotation in block 2") in found(
        again.findings, Effect.MENDS
    )
    rows = {1: ["WARDS", "WARDS", "WARDS"], 2: ["WARDS", "WARDS", "WARDS"]}
    still = check_cell_change(base(), plan(rows), CellChange(1, 3, "WARDS", locked=True))
    assert found(still.findings, Effect.STILL) == [
        (Kind.CAPACITY, "block 3: 2 PGY-1..3 residents on Wards, more than its maximum of 1"),
        (
            Kind.YEARLY,
            "Dr R1 (r1): 3 blocks of Wards in the year, more than the PGY-1 requirement of "
            "1-2 blocks",
        ),
    ]  # blocks 1 and 2 are over too, but the edit does not touch them


def test_half_blocks_split_and_merge_and_keep_their_locks() -> None:
    clinic = dataclasses.replace(CLINIC, allows_half_block=True)
    wards = dataclasses.replace(WARDS, allows_half_block=True)
    p = base(rotations=(wards, ICU, NF, clinic))
    cells = (*plan(GOOD)[1:], BlockAssignment(1, 1, "WARDS", locked=True))
    split = check_cell_change(p, cells, CellChange(1, 1, "CLINIC", half=2))
    assert split.after == (
        BlockAssignment(1, 1, "WARDS", 1, locked=True),
        BlockAssignment(1, 1, "CLINIC", 2),
    )
    merged = check_cell_change(p, split.plan, CellChange(1, 1, "WARDS", half=2, locked=True))
    assert merged.after == (BlockAssignment(1, 1, "WARDS", locked=True),)
    # ICU does not allow half blocks: the split is a break.
    icu_half = check_cell_change(p, plan(GOOD), CellChange(2, 3, "CLINIC", half=1))
    assert (Kind.HALF_BLOCK, "Dr R2 (r2): Icu cannot be done for half of block 3") in found(
        icu_half.findings, Effect.BREAKS
    )


def test_lock_only_changes_the_flag() -> None:
    check = check_cell_change(base(), plan(GOOD), CellChange(1, 1, "WARDS", locked=True))
    assert check.after == (BlockAssignment(1, 1, "WARDS", locked=True),)
    assert check.findings == ()
    assert check.changed


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (CellChange(9, 1, "WARDS"), "person_id"),
        (CellChange(1, 14, "WARDS"), "block"),
        (CellChange(1, 1, "NOPE"), "rotation_code"),
        (CellChange(1, 1, "WARDS", half=1), "half"),  # no rotation allows half blocks
        (CellChange(1, 1, "WARDS", half=3), "half"),
        (CellChange(1, 1, None, locked=True), "locked"),
    ],
)
def test_changes_the_plan_cannot_take_name_the_field(change: CellChange, path: str) -> None:
    with pytest.raises(Invalid) as caught:
        check_cell_change(base(), plan(GOOD), change)
    assert caught.value.details["field"] == path
    assert [e["path"] for e in caught.value.details["errors"]] == [path]
