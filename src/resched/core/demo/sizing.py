"""Per-block capacities of the demo rotations for any number of residents per PGY level.

At the reference size (12 per level) this reproduces DEMO.md's table exactly. At other sizes each
capacity is scaled proportionally, then clamped into the window its residents' yearly ranges
allow (a PGY-2 needs at least one ICU block whatever the size of the program, so 20 PGY-2 need 20
ICU places a year), then balanced so that every resident has a place in every block: Elective
absorbs the difference first, as it does in real programs, then the other rotations in turn.
"""

from __future__ import annotations

from dataclasses import dataclass

from resched.core.demo.catalog import (
    AMBULATORY,
    CARDIOLOGY,
    ELECTIVE,
    EMERGENCY,
    ICU,
    NIGHT_FLOAT,
    ROTATION_TABLE,
    WARDS,
    PgyRange,
    RotationSpec,
    Span,
)
from resched.core.model import Capacity, Rotation, YearlyRequirement

REFERENCE_PER_PGY = 12
INTERNS: PgyRange = (1, 1)
SENIORS: PgyRange = (2, 3)
_BALANCE_ORDER = (ELECTIVE, AMBULATORY, CARDIOLOGY, WARDS, EMERGENCY, ICU, NIGHT_FLOAT)


@dataclass(slots=True)
class _Places:
    low: int
    high: int
    fixed: bool  # DEMO.md gives one number, not a range: scaling keeps it one number
    window: Span  # (least max, greatest min) per block that the yearly ranges allow


def _scale(count: int, per_pgy: int) -> int:
    # Round half up: round() rounds half to even, which makes capacities jump unevenly with size.
    return (2 * count * per_pgy + REFERENCE_PER_PGY) // (2 * REFERENCE_PER_PGY)


def _window(spec: RotationSpec, group: PgyRange, per_pgy: int, blocks: int) -> Span:
    """Per block, the maximum must reach ceil(yearly minima / blocks) and the minimum must not
    pass floor(yearly maxima / blocks), or the yearly ranges cannot be met by any plan."""
    levels = range(group[0], group[1] + 1)
    need_low = per_pgy * sum(spec.yearly[level - 1][0] for level in levels)
    need_high = per_pgy * sum(spec.yearly[level - 1][1] for level in levels)
    return -(-need_low // blocks), need_high // blocks


def _initial(spec: RotationSpec, group: PgyRange, per_pgy: int, blocks: int) -> _Places:
    base = spec.intern_places if group == INTERNS else spec.senior_places
    size = per_pgy * (group[1] - group[0] + 1)
    window = _window(spec, group, per_pgy, blocks)
    if base[0] == base[1]:
        # A window with low > high cannot be met; the bounds check reports it with numbers.
        count = min(max(_scale(base[0], per_pgy), window[0]), window[1])
        return _Places(count, count, True, window)
    low = min(_scale(base[0], per_pgy), window[1])
    high = min(max(_scale(base[1], per_pgy), window[0]), size)
    return _Places(low, max(low, high), False, window)


def _balance(places: dict[str, _Places], size: int) -> None:
    """Move capacities until the group's size lies between the sums of minima and maxima."""
    for code in _BALANCE_ORDER:
        spot = places[code]
        short = size - sum(p.high for p in places.values())
        if short > 0:
            step = max(0, min(short, spot.window[1] - spot.high)) if spot.fixed else short
            spot.high += step
            spot.low += step if spot.fixed else 0
        excess = sum(p.low for p in places.values()) - size
        if excess > 0:
            step = max(0, min(excess, spot.low - spot.window[0])) if spot.fixed else spot.low
            step = min(step, excess)
            spot.low -= step
            spot.high -= step if spot.fixed else 0


def group_places(per_pgy: int, blocks: int, group: PgyRange) -> dict[str, Span]:
    """(min, max) residents of ``group`` per block on each demo rotation."""
    places = {spec.code: _initial(spec, group, per_pgy, blocks) for spec in ROTATION_TABLE}
    _balance(places, per_pgy * (group[1] - group[0] + 1))
    return {code: (p.low, p.high) for code, p in places.items()}


def demo_rotations(per_pgy: int, blocks: int) -> tuple[Rotation, ...]:
    """The demo rotations with capacities for ``per_pgy`` residents per level over ``blocks``."""
    interns = group_places(per_pgy, blocks, INTERNS)
    seniors = group_places(per_pgy, blocks, SENIORS)
    return tuple(
        Rotation(
            code=spec.code,
            name=spec.name,
            weekly_pattern=dict(spec.weekly_pattern),
            capacities=(
                Capacity(*INTERNS, *interns[spec.code]),
                Capacity(*SENIORS, *seniors[spec.code]),
            ),
            requirements=tuple(
                YearlyRequirement(pgy, low, high)
                for pgy, (low, high) in enumerate(spec.yearly, start=1)
            ),
            leave_eligible=spec.leave_eligible,
            not_adjacent_to=spec.not_adjacent_to,
            colour=spec.colour,
            weekly_quotas=spec.weekly_quotas,
        )
        for spec in ROTATION_TABLE
    )
