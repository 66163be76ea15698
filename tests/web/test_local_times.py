"""Every instant a page shows is in the program's time zone (stored UTC), the ``<time>`` element
keeps the exact instant with its offset, and the zone is named once, in the footer; before a
program is set up the pages show UTC."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from resched.core.model import Program, ScheduleStatus
from resched.db.repositories.schedule import ScheduleVersionRepository
from resched.db.tables import AuditEventRow, JobRow, ScheduleVersionRow
from resched.db.tables.auth import AuthSessionRow
from resched.services import academic_years, calendar
from tests.job_helpers import submit_check
from tests.web.conftest import WebApp
from tests.web.htmlcheck import parse
from tests.web.programs import store_program

pytestmark = pytest.mark.db

# One instant in winter and one in summer: in Los Angeles 12:30:05 PST (-08:00) and
# 13:30:05 PDT (-07:00).
WINTER = dt.datetime(2026, 1, 15, 20, 30, 5, tzinfo=dt.UTC)
SUMMER = dt.datetime(2026, 7, 15, 20, 30, 5, tzinfo=dt.UTC)
# The program each case stores, and the zone it is in: the demo (America/Chicago), the
# pediatrics sample (America/Denver) and pediatrics moved to Los Angeles after it was stored.
STAMPER = "stamper"
ZONES = {"demo": "America/Chicago", "pediatrics": "America/Denver", "coast": "America/Los_Angeles"}


@dataclass(frozen=True)
class Stamped:
    zone: str
    version_id: int


def _stamp(web: WebApp, kind: str) -> Stamped:
    """A program of ``kind``; its audit events, a job and a draft dated WINTER or SUMMER."""
    factory = web.session_factory
    store_program(factory, "demo" if kind == "demo" else "pediatrics")
    if kind == "coast":
        calendar.save_program(factory=factory, program=Program("Coast", ZONES["coast"]))
    year_id = academic_years.list_academic_years(factory=factory)[0].id
    assert year_id is not None
    with factory.begin() as session:
        version_id = ScheduleVersionRepository(session).add(
            academic_year_id=year_id, label="stamped", status=ScheduleStatus.DRAFT
        )
    submit_check(factory, version_id)
    with factory.begin() as session:
        for moment in (WINTER, SUMMER):
            session.add(_event(moment))
        session.execute(update(JobRow).values(created_at=WINTER))
        session.execute(
            update(ScheduleVersionRow)
            .where(ScheduleVersionRow.id == version_id)
            .values(created_at=SUMMER)
        )
    return Stamped(ZONES[kind], version_id)


def _event(moment: dt.datetime) -> AuditEventRow:
    # The trail is append-only: an event of another time is added, never re-dated.
    return AuditEventRow(at=moment, actor=STAMPER, action="create", entity="person", entity_id="1")


def _sign_ins_at(web: WebApp, moment: dt.datetime) -> None:
    with web.session_factory.begin() as session:
        session.execute(update(AuthSessionRow).values(created_at=moment))


def _shown(moment: dt.datetime, zone: str, seconds: bool = False) -> tuple[str, str]:
    """The text and the ``datetime`` attribute of ``moment`` shown in ``zone``."""
    local = moment.astimezone(ZoneInfo(zone))
    text = local.strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")
    return text, local.isoformat(timespec="seconds")


def _times(html: str) -> dict[str, str]:
    return {t.attrs["datetime"]: t.text for t in parse(html).iter("time")}


def _named_once(html: str, zone: str) -> None:
    assert html.count("Times are in") == 1
    footer = next(parse(html).iter("footer"))
    assert f"Times are in {zone}" in footer.text
    assert "Times are UTC" not in html


@pytest.fixture
def admin(web: WebApp) -> TestClient:
    return web.client_as("admin", username="boss")


@pytest.mark.parametrize("kind", ["demo", "pediatrics", "coast"])
def test_every_page_with_times_shows_them_in_the_program_zone(
    web: WebApp, admin: TestClient, kind: str
) -> None:
    stamped = _stamp(web, kind)
    _sign_ins_at(web, WINTER)
    audit = admin.get("/admin/audit", params={"actor": STAMPER}).text
    for moment in (WINTER, SUMMER):
        text, iso = _shown(moment, stamped.zone, seconds=True)
        assert _times(audit)[iso] == text
    _named_once(audit, stamped.zone)
    users = admin.get("/admin/users").text
    text, iso = _shown(WINTER, stamped.zone)
    assert _times(users)[iso] == text
    _named_once(users, stamped.zone)
    jobs = web.client.get("/jobs").text
    assert _times(jobs)[iso] == text
    _named_once(jobs, stamped.zone)
    for path in ("/generate/versions", "/generate"):
        page = web.client.get(path).text
        text, iso = _shown(SUMMER, stamped.zone)
        assert _times(page)[iso] == text, path
        _named_once(page, stamped.zone)


def test_los_angeles_times_follow_daylight_saving(web: WebApp, admin: TestClient) -> None:
    _stamp(web, "coast")
    times = _times(admin.get("/admin/audit", params={"actor": STAMPER}).text)
    assert times["2026-01-15T12:30:05-08:00"] == "2026-01-15 12:30:05"
    assert times["2026-07-15T13:30:05-07:00"] == "2026-07-15 13:30:05"
    job_row = web.client.get("/jobs").text
    assert '<time datetime="2026-01-15T12:30:05-08:00">2026-01-15 12:30</time>' in job_row


def test_a_job_row_fragment_shows_local_time_without_a_footer(web: WebApp) -> None:
    _stamp(web, "coast")
    with web.session_factory() as session:
        job_id = session.scalar(select(JobRow.id))
    fragment = web.client.get(f"/jobs/{job_id}/row").text
    assert '<time datetime="2026-01-15T12:30:05-08:00">' in fragment
    assert "Times are in" not in fragment


def test_pages_without_times_do_not_name_the_zone_and_today_names_it_once(web: WebApp) -> None:
    store_program(web.session_factory, "demo")
    assert "Times are in" not in web.client.get("/program").text
    today = web.client.get("/today").text
    assert today.count("America/Chicago") == 1
    assert "Times are in" not in today


def test_the_audit_day_filter_counts_days_in_the_program_zone(
    web: WebApp, admin: TestClient
) -> None:
    _stamp(web, "coast")
    late_evening = dt.datetime(2026, 1, 16, 5, 0, tzinfo=dt.UTC)  # 15 Jan, 21:00 in LA
    with web.session_factory.begin() as session:
        session.add(_event(late_evening))
    on_the_15th = {"actor": STAMPER, "from": "2026-01-15", "to": "2026-01-15"}
    fifteenth = admin.get("/admin/audit", params=on_the_15th).text
    assert "2 events" in fifteenth  # WINTER, 12:30 there, and the late evening
    assert '<time datetime="2026-01-15T21:00:00-08:00">' in fifteenth
    the_16th = {"actor": STAMPER, "from": "2026-01-16", "to": "2026-01-16"}
    assert "0 events" in admin.get("/admin/audit", params=the_16th).text
    # East of UTC, the first day there is starts before the first UTC instant: no error.
    calendar.save_program(factory=web.session_factory, program=Program("East", "Asia/Tokyo"))
    assert admin.get("/admin/audit", params={"from": "0001-01-01"}).status_code == 200


def test_before_a_program_is_set_up_times_are_utc(web: WebApp, admin: TestClient) -> None:
    _sign_ins_at(web, WINTER)
    users = admin.get("/admin/users").text
    assert _times(users)["2026-01-15T20:30:05+00:00"] == "2026-01-15 20:30"
    _named_once(users, "UTC")


def test_the_zone_is_read_once_per_page_and_not_by_pages_without_times(
    web: WebApp, admin: TestClient
) -> None:
    _stamp(web, "coast")

    def zone_reads(client: TestClient, path: str) -> int:
        web.queries.measure(lambda: client.get(path))
        # The narrow read of the zone alone (a page that loads the whole program row is not it).
        narrow = "SELECT program.timezone FROM program"
        return sum(" ".join(s.split()).startswith(narrow) for s in web.queries.statements)

    assert zone_reads(admin, "/admin/audit") == 1  # the day filter and every row share it
    assert zone_reads(web.client, "/jobs") == 1
    assert zone_reads(web.client, "/people") == 0
