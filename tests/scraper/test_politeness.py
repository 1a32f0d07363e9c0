"""Polite by default, fast on request, and one explained line per failure a user can act on.

A tiny site on 127.0.0.1 whose robots.txt sets `Crawl-delay: 0.5` and disallows /private/;
its server notes when each request arrived. Every crawl makes about ten requests.
"""

from __future__ import annotations

import contextlib
import json
import socket
import subprocess
import sys

import pytest

from tests.scraper.conftest import REPO, env, html_page, scrapy_command, tiny_site

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


def _pressroom_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "pressroom", "crawl", *args]


def _stats(out) -> dict:
    return json.loads((out / "reports" / "crawl-stats.json").read_text())


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # closed again on leaving: nothing listens there


@pytest.fixture(scope="module")
def crawls(tmp_path_factory):
    """Four crawls started together, each against its own site (timings must not mix):
    name -> (completed process, out dir, request log)."""
    base_dir = tmp_path_factory.mktemp("polite")
    with contextlib.ExitStack() as stack:
        sites = {name: stack.enter_context(polite_site()) for name in ("default", "fast", "delay")}
        jobs = {
            # no --fast: the shipped defaults; one page is enough to see them in effect
            "default": _pressroom_cmd(sites["default"][1] + "/", "--out", str(base_dir / "default"), "-q",
                                      "--max-pages", "1"),
            # with one unusable start URL among good ones: the crawl goes on, the bad one is counted and explained
            "fast": _pressroom_cmd(sites["fast"][1] + "/", "ftp://127.0.0.1/press/", "--out", str(base_dir / "fast"),
                                   "--fast", "--all-pages"),
            # throttling otherwise off (no AutoThrottle, no download delay): only robots.txt spaces the requests
            "delay": scrapy_command([sites["delay"][1] + "/"], base_dir / "delay",
                                    settings={"PRESSROOM_OBEY_CRAWL_DELAY": 1, "PRESSROOM_MAX_PAGES": 5}),
            "unreachable": _pressroom_cmd(f"http://127.0.0.1:{_closed_port()}/", "--out",
                                          str(base_dir / "unreachable"), "-q", "--fast"),
        }
        procs = {name: subprocess.Popen(cmd, cwd=REPO, env=env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                        text=True) for name, cmd in jobs.items()}
        results = {}
        for name, proc in procs.items():
            stdout, stderr = proc.communicate(timeout=60)
            log = list(sites[name][0]) if name in sites else []
            results[name] = (subprocess.CompletedProcess(jobs[name], proc.returncode, stdout, stderr),
                             base_dir / name, log)
    return results


def test_default_crawl_is_polite(crawls):
    """No --fast: robots.txt obeyed, AutoThrottle and the Crawl-delay middleware on, 2 requests per host."""
    proc, out, log = crawls["default"]
    assert proc.returncode in (0, 1, 3), proc.stderr[-2000:]
    effective = _stats(out)["pressroom/settings"]
    assert effective["ROBOTSTXT_OBEY"] and effective["AUTOTHROTTLE_ENABLED"] and effective["PRESSROOM_OBEY_CRAWL_DELAY"]
    assert effective["CONCURRENT_REQUESTS_PER_DOMAIN"] == 2 and effective["DOWNLOAD_DELAY"] > 0
    assert {"RobotsTxtMiddleware", "CrawlDelayMiddleware", "RedirectLoopMiddleware"} <= set(
        effective["downloader_middlewares"])
    assert "AutoThrottle" in effective["extensions"]
    assert log[0][1] == "/robots.txt"  # asked before anything else
    agents = {agent for _, _, agent in log}
    assert len(agents) == 1 and "pressroom" in agents.pop().lower() and "+http" in effective["USER_AGENT"]


def test_fast_lifts_throttling_but_still_obeys_robots(crawls):
    proc, out, log = crawls["fast"]
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
    stats = _stats(out)
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
    assert stats["pressroom/errors/bad_url"] == 1 and proc.returncode == 1
    assert "not a usable URL: ftp://127.0.0.1/press/ — give a full http:// or https:// address" in proc.stderr


def test_crawl_delay_is_honoured(crawls):
    proc, out, log = crawls["delay"]
    assert proc.returncode == 0, proc.stderr[-2000:]
    stats = json.loads((out / "stats.json").read_text())
    assert stats["pressroom/crawl_delay/127.0.0.1"] == CRAWL_DELAY
    times = sorted(t for t, _, _ in log)
    gaps = [b - a for a, b in zip(times, times[1:])]
    assert len(gaps) >= 4
    # Arrival times are taken at the server, and Scrapy spaces requests by when it sends them: the
    # first one also waits for its connection to open, and one held up by a loaded machine makes
    # the gap after it look short. So the crawl must never run ahead of the delay over any stretch,
    # by more than that one late arrival (0.1 s), and no single gap may fall far below the delay
    # (downloader jitter would give gaps down to half of it).
    assert all(times[k] - times[0] >= CRAWL_DELAY * k - 0.1 for k in range(1, len(times))), gaps
    assert min(gaps) >= CRAWL_DELAY * 0.75, gaps


def test_unreachable_host_is_explained_once(crawls):
    proc, out, log = crawls["unreachable"]
    assert proc.returncode == 3  # nothing stored
    stats = _stats(out)
    assert stats["pressroom/errors/connection_refused"] >= 1
    assert "errors" in proc.stdout and "connection_refused" in proc.stdout
    explained = [line for line in proc.stderr.splitlines() if line.startswith("cannot reach 127.0.0.1")]
    assert len(explained) == 1 and "--resume" in explained[0]  # robots.txt, feed probe and page: one host, one line
    assert "Traceback" not in proc.stderr


def test_bad_url_is_explained_and_nothing_runs(tmp_path):
    proc = subprocess.run(_pressroom_cmd("example.org/press", "--out", str(tmp_path), "-q"), cwd=REPO, env=env(),
                          capture_output=True, text=True, timeout=30)
    assert proc.returncode == 2
    assert proc.stderr.strip() == ("not a usable URL: example.org/press — give a full http:// or https:// address, "
                                   "e.g. https://example.org/press/")
    assert not (tmp_path / "reports" / "crawl-stats.json").exists()

