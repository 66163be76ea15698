"""Every table, imported here so ``Base.metadata`` is complete for Alembic and the tests."""

from resched.db.tables.audit import AuditEventRow
from resched.db.tables.auth import AuthSessionRow, RefreshTokenRow, SessionKind
from resched.db.tables.availability import AbsenceRow, LoggedWorkRow, RequestRow
from resched.db.tables.calendar_feed import CalendarFeedTokenRow
from resched.db.tables.catalog import (
    CoverageRequirementRow,
    RotationCapacityRow,
    RotationRequirementRow,
    RotationRow,
    ShiftTypeRow,
)
from resched.db.tables.changes import ScheduleChangeItemRow, ScheduleChangeRow, SwapRequestRow
from resched.db.tables.generation import DataGenerationRow
from resched.db.tables.imports import ImportBatchRow, ImportStatus
from resched.db.tables.jobs import JobRow, JobStatus
from resched.db.tables.notices import MailOutboxRow, NotificationRow
from resched.db.tables.people import PersonRow, PersonYearRow, UserRole, UserRow
from resched.db.tables.program import AcademicYearRow, BlockRow, HolidayRow, ProgramRow
from resched.db.tables.schedule import BlockAssignmentRow, ScheduleVersionRow, ShiftAssignmentRow

__all__ = [
    "AbsenceRow",
    "AcademicYearRow",
    "AuditEventRow",
    "AuthSessionRow",
    "BlockAssignmentRow",
    "BlockRow",
    "CalendarFeedTokenRow",
    "CoverageRequirementRow",
    "DataGenerationRow",
    "HolidayRow",
    "ImportBatchRow",
    "ImportStatus",
    "JobRow",
    "JobStatus",
    "LoggedWorkRow",
    "MailOutboxRow",
    "NotificationRow",
    "PersonRow",
    "PersonYearRow",
    "ProgramRow",
    "RefreshTokenRow",
    "RequestRow",
    "RotationCapacityRow",
    "RotationRequirementRow",
    "RotationRow",
    "ScheduleChangeItemRow",
    "ScheduleChangeRow",
    "ScheduleVersionRow",
    "SessionKind",
    "ShiftAssignmentRow",
    "ShiftTypeRow",
    "SwapRequestRow",
    "UserRole",
    "UserRow",
]
