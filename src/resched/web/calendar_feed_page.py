"""Calendar subscription: the secret feed address of My schedule (made, shown once, revoked)
and the feed itself at ``/calendar/{token}.ics``, which calendar apps fetch without a session
(the token is the key; unknown and revoked tokens are the same 404).

A 256-bit token is not guessable, but misses are still counted per client address
(services/calendar_feed/limits.py) and a client over the budget gets 429 with Retry-After.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Request
from fastapi.responses import Response

from resched.core.errors import Invalid, NotFound
from resched.core.export_safety import safe_filename
from resched.http.auth import client_address, public, request_actor, require
from resched.http.clock import request_now
from resched.http.database import request_factory
from resched.http.runtime import get_runtime
from resched.services.auth.errors import RateLimited
from resched.services.calendar_feed import tokens
from resched.services.calendar_feed.feed import person_feed
from resched.services.calendar_feed.limits import FeedLimiter
from resched.services.permissions import Permission, Principal
from resched.web.my_schedule_page import render_calendar_section

router = APIRouter(include_in_schema=False)
Reader = Annotated[Principal, require(Permission.SCHEDULE_READ)]
# token_urlsafe(32) is 43 characters of [A-Za-z0-9_-]; anything else is not a token.
Token = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{20,100}$")]


@router.get(
    "/calendar/{token}.ics",
    dependencies=[public("calendar apps fetch it without a session; the secret token is the key")],
)
def calendar_feed(request: Request, token: Token) -> Response:
    factory = request_factory(request)
    now = request_now(request)
    limiter = FeedLimiter(get_runtime(request).limiter.store)
    client = client_address(request)
    try:
        limiter.before_lookup(client=client)
    except RateLimited as exc:
        wait = str(exc.retry_after)
        raise HTTPException(429, detail=exc.message, headers={"Retry-After": wait}) from exc
    try:
        owner = tokens.use_token(factory=factory, token=token, now=now)
        if owner.person_id is None:
            raise NotFound("There is no such calendar feed.", details={"field": "token"})
        body = person_feed(factory=factory, person_id=owner.person_id, now=now)
    except NotFound as exc:
        limiter.after_miss(client=client)
        raise HTTPException(404, detail="There is no such calendar feed.") from exc
    name = safe_filename("resched-shifts", "ics")
    return Response(
        body,
        media_type="text/calendar; charset=utf-8",
        headers={
            "Content-Disposition": f'inline; filename="{name}"',
            "Cache-Control": "private, no-store",
            "Referrer-Policy": "no-referrer",
        },
    )


@router.post("/me/calendar")
def subscribe(request: Request, principal: Reader) -> Response:
    """A new address (the old one stops working), shown once on the page."""
    if principal.person_id is None:
        raise Invalid(
            "your account is not linked to a person of the program", details={"field": "person"}
        )
    token = tokens.create_token(
        factory=request_factory(request),
        user_id=principal.user_id,
        actor=request_actor(request, principal),
    )
    return render_calendar_section(request, principal, token)


@router.post("/me/calendar/revoke")
def revoke(request: Request, principal: Reader) -> Response:
    tokens.revoke_token(
        factory=request_factory(request),
        user_id=principal.user_id,
        actor=request_actor(request, principal),
    )
    return render_calendar_section(request, principal, None, notice="revoked")
