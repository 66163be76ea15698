"""``check_plan`` on hand-made plans: it finds each broken rule on its own, without the solver."""

from __future__ import annotations

import dataclasses

from resched.core.model import BlockAssignment
from resched.core.solver.plan import PlanProblem, RotationPlan, check_plan
from tests.core.solver.tiny import absence, problem, residents, rotation

WARDS = rotation("WARDS", cap=(1, 1), yearly={1: (1, 2)})
ICU = rotation("ICU", cap=(0, 1), pgy=(2, 3), not_adjacent=("NF",))
NF = rotation("NF", cap=(0, 1), not_adjacent=("NF",))
CLINIC = rotation("CLINIC", cap=(0, 2), leave=True)


def base() -> PlanProblem:
    return problem(residents(1, 2), (WARDS, ICU, NF, CLINIC), count=3)


def plan(rows: dict[int, list[str]]) -> RotationPlan:
    return RotationPlan(
        tuple(
            BlockAssignment(person, block, code)
            for person, codes in rows.items()
            for block, code in enumerate(codes, start=1)
        )
    )


GOOD = {1: ["WARDS", "CLINIC", "WARDS"], 2: ["CLINIC", "WARDS", "ICU"]}


def test_a_valid_plan_passes() -> None:
    assert check_plan(base(), plan(GOOD)) == []


def test_missing_and_doubled_cells() -> None:
    cells = plan(GOOD).assignments
    problems = check_plan(base(), RotationPlan((*cells[1:], BlockAssignment(2, 1, "NF"))))
    assert "Dr R1 (r1) has no rotation in block 1" in problems
    assert "person 2: two rotations in block 1" in problems


def test_capacity_and_eligibility() -> None:
    rows = {1: ["WARDS", "ICU", "WARDS"], 2: ["WARDS", "CLINIC", "ICU"]}
    problems = check_plan(base(), plan(rows))
    assert "block 2: 0 PGY-1..3 residents on Wards, needs 1-1" in problems
    assert "block 1: 2 PGY-1..3 residents on Wards, needs 1-1" in problems
    assert "block 2: Icu takes no PGY-1, but has Dr R1 (r1)" in problems


def test_yearly_requirement() -> None:
    rows = {1: ["CLINIC", "CLINIC", "CLINIC"], 2: ["WARDS", "WARDS", "WARDS"]}
    problems = check_plan(base(), plan(rows))
    assert "Dr R1 (r1): 0 blocks of Wards in the year, but PGY-1 needs 1-2" in problems


def test_leave_on_a_rotation_that_is_not_leave_eligible() -> None:
    p = base()
    p = dataclasses.replace(p, absences=(absence(1, p.blocks[2]),))
    (problem_text,) = check_plan(p, plan(GOOD))
    assert problem_text.startswith("Dr R1 (r1) is on approved leave")
    assert "in block 3, but on WARDS, which is not leave-eligible" in problem_text


def test_forbidden_sequences_both_ways() -> None:
    rows = {1: ["WARDS", "NF", "NF"], 2: ["NF", "ICU", "WARDS"]}
    problems = check_plan(base(), plan(rows))
    assert "Dr R1 (r1): NF in block 2 directly followed by NF" in problems
    assert "Dr R2 (r2): NF in block 1 directly followed by ICU" in problems


def test_broken_lock() -> None:
    p = dataclasses.replace(base(), locked=(BlockAssignment(1, 2, "WARDS"),))
    problems = check_plan(p, plan(GOOD))
    assert "person 1: block 2 is locked to WARDS, but the plan has CLINIC" in problems


def test_half_blocks() -> None:
    half = dataclasses.replace(CLINIC, allows_half_block=True)
    p = dataclasses.replace(base(), rotations=(WARDS, ICU, NF, half))
    halves = (BlockAssignment(2, 1, "CLINIC", half=1), BlockAssignment(2, 1, "ICU", half=2))
    split = (*plan(GOOD).assignments, *halves)
    cells = tuple(
        a for a in split if not (a.person_id == 2 and a.block_number == 1 and a.half is None)
    )
    problems = check_plan(p, RotationPlan(cells))
    assert "Dr R2 (r2): ICU cannot be done for half of block 1" in problems
    assert all("CLINIC cannot" not in text for text in problems)
    assert any(
        "half 1 of block 1 given" in text for text in check_plan(base(), RotationPlan(split))
    )


def test_prerequisite_done_after_or_only_in_part() -> None:
    icu = dataclasses.replace(ICU, prerequisites=("WARDS",))
    p = dataclasses.replace(base(), rotations=(WARDS, icu, NF, CLINIC))
    assert check_plan(p, plan(GOOD)) == []  # r2: Wards in block 2, ICU in block 3
    rows = {1: GOOD[1], 2: ["CLINIC", "ICU", "WARDS"]}
    problems = check_plan(p, plan(rows))
    assert "Dr R2 (r2): ICU in block 2 without a block of WARDS before it" in problems

    # Half a block of Wards (the other half Clinic) is not a block of it.
    halves = dataclasses.replace(
        p, rotations=(dataclasses.replace(WARDS, allows_half_block=True), icu, NF, CLINIC)
    )
    split = RotationPlan(
        (
            *plan({1: GOOD[1]}).assignments,
            BlockAssignment(2, 1, "CLINIC", half=1),
            BlockAssignment(2, 1, "CLINIC", half=2),
            BlockAssignment(2, 2, "WARDS", half=1),
            BlockAssignment(2, 2, "CLINIC", half=2),
            BlockAssignment(2, 3, "ICU"),
        )
    )
    problems = check_plan(halves, split)
    assert "Dr R2 (r2): ICU in block 3 (1st half) without a block of WARDS before it" in problems
