"""Where the cleaning steps run: in-process, on local worker processes, or on a Dask cluster.

An engine only knows how to map a top-level function over batches, keeping order, so
every engine gives the same records for the same input (the steps are pure).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from typing import Any


# Called as progress(step name, items done, items in the map): with 0 done when a map starts, then
# after each finished batch. Items are what `sizes` counts (pages, documents), else batches.
Progress = Callable[[str, int, int], None]


def _reported(results: Iterable, fn: Callable, total: int, progress: Progress | None,
              sizes: Sequence[int] | None = None) -> list:
    """Collect results in order, telling `progress` when the map starts and as each batch finishes."""
    out, done = [], 0
    weights = list(sizes) if sizes is not None else [1] * total
    if progress is not None:
        progress(fn.__name__, 0, sum(weights))
    for result in results:
        done += weights[len(out)]
        out.append(result)
        if progress is not None:
            progress(fn.__name__, done, sum(weights))
    return out


class InlineEngine:
    """Run everything in this process (tiny inputs, tests, debugging)."""

    workers = 1

    def __init__(self, progress: Progress | None = None):
        self.progress = progress

    def map(self, fn: Callable, batches: Sequence, *args: Any, sizes: Sequence[int] | None = None) -> list:
        return _reported((fn(batch, *args) for batch in batches), fn, len(batches), self.progress, sizes)

    def close(self) -> None:
        pass

    def cancel(self) -> None:
        pass


def _worker_ignores_sigint() -> None:
    """Ctrl-C reaches the whole process group: the parent alone handles it (and cancels the pool)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class LocalEngine:
    """A process pool over the machine's cores (the default engine)."""

    def __init__(self, workers: int | None = None, progress: Progress | None = None):
        self.workers = max(1, workers or os.cpu_count() or 1)
        self.progress = progress
        self._pool = None

    def map(self, fn: Callable, batches: Sequence, *args: Any, sizes: Sequence[int] | None = None) -> list:
        if self.workers == 1 or len(batches) <= 1:
            results = (fn(batch, *args) for batch in batches)
        else:
            if self._pool is None:
                self._pool = multiprocessing.get_context("forkserver").Pool(self.workers,
                                                                            initializer=_worker_ignores_sigint)
            results = self._pool.imap(partial(fn_with_args, fn, args), batches, chunksize=1)
        return _reported(results, fn, len(batches), self.progress, sizes)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool.join()
            self._pool = None

    def cancel(self) -> None:
        """Stop now (interrupt or error): running batches are dropped, workers are ended."""
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None


class DaskEngine:
    """Map batches on a Dask cluster: `scheduler` address, or a LocalCluster when None.

    Dask is an extra (`pip install pressroom[dask]`): it is imported here, never at module import.
    Batches are scattered to the workers and the extra arguments (options, site model) broadcast
    once per map, so the task graph stays small whatever the input size. Workers need pressroom
    installed (the same version): tasks refer to `cleaning.*` functions by name.
    """

    def __init__(self, scheduler: str | None = None, workers: int | None = None,
                 progress: Progress | None = None):
        self.progress = progress
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise RuntimeError("--engine dask needs Dask: pip install 'pressroom[dask]'") from exc

        self._cluster = None
        if scheduler:
            self._client = Client(scheduler)
        else:
            self._cluster = LocalCluster(n_workers=workers or 2, threads_per_worker=1, processes=True,
                                         dashboard_address=":0", silence_logs=logging.ERROR)
            self._client = Client(self._cluster)
        self.workers = len(self._client.scheduler_info().get("workers", {})) or (workers or 2)
        self._last_scattered: tuple[Sequence, list] | None = None

    def map(self, fn: Callable, batches: Sequence, *args: Any, sizes: Sequence[int] | None = None) -> list:
        if not batches:
            return []
        data = self._partitions(batches)
        shared = [self._client.scatter(a, broadcast=True, hash=False) for a in args]
        futures = self._client.map(partial(fn_with_args_scattered, fn), data,
                                   *[[s] * len(data) for s in shared], pure=False)
        return _reported((f.result() for f in futures), fn, len(futures), self.progress, sizes)

    def _partitions(self, batches: Sequence) -> list:
        """The batches as futures on the workers; the same (unchanged) list mapped again, as pass 1 then pass 2 do, is not resent."""
        if self._last_scattered is not None and self._last_scattered[0] is batches:
            return self._last_scattered[1]
        data = self._client.scatter(list(batches), hash=False)  # released when these futures go
        self._last_scattered = (batches, data)
        return data

    def close(self) -> None:
        self._last_scattered = None
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()

    def cancel(self) -> None:
        pass  # close() (always called after) ends the client and the local cluster


def fn_with_args(fn: Callable, args: tuple, batch: Any) -> Any:
    return fn(batch, *args)


def fn_with_args_scattered(fn: Callable, batch: Any, *args: Any) -> Any:
    return fn(batch, *args)


def make_engine(name: str = "local", workers: int | None = None, scheduler: str | None = None,
                progress: Progress | None = None):
    if name == "dask":
        return DaskEngine(scheduler=scheduler, workers=workers, progress=progress)
    if name == "inline":
        return InlineEngine(progress)
    return LocalEngine(workers=workers, progress=progress)
