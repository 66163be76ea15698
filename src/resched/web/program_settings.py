"""The program's name, time zone and rule settings on the Program page: a form for
coordinators (each rule with its ACGME limit beside it, errors at the field), the values for
everyone else. The same service and audit as ``PUT /api/v1/program``."""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel

from resched.core.errors import DomainError, NotFound
from resched.core.model import Averaging, Program, RuleConfig
from resched.core.rule_limits import LIMITS_BY_NAME, MAX_PGY, acgme_ratio
from resched.http.auth import request_actor, require
from resched.http.database import request_factory
from resched.services import program as program_service
from resched.services import shift_types
from resched.services.common import MAX_PAGE_SIZE, SessionFactory
from resched.services.permissions import Permission, Principal
from resched.services.versions import StaleEdit, program_version
from resched.web.stale_edits import pop_version, stale_context
from resched.web.templating import signed_in, templates

router = APIRouter(include_in_schema=False)
Coordinator = Annotated[Principal, require(Permission.PROGRAM_WRITE)]
TIMEZONES = sorted(zoneinfo.available_timezones())
AVERAGING = (
    (Averaging.ROLLING.value, "Every 4 weeks, rolling"),
    (Averaging.BLOCK.value, "Per block"),
)
MAX_SHIFT_CHOICES = MAX_PAGE_SIZE  # a program has tens of shift types
SAVED = "The program settings were saved."


@dataclass(frozen=True, slots=True)
class RuleField:
    name: str
    label: str
    unit: str
    whole: bool  # a whole number (nights, days, minutes), else hours with decimals
    limit: str  # the ACGME limit in words, shown beside the field


def _rule(name: str, label: str, unit: str, whole: bool) -> RuleField:
    return RuleField(name, label, unit, whole, LIMITS_BY_NAME[name].describe())


RULE_FIELDS = (
    _rule("hours_per_week_limit", "Weekly hours limit", "h", False),
    RuleField(
        "approaching_hours", "Warn when the average passes", "h", False, "Below the weekly limit"
    ),
    _rule("call_every_nth_night", "In-house call at most every Nth night", "nights", True),
    _rule("night_float_max_consecutive", "Night-float nights in a row", "nights", True),
    _rule("free_day_every_n_days", "One free day in every N days", "days", True),
    _rule("max_continuous_hours", "Continuous duty", "h", False),
    _rule("transition_hours", "Transition time after continuous duty", "h", False),
    _rule("rest_after_24h_hours", "Rest after 24 h of duty", "h", False),
    _rule("rest_between_periods_hours", "Rest between duty periods (should)", "h", False),
    _rule("merge_gap_minutes", "Gaps shorter than this join one duty period", "min", True),
)


class ProgramForm(BaseModel):
    """The form as typed (all text: ``_rules_from`` checks the numbers)."""

    name: str = ""
    timezone: str = ""
    row_version: str = ""  # the program's version when the form was drawn (stale_edits)
    freeze_horizon_days: str = ""
    auto_approve_changes: str = ""  # a checkbox: "on" when ticked, absent otherwise
    undo_window_hours: str = ""
    jeopardy_shift: str = ""  # a shift type code; "": none
    averaging: str = ""
    hours_per_week_limit: str = ""
    approaching_hours: str = ""
    call_every_nth_night: str = ""
    night_float_max_consecutive: str = ""
    free_day_every_n_days: str = ""
    max_continuous_hours: str = ""
    transition_hours: str = ""
    rest_after_24h_hours: str = ""
    rest_between_periods_hours: str = ""
    merge_gap_minutes: str = ""
    ratio_1: str = ""
    ratio_2: str = ""
    ratio_3: str = ""
    ratio_4: str = ""
    ratio_5: str = ""
    ratio_6: str = ""
    ratio_7: str = ""
    ratio_8: str = ""
    ratio_9: str = ""
    ratio_10: str = ""


@dataclass(frozen=True, slots=True)
class SettingsView:
    """What ``program/_program_form.html`` shows."""

    program: Program | None
    form: dict[str, str]  # the fields' text: stored values, or what was submitted
    errors: dict[str, str]
    can_edit: bool
    notice: str | None
    ratio_levels: list[tuple[int, str]]  # (PGY, its ACGME limit in words)
    rule_fields: tuple[RuleField, ...] = RULE_FIELDS
    timezones: tuple[tuple[str, str], ...] = tuple((zone, zone) for zone in TIMEZONES)
    averaging: tuple[tuple[str, str], ...] = AVERAGING
    shift_choices: tuple[tuple[str, str], ...] = ()  # the jeopardy shift's ("", "none") first
    row_version: int | None = None  # the version the form is drawn at (None: no program yet)
    stale: dict[str, Any] | None = None  # a save refused as stale: message, current values


def _current(factory: SessionFactory) -> Program | None:
    try:
        return program_service.get_program(factory=factory)
    except NotFound:
        return None


def _values_of(program: Program | None) -> dict[str, str]:
    """The form's text for a stored program (the ACGME defaults when there is none)."""
    rules = program.rules if program else RuleConfig()
    values = {f.name: f"{getattr(rules, f.name):g}" for f in RULE_FIELDS}
    values.update(
        name=program.name if program else "",
        timezone=program.timezone if program else "America/New_York",
        freeze_horizon_days=str(program.freeze_horizon_days if program else 7),
        auto_approve_changes="on" if program is None or program.auto_approve_changes else "",
        undo_window_hours=str(program.undo_window_hours if program else 24),
        jeopardy_shift=(program.jeopardy_shift or "") if program else "",
        averaging=rules.averaging.value,
    )
    values.update({f"ratio_{pgy}": str(n) for pgy, n in rules.supervision_ratio.items()})
    return values


