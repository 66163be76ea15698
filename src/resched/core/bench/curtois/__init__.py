"""The Curtois & Qu shift scheduling benchmark: the instance format, its rules and a scorer.

The CP-SAT model of an instance lives in ``core.solver.curtois`` (built from the solver's
shared blocks); this package stays free of ortools so that a roster can be scored without it.
"""

from resched.core.bench.curtois.instance import (
    CoverRow,
    Instance,
    Request,
    ShiftType,
    Staff,
)
from resched.core.bench.curtois.parse import ParseError, parse_instance, read_instance
from resched.core.bench.curtois.score import Roster, Score, score_roster

__all__ = [
    "CoverRow",
    "Instance",
    "ParseError",
    "Request",
    "Roster",
    "Score",
    "ShiftType",
    "Staff",
    "parse_instance",
    "read_instance",
    "score_roster",
]
