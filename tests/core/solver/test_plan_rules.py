"""Each hard rule of the rotation plan on a tiny case: met when it can be, and named when it
makes the plan impossible."""

from __future__ import annotations

import dataclasses

from resched.core.model import BlockAssignment
from resched.core.solver import SolveStatus
from resched.core.solver.plan import PlanProblem, RotationPlan, check_plan, plan_rotations
from tests.core.solver.tiny import FAST, absence, problem, residents, rotation


def solve(p: PlanProblem) -> tuple[SolveStatus, RotationPlan | None, tuple[str, ...]]:
    result = plan_rotations(p, FAST)
    if result.solution is not None:
        assert result.violations == ()
        assert check_plan(p, result.solution) == []
    return result.status, result.solution, result.conflicts


def test_every_resident_gets_one_rotation_per_block() -> None:
    p = problem(residents(1, 1, 2), (rotation("WARDS"), rotation("CLINIC")), count=4)
    status, plan, _ = solve(p)
    assert status is SolveStatus.OPTIMAL
    assert plan is not None
    cells = {(a.person_id, a.block_number) for a in plan.assignments}
    assert cells == {(r, b) for r in (1, 2, 3) for b in (1, 2, 3, 4)}
    assert len(plan.assignments) == 12


def test_yearly_requirement_met_and_named_when_impossible() -> None:
    icu = rotation("ICU", yearly={1: (2, 2)})
    status, plan, _ = solve(problem(residents(1, 1), (icu, rotation("CLINIC")), count=3))
    assert status is SolveStatus.OPTIMAL
    assert plan is not None
    assert sum(a.rotation_code == "ICU" for a in plan.for_person(1)) == 2

    too_much = rotation("ICU", yearly={1: (4, 4)})  # four blocks of ICU in a three-block year
    status, plan, conflicts = solve(problem(residents(1), (too_much, rotation("CLINIC")), count=3))
    assert status is SolveStatus.INFEASIBLE
    assert plan is None
    assert conflicts == ("Every PGY-1 resident needs at least 4 blocks of Icu a year",)


def test_yearly_maximum_against_capacity_minimum() -> None:
    icu = rotation("ICU", cap=(1, 1), yearly={1: (0, 1)})
    status, _, conflicts = solve(problem(residents(1, 1), (icu, rotation("CLINIC")), count=3))
    # Three blocks need one ICU resident each; two residents may do one block each.
    assert status is SolveStatus.INFEASIBLE
    assert "A PGY-1 resident does at most 1 block of Icu a year" in conflicts
    assert all(
        "needs at least 1 PGY-1..3 resident on Icu" in c or "at most" in c for c in conflicts
    )
    assert len(conflicts) == 4  # the yearly maximum and the three blocks' minimum


def test_capacity_by_pgy_group() -> None:
    seniors_icu = rotation("ICU", cap=(1, 1), pgy=(2, 3))
    clinic = rotation("CLINIC", pgy=(1, 3))
    status, plan, _ = solve(problem(residents(1, 2, 3), (seniors_icu, clinic), count=2))
    assert status is SolveStatus.OPTIMAL
    assert plan is not None
    for block in (1, 2):
        on_icu = [
            a.person_id
            for a in plan.assignments
            if a.block_number == block and a.rotation_code == "ICU"
        ]
        assert len(on_icu) == 1
        assert on_icu[0] in (2, 3)

    status, _, conflicts = solve(problem(residents(1, 1), (seniors_icu, clinic), count=2))
    assert status is SolveStatus.INFEASIBLE
    assert conflicts in (
        ("Block 1 needs at least 1 PGY-2..3 resident on Icu",),
        ("Block 2 needs at least 1 PGY-2..3 resident on Icu",),
    )


def test_capacity_maximum_is_enforced() -> None:
    wards = rotation("WARDS", cap=(0, 1))
    status, _, conflicts = solve(problem(residents(1, 1), (wards,), count=1))
    assert status is SolveStatus.INFEASIBLE
    assert conflicts == ("Block 1 takes at most 1 PGY-1..3 resident on Wards",)


