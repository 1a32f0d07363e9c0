"""The one contract every document step follows, so timing, counting and failures are handled here once.

A step is `fn(doc, opts, stats) -> Document`. `run_steps` records, per step name,
`step/<name>/documents` and `step/<name>/time_us` (summed across workers, saved in
reports/clean-stats.json). A step that raises is recorded as an error of that step, with its
traceback; a required step's failure drops the document (the error says where), an optional
step's failure (an enrichment such as quotes) leaves the document as the step found it.

A page has `opts.page_budget_s` seconds for its extraction and as many again for its pass-2
steps. Where the process can take a timer signal (the main thread of a POSIX process: the
serial run and every process-pool worker) the deadline is hard: a timer interrupts the page
wherever it is, trafilatura included. Elsewhere (Dask's worker threads) it is checked between
steps. Either way a page past it is dropped, recorded as an error of the step that was running
or had just run (`BudgetExceeded`, counted in `step/<name>/over_budget`); the run goes on.
"""

from __future__ import annotations

import signal
import threading
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from cleaning.core.options import CleanOptions
from cleaning.core.schema import Document
from cleaning.core.stats import Stats

StepFn = Callable[[Document, CleanOptions, Stats], Document]


class StepFailed(Exception):
    """A required step raised; already recorded in Stats, so the caller only drops the document."""


class BudgetExceeded(BaseException):
    """A page ran past its time budget (CleanOptions.page_budget_s).

    A BaseException, like KeyboardInterrupt, so that no `except Exception` on the way (ours or a
    library's) takes the timer's interruption for an ordinary failure and carries on.
    """


def _can_time_out() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextmanager
def page_deadline(seconds: float) -> Iterator[None]:
    """Raise BudgetExceeded inside the block once `seconds` have passed (a no-op where no timer
    signal can be taken, or when an outer timer, such as a test runner's, would ring first)."""
    if not seconds or not _can_time_out():
        yield
        return
    outer_delay, outer_interval = signal.getitimer(signal.ITIMER_REAL)
    if outer_delay and outer_delay <= seconds:
        yield
        return

    def expire(signum, frame):
        raise BudgetExceeded(f"{seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expire)
    started = time.monotonic()
    signal.setitimer(signal.ITIMER_REAL, max(seconds, 1e-6))
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer_delay:  # give the outer timer back what is left of it
            signal.setitimer(signal.ITIMER_REAL, max(outer_delay - (time.monotonic() - started), 1e-6),
                             outer_interval)


def over_budget(stats: Stats, input_: str, step: str, spent: float, budget: float, not_run: Sequence[str] = ()) -> None:
    """Record one page dropped for its time budget, against the step that used it up."""
    stats.inc(f"step/{step}/over_budget")
    rest = ("; steps not run: " + ", ".join(not_run)) if not_run else ""
    stats.error(input_, step, f"{BudgetExceeded.__name__}: {spent:.1f} s in step {step!r}, over the page budget "
                f"of {budget:g} s (page_budget_s){rest}")


@dataclass(frozen=True, slots=True)
class Step:
    name: str
    fn: StepFn
    optional: bool = False  # on failure keep the document as it was instead of dropping it


@contextmanager
def timed(stats: Stats, name: str, n: int = 1) -> Iterator[None]:
    """Count `n` items and the wall time (µs) under `step/<name>/`."""
    start = time.perf_counter_ns()
    try:
        yield
    finally:
        stats.inc(f"step/{name}/time_us", (time.perf_counter_ns() - start) // 1000)
        stats.inc(f"step/{name}/documents", n)


def record_failure(stats: Stats, input_: str, step: str, exc: BaseException) -> None:
    stats.error(input_, step, f"{type(exc).__name__}: {exc}",
                trace="".join(traceback.format_exception(type(exc), exc, exc.__traceback__, limit=-8)))


def run_steps(doc: Document, steps: Sequence[Step], opts: CleanOptions, stats: Stats) -> Document:
    start = time.monotonic()
    budget = opts.page_budget_s
    with page_deadline(budget):
        for i, step in enumerate(steps):
            if i and budget and (spent := time.monotonic() - start) > budget:  # where no timer can ring
                over_budget(stats, doc.input, steps[i - 1].name, spent, budget, [s.name for s in steps[i:]])
                raise StepFailed(steps[i - 1].name)
            with timed(stats, step.name):
                try:
                    doc = step.fn(doc, opts, stats)
                except BudgetExceeded:
                    over_budget(stats, doc.input, step.name, time.monotonic() - start, budget,
                                [s.name for s in steps[i + 1:]])
                    raise StepFailed(step.name) from None
                except Exception as exc:  # noqa: BLE001 - one bad document never stops the run
                    record_failure(stats, doc.input, step.name, exc)
                    if not step.optional:
                        raise StepFailed(step.name) from exc
    return doc
