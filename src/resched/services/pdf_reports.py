"""PDF documents from the stored schedule: the compliance report of a version over a range
(for accreditation site visits) and the month's call schedule (the printable page as a file).

Each reads exactly what its page reads, with the reader's permissions: drafts only for readers
allowed them (a hidden draft answers like an unknown id), absences only where the reader may
see them. The range is capped as every check is (services.schedules.MAX_RANGE_DAYS): a longer
one is refused with the field ``end``, so one request stays a bounded amount of work (a year
of the demo program renders in well under the time the check itself takes; see
docs/performance.md).

The drawing modules are imported when a PDF is asked for: fpdf2 brings Pillow and fontTools,
seconds of imports on a busy machine that the web process should not pay at every start
(tests/test_lean_web_process.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from resched.core.errors import Invalid, NotFound
from resched.core.export_safety import safe_filename
from resched.core.interchange.fields import DATE_BOUNDS, EARLIEST_DATE, LATEST_DATE
from resched.core.model import Person, Role, ShiftType
from resched.core.rules import account_residents
from resched.db.repositories.schedule import ScheduleVersion
from resched.io.pdf_calls_model import CallDay, CallLine, CallMonth, LegendLine
from resched.io.pdf_compliance_model import ComplianceReport, hours_bars, rule_sections
from resched.services.common import SessionFactory
from resched.services.exports.common import ExportedFile
from resched.services.pages.schedule_range import Grouping, ViewKind
from resched.services.pages.schedule_view import ScheduleQuery, ScheduleView, load_schedule_view
from resched.services.permissions import EVERY_ABSENCE, AbsenceVisibility
from resched.services.schedules import ScheduleCheck, check_schedule, default_schedule
from resched.services.time_zone import program_zone

MEDIA_TYPE = "application/pdf"


@dataclass(frozen=True, slots=True)
class PdfFile(ExportedFile):
    media_type: str = MEDIA_TYPE


def _silent(fraction: float, message: str) -> None:
    """No one to tell: a request waits for the file itself."""


def compliance_report_pdf(
    *,
    factory: SessionFactory,
    now: dt.datetime,
    version_id: int | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    include_drafts: bool = True,
    absences: AbsenceVisibility = EVERY_ABSENCE,
    compress: bool = True,
    progress: Callable[[float, str], None] = _silent,
) -> PdfFile:
    """The report of ``version_id`` (default: the published version, else the newest the
    reader may see) over ``start``..``end`` (defaults and errors as ``check_schedule``);
    NotFound when there is no schedule at all. ``now``: aware, printed as the moment made.
    ``progress(fraction, message)`` hears each step (a background job's progress)."""
    if version_id is None:
        chosen = default_schedule(factory=factory, include_drafts=include_drafts)
        if chosen is None:
            raise NotFound("no schedule is stored yet", details={"entity": "schedule_version"})
        version_id = chosen.id
    progress(0.05, f"Reading schedule version {version_id}.")
    checked = check_schedule(
        factory=factory,
        version_id=version_id,
        start=start,
        end=end,
        include_drafts=include_drafts,
        absences=absences,
        loaded=lambda stored: progress(
            0.2, f"Checking {len(stored.schedule.assignments)} assignment(s) against the rules."
        ),
    )
    report = _compliance_report(checked, now, absences)
    progress(0.5, f"Rendering the PDF ({len(checked.findings)} finding(s)).")
    from resched.io.pdf_compliance import render_compliance_pdf  # fpdf2: see the module doc

    rng = checked.stored.schedule.range
    stem = f"compliance-{version_id}-{rng.start:%Y%m%d}-{rng.end:%Y%m%d}"
    return PdfFile(safe_filename(stem, "pdf"), render_compliance_pdf(report, compress=compress))


def _compliance_report(
    checked: ScheduleCheck, now: dt.datetime, absences: AbsenceVisibility
) -> ComplianceReport:
    schedule = checked.stored.schedule
    zone = program_zone(schedule.program.timezone)
    residents = [p for p in schedule.people if p.role is Role.RESIDENT]
    accounts = sorted(account_residents(checked.context), key=lambda a: _order(a.person))
    rules = schedule.program.rules
    return ComplianceReport(
        program=schedule.program.name,
        version=_version_words(checked.stored.version),
        start=schedule.range.start,
        end=schedule.range.end,
        generated_at=now.astimezone(zone),
        timezone=zone.key,
        residents=len(residents),
        people=len(schedule.people),
        look_back=checked.stored.look_back,
        hours_limit=rules.hours_per_week_limit,
        approaching_hours=rules.approaching_hours,
        sections=tuple(rule_sections(checked.findings, {p.id: p for p in schedule.people})),
        bars=tuple(hours_bars(accounts, leave_shown=absences.shows)),
    )


def call_schedule_pdf(
    *,
    factory: SessionFactory,
    now: dt.datetime,
    month: dt.date | None = None,
    version_id: int | None = None,
    include_drafts: bool = False,
    absences: AbsenceVisibility = EVERY_ABSENCE,
    compress: bool = True,
) -> PdfFile:
    """The call schedule of ``month`` (any day of it; default: this month) from
    ``version_id`` (default: the published version of that month's year), as
    /schedule/print shows it. NotFound for an unknown or hidden version."""
    if month is not None and not EARLIEST_DATE <= month <= LATEST_DATE:
        raise Invalid(
            f"month: expected {DATE_BOUNDS}, got {month:%Y-%m}", details={"field": "month"}
        )
    query = ScheduleQuery(
        kind=ViewKind.MONTH,
        anchor=month,
        grouping=Grouping.SHIFT,
        version_id=version_id,
        calls_only=True,
    )
    view = load_schedule_view(
        factory=factory, query=query, now=now, include_drafts=include_drafts, absences=absences
    )
    document = _call_month(view, now)
    from resched.io.pdf_calls import render_call_schedule_pdf  # fpdf2: see the module doc

    version = view.version
    stem = f"calls-{document.month:%Y-%m}" + (f"-v{version.id}" if version else "")
    return PdfFile(
        safe_filename(stem, "pdf"), render_call_schedule_pdf(document, compress=compress)
    )


def _call_month(view: ScheduleView, now: dt.datetime) -> CallMonth:
    version = view.version
    schedule = f"{version.label or 'schedule'} ({version.status.value})" if version else ""
    days = tuple(
        CallDay(
            day=agenda.day.day,
            holiday=agenda.day.holiday,
            lines=tuple(
                CallLine(s.shift.code, tuple(p.person.name for p in s.people))
                for s in agenda.shifts
            ),
        )
        for agenda in view.agenda
    )
    return CallMonth(
        program=view.program_name,
        month=view.anchor.replace(day=1),
        schedule=schedule,
        timezone=view.timezone,
        generated_at=now.astimezone(program_zone(view.timezone)),
        days=days,
        legend=tuple(_legend_line(item.shift) for item in view.legend),
    )


def _legend_line(shift: ShiftType) -> LegendLine:
    """As the page's legend says a shift's hours (web/wording.py describe_hours)."""
    start = shift.start.strftime("%H:%M")
    if shift.minutes >= 24 * 60:
        hours = f"{start} for {shift.minutes // 60} h"
    else:
        began = dt.datetime.combine(dt.date(2000, 1, 1), shift.start)
        ended = began + dt.timedelta(minutes=shift.minutes)
        hours = f"{start}-{ended:%H:%M}" + (" next day" if ended.date() > began.date() else "")
    return LegendLine(shift.code, shift.name, hours)


def _version_words(version: ScheduleVersion) -> str:
    label = version.label or "(no label)"
    return f"#{version.id} {label} ({version.status.value}, {version.academic_year_label})"


def _order(person: Person) -> tuple[int, str, str]:
    """By PGY level, then name (the compliance page's order)."""
    return (person.pgy or 0, person.name, person.code)
