"""Reading the Curtois & Qu text format: sections in a fixed order, comma-separated fields,
``#`` comments and blank lines ignored. Every refusal names the line and the section."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from resched.core.bench.curtois.instance import CoverRow, Instance, Request, ShiftType, Staff
from resched.core.errors import Invalid

SECTIONS = (
    "HORIZON",
    "SHIFTS",
    "STAFF",
    "DAYS_OFF",
    "SHIFT_ON_REQUESTS",
    "SHIFT_OFF_REQUESTS",
    "COVER",
)
_STAFF_FIELDS = (
    "MaxTotalMinutes",
    "MinTotalMinutes",
    "MaxConsecutiveShifts",
    "MinConsecutiveShifts",
    "MinConsecutiveDaysOff",
    "MaxWeekends",
)


class ParseError(Invalid):
    """A malformed instance: ``line`` (1-based) and ``section`` say where."""

    def __init__(self, line: int, section: str | None, problem: str) -> None:
        where = f"line {line}" + (f" (SECTION_{section})" if section else "")
        super().__init__(f"{where}: {problem}", details={"line": line, "section": section})
        self.line = line
        self.section = section


@dataclass(slots=True)
class _Line:
    number: int
    fields: list[str]


@dataclass(slots=True)
class _Reader:
    """The lines of each section, then the checks that need the whole section."""

    sections: dict[str, list[_Line]] = field(default_factory=dict)
    last_line: int = 0

    def lines(self, section: str) -> list[_Line]:
        """A section's lines; asked in file order, so the first error met is the one named."""
        if section not in self.sections:
            raise ParseError(self.last_line, None, f"missing section SECTION_{section}")
        return self.sections[section]


def read_instance(path: str | Path) -> Instance:
    """Parses the file at ``path`` (OSError if it cannot be read, ParseError if malformed)."""
    return parse_instance(Path(path).read_text(encoding="utf-8"))


def parse_instance(text: str) -> Instance:
    reader = _split(text)
    days = _horizon(reader)
    shifts = _shifts(reader)
    known = {s.id for s in shifts}
    staff = _staff(reader, known)
    people = {s.id for s in staff}
    check = _Checks(days, known, people)
    return Instance(
        days=days,
        shifts=shifts,
        staff=staff,
        days_off=_days_off(reader, check),
        on_requests=_requests(reader, "SHIFT_ON_REQUESTS", check),
        off_requests=_requests(reader, "SHIFT_OFF_REQUESTS", check),
        cover=_cover(reader, check),
    )


def _split(text: str) -> _Reader:
    reader = _Reader()
    current: str | None = None
    number = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("SECTION_"):
            current = _next_section(reader, number, current, line.removeprefix("SECTION_"))
            continue
        if current is None:
            raise ParseError(number, None, "data before the first SECTION_ line")
        reader.sections[current].append(_Line(number, [f.strip() for f in line.split(",")]))
    reader.last_line = number
    return reader


def _next_section(reader: _Reader, number: int, current: str | None, name: str) -> str:
    if name not in SECTIONS:
        raise ParseError(number, current, f"unknown section SECTION_{name}")
    expected = SECTIONS[len(reader.sections)] if len(reader.sections) < len(SECTIONS) else None
    if name != expected:
        wanted = f"SECTION_{expected}" if expected else "the end of the file"
        raise ParseError(number, current, f"SECTION_{name} where {wanted} was expected")
    reader.sections[name] = []
    return name


def _number(line: _Line, section: str, what: str, text: str, *, least: int = 0) -> int:
    try:
        value = int(text)
    except ValueError:
        raise ParseError(line.number, section, f"{what} {text!r} is not a number") from None
    if value < least:
        raise ParseError(line.number, section, f"{what} {value} is below {least}")
    return value


def _fields(line: _Line, section: str, count: int, shape: str) -> list[str]:
    if len(line.fields) != count:
        raise ParseError(
            line.number,
            section,
            f"expected {count} comma-separated fields ({shape}), found {len(line.fields)}",
        )
    return line.fields


def _horizon(reader: _Reader) -> int:
    lines = reader.lines("HORIZON")
    if len(lines) != 1:
        number = lines[1].number if lines else reader.last_line
        raise ParseError(number, "HORIZON", "expected exactly one line: the number of days")
    (text,) = _fields(lines[0], "HORIZON", 1, "days")
    return _number(lines[0], "HORIZON", "the number of days", text, least=1)


