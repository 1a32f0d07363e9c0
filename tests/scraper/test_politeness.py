"""Polite by default, fast on request, and one explained line per failure a user can act on.

A tiny site on 127.0.0.1 whose robots.txt sets `Crawl-delay: 0.5` and disallows /private/;
its server notes when each request arrived. Every crawl makes about ten requests.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.scraper.conftest import REPO, env, run_scrapy

pytestmark = pytest.mark.timeout(90)

CRAWL_DELAY = 0.5
ROBOTS = f"User-agent: *\nCrawl-delay: {CRAWL_DELAY}\nDisallow: /private/\n"
LINKS = ["/news/one/", "/news/two/", "/news/three/", "/private/draft/"]


def _page(title: str, links=()) -> bytes:
    anchors = "".join(f'<li><a href="{href}">{href}</a></li>' for href in links)
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
            f'<meta property="og:type" content="article"></head><body><article><h1>{title}</h1>'
            f"<p>{title} is a short page of the politeness test site.</p><ul>{anchors}</ul></article></body></html>"
            ).encode()


PAGES = {"/": _page("Home", LINKS), **{path: _page(path.strip("/").replace("/", " ")) for path in LINKS}}


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):  # noqa: N802 - http.server's name
        self.server.log.append((time.monotonic(), self.path, self.headers.get("User-Agent", "")))
        if self.path == "/robots.txt":
            status, body, kind = 200, ROBOTS.encode(), "text/plain"
        elif self.path in PAGES:
            status, body, kind = 200, PAGES[self.path], "text/html; charset=utf-8"
        else:
            status, body, kind = 404, b"<html><body>not here</body></html>", "text/html"
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@contextmanager
def polite_site():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.log = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


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
    with polite_site() as (server, base):
        proc = _pressroom_crawl(base + "/", "--out", str(tmp_path), "-q", "--max-pages", "1")
        log = list(server.log)
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
    with polite_site() as (server, base):
        proc = _pressroom_crawl(base + "/", "--out", str(tmp_path), "-q", "--fast", "--all-pages")
        log = list(server.log)
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
    with polite_site() as (server, base):
        stats = run_scrapy([base + "/"], tmp_path, settings={"PRESSROOM_OBEY_CRAWL_DELAY": 1}, all_pages=1)
        log = list(server.log)
    assert stats["pressroom/crawl_delay/127.0.0.1"] == CRAWL_DELAY
    times = sorted(t for t, _, _ in log)
    gaps = [b - a for a, b in zip(times, times[1:])]
    assert len(gaps) >= 5
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
