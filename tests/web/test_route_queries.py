"""Every GET route - the JSON API and the pages - runs a bounded number of SQL statements,
whatever the number of rows it lists (issue 17, part 2).

The routes come from the app itself, so a new one cannot escape: it is measured
(tests/web/route_queries.py MEASURED) or excused with a reason (NOT_MEASURED). Each request is
counted on a stored program that already holds a few rows of every kind, then again after many
more (more residents and absences on the seed, and shifts, requests, swap offers, notices, audit
events, jobs, imports and mail everywhere): the count must not change, and must stay under
``BOUND``. A coordinator and a resident each make every request (the resident's pages differ:
My schedule, the inbox, requests, swaps, Today). The seed runs the whole list; the demo and the
pediatrics program run it too, for the records they have.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pytest
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from resched.core.model import Role, ScheduleStatus
from resched.db.tables import (
    AbsenceRow,
    AcademicYearRow,
    CoverageRequirementRow,
    ImportBatchRow,
    PersonRow,
    PersonYearRow,
    RequestRow,
    RotationRow,
    ScheduleVersionRow,
    ShiftTypeRow,
    SwapRequestRow,
    UserRole,
)
from resched.services.calendar_feed.tokens import create_token
from resched.services.generation import GenerationKind, GenerationRequest, Limits, make_spec
from resched.services.jobs.generations import start_generation
from resched.services.read_cache import clear_read_caches
from tests.accounts import add_user, page_client
from tests.job_helpers import RecordingQueue
from tests.web.conftest import WebApp
from tests.web.growth import grow_activity
from tests.web.programs import PROGRAMS, store_program
from tests.web.route_queries import MEASURED, NOT_MEASURED, RECORDS
from tests.web.seed import grow

pytestmark = pytest.mark.db

# No request may run more statements than this, on any program, for any role. The largest
# measured (the schedule views and the program page for a coordinator) run about 20-25: their
# header, the signed-in user's session, the year, the version and the catalogue each take one.
# A route that reads per row either grows with the rows (caught by the comparison) or, with the
# few rows of the first measure, still stays under this bound.
BOUND = 40
# The few that read more, and why: the swap board checks whether the viewer may take each of
# the first 20 offers (the year's schedule read once for the rule check, and once more for
# the eligibility of the people), and a coordinator's queue previews each pending swap; a
# draft's review page shows its diff against the published version, both versions' checks
# and the generation report.
LARGER = {"/swaps": 80, "/generate/drafts/": 60}
# The statuses a request may answer besides 200: a resident is refused the coordinators' routes
# (403), a page moves on (303), a record the program lacks (a queued run has no diff) is 404/409.
OTHER_STATUSES = {303, 307, 403, 404, 409, 422}
FEW, MANY = 4, 40
# A list that holds less than a page answers without counting its rows; past a page it adds
# the count (the inbox, the jobs list): growth may add this many statements, never one per row
# (it adds MANY rows of each kind).
PAGING = 2


def get_routes(web: WebApp) -> set[str]:
    """The paths of the app's GET routes (included routers walked, as FastAPI includes them
    lazily)."""
    return {
        str(context.path)
        for context in iter_route_contexts(web.app.routes)
        if context.path is not None and "GET" in (context.methods or ())
    }


def test_every_get_route_is_measured_or_excused(web: WebApp) -> None:
    routes = get_routes(web)
    listed = set(MEASURED) | set(NOT_MEASURED)
    assert not set(MEASURED) & set(NOT_MEASURED)
    assert routes - listed == set(), "add these GET routes to tests/web/route_queries.py"
    assert listed - routes == set(), "these listed routes no longer exist"
    assert len(routes) > 100
    names = set(re.findall(r"{(\w+)}", " ".join(p for ps in MEASURED.values() for p in ps)))
    assert names <= set(RECORDS)


def _first(session: Session, statement: object) -> int | None:
    return session.scalars(statement).first()  # type: ignore[call-overload,no-any-return]


def records(web: WebApp) -> dict[str, int | str]:
    """The records the requests name, from the stored program, plus the few a program only has
    once it runs: a queued generation run, a resident's account and calendar token."""
    factory = web.session_factory
    found: dict[str, int | str] = {}
    with factory() as session:
        queries = {
            "person": select(PersonRow.id)
            .join(PersonYearRow)
            .where(PersonRow.role == Role.RESIDENT)
            .order_by(PersonRow.id),
            "version": select(ScheduleVersionRow.id).order_by(
                (ScheduleVersionRow.status == ScheduleStatus.PUBLISHED).desc(),
                ScheduleVersionRow.id.desc(),
            ),
            "year": select(AcademicYearRow.id).order_by(AcademicYearRow.id),
            "absence": select(AbsenceRow.id).order_by(AbsenceRow.id),
            "rotation": select(RotationRow.id).order_by(RotationRow.id),
            "shift_type": select(ShiftTypeRow.id).order_by(ShiftTypeRow.id),
            "coverage": select(CoverageRequirementRow.id).order_by(CoverageRequirementRow.id),
            "request": select(RequestRow.id).order_by(RequestRow.id),
            "swap": select(SwapRequestRow.id).order_by(SwapRequestRow.id),
            "batch": select(ImportBatchRow.id).order_by(ImportBatchRow.id),
        }
        for name, query in queries.items():
            value = _first(session, query)
            if value is not None:
                found[name] = value
    found["run"] = _queued_run(factory)
    return found


