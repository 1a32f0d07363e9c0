"""Helpers for crawler tests: run a crawl in a child process against a site on 127.0.0.1, read what it stored."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyarrow.parquet as pq
import pytest

REPO = Path(__file__).resolve().parents[2]
# fast and bounded: no throttling, short timeouts, small limits, never more than a few hundred pages
TEST_SETTINGS = {
    "AUTOTHROTTLE_ENABLED": 0, "DOWNLOAD_DELAY": 0, "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
    "PRESSROOM_OBEY_CRAWL_DELAY": 0, "DOWNLOAD_TIMEOUT": 15, "RETRY_TIMES": 2, "DOWNLOAD_MAXSIZE": 200_000,
    "PRESSROOM_SITEMAP_MAX_SIZE": 1_000_000, "CLOSESPIDER_PAGECOUNT": 300, "CLOSESPIDER_TIMEOUT": 30,
    "LOG_LEVEL": "WARNING",
}


def env() -> dict:
    return dict(os.environ, SCRAPY_SETTINGS_MODULE="scraper.settings",
                PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH", "")])))


def scrapy_command(start_urls: list[str], out: Path, *, settings: dict | None = None, **spider_args) -> list[str]:
    """`scrapy crawl press` with the test settings (the path researchers use without the CLI)."""
    cmd = [sys.executable, "-m", "scrapy", "crawl", "press", "-a", "start_urls=" + ",".join(start_urls)]
    for key, value in spider_args.items():
        cmd += ["-a", f"{key}={value}"]
    merged = {**TEST_SETTINGS, "PRESSROOM_OUT": str(out), "PRESSROOM_STATS_FILE": str(out / "stats.json"),
              **(settings or {})}
    for key, value in merged.items():
        cmd += ["-s", f"{key}={value}"]
    return cmd


def run_scrapy(start_urls: list[str], out: Path, **kwargs) -> dict:
    proc = subprocess.run(scrapy_command(start_urls, out, **kwargs), cwd=REPO, env=env(), capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads((out / "stats.json").read_text())


def run_pressroom(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pressroom", *args], cwd=REPO, env=env(), capture_output=True,
                          text=True, timeout=timeout)


def read_raw(out: Path) -> list[dict]:
    rows = []
    for path in sorted((out / "raw").glob("*.parquet")):
        rows += pq.read_table(path).to_pylist()
    return rows


def paths(rows: list[dict], key: str = "final_url") -> list[str]:
    from urllib.parse import urlsplit

    return [urlsplit(r[key]).path for r in rows]


@pytest.fixture
def out(tmp_path) -> Path:
    return tmp_path / "out"


@contextmanager
def tiny_site(route: Callable[[str], tuple | None]):
    """A throwaway site on 127.0.0.1: `route(path)` gives (status, content type, body[, headers]) or None (404).

    Yields (log, base URL); `log` holds (monotonic time, path, User-Agent) per request, in arrival order.
    """
    log: list[tuple[float, str, str]] = []

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):  # noqa: N802 - http.server's name
            log.append((time.monotonic(), self.path, self.headers.get("User-Agent", "")))
            status, kind, body, *extra = route(self.path) or (404, "text/html", b"<html><body>not here</body></html>")
            self.send_response(status)
            for name, value in (extra[0] if extra else {}).items():
                self.send_header(name, value)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield log, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def html_page(title: str, links=(), *, next_url: str | None = None, article: bool = False) -> bytes:
    anchors = "".join(f'<li><a href="{href}">{href}</a></li>' for href in links)
    head = (f'<meta property="og:type" content="article">' if article else "") + (
        f'<link rel="next" href="{next_url}">' if next_url else "")
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>{head}</head>'
            f"<body><main><h1>{title}</h1><p>{title}: a short page of a test site.</p><ul>{anchors}</ul></main>"
            "</body></html>").encode()
