"""Running a generation from the command line: a progress bar on stderr (objective, bound, gap,
elapsed) while the solver works on a thread of its own, and Ctrl-C as a clean cancel."""

from __future__ import annotations

import threading
from types import TracebackType
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID
    from sqlalchemy.orm import Session, sessionmaker

    from resched.core.solver import CancelToken, ProgressEvent
    from resched.services.generation import GenerationOutcome, GenerationSpec

_POLL_S = 0.1


class SolveBar:
    """A bar over the time limit with the search's figures; silent when stderr is not a
    terminal (a log file or a pipe wants the summary, not redraws)."""

    def __init__(self, title: str, time_limit_s: float, *, enabled: bool) -> None:
        self._time_limit = time_limit_s
        self._progress: Progress | None = None
        self._task: TaskID | None = None
        self._title = title
        self._figures = "searching…"
        if enabled:  # rich loads only for a bar that may be shown (not with --json)
            from rich.console import Console

            console = Console(stderr=True)
            if console.is_terminal:
                self._progress = _make_progress(console)

    @property
    def shown(self) -> bool:
        """Whether the bar is drawn (so whether the solver's progress is worth reporting)."""
        return self._progress is not None

    def __enter__(self) -> SolveBar:
        if self._progress is not None:
            self._progress.start()
            self._task = self._progress.add_task(
                self._title, total=self._time_limit, figures=self._figures
            )
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._progress is not None:
            self._progress.stop()

    def on_progress(self, event: ProgressEvent) -> None:
        """Called from the solver's threads: only a string is built and swapped in."""
        from resched.core.solver.result import relative_gap

        if event.objective is None:
            return
        bound = "-" if event.bound is None else f"{event.bound:g}"
        gap = relative_gap(event.objective, event.bound)
        shown = "-" if gap is None else f"{gap:.1%}"
        self._figures = f"objective {event.objective:g}  bound {bound}  gap {shown}"

    def tick(self, elapsed_s: float) -> None:
        if self._progress is not None and self._task is not None:
            done = min(elapsed_s, self._time_limit)
            self._progress.update(self._task, completed=done, figures=self._figures)


def _make_progress(console: object) -> Progress:
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.fields[figures]}"),
        TimeElapsedColumn(),
        console=console,  # type: ignore[arg-type]
        transient=True,
    )


def run_with_progress(
    factory: sessionmaker[Session], spec: GenerationSpec, *, actor: str, show: bool
) -> GenerationOutcome:
    """Runs the generation on a worker thread; Ctrl-C cancels it through the CancelToken and
    waits for the solver to stop (within a second), so nothing is left half-done."""
    from resched.core.solver import CancelToken
    from resched.services.generation import GenerationOutcome, run_generation

    token = CancelToken()
    box: dict[str, object] = {}
    # Waited on instead of Thread.join: a join interrupted by Ctrl-C can leave the thread
    # looking finished while it still runs (CPython), and the outcome would be missed.
    finished = threading.Event()

    with SolveBar(spec.describe(), spec.config.time_limit_s, enabled=show) as bar:

        def work() -> None:
            try:
                box["outcome"] = run_generation(
                    factory=factory, spec=spec, actor=actor,
                    on_progress=bar.on_progress if bar.shown else None, cancel=token,
                )  # fmt: skip
            except BaseException as exc:  # handed to the main thread, raised there
                box["error"] = exc
            finally:
                finished.set()

        thread = threading.Thread(target=work, name="resched-generate-cli", daemon=True)
        thread.start()
        _wait(finished, token, bar)
    error = box.get("error")
    if isinstance(error, BaseException):
        raise error
    outcome = box["outcome"]
    assert isinstance(outcome, GenerationOutcome)
    return outcome


def _wait(finished: threading.Event, token: CancelToken, bar: SolveBar) -> None:
    """Ticks the bar until the run is over; Ctrl-C cancels and waits for the solver to stop."""
    import time

    started = time.monotonic()
    try:
        while not finished.wait(_POLL_S):
            bar.tick(time.monotonic() - started)
    except KeyboardInterrupt:
        typer.echo("cancelling…", err=True)
        token.cancel()
        finished.wait()
