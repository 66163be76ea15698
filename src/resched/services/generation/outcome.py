"""What a generation run returns and what a generated draft stores: the solver's status and
figures, the penalties that fired, the conflicts of an infeasible input and the validator's
findings. ``report_json``/``outcome_from_report`` are the one conversion to and from the JSON
column ``schedule_version.generation``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from resched.core.solver import Penalty, SolveStatus
from resched.core.solver.result import Statistic
from resched.services.generation.chains import StoredChain, chain_json, chain_of

if TYPE_CHECKING:  # the validator's engine is not needed to store or read a finding
    from resched.core.rules import Finding


class GenerationKind(StrEnum):
    PLAN = "plan"  # the annual rotation plan
    SHIFTS = "shifts"  # the call/shift schedule of a date range
    YEAR = "year"  # the shifts of every block of an academic year, one block after another


# Statuses that leave a schedule worth storing; cancelled ones are dropped even with one
# (a coordinator who pressed Cancel did not ask for a draft).
STORED_STATUSES = frozenset({SolveStatus.OPTIMAL, SolveStatus.FEASIBLE})


@dataclass(frozen=True, slots=True)
class StoredFinding:
    """A validator finding as a draft keeps it. Violations of the solver's own checks (the
    rotation-plan check, coverage) have no rule of ACGME.md; their ``rule`` is the check's."""

    severity: str
    rule: str
    message: str
    person_id: int | None = None
    start: dt.date | None = None
    end: dt.date | None = None

    @classmethod
    def violation(cls, text: str) -> StoredFinding:
        """From the solver's ``violations`` lines, ``"<rule>: <message>"``."""
        rule, sep, message = text.partition(": ")
        return cls("violation", rule if sep else "check", message if sep else text)

    @classmethod
    def of(cls, finding: Finding) -> StoredFinding:
        return cls(
            finding.severity.value,
            finding.rule,
            finding.message,
            finding.person_id,
            finding.start,
            finding.end,
        )


@dataclass(frozen=True, slots=True)
class BlockReport:
    """One block of a whole-year generation: how its solve ended. ``bound`` is the block's
    proven lower bound with the blocks before it fixed (year.py says what it bounds)."""

    number: int
    start: dt.date
    end: dt.date
    status: SolveStatus
    objective: float | None
    bound: float | None
    gap: float | None
    seconds: float
    # The block's fairness (core/solver/shifts/spreads.py): the widest spread within the block
    # per counter (calls, weekends, nights, holidays), and the shortest gap in nights between
    # two calls of one resident (None: no two calls). Empty/None for a block with no schedule.
    spreads: Mapping[str, int] = field(default_factory=dict)
    shortest_call_gap: int | None = None

    def json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "status": self.status.value,
            "objective": self.objective,
            "bound": self.bound,
            "gap": self.gap,
            "seconds": round(self.seconds, 3),
            "spreads": dict(self.spreads),
            "shortest_call_gap": self.shortest_call_gap,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> BlockReport:
        return cls(
            number=int(data["number"]),
            start=dt.date.fromisoformat(data["start"]),
            end=dt.date.fromisoformat(data["end"]),
            status=SolveStatus(data["status"]),
            objective=data.get("objective"),
            bound=data.get("bound"),
            gap=data.get("gap"),
            seconds=float(data.get("seconds", 0.0)),
            spreads={str(k): int(v) for k, v in (data.get("spreads") or {}).items()},
            shortest_call_gap=data.get("shortest_call_gap"),
        )


