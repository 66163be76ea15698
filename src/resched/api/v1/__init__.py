"""Version 1 of the JSON API; the app factory mounts ``api_router`` at ``/api/v1``."""

from fastapi import APIRouter

from resched.api.v1 import absences, coverage, people, rotations, shift_types

api_router = APIRouter()
for _module in (people, shift_types, rotations, coverage, absences):
    api_router.include_router(_module.router)

__all__ = ["api_router"]
