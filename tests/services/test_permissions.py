"""The permission matrix and the ownership rules next to it."""

from __future__ import annotations

from pathlib import Path

import pytest

from resched.core.errors import Forbidden
from resched.core.model import AbsenceStatus, RequestStatus
from resched.db.tables import UserRole
from resched.services.permissions import (
    MATRIX,
    Permission,
    Principal,
    check_absence_change,
    check_request_change,
    is_allowed,
    readable_person_id,
    readable_request_person_id,
)

READ = {Permission.PROGRAM_READ, Permission.PEOPLE_READ, Permission.SCHEDULE_READ}


def principal(role: UserRole, person_id: int | None = None) -> Principal:
    return Principal(user_id=1, username="u", role=role, person_id=person_id, session_id="s" * 32)


def test_every_role_has_a_row_and_admin_holds_everything() -> None:
    assert set(MATRIX) == set(UserRole)
    assert MATRIX[UserRole.ADMIN] == frozenset(Permission)


@pytest.mark.parametrize("role", [UserRole.RESIDENT, UserRole.FACULTY])
def test_members_read_the_program_and_act_only_on_their_own(role: UserRole) -> None:
    granted = MATRIX[role]
    assert granted >= READ | {Permission.REQUESTS_OWN, Permission.ACCOUNT_SELF}
    for permission in (
        Permission.PROGRAM_WRITE,
        Permission.PEOPLE_WRITE,
        Permission.SCHEDULE_WRITE,
        Permission.ABSENCES_MANAGE,
        Permission.USERS_MANAGE,
        Permission.AUDIT_READ,
        Permission.MAIL_READ,
        Permission.SETTINGS_MANAGE,
    ):
        assert not is_allowed(role, permission), permission


def test_coordinators_manage_the_program_but_not_users_settings_or_audit() -> None:
    granted = MATRIX[UserRole.COORDINATOR]
    assert granted >= MATRIX[UserRole.RESIDENT]
    assert {
        Permission.PROGRAM_WRITE,
        Permission.PEOPLE_WRITE,
        Permission.ABSENCES_MANAGE,
    } <= granted
    assert not granted & {
        Permission.USERS_MANAGE,
        Permission.AUDIT_READ,
        Permission.SETTINGS_MANAGE,
    }


def test_a_resident_requests_and_cancels_only_their_own_undecided_absence() -> None:
    me = principal(UserRole.RESIDENT, person_id=7)
    check_absence_change(me, person_id=7, new_status=AbsenceStatus.REQUESTED)
    check_absence_change(
        me, person_id=7, old_status=AbsenceStatus.REQUESTED, new_status=AbsenceStatus.CANCELLED
    )
    check_absence_change(me, person_id=7, old_status=AbsenceStatus.REQUESTED, new_status=None)
    refused = [
        {"person_id": 8, "new_status": AbsenceStatus.REQUESTED},  # someone else's
        {"person_id": 7, "new_status": AbsenceStatus.APPROVED},  # deciding it oneself
        {"person_id": 7, "old_status": AbsenceStatus.APPROVED, "new_status": None},  # decided
        {"person_id": 7, "old_status": AbsenceStatus.DENIED, "new_status": AbsenceStatus.REQUESTED},
    ]
    for change in refused:
        with pytest.raises(Forbidden):
            check_absence_change(me, **change)  # type: ignore[arg-type]


def test_a_coordinator_changes_any_absence() -> None:
    chief = principal(UserRole.COORDINATOR)
    check_absence_change(
        chief, person_id=8, old_status=AbsenceStatus.APPROVED, new_status=AbsenceStatus.DENIED
    )


def test_absence_lists_are_narrowed_to_the_member() -> None:
    assert readable_person_id(principal(UserRole.COORDINATOR), None) is None
    assert readable_person_id(principal(UserRole.COORDINATOR), 3) == 3
    assert readable_person_id(principal(UserRole.FACULTY, 5), None) == 5
    assert readable_person_id(principal(UserRole.FACULTY, 5), 5) == 5
    with pytest.raises(Forbidden):
        readable_person_id(principal(UserRole.FACULTY, 5), 6)


def test_the_documented_matrix_is_the_real_one() -> None:
    docs = (Path(__file__).parents[2] / "docs" / "security.md").read_text("utf-8")
    roles = [UserRole.ADMIN, UserRole.COORDINATOR, UserRole.FACULTY, UserRole.RESIDENT]
    for permission in Permission:
        cells = " | ".join("yes" if permission in MATRIX[r] else "-" for r in roles)
        assert f"| `{permission.value}` | {cells} |" in docs, permission


def test_members_change_only_their_own_open_requests_and_never_decide_or_weigh_them() -> None:
    rosa = principal(UserRole.RESIDENT, person_id=7)
    check_request_change(rosa, person_id=7, new_status=RequestStatus.OPEN)
    check_request_change(
        rosa, person_id=7, old_status=RequestStatus.OPEN, new_status=RequestStatus.WITHDRAWN
    )
    refused = [
        {"person_id": 8, "new_status": RequestStatus.OPEN},
        {"person_id": 7, "new_status": RequestStatus.GRANTED},
        {"person_id": 7, "new_status": RequestStatus.OPEN, "weight_changed": True},
        {"person_id": 7, "old_status": RequestStatus.GRANTED, "new_status": None},
    ]
    for change in refused:
        with pytest.raises(Forbidden):
            check_request_change(rosa, **change)  # type: ignore[arg-type]
    coordinator = principal(UserRole.COORDINATOR)
    check_request_change(coordinator, person_id=8, new_status=RequestStatus.DECLINED)
    assert readable_request_person_id(coordinator, None) is None
    assert readable_request_person_id(rosa, None) == 7
    with pytest.raises(Forbidden):
        readable_request_person_id(rosa, 8)
    with pytest.raises(Forbidden):
        readable_request_person_id(principal(UserRole.FACULTY), None)  # no person linked
