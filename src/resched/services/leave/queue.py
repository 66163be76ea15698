"""The coordinator's approval queue: every requested absence, oldest start first, with the
shifts it touches and where its repair proposal stands."""

from __future__ import annotations

from resched.core.model import AbsenceStatus
from resched.db.tables import AbsenceRow
from resched.services.common import SessionFactory, read
from resched.services.leave.proposal import Proposal, proposals_of
from resched.services.leave.touched import LeaveRecord, load_record, load_records

MAX_QUEUE = 200


def leave_queue(*, factory: SessionFactory, limit: int = MAX_QUEUE) -> list[Proposal]:
    with read(factory) as session:
        records = load_records(
            session, AbsenceRow.status == AbsenceStatus.REQUESTED, limit=limit, oldest_first=True
        )
    return proposals_of(factory=factory, records=records)


def my_leave(*, factory: SessionFactory, person_id: int, limit: int = 50) -> list[LeaveRecord]:
    """The person's absences, latest first, with the coordinator's decision and reason."""
    with read(factory) as session:
        return load_records(session, AbsenceRow.person_id == person_id, limit=limit)


def get_leave(*, factory: SessionFactory, absence_id: int) -> LeaveRecord:
    with read(factory) as session:
        return load_record(session, absence_id)
