"""The Generate page: the form (labelled, CSRF-protected, errors at their field, one job however
often it is sent), the run page with its polled progress part (the job's figures) and Cancel,
the draft review (findings, penalties, diff, block grid, month calendar) and Publish with a
reason for violations; coordinators only. The test plays the worker (tests/job_helpers.py)."""

from __future__ import annotations

import datetime as dt
import re

import httpx2
import pytest

from resched.core.model import Assignment, ScheduleStatus
from resched.services.jobs import Claim, JobPolicy, generations, get_job
from resched.services.jobs.runs import beat_job, claim_job
from resched.services.schedules import get_schedule
from tests.generation_data import Tiny, everyone_away, store_tiny, store_version
from tests.job_helpers import RecordingQueue, inline_runtime, work_off
from tests.web.conftest import WebApp
from tests.web.htmlcheck import Element, parse
from tests.web.test_sign_in import csrf_of

pytestmark = pytest.mark.db
FORM = {"kind": "shifts", "year": "2026-27", "start": "2026-07-06", "end": "2026-07-12",
        "time_limit": "600", "mode": "fresh", "seed": "1", "block": ""}  # fmt: skip


@pytest.fixture
def tiny(web: WebApp) -> Tiny:
    tiny = store_tiny(web.session_factory)
    store_version(web.session_factory, tiny, status=ScheduleStatus.PUBLISHED)
    return tiny


@pytest.fixture
def queue(web: WebApp) -> RecordingQueue:
    recorder = RecordingQueue()
    web.app.state.job_queue = recorder
    return recorder


def _form_fields(response: httpx2.Response) -> dict[str, str]:
    """The hidden fields a browser would send back: the CSRF token and the form's token."""
    page = parse(response.text)
    hidden = [i for i in page.iter("input") if i.attrs.get("type") == "hidden"]
    return {i.attrs["name"]: i.attrs.get("value", "") for i in hidden}


def _submit(web: WebApp, **changes: str) -> httpx2.Response:
    data = FORM | _form_fields(web.client.get("/generate")) | changes
    return web.client.post("/generate", data=data, follow_redirects=False)


def _work(web: WebApp, queue: RecordingQueue, database_url: str) -> list[str]:
    return work_off(inline_runtime(database_url, web.session_factory), queue)


def _labelled(page: Element) -> None:
    """Every control has a label; no inline styles, scripts or handlers (strict CSP)."""
    label_for = {label.attrs.get("for") for label in page.iter("label")}
    for tag in ("input", "select", "textarea"):
        for control in page.iter(tag):
            if control.attrs.get("type") not in ("hidden", "submit"):
                assert control.attrs.get("id") in label_for, control.attrs
    for element in page.iter():
        assert "style" not in element.attrs
        assert element.tag != "style"
        assert not [a for a in element.attrs if a.startswith("on")], element.tag
    for script in page.iter("script"):
        assert script.attrs.get("src", "").startswith("/static/")
        assert not script.text


def _progress(web: WebApp, run_path: str) -> httpx2.Response:
    return web.client.get(f"{run_path}/progress", headers={"HX-Request": "true"})


def test_form_renders_accessibly_with_the_nav_entry(web: WebApp, tiny: Tiny) -> None:
    response = web.client.get("/generate")
    assert response.status_code == 200
    page = parse(response.text)
    _labelled(page)
    names = {c.attrs.get("name") for c in page.iter() if c.tag in ("input", "select")}
    fields = "csrf_token form_token kind year block start end time_limit work_limit mode seed"
    assert set(fields.split()) <= names
    nav = next(n for n in page.iter("nav") if n.attrs.get("aria-label") == "Main")
    current = [a for a in nav.iter("a") if a.attrs.get("aria-current") == "page"]
    assert [(a.attrs["href"], a.text) for a in current] == [("/generate", "Generate")]


def test_errors_are_shown_at_their_field(web: WebApp, tiny: Tiny) -> None:
    response = _submit(web, end="2026-07-01")
    assert response.status_code == 422
    page = parse(response.text)
    end = page.by_id("g-end")
    assert end is not None
    assert end.attrs.get("aria-invalid") == "true"
    assert "is before the start" in page.by_id("g-end-error").text  # type: ignore[union-attr]
    # The token of a form that started nothing stays with the corrected form.
    token = _form_fields(response)["form_token"]
    assert token
    assert _form_fields(_submit(web, end="2026-07-01", form_token=token))["form_token"] == token
    assert _submit(web, time_limit="soon").status_code == 422
    assert _submit(web, start="", end="").status_code == 422


