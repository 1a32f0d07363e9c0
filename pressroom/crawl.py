"""`pressroom crawl`: run the `press` spider (scraper/) in a fresh process and summarise what it did.

A child process (`python -m scrapy crawl press ...`) keeps Twisted's reactor out of the
caller, so `pressroom run` can crawl and then clean in one command, and a crash or a
SIGKILL of the crawl never takes the caller down. The child writes its stats to
OUT/reports/crawl-stats.json; the summary and the exit code are computed from them.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

from pressroom.console import say, say_error
from pressroom.errors import OutputBusy, explain
from scraper.crawllock import crawl_lock
from pressroom.exitcodes import EXIT_BUSY, EXIT_INTERRUPTED, EXIT_NOTHING, EXIT_OK, EXIT_PARTIAL, EXIT_USAGE

PROJECT_ROOT = Path(__file__).resolve().parents[1]

FAST_SETTINGS = {
    "AUTOTHROTTLE_ENABLED": False,
    "DOWNLOAD_DELAY": 0,
    "CONCURRENT_REQUESTS": 32,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
    "PRESSROOM_OBEY_CRAWL_DELAY": False,
}


FINISH_REASONS = {  # Scrapy's finish_reason, as a sentence
    "finished": "complete: nothing left to fetch",
    "shutdown": "interrupted, closed cleanly (--resume continues it)",
    "closespider_pagecount": "stopped at the page limit (CLOSESPIDER_PAGECOUNT)",
    "closespider_timeout": "stopped at the time limit (CLOSESPIDER_TIMEOUT)",
    "closespider_itemcount": "stopped at the item limit (CLOSESPIDER_ITEMCOUNT)",
    "closespider_errorcount": "stopped after too many errors (CLOSESPIDER_ERRORCOUNT)",
    "parent_gone": "closed: the process that started it was gone",
}


def crawl_settings(args: argparse.Namespace, stats_file: Path) -> dict:
    out = Path(args.out)
    settings: dict = {"PRESSROOM_OUT": str(out), "PRESSROOM_STATS_FILE": str(stats_file)}
    if getattr(args, "fast", False):
        settings.update(FAST_SETTINGS)
    if getattr(args, "max_pages", None):
        settings["PRESSROOM_MAX_PAGES"] = args.max_pages
    if getattr(args, "resume", False):
        settings["PRESSROOM_RESUME"] = True
        settings["JOBDIR"] = str(out / ".crawl-job")
    if getattr(args, "warc", None):
        settings["PRESSROOM_WARC_FILE"] = str(args.warc)
    if getattr(args, "redis", None):
        from scraper.frontier import redis_frontier  # imports Scrapy: only when asked

        settings.update(redis_frontier(args.redis))
    settings["PRESSROOM_PROGRESS"] = not getattr(args, "quiet", False)
    settings["PRESSROOM_PROGRESS_SINK"] = "pressroom.progress.Tracker"  # the crawler is told, never imports it
    settings["LOG_LEVEL"] = "DEBUG" if getattr(args, "verbose", False) else "ERROR" if getattr(args, "quiet", False) else "WARNING"
    if getattr(args, "log_file", None):  # Scrapy's log goes to the file (appended), at INFO or DEBUG
        settings["LOG_FILE"] = str(args.log_file)
        settings["LOG_FILE_APPEND"] = True
        settings["LOG_LEVEL"] = "DEBUG" if getattr(args, "verbose", False) else "INFO"
    settings.update(dict(getattr(args, "scrapy_settings", None) or []))  # -s KEY=VALUE: the user's word is last
    return settings


def spider_arguments(args: argparse.Namespace) -> dict:
    spider_args = {"start_urls": ",".join(args.urls or [])}
    if getattr(args, "profile", None):
        spider_args["profile"] = str(args.profile)
    if getattr(args, "all_pages", False):
        spider_args["all_pages"] = "1"
    for name in ("since", "until"):
        if getattr(args, name, None):
            spider_args[name] = getattr(args, name)
    return spider_args


def build_command(args: argparse.Namespace, stats_file: Path, extra_settings: dict | None = None) -> list[str]:
    cmd = [sys.executable, "-m", "scrapy", "crawl", "press"]
    for key, value in spider_arguments(args).items():
        cmd += ["-a", f"{key}={value}"]
    for key, value in {**crawl_settings(args, stats_file), **(extra_settings or {})}.items():
        cmd += ["-s", f"{key}={value}"]
    return cmd


def child_env() -> dict:
    env = dict(os.environ, SCRAPY_SETTINGS_MODULE="scraper.settings")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(PROJECT_ROOT), env.get("PYTHONPATH", "")) if p)
    return env


def summarise(stats: dict) -> list[str]:
    """The closing summary, one figure a line."""
    p = "pressroom/"
    lines = [
        f"pages fetched        {stats.get(p + 'pages_fetched', 0)}"
        f"  (responses {stats.get('response_received_count', 0)})",
        f"releases stored      {stats.get(p + 'releases_stored', 0)}  (rows stored {stats.get(p + 'stored', 0)})",
        f"new / changed / unchanged   {stats.get(p + 'new', 0)} / {stats.get(p + 'changed', 0)} / "
        f"{stats.get(p + 'unchanged', 0)}",
    ]
    for title, prefix in (("skipped", p + "skipped/"), ("errors", p + "errors/")):
        counts = {k[len(prefix):]: v for k, v in sorted(stats.items()) if k.startswith(prefix)}
        total = sum(counts.values())
        detail = ", ".join(f"{k} {v}" for k, v in counts.items())
        lines.append(f"{title:<20} {total}" + (f"  ({detail})" if detail else ""))
    if stats.get(p + "store/dir"):
        lines.append(f"raw table            {stats[p + 'store/dir']}")
    reason = stats.get("finish_reason", "unknown")
    lines.append(f"crawl ended          {FINISH_REASONS.get(reason, reason)}")
    return lines


def explained_problems(stats: dict, limit: int = 10) -> list[str]:
    """One line a user can act on per distinct failure the spider kept (pressroom.errors.explain)."""
    lines = list(dict.fromkeys(explain(problem) for problem in stats.get("pressroom/problems", [])))
    more = len(lines) - limit
    return lines[:limit] + ([f"... and {more} more (see the crawl's reports/crawl-stats.json)"] if more > 0 else [])


def invalid_urls(urls: list[str]) -> list[str]:
    """Start URLs no crawl can fetch: not http(s), or no host."""
    from urllib.parse import urlsplit

    return [u for u in urls if urlsplit(u.strip()).scheme not in ("http", "https") or not urlsplit(u.strip()).hostname]


def exit_code(stats: dict) -> int:
    stored = stats.get("pressroom/stored", 0)
    if not stored and not stats.get("pressroom/unchanged", 0) and not stats.get("pressroom/skipped/already_stored", 0):
        return EXIT_NOTHING
    return EXIT_PARTIAL if any(k.startswith("pressroom/errors/") for k in stats) else EXIT_OK


def _parent_death_signal():
    """In the child, before exec: be sent SIGTERM when the parent dies (Linux prctl PR_SET_PDEATHSIG).

    Resolved here, in the parent, so the child between fork and exec only calls a C function.
    Elsewhere None: the child then outlives a SIGKILLed parent (no portable equivalent).
    """
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    try:
        prctl = ctypes.CDLL("libc.so.6", use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    parent = os.getpid()
    PR_SET_PDEATHSIG = 1

    def arm() -> None:
        prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
        if os.getppid() != parent:  # the parent died before the line above: nobody would signal us
            os._exit(EXIT_INTERRUPTED)

    return arm


def run_child(cmd: list[str], env: dict, pass_fds: tuple[int, ...] = ()) -> tuple[subprocess.Popen, bool]:
    """Run the Scrapy child to its end; SIGINT and SIGTERM are passed on to it.

    The child has its own process group, so a terminal's Ctrl-C reaches it once, through us: the
    first signal makes Scrapy close cleanly (last batch written, JOBDIR saved), a second forces it.
    The child dies with this process (see _parent_death_signal). Returns (process, interrupted).
    """
    proc = subprocess.Popen(cmd, env=env, process_group=0, preexec_fn=_parent_death_signal(), pass_fds=pass_fds)
    received: list[int] = []

    def forward(signum, frame):
        if not received:
            print("interrupted: closing the crawl cleanly (Ctrl-C again to force)", file=sys.stderr, flush=True)
        received.append(signum)
        try:
            proc.send_signal(signum)
        except ProcessLookupError:
            pass

    handled = (signal.SIGINT, signal.SIGTERM)
    in_main = threading.current_thread() is threading.main_thread()
    previous = {sig: signal.signal(sig, forward) for sig in handled} if in_main else {}
    try:
        proc.wait()
    except BaseException:
        proc.kill()  # an error here (not a signal: those are forwarded) must not leave the child behind
        proc.wait()
        raise
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return proc, bool(received)


def run_crawl(args: argparse.Namespace, extra_settings: dict | None = None) -> int:
    """Crawl in a child process; print the summary; 0 ok, 1 some errors, 3 nothing stored, 5 --out busy."""
    out = Path(args.out)
    bad = invalid_urls(args.urls or [])
    if bad and len(bad) == len(args.urls or []) and not getattr(args, "profile", None):
        for url in bad:
            print(explain(f"invalid URL: {url}", subject=url), file=sys.stderr)
        return EXIT_USAGE
    # taken here, before the folder is touched, and handed to the Scrapy child (scraper.crawllock): one holder
    mode = "shared" if getattr(args, "redis", None) else "exclusive"
    try:
        with crawl_lock(out, mode) as lock:
            return _locked_crawl(args, out, extra_settings, lock.fileno())
    except OutputBusy as exc:
        say_error(explain(exc))
        return EXIT_BUSY


def _locked_crawl(args: argparse.Namespace, out: Path, extra_settings: dict | None, lock_fd: int) -> int:
    stats_file = out / "reports" / "crawl-stats.json"
    stats_file.unlink(missing_ok=True)
    watched = {**(extra_settings or {}), "PRESSROOM_PARENT_PID": os.getpid(),  # scraper.parentwatch
               "PRESSROOM_LOCK_FD": lock_fd}  # scraper.crawllock: the child holds this very lock
    cmd = build_command(args, stats_file, watched)
    proc, interrupted = run_child(cmd, child_env(), pass_fds=(lock_fd,))
    if not stats_file.exists():
        if interrupted:  # forced by a second signal: Scrapy stopped before its stats
            say_error("crawl stopped before writing its stats; --resume continues it")
            return EXIT_INTERRUPTED
        say_error(f"crawl failed (exit {proc.returncode}) before writing its stats")
        return EXIT_PARTIAL if proc.returncode else EXIT_NOTHING
    stats = json.loads(stats_file.read_text(encoding="utf-8"))
    for line in summarise(stats):
        say(line)
    for line in explained_problems(stats):
        say_error(line)
    return EXIT_INTERRUPTED if interrupted else exit_code(stats)
