"""/swaps: the swap board. Everyone signed in sees the open offers (with "Take it" when they
could legally take one, the rule's words when not), the offers made to them (accept or
decline) and their own (cancel while open); coordinators also see the swaps waiting for
approval, with their warnings and frozen days, and approve (with an override for frozen
days) or deny with a reason. /swaps/offer is the form My schedule's "Offer" opens. The same
services and checks as /api/v1/swaps; errors show on the page."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from resched.core.changes.kinds import OVERRIDE_LABELS, OverrideReason, SwapKind
from resched.core.errors import DomainError, Invalid
from resched.http.auth import request_actor, require
from resched.http.clock import request_now
from resched.http.database import request_factory
from resched.http.params import MAX_ID, ItemId
from resched.services.changes.model import Override
from resched.services.fairness import today_of_program
from resched.services.pages.swap_board import load_offer_form, load_swap_board
from resched.services.permissions import Permission, Principal
from resched.services.swaps import decisions, offers, pickups
from resched.services.swaps.model import Caller
from resched.services.years import load_program_info
from resched.web.formtools import parse_day, refusal_status, sentence
from resched.web.templating import templates

router = APIRouter(include_in_schema=False, prefix="/swaps")
Member = Annotated[Principal, require(Permission.REQUESTS_OWN)]
Manager = Annotated[Principal, require(Permission.REQUESTS_MANAGE)]
Text = Annotated[str, Form(max_length=4000)]
PAGE = "/swaps"
NOTICES = {
    "offered": "Your offer is on the board.",
    "approved": "Done: the schedule changed.",
    "pending": "Accepted: a coordinator approves it next.",
    "declined": "You declined the offer.",
    "cancelled": "The swap was cancelled.",
    "denied": "The swap was denied.",
}
OVERRIDES = tuple((r.value, OVERRIDE_LABELS[r]) for r in OverrideReason)


def _caller(request: Request, principal: Principal) -> Caller:
    manager = principal.can(Permission.REQUESTS_MANAGE)
    return Caller(request_actor(request, principal), principal.person_id, manager)


def _program_name(request: Request) -> str:
    with request_factory(request)() as session:
        return load_program_info(session).name


def _today(request: Request) -> dt.date:
    return today_of_program(factory=request_factory(request), now=request_now(request))


def _board(
    request: Request,
    principal: Principal,
    *,
    notice: str | None = None,
    error: str | None = None,
    status: int = 200,
) -> Response:
    view = load_swap_board(
        factory=request_factory(request),
        caller=_caller(request, principal),
        today=_today(request),
    )
    context: dict[str, Any] = {
        "view": view,
        "me": principal.person_id,
        "notice": notice,
        "error": error,
        "overrides": OVERRIDES,
        "section": "swaps",
        "program_name": _program_name(request),
    }
    return templates.TemplateResponse(request, "swaps/page.html", context, status_code=status)


@router.get("")
def swaps_page(request: Request, principal: Member, notice: str = "") -> Response:
    return _board(request, principal, notice=NOTICES.get(notice))


def _done(request: Request, principal: Principal, action: Any, **kwargs: Any) -> Response:
    """Run a decision; back to the board with its outcome, or the board with the refusal."""
    try:
        swap = action(
            factory=request_factory(request), caller=_caller(request, principal), **kwargs
        )
    except DomainError as exc:
        return _board(request, principal, error=sentence(exc.message), status=refusal_status(exc))
    return RedirectResponse(f"{PAGE}?notice={swap.status.value}", status_code=303)


@router.post("/{swap_id:int}/accept")
def accept(request: Request, principal: Member, swap_id: ItemId) -> Response:
    now = request_now(request)
    return _done(
        request, principal, decisions.accept, swap_id=swap_id, today=_today(request), now=now
    )


@router.post("/{swap_id:int}/decline")
def decline(request: Request, principal: Member, swap_id: ItemId) -> Response:
    response = _done(request, principal, offers.decline, swap_id=swap_id)
    if response.status_code == 303:
        return RedirectResponse(f"{PAGE}?notice=declined", status_code=303)
    return response


@router.post("/{swap_id:int}/cancel")
def cancel(request: Request, principal: Member, swap_id: ItemId) -> Response:
    return _done(request, principal, offers.cancel, swap_id=swap_id)


@router.post("/{swap_id:int}/approve")
def approve(
    request: Request,
    principal: Manager,
    swap_id: ItemId,
    override: Text = "",
    override_note: Text = "",
) -> Response:
    reason = next((r for r in OverrideReason if r.value == override), None)
    chosen = Override(reason, override_note) if reason else None
    return _done(
        request,
        principal,
        decisions.approve,
        swap_id=swap_id,
        today=_today(request),
        now=request_now(request),
        override=chosen,
    )


@router.post("/{swap_id:int}/deny")
def deny(request: Request, principal: Manager, swap_id: ItemId, reason: Text = "") -> Response:
    return _done(
        request, principal, decisions.deny, swap_id=swap_id, reason=reason, now=request_now(request)
    )


@router.post("/pickup")
def pick_up(request: Request, principal: Member, day: Text = "", shift: Text = "") -> Response:
    try:
        when = parse_day(day, "day")
    except Invalid as exc:
        return _board(request, principal, error=sentence(exc.message), status=422)
    return _done(
        request,
        principal,
        pickups.pick_up,
        day=when,
        shift=shift.strip(),
        today=_today(request),
        now=request_now(request),
    )


@router.get("/offer")
def offer_form(
    request: Request,
    principal: Member,
    day: Annotated[str, Query(max_length=40)] = "",
    shift: Annotated[str, Query(max_length=40)] = "",
    person_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> Response:
    who = _person(principal, person_id)
    return _offer_page(request, who, parse_day(day, "day"), shift, {}, {})


def _person(principal: Principal, person_id: int | None) -> int:
    if principal.can(Permission.REQUESTS_MANAGE) and person_id is not None:
        return person_id
    if principal.person_id is None:
        raise Invalid(
            "your account is not linked to a person of the program", details={"field": "person_id"}
        )
    return principal.person_id


def _offer_page(
    request: Request,
    person_id: int,
    day: dt.date,
    shift: str,
    form: dict[str, str],
    errors: dict[str, str],
    status: int = 200,
) -> Response:
    view = load_offer_form(
        factory=request_factory(request), person_id=person_id, day=day, shift=shift
    )
    context = {
        "view": view,
        "form": form,
        "errors": errors,
        "section": "swaps",
        "program_name": _program_name(request),
    }
    return templates.TemplateResponse(request, "swaps/offer.html", context, status_code=status)


_OFFER_FIELDS = (
    "person_id",
    "day",
    "shift",
    "kind",
    "to_person_id",
    "want_day",
    "want_shift",
    "note",
)


@router.post("/offer")
def make_offer(
    request: Request,
    principal: Member,
    person_id: Text = "",
    day: Text = "",
    shift: Text = "",
    kind: Text = "giveaway",
    to_person_id: Text = "",
    want_day: Text = "",
    want_shift: Text = "",
    note: Text = "",
) -> Response:
    form = dict(
        zip(
            _OFFER_FIELDS,
            (person_id, day, shift, kind, to_person_id, want_day, want_shift, note),
            strict=True,
        )
    )
    who = _person(principal, _number(person_id) if person_id.strip() else None)
    when = parse_day(day, "day")
    try:
        offers.offer(
            factory=request_factory(request),
            caller=_caller(request, principal),
            offer=_offer(who, when, form),
            today=_today(request),
        )
    except DomainError as exc:
        field = str(exc.details.get("field", "kind"))
        errors = {field if field in _OFFER_FIELDS else "kind": sentence(exc.message)}
        return _offer_page(request, who, when, shift, form, errors, refusal_status(exc))
    return RedirectResponse(f"{PAGE}?notice=offered", status_code=303)


def _number(value: str, field: str = "person_id") -> int:
    text = value.strip()
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= MAX_ID:
        raise Invalid("choose a person", details={"field": field})
    return int(text)


def _offer(person_id: int, day: dt.date, form: dict[str, str]) -> offers.Offer:
    kind = next((k for k in SwapKind if k.value == form["kind"]), None)
    if kind is None:
        raise Invalid("choose a give-away or a trade", details={"field": "kind"})
    trade = kind is SwapKind.TRADE
    return offers.Offer(
        person_id=person_id,
        day=day,
        shift=form["shift"].strip(),
        kind=kind,
        to_person_id=_number(form["to_person_id"], "to_person_id")
        if form["to_person_id"].strip()
        else None,
        want_day=parse_day(form["want_day"], "want_day") if trade else None,
        want_shift=form["want_shift"].strip() or None if trade else None,
        note=form["note"],
    )