def test_approved_leave_only_on_leave_eligible_rotations() -> None:
    people = residents(1, 1)
    wards = rotation("WARDS", cap=(1, 1))
    clinic = rotation("CLINIC", cap=(1, 1), leave=True)
    p = problem(people, (wards, clinic), count=2)
    p = dataclasses.replace(p, absences=(absence(1, p.blocks[1]),))
    status, plan, _ = solve(p)
    assert status is SolveStatus.OPTIMAL
    assert plan is not None
    assert plan.rotation_at(1, 2) == "CLINIC"

    both_away = dataclasses.replace(p, absences=(absence(1, p.blocks[1]), absence(2, p.blocks[1])))
    status, _, conflicts = solve(both_away)
    assert status is SolveStatus.INFEASIBLE
    assert any(
        "Dr R1 (r1) has approved vacation leave 29 Jul-04 Aug in block 2" in c for c in conflicts
    )
    assert any("Dr R2 (r2) has approved vacation leave" in c for c in conflicts)
    assert any(c == "Block 2 needs at least 1 PGY-1..3 resident on Wards" for c in conflicts)


def test_unapproved_absences_are_not_hard() -> None:
    from resched.core.model import AbsenceStatus

    p = problem(
        residents(1), (rotation("WARDS", cap=(1, 1)), rotation("CLINIC", leave=True)), count=1
    )
    requested = dataclasses.replace(absence(1, p.blocks[0]), status=AbsenceStatus.REQUESTED)
    status, plan, _ = solve(dataclasses.replace(p, absences=(requested,)))
    assert status is SolveStatus.OPTIMAL
    assert plan is not None
    assert plan.rotation_at(1, 1) == "WARDS"


def test_no_two_night_float_blocks_in_a_row() -> None:
    nf = rotation("NF", yearly={1: (2, 2)}, not_adjacent=("NF",))
    status, plan, _ = solve(problem(residents(1), (nf, rotation("CLINIC")), count=3))
    assert status is SolveStatus.OPTIMAL
    assert plan is not None
    assert [a.rotation_code for a in plan.for_person(1)] == ["NF", "CLINIC", "NF"]

    status, _, conflicts = solve(problem(residents(1), (nf, rotation("CLINIC")), count=2))
    assert status is SolveStatus.INFEASIBLE
    assert set(conflicts) == {
        "No two Nf blocks in a row",
        "Every PGY-1 resident needs at least 2 blocks of Nf a year",
    }


def test_forbidden_sequence_is_symmetric() -> None:
    """ICU lists NF, not the reverse: NF then ICU is forbidden all the same."""
    icu = rotation("ICU", not_adjacent=("NF",))
    nf = rotation("NF")
    locks = (BlockAssignment(1, 1, "NF", locked=True), BlockAssignment(1, 2, "ICU", locked=True))
    p = dataclasses.replace(problem(residents(1), (icu, nf), count=2), locked=locks)
    status, _, conflicts = solve(p)
    assert status is SolveStatus.INFEASIBLE
    assert set(conflicts) == {
        "Icu and Nf may not be in adjacent blocks, in either order",
        "Dr R1 (r1) is locked to Nf in block 1",
        "Dr R1 (r1) is locked to Icu in block 2",
    }


def test_locked_assignments_are_kept_and_marked() -> None:
    p = problem(
        residents(1, 1), (rotation("WARDS", cap=(1, 1)), rotation("CLINIC", cap=(1, 1))), count=3
    )
    locks = (
        BlockAssignment(2, 1, "WARDS", locked=True),
        BlockAssignment(2, 3, "WARDS", locked=True),
    )
    status, plan, _ = solve(dataclasses.replace(p, locked=locks))
    assert status is SolveStatus.OPTIMAL
    assert plan is not None
    assert plan.rotation_at(2, 1) == "WARDS"
    assert plan.rotation_at(2, 3) == "WARDS"
    assert plan.rotation_at(1, 1) == "CLINIC"
    assert {(a.person_id, a.block_number) for a in plan.assignments if a.locked} == {(2, 1), (2, 3)}


def test_lock_on_a_rotation_closed_to_the_level_is_named() -> None:
    icu = rotation("ICU", pgy=(2, 3))
    locks = (BlockAssignment(1, 1, "ICU", locked=True),)
    p = dataclasses.replace(problem(residents(1), (icu, rotation("CLINIC")), count=1), locked=locks)
    status, _, conflicts = solve(p)
    assert status is SolveStatus.INFEASIBLE
    assert set(conflicts) == {
        "Icu takes no PGY-1 residents (it has no places for that level)",
        "Dr R1 (r1) is locked to Icu in block 1",
    }


