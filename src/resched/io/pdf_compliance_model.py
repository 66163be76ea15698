"""The compliance report's content, before any drawing: what a site visitor reads, as plain
text and numbers built from the validator's findings and the residents' hour accounts.

Kept apart from the rendering so tests read the report's words directly (a PDF's text is
glyph ids, not searchable strings).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from resched.core.model import Person
from resched.core.rules import RULE_IDS, Finding, Level, PersonAccount, Severity
from resched.core.rules.findings import fmt_number, fmt_span
from resched.core.rules.names import RULE_SUMMARIES, rule_name

SEVERITY_WORDS = {Severity.VIOLATION: "Violation", Severity.WARNING: "Warning"}


@dataclass(frozen=True, slots=True)
class FindingRow:
    severity: str
    who: str
    dates: str
    value: str
    limit: str
    message: str


@dataclass(frozen=True, slots=True)
class RuleSection:
    """The findings of one rule, with the rule in words."""

    rule: str
    name: str
    summary: str
    violations: int
    warnings: int
    rows: tuple[FindingRow, ...]


@dataclass(frozen=True, slots=True)
class HoursBar:
    """One resident's weekly hours: the average over the range and the highest four-week
    average (the number the 80-hour rule limits); None when every day was leave."""

    name: str
    detail: str
    average: float | None
    worst: float | None
    worst_span: str
    over: bool
    leave_shown: bool = True  # whether the reader may know this resident's leave


@dataclass(frozen=True, slots=True)
class ComplianceReport:
    program: str
    version: str  # "#12 Block 1 draft (published)"
    start: dt.date
    end: dt.date
    generated_at: dt.datetime
    timezone: str
    residents: int
    people: int
    look_back: int
    hours_limit: float
    approaching_hours: float
    sections: tuple[RuleSection, ...]
    bars: tuple[HoursBar, ...]

    @property
    def violations(self) -> int:
        return sum(s.violations for s in self.sections)

    @property
    def warnings(self) -> int:
        return sum(s.warnings for s in self.sections)

    @property
    def period(self) -> str:
        return f"{self.start:%B} {self.start.day}, {self.start.year} to " + (
            f"{self.end:%B} {self.end.day}, {self.end.year}"
        )

    def summary_lines(self) -> list[str]:
        """The verdict and what was checked, in sentences."""
        verdict = "Not compliant" if self.violations else "Compliant"
        return [
            f"{verdict}: {_count(self.violations, 'violation')} and "
            f"{_count(self.warnings, 'warning')} from {self.period}.",
            f"Checked: {_count(self.residents, 'resident')} "
            f"({_count(self.people, 'person', 'people')} in the schedule), against every rule "
            f"of the ACGME Common Program Requirements VI.F. Times in {self.timezone}.",
            (
                f"The {_count(self.look_back, 'published shift')} of the 27 days before the "
                "range count too, so the first weeks' rules see the work leading into them."
                if self.look_back
                else "No published shifts fall in the 27 days before the range."
            ),
        ]


def rule_sections(findings: Iterable[Finding], people: Mapping[int, Person]) -> list[RuleSection]:
    """Every rule of ACGME.md in its order, with its findings (a rule without any is listed
    too: a site visitor asks about each)."""
    by_rule: dict[str, list[Finding]] = {rule: [] for rule in RULE_IDS}
    for finding in findings:
        by_rule.setdefault(finding.rule, []).append(finding)
    sections = []
    for rule, found in by_rule.items():
        severities = Counter(f.severity for f in found)
        sections.append(
            RuleSection(
                rule=rule,
                name=rule_name(rule),
                summary=RULE_SUMMARIES.get(rule, ""),
                violations=severities[Severity.VIOLATION],
                warnings=severities[Severity.WARNING],
                rows=tuple(_row(f, people) for f in found),
            )
        )
    return sections


def _row(finding: Finding, people: Mapping[int, Person]) -> FindingRow:
    person = people.get(finding.person_id) if finding.person_id is not None else None
    if person is not None:
        who = f"{person.name} (PGY-{person.pgy})" if person.pgy else person.name
    else:
        who = f"Shift {finding.shift_code}" if finding.shift_code else ""
    return FindingRow(
        severity=SEVERITY_WORDS.get(finding.severity, finding.severity.value),
        who=who,
        dates=fmt_span(finding.start, finding.end),
        value=fmt_number(finding.value),
        limit=fmt_number(finding.limit),
        message=finding.message,
    )


def hours_bars(
    accounts: Sequence[PersonAccount], *, leave_shown: Callable[[int], bool] = lambda _: True
) -> list[HoursBar]:
    """The residents' bars in the order given (the compliance page's: by PGY, then name).
    ``leave_shown(person_id)``: whether the reader may see that person's absences (a bar
    without an average then says why)."""
    bars = []
    for account in accounts:
        worst = account.worst_window
        person = account.person
        bars.append(
            HoursBar(
                name=person.name,
                detail=f"PGY-{person.pgy}" if person.pgy else "",
                average=account.total.average,
                worst=worst.average if worst else None,
                worst_span=fmt_span(worst.start, worst.end) if worst else "",
                over=any(w.level is Level.OVER for w in account.windows),
                leave_shown=leave_shown(person.id),
            )
        )
    return bars


def _count(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else plural or word + 's'}"
