"""Imports of people, rotations, absences (and, once merged, schedules) from xlsx, CSV and
interchange JSON: a stored preview, apply in one transaction, undo of the whole batch."""
