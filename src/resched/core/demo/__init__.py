"""The demo program of DEMO.md, built as core objects: deterministic for a seed, scalable."""

from resched.core.demo.build import (
    DEFAULT_SEED,
    DemoProgram,
    build_demo,
    check_plan_feasibility_bounds,
)

__all__ = ["DEFAULT_SEED", "DemoProgram", "build_demo", "check_plan_feasibility_bounds"]
