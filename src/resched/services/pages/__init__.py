"""Read models for the web pages the program overview does not cover: the block-plan grid
and the person page. Keyword-only functions taking a session factory; each runs a fixed
number of queries (the web tests count them)."""

from resched.services.pages.common import (
    PlanVersion,
    YearChoice,
    choose_year,
    load_rotations,
    resolve_year,
)
from resched.services.pages.person import PersonView, PlannedBlock, YearLevel, load_person
from resched.services.pages.plan import PgyGroup, PlanRow, PlanView, load_plan

__all__ = [
    "PersonView",
    "PgyGroup",
    "PlanRow",
    "PlanVersion",
    "PlanView",
    "PlannedBlock",
    "YearChoice",
    "YearLevel",
    "choose_year",
    "load_person",
    "load_plan",
    "load_rotations",
    "resolve_year",
]
