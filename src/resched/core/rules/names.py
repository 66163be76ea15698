"""The rules of ACGME.md in words: a short name for headings and pickers, and a sentence
saying what the rule asks, for readers who do not know the ids (pages, PDF reports)."""

from __future__ import annotations

RULE_NAMES = {
    "hours-80": "Weekly hours limit, averaged",
    "day-off-1-in-7": "One free day in seven",
    "continuous-duty": "Longest continuous duty",
    "rest-after-24h": "Rest after 24 hours on duty",
    "rest-8h": "Eight hours free between shifts",
    "call-q3": "How often in-house call comes",
    "night-float-consecutive": "Night float nights in a row",
    "moonlighting-pgy1": "No moonlighting in PGY-1",
    "supervision-ratio": "Supervision ratio",
    "double-booked": "One place at a time",
    "absence-conflict": "No work during an absence",
}

# ACGME Common Program Requirements VI.F as ACGME.md states them, limits at their defaults
# (a program may set stricter ones; each finding names the limit it was checked against).
RULE_SUMMARIES = {
    "hours-80": "Duty hours, in-house call and logged work (moonlighting included) must not "
    "exceed 80 hours a week, averaged over every four-week window; leave days are left out "
    "of the average. A warning marks an average close to the limit.",
    "day-off-1-in-7": "Residents must have one day in seven free of clinical work and "
    "education, averaged over every four-week window; leave days are left out.",
    "continuous-duty": "A duty period must not be scheduled for more than 24 hours, with up "
    "to 4 more hours for the hand-over of care.",
    "rest-after-24h": "After a duty period of 24 hours or more, residents must have at least "
    "14 hours free before the next one.",
    "rest-8h": "Residents should have at least 8 hours free between duty periods (a "
    "'should': findings are warnings).",
    "call-q3": "In-house call must come no more often than every third night, averaged over "
    "every four-week window.",
    "night-float-consecutive": "Night float must not run for more nights in a row than the "
    "program allows (6 by default).",
    "moonlighting-pgy1": "PGY-1 residents must not moonlight.",
    "supervision-ratio": "Each shift that needs supervision must have enough supervising "
    "faculty for its residents (PGY-1 one to two, PGY-2 and up one to four by default).",
    "double-booked": "No one may be assigned two shifts that overlap in time.",
    "absence-conflict": "No one may be assigned a shift on a day of their approved absence.",
}


def rule_name(rule: str) -> str:
    """A rule id in words; an unknown id as it is."""
    return RULE_NAMES.get(rule, rule)
