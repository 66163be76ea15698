"""Checks a program's generation settings against what the solvers know."""

from __future__ import annotations

from collections.abc import Collection, Mapping

from resched.core.errors import Invalid
from resched.core.generation_settings import MAX_MIN_REST_HOURS, GenerationSettings
from resched.core.rest import selector_error
from resched.core.solver.plan import DEFAULT_WEIGHTS as PLAN_WEIGHTS
from resched.core.solver.shifts import DEFAULT_WEIGHTS as SHIFT_WEIGHTS

MAX_WEIGHT = 1_000_000  # far above any default; keeps the objective within CP-SAT's integers
MAX_HEAVY_RUN = 100  # blocks; no year has more
MAX_CATCH_UP = 10  # shifts a block; more would be the clustering the catch-up exists to avoid


def check_generation_settings(
    settings: GenerationSettings,
    rotation_codes: Collection[str],
    shift_codes: Collection[str] | None = None,
) -> None:
    """Raises ``Invalid`` naming the field: an unknown penalty name, a weight out of range, a
    ``max_heavy_run`` outside 0 to ``MAX_HEAVY_RUN``, a ``catch_up`` outside 0 to
    ``MAX_CATCH_UP``, a rotation code that is not one of ``rotation_codes``, a minimum rest
    outside 0 to 24 h, or an allowed sequence naming no shift (a code not in ``shift_codes``,
    when given). ``details["names"]`` lists the penalty names at fault."""
    _check_rest(settings, shift_codes)
    _check_weights("plan_weights", settings.plan_weights, PLAN_WEIGHTS)
    _check_weights("shift_weights", settings.shift_weights, SHIFT_WEIGHTS)
    if not 0 <= settings.max_heavy_run <= MAX_HEAVY_RUN:
        raise Invalid(
            f"the longest run of heavy blocks is 0 to {MAX_HEAVY_RUN}",
            details={"field": "max_heavy_run"},
        )
    if not 0 <= settings.catch_up <= MAX_CATCH_UP:
        raise Invalid(
            f"the catch-up per block is 0 to {MAX_CATCH_UP} shifts",
            details={"field": "catch_up"},
        )
    for name, codes in (
        ("heavy_rotations", settings.heavy_rotations),
        ("weekend_rotations", settings.weekend_rotations),
    ):
        unknown = sorted(set(codes) - set(rotation_codes))
        if unknown:
            raise Invalid(
                f"{name}: not a rotation of the program: {', '.join(unknown)}",
                details={"field": name},
            )


def effective_weights(settings: GenerationSettings) -> dict[str, dict[str, int]]:
    """Every weight the solvers will use, by solver: the defaults with the program's own."""
    return {
        "plan": {**PLAN_WEIGHTS, **settings.plan_weights},
        "shifts": {**SHIFT_WEIGHTS, **settings.shift_weights},
    }


def _check_weights(field: str, weights: Mapping[str, int], known: Mapping[str, int]) -> None:
    unknown = sorted(set(weights) - set(known))
    if unknown:
        raise Invalid(
            f"{field}: unknown penalty name(s) {', '.join(unknown)}; known: {', '.join(known)}",
            details={"field": field, "names": unknown},
        )
    wrong = sorted(n for n, w in weights.items() if not 0 <= w <= MAX_WEIGHT)
    if wrong:
        raise Invalid(
            f"{field}: weights are 0 to {MAX_WEIGHT}: {', '.join(wrong)}",
            details={"field": field, "names": wrong},
        )


def _check_rest(settings: GenerationSettings, shift_codes: Collection[str] | None) -> None:
    hours = settings.min_rest_hours
    if not 0 <= hours <= MAX_MIN_REST_HOURS:  # NaN fails both
        raise Invalid(
            f"min_rest_hours: the minimum rest between shifts is 0 to {MAX_MIN_REST_HOURS:g} h",
            details={"field": "min_rest_hours"},
        )
    for index, sequence in enumerate(settings.allowed_sequences):
        for side in ("first", "next"):
            why = selector_error(getattr(sequence, side), shift_codes)
            if why is not None:
                path = f"allowed_sequences[{index}].{side}"
                raise Invalid(f"{path}: {why}", details={"field": path})
