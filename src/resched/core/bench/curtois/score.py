"""An independent scorer: checks a roster against every hard rule of the benchmark and computes
its objective straight from the instance, without the CP-SAT model (so that a modelling mistake
shows as a disagreement rather than hiding in both)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from resched.core.bench.curtois.instance import Instance, Staff

# Employee id -> the shift id worked on each day of the horizon, None for a day off.
Roster = Mapping[str, Sequence[str | None]]


@dataclass(frozen=True, slots=True)
class Score:
    objective: int
    violations: tuple[str, ...]  # hard rules broken, one sentence each; empty when feasible

    @property
    def feasible(self) -> bool:
        return not self.violations


def score_roster(instance: Instance, roster: Roster) -> Score:
    violations: list[str] = []
    for staff in instance.staff:
        days = list(roster.get(staff.id, [None] * instance.days))
        if len(days) != instance.days:
            violations.append(f"{staff.id}: {len(days)} days rostered, horizon {instance.days}")
            continue
        violations.extend(_staff_violations(instance, staff, days))
    unknown = sorted(set(roster) - {s.id for s in instance.staff})
    violations.extend(f"{pid}: not an employee of the instance" for pid in unknown)
    return Score(_objective(instance, roster), tuple(violations))


def _staff_violations(instance: Instance, staff: Staff, days: list[str | None]) -> list[str]:
    known = {s.id: s for s in instance.shifts}
    found = [
        f"{staff.id} day {day}: unknown shift {sid!r}"
        for day, sid in enumerate(days)
        if sid is not None and sid not in known
    ]
    if found:
        return found  # the other rules cannot be read for a roster naming unknown shifts
    for day, sid in enumerate(days):
        if sid is not None and day in instance.days_off.get(staff.id, frozenset()):
            found.append(f"{staff.id} day {day}: works on a fixed day off")
        following = days[day + 1] if day + 1 < len(days) else None
        if sid is not None and following is not None and following in known[sid].forbidden_next:
            found.append(f"{staff.id} day {day}: {following} may not follow {sid}")
    for sid, most in staff.max_shifts.items():
        count = sum(1 for s in days if s == sid)
        if count > most:
            found.append(f"{staff.id}: {count} {sid} shifts, at most {most}")
    minutes = sum(known[s].minutes for s in days if s is not None)
    if not staff.min_minutes <= minutes <= staff.max_minutes:
        found.append(
            f"{staff.id}: {minutes} minutes, not within [{staff.min_minutes}, {staff.max_minutes}]"
        )
    found.extend(_run_violations(staff, [s is not None for s in days]))
    worked = sum(1 for weekend in instance.weekends() if any(days[d] for d in weekend))
    if worked > staff.max_weekends:
        found.append(f"{staff.id}: {worked} weekends worked, at most {staff.max_weekends}")
    return found


def _runs(works: list[bool]) -> list[tuple[bool, int, int]]:
    """(working?, first day, length) of each maximal run of equal days."""
    runs: list[tuple[bool, int, int]] = []
    for day, value in enumerate(works):
        if runs and runs[-1][0] == value:
            kind, start, length = runs[-1]
            runs[-1] = (kind, start, length + 1)
        else:
            runs.append((value, day, 1))
    return runs


def _run_violations(staff: Staff, works: list[bool]) -> list[str]:
    found: list[str] = []
    horizon = len(works)
    for working, start, length in _runs(works):
        inner = start > 0 and start + length < horizon  # runs at an edge are exempt from minima
        if working and length > staff.max_consecutive:
            found.append(
                f"{staff.id}: {length} shifts in a row from day {start}, "
                f"at most {staff.max_consecutive}"
            )
        if working and inner and length < staff.min_consecutive:
            found.append(
                f"{staff.id}: {length} shifts in a row from day {start}, "
                f"at least {staff.min_consecutive}"
            )
        if not working and inner and length < staff.min_consecutive_off:
            found.append(
                f"{staff.id}: {length} days off in a row from day {start}, "
                f"at least {staff.min_consecutive_off}"
            )
    return found


def _objective(instance: Instance, roster: Roster) -> int:
    def works(pid: str, day: int, sid: str) -> bool:
        days = roster.get(pid)
        return days is not None and day < len(days) and days[day] == sid

    total = sum(r.weight for r in instance.on_requests if not works(r.staff, r.day, r.shift))
    total += sum(r.weight for r in instance.off_requests if works(r.staff, r.day, r.shift))
    for row in instance.cover:
        staffed = sum(1 for pid in roster if works(pid, row.day, row.shift))
        total += row.under_weight * max(0, row.requirement - staffed)
        total += row.over_weight * max(0, staffed - row.requirement)
    return total
