"""The schedule interchange format of INTERCHANGE.md <-> core objects.

document = load_document(raw_bytes)            # size limit, strict JSON, an object
schedule = parse_schedule(document)            # ScheduleInput, or Invalid naming each path
parsed = parse_schedule_with_notes(document)   # .schedule, .notes (what was ignored, and where)
report = write_report(check_all(ScheduleContext(schedule)), schedule.range,
                      schedule.people, schedule.assignments)
"""

from resched.core.interchange.document import (
    MAX_DOCUMENT_BYTES,
    REPORT_FORMAT,
    SCHEDULE_FORMAT,
    load_document,
    load_schema,
)
from resched.core.interchange.fields import Note
from resched.core.interchange.reader import (
    ParsedSchedule,
    parse_context,
    parse_schedule,
    parse_schedule_with_notes,
)
from resched.core.interchange.writer import write_report, write_rules, write_schedule

__all__ = [
    "MAX_DOCUMENT_BYTES",
    "REPORT_FORMAT",
    "SCHEDULE_FORMAT",
    "Note",
    "ParsedSchedule",
    "load_document",
    "load_schema",
    "parse_context",
    "parse_schedule",
    "parse_schedule_with_notes",
    "write_report",
    "write_rules",
    "write_schedule",
]
