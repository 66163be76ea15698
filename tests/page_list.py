"""Every page of the app, once, with the permission that opens it: the browser checks
(tests/e2e/test_axe.py: axe-core and the 390 px layout, for each role) visit the ones a role
may open.

A path may name a record in braces ("/people/{person}"): each test fills those from its own
data (``RECORDS`` lists the names). A new page is one line here; every role that may open it
is then checked.
"""

from __future__ import annotations

from dataclasses import dataclass

from resched.db.tables import UserRole
from resched.services.permissions import Permission, is_allowed

# The records a path may name: a resident, a draft version, a queued generation run, a
# finished one and the draft it generated, the first academic year, a coverage rule, a
# rotation, a shift type, an absence, a user account.
RECORDS = (
    "person",
    "version",
    "run",
    "finished_run",
    "generated",
    "year",
    "coverage",
    "rotation",
    "shift_type",
    "absence",
    "user",
)


@dataclass(frozen=True, slots=True)
class Page:
    path: str
    needs: Permission
    status: int = 200  # what the page answers: the error pages' own statuses


P = Permission
PAGES = (
    Page("/today", P.SCHEDULE_READ),
    Page("/me", P.SCHEDULE_READ),
    Page("/people/{person}/schedule", P.ABSENCES_MANAGE),
    Page("/schedule?date=2026-10-14", P.SCHEDULE_READ),
    Page("/schedule?view=week&group=shift&date=2026-10-14", P.SCHEDULE_READ),
    Page("/schedule?view=day&date=2026-10-14", P.SCHEDULE_READ),
    Page("/schedule/print?month=2026-10", P.SCHEDULE_READ),
    Page("/schedule/changes?version={version}", P.SCHEDULE_WRITE),
    Page("/plan", P.SCHEDULE_READ),
    Page("/plan?pgy=1", P.SCHEDULE_READ),
    Page("/plan/cell?year_id={year}&person_id={person}&block=2", P.SCHEDULE_WRITE),
    Page("/program", P.PROGRAM_READ),
    Page("/program/years", P.PROGRAM_READ),
    Page("/program/settings", P.PROGRAM_READ),
    Page("/program/generation", P.PROGRAM_READ),
    Page("/program/shift-types", P.PROGRAM_READ),
    Page("/program/shift-types/new", P.PROGRAM_WRITE),
    Page("/program/shift-types/{shift_type}", P.PROGRAM_WRITE),
    Page("/program/rotations", P.PROGRAM_READ),
    Page("/program/rotations/new", P.PROGRAM_WRITE),
    Page("/program/rotations/{rotation}", P.PROGRAM_WRITE),
    Page("/program/coverage", P.PROGRAM_READ),
    Page("/program/coverage/new", P.PROGRAM_WRITE),
    Page("/program/coverage/{coverage}", P.PROGRAM_WRITE),
    Page("/people", P.PEOPLE_READ),
    Page("/people/new", P.PEOPLE_WRITE),
    Page("/people/{person}", P.PEOPLE_READ),
    Page("/people/{person}/edit", P.PEOPLE_WRITE),
    Page("/absences", P.REQUESTS_OWN),
    Page("/absences?status=approved", P.REQUESTS_OWN),
    Page("/absences/{absence}/edit", P.ABSENCES_MANAGE),
    Page("/leave", P.ABSENCES_MANAGE),
    Page("/leave/emergency", P.ABSENCES_MANAGE),
    Page("/leave/emergency/{absence}", P.ABSENCES_MANAGE),
    Page("/requests", P.REQUESTS_OWN),
    Page("/swaps", P.REQUESTS_OWN),
    Page("/swaps/offer?day=2026-10-14&shift=WARD&person_id={person}", P.REQUESTS_OWN),
    Page("/compliance", P.SCHEDULE_READ),
    Page("/contingency", P.SCHEDULE_DRAFTS),
    Page("/generate", P.SCHEDULE_WRITE),
    Page("/generate/versions", P.SCHEDULE_READ),
    Page("/generate/drafts/{version}", P.SCHEDULE_DRAFTS),
    Page("/generate/runs/{run}", P.SCHEDULE_WRITE),
    Page("/generate/runs/{finished_run}", P.SCHEDULE_WRITE),
    Page("/generate/drafts/{generated}", P.SCHEDULE_DRAFTS),
    Page("/import", P.PEOPLE_WRITE),
    Page("/jobs", P.JOBS_OWN),
    Page("/account/password", P.ACCOUNT_SELF),
    Page("/admin/users", P.USERS_MANAGE),
    Page("/admin/users/{user}/deactivate", P.USERS_MANAGE),
    Page("/admin/users/{user}/password-reset", P.USERS_MANAGE),
    Page("/admin/audit", P.AUDIT_READ),
    Page("/admin/outbox", P.MAIL_READ),
    Page("/inbox", P.ACCOUNT_SELF),
    Page("/setup", P.SETTINGS_MANAGE),
    # Error pages: a missing person (404), an id past the database's range (422), no route.
    Page("/people/2147483647", P.PEOPLE_READ, 404),
    Page("/people/99999999999999999999", P.PEOPLE_READ, 422),
    Page("/nowhere", P.ACCOUNT_SELF, 404),
)


def pages_for(role: UserRole, records: dict[str, int]) -> list[Page]:
    """The pages ``role`` may open, their paths' records filled in."""
    return [
        Page(p.path.format(**records), p.needs, p.status)
        for p in PAGES
        if is_allowed(role, p.needs)
    ]
