"""Lower bounds proven on small pieces of the model, added back as redundant constraints.

The linear relaxation CP-SAT bounds the objective with misses what only whole assignments show.
In the demo's first block, three Emergency residents cover a day and a night shift every day
and each should have one continuity clinic in the part week of 1-3 July; no ten hours of rest
fit a clinic between nights for all three, so one of them goes without (5 points). The LP
spreads fractions of nights and clinics and sees 0; the whole block's proof then had to find
this by search, and took about 35 s.

Here each rotation's residents in each calendar week of the range make one piece: the slots of
those residents on those days, with every constraint that touches only them (coverage of a
demand only they are eligible for, rest, quotas, patterns...). Constraints reaching outside the
piece are dropped, so the piece's smallest cost is a lower bound of what its penalties cost in
any schedule of the whole model. A piece is searched exactly on one worker under a small
deterministic limit (milliseconds for the demo's pieces), and where its bound is above zero the
model gets ``sum of the piece's penalties >= bound``. The optimum is unchanged; the relaxation
the search starts from is not.

A second family of pieces follows supervision, which ties rotations together: in each week,
every faculty slot, every resident's slot of a supervised shift (a clinic session) and every
slot of the residents whose rotation's pattern is made of supervised shifts (the ambulatory
clinic). Faculty on a session must number at least the residents' load over the ratio, a
ceiling the LP takes as a fraction: it fills sessions with fractions of the residents whose
weekly clinic can be any session and pays fractions of preceptors. In the demo's first block
these pieces (17 points a full week) lift the relaxation from 129.5 to 131.75 of the optimum
132. Such a piece takes the penalties dated in its week that rest on its variables alone (the
preceptors' extra shifts, the ambulatory residents' days off, a weekly clinic missed).
"""

from __future__ import annotations

import datetime as dt
import math
import time
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from ortools.sat.python import cp_model, cp_model_helper

from resched.core.calendar import monday_of
from resched.core.model import Role
from resched.core.solver.shifts.context import ModelContext, Term
from resched.core.solver.shifts.slots import Slot
from resched.core.solver.types import CancelToken

# Deterministic work a piece may take (CP-SAT's units, about a second each on this machine):
# the demo's pieces are proven in a few thousandths; a piece that is hard on its own keeps the
# bound its search reached (the demo's part weeks of supervised shifts: the same bound at 0.05
# as at 0.2, in a quarter of the time).
PIECE_WORK = 0.05
# All pieces together, shared evenly when PIECE_WORK each would exceed it: a large program
# has many, and the bound is a help, not the search.
TOTAL_WORK = 4.0

PieceKey = tuple[str, dt.date]  # (a rotation's code or SUPERVISION, Monday of the week)
SUPERVISION = "supervised shifts"  # the group of the pieces that follow supervision


@dataclass(slots=True)
class _Piece:
    constraints: list[int] = field(default_factory=list)  # indices in the model's proto
    terms: list[Term] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Cut:
    """``sum of terms >= bound``: what a piece (a rotation's residents in a week, or the
    supervised shifts of a week) costs at least."""

    group: str  # the rotation's code, or SUPERVISION
    monday: dt.date
    terms: tuple[Term, ...]
    bound: int


@dataclass(frozen=True, slots=True)
class LocalBounds:
    """What ``add_local_bounds`` did: the pieces searched and the constraints added; the sum of
    their bounds is a lower bound of the whole objective, as no two pieces share a penalty."""

    pieces: int
    cuts: tuple[Cut, ...]
    work: float  # deterministic
    seconds: float

    @property
    def total(self) -> int:
        return sum(c.bound for c in self.cuts)

    def statistics(self) -> dict[str, int | float]:
        return {
            "local_bound_pieces": self.pieces,
            "local_bound_added": len(self.cuts),
            "local_bound_total": self.total,
            "local_bound_work": round(self.work, 4),
            "local_bound_s": round(self.seconds, 4),
        }


@dataclass(frozen=True, slots=True)
class _Family:
    """One way of cutting the model into pieces: the piece of each slot (None: in none), and
    of each penalty; ``by_variables``: a penalty given a piece joins it only if the piece's
    constraints hold all its variables."""

    slot_key: Callable[[Slot], PieceKey | None]
    term_key: Callable[[Term], PieceKey | None]
    by_variables: bool


