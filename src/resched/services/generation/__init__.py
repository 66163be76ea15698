"""Schedule generation: the annual rotation plan and the shifts of a range, solved from the
database and stored as new drafts; the diff of a draft against what is published; publishing.

Adapters (CLI, API, pages, tasks) build a ``GenerationRequest`` and check it into a spec with
``make_spec`` (bad input is answered there), then either run it in their own process (the CLI
and the generation job: ``run_generation``, with ``on_progress`` and a ``CancelToken``) or
submit it as a background job (the API and the pages: resched.services.jobs.generations).

Every name below is imported on first use (PEP 562): a CLI command or a worker that runs one
kind of generation loads the modules of that one (not the diff, review and publishing modules,
which pull in the swap and change services), and the web process what its pages ask for.
"""

from typing import TYPE_CHECKING

from resched.core.lazy import lazy_attributes

if TYPE_CHECKING:
    from resched.services.generation.diff import (
        BlockChange,
        ChangeKind,
        ShiftChange,
        VersionDiff,
        diff_blocks,
        diff_shifts,
        diff_versions,
    )
    from resched.services.generation.history import VersionHistory, list_version_history
    from resched.services.generation.outcome import (
        GenerationKind,
        GenerationOutcome,
        StoredFinding,
    )
    from resched.services.generation.publish import PublishResult, count_violations, publish_version
    from resched.services.generation.report import get_generation
    from resched.services.generation.review import DraftReview, MonthCalendar, load_review
    from resched.services.generation.run import run_generation
    from resched.services.generation.specs import (
        GenerationRequest,
        GenerationSpec,
        Limits,
        PlanSpec,
        ShiftSpec,
        make_spec,
        request_of,
        spec_from_json,
        spec_json,
    )
    from resched.services.generation.summary import (
        CONFIRM_GAP,
        VersionSummary,
        get_summary,
        quality_sentence,
    )

_NAMES = {
    "resched.services.generation.diff": (
        "BlockChange",
        "ChangeKind",
        "ShiftChange",
        "VersionDiff",
        "diff_blocks",
        "diff_shifts",
        "diff_versions",
    ),
    "resched.services.generation.history": ("VersionHistory", "list_version_history"),
    "resched.services.generation.outcome": ("GenerationKind", "GenerationOutcome", "StoredFinding"),
    "resched.services.generation.publish": ("PublishResult", "count_violations", "publish_version"),
    "resched.services.generation.report": ("get_generation",),
    "resched.services.generation.review": ("DraftReview", "MonthCalendar", "load_review"),
    "resched.services.generation.run": ("run_generation",),
    "resched.services.generation.specs": (
        "GenerationRequest",
        "GenerationSpec",
        "Limits",
        "PlanSpec",
        "ShiftSpec",
        "make_spec",
        "request_of",
        "spec_from_json",
        "spec_json",
    ),
    "resched.services.generation.summary": (
        "CONFIRM_GAP",
        "VersionSummary",
        "get_summary",
        "quality_sentence",
    ),
}
__getattr__ = lazy_attributes(__name__, _NAMES)

__all__ = [
    "CONFIRM_GAP",
    "BlockChange",
    "ChangeKind",
    "DraftReview",
    "GenerationKind",
    "GenerationOutcome",
    "GenerationRequest",
    "GenerationSpec",
    "Limits",
    "MonthCalendar",
    "PlanSpec",
    "PublishResult",
    "ShiftChange",
    "ShiftSpec",
    "StoredFinding",
    "VersionDiff",
    "VersionHistory",
    "VersionSummary",
    "count_violations",
    "diff_blocks",
    "diff_shifts",
    "diff_versions",
    "get_generation",
    "get_summary",
    "list_version_history",
    "load_review",
    "make_spec",
    "publish_version",
    "quality_sentence",
    "request_of",
    "run_generation",
    "spec_from_json",
    "spec_json",
]
