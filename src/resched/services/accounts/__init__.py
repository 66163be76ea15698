"""User accounts: creating them and checking a password (``users``), hashing and the password
policy (``passwords``), the owner's change and an administrator's reset (``password_changes``),
and managing accounts after they exist (``manage``, re-exported here: listing, roles,
deactivation). Signing in, sessions, tokens and limits live in ``resched.services.auth``."""

from resched.services.accounts.manage import (
    UserAccount,
    change_role,
    find_user_id,
    get_user,
    list_users,
    set_active,
)

__all__ = ["UserAccount", "change_role", "find_user_id", "get_user", "list_users", "set_active"]