def _rotation_weeks(ctx: ModelContext) -> _Family:
    """Each rotation's residents in each week of the range."""
    found: dict[tuple[int, dt.date], PieceKey] = {}
    for person in ctx.problem.people:
        if person.role is not Role.RESIDENT:
            continue
        for day in ctx.horizon.range_days():
            rotation = ctx.rotation(person.id, day)
            if rotation is not None:
                found[(person.id, day)] = (rotation, monday_of(day))

    def term_key(term: Term) -> PieceKey | None:
        if term.person_id is None or term.date is None:
            return None
        return found.get((term.person_id, term.date))

    return _Family(
        slot_key=lambda slot: found.get((slot.person.id, slot.day)),
        term_key=term_key,
        by_variables=False,
    )


def _supervision_weeks(ctx: ModelContext) -> _Family | None:
    """The supervised shifts of each week of the range, with everything faculty work and the
    residents whose rotation's pattern is supervised shifts (see the module's docstring)."""
    supervised = frozenset(t.code for t in ctx.problem.shift_types if t.requires_supervision)
    if not supervised:
        return None
    clinic_rotations = frozenset(
        r.code
        for r in ctx.problem.rotations
        if any(code in supervised for codes in r.weekly_pattern.values() for code in codes)
    )
    problem = ctx.problem

    def slot_key(slot: Slot) -> PieceKey | None:
        if not problem.start <= slot.day <= problem.end:
            return None
        inside = (
            slot.person.role is not Role.RESIDENT
            or slot.shift.code in supervised
            or ctx.rotation(slot.person.id, slot.day) in clinic_rotations
        )
        return (SUPERVISION, monday_of(slot.day)) if inside else None

    def term_key(term: Term) -> PieceKey | None:
        if term.date is None or not problem.start <= term.date <= problem.end:
            return None
        return (SUPERVISION, monday_of(term.date))

    return _Family(slot_key=slot_key, term_key=term_key, by_variables=True)


def _literal_lists(constraint: Any) -> list[Any] | None:
    """The repeated fields holding a constraint's variables (a negative entry is a negated
    literal), for the kinds the shift model uses; None for any other kind, which then stays out
    of every piece (leaving a constraint out is always safe). Spelled out, not looked up by
    name: this runs once per constraint, 87,000 times for 150 residents."""
    if constraint.has_linear():
        found = constraint.linear.vars
    elif constraint.has_bool_or():
        found = constraint.bool_or.literals
    elif constraint.has_bool_and():
        found = constraint.bool_and.literals
    elif constraint.has_at_most_one():
        found = constraint.at_most_one.literals
    elif constraint.has_exactly_one():
        found = constraint.exactly_one.literals
    else:
        return None
    return [constraint.enforcement_literal, found]


def _variables(constraint: Any) -> list[int]:
    lists = _literal_lists(constraint) or []
    return [-1 - lit if lit < 0 else lit for items in lists for lit in items]


def _pieces(ctx: ModelContext, family: _Family, scanned: list[list[int]]) -> dict[PieceKey, _Piece]:
    """The family's pieces; ``scanned``: each constraint's variables, by index."""
    of_variable: dict[int, PieceKey | None] = {}
    for slot in ctx.vars.decided:
        of_variable[slot.literal.index] = family.slot_key(slot)
    pieces: dict[PieceKey, _Piece] = defaultdict(_Piece)
    reaches: dict[int, set[PieceKey]] = defaultdict(set)  # pieces each variable is in
    unowned: list[tuple[int, list[int]]] = []  # constraints over no slot at all
    for index, variables in enumerate(scanned):
        owners = {of_variable[v] for v in variables if v in of_variable}
        if not owners:
            unowned.append((index, variables))
        elif len(owners) == 1 and (owner := owners.pop()) is not None:
            pieces[owner].constraints.append(index)
            for v in variables:
                reaches[v].add(owner)
    # A constraint over auxiliary variables alone (a free-day count over indicators tied to
    # the slots) joins a piece that holds all its variables.
    for index, variables in unowned:
        if variables:
            for owner in set.intersection(*(reaches.get(v, set()) for v in variables)):
                pieces[owner].constraints.append(index)
                for v in variables:
                    reaches[v].add(owner)
    for term in ctx.terms:
        key = family.term_key(term)
        if key is None or key not in pieces:
            continue
        if family.by_variables and not all(
            key in reaches.get(v, ()) for v in _term_variables(term)
        ):
            continue
        pieces[key].terms.append(term)
    return {k: p for k, p in pieces.items() if p.terms}


