"""scraper/middlewares.py: Crawl-delay from robots.txt, redirect loops."""

from __future__ import annotations

import pytest


def test_crawl_delay_from_robots_slows_the_host_slot():
    from types import SimpleNamespace

    from scrapy.exceptions import NotConfigured
    from scrapy.http import Request, TextResponse
    from scrapy.settings import Settings
    from scrapy.statscollectors import MemoryStatsCollector

    from scraper.middlewares import CrawlDelayMiddleware

    slot = SimpleNamespace(delay=0.0)
    downloader = SimpleNamespace(slots={"h.example": slot}, get_slot_key=lambda request: "h.example")
    settings = Settings({"USER_AGENT": "pressroom/0.1", "ROBOTSTXT_USER_AGENT": "pressroom"})
    crawler = SimpleNamespace(settings=settings, engine=SimpleNamespace(downloader=downloader))
    crawler.stats = MemoryStatsCollector(crawler)
    middleware = CrawlDelayMiddleware.from_crawler(crawler)
    robots = Request("http://h.example/robots.txt")
    middleware.process_response(robots, TextResponse(robots.url, body=b"User-agent: *\nCrawl-delay: 4\n"))
    page = Request("http://h.example/a/")
    middleware.process_response(page, TextResponse(page.url, body=b"<html></html>"))
    assert slot.delay == 4.0

    with pytest.raises(NotConfigured):
        settings.set("PRESSROOM_OBEY_CRAWL_DELAY", False)
        CrawlDelayMiddleware.from_crawler(crawler)


def test_redirect_loop_is_raised_but_slash_and_chain_redirects_pass():
    from scrapy.exceptions import IgnoreRequest
    from scrapy.http import Request, Response

    from scraper.middlewares import RedirectLoopMiddleware

    mw = RedirectLoopMiddleware()

    def hop(url, location, chain=()):
        request = Request(url, meta={"redirect_urls": list(chain)} if chain else {})
        return mw.process_response(request, Response(url, status=301, headers={"Location": location}))

    assert hop("http://h/a", "/a/").status == 301  # adding the slash is no loop
    assert hop("http://h/b/", "/c/", chain=["http://h/a/"]).status == 301
    with pytest.raises(IgnoreRequest, match="redirect loop"):
        hop("http://h/b/", "/a/?utm_source=x", chain=["http://h/a/"])  # back to the start, in canonical form
    page = Request("http://h/p/")
    assert mw.process_response(page, Response(page.url, status=200)).status == 200
