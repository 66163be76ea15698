"""Version 1 of the JSON API; the app factory mounts ``api_router`` at ``/api/v1``."""

from fastapi import APIRouter

from resched.api.responses import document_error_responses
from resched.api.v1 import (
    absences,
    audit,
    auth,
    calendar,
    changes,
    compliance,
    contingency,
    coverage,
    generation,
    imports,
    jobs,
    leave,
    notifications,
    pdf_exports,
    people,
    plan,
    program,
    reports,
    requests,
    rotations,
    schedule_files,
    schedules,
    shift_types,
    swaps,
    users,
    years,
)

api_router = APIRouter()
for _module in (
    auth,
    people,
    shift_types,
    rotations,
    coverage,
    absences,
    leave,
    requests,
    swaps,
    users,
    audit,
    schedule_files,
    schedules,
    pdf_exports,
    calendar,
    changes,
    compliance,
    contingency,
    jobs,
    generation,
    program,
    reports,
    years,
    plan,
    notifications,
    imports,
):
    document_error_responses(_module.router)
    api_router.include_router(_module.router)

__all__ = ["api_router"]
