"""The crawl lock: one crawl writes into an output folder at a time, however it was started.

`OUT/.crawl.lock` is an flock, so the kernel drops it when its holder dies (SIGKILL included).
The Scrapy process takes it (`CrawlLock`, an extension built before the crawl starts), so a bare
`scrapy crawl press -s PRESSROOM_OUT=DIR` is protected like `pressroom crawl`. `pressroom crawl`
takes it first (to refuse a busy folder before starting Scrapy, and before it touches the folder)
and hands the locked file to its child (`PRESSROOM_LOCK_FD`, an inherited descriptor): one open
file, one lock, held by both processes, so the child never waits on its own parent, and the lock
stays taken while the child runs even if the parent is killed.

A distributed crawl (scraper.distributed: several processes writing into one folder on purpose)
takes it shared (`PRESSROOM_CRAWL_LOCK = "shared"`): its processes run side by side, and a local
crawl into that folder is refused while any of them runs, and the other way round.

This module imports no Scrapy: `pressroom crawl` uses it before Scrapy is loaded.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO

LOCK_NAME = ".crawl.lock"
BUSY_EXIT_STATUS = 5  # = pressroom.exitcodes.EXIT_BUSY: scraper/ may not import pressroom/, test_lock keeps them equal
MODES = ("exclusive", "shared")


class OutputBusy(Exception):
    """Another run holds the lock of an output folder; `path` is the lock file, `holder` what it says."""

    def __init__(self, path, holder: str = ""):
        super().__init__(f"{path}: held{f' by {holder}' if holder else ''}")
        self.path, self.holder = str(path), holder


def busy_line(path: str, holder: str = "", remedy: str = "pass another --out") -> str:
    """The one line a refused crawl prints (pressroom.errors.explain says the same)."""
    return (f"another crawl is already writing to this output folder (lock {path}"
            f"{f', held by {holder}' if holder else ''}) — wait for it to end, or {remedy}")


def _same_file(fd: int, path: Path) -> bool:
    try:
        mine, theirs = os.fstat(fd), os.stat(path)
    except OSError:
        return False
    return (mine.st_dev, mine.st_ino) == (theirs.st_dev, theirs.st_ino)


def acquire(out: Path, mode: str = "exclusive", inherited_fd: int | None = None) -> tuple[IO[str], bool]:
    """Take OUT/.crawl.lock now or raise OutputBusy. Returns (the open lock file, inherited).

    `inherited_fd`: a descriptor of that very file whose lock the parent already holds (checked: a
    descriptor of another file, or none, is ignored and the lock is taken here)."""
    if mode not in MODES:
        raise ValueError(f"PRESSROOM_CRAWL_LOCK must be one of {', '.join(MODES)}, not {mode!r}")
    out.mkdir(parents=True, exist_ok=True)
    path = out / LOCK_NAME
    inherited = inherited_fd is not None and _same_file(inherited_fd, path)
    lock = os.fdopen(inherited_fd, "a+", encoding="utf-8") if inherited else open(path, "a+", encoding="utf-8")
    try:
        # on an inherited descriptor this is a no-op: the lock belongs to the open file both processes share
        fcntl.flock(lock, (fcntl.LOCK_EX if mode == "exclusive" else fcntl.LOCK_SH) | fcntl.LOCK_NB)
    except BlockingIOError:
        lock.seek(0)
        holder = lock.read().strip()
        lock.close()
        raise OutputBusy(path, holder) from None
    if mode == "exclusive" and not inherited:
        lock.truncate(0)
        lock.write(f"pid {os.getpid()}\n")
        lock.flush()
    return lock, inherited


def release(lock: IO[str], owner: bool, mode: str = "exclusive") -> None:
    """Let go of the lock. The file stays (removing it would race a waiting run); its pid line goes."""
    if lock.closed:
        return
    if owner and mode == "exclusive":
        lock.truncate(0)
    lock.close()


@contextlib.contextmanager
def crawl_lock(out: Path, mode: str = "exclusive") -> Iterator[IO[str]]:
    """Hold OUT/.crawl.lock for the block; raises OutputBusy at once if another crawl holds it."""
    lock, _ = acquire(out, mode)
    try:
        yield lock
    finally:
        release(lock, owner=True, mode=mode)


class CrawlLock:
    """Scrapy extension: the crawl holds OUT/.crawl.lock from before the engine starts to its end.

    A busy folder is one line on stderr and exit 5 (BUSY_EXIT_STATUS, as `pressroom crawl`), before
    anything is fetched or written.
    """

    def __init__(self, lock: IO[str], inherited: bool, mode: str):
        self.lock, self.inherited, self.mode = lock, inherited, mode

    @classmethod
    def from_crawler(cls, crawler):
        from scrapy import signals

        settings = crawler.settings
        out = Path(settings.get("PRESSROOM_OUT", "data"))
        mode = settings.get("PRESSROOM_CRAWL_LOCK", "exclusive")
        fd = settings.getint("PRESSROOM_LOCK_FD", -1)
        try:
            lock, inherited = acquire(out, mode, fd if fd >= 0 else None)
        except OutputBusy as exc:
            print(busy_line(exc.path, exc.holder, "pass another -s PRESSROOM_OUT=DIR"), file=sys.stderr, flush=True)
            raise SystemExit(BUSY_EXIT_STATUS) from None
        ext = cls(lock, inherited, mode)
        crawler.stats.set_value("pressroom/lock", f"{out / LOCK_NAME} ({mode}{', from the parent' if inherited else ''})")
        crawler.signals.connect(ext.engine_stopped, signal=signals.engine_stopped)
        return ext

    def engine_stopped(self):
        release(self.lock, owner=not self.inherited, mode=self.mode)
