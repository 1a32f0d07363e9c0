"""Several crawler processes sharing one scrapy-redis frontier against the sample site (real Redis, real HTTP).

Every process gets its own stats file and writes its own raw batch files (one shared OUT/raw/,
as on one machine); together they must store every release exactly once, also when one of
them is SIGKILLed mid-crawl, and a re-crawl must re-visit the feeds and listings.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import time
import uuid
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import pyarrow.parquet as pq
import pytest

from pressroom.crawl import build_command, child_env, crawl_settings

REPO = Path(__file__).resolve().parents[2]
TEST_SETTINGS = {  # fast and bounded: no throttling, short timeouts, a hard time limit per process
    "AUTOTHROTTLE_ENABLED": 0, "DOWNLOAD_DELAY": 0, "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
    "PRESSROOM_OBEY_CRAWL_DELAY": 0, "DOWNLOAD_TIMEOUT": 5, "RETRY_TIMES": 1, "CLOSESPIDER_TIMEOUT": 45,
    "PRESSROOM_REDIS_LEASE_TTL": 4, "LOG_LEVEL": "WARNING",
}

# a few seconds of crawl, so both processes are at work together (start-up can differ by a second)
# and a kill lands mid-crawl
SLOW = {"DOWNLOAD_DELAY": 0.03, "CONCURRENT_REQUESTS_PER_DOMAIN": 4}


def crawl_args(base_url: str, out: Path, redis_url: str | None) -> argparse.Namespace:
    return argparse.Namespace(urls=[base_url + "/"], out=str(out), redis=redis_url, fast=True, quiet=True)


def start_crawler(base_url: str, out: Path, redis_url: str, prefix: str, name: str, **settings) -> subprocess.Popen:
    """`pressroom crawl URL --redis REDIS_URL` as the CLI builds it, with a per-test key prefix."""
    cmd = build_command(crawl_args(base_url, out, redis_url), out / f"stats-{name}.json",
                        {**TEST_SETTINGS, "PRESSROOM_REDIS_PREFIX": prefix, **settings})
    log = open(out / f"log-{name}.txt", "w")  # noqa: SIM115 - closed with the process
    return subprocess.Popen(cmd, cwd=REPO, env=child_env(), stdout=log, stderr=subprocess.STDOUT)


def wait(proc: subprocess.Popen, out: Path, name: str, timeout: float = 60) -> dict:
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise
    log = (out / f"log-{name}.txt").read_text()
    assert proc.returncode == 0, log[-3000:]
    return json.loads((out / f"stats-{name}.json").read_text())


def raw_rows(out: Path) -> list[dict]:
    rows = []
    for path in sorted((out / "raw").glob("*.parquet")):
        rows += pq.read_table(path, columns=["url", "is_release", "feed_title"]).to_pylist()
    return rows


def stored_paths(out: Path) -> Counter:
    return Counter(urlsplit(r["url"]).path for r in raw_rows(out) if r["is_release"])


def feed_links(server, feed_path: str) -> set[str]:
    import feedparser

    feed = feedparser.parse(server.site.pages[feed_path].body.replace(b"{{BASE}}", server.base_url.encode()))
    return {urlsplit(e.link).path for e in feed.entries}


def release_gets(server) -> Counter:
    paths = {rel.path for rel in server.site.releases}
    return Counter(r.path for r in server.requests if r.method == "GET" and r.path in paths)


@pytest.fixture
def prefix() -> str:
    return f"pressroom-test-{uuid.uuid4().hex[:10]}"


@pytest.fixture
def site():
    from pressroom.sample_site.server import serve_sample

    with serve_sample("default") as server:
        yield server


def test_without_redis_the_single_process_frontier_is_unchanged(tmp_path):
    plain = crawl_settings(crawl_args("http://127.0.0.1:1", tmp_path, None), tmp_path / "s.json")
    assert not {"SCHEDULER", "DUPEFILTER_CLASS", "REDIS_URL"} & set(plain)
    shared = crawl_settings(crawl_args("http://127.0.0.1:1", tmp_path, "redis://127.0.0.1:6379/0"), tmp_path / "s.json")
    assert shared["SCHEDULER"] == "scraper.distributed.LeasingScheduler"
    assert shared["DUPEFILTER_CLASS"] == "scraper.distributed.RunDupeFilter"
    assert shared["REDIS_URL"] == "redis://127.0.0.1:6379/0" and shared["SCHEDULER_PERSIST"] is True


def test_scrapy_internals_the_leases_rely_on_exist():
    """Leases are settled from the engine's in-progress set; an upgrade that drops it must show here."""
    from scrapy.core.engine import _Slot

    assert "inprogress" in _Slot.__init__.__code__.co_names


@pytest.mark.redis
@pytest.mark.slow
def test_two_processes_store_every_release_once_and_a_recrawl_revisits(redis_url, prefix, site, tmp_path):
    releases = {rel.path for rel in site.site.releases}
    a = start_crawler(site.base_url, tmp_path, redis_url, prefix, "a", **SLOW)
    b = start_crawler(site.base_url, tmp_path, redis_url, prefix, "b", **SLOW)
    stats = [wait(a, tmp_path, "a"), wait(b, tmp_path, "b")]

    stored = stored_paths(tmp_path)
    assert set(stored) == releases, sorted(releases - set(stored))[:5]
    assert max(stored.values()) == 1, [p for p, n in stored.items() if n > 1][:5]
    assert max(release_gets(site).values()) == 1  # the shared dupefilter: each release fetched once
    assert all(s.get("pressroom/redis/dequeued", 0) > 0 for s in stats)  # both processes took work
    assert sorted(s["pressroom/redis/run"] for s in stats) == [1, 1]  # one crawl run, shared
    in_feed = feed_links(site, "/feed/")
    rows = {urlsplit(r["url"]).path: r for r in raw_rows(tmp_path)}
    assert any(rows[path]["feed_title"] for path in in_feed)  # feed columns survive (crossing: test below)

    # a re-crawl (new run, fresh dupefilter) re-visits feeds, listings and releases; nothing is stored twice
    first_run = {r.path for r in site.requests if r.method == "GET"}
    site.requests.clear()
    again = start_crawler(site.base_url, tmp_path, redis_url, prefix, "again")
    st = wait(again, tmp_path, "again")
    assert st["pressroom/redis/run"] == 2 and st["pressroom/redis/joined_running_crawl"] == 0
    fetched = {r.path for r in site.requests if r.method == "GET"}
    assert "/feed/" in fetched and any("/page/" in p for p in fetched)  # the feed and listing pages again
    assert fetched == first_run
    assert st.get("pressroom/stored", 0) == 0 and stored_paths(tmp_path) == stored


