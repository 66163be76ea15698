"""The rows, cells and agenda of a schedule view, built from shifts already read (no queries):
see services/pages/schedule_view.py for what the page shows and where the data comes from."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from resched.core.model import AbsenceType, Person, Role, Rotation, ShiftKind, ShiftType
from resched.services.pages.schedule_range import Grouping

ON_CALL = frozenset({ShiftKind.IN_HOUSE_CALL, ShiftKind.AT_HOME_CALL})
FACULTY = "Faculty"
# How shift-type rows are grouped: on call first, the way a call schedule is read.
KIND_GROUPS = (
    (ShiftKind.IN_HOUSE_CALL, "In-house call"),
    (ShiftKind.AT_HOME_CALL, "At-home call"),
    (ShiftKind.NIGHT_FLOAT, "Night float"),
    (ShiftKind.WORK, "Day work"),
    (ShiftKind.OFF, "Off"),
)


@dataclass(frozen=True, slots=True)
class Day:
    day: dt.date
    is_today: bool
    holiday: str | None  # the holiday's name ("" when it has none); None on other days
    in_year: bool  # inside the version's academic year (else the version holds nothing there)

    @property
    def is_holiday(self) -> bool:
        return self.holiday is not None

    @property
    def is_weekend(self) -> bool:
        return self.day.isoweekday() >= 6


@dataclass(frozen=True, slots=True)
class ShownShift:
    """A legend line: a shift type and its compact label in the cells."""

    shift: ShiftType
    label: str
    on_call: bool


@dataclass(frozen=True, slots=True)
class OnShift:
    """A person on one shift: ``starts`` and ``ends`` are aware local date-times."""

    person: Person
    shift: ShiftType
    day: dt.date
    starts: dt.datetime
    ends: dt.datetime
    rotation: Rotation | None


@dataclass(frozen=True, slots=True)
class Entry:
    """One thing in a cell: ``label`` shown, ``title`` its words (a shift's name, a person's)."""

    label: str
    title: str
    on_call: bool


@dataclass(frozen=True, slots=True)
class Cell:
    entries: tuple[Entry, ...] = ()
    away: AbsenceType | None = None  # an approved absence the reader may see


@dataclass(frozen=True, slots=True)
class Row:
    label: str  # a person's name or a shift type's name
    code: str  # their code
    detail: str  # "PGY-2", "Faculty", or a shift type's compact label
    cells: tuple[Cell, ...]
    shift: ShiftType | None = None  # the shift type of a row per shift type
    person_id: int | None = None  # the person of a row per person


@dataclass(frozen=True, slots=True)
class RowGroup:
    label: str
    rows: tuple[Row, ...]


@dataclass(frozen=True, slots=True)
class ShiftOnDay:
    shift: ShiftType
    on_call: bool
    people: tuple[OnShift, ...]


@dataclass(frozen=True, slots=True)
class AgendaDay:
    """Who is on which shift on one day (the day view; on a phone, the agenda list)."""

    day: Day
    shifts: tuple[ShiftOnDay, ...]
    away: tuple[Person, ...]


def on_call(shift: ShiftType) -> bool:
    return shift.kind in ON_CALL


def person_order(person: Person) -> tuple[bool, int, str, str]:
    """Residents by PGY (junior first), then faculty; by name within."""
    return (person.role is Role.FACULTY, person.pgy or 0, person.name, person.code)


def person_group(person: Person) -> str:
    if person.role is Role.FACULTY:
        return FACULTY
    return f"PGY-{person.pgy}" if person.pgy is not None else "Residents"


EMPTY = Cell()


def person_rows(
    days: Sequence[Day],
    duties: Sequence[OnShift],
    people: Iterable[Person],
    labels: Mapping[str, str],
    away: Mapping[tuple[int, dt.date], AbsenceType],
) -> tuple[RowGroup, ...]:
    """A row per person (grouped by PGY, then faculty), their shifts' labels per day. A
    shift type's entry is one shared object and an empty day one shared cell: a month of 200
    people is thousands of cells, and fewer objects keep the collector out of the request."""
    shared: dict[str, Entry] = {}
    rank: dict[Entry, tuple[dt.time, str]] = {}
    entries: dict[tuple[int, dt.date], list[Entry]] = defaultdict(list)
    for duty in duties:
        code = duty.shift.code
        if code not in shared:
            shared[code] = Entry(labels[code], duty.shift.name, on_call(duty.shift))
            rank[shared[code]] = (duty.shift.start, code)
        entries[(duty.person.id, duty.day)].append(shared[code])
    for found in entries.values():
        if len(found) > 1:  # a day's shifts by start time; most days hold one
            found.sort(key=rank.__getitem__)
    grouped: dict[str, list[Row]] = defaultdict(list)
    for person in sorted(people, key=person_order):
        cells = tuple(_cell(entries, away, (person.id, d.day)) for d in days)
        group = person_group(person)
        grouped[group].append(Row(person.name, person.code, group, cells, person_id=person.id))
    return tuple(RowGroup(label, tuple(rows)) for label, rows in grouped.items())


def _cell(
    entries: Mapping[tuple[int, dt.date], list[Entry]],
    away: Mapping[tuple[int, dt.date], AbsenceType],
    key: tuple[int, dt.date],
) -> Cell:
    found, gone = entries.get(key), away.get(key)
    if found is None and gone is None:
        return EMPTY
    return Cell(tuple(found or ()), gone)


def shift_rows(
    days: Sequence[Day], duties: Sequence[OnShift], shifts: Sequence[ShownShift]
) -> tuple[RowGroup, ...]:
    """A row per shift type (on call first), the people on it per day (short names)."""
    names = short_names({d.person.id: d.person for d in duties}.values())
    shared: dict[tuple[int, bool], Entry] = {}
    people: dict[tuple[str, dt.date], list[Entry]] = defaultdict(list)
    for duty in sorted(duties, key=lambda d: person_order(d.person)):
        key = (duty.person.id, on_call(duty.shift))
        if key not in shared:
            shared[key] = Entry(names[duty.person.id], duty.person.name, key[1])
        people[(duty.shift.code, duty.day)].append(shared[key])
    groups = []
    for kind, label in KIND_GROUPS:
        rows = tuple(
            Row(
                shown.shift.name,
                shown.shift.code,
                shown.label,
                tuple(_shift_cell(people.get((shown.shift.code, day.day))) for day in days),
                shown.shift,
            )
            for shown in shifts
            if shown.shift.kind is kind
        )
        if rows:
            groups.append(RowGroup(label, rows))
    return tuple(groups)


def _shift_cell(entries: list[Entry] | None) -> Cell:
    return Cell(tuple(entries)) if entries else EMPTY


def short_names(people: Iterable[Person]) -> dict[int, str]:
    """Person id -> a short name for a cell: the surname ("Haddad"), with the first initial
    when two shown people share it ("O. Haddad"), else the code."""
    found = list(people)
    surnames = defaultdict(list)
    for person in found:
        surnames[_surname(person)].append(person)
    short = {}
    for surname, same in surnames.items():
        for person in same:
            if len(same) == 1:
                short[person.id] = surname
                continue
            initialled = f"{person.name[:1]}. {surname}"
            clash = sum(1 for p in same if f"{p.name[:1]}. {surname}" == initialled)
            short[person.id] = initialled if clash == 1 else person.code
    return short


def _surname(person: Person) -> str:
    words = person.name.split()
    return words[-1] if words else person.code


def agenda(
    days: Sequence[Day],
    duties: Sequence[OnShift],
    away: Mapping[tuple[int, dt.date], AbsenceType],
    people: Mapping[int, Person],
) -> tuple[AgendaDay, ...]:
    """Each day's shifts by start time, on each the people by PGY (senior first) and name;
    the people away that day whose absences the reader may see."""
    by_day: dict[dt.date, dict[str, list[OnShift]]] = defaultdict(lambda: defaultdict(list))
    for duty in duties:
        by_day[duty.day][duty.shift.code].append(duty)
    listed = []
    for day in days:
        shifts = [
            ShiftOnDay(
                on[0].shift,
                on_call(on[0].shift),
                tuple(sorted(on, key=lambda d: (-(d.person.pgy or 0), d.person.name))),
            )
            for on in by_day.get(day.day, {}).values()
        ]
        shifts.sort(key=lambda s: (s.people[0].starts, s.shift.code))
        gone = sorted(
            (people[pid] for (pid, d) in away if d == day.day and pid in people),
            key=person_order,
        )
        listed.append(AgendaDay(day, tuple(shifts), tuple(gone)))
    return tuple(listed)


def group_rows(
    grouping: Grouping,
    days: Sequence[Day],
    duties: Sequence[OnShift],
    people: Iterable[Person],
    legend: Sequence[ShownShift],
    away: Mapping[tuple[int, dt.date], AbsenceType],
) -> tuple[RowGroup, ...]:
    if grouping is Grouping.SHIFT:
        return shift_rows(days, duties, legend)
    labels = {s.shift.code: s.label for s in legend}
    return person_rows(days, duties, people, labels, away)
