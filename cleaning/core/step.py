"""The one contract every document step follows, so timing, counting and failures are handled here once.

A step is `fn(doc, opts, stats) -> Document`. `run_steps` records, per step name,
`step/<name>/documents` and `step/<name>/time_us` (summed across workers, saved in
reports/clean-stats.json). A step that raises is recorded as an error of that step, with its
traceback; a required step's failure drops the document (the error says where), an optional
step's failure (an enrichment such as quotes) leaves the document as the step found it.

A page has `opts.page_budget_s` seconds for all its steps, a soft deadline checked between
steps: a page past it with steps still to run is dropped, recorded as an error of the step
that used up the budget (`BudgetExceeded`, counted in `step/<name>/over_budget`); the run goes on.
"""

from __future__ import annotations

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


class BudgetExceeded(Exception):
    """A page's steps ran past its time budget (CleanOptions.page_budget_s)."""


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
    for i, step in enumerate(steps):
        if i and opts.page_budget_s and (spent := time.monotonic() - start) > opts.page_budget_s:
            done = steps[i - 1].name
            stats.inc(f"step/{done}/over_budget")
            stats.error(doc.input, done, f"{BudgetExceeded.__name__}: {spent:.1f} s after step {done!r}, over the "
                        f"page budget of {opts.page_budget_s:g} s (page_budget_s); steps not run: "
                        + ", ".join(s.name for s in steps[i:]))
            raise StepFailed(done)
        with timed(stats, step.name):
            try:
                doc = step.fn(doc, opts, stats)
            except Exception as exc:  # noqa: BLE001 - one bad document never stops the run
                record_failure(stats, doc.input, step.name, exc)
                if not step.optional:
                    raise StepFailed(step.name) from exc
    return doc
