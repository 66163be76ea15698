"""The review of a version, redone: the summary first (the search's quality in words from the
stored report, requests honoured, fairness spread), the diff last and paged, none for the
published version itself; Publish asks to confirm a large gap or unmet requests (nothing is
published without it); the Versions page per role; the Generate page lists what is published;
Jobs rows link to their run and draft. On a tiny program, the demo and a pediatrics program."""

from __future__ import annotations

import datetime as dt

import pytest

from resched.core.model import Assignment, Request, RequestKind, ScheduleStatus
from resched.core.solver import SolveStatus
from resched.db.repositories.audit import AuditQuery, AuditRepository
from resched.db.repositories.generation import save_generation
from resched.db.repositories.schedule import ScheduleVersionRepository
from resched.services import requests
from resched.services.generation import CONFIRM_GAP, GenerationKind, GenerationOutcome
from resched.services.generation.outcome import report_json
from resched.services.schedules import get_schedule
from tests.generation_data import Tiny, store_tiny, store_version
from tests.job_helpers import RecordingQueue
from tests.web.conftest import WebApp
from tests.web.htmlcheck import parse
from tests.web.programs import Stored
from tests.web.test_generate_page import _labelled, _submit, _work
from tests.web.test_sign_in import csrf_of

pytestmark = pytest.mark.db
CALL = "CALL"


@pytest.fixture
def tiny(web: WebApp) -> Tiny:
    tiny = store_tiny(web.session_factory)
    store_version(web.session_factory, tiny, status=ScheduleStatus.PUBLISHED)
    return tiny


def _report(version_id: int, status: SolveStatus, gap: float | None, web: WebApp) -> None:
    outcome = GenerationOutcome(
        kind=GenerationKind.SHIFTS,
        status=status,
        message="stored by the test",
        objective=100.0,
        best_bound=None if gap is None else 100.0 * (1 - gap),
        gap=gap,
        seconds=10.0,
    )
    with web.session_factory.begin() as session:
        save_generation(session, version_id, report_json(outcome), 0)


def _summary(web: WebApp, version_id: int) -> str:
    page = parse(web.client.get(f"/generate/drafts/{version_id}").text)
    status = page.by_id("summary-status")
    assert status is not None
    return status.text


def _publish_events(web: WebApp, version_id: int) -> int:
    with web.session_factory() as session:
        query = AuditQuery(action="publish", entity="schedule_version", entity_id=str(version_id))
        return AuditRepository(session).search(query, limit=10, offset=0).total


def test_the_summary_says_optimal_or_stopped_with_a_gap(web: WebApp, tiny: Tiny) -> None:
    optimal = store_version(web.session_factory, tiny, label="optimal")
    _report(optimal, SolveStatus.OPTIMAL, 0.0, web)
    stopped = store_version(web.session_factory, tiny, label="stopped")
    _report(stopped, SolveStatus.FEASIBLE, 0.92, web)
    close = store_version(web.session_factory, tiny, label="close")
    _report(close, SolveStatus.FEASIBLE, 0.04, web)
    assert "proved this schedule the best possible (optimal, 10 s)" in _summary(web, optimal)
    assert "The search stopped after 10 s; a better schedule may exist (gap 92 %)." in _summary(
        web, stopped
    )
    assert "close to the best possible (gap 4 %)" in _summary(web, close)
    page = web.client.get(f"/generate/drafts/{stopped}")
    review = parse(page.text)
    _labelled(review)
    # The summary comes first, the diff last.
    order = [h.attrs.get("id") for h in review.iter("h2")]
    assert order[0] == "summary-title"
    assert order[-1] == "changes"
    assert order.index("plan-title") < order.index("changes")


def test_requests_honoured_and_the_fairness_spread_in_words(web: WebApp, tiny: Tiny) -> None:
    first, second = tiny.residents[0], tiny.residents[1]
    calls = [
        Assignment(first, dt.date(2026, 7, 6), CALL),
        Assignment(first, dt.date(2026, 7, 11), CALL),  # a Saturday
        Assignment(second, dt.date(2026, 7, 8), CALL),
    ]
    draft = store_version(web.session_factory, tiny, shifts=calls)
    for day in (dt.date(2026, 7, 6), dt.date(2026, 7, 9)):  # on call; free
        wish = Request(first, RequestKind.DAY_OFF, day, day)
        requests.create_request(factory=web.session_factory, request=wish)
    page = parse(web.client.get(f"/generate/drafts/{draft}").text)
    asked = page.by_id("summary-requests")
    assert asked is not None
    assert "Requests honoured: 1 of 2 (1 not met)." in asked.text
    assert any(a.attrs.get("href") == "/requests" for a in asked.iter("a"))
    fairness = page.by_id("summary-fairness")
    assert fairness is not None
    assert "calls:" in fairness.text
    assert "weekend days:" in fairness.text
    assert "PGY-" in fairness.text


