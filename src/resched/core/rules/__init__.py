"""The ACGME compliance engine of ACGME.md: one validator, pure, exact and fast.

ctx = ScheduleContext(ScheduleInput(program=..., people=..., shift_types=..., assignments=...,
                                    range=DateRange(start, end), absences=..., logged_work=...))
findings = check_all(ctx)
impact = check_change(ctx, remove=[old], add=[new])   # impact.created, impact.cleared
accounts = account_residents(ctx)   # hours, free days, calls, nights per week and per window

The names are imported on first use (PEP 562): a module that needs one piece (the windows'
length, the type of a finding) does not load the whole engine.
"""

from typing import TYPE_CHECKING

from resched.core.lazy import lazy_attributes

if TYPE_CHECKING:
    from resched.core.intervals import DateRange
    from resched.core.rules.accounting import (
        Level,
        PersonAccount,
        Tally,
        account_person,
        account_residents,
    )
    from resched.core.rules.context import ScheduleContext, ScheduleInput
    from resched.core.rules.engine import PERSON_RULES, check_all
    from resched.core.rules.findings import RULE_IDS, Finding, Severity
    from resched.core.rules.incremental import ChangeImpact, check_change

_NAMES = {
    "resched.core.intervals": ("DateRange",),
    "resched.core.rules.accounting": (
        "Level",
        "PersonAccount",
        "Tally",
        "account_person",
        "account_residents",
    ),
    "resched.core.rules.context": ("ScheduleContext", "ScheduleInput"),
    "resched.core.rules.engine": ("PERSON_RULES", "check_all"),
    "resched.core.rules.findings": ("RULE_IDS", "Finding", "Severity"),
    "resched.core.rules.incremental": ("ChangeImpact", "check_change"),
}
__getattr__ = lazy_attributes(__name__, _NAMES)

__all__ = [
    "PERSON_RULES",
    "RULE_IDS",
    "ChangeImpact",
    "DateRange",
    "Finding",
    "Level",
    "PersonAccount",
    "ScheduleContext",
    "ScheduleInput",
    "Severity",
    "Tally",
    "account_person",
    "account_residents",
    "check_all",
    "check_change",
]
