"""Hard constraints of the shift model, one module per rule family of ``core.rules`` (same ids),
plus coverage and the rotations' weekly patterns and quotas."""