def test_a_large_gap_is_published_only_when_confirmed(web: WebApp, tiny: Tiny) -> None:
    draft = store_version(web.session_factory, tiny)
    _report(draft, SolveStatus.FEASIBLE, CONFIRM_GAP + 0.2, web)
    page = web.client.get(f"/generate/drafts/{draft}")
    review = parse(page.text)
    box = review.by_id("publish-confirm")
    assert box is not None
    assert box.attrs.get("type") == "checkbox"
    token = csrf_of(page)
    refused = web.client.post(
        f"/generate/drafts/{draft}/publish", data={"csrf_token": token, "reason": ""}
    )
    assert refused.status_code == 422
    assert "Tick the box" in refused.text
    assert get_schedule(factory=web.session_factory, version_id=draft).status is (
        ScheduleStatus.DRAFT
    )
    assert _publish_events(web, draft) == 0
    accepted = web.client.post(
        f"/generate/drafts/{draft}/publish",
        data={"csrf_token": token, "reason": "", "confirm": "yes"},
        follow_redirects=False,
    )
    assert accepted.status_code == 303
    assert get_schedule(factory=web.session_factory, version_id=draft).status is (
        ScheduleStatus.PUBLISHED
    )


def test_unmet_requests_ask_to_confirm_and_a_clean_draft_does_not(web: WebApp, tiny: Tiny) -> None:
    day = dt.date(2026, 7, 6)
    draft = store_version(
        web.session_factory, tiny, shifts=[Assignment(tiny.residents[0], day, CALL)]
    )
    _report(draft, SolveStatus.OPTIMAL, 0.0, web)
    page = web.client.get(f"/generate/drafts/{draft}")
    assert parse(page.text).by_id("publish-confirm") is None  # no request yet: no question
    wish = Request(tiny.residents[0], RequestKind.DAY_OFF, day, day)
    requests.create_request(factory=web.session_factory, request=wish)
    page = web.client.get(f"/generate/drafts/{draft}")
    assert parse(page.text).by_id("publish-confirm") is not None
    assert "1 request not met" in page.text
    refused = web.client.post(
        f"/generate/drafts/{draft}/publish", data={"csrf_token": csrf_of(page), "reason": ""}
    )
    assert refused.status_code == 422
    assert _publish_events(web, draft) == 0


def test_the_published_version_shows_no_diff_against_itself(web: WebApp, tiny: Tiny) -> None:
    with web.session_factory() as session:
        published = ScheduleVersionRepository(session).published_by_year()[tiny.year_id]
    page = parse(web.client.get(f"/generate/drafts/{published}").text)
    assert "Changes against" not in page.text
    assert "nothing to compare it with" in page.text
    assert page.by_id("publish-title") is None
    _report(published, SolveStatus.FEASIBLE, 0.9, web)
    again = web.client.post(
        f"/generate/drafts/{published}/publish",
        data={"csrf_token": csrf_of(web.client.get("/generate")), "reason": ""},
    )
    assert again.status_code == 422
    assert "only a draft can be published" in again.text  # not asked to confirm


def test_the_diff_is_paged(web: WebApp, tiny: Tiny) -> None:
    days = [dt.date(2026, 7, 1) + dt.timedelta(days=i) for i in range(70)]
    shifts = [Assignment(pid, d, "DAY") for d in days for pid in tiny.residents[:2]]
    draft = store_version(web.session_factory, tiny, shifts=shifts)  # 140 shift changes
    first = parse(web.client.get(f"/generate/drafts/{draft}").text)
    table = first.by_id("shift-changes-caption")
    assert table is not None
    rows = [tr for tr in first.iter("tr") if "change-added" in tr.attrs.get("class", "")]
    assert len(rows) == 100
    assert "Changes 1 to 100 of 140." in first.text
    more = [a for a in first.iter("a") if a.attrs.get("rel") == "next"]
    assert more
    assert more[0].attrs["href"].startswith(f"/generate/drafts/{draft}?page=2")
    second = parse(web.client.get(f"/generate/drafts/{draft}?page=2").text)
    rows = [tr for tr in second.iter("tr") if "change-added" in tr.attrs.get("class", "")]
    assert len(rows) == 40
    assert "Changes 101 to 140 of 140." in second.text
    assert web.client.get(f"/generate/drafts/{draft}?page=0").status_code == 422


