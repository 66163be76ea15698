"""The night the clocks go back: the demo's one change to DEMO.md's numbers (see build.py).

DEMO.md's ward and ICU call runs 07:00 + 24 h with 4 h of transition, on the wall clock. On the
day before an autumn DST change that call lasts 25 h scheduled (29 h with the transition), which
``continuous-duty`` of ACGME.md forbids, so none of that day's call demands could be filled and
the block holding it would be infeasible by the data. On those dates the demo asks for
``CALL-DST`` instead: the same call, one hour shorter on the wall clock (24 h of real time).
The dates come from the program's timezone, never from a table of DST dates.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Iterator

from resched.core.intervals import assignment_interval, load_zone
from resched.core.model import CoverageRequirement, RuleConfig, ShiftType

CALL, CALL_DST = "CALL", "CALL-DST"
_HOUR = 3600


def days_between(first: dt.date, last: dt.date) -> Iterator[dt.date]:
    for offset in range((last - first).days + 1):
        yield first + dt.timedelta(days=offset)


def too_long_dates(
    shift: ShiftType, days: Iterable[dt.date], timezone: str, rules: RuleConfig
) -> frozenset[dt.date]:
    """Dates on which ``shift``, placed by the wall clock, breaks ``continuous-duty``: in a
    timezone with DST, the days whose shift spans the autumn change (an hour longer)."""
    zone = load_zone(timezone)
    most = rules.max_continuous_hours * _HOUR
    most_total = (rules.max_continuous_hours + rules.transition_hours) * _HOUR
    found = set()
    for day in days:
        iv = assignment_interval(day, shift, zone)
        if iv.scheduled_end - iv.start > most or iv.end - iv.start > most_total:
            found.add(day)
    return frozenset(found)


def short_call_on(
    coverage: tuple[CoverageRequirement, ...], dates: frozenset[dt.date]
) -> tuple[CoverageRequirement, ...]:
    """Each CALL demand without ``dates``, each followed by its CALL-DST twin on exactly
    ``dates``: same counts, same eligibility, so the same residents take it."""
    if not dates:
        return coverage
    found: list[CoverageRequirement] = []
    for need in coverage:
        if need.shift_code != CALL:
            found.append(need)
            continue
        found.append(dataclasses.replace(need, except_dates=need.except_dates | dates))
        found.append(
            dataclasses.replace(
                need,
                shift_code=CALL_DST,
                name=f"{need.name} (night the clocks go back)",
                dates=dates,
                except_dates=frozenset(),
            )
        )
    return tuple(found)
