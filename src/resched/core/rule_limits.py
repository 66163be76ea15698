"""How strict a program's rule settings may be: stricter than ACGME, never looser.

ACGME.md lists the defaults; they are also the ACGME limits (the 80 hours, call every third
night, one day in seven, 24 + 4 hours, the rests, six night-float nights, the supervision ratios).
Each setting has a direction: for a limit on an amount (hours, nights in a row, residents per
supervisor) a smaller number is stricter; for a spacing or a rest (every Nth night, hours of
rest) a larger one is. Two settings need a word:

- ``merge_gap_minutes``: gaps shorter than it join duty intervals into one duty period. A larger
  gap joins more, so periods get longer and ``continuous-duty`` / ``rest-after-24h`` catch more; a
  smaller one would let a resident split a 30-hour stretch with a short break. Larger is
  stricter; the ACGME.md definition (120 min) is the least.
- ``night_float_max_consecutive``: 0 switches the rule off in the interchange (documents keep
  that meaning); a program setting may not, since no limit is looser than six nights.

The other side of each range is a sanity bound (call every 28th night at most rarely, a rest
of at most 48 hours), so no setting makes every schedule impossible by a typing slip. The
Review Committee exception of 88 hours is not offered here: a program that holds one imports
its rules through the interchange.

``check_rules`` is pure and returns every problem as (field path, message)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from resched.core.model import RuleConfig


class Stricter(StrEnum):
    LOWER = "lower"
    HIGHER = "higher"


@dataclass(frozen=True, slots=True)
class RuleLimit:
    """One setting: its ACGME value, which way is stricter, and the far end of its range."""

    name: str
    label: str
    acgme: float
    stricter: Stricter
    bound: float  # the strictest value accepted
    unit: str
    zero_is_off: bool = False  # 0 switches the rule off (in documents): no limit at all

    def describe(self) -> str:
        """The ACGME limit in words, shown beside the setting."""
        most = "at most" if self.stricter is Stricter.LOWER else "at least"
        return f"ACGME: {most} {_number(self.acgme)}{self.unit}"

    def problem(self, value: float) -> str | None:
        if self.stricter is Stricter.LOWER:
            looser, beyond = value > self.acgme, value < self.bound
            if self.zero_is_off and value == 0:
                return (
                    f"0 would switch the {self.label.lower()} rule off, which is looser than the "
                    f"ACGME limit ({self.describe().removeprefix('ACGME: ')}); a program may be "
                    "stricter, never looser"
                )
        else:
            looser, beyond = value < self.acgme, value > self.bound
        if looser:
            return (
                f"{self.label} of {_number(value)} is looser than the ACGME limit "
                f"({self.describe().removeprefix('ACGME: ')}); a program may be stricter, "
                "never looser"
            )
        if beyond:
            side = "at least" if self.stricter is Stricter.LOWER else "at most"
            return f"{self.label} must be {side} {_number(self.bound)}{self.unit}"
        return None


LIMITS: tuple[RuleLimit, ...] = (
    RuleLimit("hours_per_week_limit", "Weekly hours", 80, Stricter.LOWER, 1, " h"),
    RuleLimit("call_every_nth_night", "Call every Nth night", 3, Stricter.HIGHER, 28, ""),
    RuleLimit(
        "night_float_max_consecutive",
        "Night-float nights in a row",
        6,
        Stricter.LOWER,
        1,
        "",
        zero_is_off=True,
    ),
    RuleLimit("free_day_every_n_days", "One free day in N days", 7, Stricter.LOWER, 2, ""),
    RuleLimit("max_continuous_hours", "Continuous duty", 24, Stricter.LOWER, 1, " h"),
    RuleLimit("transition_hours", "Transition time", 4, Stricter.LOWER, 0, " h"),
    RuleLimit("rest_after_24h_hours", "Rest after 24 h duty", 14, Stricter.HIGHER, 48, " h"),
    RuleLimit("rest_between_periods_hours", "Rest between periods", 8, Stricter.HIGHER, 24, " h"),
    RuleLimit("merge_gap_minutes", "Merge gap", 120, Stricter.HIGHER, 480, " min"),
)
LIMITS_BY_NAME = {limit.name: limit for limit in LIMITS}
# Residents one supervisor may oversee: PGY-1 1:2, PGY-2 and up 1:4 (ACGME.md).
ACGME_RATIO_PGY1 = 2
ACGME_RATIO_SENIOR = 4
MAX_PGY = 10


def acgme_ratio(pgy: int) -> int:
    return ACGME_RATIO_PGY1 if pgy == 1 else ACGME_RATIO_SENIOR


def check_rules(rules: RuleConfig, prefix: str = "rules.") -> list[tuple[str, str]]:
    """Every setting looser than ACGME or outside its range, as (``prefix`` + field, message)."""
    errors: list[tuple[str, str]] = []
    for limit in LIMITS:
        message = limit.problem(getattr(rules, limit.name))
        if message is not None:
            errors.append((prefix + limit.name, message))
    if not 0 <= rules.approaching_hours < rules.hours_per_week_limit:
        errors.append(
            (
                prefix + "approaching_hours",
                "the warning level must be 0 or more and below the weekly hours limit "
                f"({_number(rules.hours_per_week_limit)} h)",
            )
        )
    return errors + _ratio_errors(rules, prefix + "supervision_ratio")


def _ratio_errors(rules: RuleConfig, path: str) -> list[tuple[str, str]]:
    table = rules.supervision_ratio
    if 1 not in table:
        # Levels missing below the table would take its highest level's (looser) ratio.
        return [(f"{path}.1", "the PGY-1 ratio is required")]
    errors = []
    for level, ratio in sorted(table.items()):
        limit = acgme_ratio(level)
        if not 1 <= level <= MAX_PGY:
            errors.append((f"{path}.{level}", f"PGY levels are 1 to {MAX_PGY}"))
        elif ratio > limit:
            errors.append(
                (
                    f"{path}.{level}",
                    f"PGY-{level} 1:{ratio} is looser than the ACGME limit (1:{limit}: at most "
                    f"{limit} residents per supervisor); a program may be stricter, never looser",
                )
            )
        elif ratio < 1:
            errors.append((f"{path}.{level}", "a supervisor oversees at least 1 resident"))
    return errors


def _number(value: float) -> str:
    return f"{value:g}"
