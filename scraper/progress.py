"""Crawl progress as a Scrapy extension: counts responses and hands them to a progress sink.

Enabled by PRESSROOM_PROGRESS. The sink is PRESSROOM_PROGRESS_SINK: a factory (an object, or its
import path, as Scrapy's component settings are) called as `factory(total=..., description=...,
verbose=...)` and returning a context manager with `advance(n=1)`. `pressroom crawl` passes its
terminal tracker; without one, a plain line goes to stderr every few seconds. The crawler never
imports the CLI: the CLI tells it what to call.
"""

from __future__ import annotations

import sys
import time

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.misc import load_object


class PlainProgress:
    """The default sink: "crawl (HTTP responses): 120, 12.0/s" on stderr every `interval` seconds."""

    def __init__(self, total: int | None = None, description: str = "crawl", verbose: bool = False,
                 interval: float | None = None, stream=None):
        self.total, self.description = total, description
        self.interval = interval if interval is not None else (1.0 if verbose else 10.0)
        self.stream = stream if stream is not None else sys.stderr
        self.done = 0
        self._started = self._last = time.monotonic()

    def __enter__(self) -> "PlainProgress":
        return self

    def line(self) -> str:
        elapsed = time.monotonic() - self._started
        count = f"{self.done}/{self.total}" if self.total else f"{self.done}"
        rate = f", {self.done / elapsed:.1f}/s" if elapsed >= 1 else ""
        return f"{self.description}: {count}{rate}"

    def advance(self, n: int = 1) -> None:
        self.done += n
        if time.monotonic() - self._last >= self.interval:
            self._last = time.monotonic()
            print(self.line(), file=self.stream, flush=True)

    def __exit__(self, *exc) -> None:
        print(self.line() + " — done", file=self.stream, flush=True)


class CrawlProgress:
    """Counts responses as they arrive (PRESSROOM_PROGRESS; the CLI sets it unless -q)."""

    def __init__(self, sink):
        self.sink = sink

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        if not settings.getbool("PRESSROOM_PROGRESS"):
            raise NotConfigured
        factory = load_object(settings.get("PRESSROOM_PROGRESS_SINK") or PlainProgress)
        sink = factory(total=settings.getint("PRESSROOM_MAX_PAGES") or None, description="crawl (HTTP responses)",
                       verbose=settings.get("LOG_LEVEL") == "DEBUG")
        ext = cls(sink)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.response_received, signal=signals.response_received)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self, spider=None):
        self.sink.__enter__()

    def response_received(self, response=None, request=None, spider=None):
        self.sink.advance()

    def spider_closed(self, spider=None):
        self.sink.__exit__(None, None, None)
