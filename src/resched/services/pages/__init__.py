"""Read models for the web pages the program overview does not cover: the block-plan grid
and the person page. Keyword-only functions taking a session factory; each runs a fixed
number of queries (the web tests count them). They build on services/years.py (today, the
current year and version) and services/plan_grid.py (the grid's value types)."""

from resched.services.pages.common import YearChoice, load_rotations, resolve_year
from resched.services.pages.person import PersonView, PlannedBlock, YearLevel, load_person
from resched.services.pages.plan import load_plan

__all__ = [
    "PersonView",
    "PlannedBlock",
    "YearChoice",
    "YearLevel",
    "load_person",
    "load_plan",
    "load_rotations",
    "resolve_year",
]
