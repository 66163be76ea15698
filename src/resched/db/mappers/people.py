"""People and their PGY level per academic year: rows <-> records."""

from __future__ import annotations

from resched.core.model import Person
from resched.db.records import PersonProfile
from resched.db.tables import PersonRow, PersonYearRow


def profile_from_row(row: PersonRow) -> PersonProfile:
    return PersonProfile(
        id=row.id,
        code=row.code,
        name=row.name,
        role=row.role,
        email=row.email,
        credentials=frozenset(row.credentials),
        active=row.active,
        phone=row.phone,
        pager=row.pager,
        pgy_by_year={y.academic_year_id: y.pgy for y in row.years},
    )


def fill_person_row(row: PersonRow, profile: PersonProfile) -> PersonRow:
    row.code = profile.code
    row.name = profile.name
    row.role = profile.role
    row.email = profile.email
    row.credentials = sorted(profile.credentials)
    row.active = profile.active
    row.phone = profile.phone
    row.pager = profile.pager
    existing = {y.academic_year_id: y for y in row.years}
    # Reuse rows for years that stay, so an update of one level is an UPDATE, not delete+insert.
    row.years = [
        _person_year(existing.get(year_id), year_id, pgy)
        for year_id, pgy in sorted(profile.pgy_by_year.items())
    ]
    return row


def _person_year(row: PersonYearRow | None, year_id: int, pgy: int) -> PersonYearRow:
    if row is None:
        return PersonYearRow(academic_year_id=year_id, pgy=pgy)
    row.pgy = pgy
    return row


def person_from_row(row: PersonRow, pgy: int | None) -> Person:
    """The core Person as seen in one academic year (``pgy`` for that year, if any)."""
    return Person(
        id=row.id,
        code=row.code,
        name=row.name,
        role=row.role,
        pgy=pgy,
        email=row.email,
        credentials=frozenset(row.credentials),
        active=row.active,
        phone=row.phone,
        pager=row.pager,
    )
