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


class HostGiveUpMiddleware:
    """Gives up on a host after PRESSROOM_HOST_MAX_FAILURES network failures in a row.

    A dead or stalling host otherwise costs DOWNLOAD_TIMEOUT x (RETRY_TIMES + 1) for every
    URL queued for it (4 minutes and 23 requests). The failures counted are the ones Scrapy
    retries (RETRY_EXCEPTIONS: timeouts, refused or lost connections, DNS), each attempt once;
    any response from the host resets its count; robots.txt fetches are not counted (a stalling
    robots.txt is reported on its own, and the host's pages may still answer). Once given up, every further request to the
    host is dropped at once with IgnoreRequest("host given up ..."), which the spider counts as
    `skipped/host_given_up` (those in flight fail with their own error, not retried);
    `pressroom/hosts_given_up/<host>` records the failures. 0: never.
    Sits just inside RetryMiddleware (550), so it sees each attempt's failure before the retry.
    """

    def __init__(self, crawler, max_failures: int, exceptions: tuple[type, ...]):
        self.crawler = crawler
        self.max_failures = max_failures
        self.exceptions = exceptions
        self.failures: dict[str, int] = {}
        self.given_up: dict[str, str] = {}  # host -> the last failure

    @classmethod
    def from_crawler(cls, crawler):
        from scrapy.utils.misc import load_object

        settings = crawler.settings
        max_failures = settings.getint("PRESSROOM_HOST_MAX_FAILURES", 5)
        if max_failures <= 0:
            raise NotConfigured
        exceptions = tuple(load_object(e) if isinstance(e, str) else e for e in settings.getlist("RETRY_EXCEPTIONS"))
        return cls(crawler, max_failures, exceptions)

    def process_request(self, request):
        host = urlparse_cached(request).hostname or ""
        if host in self.given_up:
            raise self._ignore(host)
        return None

    def process_response(self, request, response):
        self.failures.pop(urlparse_cached(request).hostname or "", None)
        return response

    def process_exception(self, request, exception):
        if not isinstance(exception, self.exceptions) or urlparse_cached(request).path == "/robots.txt":
            return None  # a robots.txt that cannot be fetched is reported as such (the spider), the pages may answer
        host = urlparse_cached(request).hostname or ""
        self.failures[host] = self.failures.get(host, 0) + 1
        if self.failures[host] >= self.max_failures and host not in self.given_up:
            self.given_up[host] = f"{type(exception).__name__}: {exception}"
            self.crawler.stats.set_value(f"pressroom/hosts_given_up/{host}", self.failures[host])
            self._drop_queued(request)
        if host in self.given_up:  # no retry: the request fails now, with its own failure (skipping RetryMiddleware)
            raise exception
        return None

    def _ignore(self, host: str) -> IgnoreRequest:
        return IgnoreRequest(f"host given up after {self.max_failures} failures in a row: {host} "
                             f"(last: {self.given_up[host]})")

    def _drop_queued(self, request) -> None:
        """Fail the requests already waiting in the host's download slot (they passed process_request)."""
        downloader = getattr(getattr(self.crawler, "engine", None), "downloader", None)
        if downloader is None:
            return
        slot = downloader.slots.get(request.meta.get(downloader.DOWNLOAD_SLOT) or downloader.get_slot_key(request))
        queue = getattr(slot, "queue", None)
        host = urlparse_cached(request).hostname or ""
        while queue:
            _, waiting = queue.popleft()
            waiting.errback(self._ignore(host))
