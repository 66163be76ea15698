"""Soft goals of the shift model: each adds named terms (see ``ModelContext.penalise``)."""
