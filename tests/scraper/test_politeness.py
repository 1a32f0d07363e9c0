"""Polite by default, fast on request, and one explained line per failure a user can act on.

A tiny site on 127.0.0.1 whose robots.txt sets `Crawl-delay: 0.5` and disallows /private/;
its server notes when each request arrived. Every crawl makes about ten requests.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys

import pytest

from tests.scraper.conftest import REPO, env, html_page, run_scrapy, tiny_site

pytestmark = pytest.mark.timeout(90)

CRAWL_DELAY = 0.5
ROBOTS = f"User-agent: *\nCrawl-delay: {CRAWL_DELAY}\nDisallow: /private/\n"
LINKS = ["/news/one/", "/news/two/", "/news/three/", "/private/draft/"]


PAGES = {"/": html_page("Home", LINKS),
         **{path: html_page(path.strip("/").replace("/", " "), article=True) for path in LINKS}}


def _route(path: str):
    if path == "/robots.txt":
        return 200, "text/plain", ROBOTS.encode()
    return (200, "text/html; charset=utf-8", PAGES[path]) if path in PAGES else None


def polite_site():
    return tiny_site(_route)


def _pressroom_crawl(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pressroom", "crawl", *args], cwd=REPO, env=env(),
                          capture_output=True, text=True, timeout=60)


def _stats(out) -> dict:
    return json.loads((out / "reports" / "crawl-stats.json").read_text())


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # closed again on leaving: nothing listens there


def test_default_crawl_is_polite(tmp_path):
    """No --fast: robots.txt obeyed, AutoThrottle and the Crawl-delay middleware on, 2 requests per host."""
    with polite_site() as (server_log, base):
        proc = _pressroom_crawl(base + "/", "--out", str(tmp_path), "-q", "--max-pages", "1")
        log = list(server_log)
    assert proc.returncode in (0, 1, 3), proc.stderr[-2000:]
    effective = _stats(tmp_path)["pressroom/settings"]
    assert effective["ROBOTSTXT_OBEY"] and effective["AUTOTHROTTLE_ENABLED"] and effective["PRESSROOM_OBEY_CRAWL_DELAY"]
    assert effective["CONCURRENT_REQUESTS_PER_DOMAIN"] == 2 and effective["DOWNLOAD_DELAY"] > 0
    assert {"RobotsTxtMiddleware", "CrawlDelayMiddleware", "RedirectLoopMiddleware"} <= set(
        effective["downloader_middlewares"])
    assert "AutoThrottle" in effective["extensions"]
    assert log[0][1] == "/robots.txt"  # asked before anything else
    agents = {agent for _, _, agent in log}
    assert len(agents) == 1 and "pressroom" in agents.pop().lower() and "+http" in effective["USER_AGENT"]


def test_fast_lifts_throttling_but_still_obeys_robots(tmp_path):
    with polite_site() as (server_log, base):
        proc = _pressroom_crawl(base + "/", "--out", str(tmp_path), "-q", "--fast", "--all-pages")
        log = list(server_log)
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
    stats = _stats(tmp_path)
    effective = stats["pressroom/settings"]
    assert not effective["AUTOTHROTTLE_ENABLED"] and not effective["PRESSROOM_OBEY_CRAWL_DELAY"]
    assert effective["DOWNLOAD_DELAY"] == 0 and effective["CONCURRENT_REQUESTS_PER_DOMAIN"] > 2
    assert "CrawlDelayMiddleware" not in effective["downloader_middlewares"]
    assert "AutoThrottle" not in effective["extensions"]
    assert effective["ROBOTSTXT_OBEY"] and "RobotsTxtMiddleware" in effective["downloader_middlewares"]
    paths = [path for _, path, _ in log]
    assert {"/news/one/", "/news/two/", "/news/three/"} <= set(paths) and "/private/draft/" not in paths
    times = [t for t, _, _ in log]
    assert len(times) >= 6 and times[-1] - times[0] < CRAWL_DELAY * (len(times) - 1) / 2  # Crawl-delay ignored
    # the refusal is counted and explained in one line
    assert stats["pressroom/skipped/robots_txt"] == 1
    assert "/private/draft/ is disallowed by the site's robots.txt" in proc.stderr


def test_crawl_delay_is_honoured(tmp_path):
    """Throttling otherwise off (no AutoThrottle, no download delay): only robots.txt spaces the requests."""
    with polite_site() as (server_log, base):
        stats = run_scrapy([base + "/"], tmp_path, settings={"PRESSROOM_OBEY_CRAWL_DELAY": 1, "PRESSROOM_MAX_PAGES": 5})
        log = list(server_log)
    assert stats["pressroom/crawl_delay/127.0.0.1"] == CRAWL_DELAY
    times = sorted(t for t, _, _ in log)
    gaps = [b - a for a, b in zip(times, times[1:])]
    assert len(gaps) >= 4
    assert min(gaps) >= CRAWL_DELAY * 0.9, gaps  # no jitter below the site's Crawl-delay
    assert "/private/draft/" not in [path for _, path, _ in log]


def test_bad_url_is_explained_and_nothing_runs(tmp_path):
    proc = _pressroom_crawl("example.org/press", "--out", str(tmp_path), "-q")
    assert proc.returncode == 2
    assert proc.stderr.strip() == ("not a usable URL: example.org/press — give a full http:// or https:// address, "
                                   "e.g. https://example.org/press/")
    assert not (tmp_path / "reports" / "crawl-stats.json").exists()


def test_unreachable_host_is_explained_once(tmp_path):
    url = f"http://127.0.0.1:{_closed_port()}/"
    proc = _pressroom_crawl(url, "--out", str(tmp_path), "-q", "--fast")
    assert proc.returncode == 3  # nothing stored
    stats = _stats(tmp_path)
    assert stats["pressroom/errors/connection_refused"] >= 1
    assert "errors" in proc.stdout and "connection_refused" in proc.stdout
    explained = [line for line in proc.stderr.splitlines() if line.startswith("cannot reach 127.0.0.1")]
    assert len(explained) == 1 and "--resume" in explained[0]  # robots.txt, feed probe and page: one host, one line
    assert "Traceback" not in proc.stderr
