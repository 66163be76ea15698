"""The compliance report PDF from the validator's own findings and accounts: what it says
(read back from the file), in what order, for names in any Latin script; no database."""

from __future__ import annotations

import dataclasses
import datetime as dt

from resched.core.interchange import parse_schedule
from resched.core.rules import RULE_IDS, ScheduleContext, Severity, account_residents, check_all
from resched.core.rules.names import RULE_NAMES, RULE_SUMMARIES
from resched.io.pdf_compliance import render_compliance_pdf
from resched.io.pdf_compliance_model import ComplianceReport, hours_bars, rule_sections
from tests.pdf_text import page_count, pdf_lines, pdf_text
from tests.schedule_data import troubled_doc

MADE = dt.datetime(2026, 9, 1, 8, 30, tzinfo=dt.UTC)
ZOE = "Nguyễn Thị Zoë"


def _report(*, names: dict[str, str] | None = None, leave_shown: bool = True) -> ComplianceReport:
    document = troubled_doc()
    for person in document["people"]:
        person["name"] = (names or {}).get(person["id"], person["name"])
    schedule = parse_schedule(document)
    context = ScheduleContext(schedule)
    findings = check_all(context)
    people = {p.id: p for p in schedule.people}
    return ComplianceReport(
        program="Riverside IM",
        version="#7 Block 1 (draft, 2026-27)",
        start=schedule.range.start,
        end=schedule.range.end,
        generated_at=MADE,
        timezone="America/Chicago",
        residents=3,
        people=len(schedule.people),
        look_back=0,
        hours_limit=80.0,
        approaching_hours=76.0,
        sections=tuple(rule_sections(findings, people)),
        bars=tuple(hours_bars(account_residents(context), leave_shown=lambda _: leave_shown)),
    )


def test_every_rule_is_listed_in_order_with_its_words_and_findings() -> None:
    report = _report()
    assert [s.rule for s in report.sections] == list(RULE_IDS)
    hours = report.sections[0]
    assert (hours.name, hours.summary) == (RULE_NAMES["hours-80"], RULE_SUMMARIES["hours-80"])
    assert hours.violations >= 1
    assert all("Ada Lee" in row.who for row in hours.rows)
    supervision = next(s for s in report.sections if s.rule == "supervision-ratio")
    assert [row.who for row in supervision.rows] == ["Shift CLIN"]  # no one person's finding
    assert report.violations == sum(s.violations for s in report.sections) > 0
    quiet = next(s for s in report.sections if s.rule == "moonlighting-pgy1")
    assert (quiet.violations, quiet.warnings, quiet.rows) == (0, 0, ())


def test_the_pdf_says_what_was_checked_and_every_finding() -> None:
    report = _report()
    data = render_compliance_pdf(report, compress=False)
    text = pdf_text(data)
    lines = pdf_lines(data)
    assert "Riverside IM" in lines
    assert "#7 Block 1 (draft, 2026-27)" in lines
    assert "July 1, 2026 to August 11, 2026" in lines
    verdict = (
        f"Not compliant: {report.violations} violations and {report.warnings} warning"
        f"{'' if report.warnings == 1 else 's'} from July 1, 2026 to August 11, 2026."
    )
    assert verdict in text
    for section in report.sections:
        assert f"{section.name} ({section.rule})" in lines
        assert section.summary.split(" ")[0] in text
    for section in report.sections:
        for row in section.rows:
            assert row.message[:40] in text.replace("\n", " ")
    # Counts by rule and severity: the summary table's row of each rule with findings.
    ratio = next(s for s in report.sections if s.rule == "supervision-ratio")
    at = lines.index(ratio.name)
    assert lines[at + 1 : at + 3] == [str(ratio.violations), str(ratio.warnings)]
    assert page_count(data) >= 2
    assert f"Page 1 of {page_count(data)}" in lines


def test_the_chart_marks_who_is_over_the_limit_in_words() -> None:
    report = _report()
    ada = next(b for b in report.bars if b.name == "Ada Lee")
    ben = next(b for b in report.bars if b.name == "Ben Ode")
    assert ada.over
    assert ada.worst is not None
    assert ada.worst > 80
    assert not ben.over
    lines = pdf_lines(render_compliance_pdf(report, compress=False))
    assert any(line.startswith("limit 80") for line in lines)
    ada_numbers = lines[lines.index("Ada Lee PGY-1") + 1]
    assert ada_numbers.endswith("OVER")
    assert "highest 4 wk" in ada_numbers
    assert not lines[lines.index("Ben Ode PGY-2") + 1].endswith("OVER")


def test_names_outside_latin_1_print_as_themselves() -> None:
    report = _report(names={"r1": ZOE, "r3": "Łukasz Ševčík"})
    lines = pdf_lines(render_compliance_pdf(report, compress=False))
    assert f"{ZOE} PGY-1" in lines  # the chart
    assert f"{ZOE} (PGY-1)" in lines  # the findings table
    assert any("Łukasz Ševčík" in line for line in lines)
    assert not any("\ufffd" in line for line in lines)


def test_a_bar_without_an_average_says_leave_only_to_those_who_may_know() -> None:
    report = _report()
    away = dataclasses.replace(report.bars[0], average=None, worst=None, over=False)
    hidden = dataclasses.replace(away, leave_shown=False)
    shown = pdf_text(
        render_compliance_pdf(dataclasses.replace(report, bars=(away,)), compress=False)
    )
    kept = pdf_text(
        render_compliance_pdf(dataclasses.replace(report, bars=(hidden,)), compress=False)
    )
    assert "on leave throughout: no average" in shown
    assert "no average" in kept
    assert "leave throughout" not in kept


def test_same_input_same_bytes_and_a_compressed_file_is_smaller() -> None:
    report = _report()
    first = render_compliance_pdf(report)
    assert first == render_compliance_pdf(report)
    assert first.startswith(b"%PDF-")
    assert first.rstrip().endswith(b"%%EOF")
    assert len(first) < len(render_compliance_pdf(report, compress=False))


def test_warnings_are_counted_apart_from_violations() -> None:
    report = _report()
    severities = {row.severity for section in report.sections for row in section.rows}
    assert severities <= {"Violation", "Warning"}
    assert report.warnings == sum(
        1 for s in report.sections for r in s.rows if r.severity == "Warning"
    )
    assert Severity.WARNING.value == "warning"
