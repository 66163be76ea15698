"""The Compliance page's read model: one stored schedule checked over a range, its findings
(filtered by rule, person and PGY) and the residents' duty-hour accounting.

A fixed number of queries whatever the size: the version list (three), the program name (one)
and ``load_schedule`` (about a dozen, one per kind of row).

A view is kept per process while the data generation of the tables it reads stands (the
check's: resched.db.generation, services/check_cache.py), built with every absence; a reader
allowed only their own absences gets it with the others' taken out, one shared object for all
readers the page tells nothing about their own leave (the page keeps its rendered HTML per
view object, web/compliance.py).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from resched.core.errors import Invalid
from resched.core.model import Person, Role
from resched.core.rules import (
    RULE_IDS,
    DateRange,
    Finding,
    PersonAccount,
    Severity,
    account_residents,
)
from resched.db.repositories.schedule import ScheduleVersion
from resched.services.absence_privacy import without_absence_details
from resched.services.check_cache import CHECK_TABLES, cached_check
from resched.services.common import read
from resched.services.permissions import EVERY_ABSENCE, AbsenceVisibility
from resched.services.read_cache import BoundedCache, cache_for, kept
from resched.services.schedules import default_schedule, list_schedules
from resched.services.years import load_program_info

VERSION_CHOICES = 50  # the newest versions offered in the picker; any other by its id
CACHED_VIEWS = 32  # a few versions and ranges x filters, and the readers' variants
# Findings, weeks and windows held (each some 0.2-0.3 kB with its share of the accounts): two
# years of 150 residents, or many months, per process.
CACHED_SIZE = 120_000


@dataclass(frozen=True, slots=True)
class ComplianceFilters:
    """``person`` is a person's code; empty filters are None."""

    rule: str | None = None
    person: str | None = None
    pgy: int | None = None


@dataclass(frozen=True, slots=True)
class FindingView:
    finding: Finding
    person: Person | None


@dataclass(frozen=True, slots=True)
class ComplianceView:
    program_name: str
    versions: tuple[ScheduleVersion, ...]
    version: ScheduleVersion | None
    range: DateRange | None = None
    filters: ComplianceFilters = ComplianceFilters()
    findings: tuple[FindingView, ...] = ()
    violations: int = 0  # among the findings shown: the verdict describes what the filters show
    warnings: int = 0
    accounts: tuple[PersonAccount, ...] = ()
    people: tuple[Person, ...] = ()
    pgy_levels: tuple[int, ...] = ()
    rule_ids: tuple[str, ...] = RULE_IDS  # in the order of ACGME.md
    hours_limit: float = 80.0
    approaching_hours: float = 76.0
    look_back: int = 0
    # Whose leave days the hours table may mark (absences are the person's and coordinators').
    absences: AbsenceVisibility = EVERY_ABSENCE
    # The people whose leave the page tells a reader allowed to see it: those with approved
    # absences in the checked range (leave days, a conflict's details) and those with no
    # four-week average (said to be on leave throughout).
    leave_shown: frozenset[int] = frozenset()

    @property
    def size(self) -> int:
        """What the view holds, for the caches' bound: findings, and the accounts' weeks and
        averaging windows (a year of 150 residents: some 60,000)."""
        held = sum(len(a.weeks) + len(a.windows) for a in self.accounts)
        return len(self.findings) + held + 1


def load_compliance(
    *,
    factory: sessionmaker[Session],
    version_id: int | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    filters: ComplianceFilters = ComplianceFilters(),
    include_drafts: bool = True,
    absences: AbsenceVisibility = EVERY_ABSENCE,
) -> ComplianceView:
    """The page for ``version_id`` (default: the published version, else the newest); NotFound
    for an unknown version, Invalid for an end before the start."""
    key, full = kept(
        factory,
        "compliance",
        _new_cache,
        CHECK_TABLES,
        (version_id, start, end, filters, include_drafts),
        lambda: _built(factory, version_id, start, end, filters, include_drafts),
    )
    if absences.everyone:
        return full
    own = absences.own_person_id
    readers = own if own in full.leave_shown else None
    variants = cache_for(factory, "compliance_variants", _new_cache)
    variant = variants.get((key, readers))
    if variant is None:
        variant = _as_seen_by(full, AbsenceVisibility(everyone=False, own_person_id=readers))
        variants.put((key, readers), variant)
    return variant


