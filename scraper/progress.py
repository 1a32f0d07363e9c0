"""Crawl progress on stderr (a live bar on a terminal, a line every few seconds otherwise), for `pressroom crawl`."""

from __future__ import annotations

from scrapy import signals
from scrapy.exceptions import NotConfigured


class CrawlProgress:
    """Counts responses as they arrive; enabled by PRESSROOM_PROGRESS (the CLI sets it unless -q)."""

    def __init__(self, crawler, verbose: bool):
        from pressroom.progress import Tracker

        total = crawler.settings.getint("PRESSROOM_MAX_PAGES") or None
        self.tracker = Tracker(total, "crawl (pages fetched)", verbose=verbose)

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("PRESSROOM_PROGRESS"):
            raise NotConfigured
        ext = cls(crawler, crawler.settings.get("LOG_LEVEL") == "DEBUG")
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.response_received, signal=signals.response_received)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self, spider=None):
        self.tracker.__enter__()

    def response_received(self, response=None, request=None, spider=None):
        self.tracker.advance()

    def spider_closed(self, spider=None):
        self.tracker.close()