def _program_version(web: WebApp, stored: Stored, status: SolveStatus, gap: float) -> int:
    with web.session_factory.begin() as session:
        version_id = ScheduleVersionRepository(session).add(
            academic_year_id=stored.year_ids[0], label="from the test", status=ScheduleStatus.DRAFT
        )
    _report(version_id, status, gap, web)
    return version_id


def test_versions_page_per_role_on_two_programs(web: WebApp, program: Stored) -> None:
    published = _program_version(web, program, SolveStatus.FEASIBLE, 0.5)
    draft = _program_version(web, program, SolveStatus.OPTIMAL, 0.0)
    assert "a better schedule may exist (gap 50 %)" in _summary(web, published)
    assert "optimal" in _summary(web, draft)
    page = web.client.get(f"/generate/drafts/{published}")
    done = web.client.post(
        f"/generate/drafts/{published}/publish",
        data={"csrf_token": csrf_of(page), "reason": "Board approved", "confirm": "yes"},
        follow_redirects=False,
    )
    assert done.status_code == 303

    listing = parse(web.client.get("/generate/versions").text)
    _labelled(listing)
    row = next(
        tr
        for tr in listing.iter("tr")
        if f"/generate/drafts/{published}" in {a.attrs.get("href") for a in tr.iter("a")}
    )
    assert row.attrs["class"] == "version-published"
    assert "By chief" in row.text
    assert "Board approved" in row.text
    links = {a.attrs["href"] for a in listing.iter("a")}
    assert f"/generate/drafts/{published}" in links
    assert f"/generate/drafts/{draft}" in links

    resident = web.client_as("resident")
    seen = resident.get("/generate/versions")
    assert seen.status_code == 200
    shown = parse(seen.text)
    classes = {tr.attrs.get("class") for tr in shown.iter("tr") if tr.attrs.get("class")}
    assert "version-published" in classes
    assert "version-draft" not in classes
    assert not [a for a in shown.iter("a") if "/generate/drafts/" in a.attrs.get("href", "")]
    assert resident.get(f"/generate/drafts/{published}").status_code == 403
    plan = parse(resident.get("/plan").text)
    assert "/generate/versions" in {a.attrs.get("href") for a in plan.iter("a")}

    generate = parse(web.client.get("/generate").text)
    hrefs = {a.attrs["href"] for a in generate.iter("a")}
    assert f"/generate/drafts/{published}" in hrefs
    assert "/generate/versions" in hrefs


def test_after_publishing_the_generate_page_shows_the_published_version(
    web: WebApp, tiny: Tiny
) -> None:
    with web.session_factory() as session:
        published = ScheduleVersionRepository(session).published_by_year()[tiny.year_id]
    page = parse(web.client.get("/generate").text)
    assert "No drafts yet" in page.text
    assert "Nothing is published yet" not in page.text
    assert f"/generate/drafts/{published}" in {a.attrs["href"] for a in page.iter("a")}


def test_jobs_rows_link_to_their_run_and_draft(web: WebApp, tiny: Tiny, database_url: str) -> None:
    queue = RecordingQueue()
    web.app.state.job_queue = queue
    run_path = _submit(web).headers["location"]
    assert _work(web, queue, database_url) == ["succeeded"]
    draft_path = web.client.get(f"{run_path}/progress").headers["HX-Redirect"]
    jobs = parse(web.client.get("/jobs").text)
    hrefs = {a.attrs["href"] for a in jobs.iter("a")}
    assert run_path in hrefs
    assert draft_path in hrefs
    run_id = run_path.rsplit("/", 1)[1]
    row = parse(web.client.get(f"/jobs/{run_id}/row").text)
    assert draft_path in {a.attrs["href"] for a in row.iter("a")}


