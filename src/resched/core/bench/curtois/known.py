"""The lowest published objective of each instance (the README of the instances, from Curtois &
Qu's results page); ``proven`` when it is a proven optimum."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class BestKnown:
    objective: int
    proven: bool


BEST_KNOWN = {
    "Instance1": BestKnown(607, proven=True),
    "Instance2": BestKnown(828, proven=True),
    "Instance3": BestKnown(1001, proven=True),
    "Instance4": BestKnown(1716, proven=False),
    "Instance5": BestKnown(1143, proven=False),
    "Instance6": BestKnown(1950, proven=False),
    "Instance7": BestKnown(1056, proven=False),
}


def best_known(path: str | Path) -> BestKnown | None:
    """By the file name (``Instance4.txt``), None for an instance not in the table."""
    return BEST_KNOWN.get(Path(path).stem)


def gap_to(objective: int | None, best: BestKnown | None) -> float | None:
    """How far above the best known value ``objective`` lies, as a fraction of it."""
    if objective is None or best is None or best.objective == 0:
        return None
    return (objective - best.objective) / best.objective
