"""Pure domain core: the rules of residency scheduling, with no I/O."""
