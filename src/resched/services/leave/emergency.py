"""Emergency coverage: someone is unavailable from a date (sick, deployed, a family
emergency). The absence is approved at once, the shifts it touches are listed and a repair
proposal is started; publishing it is ``publish_repair`` (ChangeKind.EMERGENCY), with an
override reason for the frozen days it will touch."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import update

from resched.core.changes.kinds import OverrideReason
from resched.core.model import Absence, AbsenceStatus, AbsenceType
from resched.db.tables import AbsenceRow
from resched.services.absences import add_absences
from resched.services.common import SessionFactory, fail, read, write
from resched.services.generation import Limits
from resched.services.jobs import JobQueue
from resched.services.jobs.generations import GenerationRun
from resched.services.leave.decide import Decider
from resched.services.leave.proposal import start_repair
from resched.services.leave.touched import Touched, published_over, touched_in

DEFAULT_DAYS = 14  # without an end: two weeks, then the coordinator looks again


class EmergencyType(StrEnum):
    SICK = "sick"
    DEPLOYMENT = "deployment"
    FAMILY = "family"
    OTHER = "other"


ABSENCE_TYPES = {
    EmergencyType.SICK: AbsenceType.SICK,
    EmergencyType.DEPLOYMENT: AbsenceType.DEPLOYMENT,
    EmergencyType.FAMILY: AbsenceType.OTHER,
    EmergencyType.OTHER: AbsenceType.OTHER,
}
DEFAULT_OVERRIDES = {
    EmergencyType.SICK: OverrideReason.SICK_CALL,
    EmergencyType.DEPLOYMENT: OverrideReason.DEPLOYMENT,
    EmergencyType.FAMILY: OverrideReason.EMERGENCY_LEAVE,
    EmergencyType.OTHER: OverrideReason.EMERGENCY_LEAVE,
}


@dataclass(frozen=True, slots=True)
class Emergency:
    """The approved absence with what it touches, and the repair job (None: nothing to
    repair, the person holds no published shifts on those days)."""

    touched: Touched
    run: GenerationRun | None


@dataclass(frozen=True, slots=True)
class Unavailable:
    person_id: int
    start: dt.date
    type: EmergencyType
    end: dt.date | None = None
    note: str = ""


def declare_emergency(
    *,
    factory: SessionFactory,
    queue: JobQueue,
    unavailable: Unavailable,
    decider: Decider,
    limits: Limits | None = None,
) -> Emergency:
    absence_id = _store(factory, unavailable, decider)
    with read(factory) as session:
        touched = touched_in(session, absence_id)
    if touched.range is None:
        return Emergency(touched, None)
    run = start_repair(
        factory=factory,
        queue=queue,
        absence_id=absence_id,
        actor=decider.actor,
        requested_by=decider.user_id,
        limits=limits,
    )
    return Emergency(touched, run)


def _store(factory: SessionFactory, unavailable: Unavailable, decider: Decider) -> int:
    end = unavailable.end or _default_end(factory, unavailable.start)
    if end < unavailable.start:
        fail("end", "the end is before the start")
    note = unavailable.note.strip()
    if unavailable.type is EmergencyType.FAMILY:
        note = f"family: {note}" if note else "family"
    absence = Absence(
        unavailable.person_id,
        unavailable.start,
        end,
        ABSENCE_TYPES[unavailable.type],
        AbsenceStatus.APPROVED,
        note,
    )
    with write(factory) as session:
        (created,) = add_absences(session, [absence], actor=decider.actor)
        assert created.id is not None
        session.execute(
            update(AbsenceRow)
            .where(AbsenceRow.id == created.id)
            .values(decided_at=decider.now, decided_by=decider.user_id, decision_note="emergency")
        )
        return created.id


def _default_end(factory: SessionFactory, start: dt.date) -> dt.date:
    """Two weeks, within the published schedule when there is one."""
    span = dt.timedelta(days=DEFAULT_DAYS - 1)
    end = start + span if start <= dt.date.max - span else dt.date.max
    with read(factory) as session:
        version = published_over(session, start, start)
    if version is not None and version.last_day is not None and version.last_day >= start:
        end = min(end, version.last_day)
    return end
