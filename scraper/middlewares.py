"""Downloader middlewares of the pressroom crawler."""

from __future__ import annotations

from urllib.parse import urljoin

from protego import Protego
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.utils.httpobj import urlparse_cached

from cleaning.core.urls import canonical_url


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
            if slot is not None and (slot.delay < self.delays[host] or getattr(slot, "jitter", 0)):
                slot.delay = max(slot.delay, self.delays[host])
                slot.jitter = 0  # Scrapy's ±50 % jitter would put every other request under the Crawl-delay
        return response


class RedirectLoopMiddleware:
    """Ends a redirect loop as a counted error (`errors/redirect_loop`), not a silent dupefilter drop.

    Sits just outside Scrapy's RedirectMiddleware (it sees each 3xx first): a Location
    that leads back to a URL already on this request's redirect chain (compared in
    canonical form) raises IgnoreRequest, which reaches the spider's errback.
    """

    def process_response(self, request, response):
        location = response.headers.get("Location")
        if response.status not in (301, 302, 303, 307, 308) or not location:
            return response
        target = canonical_url(urljoin(request.url, location.decode("latin-1")))
        chain = [*request.meta.get("redirect_urls", []), request.url]
        if target in {canonical_url(url) for url in chain}:  # exact: /a -> /a/ is no loop
            raise IgnoreRequest(f"redirect loop: {' -> '.join(chain)} -> {target}")
        return response
