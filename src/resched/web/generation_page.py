"""/program/generation: how the program wants its schedules generated. Coordinators edit the
heavy rotations and their longest run, the rotations owed a free weekend day, the catch-up
per block of a resident behind the year to date and the weight
of every soft goal of both solvers (empty: the solver's default); everyone else reads them.
The same service and audit as ``PUT /api/v1/program/generation-settings``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from resched.core.errors import DomainError, NotFound
from resched.core.generation_settings import DEFAULT_CATCH_UP, GenerationSettings, ShiftSequence
from resched.core.solver.settings import effective_weights
from resched.http.auth import request_actor, require
from resched.http.database import request_factory
from resched.services import generation_settings
from resched.services.pages import load_rotations
from resched.services.permissions import Permission, Principal
from resched.web.formtools import Submitted, refusal_status, sentence
from resched.web.templating import templates
from resched.web.wording import describe_penalty

router = APIRouter(include_in_schema=False, prefix="/program/generation")
Reader = Annotated[Principal, require(Permission.PROGRAM_READ)]
Writer = Annotated[Principal, require(Permission.PROGRAM_WRITE)]
PAGE = "/program/generation"
SAVED = "The generation settings were saved."
# The form's weight fields are ``<solver>.<penalty>``; the service names ``<solver>_weights``.
SOLVERS = (("plan", "plan_weights", "Rotation plan"), ("shifts", "shift_weights", "Shift schedule"))
THEN = " then "  # one allowed sequence a line: "CLIN-AM then CLIN-PM"


@dataclass(frozen=True, slots=True)
class WeightField:
    name: str  # the form field: plan.heavy_streak
    label: str
    default: int


def _weight_fields() -> dict[str, list[WeightField]]:
    defaults = effective_weights(GenerationSettings())
    return {
        solver: [
            WeightField(f"{solver}.{name}", describe_penalty(name), weight)
            for name, weight in defaults[solver].items()
        ]
        for solver, _, _ in SOLVERS
    }


def _values_of(settings: GenerationSettings) -> dict[str, str]:
    values = {"max_heavy_run": str(settings.max_heavy_run), "catch_up": str(settings.catch_up)}
    values["min_rest_hours"] = f"{settings.min_rest_hours:g}"
    values["allowed_sequences"] = "\n".join(
        f"{s.first}{THEN}{s.next}" for s in settings.allowed_sequences
    )
    values |= {f"heavy_{code}": "on" for code in settings.heavy_rotations}
    values |= {f"weekend_{code}": "on" for code in settings.weekend_rotations}
    values |= {f"plan.{n}": str(w) for n, w in settings.plan_weights.items()}
    values |= {f"shifts.{n}": str(w) for n, w in settings.shift_weights.items()}
    return values


def _page(
    request: Request,
    principal: Principal,
    *,
    form: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    factory = request_factory(request)
    try:
        current: GenerationSettings | None = generation_settings.get_generation_settings(
            factory=factory
        )
    except NotFound:
        current = None
    context: dict[str, Any] = {
        "current": current,
        "form": form if form is not None else _values_of(current or GenerationSettings()),
        "errors": errors or {},
        "rotations": load_rotations(factory=factory),
        "weights": _weight_fields(),
        "solvers": SOLVERS,
        "can_edit": principal.can(Permission.PROGRAM_WRITE),
        "notice": SAVED if request.query_params.get("saved") else None,
        "section": "program",
        "program_name": None,
    }
    return templates.TemplateResponse(
        request, "program/generation.html", context, status_code=status
    )


@router.get("")
def generation_page(request: Request, principal: Reader) -> Response:
    return _page(request, principal)


@router.post("")
def save_generation_settings(request: Request, principal: Writer, form: Submitted) -> Response:
    errors: dict[str, str] = {}
    settings = _settings_from(form, errors)
    if settings is not None:
        try:
            generation_settings.update_generation_settings(
                factory=request_factory(request),
                settings=settings,
                actor=request_actor(request, principal),
            )
        except DomainError as exc:
            errors = _field_errors(exc)
            return _page(request, principal, form=form, errors=errors, status=refusal_status(exc))
        return RedirectResponse(f"{PAGE}?saved=1", status_code=303)
    return _page(request, principal, form=form, errors=errors, status=422)


def _whole(form: dict[str, str], key: str, errors: dict[str, str]) -> int | None:
    """The field's whole number; None if empty. Only the text is read here: the service
    checks the ranges."""
    text = form.get(key, "").strip()
    if text and not (text.isascii() and text.isdigit() and len(text) <= 9):
        errors[key] = "Enter a whole number, or leave it empty."
    return int(text) if text and key not in errors else None


def _settings_from(form: dict[str, str], errors: dict[str, str]) -> GenerationSettings | None:
    def chosen(prefix: str) -> frozenset[str]:
        return frozenset(k.removeprefix(prefix) for k, v in form.items() if k.startswith(prefix))

    weights: dict[str, dict[str, int]] = {}
    for solver, _, _ in SOLVERS:
        named = {k for k in form if k.startswith(f"{solver}.")}
        values = {k.split(".", 1)[1]: _whole(form, k, errors) for k in sorted(named)}
        weights[solver] = {n: w for n, w in values.items() if w is not None}
    run = _whole(form, "max_heavy_run", errors)
    if run is None and "max_heavy_run" not in errors:
        errors["max_heavy_run"] = "Enter the longest run of heavy blocks (0 or more)."
    catch_up = _whole(form, "catch_up", errors)  # empty: the solver's default
    rest = _hours(form, "min_rest_hours", errors)
    sequences = _sequences(form.get("allowed_sequences", ""), errors)
    if errors or run is None or rest is None:
        return None
    return GenerationSettings(
        plan_weights=weights["plan"],
        shift_weights=weights["shifts"],
        heavy_rotations=chosen("heavy_"),
        max_heavy_run=run,
        weekend_rotations=chosen("weekend_"),
        catch_up=DEFAULT_CATCH_UP if catch_up is None else catch_up,
        min_rest_hours=rest,
        allowed_sequences=sequences,
    )


def _hours(form: dict[str, str], key: str, errors: dict[str, str]) -> float | None:
    """A number of hours (0 to 24 is the service's check)."""
    text = form.get(key, "").strip()
    try:
        value = float(text) if len(text) <= 9 else None
    except ValueError:
        value = None
    if value is None or value != value:  # NaN is not a number of hours
        errors[key] = "Enter the minimum rest in hours, for example 10."
        return None
    return value


def _sequences(text: str, errors: dict[str, str]) -> tuple[ShiftSequence, ...]:
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        first, sep, following = line.strip().partition(THEN.strip())
        if not sep or not first.strip() or not following.strip():
            errors["allowed_sequences"] = (
                f"Line {number}: write one sequence a line as FIRST then NEXT."
            )
            break
        found.append(ShiftSequence(first.strip(), following.strip()))
    return tuple(found)


def _field_errors(exc: DomainError) -> dict[str, str]:
    """``plan_weights`` with the penalty names at fault -> each ``plan.<name>`` field; the
    rotation lists and the run -> their own fields."""
    field = str(exc.details.get("field", "max_heavy_run"))
    if field.startswith("allowed_sequences"):
        return {"allowed_sequences": sentence(exc.message)}
    message = sentence(exc.message.split(": ", 1)[-1] if ": " in exc.message else exc.message)
    solver = {service: form for form, service, _ in SOLVERS}.get(field)
    if solver is not None and exc.details.get("names"):
        return {f"{solver}.{name}": message for name in exc.details["names"]}
    return {field: message}
