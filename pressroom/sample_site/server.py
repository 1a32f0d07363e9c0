"""Serve the sample press room on 127.0.0.1 over real HTTP.

A threaded `http.server` (keep-alive, quiet) that answers from `SampleServer.site`, which
tests may swap between two crawls. Every 200 page carries ETag and Last-Modified and a
matching If-None-Match / If-Modified-Since gets a 304, so incremental re-crawls can be
tested. Trap pages may ask for a delay, custom headers or raw bytes.
"""

from __future__ import annotations

import contextlib
import hashlib
import threading
import time
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Iterator, NamedTuple

from pressroom.sample_site.dump import write_dump, write_dump_truth  # noqa: F401  (re-exported for the CLI)
from pressroom.sample_site.generator import generate_site
from pressroom.sample_site.model import BASE_PLACEHOLDER, SamplePage, SampleSite

NOT_FOUND = SamplePage(404, "text/html; charset=UTF-8",
                       b"<!DOCTYPE html><html><head><title>Page introuvable</title></head>"
                       b"<body><h1>Page introuvable</h1></body></html>\n", conditional=False)


class LoggedRequest(NamedTuple):
    method: str
    path: str
    headers: dict
    status: int
    bytes_sent: int


class RequestLog:
    """Thread-safe log of the requests a server answered; iterating gives a snapshot."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._items: list[LoggedRequest] = []

    def append(self, item: LoggedRequest) -> None:
        with self._lock:
            self._items.append(item)

    def snapshot(self) -> list[LoggedRequest]:
        with self._lock:
            return list(self._items)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __iter__(self):
        return iter(self.snapshot())

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)

    def __getitem__(self, index):
        return self.snapshot()[index]


def etag_of(page: SamplePage) -> str:
    """Port-independent: computed on the body before `{{BASE}}` is substituted."""
    return '"' + hashlib.sha1(page.body).hexdigest()[:24] + '"'


def _not_modified(page: SamplePage, etag: str, headers) -> bool:
    inm = headers.get("If-None-Match")
    if inm is not None:
        tags = {t.strip().removeprefix("W/") for t in inm.split(",")}
        return etag in tags or "*" in tags
    ims = headers.get("If-Modified-Since")
    if ims and page.last_modified is not None:
        try:
            since = parsedate_to_datetime(ims)
        except (TypeError, ValueError):
            return False
        return page.last_modified.replace(microsecond=0) <= since
    return False


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "nginx"
    sys_version = ""

    def log_message(self, format, *args):  # noqa: A002 - quiet: tests read server.requests instead
        pass

    def do_GET(self):
        self._answer(send_body=True)

    def do_HEAD(self):
        self._answer(send_body=False)

    def _answer(self, send_body: bool) -> None:
        sample: SampleServer = self.server.sample  # type: ignore[attr-defined]
        site = sample.site
        page = site.resolve(self.path, sample.base_url) or NOT_FOUND
        if page.delay:
            time.sleep(page.delay)
        body = page.body
        if page.templated and BASE_PLACEHOLDER.encode() in body:
            body = body.replace(BASE_PLACEHOLDER.encode(), sample.base_url.encode())
        status, headers = page.status, {"Content-Type": page.content_type}
        if page.conditional and page.status == 200:
            etag = etag_of(page)
            headers["ETag"] = etag
            if page.last_modified is not None:
                headers["Last-Modified"] = format_datetime(page.last_modified, usegmt=True)
            if _not_modified(page, etag, self.headers):
                status, body = 304, b""
        headers.update({k: v.replace(BASE_PLACEHOLDER, sample.base_url) for k, v in page.headers.items()})
        sent = len(body) if send_body and status != 304 else 0
        # logged before the body goes out, so a client that has its answer also finds it in the log
        sample.requests.append(LoggedRequest(self.command, self.path, dict(self.headers.items()), status, sent))
        try:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            if status != 304:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if sent:
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def handle_error(self, request, client_address):  # quiet: clients that hang up are normal here
        pass


class SampleServer:
    """A running sample site: `base_url`, the (assignable) `site`, and the `requests` log."""

    def __init__(self, site: SampleSite, port: int = 0) -> None:
        self.site = site
        self.requests = RequestLog()
        self._httpd = _Server(("127.0.0.1", port), _Handler)
        self._httpd.sample = self  # type: ignore[attr-defined]
        self.port = self._httpd.server_address[1]
        self.base_url = f"http://127.0.0.1:{self.port}"
        self._thread: threading.Thread | None = None

    def start(self) -> "SampleServer":
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        name=f"sample-site-{self.port}", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def url(self, path: str) -> str:
        return self.base_url + path


def _as_site(site: SampleSite | str) -> SampleSite:
    return generate_site(site) if isinstance(site, str) else site


@contextlib.contextmanager
def serve_sample(site: SampleSite | str = "default", port: int = 0) -> Iterator[SampleServer]:
    """Serve a sample site (or a variant name) on 127.0.0.1 for the duration of the block."""
    server = SampleServer(_as_site(site), port).start()
    try:
        yield server
    finally:
        server.stop()


def serve_forever(port: int = 0, variant: str = "default") -> None:
    """Serve until Ctrl-C, printing the URL (`pressroom serve-sample`)."""
    server = SampleServer(generate_site(variant), port)
    site = server.site
    print(f"sample press site ({variant}, {len(site.releases)} releases) at {server.base_url}/  (Ctrl-C to stop)",
          flush=True)
    try:
        server._httpd.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server._httpd.server_close()
