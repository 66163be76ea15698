"""People: a person with their PGY level per academic year."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, field_validator

from resched.api.schemas.common import Code, Credential, Flag, Id, Input, Name, Output, Pgy
from resched.core.model import CONTACT_NUMBER_MAX, CONTACT_NUMBER_PATTERN, Role
from resched.db.records import PersonProfile

Email = Annotated[str, Field(strict=True, max_length=254, pattern=r"^[^@\s]+@[^@\s]+$")]
# "+1 555 0100", "4-1234", "#321": digits with the usual separators.
ContactNumber = Annotated[
    str, Field(strict=True, max_length=CONTACT_NUMBER_MAX, pattern=CONTACT_NUMBER_PATTERN)
]


class PersonYear(Input):
    academic_year_id: Id
    pgy: Pgy


class PersonIn(Input):
    """A person (residents: with their PGY level in each academic year they belong to)."""

    code: Code
    name: Name
    role: Role
    email: Email | None = None
    phone: ContactNumber | None = None
    pager: ContactNumber | None = None
    credentials: list[Credential] = Field(default_factory=list, max_length=50)
    active: Flag = True
    years: list[PersonYear] = Field(default_factory=list, max_length=20)

    @field_validator("years")
    @classmethod
    def _one_level_per_year(cls, years: list[PersonYear]) -> list[PersonYear]:
        ids = [year.academic_year_id for year in years]
        if len(set(ids)) != len(ids):
            raise ValueError("one entry per academic year")
        return years

    def to_profile(self) -> PersonProfile:
        return PersonProfile(
            code=self.code,
            name=self.name,
            role=self.role,
            email=self.email,
            phone=self.phone,
            pager=self.pager,
            credentials=frozenset(self.credentials),
            active=self.active,
            pgy_by_year={year.academic_year_id: year.pgy for year in self.years},
        )


class PersonOut(Output):
    id: int
    code: str
    name: str
    role: Role
    email: str | None
    phone: str | None
    pager: str | None
    credentials: list[str]
    active: bool
    years: list[PersonYear]

    @classmethod
    def of(cls, profile: PersonProfile) -> PersonOut:
        assert profile.id is not None
        return cls(
            id=profile.id,
            code=profile.code,
            name=profile.name,
            role=profile.role,
            email=profile.email,
            phone=profile.phone,
            pager=profile.pager,
            credentials=sorted(profile.credentials),
            active=profile.active,
            years=[
                PersonYear(academic_year_id=year_id, pgy=pgy)
                for year_id, pgy in sorted(profile.pgy_by_year.items())
            ],
        )
