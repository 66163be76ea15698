"""Every GET route of the app, either measured by the query-count tests
(tests/web/test_route_queries.py) or listed with the reason it is not.

``MEASURED`` maps a route's path, as FastAPI declares it, to the requests that measure it; a
request may name a record in braces (``{person}``), filled from the stored program
(``RECORDS``). ``NOT_MEASURED`` maps a route to why. A new GET route in neither fails
``test_every_get_route_is_measured_or_excused``: add a line here.
"""

from __future__ import annotations

# The records a request may name: a resident (with a schedule), the newest published version
# (else any), the first academic year, an absence, a rotation, a shift type, a coverage rule, a
# resident's user account, a generation run (a queued job), a request, a swap offer, an import
# batch, and a calendar feed token.
RECORDS = (
    "person",
    "version",
    "year",
    "absence",
    "rotation",
    "shift_type",
    "coverage",
    "user",
    "run",
    "request",
    "swap",
    "batch",
    "token",
)

API = "/api/v1"
V = f"{API}/schedules/{{version}}"
MONTH = "start=2026-10-01&end=2026-10-31"

MEASURED: dict[str, tuple[str, ...]] = {
    "/healthz": ("/healthz",),
    "/readyz": ("/readyz",),
    f"{API}/auth/me": (f"{API}/auth/me",),
    f"{API}/people": (f"{API}/people", f"{API}/people?role=resident"),
    f"{API}/people/{{person_id}}": (f"{API}/people/{{person}}",),
    f"{API}/shift-types": (f"{API}/shift-types",),
    f"{API}/shift-types/{{shift_type_id}}": (f"{API}/shift-types/{{shift_type}}",),
    f"{API}/rotations": (f"{API}/rotations",),
    f"{API}/rotations/{{rotation_id}}": (f"{API}/rotations/{{rotation}}",),
    f"{API}/coverage-requirements": (f"{API}/coverage-requirements",),
    f"{API}/coverage-requirements/{{coverage_id}}": (f"{API}/coverage-requirements/{{coverage}}",),
    f"{API}/absences": (f"{API}/absences", f"{API}/absences?status=approved"),
    f"{API}/absences/{{absence_id}}": (f"{API}/absences/{{absence}}",),
    f"{API}/leave/queue": (f"{API}/leave/queue",),
    f"{API}/absences/{{absence_id}}/proposal": (f"{API}/absences/{{absence}}/proposal",),
    f"{API}/requests": (f"{API}/requests",),
    f"{API}/requests/{{request_id}}": (f"{API}/requests/{{request}}",),
    f"{API}/swaps": (f"{API}/swaps",),
    f"{API}/swaps/slots": (f"{API}/swaps/slots",),
    f"{API}/swaps/{{swap_id}}": (f"{API}/swaps/{{swap}}",),
    f"{API}/users": (f"{API}/users",),
    f"{API}/users/{{user_id}}": (f"{API}/users/{{user}}",),
    f"{API}/audit-events": (f"{API}/audit-events",),
    f"{API}/schedules": (f"{API}/schedules",),
    f"{API}/schedules/{{version_id}}": (V,),
    f"{API}/schedules/{{version_id}}/interchange": (f"{V}/interchange?{MONTH}",),
    f"{API}/schedules/{{version_id}}/assignments.csv": (f"{V}/assignments.csv?{MONTH}",),
    f"{API}/schedules/{{version_id}}/grid.xlsx": (f"{V}/grid.xlsx?{MONTH}",),
    f"{API}/schedules/{{version_id}}/year.xlsx": (f"{V}/year.xlsx",),
    f"{API}/schedules/{{version_id}}/compliance": (f"{V}/compliance",),
    f"{API}/schedules/{{version_id}}/candidates": (
        f"{V}/candidates?day=2026-10-14&shift_type_id={{shift_type}}",
    ),
    f"{API}/schedules/{{version_id}}/compliance.pdf": (f"{V}/compliance.pdf",),
    f"{API}/schedules/{{version_id}}/calls.pdf": (f"{V}/calls.pdf?month=2026-10",),
    f"{API}/calendar/program.ics": (f"{API}/calendar/program.ics",),
    f"{API}/schedules/{{version_id}}/changes": (f"{V}/changes",),
    f"{API}/schedules/{{version_id}}/contingency/latest": (f"{V}/contingency/latest",),
    f"{API}/jobs": (f"{API}/jobs",),
    f"{API}/jobs/{{job_id}}": (f"{API}/jobs/{{run}}",),
    f"{API}/generations/{{run_id}}": (f"{API}/generations/{{run}}",),
    f"{API}/schedules/{{version_id}}/generation": (f"{V}/generation",),
    f"{API}/schedules/{{version_id}}/diff": (f"{V}/diff",),
    f"{API}/program": (f"{API}/program",),
    f"{API}/program/generation-settings": (f"{API}/program/generation-settings",),
    f"{API}/reports/fairness": (f"{API}/reports/fairness",),
    f"{API}/academic-years": (f"{API}/academic-years",),
    f"{API}/academic-years/{{academic_year_id}}": (f"{API}/academic-years/{{year}}",),
    f"{API}/academic-years/{{academic_year_id}}/blocks": (f"{API}/academic-years/{{year}}/blocks",),
    f"{API}/academic-years/{{academic_year_id}}/holidays": (
        f"{API}/academic-years/{{year}}/holidays",
    ),
    f"{API}/academic-years/{{academic_year_id}}/plan": (f"{API}/academic-years/{{year}}/plan",),
    f"{API}/academic-years/{{academic_year_id}}/plan.xlsx": (
        f"{API}/academic-years/{{year}}/plan.xlsx",
    ),
    f"{API}/notifications": (f"{API}/notifications",),
    f"{API}/outbox": (f"{API}/outbox",),
    f"{API}/imports": (f"{API}/imports",),
    f"{API}/imports/{{batch_id}}": (f"{API}/imports/{{batch}}",),
    "/": ("/",),
    "/program": ("/program",),
    "/plan": ("/plan", "/plan?pgy=2"),
    "/people/{person_id:int}": ("/people/{person}",),
    "/rotations.css": ("/rotations.css",),
    "/absences": ("/absences", "/absences?status=approved"),
    "/absences/{absence_id:int}/edit": ("/absences/{absence}/edit",),
    "/account/password": ("/account/password",),
    "/program/shift-types": ("/program/shift-types",),
    "/program/shift-types/new": ("/program/shift-types/new",),
    "/program/shift-types/{item_id:int}": ("/program/shift-types/{shift_type}",),
    "/program/rotations": ("/program/rotations",),
    "/program/rotations/new": ("/program/rotations/new",),
    "/program/rotations/{item_id:int}": ("/program/rotations/{rotation}",),
    "/program/coverage": ("/program/coverage",),
    "/program/coverage/new": ("/program/coverage/new",),
    "/program/coverage/{item_id:int}": ("/program/coverage/{coverage}",),
    "/admin/users": ("/admin/users",),
    "/admin/users/{user_id:int}/deactivate": ("/admin/users/{user}/deactivate",),
    "/admin/users/{user_id:int}/password-reset": ("/admin/users/{user}/password-reset",),
    "/admin/audit": ("/admin/audit",),
    "/admin/outbox": ("/admin/outbox",),
    "/inbox": ("/inbox",),
    "/compliance": ("/compliance",),
    "/compliance/report.pdf": ("/compliance/report.pdf",),
    "/schedule/print.pdf": ("/schedule/print.pdf?month=2026-10",),
    "/contingency": ("/contingency",),
    "/contingency/jobs/{job_id}": ("/contingency/jobs/{run}",),
    "/generate": ("/generate",),
    "/generate/versions": ("/generate/versions",),
    "/generate/runs/{run_id}": ("/generate/runs/{run}",),
    "/generate/runs/{run_id}/progress": ("/generate/runs/{run}/progress",),
    "/generate/drafts/{version_id:int}": ("/generate/drafts/{version}",),
    "/program/generation": ("/program/generation",),
    "/jobs": ("/jobs",),
    "/jobs/{job_id}/row": ("/jobs/{run}/row",),
    "/leave": ("/leave",),
    "/leave/{absence_id:int}/card": ("/leave/{absence}/card",),
    "/leave/emergency": ("/leave/emergency",),
    "/leave/emergency/{absence_id:int}": ("/leave/emergency/{absence}",),
    "/calendar/{token}.ics": ("/calendar/{token}.ics",),
    "/me": ("/me", "/me?view=list"),
    "/people/{person_id:int}/schedule": ("/people/{person}/schedule",),
    "/plan/cell": ("/plan/cell?year_id={year}&person_id={person}&block=2",),
    "/people": ("/people", "/people?pgy=2"),
    "/people/new": ("/people/new",),
    "/people/{person_id:int}/edit": ("/people/{person}/edit",),
    "/program/settings": ("/program/settings",),
    "/requests": ("/requests",),
    "/swaps": ("/swaps",),
    "/swaps/offer": ("/swaps/offer?day=2026-10-14&shift=CALL&person_id={person}",),
    "/setup": ("/setup",),
    "/today": ("/today",),
    "/schedule/edit": ("/schedule/edit?version={version}&date=2026-10-14",),
    "/schedule/changes": ("/schedule/changes?version={version}",),
    "/schedule": (
        "/schedule?date=2026-10-14",
        "/schedule?view=week&group=shift&date=2026-10-14",
        "/schedule?view=day&date=2026-10-14",
    ),
    "/schedule/print": ("/schedule/print?month=2026-10",),
    "/schedule/candidates": (
        "/schedule/candidates?version={version}&day=2026-10-14&shift_type_id={shift_type}",
    ),
    "/program/years": ("/program/years",),
    "/import": ("/import",),
    "/import/{batch_id:int}": ("/import/{batch}",),
    "/import/templates/{kind}.{file_kind}": ("/import/templates/people.csv",),
}

NOT_MEASURED: dict[str, str] = {
    "/api/openapi.json": "the API description: built from the routes, reads no table",
    "/api/docs": "a static page that loads the API description; reads no table",
    "/login": "the sign-in form, for the signed-out only; reads no table before sign-in",
    f"{API}/jobs/{{job_id}}/result": (
        "a finished job's stored result, one row by id (tests/api/test_jobs_api.py); the"
        " measured program's only job is queued"
    ),
    f"{API}/jobs/{{job_id}}/file": (
        "a finished job's file, one row by id (tests/api/test_xlsx_job.py); the measured"
        " program's only job is queued"
    ),
}
