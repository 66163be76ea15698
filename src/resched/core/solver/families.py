"""The one shape in which every solver lists its rule families.

A rule family is a group of constraints (hard) or objective terms (soft) added by one function:
"the 80-hour limit", "fair call counts", "the yearly requirements". Each solver declares a tuple
of them in build order; the model builder walks the tuple, and ``select`` is how a diagnosis
leaves families out (``skip``) and how a test builds a model with one family alone (``only``,
tests/core/solver/harness.py). Adding a rule is adding one row.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from enum import Enum


class Kind(Enum):
    HARD = "hard"  # constraints every schedule must satisfy
    SOFT = "soft"  # weighted terms of the objective (with the constraints that define them)


class Scope(Enum):
    MODEL = "model"  # ``add(ctx)``: once for the whole model
    RESIDENT = "resident"  # ``add(ctx, resident)``: once per resident the solver iterates


@dataclass(frozen=True, slots=True)
class RuleFamily:
    name: str
    kind: Kind
    scope: Scope
    add: Callable[..., None]  # (ctx) or (ctx, resident) by ``scope``
    about: str  # what the family asks, in plain words
    penalties: tuple[str, ...] = ()  # the penalty names its objective terms carry


def select(
    families: Iterable[RuleFamily],
    *,
    only: Collection[str] | None = None,
    skip: Collection[str] = frozenset(),
    soft: bool = True,
) -> tuple[RuleFamily, ...]:
    """The families to build, in table order: those named in ``only`` (hard or soft), else
    every hard family and, when ``soft``, every soft one; never those in ``skip``. A name in
    ``only`` that no family has is a mistake, refused by name."""
    table = tuple(families)
    if only is not None:
        unknown = sorted(set(only) - {f.name for f in table})
        if unknown:
            known = ", ".join(f.name for f in table)
            raise ValueError(f"unknown rule families {unknown}; known: {known}")
        chosen = [f for f in table if f.name in only]
    else:
        chosen = [f for f in table if f.kind is Kind.HARD or soft]
    return tuple(f for f in chosen if f.name not in skip)


def hard_names(families: Iterable[RuleFamily]) -> tuple[str, ...]:
    return tuple(f.name for f in families if f.kind is Kind.HARD)