def _term_variables(term: Term) -> list[int]:
    if isinstance(term.expr, int):
        return []
    return [var.index for var in cp_model_helper.FlatIntExpr(term.expr).vars]


def _objective(terms: list[Term]) -> tuple[dict[int, int], int]:
    coefficients: dict[int, int] = defaultdict(int)
    offset = 0
    for term in terms:
        if isinstance(term.expr, int):  # a goal settled before the search (a published day)
            offset += term.weight * term.expr
            continue
        flat = cp_model_helper.FlatIntExpr(term.expr)
        for var, coefficient in zip(flat.vars, flat.coeffs, strict=True):
            coefficients[var.index] += term.weight * coefficient
        offset += term.weight * flat.offset
    return coefficients, offset


def _remap(constraint: Any, new: dict[int, int]) -> None:
    """Renumbers a copied constraint's variables (a negated literal stays negated)."""
    for items in _literal_lists(constraint) or []:
        for i, lit in enumerate(items):
            items[i] = new[lit] if lit >= 0 else -1 - new[-1 - lit]


def _sub_model(model: cp_model.CpModel, piece: _Piece) -> cp_model.CpModel:
    """The piece alone: its constraints over its own variables, its penalties as objective."""
    source = model.proto
    coefficients, offset = _objective(piece.terms)
    used = sorted(
        {v for i in piece.constraints for v in _variables(source.constraints[i])}
        | set(coefficients)
    )
    new = {old: i for i, old in enumerate(used)}
    sub = cp_model.CpModel()
    for old in used:
        domain = source.variables[old].domain
        sub.proto.variables.add().domain.extend(domain)
    for index in piece.constraints:
        copy = sub.proto.constraints.add()
        copy.copy_from(source.constraints[index])
        _remap(copy, new)
    objective = sub.proto.objective
    for var, coefficient in coefficients.items():
        if coefficient:
            objective.vars.append(new[var])
            objective.coeffs.append(coefficient)
    objective.offset = offset
    return sub


def _bound(
    model: cp_model.CpModel, piece: _Piece, work: float, seed: int
) -> tuple[int | None, float]:
    """The piece's smallest cost (a proven bound of it; None when it has none to give) and the
    deterministic work its search took."""
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_deterministic_time = work
    solver.parameters.random_seed = seed
    status = solver.solve(_sub_model(model, piece))
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        # Infeasible alone: the whole model's own search and diagnosis say why.
        return None, solver.deterministic_time
    return math.ceil(solver.best_objective_bound - 1e-6), solver.deterministic_time


def add_local_bounds(
    ctx: ModelContext, seed: int = 0, cancel: CancelToken | None = None, workers: int = 1
) -> LocalBounds:
    """Adds ``sum of a piece's penalties >= its bound`` for each piece with a bound above
    zero (see the module's docstring), searching ``workers`` pieces at a time; a piece not
    begun once ``cancel`` is set is skipped."""
    started = time.monotonic()
    families = [f for f in (_rotation_weeks(ctx), _supervision_weeks(ctx)) if f is not None]
    scanned = [_variables(constraint) for constraint in ctx.model.proto.constraints]
    pieces = {k: p for family in families for k, p in _pieces(ctx, family, scanned).items()}
    keys = sorted(pieces)
    # Each piece the same allowance, so which pieces are bounded, and how far, does not depend
    # on the order threads finish in: the same model and seed give the same cuts.
    allowance = min(PIECE_WORK, TOTAL_WORK / max(1, len(keys)))

    def search(key: PieceKey) -> tuple[int | None, float]:
        if cancel is not None and cancel.cancelled:
            return None, 0.0
        return _bound(ctx.model, pieces[key], allowance, seed)

    # CP-SAT lets go of the interpreter while it searches, so pieces run side by side on the
    # cores the search will use next; the model is only read until every piece is done.
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        found = list(pool.map(search, keys))
    cuts: list[Cut] = []
    for key, (bound, _work) in zip(keys, found, strict=True):
        if bound is not None and bound > 0:
            piece = pieces[key]
            ctx.model.add(sum(t.weight * t.expr for t in piece.terms) >= bound)
            cuts.append(Cut(key[0], key[1], tuple(piece.terms), bound))
    spent = sum(work for _bound, work in found)
    return LocalBounds(len(pieces), tuple(cuts), spent, time.monotonic() - started)
