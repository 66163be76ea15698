"""Rostering building blocks shared by the solvers of ``core.solver``: runs of working days,
soft targets with under/over penalties, "worked any of" groups (weekends). Each takes the
CP-SAT model and plain literals, so it knows nothing of residents, dates or slots."""
