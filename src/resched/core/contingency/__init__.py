"""Contingency analysis: how much slack each day's coverage has, and what happens when one or
two people are out - answered by trying to repair the schedule legally, not by counting heads.
Pure (OR-Tools only, for the exact cover of orphaned shifts)."""
