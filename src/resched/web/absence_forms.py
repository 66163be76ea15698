"""The absence form of the Absences page: its choices, the absence as typed, a stored one as
the form shows it, and whose names the page may show."""

from __future__ import annotations

from resched.core.errors import DomainError, Invalid
from resched.core.model import Absence, AbsenceStatus, AbsenceType
from resched.db.records import PersonProfile
from resched.services import people
from resched.services.common import MAX_PAGE_SIZE, SessionFactory
from resched.services.permissions import Permission, Principal
from resched.web.formtools import parse_day, sentence

TYPES = [(t.value, "TDY" if t is AbsenceType.TDY else t.value.capitalize()) for t in AbsenceType]
STATUSES = [(s.value, s.value.capitalize()) for s in AbsenceStatus]
FIELD_IDS = {"person_id": "absence-person", "start": "absence-start", "end": "absence-end"}
FIELD_IDS |= {"type": "absence-type", "status": "absence-status", "note": "absence-note"}


def people_by_id(factory: SessionFactory, principal: Principal) -> dict[int, PersonProfile]:
    """Whose names the page may show: everyone for a manager, else the principal's own."""
    if not principal.can(Permission.ABSENCES_MANAGE):
        if principal.person_id is None:
            return {}
        own = people.get_person(factory=factory, person_id=principal.person_id)
        return {principal.person_id: own}
    found: dict[int, PersonProfile] = {}
    offset, total = 0, 1
    while offset < total:
        page = people.list_people(factory=factory, limit=MAX_PAGE_SIZE, offset=offset)
        found |= {p.id: p for p in page.items if p.id is not None}
        offset, total = offset + MAX_PAGE_SIZE, page.total
    return found


def person_options(
    names: dict[int, PersonProfile], keep: int | None = None
) -> list[tuple[str, str]]:
    """The people an absence can be for: the active ones (and whoever it is for now)."""
    return [(str(i), f"{p.name} ({p.code})") for i, p in names.items() if p.active or i == keep]


def absence_from(form: dict[str, str], principal: Principal) -> Absence:
    """The absence as typed; a member's is always their own request. The service checks
    the values; only the text is read here."""
    manager = principal.can(Permission.ABSENCES_MANAGE)
    person = form.get("person_id", "").strip() if manager else str(principal.person_id or "")
    if not (person.isdigit() and len(person) < 10):
        raise Invalid("choose a person", details={"field": "person_id"})
    kind = next((AbsenceType(v) for v, _ in TYPES if v == form.get("type")), None)
    if kind is None:
        raise Invalid("choose the type of absence", details={"field": "type"})
    chosen = AbsenceStatus.REQUESTED
    if manager:
        found = next((AbsenceStatus(v) for v, _ in STATUSES if v == form.get("status")), None)
        if found is None:
            raise Invalid("choose a status", details={"field": "status"})
        chosen = found
    return Absence(
        person_id=int(person),
        start=parse_day(form.get("start", ""), "start"),
        end=parse_day(form.get("end", ""), "end"),
        type=kind,
        status=chosen,
        note=form.get("note", "").strip(),
    )


def values_of(absence: Absence) -> dict[str, str]:
    return {
        "person_id": str(absence.person_id),
        "start": absence.start.isoformat(),
        "end": absence.end.isoformat(),
        "type": absence.type.value,
        "status": absence.status.value,
        "note": absence.note,
    }


def field_errors(exc: DomainError) -> dict[str, str]:
    return {str(exc.details.get("field", "start")): sentence(exc.message)}