@dataclass(frozen=True, slots=True)
class GenerationOutcome:
    """The end of one generation. ``version_id`` is the new draft, None when nothing was stored
    (infeasible, timeout, cancelled): then ``conflicts`` or ``message`` say why."""

    kind: GenerationKind
    status: SolveStatus
    message: str
    version_id: int | None = None
    objective: float | None = None
    best_bound: float | None = None
    gap: float | None = None
    seconds: float = 0.0
    penalties: tuple[Penalty, ...] = ()
    conflicts: tuple[str, ...] = ()
    findings: tuple[StoredFinding, ...] = ()
    statistics: Mapping[str, Statistic] = field(default_factory=dict)
    parameters: Mapping[str, Any] = field(default_factory=dict)
    # A shift generation's fairness report (core/solver/shifts/spreads.py), as JSON; None for
    # a rotation plan, a run that stored nothing, or a draft generated before it existed.
    fairness: Mapping[str, Any] | None = None
    # Chained shifts (services/generation/chains.py); None: not reported (a plan, an old draft)
    chains: tuple[StoredChain, ...] | None = None
    blocks: tuple[BlockReport, ...] = ()  # a whole-year generation's blocks, in order

    @property
    def stored(self) -> bool:
        return self.version_id is not None

    @property
    def violations(self) -> int:
        return sum(1 for f in self.findings if f.severity == "violation")


def report_json(outcome: GenerationOutcome) -> dict[str, Any]:
    """The JSON a draft stores about its generation (dates as ISO strings)."""
    return {
        "kind": outcome.kind.value,
        "status": outcome.status.value,
        "message": outcome.message,
        "objective": outcome.objective,
        "best_bound": outcome.best_bound,
        "gap": outcome.gap,
        "seconds": round(outcome.seconds, 3),
        "penalties": [_penalty_json(p) for p in outcome.penalties],
        "conflicts": list(outcome.conflicts),
        "findings": [_finding_json(f) for f in outcome.findings],
        "statistics": dict(outcome.statistics),
        "parameters": dict(outcome.parameters),
        "fairness": None if outcome.fairness is None else dict(outcome.fairness),
        "chains": None if outcome.chains is None else [chain_json(c) for c in outcome.chains],
        "blocks": [b.json() for b in outcome.blocks],
    }


def outcome_from_report(version_id: int | None, report: Mapping[str, Any]) -> GenerationOutcome:
    return GenerationOutcome(
        kind=GenerationKind(report["kind"]),
        status=SolveStatus(report["status"]),
        message=report.get("message", ""),
        version_id=version_id,
        objective=report.get("objective"),
        best_bound=report.get("best_bound"),
        gap=report.get("gap"),
        seconds=float(report.get("seconds", 0.0)),
        penalties=tuple(_penalty(p) for p in report.get("penalties", ())),
        conflicts=tuple(report.get("conflicts", ())),
        findings=tuple(_finding(f) for f in report.get("findings", ())),
        statistics=dict(report.get("statistics", {})),
        parameters=dict(report.get("parameters", {})),
        fairness=report.get("fairness"),
        chains=_chains(report.get("chains")),
        blocks=tuple(BlockReport.from_json(b) for b in report.get("blocks", ())),
    )


def _chains(data: list[Mapping[str, Any]] | None) -> tuple[StoredChain, ...] | None:
    return None if data is None else tuple(chain_of(c) for c in data)


def _iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


def _day(text: str | None) -> dt.date | None:
    return None if text is None else dt.date.fromisoformat(text)


def _penalty_json(p: Penalty) -> dict[str, Any]:
    return {
        "name": p.name,
        "weight": p.weight,
        "amount": p.amount,
        "explanation": p.explanation,
        "person_id": p.person_id,
        "block": p.block,
        "date": _iso(p.date),
    }


def _penalty(data: Mapping[str, Any]) -> Penalty:
    return Penalty(
        name=data["name"],
        weight=data["weight"],
        amount=data["amount"],
        explanation=data["explanation"],
        person_id=data.get("person_id"),
        block=data.get("block"),
        date=_day(data.get("date")),
    )


def _finding_json(f: StoredFinding) -> dict[str, Any]:
    return {
        "severity": f.severity,
        "rule": f.rule,
        "message": f.message,
        "person_id": f.person_id,
        "start": _iso(f.start),
        "end": _iso(f.end),
    }


def _finding(data: Mapping[str, Any]) -> StoredFinding:
    return StoredFinding(
        severity=data["severity"],
        rule=data["rule"],
        message=data["message"],
        person_id=data.get("person_id"),
        start=_day(data.get("start")),
        end=_day(data.get("end")),
    )
