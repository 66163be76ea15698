"""Shift types, rotations and coverage requirements: rows <-> core."""

from __future__ import annotations

import datetime as dt

from resched.core.model import (
    Capacity,
    CoverageRequirement,
    Eligibility,
    HolidayRule,
    Role,
    Rotation,
    ShiftType,
    WeeklyQuota,
    YearlyRequirement,
)
from resched.db.tables import (
    CoverageRequirementRow,
    RotationCapacityRow,
    RotationRequirementRow,
    RotationRow,
    ShiftTypeRow,
)


def shift_type_from_row(row: ShiftTypeRow) -> ShiftType:
    return ShiftType(
        id=row.id,
        code=row.code,
        name=row.name,
        start=row.start_time,
        minutes=row.minutes,
        kind=row.kind,
        transition_minutes=row.transition_minutes,
        requires_supervision=row.requires_supervision,
        supervised_by=tuple(row.supervised_by),
    )


def fill_shift_type_row(row: ShiftTypeRow, shift_type: ShiftType) -> ShiftTypeRow:
    row.code = shift_type.code
    row.name = shift_type.name
    row.start_time = shift_type.start
    row.minutes = shift_type.minutes
    row.kind = shift_type.kind
    row.transition_minutes = shift_type.transition_minutes
    row.requires_supervision = shift_type.requires_supervision
    row.supervised_by = list(shift_type.supervised_by)
    return row


def rotation_from_row(row: RotationRow) -> Rotation:
    return Rotation(
        id=row.id,
        code=row.code,
        name=row.name,
        weekly_pattern={int(day): tuple(codes) for day, codes in row.weekly_pattern.items()},
        capacities=tuple(
            Capacity(c.pgy_min, c.pgy_max, c.min_count, c.max_count) for c in row.capacities
        ),
        requirements=tuple(
            YearlyRequirement(r.pgy, r.min_blocks, r.max_blocks) for r in row.requirements
        ),
        leave_eligible=row.leave_eligible,
        allows_half_block=row.allows_half_block,
        not_adjacent_to=tuple(row.not_adjacent_to),
        prerequisites=tuple(row.prerequisites),
        colour=row.colour,
        weekly_quotas=tuple(
            WeeklyQuota(
                shift_codes=tuple(q["shift_codes"]),
                min_count=int(q["min_count"]),
                max_count=int(q["max_count"]),
            )
            for q in row.weekly_quotas
        ),
    )


def fill_rotation_row(row: RotationRow, rotation: Rotation) -> RotationRow:
    row.code = rotation.code
    row.name = rotation.name
    row.weekly_pattern = {
        str(day): list(codes) for day, codes in sorted(rotation.weekly_pattern.items())
    }
    row.leave_eligible = rotation.leave_eligible
    row.allows_half_block = rotation.allows_half_block
    row.not_adjacent_to = list(rotation.not_adjacent_to)
    row.prerequisites = list(rotation.prerequisites)
    row.colour = rotation.colour
    row.weekly_quotas = [
        {"shift_codes": list(q.shift_codes), "min_count": q.min_count, "max_count": q.max_count}
        for q in rotation.weekly_quotas
    ]
    # Capacities have no identity of their own (and no unique key): replaced wholesale.
    row.capacities = [
        RotationCapacityRow(
            pgy_min=c.pgy_min, pgy_max=c.pgy_max, min_count=c.min_count, max_count=c.max_count
        )
        for c in rotation.capacities
    ]
    # Requirements are unique per PGY: a kept level must reuse its row (UPDATE), because the
    # unit of work inserts new rows before it deletes orphans and would hit the unique key.
    existing = {r.pgy: r for r in row.requirements}
    row.requirements = [_requirement_row(existing.get(r.pgy), r) for r in rotation.requirements]
    return row


def _requirement_row(
    row: RotationRequirementRow | None, requirement: YearlyRequirement
) -> RotationRequirementRow:
    row = row or RotationRequirementRow(pgy=requirement.pgy)
    row.min_blocks = requirement.min_blocks
    row.max_blocks = requirement.max_blocks
    return row


def coverage_from_row(row: CoverageRequirementRow) -> CoverageRequirement:
    return CoverageRequirement(
        id=row.id,
        name=row.name,
        shift_code=row.shift_type.code,
        weekdays=frozenset(row.weekdays),
        min_count=row.min_count,
        max_count=row.max_count,
        eligibility=Eligibility(
            roles=frozenset(Role(r) for r in row.roles),
            pgy_min=row.pgy_min,
            pgy_max=row.pgy_max,
            rotations=frozenset(row.rotations),
            credentials=frozenset(row.credentials),
        ),
        dates=frozenset(dt.date.fromisoformat(d) for d in row.dates),
        except_dates=frozenset(dt.date.fromisoformat(d) for d in row.except_dates),
        holidays=HolidayRule(row.holidays),
    )


def fill_coverage_row(
    row: CoverageRequirementRow, coverage: CoverageRequirement, shift_type: ShiftTypeRow
) -> CoverageRequirementRow:
    row.name = coverage.name
    row.shift_type = shift_type
    row.weekdays = sorted(coverage.weekdays)
    row.min_count = coverage.min_count
    row.max_count = coverage.max_count
    row.pgy_min = coverage.eligibility.pgy_min
    row.pgy_max = coverage.eligibility.pgy_max
    row.roles = sorted(role.value for role in coverage.eligibility.roles)
    row.rotations = sorted(coverage.eligibility.rotations)
    row.credentials = sorted(coverage.eligibility.credentials)
    row.dates = [d.isoformat() for d in sorted(coverage.dates)]
    row.except_dates = [d.isoformat() for d in sorted(coverage.except_dates)]
    row.holidays = coverage.holidays
    return row