def test_a_work_limit_bounds_the_search_and_empty_leaves_the_time_limit_alone(
    web: WebApp, tiny: Tiny, queue: RecordingQueue
) -> None:
    def work_of(response: httpx2.Response) -> object:
        assert response.status_code == 303, response.text
        run_id = int(response.headers["location"].rsplit("/", 1)[1])
        run = generations.get_generation_run(factory=web.session_factory, run_id=run_id)
        return run.spec.config.parameters.get("max_deterministic_time")

    assert work_of(_submit(web, work_limit="25")) == 25.0
    assert work_of(_submit(web, work_limit=" ")) is None
    for wrong, message in (("lots", "Enter a number."), ("0", "at most 100000"),
                           ("nan", "at most 100000"), ("1e9", "at most 100000")):  # fmt: skip
        response = _submit(web, work_limit=wrong)
        assert response.status_code == 422
        page = parse(response.text)
        assert page.by_id("g-work").attrs.get("aria-invalid") == "true"  # type: ignore[union-attr]
        assert message in page.by_id("g-work-error").text  # type: ignore[union-attr]
    assert len(queue.sent) == 2


def test_every_form_error_is_reported_at_once(web: WebApp, tiny: Tiny) -> None:
    response = _submit(web, time_limit="soon", seed="-1", start="July")
    assert response.status_code == 422
    page = parse(response.text)
    for field in ("g-time", "g-seed", "g-start"):
        control = page.by_id(field)
        assert control is not None
        assert control.attrs.get("aria-invalid") == "true", field
    summary = next(d for d in page.iter("div") if "error-summary" in d.attrs.get("class", ""))
    assert {a.attrs["href"] for a in summary.iter("a")} == {"#g-time", "#g-seed", "#g-start"}


def test_a_block_and_dates_together_are_refused(web: WebApp, tiny: Tiny) -> None:
    response = _submit(web, block="1")  # FORM has dates too
    assert response.status_code == 422
    assert "not both" in parse(response.text).by_id("g-block-error").text  # type: ignore[union-attr]


def test_the_form_needs_its_csrf_token(web: WebApp, tiny: Tiny) -> None:
    assert web.client.post("/generate", data=FORM, follow_redirects=False).status_code == 403


def test_generate_watch_review_and_publish(
    web: WebApp, tiny: Tiny, queue: RecordingQueue, database_url: str
) -> None:
    started = _submit(web)
    assert started.status_code == 303, started.text
    run_path = started.headers["location"]
    assert run_path.startswith("/generate/runs/")
    run_id = int(run_path.rsplit("/", 1)[1])
    assert queue.sent == [(run_id, "generation")]  # a job for a worker; the request solved nothing

    page = parse(web.client.get(run_path).text)
    _labelled(page)
    assert page.by_id("run-progress") is not None
    assert page.by_id("run-bar") is not None
    assert "Waiting for a worker" in page.text
    assert "hx-trigger" in _progress(web, run_path).text  # polled while queued

    assert _work(web, queue, database_url) == ["succeeded"]
    done = _progress(web, run_path)
    assert "hx-trigger" not in done.text  # over: the polling stops
    draft_path = done.headers["HX-Redirect"]
    assert "Review draft" in done.text

    response = web.client.get(draft_path)
    assert response.status_code == 200
    review = parse(response.text)
    _labelled(review)
    text = review.text
    assert "validator found nothing" in text
    assert "Changes against the published version" in text
    figures = next(d for d in review.iter("details") if "Solver figures" in d.text)
    facts = dict(zip(
        [dt_.text for dt_ in figures.iter("dt")], [dd.text for dd in figures.iter("dd")],
        strict=True,
    ))  # fmt: skip
    searched = r"\d+ of the bound, from \d+ of [1-9]\d* weeks \(a rotation's, or the supervised"
    assert re.fullmatch(
        searched + r" shifts'\) searched alone before the search", facts["Proven week by week"]
    )
    assert review.by_id("plan-caption") is not None  # the block grid of plan/_grid.html
    month = next(t for t in review.iter("table") if "month" in t.attrs.get("class", ""))
    assert "July 2026" in month.text
    assert "CALL" in month.text
    generated = [th for th in month.iter("th") if th.attrs.get("class") == "generated"]
    assert len(generated) == 7

    token = csrf_of(response)
    version_id = int(draft_path.rsplit("/", 1)[1])
    published = web.client.post(
        f"{draft_path}/publish", data={"csrf_token": token, "reason": ""}, follow_redirects=False
    )
    assert published.status_code == 303
    assert get_schedule(factory=web.session_factory, version_id=version_id).status.value == (
        "published"
    )
    assert "The draft is published." in web.client.get(published.headers["location"]).text


def test_publishing_violations_needs_a_reason(web: WebApp, tiny: Tiny) -> None:
    calls = [Assignment(tiny.residents[0], dt.date(2026, 7, 6 + i), "CALL") for i in range(7)]
    draft = store_version(web.session_factory, tiny, shifts=calls)
    page = web.client.get(f"/generate/drafts/{draft}")
    assert "not generated" in page.text
    token = csrf_of(page)
    refused = web.client.post(
        f"/generate/drafts/{draft}/publish", data={"csrf_token": token, "reason": ""}
    )
    assert refused.status_code == 422
    assert "needs a reason" in refused.text
    accepted = web.client.post(
        f"/generate/drafts/{draft}/publish",
        data={"csrf_token": token, "reason": "Agreed with the program director"},
        follow_redirects=False,
    )
    assert accepted.status_code == 303


