"""CP-SAT parameters for the rotation plan's search, chosen from the model's size.

The plan's bound comes from its linear relaxation with the streak and window cuts
(objectives.py), which an LP worker proves at the root; the search starts from a complete hint
(build.complete_hint), so on the demo what is left is presolve and the root LP.

With two workers CP-SAT runs only the first name of ``subsolvers`` as its full worker (the
other thread runs the first-solution and LNS workers), so the order chooses the worker:

- a small model (the demo: 3,681 variables) proves fastest with ``default_lp``: deterministic
  time 0.22-0.26, against 0.82 with ``max_lp``, whose larger root LP comes first;
- a large one (150 residents: 15,309 variables) with ``max_lp``: its proofs took 20.3, 22.3
  and 34.3 units, ``default_lp``'s 10.2, 75.0 and 125.2 (docs/performance.md). The runs vary
  widely either way: the bound is proven at the root, and the time goes to LNS steps from the
  greedy plan (615) to the optimum (605).

A small model also gets a light presolve (one round, no probing): on the demo read from the
database it halves the search's work (deterministic 0.27 to 0.10 from an optimal hint, 0.38 to
0.24 from a greedy plan 5 above it) and proves the same optimum. Models between the two sizes
measured are split at ``LARGE_MODEL_VARIABLES``.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from resched.core.solver.config import SolveConfig
from resched.core.solver.engine import ParameterTuner

# Between the demo (3,681 variables, 36 residents) and 150 residents (15,309): a model grows
# by about 100 variables a resident, so this splits at about 80 residents.
LARGE_MODEL_VARIABLES = 8_000


def full_workers(variables: int) -> list[str]:
    """The full workers for two threads, the one CP-SAT runs first."""
    if variables > LARGE_MODEL_VARIABLES:
        return ["max_lp", "default_lp"]
    return ["default_lp", "max_lp"]


def tuner_for(model: cp_model.CpModel) -> ParameterTuner:
    """``tune_parameters`` for this model's size."""
    variables = len(model.proto.variables)

    def tune(params: cp_model.SatParameters, config: SolveConfig) -> None:
        tune_parameters(params, config, variables=variables)

    return tune


def tune_parameters(params: cp_model.SatParameters, config: SolveConfig, *, variables: int) -> None:
    """One worker: the full relaxation on it. Two: the full worker that suits the size
    (``full_workers``). More: CP-SAT's portfolio with ``max_lp`` added."""
    workers = config.workers
    if workers == 1:
        params.linearization_level = 2
    elif workers == 2:
        params.subsolvers.extend(full_workers(variables))
    else:
        params.extra_subsolvers.append("max_lp")
    if variables <= LARGE_MODEL_VARIABLES:
        params.max_presolve_iterations = 1
        params.cp_model_probing_level = 0
