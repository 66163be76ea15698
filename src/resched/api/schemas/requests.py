"""Requests: days off, shifts wanted or not, rotations and vacation in the plan."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Annotated

from pydantic import Field, StrictInt, field_validator

from resched.api.schemas.common import Code, Day, Id, Input, Note, Output
from resched.core.model import Request, RequestKind, RequestStatus
from resched.core.requests import Honoured

Weight = Annotated[StrictInt, Field(ge=0, le=10, description="how much the generators weigh it")]


class RequestIn(Input):
    person_id: Id
    kind: RequestKind
    start: Day
    end: Day
    shift_code: Code | None = Field(None, description="the shift type of shift_on/shift_off")
    rotation_code: Code | None = Field(None, description="the rotation of a rotation request")
    weight: Weight = 1
    status: RequestStatus = RequestStatus.OPEN
    note: Note = ""

    def to_core(self) -> Request:
        return Request(
            person_id=self.person_id,
            kind=self.kind,
            start=self.start,
            end=self.end,
            shift_code=self.shift_code,
            rotation_code=self.rotation_code,
            weight=self.weight,
            status=self.status,
            note=self.note,
        )


class RequestPatch(Input):
    """The fields to change; those left out keep their value (null clears a code, and is
    refused for any other field)."""

    person_id: Id | None = None
    kind: RequestKind | None = None
    start: Day | None = None
    end: Day | None = None
    shift_code: Code | None = None
    rotation_code: Code | None = None
    weight: Weight | None = None
    status: RequestStatus | None = None
    note: Note | None = None

    @field_validator("person_id", "kind", "start", "end", "weight", "status", "note", mode="before")
    @classmethod
    def _not_null(cls, value: object) -> object:
        # Only the codes can be cleared; null for another field is a mistake, not "keep it".
        if value is None:
            raise ValueError("this field cannot be null")
        return value

    def apply(self, current: Request) -> Request:
        return dataclasses.replace(current, id=None, **self.model_dump(exclude_unset=True))


class RequestOut(Output):
    id: int
    person_id: int
    kind: RequestKind
    start: dt.date
    end: dt.date
    shift_code: str | None
    rotation_code: str | None
    weight: int
    status: RequestStatus
    note: str
    honoured: Honoured | None = Field(
        description="whether the latest generated schedule of its year (newest draft, else "
        "the published one) honours it; null for withdrawn and declined requests"
    )

    @classmethod
    def of(cls, request: Request, honoured: Honoured | None) -> RequestOut:
        assert request.id is not None
        return cls(
            id=request.id,
            person_id=request.person_id,
            kind=request.kind,
            start=request.start,
            end=request.end,
            shift_code=request.shift_code,
            rotation_code=request.rotation_code,
            weight=request.weight,
            status=request.status,
            note=request.note,
            honoured=honoured,
        )
