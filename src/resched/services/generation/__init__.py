"""Schedule generation: the annual rotation plan and the shifts of a range, solved from the
database and stored as new drafts; the diff of a draft against what is published; publishing.

Adapters (CLI, API, pages, tasks) build a spec with ``plan_spec``/``shift_spec`` (bad input is
answered there), then either run it in their own process (the CLI and the generation job:
``run_generation``, with ``on_progress`` and a ``CancelToken``) or submit it as a background
job (the API and the pages: resched.services.jobs.generations).
"""

from resched.services.generation.diff import (
    BlockChange,
    ChangeKind,
    ShiftChange,
    VersionDiff,
    diff_blocks,
    diff_shifts,
    diff_versions,
)
from resched.services.generation.outcome import (
    GenerationKind,
    GenerationOutcome,
    StoredFinding,
)
from resched.services.generation.publish import PublishResult, count_violations, publish_version
from resched.services.generation.report import get_generation
from resched.services.generation.review import DraftReview, MonthCalendar, load_review
from resched.services.generation.run import (
    run_generation,
    run_plan_generation,
    run_shift_generation,
)
from resched.services.generation.specs import (
    GenerationSpec,
    Limits,
    PlanSpec,
    ShiftSpec,
    make_spec,
    plan_spec,
    shift_spec,
    spec_from_json,
    spec_json,
)

__all__ = [
    "BlockChange",
    "ChangeKind",
    "DraftReview",
    "GenerationKind",
    "GenerationOutcome",
    "GenerationSpec",
    "Limits",
    "MonthCalendar",
    "PlanSpec",
    "PublishResult",
    "ShiftChange",
    "ShiftSpec",
    "StoredFinding",
    "VersionDiff",
    "count_violations",
    "diff_blocks",
    "diff_shifts",
    "diff_versions",
    "get_generation",
    "load_review",
    "make_spec",
    "plan_spec",
    "publish_version",
    "run_generation",
    "run_plan_generation",
    "run_shift_generation",
    "shift_spec",
    "spec_from_json",
    "spec_json",
]
