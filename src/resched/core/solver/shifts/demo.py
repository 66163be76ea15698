"""The shift problem of the demo program (DEMO.md) for one block or any range of its year."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from resched.core.demo import DemoProgram
from resched.core.demo.catalog import (
    AMBULATORY,
    CARDIOLOGY,
    ELECTIVE,
    EMERGENCY,
    ICU,
    NIGHT_FLOAT,
    WARDS,
)
from resched.core.model import Assignment, BlockAssignment, RequestKind
from resched.core.solver.shifts.problem import Mode, ShiftProblem

_SHIFT_REQUESTS = frozenset({RequestKind.DAY_OFF, RequestKind.SHIFT_ON, RequestKind.SHIFT_OFF})


def demo_shift_problem(
    demo: DemoProgram,
    plan: tuple[BlockAssignment, ...],
    *,
    block: int | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    before: tuple[Assignment, ...] = (),
    year_to_date: Mapping[int, Mapping[str, int]] | None = None,
    mode: Mode = Mode.FRESH,
    published: tuple[Assignment, ...] = (),
    lookahead_days: int = 0,
) -> ShiftProblem:
    """``block`` (a block number) or ``start``..``end``; ``before`` is the published schedule
    ahead of it. Ward residents should get a free weekend day in every two weekends."""
    if block is not None:
        chosen = next(b for b in demo.year.blocks if b.number == block)
        start, end = chosen.start, chosen.end
    if start is None or end is None:
        raise ValueError("give a block or both start and end")
    return ShiftProblem(
        program=demo.program,
        start=start,
        end=end,
        people=demo.people,
        shift_types=demo.shift_types,
        rotations=demo.rotations,
        blocks=demo.year.blocks,
        plan=plan,
        coverage=demo.coverage,
        absences=demo.absences,
        requests=tuple(r for r in demo.requests if r.kind in _SHIFT_REQUESTS),
        holidays=demo.year.holidays,
        before=before,
        year_to_date=year_to_date or {},
        weekend_rotations=demo.program.generation.weekend_rotations,
        weights=dict(demo.program.generation.shift_weights),
        mode=mode,
        published=published,
        lookahead_days=lookahead_days,
        catch_up=demo.program.generation.catch_up,
    )


# Where residents beyond the rotations' minimum places go first: leave-eligible, light rotations.
_SPARE_ORDER = (ELECTIVE, AMBULATORY, CARDIOLOGY, EMERGENCY, WARDS, ICU, NIGHT_FLOAT)


def _places(demo: DemoProgram, levels: tuple[int, ...], count: int) -> list[str]:
    """Rotation codes for ``count`` residents of ``levels``: every minimum, then the spares."""
    caps = {
        r.code: next(c for c in r.capacities if c.pgy_min <= levels[0] <= c.pgy_max)
        for r in demo.rotations
    }
    places = [code for code, cap in caps.items() for _ in range(cap.min_count)]
    for code in _SPARE_ORDER:
        room = min(caps[code].max_count - caps[code].min_count, count - len(places))
        places += [code] * max(0, room)
    return places[::-1]  # leave-eligible rotations first, for the residents with leave


def dealt_plan(demo: DemoProgram, block: int, turn: int = 0) -> tuple[BlockAssignment, ...]:
    """A rotation plan for one block of the demo without the planner: residents dealt onto the
    rotations' places in id order, rotated by ``turn``, those with leave in the block first
    (onto leave-eligible places). It meets the per-block capacities, not the yearly
    requirements or sequences: for tests and benchmarks of the shift scheduler."""
    chosen = next(b for b in demo.year.blocks if b.number == block)
    away = {a.person_id for a in demo.absences if a.start <= chosen.end and a.end >= chosen.start}
    cells: list[BlockAssignment] = []
    for levels in ((1,), (2, 3)):
        group = [p for p in demo.residents if p.pgy in levels]
        cut = turn % len(group)
        group = sorted(group[cut:] + group[:cut], key=lambda p: p.id not in away)
        codes = _places(demo, levels, len(group))
        cells += [BlockAssignment(p.id, block, c) for p, c in zip(group, codes, strict=True)]
    return tuple(cells)
