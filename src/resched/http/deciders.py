"""Who decides a leave request in this request, for every page that decides one (the Leave
queue, the Absences list): the same actor, account, program today and now as the API's."""

from __future__ import annotations

from starlette.requests import Request

from resched.http.auth import request_actor
from resched.http.clock import request_now
from resched.http.database import request_factory
from resched.services.leave.decide import Decider, make_decider
from resched.services.permissions import Principal


def request_decider(request: Request, principal: Principal) -> Decider:
    return make_decider(
        factory=request_factory(request),
        actor=request_actor(request, principal),
        user_id=principal.user_id,
        now=request_now(request),
    )