def _fairness_report() -> dict[str, object]:
    """A stored range report (core/solver/shifts/spreads.py) as the generation writes it."""

    def spread(low: int, high: int) -> dict[str, object]:
        return {"min": low, "max": high, "mean": low, "spread": high - low, "furthest": []}

    return {
        "format": "resched.range-fairness/v1",
        "start": "2026-07-06",
        "end": "2026-08-02",
        "catch_up": 1,
        "pools": [
            {
                "counter": "calls",
                "pool": "PGY-1 on WARDS",
                "members": ["r1", "r2"],
                "range": spread(5, 7),
                "year": spread(7, 9),
                "catching_up": ["r1"],
            },
            {
                "counter": "weekends",
                "pool": "PGY-1 on WARDS",
                "members": ["r1", "r2"],
                "range": spread(4, 6),
                "year": spread(4, 6),
                "catching_up": [],
            },
        ],
        "call_gaps": [
            {"person": "r2", "name": "Dr R2", "nights": 2, "first": "2026-07-06",
             "second": "2026-07-08"},
            {"person": "r1", "name": "Dr R1", "nights": 4, "first": "2026-07-07",
             "second": "2026-07-11"},
        ],
    }  # fmt: skip


def test_the_review_shows_the_ranges_fairness_in_words(web: WebApp, tiny: Tiny) -> None:
    """Per counter and pool: the counts in the generated days and the year to date, who is
    catching up, a spread beyond the goal flagged; the shortest gap between two calls and the
    calls two nights apart named."""
    draft = store_version(web.session_factory, tiny, label="fair")
    outcome = GenerationOutcome(
        kind=GenerationKind.SHIFTS,
        status=SolveStatus.OPTIMAL,
        message="stored by the test",
        fairness=_fairness_report(),
    )
    with web.session_factory.begin() as session:
        save_generation(session, draft, report_json(outcome), 0)
    page = parse(web.client.get(f"/generate/drafts/{draft}").text)
    gap = page.by_id("fairness-gap")
    assert gap is not None
    assert "Shortest gap between two calls: 2 nights (Dr R2, 6 Jul and 8 Jul)" in gap.text
    assert "Calls two nights apart or closer: Dr R2, 6 Jul and 8 Jul" in gap.text
    rows = [[c.text for c in row.all("th") + row.all("td")] for row in page.iter("tr")]
    calls = next(r for r in rows if r[:2] == ["Calls", "PGY-1 on WARDS (2 people)"])
    assert calls[2:4] == ["5-7 each (spread 2)", "7-9 (spread 2)"]
    assert "Dr R1 may take up to 1 more to catch up the year" in calls[4]
    assert "Less even" not in calls[4]  # 2 = 1 + the catch-up
    weekends = next(r for r in rows if r[0] == "Weekend shifts")
    assert "Less even than the goal" in weekends[4]


def test_a_version_without_a_fairness_report_shows_no_fairness_section(
    web: WebApp, tiny: Tiny
) -> None:
    draft = store_version(web.session_factory, tiny, label="imported")
    page = parse(web.client.get(f"/generate/drafts/{draft}").text)
    assert page.by_id("fairness-title") is None


def test_chained_shifts_have_their_own_section(web: WebApp, tiny: Tiny) -> None:
    from dataclasses import replace

    from resched.services.generation.chains import StoredChain

    clean = store_version(web.session_factory, tiny, label="clean")
    chained = store_version(web.session_factory, tiny, label="chained")
    base = GenerationOutcome(
        kind=GenerationKind.SHIFTS, status=SolveStatus.OPTIMAL, message="m", chains=()
    )
    day = dt.date(2026, 7, 6)
    chain = StoredChain(
        "min-rest", "Dr A: DAY on Jul 6 then NIGHT on Jul 6, 2 h apart", 1, day, "DAY", day, "N", 2
    )
    with web.session_factory.begin() as session:
        save_generation(session, clean, report_json(base), 0)
        save_generation(session, chained, report_json(replace(base, chains=(chain,))), 0)
    section = parse(web.client.get(f"/generate/drafts/{clean}").text).by_id("chains")
    assert section is not None
    assert "(0)" in section.text
    assert "No chained shifts" in web.client.get(f"/generate/drafts/{clean}").text
    page = parse(web.client.get(f"/generate/drafts/{chained}").text)
    assert "(1)" in (page.by_id("chains") or page).text
    assert "Dr A: DAY on Jul 6 then NIGHT on Jul 6, 2 h apart" in page.text
    # A version with no chain report (a plan, an older draft) has no such section.
    old = store_version(web.session_factory, tiny, label="old")
    _report(old, SolveStatus.OPTIMAL, 0.0, web)
    assert parse(web.client.get(f"/generate/drafts/{old}").text).by_id("chains") is None
