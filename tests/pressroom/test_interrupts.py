"""Ctrl-C, SIGTERM and a killed parent, on real processes: `pressroom clean` with its process pool,
`pressroom crawl` with its Scrapy child. Every wait is bounded; every site is on 127.0.0.1."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from tests.pressroom.conftest import write_pages
from tests.scraper.conftest import REPO, env, html_page, tiny_site

pytestmark = pytest.mark.timeout(180)


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("pages")
    write_pages(folder, 400)  # > one batch of 64: the process pool runs
    return folder


def wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def group_gone(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return True
    return False


def start(args: list[str]) -> subprocess.Popen:
    """`python -m pressroom ARGS` as a terminal would start it: its own process group (= its pid)."""
    return subprocess.Popen([sys.executable, "-m", "pressroom", *args], cwd=REPO, env=env(), text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)


@pytest.mark.parametrize("how", ["ctrl-c to the group", "sigterm to the parent"])
def test_interrupting_clean_with_the_process_pool_exits_130_at_once(pages, tmp_path, how):
    out = tmp_path / "out"
    proc = start(["clean", str(pages), "--out", str(out), "--workers", "2", "-q"])
    try:
        wait_for(lambda: any(out.glob(".work-*/batch-*.pkl")), 90, "the pool's first staged batch")
        workers = psutil.Process(proc.pid).children(recursive=True)
        if how == "ctrl-c to the group":
            os.killpg(proc.pid, signal.SIGINT)  # a terminal sends Ctrl-C to every process of the group
        else:
            os.kill(proc.pid, signal.SIGTERM)
        started = time.monotonic()
        _, stderr = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode == 130, stderr
    assert time.monotonic() - started < 15
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr, stderr
    assert stderr.strip().splitlines()[-1] == "interrupted"
    assert workers, "the pool had no worker processes"
    wait_for(lambda: not any(w.is_running() and w.status() != psutil.STATUS_ZOMBIE for w in workers), 10,
             "the pool's workers to end")
    assert not list(out.glob(".work-*")), "the work folder was left behind"
    assert not (out / "articles").exists()


SLOW_S = 0.5  # each page of the slow site takes this long: a crawl of it lasts far longer than the test waits


def slow_route(path: str):
    time.sleep(SLOW_S)
    if path == "/robots.txt":
        return None
    n = abs(hash(path)) % 10**8
    return 200, "text/html", html_page(f"page {n}", [f"/p/{n}-{i}/" for i in range(6)])


def crawl_stats(out: Path) -> dict:
    return json.loads((out / "reports" / "crawl-stats.json").read_text())


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_to_the_crawl_parent_reaches_the_scrapy_child_which_closes_cleanly(tmp_path, signum):
    out = tmp_path / "out"
    with tiny_site(slow_route) as (log, base):
        proc = start(["crawl", base + "/", "--out", str(out), "-q"])  # polite: about a page a second
        try:
            wait_for(lambda: len(log) >= 3, 60, "the crawl's first pages")
            child = psutil.Process(proc.pid).children()[0]
            os.kill(proc.pid, signum)  # the parent only, as `kill -INT PID` does
            stdout, stderr = proc.communicate(timeout=60)
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        fetched_at_exit = len(log)
        time.sleep(2 * SLOW_S)
        assert len(log) == fetched_at_exit, "requests went on after the crawl ended"
    assert proc.returncode == 130, stderr
    assert "closing the crawl cleanly" in stderr and "Traceback" not in stderr, stderr
    assert not child.is_running() or child.status() == psutil.STATUS_ZOMBIE
    stats = crawl_stats(out)
    assert stats["finish_reason"] == "shutdown"  # Scrapy's own clean close, stats written
    assert stats["response_received_count"] < 150
    assert "pages fetched" in stdout


def test_the_scrapy_child_does_not_outlive_a_killed_parent(tmp_path):
    out = tmp_path / "out"
    with tiny_site(slow_route) as (log, base):
        proc = start(["crawl", base + "/", "--out", str(out), "-q"])  # polite: about a page a second
        child = None
        try:
            wait_for(lambda: len(log) >= 3, 60, "the crawl's first pages")
            child = psutil.Process(proc.pid).children()[0]
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
            gone, alive = psutil.wait_procs([child], timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            if child is not None and child.is_running():
                child.kill()  # only when the test already failed: never leave a crawler behind
        assert not alive, "the Scrapy child kept crawling after its parent was killed"
        fetched = len(log)
        time.sleep(2 * SLOW_S)
        assert len(log) == fetched


def test_the_crawl_closes_itself_when_its_parent_pid_is_not_its_parent(tmp_path):
    """The portable half of "the child dies with its parent" (scraper.parentwatch): no prctl needed."""
    from tests.scraper.conftest import scrapy_command

    out = tmp_path / "out"
    with tiny_site(slow_route) as (log, base):
        cmd = scrapy_command([base + "/"], out, settings={"PRESSROOM_PARENT_PID": 2**22 + 12345,  # nobody's pid
                                                          "PRESSROOM_PARENT_CHECK_S": 0.2,
                                                          "CLOSESPIDER_TIMEOUT": 60})
        proc = subprocess.run(cmd, cwd=REPO, env=env(), capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr[-2000:]
    stats = json.loads((out / "stats.json").read_text())
    assert stats["finish_reason"] == "parent_gone" and stats["pressroom/parent_gone"] == 1
    assert len(log) < 20
