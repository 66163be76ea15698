"""The program's today for the swap board: the adapters pass the wall clock in."""

from __future__ import annotations

import datetime as dt

from resched.services.common import SessionFactory
from resched.services.time_zone import load_program_zone


def program_day(*, factory: SessionFactory, now: dt.datetime) -> dt.date:
    return now.astimezone(load_program_zone(factory=factory)).date()