def settings_context(
    request: Request,
    *,
    form: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    stale: StaleEdit | None = None,
) -> dict[str, Any]:
    """What ``program/_program_form.html`` needs (the Program page and the form's own page);
    after a ``stale`` save, what the user typed with the current settings beside it."""
    factory: SessionFactory = request_factory(request)
    version = _current_version(factory)
    program = _current(factory)
    values = form if form is not None else _values_of(program)
    principal = signed_in(request)
    shown = max([3, *(int(k[6:]) for k, v in values.items() if k.startswith("ratio_") and v)])
    levels = range(1, shown + 1)
    view = SettingsView(
        program=program,
        form=values,
        errors=errors or {},
        can_edit=principal is not None and principal.can(Permission.PROGRAM_WRITE),
        notice=SAVED if request.query_params.get("saved") else None,
        ratio_levels=[(pgy, f"ACGME: at most {acgme_ratio(pgy)}") for pgy in levels],
        shift_choices=_shift_choices(factory),
        row_version=version,
        stale=stale_context(stale, _values_of(program))["stale"] if stale else None,
    )
    return {"settings": view}


def _current_version(factory: SessionFactory) -> int | None:
    try:
        return program_version(factory=factory)
    except NotFound:
        return None


@router.get("/program/settings", dependencies=[require(Permission.PROGRAM_READ)])
def settings_page(request: Request) -> Response:
    return _page(request, settings_context(request))


@router.post("/program/settings")
def save_settings(
    request: Request, coordinator: Coordinator, fields: Annotated[ProgramForm, Form()]
) -> Response:
    form = fields.model_dump()
    version = pop_version(form)
    errors: dict[str, str] = {}
    rules = _rules_from(form, errors)
    freeze = _whole(form, "freeze_horizon_days", errors)
    undo = _whole(form, "undo_window_hours", errors)
    if rules is not None and freeze is not None and undo is not None and not errors:
        try:
            program_service.update_program(
                factory=request_factory(request),
                name=form["name"],
                timezone=form["timezone"],
                rules=rules,
                freeze_horizon_days=freeze,
                auto_approve_changes=bool(form["auto_approve_changes"]),
                undo_window_hours=undo,
                jeopardy_shift=form["jeopardy_shift"],
                actor=request_actor(request, coordinator),
                expected_version=version,
            )
        except StaleEdit as exc:
            context = settings_context(request, form=form, stale=exc)
            return _page(request, context, status=409)
        except DomainError as exc:
            errors = _field_errors(exc)
        else:
            return RedirectResponse("/program?saved=1#program-settings", status_code=303)
    return _page(request, settings_context(request, form=form, errors=errors), status=422)


def _shift_choices(factory: SessionFactory) -> tuple[tuple[str, str], ...]:
    stored = shift_types.list_shift_types(factory=factory, limit=MAX_SHIFT_CHOICES, offset=0)
    return (("", "none"), *((t.code, f"{t.code}: {t.name}") for t in stored.items))


def _page(request: Request, context: dict[str, Any], status: int = 200) -> Response:
    context |= {"section": "program", "program_name": None}
    return templates.TemplateResponse(request, "program/settings.html", context, status_code=status)


def _rules_from(form: dict[str, str], errors: dict[str, str]) -> RuleConfig | None:
    values: dict[str, Any] = {}
    for rule in RULE_FIELDS:
        number = (
            _whole(form, rule.name, errors) if rule.whole else _decimal(form, rule.name, errors)
        )
        values[rule.name] = number
    if form["averaging"] not in {a.value for a in Averaging}:
        errors["averaging"] = "Choose how hours are averaged."
    ratios: dict[int, int] = {}
    for pgy in range(1, MAX_PGY + 1):
        key = f"ratio_{pgy}"
        ratio = _whole(form, key, errors) if form[key].strip() else None
        if ratio is not None:
            ratios[pgy] = ratio
    if errors:
        return None
    return RuleConfig(**values, averaging=Averaging(form["averaging"]), supervision_ratio=ratios)


def _whole(form: dict[str, str], key: str, errors: dict[str, str]) -> int | None:
    text = form[key].strip()
    if not (text.isascii() and text.isdigit() and len(text) <= 6):
        errors[key] = "Enter a whole number."
        return None
    return int(text)


def _decimal(form: dict[str, str], key: str, errors: dict[str, str]) -> float | None:
    text = form[key].strip()
    try:
        number = float(text)
    except ValueError:
        number = -1.0
    if not 0 <= number <= 1000 or len(text) > 10:
        errors[key] = "Enter a number of hours, such as 80 or 72.5."
        return None
    return number


def _field_errors(exc: DomainError) -> dict[str, str]:
    """The service's paths (``rules.call_every_nth_night``, ``rules.supervision_ratio.1``) as
    the form's field names, each message as a sentence."""
    found = exc.details.get("errors") or [
        {"path": exc.details.get("field", "name"), "message": exc.message}
    ]
    errors = {}
    for item in found:
        path = str(item["path"]).removeprefix("rules.")
        if path.startswith("supervision_ratio."):
            path = "ratio_" + path.removeprefix("supervision_ratio.")
        message = str(item["message"])
        errors[path] = message[:1].upper() + message[1:] + ("" if message.endswith(".") else ".")
    return errors
