"""What a generation is asked to do, checked before anything runs.

Each edge (the Generate form, the CLI's options, the API's body) builds one
``GenerationRequest`` from what a coordinator typed (a year label or start year, a block number
or two dates); ``make_spec`` turns it into a spec, answering bad input at once (NotFound,
Invalid with the field) rather than from a run that fails later. A spec holds plain values
only, so a job can carry it as JSON (``spec_json``/``spec_from_json``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from resched.core.errors import Invalid, NotFound
from resched.core.model import AcademicYear, Block
from resched.core.solver import SolveConfig
from resched.core.solver.shifts import Mode
from resched.db.repositories import AcademicYearRepository, ProgramRepository
from resched.services.common import SessionFactory, read
from resched.services.generation.basis import LeaveBasis
from resched.services.generation.outcome import GenerationKind
from resched.services.years import choose_year, program_today

MAX_RANGE_DAYS = 366
MAX_TIME_LIMIT_S = 3600.0
# A range must end so the next one can continue legally: night float leaves exactly one free
# day in seven, so the rolling 28-day windows that straddle the boundary need the whole next
# window in view (with 7 days, 3-4 demo blocks were proven infeasible; with 27, none).
DEFAULT_LOOKAHEAD_DAYS = 27
WORK_PARAMETER = "max_deterministic_time"  # CP-SAT's name for Limits.work_limit


@dataclass(frozen=True, slots=True)
class PlanSpec:
    year_id: int
    year_label: str
    config: SolveConfig
    heavy_rotations: frozenset[str] = frozenset()

    kind = GenerationKind.PLAN

    def describe(self) -> str:
        return f"Rotation plan {self.year_label}"


@dataclass(frozen=True, slots=True)
class ShiftSpec:
    year_id: int
    year_label: str
    start: dt.date
    end: dt.date
    config: SolveConfig
    mode: Mode = Mode.FRESH
    block: int | None = None
    weekend_rotations: frozenset[str] = frozenset()
    lookahead_days: int = DEFAULT_LOOKAHEAD_DAYS
    leave: LeaveBasis | None = None

    kind = GenerationKind.SHIFTS

    def describe(self) -> str:
        where = f"block {self.block}" if self.block is not None else "range"
        return f"Shifts {self.start.isoformat()}..{self.end.isoformat()} ({where}, {self.mode})"


@dataclass(frozen=True, slots=True)
class YearSpec:
    """The shifts of every block of an academic year, generated block after block (year.py):
    ``start``..``end`` is the year; ``config.time_limit_s`` is the budget of the whole run."""

    year_id: int
    year_label: str
    start: dt.date
    end: dt.date
    config: SolveConfig
    blocks: int
    weekend_rotations: frozenset[str] = frozenset()
    lookahead_days: int = DEFAULT_LOOKAHEAD_DAYS

    kind = GenerationKind.YEAR

    def describe(self) -> str:
        return f"Shifts of the whole year {self.year_label} ({self.blocks} blocks)"

    def block_spec(self, block: Block, config: SolveConfig | None = None) -> ShiftSpec:
        """One block of the year as a fresh block generation sees it (``config``: its own
        search settings, by default the year's)."""
        return ShiftSpec(
            self.year_id,
            self.year_label,
            block.start,
            block.end,
            self.config if config is None else config,
            Mode.FRESH,
            block.number,
            self.weekend_rotations,
            self.lookahead_days,
        )


type GenerationSpec = PlanSpec | ShiftSpec | YearSpec


@dataclass(frozen=True, slots=True)
class Limits:
    """The solver settings a coordinator may choose. ``work_limit``: CP-SAT's deterministic
    time, a count of search work that is the same on a busy machine as on an idle one, so the
    search goes as far whatever the load (tests, repeatable runs); the time limit still holds."""

    time_limit_s: float = 30.0
    seed: int = 0
    num_workers: int = 0
    weights: Mapping[str, int] = field(default_factory=dict)
    work_limit: float | None = None

    @classmethod
    def of(cls, config: SolveConfig) -> Limits:
        """The limits a config was made from (to check a stored spec again)."""
        work = config.parameters.get(WORK_PARAMETER)
        work_limit = float(work) if isinstance(work, int | float) else None
        return cls(
            config.time_limit_s, config.seed, config.num_workers, dict(config.weights), work_limit
        )

    def config(self) -> SolveConfig:
        if not 0 < self.time_limit_s <= MAX_TIME_LIMIT_S:
            raise Invalid(
                f"the time limit is more than 0 and at most {MAX_TIME_LIMIT_S:g} seconds",
                details={"field": "time_limit_s"},
            )
        if self.seed < 0:
            raise Invalid("the seed must not be negative", details={"field": "seed"})
        if self.work_limit is not None and self.work_limit <= 0:
            raise Invalid("the work limit must be positive", details={"field": "work_limit"})
        work = {} if self.work_limit is None else {WORK_PARAMETER: self.work_limit}
        return SolveConfig(
            time_limit_s=self.time_limit_s,
            seed=self.seed,
            num_workers=self.num_workers,
            weights=dict(self.weights),
            # The explanation of an infeasible input gets at most the solve's own time.
            explain_time_limit_s=min(10.0, self.time_limit_s),
            # CP-SAT's own SIGINT handler aborts the process when Ctrl-C arrives while it
            # solves on a thread other than the main one; the CancelToken does the stopping.
            parameters={"catch_sigint_signal": False, **work},
        )


@dataclass(frozen=True, slots=True)
class GenerationRequest:
    """A generation as asked for, before it is checked. ``year``: a label or starting calendar
    year (None: the current academic year). Shifts: a ``block`` of that year, or ``start`` to
    ``end`` inside one academic year, in ``mode``. The range, mode and weekend rotations are
    ignored for a rotation plan, the heavy rotations for shifts."""

    kind: GenerationKind
    limits: Limits = field(default_factory=Limits)
    year: str | None = None
    block: int | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    mode: Mode = Mode.FRESH
    heavy_rotations: frozenset[str] = frozenset()
    weekend_rotations: frozenset[str] = frozenset()
    leave: LeaveBasis | None = None


def make_spec(*, factory: SessionFactory, request: GenerationRequest) -> GenerationSpec:
    """The checked spec of ``request``: NotFound for an unknown year or block, Invalid (with the
    field) for bad limits or a bad range."""
    if request.kind is GenerationKind.PLAN:
        return _plan_spec(factory, request)
    if request.kind is GenerationKind.YEAR:
        return _year_spec(factory, request)
    return _shift_spec(factory, request)


def request_of(spec: GenerationSpec) -> GenerationRequest:
    """The request ``spec`` answers: checking it again (a job's parameters, against the database
    as it is now) gives the same spec."""
    limits = Limits.of(spec.config)
    if isinstance(spec, PlanSpec):
        return GenerationRequest(
            spec.kind, limits, spec.year_label, heavy_rotations=spec.heavy_rotations
        )
    if isinstance(spec, YearSpec):
        return GenerationRequest(
            spec.kind, limits, spec.year_label, weekend_rotations=spec.weekend_rotations
        )
    whole_block = spec.block is not None
    return GenerationRequest(
        spec.kind,
        limits,
        spec.year_label,
        block=spec.block,
        start=None if whole_block else spec.start,
        end=None if whole_block else spec.end,
        mode=spec.mode,
        weekend_rotations=spec.weekend_rotations,
        leave=spec.leave,
    )


def _plan_spec(factory: SessionFactory, request: GenerationRequest) -> PlanSpec:
    chosen = _find_year(factory, request.year)
    assert chosen.id is not None
    config = request.limits.config()
    return PlanSpec(chosen.id, chosen.label, config, request.heavy_rotations)


def _year_spec(factory: SessionFactory, request: GenerationRequest) -> YearSpec:
    if request.block is not None or request.start is not None or request.end is not None:
        raise Invalid(
            "the whole year takes no block or dates: it generates every block of the year",
            details={"field": "block" if request.block is not None else "start"},
        )
    if request.mode is not Mode.FRESH:
        raise Invalid("the whole year is generated fresh", details={"field": "mode"})
    chosen = _find_year(factory, request.year)
    assert chosen.id is not None
    if not chosen.blocks:
        raise Invalid(f"{chosen.label} has no blocks", details={"field": "year"})
    return YearSpec(
        chosen.id,
        chosen.label,
        chosen.start,
        chosen.end,
        request.limits.config(),
        len(chosen.blocks),
        request.weekend_rotations,
    )


def _shift_spec(factory: SessionFactory, request: GenerationRequest) -> ShiftSpec:
    config = request.limits.config()
    block, start, end = request.block, request.start, request.end
    if block is not None:
        if start is not None or end is not None:
            raise Invalid("give a block or a date range, not both", details={"field": "block"})
        chosen = _find_year(factory, request.year)
        found = next((b for b in chosen.blocks if b.number == block), None)
        if found is None:
            numbers = ", ".join(str(b.number) for b in chosen.blocks)
            raise NotFound(
                f"{chosen.label} has no block {block} (its blocks: {numbers})",
                details={"field": "block"},
            )
        start, end = found.start, found.end
    elif start is None or end is None:
        raise Invalid("give a block, or both a start and an end date", details={"field": "start"})
    else:
        chosen = _year_holding(factory, start, end)
    assert chosen.id is not None
    return ShiftSpec(
        chosen.id,
        chosen.label,
        start,
        end,
        config,
        request.mode,
        block,
        request.weekend_rotations,
        leave=request.leave,
    )


def _years(factory: SessionFactory) -> tuple[list[AcademicYear], dt.date]:
    with read(factory) as session:
        program = ProgramRepository(session).get()
        years = AcademicYearRepository(session).all()
    today = program_today(program.timezone if program else "UTC")
    return years, today


def _find_year(factory: SessionFactory, wanted: str | None) -> AcademicYear:
    """By label ("2026-27") or starting calendar year ("2026"); None: the current year."""
    years, today = _years(factory)
    if wanted is None or not wanted.strip():
        chosen = choose_year(years, today)
    else:
        text = wanted.strip()
        # "2026" names the year starting then; not "²", which isdigit() takes and int() refuses.
        year_number = int(text) if text.isascii() and text.isdigit() and len(text) <= 4 else None
        chosen = next((y for y in years if y.label == text), None) or next(
            (y for y in years if y.start.year == year_number), None
        )
    if chosen is None:
        held = ", ".join(y.label for y in years) or "none is set up"
        raise NotFound(
            f"there is no academic year {wanted or '(current)'} (years: {held})",
            details={"field": "year"},
        )
    return chosen


def _year_holding(factory: SessionFactory, start: dt.date, end: dt.date) -> AcademicYear:
    if end < start:
        raise Invalid(
            f"the end {end.isoformat()} is before the start {start.isoformat()}",
            details={"field": "end"},
        )
    if (end - start).days + 1 > MAX_RANGE_DAYS:
        raise Invalid(f"a range is at most {MAX_RANGE_DAYS} days", details={"field": "end"})
    years, _ = _years(factory)
    for year in years:
        if year.start <= start and end <= year.end:
            return year
    raise Invalid(
        f"{start.isoformat()}..{end.isoformat()} is not inside one academic year",
        details={"field": "start"},
    )


def spec_json(spec: GenerationSpec) -> dict[str, Any]:
    """The parameters a draft records, and a job carries."""
    config = spec.config
    data: dict[str, Any] = {
        "kind": spec.kind.value,
        "year_id": spec.year_id,
        "year": spec.year_label,
        "time_limit_s": config.time_limit_s,
        "seed": config.seed,
        "num_workers": config.num_workers,
        "weights": dict(config.weights),
    }
    if WORK_PARAMETER in config.parameters:
        data["work_limit"] = config.parameters[WORK_PARAMETER]
    if isinstance(spec, PlanSpec):
        data["heavy_rotations"] = sorted(spec.heavy_rotations)
        return data
    if isinstance(spec, YearSpec):
        return data | {
            "start": spec.start.isoformat(),
            "end": spec.end.isoformat(),
            "blocks": spec.blocks,
            "weekend_rotations": sorted(spec.weekend_rotations),
            "lookahead_days": spec.lookahead_days,
        }
    data |= {
        "start": spec.start.isoformat(),
        "end": spec.end.isoformat(),
        "mode": spec.mode.value,
        "block": spec.block,
        "weekend_rotations": sorted(spec.weekend_rotations),
        "lookahead_days": spec.lookahead_days,
    }
    if spec.leave is not None:
        data["leave"] = spec.leave.json()
    return data


def spec_from_json(data: Mapping[str, Any]) -> GenerationSpec:
    limits = Limits(
        time_limit_s=float(data["time_limit_s"]),
        seed=int(data["seed"]),
        num_workers=int(data.get("num_workers", 0)),
        weights=dict(data.get("weights", {})),
        work_limit=None if data.get("work_limit") is None else float(data["work_limit"]),
    )
    year_id, label = int(data["year_id"]), str(data["year"])
    kind = GenerationKind(data["kind"])
    if kind is GenerationKind.PLAN:
        return PlanSpec(year_id, label, limits.config(), frozenset(data.get("heavy_rotations", ())))
    if kind is GenerationKind.YEAR:
        return YearSpec(
            year_id,
            label,
            dt.date.fromisoformat(data["start"]),
            dt.date.fromisoformat(data["end"]),
            limits.config(),
            int(data["blocks"]),
            frozenset(data.get("weekend_rotations", ())),
            int(data.get("lookahead_days", DEFAULT_LOOKAHEAD_DAYS)),
        )
    return ShiftSpec(
        year_id,
        label,
        dt.date.fromisoformat(data["start"]),
        dt.date.fromisoformat(data["end"]),
        limits.config(),
        Mode(data["mode"]),
        data.get("block"),
        frozenset(data.get("weekend_rotations", ())),
        int(data.get("lookahead_days", DEFAULT_LOOKAHEAD_DAYS)),
        LeaveBasis.from_json(data.get("leave")),
    )
