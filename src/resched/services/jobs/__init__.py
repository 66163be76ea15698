"""Background jobs: the job row is the truth about a piece of long work.

- ``queue``: submit, read, cancel, and hand ids over to the broker (re-exported here, the
  package's everyday API: ``from resched.services.jobs import submit_job``);
- ``runs``: the calls a worker makes while it runs a job (claim, heartbeat, finish) and the
  reaper;
- ``kinds``: what a job may be asked to do, and the parameters each kind takes;
- ``imports``: an interchange import as a job (the document packed into the parameters);
- ``generations``: a generation as a job (start, progress, cancel).
"""

from resched.services.jobs.queue import (
    ENTITY,
    Claim,
    JobPolicy,
    JobQueue,
    JobSignal,
    QueueUnavailable,
    get_job,
    get_job_result,
    hand_over,
    list_jobs,
    read_result,
    request_cancel,
    submit_job,
    versions_of_jobs,
)

__all__ = [
    "ENTITY",
    "Claim",
    "JobPolicy",
    "JobQueue",
    "JobSignal",
    "QueueUnavailable",
    "get_job",
    "get_job_result",
    "hand_over",
    "list_jobs",
    "read_result",
    "request_cancel",
    "submit_job",
    "versions_of_jobs",
]
