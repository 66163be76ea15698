"""The load client of benchmarks/load.py and benchmarks/soak.py (not a test: it measures).

Signed-in users, each an asyncio task with cookies of its own, sign in through the real sign-in
form (with its CSRF token) and then read pages as people do, with a pause between pages; now and
then one of them offers a shift on the swap board or requests leave, through the forms of the
pages. Every request is timed from sending to the last byte of the body and counted under its
page. What counts as an error: an exception (timeout, refused connection), or an answer other
than 2xx/3xx - except for the writes, where a 4xx is the product refusing a request it should
refuse (a shift inside the freeze horizon, leave overlapping leave), counted apart as "refused".
"""

from __future__ import annotations

import asyncio
import datetime as dt
import html
import json
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http.cookiejar import CookieJar, DefaultCookiePolicy
from http.cookies import SimpleCookie
from typing import Any

import httpx2

# The pages people read, and how often (weights) a resident's next page is each of them.
RESIDENT_READS = {"today": 3, "my schedule": 3, "schedule month": 3, "compliance": 1}
COORDINATOR_READS = {"today": 3, "schedule month": 4, "compliance": 3}
PATHS = {
    "today": "/today",
    "my schedule": "/me",
    "schedule month": "/schedule",
    "compliance": "/compliance",
}
WRITES = ("swap offer", "leave request")
ERRORS_KEPT = 20  # the first errors are printed whole; the rest only counted
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
_OFFER = re.compile(r'href="(/swaps/offer\?day=[^"]+)"')


@dataclass(frozen=True)
class Account:
    username: str
    password: str
    role: str  # "resident" or "coordinator"


@dataclass
class Stats:
    """Every request's time by page, answers by status, refused writes and errors."""

    times_ms: dict[str, list[float]] = field(default_factory=dict)
    statuses: Counter[tuple[str, int]] = field(default_factory=Counter)
    refused: Counter[str] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    first_errors: list[str] = field(default_factory=list)
    began: float = field(default_factory=time.monotonic)
    ended: float | None = None

    def record(self, page: str, ms: float, status: int) -> None:
        self.times_ms.setdefault(page, []).append(ms)
        self.statuses[page, status] += 1

    def error(self, page: str, what: str) -> None:
        self.errors[page] += 1
        if len(self.first_errors) < ERRORS_KEPT:
            self.first_errors.append(f"{page}: {what}")

    def total_errors(self) -> int:
        return sum(self.errors.values())

    def summary(self) -> dict[str, Any]:
        """Per page: requests, p50/p95/p99/max in ms, refused and errors (the --json form)."""
        seconds = (self.ended or time.monotonic()) - self.began
        pages = {}
        for page in sorted(self.times_ms, key=_page_order):
            times = sorted(self.times_ms[page])
            pages[page] = {
                "requests": len(times),
                "p50_ms": _quantile(times, 0.50),
                "p95_ms": _quantile(times, 0.95),
                "p99_ms": _quantile(times, 0.99),
                "max_ms": round(times[-1], 1),
                "refused": self.refused[page],
                "errors": self.errors[page],
            }
        for page, count in self.errors.items():  # errors of pages that never answered
            pages.setdefault(page, {"requests": 0, "refused": 0, "errors": count})
        requests = sum(len(t) for t in self.times_ms.values())
        return {
            "seconds": round(seconds, 1),
            "requests": requests,
            "requests_per_second": round(requests / seconds, 1) if seconds else None,
            "errors": self.total_errors(),
            "first_errors": self.first_errors,
            "pages": pages,
        }


def _page_order(page: str) -> tuple[int, str]:
    order = [*PATHS, *WRITES, "sign-in", "warm-up"]
    return (order.index(page) if page in order else len(order), page)


def _quantile(ordered: list[float], q: float) -> float:
    """The nearest-rank quantile: the value q of the requests took at most."""
    rank = max(1, round(q * len(ordered) + 0.5 - 1e-9))
    return round(ordered[min(rank, len(ordered)) - 1], 1)


