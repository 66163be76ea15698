"""``program.rules``: the program configuration of ACGME.md; missing keys take the defaults."""

from __future__ import annotations

from typing import Any

from resched.core.interchange.fields import Fields, is_integer, quoted
from resched.core.model import Averaging, RuleConfig

# key -> (minimum, whether the minimum itself is excluded). Unknown keys are ignored, as
# INTERCHANGE.md ignores unknown keys elsewhere, but each leaves a note: a misspelt limit
# replaced by its default without a word would check the schedule against the wrong rule.
_NUMBERS: dict[str, tuple[float, bool]] = {
    "hours_per_week_limit": (0, True),
    "approaching_hours": (0, False),
    "max_continuous_hours": (0, True),
    "transition_hours": (0, False),
    "rest_after_24h_hours": (0, False),
    "rest_between_periods_hours": (0, False),
}
_INTEGERS: dict[str, int] = {
    "merge_gap_minutes": 0,
    "night_float_max_consecutive": 0,
    "call_every_nth_night": 1,
    "free_day_every_n_days": 1,
}
RULE_KEYS = (*_NUMBERS, *_INTEGERS, "averaging", "supervision_ratio")


def read_rules(fields: Fields | None) -> RuleConfig:
    if fields is None:
        return RuleConfig()
    values: dict[str, Any] = {}
    for key in fields.obj:
        if key not in RULE_KEYS:
            fields.issues.note(fields.at(key), "is not a known setting; ignored")
    for key, (minimum, exclusive) in _NUMBERS.items():
        number = fields.number(key, minimum=minimum, exclusive=exclusive)
        if number is not None:
            values[key] = number
    for key, least in _INTEGERS.items():
        integer = fields.integer(key, minimum=least, required=False)
        if integer is not None:
            values[key] = integer
    averaging = fields.choice("averaging", Averaging, required=False)
    if averaging is not None:
        values["averaging"] = averaging
    ratio = _supervision_ratio(fields)
    if ratio is not None:
        values["supervision_ratio"] = ratio
    return RuleConfig(**values)


def _supervision_ratio(fields: Fields) -> dict[int, int] | None:
    """Keys are PGY levels as strings ("1", "2", ...); values the residents one faculty member
    may supervise. The given table replaces the default; levels above it take its highest."""
    if "supervision_ratio" not in fields.obj:
        return None
    path, raw = fields.at("supervision_ratio"), fields.obj["supervision_ratio"]
    if not isinstance(raw, dict) or not raw:
        fields.issues.add(path, f"expected a non-empty object, got {quoted(raw)}")
        return None
    table: dict[int, int] = {}
    for key, value in raw.items():
        if not (key.isascii() and key.isdigit() and key[0] != "0" and len(key) <= 2):
            fields.issues.add(f"{path}.{key}", "expected a PGY level (1, 2, ...) as key")
        elif not is_integer(value) or value < 1:
            fields.issues.add(f"{path}.{key}", f"expected an integer >= 1, got {quoted(value)}")
        else:
            table[int(key)] = int(value)
    return table if len(table) == len(raw) else None
