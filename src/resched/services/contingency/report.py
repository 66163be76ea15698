"""The ``resched.contingency/v1`` report: JSON-ready (people by code and name, days ISO).

- ``margins``: a days x requirements grid; each cell the eligible people assigned, the minimum,
  who could legally step in (``standby``), ``slack`` (assigned - minimum) and ``margin``
  (slack + standby: how many could be lost before the minimum is missed and nobody can step in);
- ``n_minus_1``: each person out over the horizon, most severe first;
- ``n_minus_2``: the fatal pairs, and which people the pairs were taken among (``cut``);
- ``utilization``: each pool's hours against its legal capacity (see pools.py);
- ``backups``: for each single point of failure (severity critical or high), the stand-in the
  best repair gives each orphaned shift it can cover - a jeopardy assignment to arrange.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from resched.core.calendar import iter_days
from resched.core.contingency.margin import Margin
from resched.core.contingency.outages import Outage, Severity
from resched.core.contingency.standby import Demand
from resched.core.model import Assignment
from resched.core.rules import ScheduleContext
from resched.services.contingency.pools import LINE, utilization

FORMAT = "resched.contingency/v1"
SHOWN_SHIFTS = 50  # orphaned or uncovered shifts listed per outage (the counts are whole)
BACKUP_SEVERITIES = (Severity.CRITICAL, Severity.HIGH)


def build_report(
    ctx: ScheduleContext,
    demand: Demand,
    *,
    version_id: int,
    start: dt.date,
    end: dt.date,
    margins: Sequence[Margin],
    singles: Sequence[Outage],
    pairs: dict[str, Any],
    fatal: Sequence[Outage],
) -> dict[str, Any]:
    singles_json = [_outage(ctx, o) for o in singles]
    return {
        "format": FORMAT,
        "version_id": version_id,
        "range": {"start": start.isoformat(), "end": end.isoformat()},
        "people": len(singles),
        "margins": _grid(margins, start, end),
        "n_minus_1": singles_json,
        "single_points_of_failure": [
            o for o in singles_json if o["severity"] == Severity.CRITICAL.value
        ],
        "n_minus_2": {**pairs, "fatal": [_outage(ctx, o) for o in fatal]},
        "utilization": {
            "line": LINE,
            "pools": [
                {
                    "label": p.label,
                    "shift": p.shift_code,
                    "people": p.people,
                    "pool_days": p.pool_days,
                    "assigned_hours": round(p.assigned_hours, 1),
                    "capacity_hours": round(p.capacity_hours, 1),
                    "utilization": round(p.utilization, 3),
                    "no_slack": p.no_slack,
                }
                for p in utilization(ctx, demand, start, end)
            ],
        },
        "backups": _backups(ctx, singles),
    }


def person(ctx: ScheduleContext, person_id: int) -> dict[str, str]:
    p = ctx.people[person_id]
    return {"code": p.code, "name": p.name}


def _shift(a: Assignment) -> dict[str, str]:
    return {"day": a.date.isoformat(), "shift": a.shift_code}


def _outage(ctx: ScheduleContext, o: Outage) -> dict[str, Any]:
    return {
        "people": [person(ctx, pid) for pid in o.people],
        "severity": o.severity.value,
        "shifts": len(o.shifts),
        "orphaned": len(o.orphans),
        "uncovered": len(o.repair.uncovered),
        "impossible": len(o.repair.impossible),
        "repair_size": o.repair.size,
        "uncovered_shifts": [_shift(a) for a in o.repair.uncovered[:SHOWN_SHIFTS]],
    }


def _grid(found: Sequence[Margin], start: dt.date, end: dt.date) -> dict[str, Any]:
    """Rows are days, columns requirements (by shift and label, in the order first met)."""
    columns: dict[tuple[str, str], int] = {}
    for m in found:
        columns.setdefault((m.shift_code, m.label), len(columns))
    days = [d.isoformat() for d in iter_days(start, end)]
    cells: list[list[dict[str, int] | None]] = [[None] * len(columns) for _ in days]
    for m in found:
        cells[(m.day - start).days][columns[(m.shift_code, m.label)]] = {
            "assigned": m.assigned,
            "minimum": m.minimum,
            "standby": m.standby,
            "slack": m.slack,
            "margin": m.margin,
        }
    return {
        "days": days,
        "requirements": [{"shift": s, "label": label} for s, label in columns],
        "cells": cells,
    }


def _backups(ctx: ScheduleContext, singles: Sequence[Outage]) -> list[dict[str, Any]]:
    return [
        {
            "out": person(ctx, o.people[0]),
            **_shift(orphan),
            "backup": person(ctx, stand_in),
        }
        for o in singles
        if o.severity in BACKUP_SEVERITIES
        for orphan, stand_in in o.repair.given
    ]
