"""Row <-> core object conversion, in one place (one module per area).

``*_from_row`` builds a core object; ``fill_*_row`` copies a core object onto a new or existing
row, so create and update share one path. ``snapshot`` is the JSON the audit trail stores.
"""

from resched.db.mappers.audit import audit_event_from_row
from resched.db.mappers.availability import (
    absence_from_row,
    fill_absence_row,
    fill_logged_work_row,
    fill_request_row,
    logged_work_from_row,
    request_from_row,
)
from resched.db.mappers.catalog import (
    coverage_from_row,
    fill_coverage_row,
    fill_rotation_row,
    fill_shift_type_row,
    rotation_from_row,
    shift_type_from_row,
)
from resched.db.mappers.people import fill_person_row, person_from_row, profile_from_row
from resched.db.mappers.program import (
    academic_year_from_row,
    fill_academic_year_row,
    fill_program_row,
    generation_from_json,
    generation_to_json,
    program_from_row,
    rules_from_json,
    rules_to_json,
)
from resched.db.mappers.schedule import (
    assignment_from_row,
    block_assignment_from_row,
    fill_assignment_row,
    fill_block_assignment_row,
)
from resched.db.mappers.snapshot import snapshot

__all__ = [
    "absence_from_row",
    "academic_year_from_row",
    "assignment_from_row",
    "audit_event_from_row",
    "block_assignment_from_row",
    "coverage_from_row",
    "fill_absence_row",
    "fill_academic_year_row",
    "fill_assignment_row",
    "fill_block_assignment_row",
    "fill_coverage_row",
    "fill_logged_work_row",
    "fill_person_row",
    "fill_program_row",
    "fill_request_row",
    "fill_rotation_row",
    "fill_shift_type_row",
    "generation_from_json",
    "generation_to_json",
    "logged_work_from_row",
    "person_from_row",
    "profile_from_row",
    "program_from_row",
    "request_from_row",
    "rotation_from_row",
    "rules_from_json",
    "rules_to_json",
    "shift_type_from_row",
    "snapshot",
]
