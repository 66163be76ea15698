"""The permission matrix: which role may do what. The one place that answers "may they?".

Every API route and page declares one ``Permission`` (resched.http.auth.require); a test walks
every route of the app and fails for a route that declares none. Ownership rules ("a resident
acts only on their own requests") sit next to the matrix so they are read together.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from resched.core.errors import Forbidden
from resched.core.model import AbsenceStatus, RequestStatus
from resched.db.tables import UserRole
from resched.services.auth.errors import PasswordChangeRequired


class Permission(StrEnum):
    PROGRAM_READ = "program:read"  # rotations, shift types, coverage rules, block scheme
    PROGRAM_WRITE = "program:write"
    PEOPLE_READ = "people:read"
    PEOPLE_WRITE = "people:write"
    SCHEDULE_READ = "schedule:read"  # the published rotation plan and shift schedule
    SCHEDULE_WRITE = "schedule:write"  # drafts, generation, publishing, manual changes
    SCHEDULE_DRAFTS = "schedule:drafts"  # unpublished versions: drafts and generated results
    ABSENCES_MANAGE = "absences:manage"  # everyone's absences: read, decide, edit
    REQUESTS_OWN = "requests:own"  # one's own absences, requests and swaps
    REQUESTS_MANAGE = "requests:manage"  # everyone's requests: read, add, decide, edit
    ACCOUNT_SELF = "account:self"  # one's own account: who am I, password, sign out
    USERS_MANAGE = "users:manage"
    AUDIT_READ = "audit:read"
    MAIL_READ = "mail:read"  # the mail outbox: every mail queued, sent or failed
    SETTINGS_MANAGE = "settings:manage"
    JOBS_OWN = "jobs:own"  # one's own background jobs: follow, cancel, read the result
    JOBS_MANAGE = "jobs:manage"  # everyone's jobs (the Jobs page)


# What each permission lets one do, completing "Your role (resident) cannot ...": refusals say
# what is missing in words, never the permission's id.
PERMISSION_WORDS = {
    Permission.PROGRAM_READ: "see the program",
    Permission.PROGRAM_WRITE: "change the program",
    Permission.PEOPLE_READ: "see the people",
    Permission.PEOPLE_WRITE: "change the people",
    Permission.SCHEDULE_READ: "see the schedule",
    Permission.SCHEDULE_WRITE: "change the schedule",
    Permission.SCHEDULE_DRAFTS: "see draft schedules",
    Permission.ABSENCES_MANAGE: "manage everyone's absences",
    Permission.REQUESTS_OWN: "make requests",
    Permission.REQUESTS_MANAGE: "manage everyone's requests",
    Permission.ACCOUNT_SELF: "use an account",
    Permission.USERS_MANAGE: "manage user accounts",
    Permission.AUDIT_READ: "read the audit trail",
    Permission.MAIL_READ: "read the outgoing mail",
    Permission.SETTINGS_MANAGE: "change the settings",
    Permission.JOBS_OWN: "run background jobs",
    Permission.JOBS_MANAGE: "see everyone's background jobs",
}


def refusal(role: UserRole, permission: Permission) -> str:
    """ "Your role (resident) cannot change the schedule." """
    return f"Your role ({role.value}) cannot {PERMISSION_WORDS[permission]}."


# Residents and faculty read everyone's published schedule and the program, and act only on
# their own requests; coordinators run the program; admins (program directors) hold
# everything, users, settings and the audit trail included.
_MEMBER = frozenset(
    {
        Permission.PROGRAM_READ,
        Permission.PEOPLE_READ,
        Permission.SCHEDULE_READ,
        Permission.REQUESTS_OWN,
        Permission.ACCOUNT_SELF,
        Permission.JOBS_OWN,
    }
)
_COORDINATOR = _MEMBER | {
    Permission.PROGRAM_WRITE,
    Permission.PEOPLE_WRITE,
    Permission.SCHEDULE_WRITE,
    Permission.SCHEDULE_DRAFTS,
    Permission.ABSENCES_MANAGE,
    Permission.REQUESTS_MANAGE,
    Permission.JOBS_MANAGE,
}
MATRIX: Mapping[UserRole, frozenset[Permission]] = {
    UserRole.RESIDENT: _MEMBER,
    UserRole.FACULTY: _MEMBER,
    UserRole.COORDINATOR: frozenset(_COORDINATOR),
    UserRole.ADMIN: frozenset(Permission),
}


def is_allowed(role: UserRole, permission: Permission) -> bool:
    return permission in MATRIX.get(role, frozenset())


@dataclass(frozen=True, slots=True)
class Principal:
    """The signed-in user of one request, read fresh from the database on every request (a
    role change or a deactivation takes effect at once)."""

    user_id: int
    username: str
    role: UserRole
    person_id: int | None
    session_id: str
    # Signed in with a one-time password from an administrator's reset.
    must_change_password: bool = False

    def can(self, permission: Permission) -> bool:
        return is_allowed(self.role, permission)


# All an account with a reset password may do until it chooses its own: who am I, change
# the password, sign out.
_UNTIL_PASSWORD_CHANGED = frozenset({Permission.ACCOUNT_SELF})


def check_password_changed(principal: Principal, permission: Permission) -> None:
    """PasswordChangeRequired (403) for anything but the account itself while the password
    is a one-time password; the pages answer it with a redirect to the change form."""
    if principal.must_change_password and permission not in _UNTIL_PASSWORD_CHANGED:
        raise PasswordChangeRequired()


def check_allowed(principal: Principal, permission: Permission) -> None:
    if not principal.can(permission):
        raise Forbidden(
            refusal(principal.role, permission),
            details={"permission": permission.value},
        )


@dataclass(frozen=True, slots=True)
class OwnChanges[S: StrEnum]:
    """How members change their own absences or requests: a manager (``manage``) changes any;
    a member only their own, only while it is ``undecided``, and may only set ``settable``
    (ask, or take it back); ``choices`` says so when they try more."""

    manage: Permission
    noun: str
    undecided: S
    settable: frozenset[S]
    choices: str


ABSENCE_CHANGES = OwnChanges(
    Permission.ABSENCES_MANAGE,
    "absence",
    AbsenceStatus.REQUESTED,
    frozenset({AbsenceStatus.REQUESTED, AbsenceStatus.CANCELLED}),
    "you can request an absence or cancel your request",
)
REQUEST_CHANGES = OwnChanges(
    Permission.REQUESTS_MANAGE,
    "request",
    RequestStatus.OPEN,
    frozenset({RequestStatus.OPEN, RequestStatus.WITHDRAWN}),
    "you can make a request or withdraw it",
)


def check_own_change[S: StrEnum](
    principal: Principal,
    rules: OwnChanges[S],
    *,
    person_id: int,
    new_status: S | None,
    old_status: S | None = None,
) -> bool:
    """Forbidden unless ``principal`` may make this change (``new_status`` None is a delete);
    True for a manager, whom no ownership rule binds."""
    if principal.can(rules.manage):
        return True
    check_allowed(principal, Permission.REQUESTS_OWN)
    if principal.person_id is None or principal.person_id != person_id:
        raise Forbidden(
            f"you can only change your own {rules.noun}s", details={"field": "person_id"}
        )
    if old_status is not None and old_status is not rules.undecided:
        raise Forbidden(
            f"this {rules.noun} is {old_status.value}; ask a coordinator to change it",
            details={"field": "status"},
        )
    if new_status is not None and new_status not in rules.settable:
        raise Forbidden(f"{rules.choices}; a coordinator decides it", details={"field": "status"})
    return False


def check_absence_change(
    principal: Principal,
    *,
    person_id: int,
    new_status: AbsenceStatus | None,
    old_status: AbsenceStatus | None = None,
) -> None:
    """A manager changes any absence; anyone else only their own, only while it is a request
    (not yet decided), and may only request or cancel it. ``new_status`` None is a delete."""
    check_own_change(
        principal,
        ABSENCE_CHANGES,
        person_id=person_id,
        new_status=new_status,
        old_status=old_status,
    )


def check_request_change(
    principal: Principal,
    *,
    person_id: int,
    new_status: RequestStatus | None,
    old_status: RequestStatus | None = None,
    weight_changed: bool = False,
) -> None:
    """A manager changes any request; anyone else only their own, only while it is open, may
    only ask or withdraw, and leaves its weight to a coordinator. ``new_status`` None is a
    delete."""
    manager = check_own_change(
        principal,
        REQUEST_CHANGES,
        person_id=person_id,
        new_status=new_status,
        old_status=old_status,
    )
    if weight_changed and not manager:
        raise Forbidden("a coordinator sets a request's weight", details={"field": "weight"})


def readable_request_person_id(principal: Principal, requested: int | None) -> int | None:
    """Whose requests a list may show: any (``requested``) for a manager, else only the
    principal's own person's."""
    return _readable(principal, requested, Permission.REQUESTS_MANAGE, "requests")


def readable_person_id(principal: Principal, requested: int | None) -> int | None:
    """The person whose absences a list may show: any (``requested``) for a manager, else
    only the principal's own person. Absences carry health and family reasons, so they are
    not part of the "everyone reads everything" program data."""
    return _readable(principal, requested, Permission.ABSENCES_MANAGE, "absences")


def _readable(
    principal: Principal, requested: int | None, manage: Permission, what: str
) -> int | None:
    if principal.can(manage):
        return requested
    if principal.person_id is None or (requested is not None and requested != principal.person_id):
        raise Forbidden(f"you can only see your own {what}", details={"field": "person_id"})
    return principal.person_id


@dataclass(frozen=True, slots=True)
class AbsenceVisibility:
    """Whose absences a reader sees: everyone's (``everyone``), else only their own person's
    (nobody's without a linked person). Every read that carries absences - the absence list,
    person pages, interchange exports, compliance reports - asks this."""

    everyone: bool
    own_person_id: int | None = None

    def shows(self, person_id: int | None) -> bool:
        return self.everyone or (person_id is not None and person_id == self.own_person_id)


EVERY_ABSENCE = AbsenceVisibility(everyone=True)


def absence_visibility(principal: Principal) -> AbsenceVisibility:
    if principal.can(Permission.ABSENCES_MANAGE):
        return EVERY_ABSENCE
    return AbsenceVisibility(everyone=False, own_person_id=principal.person_id)


def job_owner_filter(principal: Principal) -> int | None:
    """Whose jobs the principal may see and cancel: everyone's (None) for coordinators and
    admins, else only the jobs they started themselves."""
    if principal.can(Permission.JOBS_MANAGE):
        return None
    check_allowed(principal, Permission.JOBS_OWN)
    return principal.user_id
