"""Background jobs on Celery: the app factory (app.py), one thin task per job kind (ids in,
status out: handlers.py, generation.py), the execution of one job with its heartbeat (runner.py),
the periodic tasks (beat.py) and how workers start (worker.py, embedded.py). docs/jobs.md."""
