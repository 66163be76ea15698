"""Schedules from files: preview, apply and undo (see ``service``)."""

from resched.services.schedule_files.preview import PREVIEW_FORMAT, SchedulePreview
from resched.services.schedule_files.service import (
    UNDO_ACTION,
    apply_schedule_file,
    delete_imported_draft,
    preview_schedule_file,
    stage_schedule_file,
    store_schedule_preview,
    undo_schedule_import,
)

__all__ = [
    "PREVIEW_FORMAT",
    "UNDO_ACTION",
    "SchedulePreview",
    "apply_schedule_file",
    "delete_imported_draft",
    "preview_schedule_file",
    "stage_schedule_file",
    "store_schedule_preview",
    "undo_schedule_import",
]
