"""``python -m resched``: the CLI, also how ``resched serve`` starts its embedded worker (the
same interpreter, whether or not the ``resched`` script is on the PATH)."""

from resched.cli import app

app()
