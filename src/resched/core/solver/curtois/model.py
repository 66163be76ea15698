"""The CP-SAT model of a Curtois & Qu instance: one Boolean per employee, day and workable
shift, the hard rules as constraints and the requests and cover rows as the objective."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from resched.core.bench.curtois.instance import Instance, Staff
from resched.core.solver.blocks.groups import add_at_most_worked
from resched.core.solver.blocks.runs import add_max_run, add_min_run
from resched.core.solver.blocks.soft import add_excess, add_shortfall
from resched.core.solver.blocks.successions import add_forbidden_successions

Key = tuple[str, int, str]  # employee, day, shift


@dataclass(slots=True)
class CurtoisModel:
    model: cp_model.CpModel
    works: dict[Key, cp_model.IntVar]  # only workable cells: the shift allowed, no day off
    objective: list[tuple[cp_model.LinearExprT, int]] = field(default_factory=list)
    constant: int = 0  # on-requests that cannot be granted at all


def build_model(instance: Instance) -> CurtoisModel:
    built = CurtoisModel(cp_model.CpModel(), {})
    forbidden = {s.id: s.forbidden_next for s in instance.shifts}
    for staff in instance.staff:
        cells = _cells(built, instance, staff)
        days = [_day_worked(built.model, staff, d, cells[d]) for d in range(instance.days)]
        for d in range(instance.days - 1):
            add_forbidden_successions(built.model, cells[d], cells[d + 1], forbidden)
        _totals(built.model, instance, staff, cells)
        add_max_run(built.model, days, staff.max_consecutive, rest=staff.min_consecutive_off)
        add_min_run(built.model, days, staff.min_consecutive)
        add_min_run(built.model, [d.Not() for d in days], staff.min_consecutive_off)
        groups = [[days[d] for d in weekend] for weekend in instance.weekends()]
        add_at_most_worked(built.model, groups, staff.max_weekends, f"weekend[{staff.id}]")
    _requests(built, instance)
    _cover(built, instance)
    built.model.minimize(
        cp_model.LinearExpr.weighted_sum(
            [term for term, _ in built.objective], [w for _, w in built.objective]
        )
        + built.constant
    )
    return built


def _cells(
    built: CurtoisModel, instance: Instance, staff: Staff
) -> list[dict[str, cp_model.IntVar]]:
    off = instance.days_off.get(staff.id, frozenset())
    cells: list[dict[str, cp_model.IntVar]] = []
    for d in range(instance.days):
        day: dict[str, cp_model.IntVar] = {}
        if d not in off:
            for shift in instance.shifts:
                if staff.max_shifts.get(shift.id, 0) > 0:
                    day[shift.id] = built.model.new_bool_var(f"x[{staff.id},{d},{shift.id}]")
                    built.works[(staff.id, d, shift.id)] = day[shift.id]
        cells.append(day)
    return cells


def _day_worked(
    model: cp_model.CpModel, staff: Staff, day: int, cells: dict[str, cp_model.IntVar]
) -> cp_model.IntVar:
    """A Boolean "works on ``day``", equal to the sum of its shifts (so at most one shift)."""
    worked = model.new_bool_var(f"work[{staff.id},{day}]")
    model.add(worked == cp_model.LinearExpr.sum(list(cells.values())))
    return worked


def _totals(
    model: cp_model.CpModel,
    instance: Instance,
    staff: Staff,
    cells: list[dict[str, cp_model.IntVar]],
) -> None:
    """Per-shift maxima and total minutes within [min, max]."""
    by_shift: dict[str, list[cp_model.IntVar]] = defaultdict(list)
    for day in cells:
        for sid, lit in day.items():
            by_shift[sid].append(lit)
    minutes: list[cp_model.LinearExprT] = []
    for sid, lits in by_shift.items():
        if staff.max_shifts[sid] < len(lits):
            model.add(cp_model.LinearExpr.sum(lits) <= staff.max_shifts[sid])
        minutes.append(instance.shift(sid).minutes * cp_model.LinearExpr.sum(lits))
    total = cp_model.LinearExpr.sum(minutes)
    model.add_linear_constraint(total, staff.min_minutes, staff.max_minutes)


def _requests(built: CurtoisModel, instance: Instance) -> None:
    for request in instance.on_requests:
        lit = built.works.get((request.staff, request.day, request.shift))
        built.constant += request.weight  # paid unless granted
        if lit is not None:
            built.objective.append((lit, -request.weight))
    for request in instance.off_requests:
        lit = built.works.get((request.staff, request.day, request.shift))
        if lit is not None:
            built.objective.append((lit, request.weight))


def _cover(built: CurtoisModel, instance: Instance) -> None:
    on: dict[tuple[int, str], list[cp_model.IntVar]] = defaultdict(list)
    for (_, day, sid), lit in built.works.items():
        on[(day, sid)].append(lit)
    for row in instance.cover:
        lits = on.get((row.day, row.shift), [])
        count = cp_model.LinearExpr.sum(lits)
        name = f"{row.day},{row.shift}"
        if row.under_weight and row.requirement > 0:
            short = add_shortfall(built.model, count, row.requirement, f"under[{name}]")
            built.objective.append((short, row.under_weight))
        if row.over_weight and len(lits) > row.requirement:
            over = add_excess(built.model, count, row.requirement, len(lits), f"over[{name}]")
            built.objective.append((over, row.over_weight))
