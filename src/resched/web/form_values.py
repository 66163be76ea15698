"""What the page forms share: reading a date field, and a service message as a sentence."""

from __future__ import annotations

import datetime as dt

from resched.core.errors import Invalid


def form_day(value: str, field: str) -> dt.date:
    """A ``YYYY-MM-DD`` form value, else Invalid naming ``field``."""
    text = value.strip()
    try:
        # Only YYYY-MM-DD: fromisoformat alone would also take 20270701 or 2027-W27-3.
        if len(text) == 10:
            return dt.date.fromisoformat(text)
    except ValueError:
        pass
    raise Invalid("expected a date YYYY-MM-DD", details={"field": field})


def sentence(message: str) -> str:
    """A service message as the page shows it: capitalised, with its full stop."""
    return message[:1].upper() + message[1:] + ("" if message.endswith(".") else ".")