@pytest.mark.redis
@pytest.mark.slow
def test_a_killed_process_share_is_finished_by_the_survivor(redis_url, prefix, site, tmp_path):
    releases = {rel.path for rel in site.site.releases}
    victim = start_crawler(site.base_url, tmp_path, redis_url, prefix, "victim", **SLOW)
    survivor = start_crawler(site.base_url, tmp_path, redis_url, prefix, "survivor", **SLOW)
    deadline = time.monotonic() + 40
    while sum(release_gets(site).values()) < len(releases) // 4:
        assert time.monotonic() < deadline and victim.poll() is None, "crawl did not get going"
        time.sleep(0.02)
    os.kill(victim.pid, signal.SIGKILL)  # no close: its leases, queue share and unflushed batch are orphaned
    victim.wait(timeout=10)
    st = wait(survivor, tmp_path, "survivor")

    assert st.get("pressroom/redis/reclaimed", 0) > 0  # the survivor took the dead process's leases back
    stored = stored_paths(tmp_path)
    assert set(stored) == releases, sorted(releases - set(stored))[:5]  # none lost
    assert max(stored.values()) == 1, [p for p, n in stored.items() if n > 1][:5]  # none twice


# ---------------------------------------------------------------- the scheduler in-process, on a real Redis


class _NoLoop:
    """Stands in for twisted's LoopingCall: no reactor in the test process."""

    def __init__(self, fn):
        self.running = False

    def start(self, interval, now=True):
        self.running = True

    def stop(self):
        self.running = False


def open_scheduler(redis_url: str, prefix: str, monkeypatch):
    from types import SimpleNamespace

    from scrapy import Spider
    from scrapy.utils.test import get_crawler

    import scraper.distributed as distributed

    monkeypatch.setattr(distributed, "task", SimpleNamespace(LoopingCall=_NoLoop))

    class Press(Spider):
        name = "press"

    settings = {**distributed.redis_frontier(redis_url, prefix), "PRESSROOM_REDIS_LEASE_TTL": 5,
                "REQUEST_FINGERPRINTER_CLASS": "scraper.urls.CanonicalFingerprinter"}
    crawler = get_crawler(Press, settings)
    spider = Press.from_crawler(crawler)
    spider.hints = {}
    scheduler = distributed.LeasingScheduler.from_crawler(crawler)
    scheduler.open(spider)
    return scheduler, spider


@pytest.mark.redis
def test_feed_hints_cross_processes_and_the_richest_wins(redis_url, prefix, monkeypatch):
    from scrapy import Request

    from cleaning.core.schema import FeedEntry
    from cleaning.core.urls import url_key

    reader, reader_spider = open_scheduler(redis_url, prefix, monkeypatch)  # the process that read the feed
    fetcher, fetcher_spider = open_scheduler(redis_url, prefix, monkeypatch)  # the one that fetches the page
    url = "http://127.0.0.1:1/en/press-releases/a-release/"
    reader_spider.hints[url_key(url)] = FeedEntry(title="From the feed", link=url, summary="What it says")
    assert reader.enqueue_request(Request(url))
    fetcher_spider.hints[url_key(url)] = FeedEntry(title="From a sitemap", link=url)  # poorer: must not win
    assert not fetcher.enqueue_request(Request(url))  # the shared dupefilter drops it, the hint is still shared

    request = fetcher.next_request()
    assert request.url == url
    fetcher.take_hint(None, request)  # response_received, before the callback
    assert fetcher_spider.hints[url_key(url)].title == "From the feed"
    reader.close("finished")
    fetcher.close("finished")


@pytest.mark.redis
def test_leases_of_a_dead_process_go_back_to_the_queue(redis_url, prefix, monkeypatch):
    from scrapy import Request

    dead, _ = open_scheduler(redis_url, prefix, monkeypatch)
    alive, _ = open_scheduler(redis_url, prefix, monkeypatch)
    assert alive.run == dead.run  # joined the running crawl
    for i in range(3):
        dead.enqueue_request(Request(f"http://127.0.0.1:1/p{i}/", priority=i))
    taken = dead.next_request()
    assert taken.url == "http://127.0.0.1:1/p2/"  # highest priority first
    assert alive.server.hlen(dead.leases_key) == 1
    assert alive.reclaim_dead() == 0  # its heartbeat is still fresh

    alive.server.delete(dead.key("alive", dead.worker))  # SIGKILL: the heartbeat key expires
    assert alive.has_pending_requests()
    assert alive.reclaim_dead() == 1
    assert sorted(alive.next_request().url for _ in range(3)) == [f"http://127.0.0.1:1/p{i}/" for i in range(3)]
    assert alive.next_request() is None
    alive.close("finished")
    assert not alive.has_pending_requests()
