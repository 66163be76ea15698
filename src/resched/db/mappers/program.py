"""Program settings and the calendar: rows <-> core."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from resched.core.generation_settings import GenerationSettings, ShiftSequence
from resched.core.model import AcademicYear, Averaging, Block, Program, RuleConfig
from resched.db.mappers.snapshot import snapshot
from resched.db.tables import AcademicYearRow, BlockRow, HolidayRow, ProgramRow


def rules_to_json(rules: RuleConfig) -> dict[str, Any]:
    data: dict[str, Any] = snapshot(rules)
    # JSON object keys are strings; the ratio table is keyed by PGY.
    data["supervision_ratio"] = {str(k): v for k, v in rules.supervision_ratio.items()}
    return data


def rules_from_json(data: Mapping[str, Any]) -> RuleConfig:
    values = dict(data)
    if "supervision_ratio" in values:
        values["supervision_ratio"] = {
            int(k): int(v) for k, v in values["supervision_ratio"].items()
        }
    if "averaging" in values:
        values["averaging"] = Averaging(values["averaging"])
    known = {f.name for f in dataclasses.fields(RuleConfig)}
    return RuleConfig(**{k: v for k, v in values.items() if k in known})


def generation_to_json(settings: GenerationSettings) -> dict[str, Any]:
    data: dict[str, Any] = snapshot(settings)
    return data


def generation_from_json(data: Mapping[str, Any] | None) -> GenerationSettings:
    """The stored settings; NULL or a missing key: the default."""
    values = dict(data or {})
    default = GenerationSettings()
    return GenerationSettings(
        plan_weights={str(k): int(v) for k, v in values.get("plan_weights", {}).items()},
        shift_weights={str(k): int(v) for k, v in values.get("shift_weights", {}).items()},
        heavy_rotations=frozenset(values.get("heavy_rotations", ())),
        max_heavy_run=int(values.get("max_heavy_run", default.max_heavy_run)),
        weekend_rotations=frozenset(values.get("weekend_rotations", ())),
        catch_up=int(values.get("catch_up", default.catch_up)),
        min_rest_hours=float(values.get("min_rest_hours", default.min_rest_hours)),
        allowed_sequences=_sequences(values.get("allowed_sequences"), default),
    )


def _sequences(
    data: list[Mapping[str, Any]] | None, default: GenerationSettings
) -> tuple[ShiftSequence, ...]:
    """Settings stored before sequences existed have none: they get the defaults."""
    if data is None:
        return default.allowed_sequences
    return tuple(ShiftSequence(str(s["first"]), str(s["next"])) for s in data)


def program_from_row(row: ProgramRow) -> Program:
    return Program(
        id=row.id,
        name=row.name,
        timezone=row.timezone,
        rules=rules_from_json(row.rules),
        freeze_horizon_days=row.freeze_horizon_days,
        auto_approve_changes=row.auto_approve_changes,
        undo_window_hours=row.undo_window_hours,
        jeopardy_shift=row.jeopardy_shift,
        generation=generation_from_json(row.generation),
    )


def fill_program_row(row: ProgramRow, program: Program) -> ProgramRow:
    row.name = program.name
    row.timezone = program.timezone
    row.rules = rules_to_json(program.rules)
    row.freeze_horizon_days = program.freeze_horizon_days
    row.auto_approve_changes = program.auto_approve_changes
    row.undo_window_hours = program.undo_window_hours
    row.jeopardy_shift = program.jeopardy_shift
    row.generation = generation_to_json(program.generation)
    return row


def academic_year_from_row(row: AcademicYearRow) -> AcademicYear:
    return AcademicYear(
        id=row.id,
        label=row.label,
        start=row.start_date,
        end=row.end_date,
        scheme=row.scheme,
        blocks=tuple(
            Block(number=b.number, start=b.start_date, end=b.end_date, name=b.name)
            for b in row.blocks
        ),
        holidays=tuple(h.day for h in row.holidays),
    )


def fill_academic_year_row(row: AcademicYearRow, year: AcademicYear) -> AcademicYearRow:
    row.label = year.label
    row.start_date = year.start
    row.end_date = year.end
    row.scheme = year.scheme
    row.blocks = [
        BlockRow(number=b.number, start_date=b.start, end_date=b.end, name=b.name)
        for b in year.blocks
    ]
    row.holidays = [HolidayRow(day=day, name="") for day in year.holidays]
    return row