def print_table(summary: Mapping[str, Any], read_target_ms: float) -> None:
    """The per-page table, then the totals and the first errors."""
    print(f"{'page':16} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
          f"{'max ms':>8} {'refused':>7} {'errors':>6}")  # fmt: skip
    for page, row in summary["pages"].items():
        if not row["requests"]:
            print(f"{page:16} {0:8} {'-':>8} {'-':>8} {'-':>8} {'-':>8} {0:7} {row['errors']:6}")
            continue
        over = page in PATHS and row["p95_ms"] >= read_target_ms
        print(
            f"{page:16} {row['requests']:8} {row['p50_ms']:8.1f} {row['p95_ms']:8.1f} "
            f"{row['p99_ms']:8.1f} {row['max_ms']:8.1f} {row['refused']:7} {row['errors']:6}"
            + (f"  p95 over {read_target_ms:.0f} ms" if over else "")
        )
    print(
        f"{summary['requests']} requests in {summary['seconds']} s "
        f"({summary['requests_per_second']}/s), {summary['errors']} errors"
    )
    for line in summary["first_errors"]:
        print(f"  error: {line}")


class User:
    """One person in a browser, with cookies of their own, kept here: the users share one
    client (its jar takes no cookie), and in production the cookies are Secure while the
    client speaks plain HTTP to the server, as the TLS proxy in front of it does."""

    def __init__(
        self, client: httpx2.AsyncClient, account: Account, stats: Stats, rng: random.Random
    ) -> None:
        self.client = client
        self.account = account
        self.stats = stats
        self.rng = rng
        self.cookies: dict[str, str] = {}

    async def request(
        self, page: str, method: str, path: str, *, write: bool = False, **kwargs: Any
    ) -> httpx2.Response | None:
        """One request, timed and counted; None after an exception (counted as an error)."""
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        started = time.perf_counter()
        try:
            response = await self.client.request(method, path, headers=headers, **kwargs)
        except httpx2.HTTPError as exc:
            self.stats.error(page, f"{method} {path}: {type(exc).__name__}: {exc}")
            return None
        ms = (time.perf_counter() - started) * 1000
        for header in response.headers.get_list("set-cookie"):
            parsed: SimpleCookie = SimpleCookie()
            parsed.load(header)
            self.cookies.update({name: morsel.value for name, morsel in parsed.items()})
        self.stats.record(page, ms, response.status_code)
        status = response.status_code
        if write and 400 <= status < 500 and status not in (401, 403, 404, 405, 413, 429):
            self.stats.refused[page] += 1
        elif status >= 400:
            self.stats.error(page, f"{method} {path}: {status} {response.text[:200]!r}")
        return response

    async def sign_in(self) -> bool:
        form = await self.request("sign-in", "GET", "/login")
        token = csrf_token(form)
        if token is None:
            return False
        data = {"username": self.account.username, "password": self.account.password}
        signed_in = await self.request(
            "sign-in", "POST", "/login", data={**data, "csrf_token": token, "next": "/today"}
        )
        if signed_in is None or signed_in.status_code != 303:
            self.stats.error("sign-in", f"{self.account.username} was not signed in")
            return False
        return True

    async def read(self) -> httpx2.Response | None:
        weights = RESIDENT_READS if self.account.role == "resident" else COORDINATOR_READS
        page = self.rng.choices(list(weights), weights=list(weights.values()))[0]
        return await self.request(page, "GET", PATHS[page])

    async def warm_up(self) -> None:
        """Each page once before the measured time (a new process compiles its templates and
        fills its caches on first use), counted apart as "warm-up"."""
        weights = RESIDENT_READS if self.account.role == "resident" else COORDINATOR_READS
        for page in weights:
            await self.request("warm-up", "GET", PATHS[page])

    async def offer_shift(self) -> None:
        """My schedule, the offer link of one of the person's shifts, the offer form, submit
        it to the open board (refused inside the freeze horizon: counted as refused)."""
        mine = await self.request("my schedule", "GET", "/me")
        links = _OFFER.findall(mine.text) if mine is not None else []
        if not links:
            return
        offer_path = html.unescape(self.rng.choice(links))
        form = await self.request("swap offer", "GET", offer_path)
        token = csrf_token(form)
        if form is None or token is None:
            return
        hidden = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form.text))
        data = {**hidden, "kind": "giveaway", "to_person_id": "", "note": "load benchmark"}
        await self.request(
            "swap offer", "POST", "/swaps/offer", write=True, data={**data, "csrf_token": token}
        )

    async def request_leave(self, today: dt.date) -> None:
        """A day or two of vacation some weeks ahead, from the form on My schedule."""
        mine = await self.request("my schedule", "GET", "/me")
        token = csrf_token(mine)
        if token is None:
            return
        start = today + dt.timedelta(days=self.rng.randrange(14, 150))
        end = start + dt.timedelta(days=self.rng.randrange(2))
        data = {"start": start.isoformat(), "end": end.isoformat(), "type": "vacation"}
        await self.request(
            "leave request",
            "POST",
            "/me/leave",
            write=True,
            data={**data, "note": "load benchmark", "csrf_token": token},
        )


