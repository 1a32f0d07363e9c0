"""Progress for long jobs: a rich bar on a terminal, periodic plain lines in logs, silence with -q.

    for page in track(pages, total=len(pages), description="clean", quiet=args.quiet):
        ...

or, when items arrive from callbacks (a crawl), `with Tracker(...) as t: ... t.advance()`.
Progress goes to stderr so stdout stays clean for summaries and pipes.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable, Iterator
from typing import TextIO, TypeVar

from rich.console import Console
from rich.progress import (BarColumn, MofNCompleteColumn, Progress, ProgressColumn, SpinnerColumn, Task,
                           TextColumn, TimeElapsedColumn, TimeRemainingColumn)
from rich.text import Text

T = TypeVar("T")

LOG_INTERVAL_S = 10.0  # between plain lines when not on a terminal
VERBOSE_LOG_INTERVAL_S = 1.0


MIN_RATE_SECONDS = 1.0  # under a second of work, a rate says more about the clock than the job


def format_rate(done: float, elapsed: float | None) -> str | None:
    """The average rate since the start ("12.5/s", "1,234/s"), or None when too little time has passed."""
    if not elapsed or elapsed < MIN_RATE_SECONDS:
        return None
    rate = done / elapsed
    return f"{rate:,.0f}/s" if rate >= 100 else f"{rate:.1f}/s"


class RateColumn(ProgressColumn):
    """Items per second on average since the start (rich's own speed is for bytes, and jumps on bursts)."""

    def render(self, task: Task) -> Text:
        return Text(format_rate(task.completed, task.elapsed) or "–/s", style="progress.data.speed")


def format_duration(seconds: float) -> str:
    seconds = int(round(seconds))
    h, rest = divmod(seconds, 3600)
    return f"{h}:{rest // 60:02d}:{rest % 60:02d}"


class Tracker:
    """Counts items done and shows them: a live bar on a TTY, a line every `interval` seconds otherwise."""

    def __init__(self, total: int | None = None, description: str = "", *, quiet: bool = False,
                 verbose: bool = False, stream: TextIO | None = None, interval: float | None = None,
                 clock: Callable[[], float] = time.monotonic):
        self.total, self.description, self.quiet = total, description or "working", quiet
        self.stream = stream if stream is not None else sys.stderr
        self.interval = interval if interval is not None else (VERBOSE_LOG_INTERVAL_S if verbose else LOG_INTERVAL_S)
        self.clock = clock
        self.done = 0
        self._started = self._last_line = clock()
        self._bar: Progress | None = None
        self._task_id = None
        is_tty = getattr(self.stream, "isatty", lambda: False)()
        if not quiet and is_tty:
            self._bar = Progress(
                SpinnerColumn(), TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                RateColumn(), TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
                console=Console(file=self.stream), transient=False)
            self._task_id = self._bar.add_task(self.description, total=total)

    def __enter__(self) -> "Tracker":
        if self._bar is not None:
            self._bar.start()
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def rate(self) -> float:
        elapsed = self.clock() - self._started
        return self.done / elapsed if elapsed > 0 else 0.0

    def status_line(self) -> str:
        """e.g. "clean: 120/400 (30%), 12.0/s, elapsed 0:00:10, ETA 0:00:23"."""
        rate, elapsed = self.rate(), self.clock() - self._started
        parts = [f"{self.done}/{self.total} ({100 * self.done / self.total:.0f}%)" if self.total else f"{self.done}"]
        shown = format_rate(self.done, elapsed)
        if shown:
            parts.append(shown)
        parts.append(f"elapsed {format_duration(elapsed)}")
        if self.total and rate > 0 and self.done < self.total:
            parts.append(f"ETA {format_duration((self.total - self.done) / rate)}")
        return f"{self.description}: " + ", ".join(parts)

    def advance(self, n: int = 1) -> None:
        self.done += n
        if self.quiet:
            return
        if self._bar is not None:
            self._bar.update(self._task_id, advance=n)
        elif self.clock() - self._last_line >= self.interval:
            self._last_line = self.clock()
            print(self.status_line(), file=self.stream, flush=True)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None
        elif not self.quiet and self.stream is not None:
            print(self.status_line() + " — done", file=self.stream, flush=True)
            self.quiet = True  # a second close prints nothing


def track(iterable: Iterable[T], total: int | None = None, description: str = "", quiet: bool = False,
          *, verbose: bool = False, stream: TextIO | None = None, interval: float | None = None,
          clock: Callable[[], float] = time.monotonic) -> Iterator[T]:
    """Yield the items of `iterable`, showing how many are done, the rate and (with a total) the ETA."""
    if total is None:
        try:
            total = len(iterable)  # type: ignore[arg-type]
        except TypeError:
            total = None
    with Tracker(total, description, quiet=quiet, verbose=verbose, stream=stream, interval=interval,
                 clock=clock) as tracker:
        for item in iterable:
            yield item
            tracker.advance()


STEP_LABELS = {  # step -> what the bar says, counted in pages (read) or documents (every later step)
    "extract_and_count_batch": "read + extract (pages)",  # with pass 1's fingerprint counts and the id claims
    "collect_samples": "site model samples (documents)",
    "finish_and_sign_batch": "clean, pass 2 (documents)",
}


class StepProgress:
    """The engines' progress callback as one Tracker per pipeline step, counted in pages or documents."""

    def __init__(self, *, quiet: bool = False, verbose: bool = False, stream: TextIO | None = None):
        self.quiet, self.verbose, self.stream = quiet, verbose, stream
        self._step: str | None = None
        self._tracker: Tracker | None = None

    def __call__(self, step: str, done: int, total: int) -> None:
        if step != self._step:
            self.close()
            self._step = step
            label = STEP_LABELS.get(step, step)
            self._tracker = Tracker(total, label, quiet=self.quiet, verbose=self.verbose, stream=self.stream)
            self._tracker.__enter__()
        if done > self._tracker.done:
            self._tracker.advance(done - self._tracker.done)
        if done >= total:
            self.close()

    def close(self) -> None:
        if self._tracker is not None:
            self._tracker.close()
            self._tracker, self._step = None, None