def test_half_blocks_split_where_both_rotations_allow_it() -> None:
    """Resident 1 is locked to Research for the first half of block 1 and on leave in the second
    half, which only Clinic allows: the block must be split."""
    research = rotation("RESEARCH", half=True)
    clinic = rotation("CLINIC", half=True, leave=True)
    base = problem(residents(1), (research, clinic), count=1)
    block = base.blocks[0]
    late_leave = dataclasses.replace(absence(1, block), start=block.end, end=block.end)
    p = dataclasses.replace(
        base, absences=(late_leave,), locked=(BlockAssignment(1, 1, "RESEARCH", half=1),)
    )
    status, plan, _ = solve(p)
    assert status is SolveStatus.OPTIMAL
    assert plan is not None
    assert sorted((a.half, a.rotation_code) for a in plan.assignments) == [
        (1, "RESEARCH"),
        (2, "CLINIC"),
    ]

    whole = dataclasses.replace(
        p,
        rotations=(
            research,
            dataclasses.replace(clinic, allows_half_block=False),
            rotation("WARDS", half=True),
        ),
    )
    status, _, conflicts = solve(whole)
    assert status is SolveStatus.INFEASIBLE
    assert any("locked to Research in block 1 (1st half)" in c for c in conflicts)


def test_prerequisite_comes_first_in_the_year() -> None:
    icu = rotation("ICU", yearly={1: (1, 1)}, needs=("WARDS",))
    wards = rotation("WARDS", yearly={1: (1, 1)})
    p = problem(residents(1, 1), (icu, wards, rotation("CLINIC")), count=3)
    status, plan, _ = solve(p)
    assert status is SolveStatus.OPTIMAL
    assert plan is not None
    for person in (1, 2):
        cells = [a.rotation_code for a in plan.for_person(person)]
        assert cells.index("WARDS") < cells.index("ICU")

    # ICU locked into the first block leaves no room for Wards before it.
    locked = dataclasses.replace(p, locked=(BlockAssignment(1, 1, "ICU", locked=True),))
    status, _, conflicts = solve(locked)
    assert status is SolveStatus.INFEASIBLE
    assert set(conflicts) == {
        "Icu needs a block of Wards before it",
        "Dr R1 (r1) is locked to Icu in block 1",
    }


def test_prerequisite_against_capacity_is_named() -> None:
    """Two blocks: both residents need Wards in block 1 to do ICU in block 2, and Wards takes
    one resident a block."""
    icu = rotation("ICU", yearly={1: (1, 1)}, needs=("WARDS",))
    wards = rotation("WARDS", cap=(0, 1))
    status, _, conflicts = solve(problem(residents(1, 1), (icu, wards), count=2))
    assert status is SolveStatus.INFEASIBLE
    assert "Icu needs a block of Wards before it" in conflicts
    assert "Block 1 takes at most 1 PGY-1..3 resident on Wards" in conflicts


def test_prerequisite_needs_a_whole_block_of_halves() -> None:
    """Half a block of Wards before ICU is not enough; two halves are."""
    icu = rotation("ICU", needs=("WARDS",))
    wards, clinic = rotation("WARDS", half=True), rotation("CLINIC", half=True)
    base = problem(residents(1), (icu, wards, clinic), count=3)
    half_then_icu = (
        BlockAssignment(1, 1, "WARDS", half=1, locked=True),
        BlockAssignment(1, 1, "CLINIC", half=2, locked=True),
        BlockAssignment(1, 2, "ICU", locked=True),
    )
    status, _, conflicts = solve(dataclasses.replace(base, locked=half_then_icu))
    assert status is SolveStatus.INFEASIBLE
    assert "Icu needs a block of Wards before it" in conflicts

    two_halves = (
        BlockAssignment(1, 1, "WARDS", half=2, locked=True),
        BlockAssignment(1, 2, "WARDS", half=1, locked=True),
        BlockAssignment(1, 3, "ICU", locked=True),
    )
    status, plan, _ = solve(dataclasses.replace(base, locked=two_halves))
    assert status is SolveStatus.OPTIMAL
    assert plan is not None
    assert plan.rotation_at(1, 3) == "ICU"