def _new_cache() -> BoundedCache[ComplianceView]:
    return BoundedCache(CACHED_VIEWS, CACHED_SIZE, lambda view: view.size)


def _as_seen_by(view: ComplianceView, absences: AbsenceVisibility) -> ComplianceView:
    """``view`` (built with every absence) for a reader who sees only ``absences``."""
    shown = without_absence_details([v.finding for v in view.findings], absences)
    findings = tuple(FindingView(f, v.person) for f, v in zip(shown, view.findings, strict=True))
    return dataclasses.replace(view, findings=findings, absences=absences)


def _built(
    factory: sessionmaker[Session],
    version_id: int | None,
    start: dt.date | None,
    end: dt.date | None,
    filters: ComplianceFilters,
    include_drafts: bool,
) -> ComplianceView:
    versions = list_schedules(
        factory=factory, limit=VERSION_CHOICES, include_drafts=include_drafts
    ).items
    if version_id is None:
        chosen = (
            default_schedule(factory=factory, include_drafts=include_drafts) if versions else None
        )
        version_id = chosen.id if chosen else None
    if version_id is None:
        with read(factory) as session:
            name = load_program_info(session).name
        return ComplianceView(program_name=name, versions=versions, version=None)
    checked = cached_check(
        factory=factory,
        version_id=version_id,
        start=start,
        end=end,
        include_drafts=include_drafts,
    )
    schedule = checked.stored.schedule
    people = {p.id: p for p in schedule.people}
    _check_filters(filters, schedule.people)
    findings = [
        v
        for f in checked.findings
        if _keep(v := FindingView(f, people.get(f.person_id or 0)), filters)
    ]
    violations = sum(1 for v in findings if v.finding.severity is Severity.VIOLATION)
    residents = [p for p in schedule.people if p.role is Role.RESIDENT]
    accounts = sorted(account_residents(checked.context), key=lambda a: _order(a.person))
    rules = schedule.program.rules
    return ComplianceView(
        program_name=schedule.program.name,
        versions=versions,
        version=checked.stored.version,
        range=schedule.range,
        filters=filters,
        findings=tuple(findings),
        violations=violations,
        warnings=len(findings) - violations,
        accounts=tuple(a for a in accounts if _keep_person(a.person, filters)),
        people=tuple(sorted(schedule.people, key=_order)),
        pgy_levels=tuple(sorted({p.pgy for p in residents if p.pgy is not None})),
        hours_limit=rules.hours_per_week_limit,
        approaching_hours=rules.approaching_hours,
        look_back=checked.stored.look_back,
        leave_shown=frozenset(
            {a.person_id for a in schedule.absences}
            | {
                a.person.id
                for a in accounts
                if a.worst_window is None or a.worst_window.average is None
            }
        ),
    )


def _check_filters(filters: ComplianceFilters, people: Sequence[Person]) -> None:
    """Invalid for a person code or rule id that names nothing: showing everyone (or every rule)
    instead would answer a question that was not asked."""
    if filters.person is not None and all(p.code != filters.person for p in people):
        raise Invalid(
            f"person: no one in this schedule has the code {filters.person!r}",
            details={"field": "person"},
        )
    if filters.rule is not None and filters.rule not in RULE_IDS:
        raise Invalid(f"rule: there is no rule {filters.rule!r}", details={"field": "rule"})


def _order(person: Person) -> tuple[int, int, str, str]:
    """Residents by PGY level, then faculty; by name within each."""
    resident = person.role is Role.RESIDENT
    return (0 if resident else 1, person.pgy or 0, person.name, person.code)


def _keep(view: FindingView, filters: ComplianceFilters) -> bool:
    if filters.rule is not None and view.finding.rule != filters.rule:
        return False
    if filters.person is None and filters.pgy is None:
        return True
    # A person or PGY filter asks about people: findings of no one (supervision) drop out.
    return view.person is not None and _keep_person(view.person, filters)


def _keep_person(person: Person, filters: ComplianceFilters) -> bool:
    if filters.person is not None and person.code != filters.person:
        return False
    return filters.pgy is None or person.pgy == filters.pgy
