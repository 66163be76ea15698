"""Request and response models of the JSON API, and their conversion to and from the core
(``to_core``/``to_profile`` on inputs, ``of`` on outputs): the one place for it."""

from resched.api.schemas.absences import AbsenceIn, AbsenceOut
from resched.api.schemas.common import PageOut
from resched.api.schemas.coverage import CoverageIn, CoverageOut, EligibilityIn
from resched.api.schemas.people import PersonIn, PersonOut, PersonYear
from resched.api.schemas.rotations import (
    CapacityIn,
    RequirementIn,
    RotationIn,
    RotationOut,
    WeeklyQuotaIn,
)
from resched.api.schemas.shift_types import ShiftTypeIn, ShiftTypeOut

__all__ = [
    "AbsenceIn",
    "AbsenceOut",
    "CapacityIn",
    "CoverageIn",
    "CoverageOut",
    "EligibilityIn",
    "PageOut",
    "PersonIn",
    "PersonOut",
    "PersonYear",
    "RequirementIn",
    "RotationIn",
    "RotationOut",
    "ShiftTypeIn",
    "ShiftTypeOut",
    "WeeklyQuotaIn",
]
