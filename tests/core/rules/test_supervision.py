"""supervision-ratio: ceil(sum of 1/ratio[pgy]) supervising faculty per date and shift."""

from __future__ import annotations

from resched.core.interchange import parse_schedule, write_report
from resched.core.rules import ScheduleContext, check_all
from tests.core.builders import Doc


def clinic(pgys: list[int], faculty: int, rules: dict[str, object] | None = None) -> Doc:
    doc = Doc("2026-07-06", rules=rules)
    doc.shift("CLIN-AM", "08:00", 240, requires_supervision=True, supervised_by=["PRECEPT-AM"])
    doc.shift("PRECEPT-AM", "08:00", 240)
    for i, pgy in enumerate(pgys):
        doc.resident(f"r{i}", pgy=pgy).assign(f"r{i}", 0, "CLIN-AM")
    for i in range(faculty):
        doc.faculty(f"f{i}").assign(f"f{i}", 0, "PRECEPT-AM")
    return doc


def test_one_faculty_supervises_two_pgy1() -> None:
    assert clinic([1, 1], 1).violations() == []


def test_three_pgy1_need_two_faculty() -> None:
    [finding] = clinic([1, 1, 1], 1).violations()
    assert finding.rule == "supervision-ratio"
    assert (finding.person_id, finding.shift_code) == (None, "CLIN-AM")
    assert (finding.value, finding.limit) == (1.0, 2.0)
    assert finding.start.isoformat() == finding.end.isoformat() == "2026-07-06"
    assert clinic([1, 1, 1], 2).violations() == []


def test_one_faculty_supervises_four_seniors_not_five() -> None:
    assert clinic([2, 3, 4, 2], 1).violations() == []
    assert len(clinic([2, 3, 4, 2, 5], 1).violations()) == 1


def test_mixed_levels_add_up_exactly() -> None:
    assert clinic([1, 2, 2], 1).violations() == []  # 1/2 + 1/4 + 1/4 = 1
    assert len(clinic([1, 2, 2, 2], 1).violations()) == 1  # 1.25 -> 2


def test_no_faculty_at_all() -> None:
    [finding] = clinic([3], 0).violations()
    assert (finding.value, finding.limit) == (0.0, 1.0)


def test_faculty_on_the_shift_itself_supervises() -> None:
    doc = clinic([1, 1], 0).faculty("f9").assign("f9", 0, "CLIN-AM")
    assert doc.violations() == []


def test_a_resident_precepting_does_not_supervise() -> None:
    doc = clinic([1], 0).resident("r9", pgy=3).assign("r9", 0, "PRECEPT-AM")
    assert [f.rule for f in doc.violations()] == ["supervision-ratio"]


def test_precepting_on_another_day_does_not_count() -> None:
    doc = clinic([1], 0).faculty("f9").assign("f9", 1, "PRECEPT-AM")
    assert [f.rule for f in doc.violations()] == ["supervision-ratio"]


def test_configured_ratio_table_replaces_the_default() -> None:
    # {"1": 1}: every level takes the highest listed level's ratio, 1:1.
    assert len(clinic([3, 3], 1, {"supervision_ratio": {"1": 1}}).violations()) == 1
    assert clinic([3, 3], 2, {"supervision_ratio": {"1": 1}}).violations() == []


def test_report_names_the_shift_and_omits_the_person() -> None:
    schedule = parse_schedule(clinic([1, 1, 1], 1).doc)
    findings = check_all(ScheduleContext(schedule))
    [item] = write_report(findings, schedule.range, schedule.people, schedule.assignments)[
        "findings"
    ]
    assert "person" not in item
    assert item["shift"] == "CLIN-AM"