def _shifts(reader: _Reader) -> tuple[ShiftType, ...]:
    section = "SHIFTS"
    raw: list[tuple[_Line, str, int, list[str]]] = []
    for line in reader.lines(section):
        sid, minutes, after = _fields(line, section, 3, "ShiftID,LengthInMinutes,ForbiddenNext")
        _unique(line, section, "shift", sid, {r[1] for r in raw})
        length = _number(line, section, f"the length of shift {sid}", minutes, least=1)
        raw.append((line, sid, length, [a.strip() for a in after.split("|") if a.strip()]))
    if not raw:
        raise ParseError(reader.last_line, section, "no shift types")
    known = {r[1] for r in raw}
    for line, sid, _, followers in raw:
        for other in followers:
            if other not in known:
                raise ParseError(line.number, section, f"unknown shift {other!r} after {sid}")
    return tuple(ShiftType(sid, length, frozenset(nxt)) for _, sid, length, nxt in raw)


def _unique(line: _Line, section: str, what: str, value: str, seen: set[str]) -> None:
    if not value:
        raise ParseError(line.number, section, f"empty {what} id")
    if value in seen:
        raise ParseError(line.number, section, f"{what} {value!r} is listed twice")


def _staff(reader: _Reader, shifts: set[str]) -> tuple[Staff, ...]:
    section = "STAFF"
    found: list[Staff] = []
    for line in reader.lines(section):
        fields = _fields(line, section, 8, "ID,MaxShifts,MaxTotalMinutes,MinTotalMinutes,...")
        _unique(line, section, "employee", fields[0], {s.id for s in found})
        limits = _max_shifts(line, fields[1], shifts)
        values = [
            _number(line, section, name, text)
            for name, text in zip(_STAFF_FIELDS, fields[2:], strict=True)
        ]
        found.append(Staff(fields[0], limits, *values))
    if not found:
        raise ParseError(reader.last_line, section, "no staff")
    return tuple(found)


def _max_shifts(line: _Line, text: str, shifts: set[str]) -> dict[str, int]:
    limits: dict[str, int] = {}
    for part in (p.strip() for p in text.split("|") if p.strip()):
        sid, equals, count = part.partition("=")
        if not equals:
            raise ParseError(line.number, "STAFF", f"MaxShifts {part!r} is not ShiftID=max")
        if sid not in shifts:
            raise ParseError(line.number, "STAFF", f"MaxShifts names unknown shift {sid!r}")
        try:
            limits[sid] = int(count)
        except ValueError:
            raise ParseError(line.number, "STAFF", f"MaxShifts {part!r} is not a number") from None
        if limits[sid] < 0:
            raise ParseError(line.number, "STAFF", f"MaxShifts {part!r} is negative")
    # A shift the field leaves out cannot be worked, as if it said 0.
    return {sid: limits.get(sid, 0) for sid in sorted(shifts)}


@dataclass(frozen=True, slots=True)
class _Checks:
    days: int
    shifts: set[str]
    people: set[str]

    def day(self, line: _Line, section: str, text: str) -> int:
        day = _number(line, section, "day", text)
        if day >= self.days:
            raise ParseError(
                line.number, section, f"day {day} is outside the horizon (0-{self.days - 1})"
            )
        return day

    def shift(self, line: _Line, section: str, sid: str) -> str:
        if sid not in self.shifts:
            raise ParseError(line.number, section, f"unknown shift {sid!r}")
        return sid

    def person(self, line: _Line, section: str, pid: str) -> str:
        if pid not in self.people:
            raise ParseError(line.number, section, f"unknown employee {pid!r}")
        return pid


def _days_off(reader: _Reader, check: _Checks) -> dict[str, frozenset[int]]:
    section = "DAYS_OFF"
    found: dict[str, frozenset[int]] = {}
    for line in reader.lines(section):
        pid = check.person(line, section, line.fields[0])
        days = {check.day(line, section, text) for text in line.fields[1:] if text}
        found[pid] = found.get(pid, frozenset()) | days
    return found


def _requests(reader: _Reader, section: str, check: _Checks) -> tuple[Request, ...]:
    found: list[Request] = []
    for line in reader.lines(section):
        pid, day, sid, weight = _fields(line, section, 4, "EmployeeID,Day,ShiftID,Weight")
        found.append(
            Request(
                check.person(line, section, pid),
                check.day(line, section, day),
                check.shift(line, section, sid),
                _number(line, section, "weight", weight),
            )
        )
    return tuple(found)


def _cover(reader: _Reader, check: _Checks) -> tuple[CoverRow, ...]:
    section = "COVER"
    found: list[CoverRow] = []
    seen: set[tuple[int, str]] = set()
    shape = "Day,ShiftID,Requirement,WeightForUnder,WeightForOver"
    for line in reader.lines(section):
        day, sid, need, under, over = _fields(line, section, 5, shape)
        row = CoverRow(
            check.day(line, section, day),
            check.shift(line, section, sid),
            _number(line, section, "requirement", need),
            _number(line, section, "weight for under", under),
            _number(line, section, "weight for over", over),
        )
        if (row.day, row.shift) in seen:
            raise ParseError(line.number, section, f"day {row.day} shift {row.shift} twice")
        seen.add((row.day, row.shift))
        found.append(row)
    return tuple(found)
