"""Where the crawl frontier lives: settings to switch in one place (local now, scrapy-redis later)."""

from __future__ import annotations

from scrapy.dupefilters import RFPDupeFilter


class RunDupeFilter(RFPDupeFilter):
    """Remembers requests for one run only, even with JOBDIR.

    Scrapy's filter persists fingerprints as requests are scheduled, including requests
    still in flight when a crawl is SIGKILLed; a resumed crawl would then filter them
    and lose their pages. What a resumed crawl must not fetch again is what the raw
    store already holds, and the spider checks that; so this filter keeps nothing on disk.
    """

    @classmethod
    def from_crawler(cls, crawler):
        return cls(None, crawler.settings.getbool("DUPEFILTER_DEBUG"), fingerprinter=crawler.request_fingerprinter)


LOCAL_FRONTIER = {
    "SCHEDULER": "scrapy.core.scheduler.Scheduler",
    "DUPEFILTER_CLASS": "scraper.frontier.RunDupeFilter",
}


def redis_frontier(url: str) -> dict:
    """Settings that move the scheduler queue and the dupefilter into Redis (scrapy-redis, issue 8).

    The settings and the classes live in scraper.distributed (imported only for a Redis crawl).
    """
    from scraper.distributed import redis_frontier as settings_for_redis

    return settings_for_redis(url)
