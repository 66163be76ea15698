"""Changes to a published schedule: what kinds there are and the pure decisions about them
(the freeze horizon, the approval policy). The services apply them; nothing here touches a
database."""
