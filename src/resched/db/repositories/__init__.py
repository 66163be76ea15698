"""Repositories: take a Session, return core objects or small records, never commit.

Every list method runs a bounded number of queries whatever the row count (count + page +
one per eager-loaded collection).
"""

from resched.db.repositories.audit import SYSTEM_ACTOR, AuditRepository
from resched.db.repositories.availability import AbsenceRepository
from resched.db.repositories.calendar import AcademicYearRepository, ProgramRepository
from resched.db.repositories.catalog import (
    CoverageRepository,
    RotationRepository,
    ShiftTypeRepository,
)
from resched.db.repositories.people import PeopleRepository

__all__ = [
    "SYSTEM_ACTOR",
    "AbsenceRepository",
    "AcademicYearRepository",
    "AuditRepository",
    "CoverageRepository",
    "PeopleRepository",
    "ProgramRepository",
    "RotationRepository",
    "ShiftTypeRepository",
]
