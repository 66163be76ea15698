"""What the edit pages share: the submitted form as plain text, a service's refusal as a
sentence at a field, and the status a refused change answers with."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import Depends, Request

from resched.core.errors import DomainError, Invalid

MAX_FIELD_LENGTH = 4000  # longer than any field a form has (a note is at most 2,000)


async def _submitted(request: Request) -> dict[str, str]:
    """Every text field of the posted form (a repeated name keeps its last value); the
    values longer than any form field are cut, the service then refuses them by length."""
    form = await request.form()
    return {k: v[: MAX_FIELD_LENGTH + 1] for k, v in form.items() if isinstance(v, str)}


# Pages whose forms have fields named by the data (a PGY per academic year, a weight per
# penalty) read the form through this dependency rather than one parameter per field.
Submitted = Annotated[dict[str, str], Depends(_submitted)]


def sentence(message: str) -> str:
    """A service message (``"name must not be empty"``) as a sentence for a page."""
    return message[:1].upper() + message[1:] + ("" if message.endswith(".") else ".")


def refusal_status(error: DomainError) -> int:
    return {"not_found": 404, "conflict": 409, "forbidden": 403}.get(error.code, 422)


def parse_day(value: str, field: str) -> dt.date:
    """A date as a date field sends it, YYYY-MM-DD; else ``Invalid`` naming ``field``."""
    text = value.strip()
    try:
        # Only YYYY-MM-DD: fromisoformat alone would also take 20270701 or 2027-W27-3.
        if len(text) == 10:
            return dt.date.fromisoformat(text)
    except ValueError:
        pass
    raise Invalid("expected a date YYYY-MM-DD", details={"field": field})
