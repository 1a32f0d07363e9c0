"""Crawl budgets: a host that accepts connections and never answers is given up after a few failures;
a robots.txt that cannot be fetched is reported as such, not as a refusal."""

from __future__ import annotations

import socket
import threading
import time
from contextlib import contextmanager

import pytest

from pressroom.crawl import explained_problems
from tests.scraper.conftest import html_page, run_scrapy, tiny_site

pytestmark = pytest.mark.timeout(90)


@contextmanager
def silent_host():
    """127.0.0.1:port accepts every connection and never sends a byte; yields (base URL, accepted count)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    listener.settimeout(0.2)
    held, stop = [], threading.Event()

    def accept():
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except (TimeoutError, OSError):
                continue
            held.append(conn)

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}", held
    finally:
        stop.set()
        thread.join(timeout=5)
        for conn in held:
            conn.close()
        listener.close()


def test_a_stalling_host_is_given_up_after_a_few_failures(tmp_path):
    out = tmp_path / "out"
    with silent_host() as (base, accepted):
        urls = [f"{base}/news/{i}/" for i in range(30)]
        start = time.monotonic()
        stats = run_scrapy(urls, out, settings={
            "DOWNLOAD_TIMEOUT": 0.5, "RETRY_TIMES": 2, "PRESSROOM_HOST_MAX_FAILURES": 3,
            "CONCURRENT_REQUESTS_PER_DOMAIN": 1, "CLOSESPIDER_TIMEOUT": 60})
        elapsed = time.monotonic() - start
        connections = len(accepted)
    # without the give-up: robots.txt and 30 pages, 3 attempts each: 93 connections (measured), and retries
    assert stats["pressroom/hosts_given_up/127.0.0.1"] == 3
    assert stats["pressroom/errors/timeout"] >= 3  # the failures themselves are errors, with their own kind
    assert stats["pressroom/skipped/host_given_up"] >= 10  # dropped without a connection
    assert connections <= 25 and stats.get("retry/count", 0) <= 6  # robots.txt's 2 retries, a few in flight
    assert elapsed < 30
    assert any("cannot reach 127.0.0.1" in line for line in explained_problems(stats))


def test_a_robots_txt_timeout_is_a_fetch_failure_not_a_refusal(tmp_path):
    out = tmp_path / "out"

    def route(path):
        if path == "/robots.txt":
            time.sleep(2)  # longer than the download timeout
            return 200, "text/plain", b"User-agent: *\nAllow: /\n"
        if path == "/":
            return 200, "text/html; charset=utf-8", html_page("Home", ["/news/a/"])
        if path == "/news/a/":
            return 200, "text/html; charset=utf-8", html_page("A release", article=True)
        return None

    with tiny_site(route) as (log, base):
        stats = run_scrapy([base + "/"], out, settings={"DOWNLOAD_TIMEOUT": 0.5, "RETRY_TIMES": 0})
    assert stats["pressroom/errors/robots_fetch_failed"] == 1
    assert stats["pressroom/releases_stored"] == 1  # the pages were fetched all the same
    lines = explained_problems(stats)
    robots = [line for line in lines if "robots.txt" in line]
    assert robots and all("disallowed" not in line for line in lines)
    assert robots[0].startswith("could not fetch robots.txt of 127.0.0.1 (")
