"""Reading back how a stored version was generated."""

from __future__ import annotations

from resched.db.repositories.generation import generation_of
from resched.services.common import SessionFactory, not_found, read
from resched.services.generation.outcome import GenerationOutcome, outcome_from_report
from resched.services.schedules import ENTITY


def get_generation(*, factory: SessionFactory, version_id: int) -> GenerationOutcome | None:
    """The generation report of a version; None for a version that was not generated
    (imported); NotFound for an unknown version."""
    with read(factory) as session:
        found = generation_of(session, version_id)
    if found is None:
        not_found(ENTITY, version_id)
    if found.report is None:
        return None
    return outcome_from_report(version_id, found.report)
