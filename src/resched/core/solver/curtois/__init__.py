"""The Curtois & Qu benchmark as a CP-SAT model made of ``core.solver.blocks``, and its solve.
The format, the rules and the independent scorer are in ``core.bench.curtois``."""
