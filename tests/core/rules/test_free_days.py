"""day-off-1-in-7: 4 free days in 28 legal, 3 not; at-home call and logged work use up a day."""

from __future__ import annotations

from tests.core.builders import Doc

RANGE = ("2026-07-01", "2026-07-28")
FREE = (6, 13, 20, 27)


def working_all_but(free: tuple[int, ...]) -> Doc:
    doc = Doc(*RANGE).resident("r1", pgy=2).shift("D8", "08:00", 480)
    return doc.assign_days("r1", "D8", [i for i in range(28) if i not in free])


def test_four_free_days_in_28_is_legal() -> None:
    assert working_all_but(FREE).violations("day-off-1-in-7") == []


def test_three_free_days_in_28_is_a_violation() -> None:
    [finding] = working_all_but(FREE[:3]).violations("day-off-1-in-7")
    assert (finding.value, finding.limit) == (3.0, 4.0)
    assert "3 free days in Jul 1-Jul 28" in finding.message


def test_at_home_call_spilling_into_a_free_day_uses_it_up() -> None:
    doc = working_all_but(FREE).shift("HOME", "17:00", 840, "at_home_call")
    doc.assign("r1", 5, "HOME")  # 17:00 day 5 to 07:00 day 6, a free day
    [finding] = doc.violations("day-off-1-in-7")
    assert finding.value == 3.0


def test_logged_home_call_uses_up_a_free_day() -> None:
    doc = working_all_but(FREE)
    doc.log("r1", f"{doc.day(13)}T20:00", f"{doc.day(13)}T21:00", "home_call")
    assert len(doc.violations("day-off-1-in-7")) == 1


def test_night_shift_occupies_both_days_it_touches() -> None:
    doc = working_all_but((*FREE, 3)).shift("N", "19:00", 720, "night_float")
    assert doc.violations("day-off-1-in-7") == []
    doc.assign("r1", 2, "N")  # 19:00 day 2 to 07:00 day 3: day 3 is no longer free
    assert doc.violations("day-off-1-in-7") == []  # still 4 (6, 13, 20, 27)
    doc.assign("r1", 26, "N")  # until 07:00 on day 27
    assert len(doc.violations("day-off-1-in-7")) == 1


def leave_case(work_days: int) -> Doc:
    doc = Doc(*RANGE).resident("r1", pgy=2).shift("D8", "08:00", 480).absence("r1", 21, 27)
    return doc.assign_days("r1", "D8", range(work_days))


def test_leave_days_are_neither_free_nor_counted() -> None:
    # 21 effective days need 3 free days (3 x 7 >= 21).
    assert leave_case(18).violations("day-off-1-in-7") == []
    [finding] = leave_case(19).violations("day-off-1-in-7")
    assert (finding.value, finding.limit) == (2.0, 3.0)
    assert "not on leave" in finding.message
