"""ETag / If-Match for the items that carry a version (resched.services.versions).

GET of one item answers ``ETag: "<version>"``; PUT and DELETE take ``If-Match`` with that
value and answer 409 (the error shape, ``details.current_version``, and the current ETag)
when the item changed since. Without If-Match the write is accepted as before (last writer
wins, but never half-way: the row is still claimed); ``If-Match: *`` means the same.
A successful PUT that sent If-Match answers the new ETag.
"""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import Depends, Header, Response

from resched.core.errors import Invalid

IF_MATCH_HELP = (
    'The item\'s ETag from its GET (e.g. "3"): the write is refused with 409 if the item '
    "changed since. Optional: without it the write replaces whatever is stored."
)
_ETAG = re.compile(r'^(?:W/)?"?(\d{1,9})"?$')


def if_match(
    header: Annotated[
        str | None, Header(alias="If-Match", description=IF_MATCH_HELP, max_length=40)
    ] = None,
) -> int | None:
    """The version an ``If-Match`` header names; None when absent or ``*``."""
    if header is None or header.strip() in ("", "*"):
        return None
    match = _ETAG.match(header.strip())
    if match is None:
        raise Invalid(
            'If-Match takes one ETag as sent by GET, e.g. "3"', details={"field": "If-Match"}
        )
    return int(match.group(1))


IfMatchDep = Annotated[int | None, Depends(if_match)]


def etag(version: int) -> str:
    return f'"{version}"'


def tag(response: Response, version: int | None) -> None:
    """Put the item's ETag on ``response`` (nothing when the version is unknown)."""
    if version is not None:
        response.headers["ETag"] = etag(version)


def saved_version(sent: int | None) -> int | None:
    """The version a write that sent ``sent`` saved: one more (services.versions.claim)."""
    return None if sent is None else sent + 1
