"""Downloader middlewares of the pressroom crawler."""

from __future__ import annotations

from protego import Protego
from scrapy.exceptions import NotConfigured
from scrapy.utils.httpobj import urlparse_cached


class CrawlDelayMiddleware:
    """Honours robots.txt `Crawl-delay` (Scrapy's RobotsTxtMiddleware obeys rules but not the delay).

    Learns the delay from any robots.txt response that passes through the downloader
    and keeps the host's download slot at least that slow (AutoThrottle may only slow
    it further). Off with PRESSROOM_OBEY_CRAWL_DELAY = False (--fast).
    """

    def __init__(self, crawler, user_agent: str, max_delay: float):
        self.crawler = crawler
        self.user_agent = user_agent
        self.max_delay = max_delay
        self.delays: dict[str, float] = {}

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        if not settings.getbool("PRESSROOM_OBEY_CRAWL_DELAY", True):
            raise NotConfigured
        agent = settings.get("ROBOTSTXT_USER_AGENT") or settings.get("USER_AGENT", "")
        return cls(crawler, agent, settings.getfloat("PRESSROOM_MAX_CRAWL_DELAY", 60.0))

    def process_response(self, request, response):
        host = urlparse_cached(request).hostname or ""
        if urlparse_cached(request).path == "/robots.txt" and response.status == 200:
            try:
                delay = Protego.parse(response.body.decode("utf-8", "replace")).crawl_delay(self.user_agent)
            except Exception:  # noqa: BLE001 - a broken robots.txt has no delay to obey
                delay = None
            if delay:
                self.delays[host] = min(float(delay), self.max_delay)
                self.crawler.stats.set_value(f"pressroom/crawl_delay/{host}", self.delays[host])
        if host in self.delays:
            downloader = self.crawler.engine.downloader
            slot = downloader.slots.get(downloader.get_slot_key(request))
            if slot is not None and slot.delay < self.delays[host]:
                slot.delay = self.delays[host]
        return response
