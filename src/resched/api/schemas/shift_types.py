"""Shift types."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StrictInt

from resched.api.schemas.common import Code, Flag, Input, Name, Output, WallClock
from resched.core.model import ShiftKind, ShiftType

Minutes = Annotated[StrictInt, Field(ge=1, le=24 * 60)]
TransitionMinutes = Annotated[StrictInt, Field(ge=0, le=4 * 60)]


class ShiftTypeIn(Input):
    code: Code
    name: Name
    start: WallClock = Field(description="local start time, e.g. 07:00")
    minutes: Minutes
    kind: ShiftKind
    transition_minutes: TransitionMinutes = 0
    requires_supervision: Flag = False
    supervised_by: list[Code] = Field(default_factory=list, max_length=20)

    def to_core(self) -> ShiftType:
        return ShiftType(
            code=self.code,
            name=self.name,
            start=self.start,
            minutes=self.minutes,
            kind=self.kind,
            transition_minutes=self.transition_minutes,
            requires_supervision=self.requires_supervision,
            supervised_by=tuple(self.supervised_by),
        )


class ShiftTypeOut(Output):
    id: int
    code: str
    name: str
    start: WallClock
    minutes: int
    kind: ShiftKind
    transition_minutes: int
    requires_supervision: bool
    supervised_by: list[str]

    @classmethod
    def of(cls, shift_type: ShiftType) -> ShiftTypeOut:
        assert shift_type.id is not None
        return cls(
            id=shift_type.id,
            code=shift_type.code,
            name=shift_type.name,
            start=shift_type.start,
            minutes=shift_type.minutes,
            kind=shift_type.kind,
            transition_minutes=shift_type.transition_minutes,
            requires_supervision=shift_type.requires_supervision,
            supervised_by=list(shift_type.supervised_by),
        )
