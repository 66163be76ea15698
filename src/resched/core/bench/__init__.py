"""Public benchmarks the solver core is measured against (formats, rules and scorers; pure)."""
