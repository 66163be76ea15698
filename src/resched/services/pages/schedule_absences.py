"""What a reader of the Schedule page may see of absences: a view is built with every approved
absence (so that one cached view serves every reader) and the absences of other people are
taken out for a reader allowed only their own (services/permissions.AbsenceVisibility)."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from resched.services.pages.schedule_rows import AgendaDay, Cell, Row, RowGroup
from resched.services.permissions import AbsenceVisibility

if TYPE_CHECKING:
    from resched.services.pages.schedule_view import ScheduleView


def audience(view: ScheduleView, visibility: AbsenceVisibility) -> int | bool | None:
    """Which readers see ``view`` (built with every absence) alike: True for those who see
    every absence; else the reader's person if the view shows them away, or None - every
    reader allowed only their own absences who has none here sees the same view."""
    if visibility.everyone:
        return True
    own = visibility.own_person_id
    if own is None:
        return None
    rows = (r for g in view.groups for r in g.rows if r.person_id == own)
    if any(c.away is not None for r in rows for c in r.cells):
        return own
    return own if any(p.id == own for d in view.agenda for p in d.away) else None


def absences_visible_to(view: ScheduleView, visibility: AbsenceVisibility) -> ScheduleView:
    """``view`` (built with every absence) as ``visibility`` may see it."""
    if visibility.everyone:
        return view
    return dataclasses.replace(
        view,
        groups=tuple(_group(g, visibility) for g in view.groups),
        agenda=tuple(_day(d, visibility) for d in view.agenda),
    )


def _group(group: RowGroup, visibility: AbsenceVisibility) -> RowGroup:
    rows = tuple(_row(r, visibility) for r in group.rows)
    changed = any(new is not old for new, old in zip(rows, group.rows, strict=True))
    return dataclasses.replace(group, rows=rows) if changed else group


def _row(row: Row, visibility: AbsenceVisibility) -> Row:
    if row.person_id is None or visibility.shows(row.person_id):
        return row  # a row per shift type marks no absence
    if all(c.away is None for c in row.cells):
        return row
    cells = tuple(c if c.away is None else Cell(c.entries) for c in row.cells)
    return dataclasses.replace(row, cells=cells)


def _day(day: AgendaDay, visibility: AbsenceVisibility) -> AgendaDay:
    away = tuple(p for p in day.away if visibility.shows(p.id))
    return day if len(away) == len(day.away) else dataclasses.replace(day, away=away)
