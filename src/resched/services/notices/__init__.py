"""Notifications: the in-app inbox and the mail outbox.

``announce`` writes notices and queues mail in the caller's transaction (other services call
``notify_people``); ``inbox`` is a user's list and read marks; ``outbox`` the administrators'
view of the mail queue; ``delivery`` sends it over SMTP."""

from resched.services.notices.announce import (
    announce_publication,
    notify_coordinators,
    notify_people,
    notify_users,
    queue_mail,
)

__all__ = [
    "announce_publication",
    "notify_coordinators",
    "notify_people",
    "notify_users",
    "queue_mail",
]
