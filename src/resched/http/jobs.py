"""The app's job queue, shared by the API and the pages: where submitted jobs' ids go."""

from __future__ import annotations

from fastapi import Request

from resched.services.jobs import JobQueue


def job_queue(request: Request) -> JobQueue:
    """Set by the app factory (Celery); tests put a recording or in-process queue there."""
    queue: JobQueue = request.app.state.job_queue
    return queue