def _queued_run(factory: sessionmaker[Session]) -> int:
    spec = make_spec(
        factory=factory,
        request=GenerationRequest(GenerationKind.PLAN, limits=Limits(time_limit_s=5), year=None),
    )
    run = start_generation(
        factory=factory, queue=RecordingQueue(), spec=spec, actor=None, requested_by=None
    )
    return run.id


def requests_for(found: dict[str, int | str]) -> list[str]:
    """Every measured request whose records the program has."""
    paths = []
    for templates in MEASURED.values():
        for template in templates:
            names = re.findall(r"{(\w+)}", template)
            if all(name in found for name in names):
                paths.append(template.format(**found))
    return paths


def _count(web: WebApp, client: TestClient, path: str) -> tuple[int, int]:
    status = 0

    def fetch() -> None:
        nonlocal status
        status = client.get(path, follow_redirects=False).status_code

    # The read models kept per process are built afresh for each count: the build is what
    # reads the rows (served again, a page reads fewer), and whether a page is served from a
    # cache depends on which tables the growth happened to write.
    clear_read_caches()
    count = web.queries.measure(fetch)
    assert status == 200 or status in OTHER_STATUSES, (path, status)
    return status, count


def measure(
    web: WebApp, clients: dict[str, TestClient], paths: Iterable[str]
) -> dict[tuple[str, str], tuple[int, int]]:
    """Every path for the coordinator and the resident; for an administrator, the paths the
    coordinator may not open (accounts, the audit log, the outbox, setup)."""
    counts = {}
    for path in paths:
        for role in ("coordinator", "resident"):
            counts[role, path] = _count(web, clients[role], path)
        if counts["coordinator", path][0] == 403:
            counts["admin", path] = _count(web, clients["admin"], path)
    return counts


def _signed_in(web: WebApp, found: dict[str, int | str]) -> dict[str, TestClient]:
    """The coordinator (the web client) and a resident whose person is the measured one."""
    person = found["person"]
    assert isinstance(person, int)
    resident = add_user(web.session_factory, UserRole.RESIDENT, person_id=person)
    found["user"] = resident
    found["token"] = create_token(factory=web.session_factory, user_id=resident, actor=None)
    client = page_client(web.app, resident)
    web.others.append(client)
    return {"coordinator": web.client, "resident": client, "admin": web.client_as(UserRole.ADMIN)}


def bound_for(path: str) -> int:
    route = path.split("?")[0]
    for prefix, bound in LARGER.items():
        if route == prefix or (prefix.endswith("/") and route.startswith(prefix)):
            return bound
    return BOUND


def _compare(
    before: dict[tuple[str, str], tuple[int, int]],
    after: dict[tuple[str, str], tuple[int, int]],
) -> None:
    grew = {
        key: (before[key], after[key])
        for key in before
        if before[key][0] != after[key][0] or not 0 <= after[key][1] - before[key][1] <= PAGING
    }
    assert not grew, "\n".join(f"{k}: (status, count) {b} -> {a}" for k, (b, a) in grew.items())
    over = {key: count for key, (_, count) in after.items() if count > bound_for(key[1])}
    assert not over, over


def test_every_route_runs_a_fixed_number_of_statements_on_the_seed(web: WebApp) -> None:
    seeded = web.seed(residents_per_level=1, faculty=1)
    grow_activity(web.session_factory, count=FEW)
    found = records(web)
    clients = _signed_in(web, found)
    paths = requests_for(found)
    assert len(paths) >= sum(len(p) for p in MEASURED.values())  # every record was there
    before = measure(web, clients, paths)

    grow(web.session_factory, seeded, residents=40, absences=20)
    grow_activity(web.session_factory, count=MANY)
    _compare(before, measure(web, clients, paths))
    ok = [key for key, (status, _) in before.items() if status == 200]
    assert len([key for key in ok if key[0] == "coordinator"]) > 100
    assert len([key for key in ok if key[0] == "resident"]) > 30
    assert len([key for key in ok if key[0] == "admin"]) >= 8


@pytest.mark.parametrize("kind", PROGRAMS)
def test_every_route_runs_a_fixed_number_of_statements_on_a_stored_program(
    web: WebApp, kind: str
) -> None:
    store_program(web.session_factory, kind)
    grow_activity(web.session_factory, count=FEW)
    found = records(web)
    clients = _signed_in(web, found)
    paths = requests_for(found)
    before = measure(web, clients, paths)
    grow_activity(web.session_factory, count=MANY)
    _compare(before, measure(web, clients, paths))