def csrf_token(page: httpx2.Response | None) -> str | None:
    found = _CSRF.search(page.text) if page is not None else None
    return html.unescape(found.group(1)) if found else None


@dataclass(frozen=True)
class Workload:
    """How each user behaves: a pause of ``think_s`` on average (uniform from half to one and
    a half times it) after each page, and a write instead of a read with ``write_share``."""

    think_s: float = 2.0
    write_share: float = 0.02
    today: dt.date = field(default_factory=dt.date.today)


SIGN_INS_AT_ONCE = 4  # argon2 takes 64 MiB a sign-in: not fifty of them at once


async def run_user(
    user: User, workload: Workload, gate: asyncio.Semaphore, go: asyncio.Event, signed: list[bool]
) -> None:
    """Sign in, wait for everyone else, then read (and now and then write) until cancelled."""
    try:
        async with gate:
            signed.append(await user.sign_in())
            if signed[-1]:
                await user.warm_up()
    except Exception as exc:  # a bug of the client must not hang the others' wait
        user.stats.error("sign-in", f"{type(exc).__name__}: {exc}")
        signed.append(False)
    if not signed[-1]:
        return
    await go.wait()
    # Users do not all arrive in the same instant: each starts within the first think time.
    await asyncio.sleep(user.rng.uniform(0, workload.think_s))
    while True:
        try:
            await _next_action(user, workload)
        except (ValueError, KeyError, IndexError) as exc:  # a page the client could not parse
            user.stats.error("client", f"{type(exc).__name__}: {exc}")
        await asyncio.sleep(workload.think_s * user.rng.uniform(0.5, 1.5))


async def _next_action(user: User, workload: Workload) -> None:
    if user.account.role == "resident" and user.rng.random() < workload.write_share:
        if user.rng.random() < 0.5:
            await user.offer_shift()
        else:
            await user.request_leave(workload.today)
    else:
        await user.read()


async def run_load(
    base_url: str,
    accounts: list[Account],
    workload: Workload,
    seconds: float,
    *,
    headers: Mapping[str, str] | None = None,
    seed: int = 0,
    on_start: Callable[[], object] | None = None,
) -> Stats:
    """Every account signed in, then ``seconds`` of the workload. The sign-ins are counted
    under their own page ("sign-in"), like the first read of each page ("warm-up"), and happen
    before the measured seconds, which begin with a call of ``on_start``."""
    stats = Stats()
    # Idle connections are closed after 2 s, before uvicorn closes its side (after 5 s idle):
    # with httpx2's default of 5 s both close at once, and a request sent on a connection the
    # server is closing fails with ReadError (a browser retries such a request; httpx2 does not).
    limits = httpx2.Limits(
        max_connections=len(accounts) + 5, max_keepalive_connections=None, keepalive_expiry=2.0
    )
    async with httpx2.AsyncClient(
        base_url=base_url,
        headers=dict(headers or {}),
        follow_redirects=False,
        cookies=CookieJar(DefaultCookiePolicy(allowed_domains=[])),  # keeps none
        timeout=httpx2.Timeout(60.0),
        limits=limits,
    ) as client:
        rng = random.Random(seed)
        users = [User(client, a, stats, random.Random(rng.random())) for a in accounts]
        gate, go = asyncio.Semaphore(SIGN_INS_AT_ONCE), asyncio.Event()
        signed: list[bool] = []
        tasks = [asyncio.create_task(run_user(u, workload, gate, go, signed)) for u in users]
        while len(signed) < len(users):
            await asyncio.sleep(0.1)
        # On stderr: stdout may be the --json document.
        print(f"{sum(signed)} of {len(users)} users signed in", file=sys.stderr, flush=True)
        if on_start is not None:
            on_start()
        stats.began = time.monotonic()
        go.set()
        await asyncio.sleep(seconds)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        stats.ended = time.monotonic()
    return stats


def dump_json(payload: Mapping[str, Any]) -> str:
    return json.dumps(payload, indent=2, ensure_ascii=False)