def test_the_progress_part_shows_the_jobs_figures_and_cancel_reaches_it(
    web: WebApp, tiny: Tiny, queue: RecordingQueue
) -> None:
    run_path = _submit(web).headers["location"]
    run_id = int(run_path.rsplit("/", 1)[1])
    claim = claim_job(factory=web.session_factory, job_id=run_id, worker="w", policy=JobPolicy())
    assert isinstance(claim, Claim)
    beat_job(
        factory=web.session_factory,
        claim=claim,
        progress=0.5,
        message="Best penalty 42 after 3 solution(s), gap 50% (2 s).",
        details={"objective": 42, "bound": 21, "gap": 0.5, "solutions": 3, "search_s": 2.0},
    )
    part = _progress(web, run_path)
    assert "HX-Redirect" not in part.headers
    section = parse(part.text)
    facts = dict(zip(
        [dt_.text for dt_ in section.iter("dt")], [dd.text for dd in section.iter("dd")],
        strict=True,
    ))  # fmt: skip
    assert (facts["Objective"], facts["Best bound"], facts["Gap"]) == ("42", "21", "50.0 %")
    assert facts["Solutions found"] == "3"
    assert facts["Elapsed"].endswith(" s")
    assert "Best penalty 42" in section.text
    button = [b for b in section.iter("button") if b.text == "Cancel"]
    assert button
    assert "disabled" not in button[0].attrs

    token = csrf_of(web.client.get(run_path))
    cancelled = web.client.post(
        f"{run_path}/cancel", data={"csrf_token": token}, follow_redirects=False
    )
    assert cancelled.status_code == 303
    assert cancelled.headers["location"] == run_path
    assert get_job(factory=web.session_factory, job_id=run_id).cancel_requested
    cancelling = parse(_progress(web, run_path).text)
    assert "Cancelling" in cancelling.text
    assert "disabled" in next(b for b in cancelling.iter("button") if b.text == "Cancel").attrs


def test_a_queued_run_cancelled_says_nothing_was_stored(
    web: WebApp, tiny: Tiny, queue: RecordingQueue, database_url: str
) -> None:
    first = _submit(web).headers["location"]
    second = _submit(web).headers["location"]
    token = csrf_of(web.client.get(second))
    web.client.post(f"{second}/cancel", data={"csrf_token": token})
    assert _work(web, queue, database_url) == ["succeeded", "skipped"]
    assert "HX-Redirect" in _progress(web, first).headers
    stopped = _progress(web, second)
    assert "HX-Redirect" not in stopped.headers
    assert "Cancelled; nothing was stored." in stopped.text
    assert "hx-trigger" not in stopped.text


def test_no_schedule_shows_the_explanation(
    web: WebApp, tiny: Tiny, queue: RecordingQueue, database_url: str
) -> None:
    everyone_away(web.session_factory, tiny, dt.date(2026, 7, 8))
    run_path = _submit(web).headers["location"]
    assert _work(web, queue, database_url) == ["failed"]
    part = _progress(web, run_path)
    assert "HX-Redirect" not in part.headers
    text = parse(part.text).text
    assert "Finished: infeasible." in text
    assert "Why no schedule exists" in text
    assert "Jul 8" in text


def test_a_form_sent_twice_starts_one_job(web: WebApp, tiny: Tiny, queue: RecordingQueue) -> None:
    fields = FORM | _form_fields(web.client.get("/generate"))
    first = web.client.post("/generate", data=fields, follow_redirects=False)
    again = web.client.post("/generate", data=fields, follow_redirects=False)
    assert first.headers["location"] == again.headers["location"]
    assert len(queue.sent) == 1
    # The same form changed (back in the browser, another week) is another job...
    changed = fields | {"start": "2026-07-13", "end": "2026-07-19"}
    other = web.client.post("/generate", data=changed, follow_redirects=False)
    assert other.headers["location"] != first.headers["location"]
    # ...and so is a newly rendered form with the same parameters.
    assert _submit(web).headers["location"] != first.headers["location"]
    assert len(queue.sent) == 3


@pytest.mark.parametrize("role", ["resident", "faculty"])
def test_only_coordinators_generate(web: WebApp, tiny: Tiny, role: str) -> None:
    member = web.client_as(role)
    assert member.get("/generate").status_code == 403
    assert member.get("/generate/drafts/1").status_code == 403
    assert member.get("/generate/runs/1").status_code == 403
    assert member.get("/generate/runs/1/progress").status_code == 403
    token = csrf_of(member.get("/program"))
    assert member.post("/generate/runs/1/cancel", data={"csrf_token": token}).status_code == 403
    nav = parse(member.get("/program").text)
    assert "/generate" not in [a.attrs.get("href") for a in nav.iter("a")]
