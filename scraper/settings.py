"""Scrapy settings of the pressroom crawler (own settings are prefixed PRESSROOM_).

Defaults are polite (robots.txt with Crawl-delay, AutoThrottle, 2 requests per host);
`pressroom crawl --fast` lifts throttling for local or permitted hosts (see pressroom.crawl).
"""

import os
from pathlib import Path

from scraper.frontier import LOCAL_FRONTIER as _FRONTIER

BOT_NAME = "pressroom"
SPIDER_MODULES = ["scraper.spiders"]
NEWSPIDER_MODULE = "scraper.spiders"

# --- who we are: a clear User-Agent with a way to reach the operator
PRESSROOM_CONTACT = os.environ.get("PRESSROOM_CONTACT", "https://github.com/pressroom/pressroom")
USER_AGENT = f"pressroom/0.1 (press-release research crawler; +{PRESSROOM_CONTACT})"
ROBOTSTXT_USER_AGENT = "pressroom"

# --- politeness
ROBOTSTXT_OBEY = True
PRESSROOM_OBEY_CRAWL_DELAY = True
PRESSROOM_MAX_CRAWL_DELAY = 60.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_DELAY = 0.5
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False  # Scrapy 2.19 would open a control port; a crawler needs none

# --- limits
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024
DOWNLOAD_WARNSIZE = 0
RETRY_TIMES = 2
PRESSROOM_HOST_MAX_FAILURES = 5  # timeouts / connection errors in a row before a host is given up (0: never)
REDIRECT_MAX_TIMES = 10
DEPTH_LIMIT = 0  # depth is counted by the spider (pagination does not deepen)
PRESSROOM_MAX_DEPTH = 3  # link hops from a start page through pages that are neither releases nor listings
PRESSROOM_MAX_LISTING_PAGES = 200  # pages followed along one listing's pagination
PRESSROOM_SITEMAP_MAX_SIZE = 50 * 1024 * 1024  # decompressed, as the sitemap protocol allows
PRESSROOM_MAX_PAGES = 0  # requests the spider may schedule (0: no limit); robots.txt and redirect hops not counted

# --- frontier: switched in one place, scraper.frontier (redis_frontier() for scrapy-redis)
REQUEST_FINGERPRINTER_CLASS = "scraper.urls.CanonicalFingerprinter"
SCHEDULER = _FRONTIER["SCHEDULER"]
DUPEFILTER_CLASS = _FRONTIER["DUPEFILTER_CLASS"]

# --- output
# Where `scrapy crawl press` writes without `-s PRESSROOM_OUT=DIR`: the project's data/ folder, beside
# scrapy.cfg, whatever the current directory (`pressroom crawl --out` always passes its own). Without a
# scrapy.cfg beside the package (an installed copy) it is ./data; the crawl logs the folder it writes.
_PROJECT = Path(__file__).resolve().parents[1]
PRESSROOM_OUT = str(_PROJECT / "data") if (_PROJECT / "scrapy.cfg").is_file() else "data"
PRESSROOM_BATCH_SIZE = 100  # rows per raw Parquet file; a crash loses at most this many
PRESSROOM_RESUME = False
PRESSROOM_STATS_FILE = None
PRESSROOM_WARC_FILE = None
PRESSROOM_FEED_BODY = "base64"  # feed exports (-O items.jsonl): the body as base64 text, or "omit" (scraper.feedexport)
PRESSROOM_PROGRESS = False  # `pressroom crawl` turns it on unless -q; `scrapy crawl` has Scrapy's LogStats
PRESSROOM_PARENT_PID = 0  # `pressroom crawl` gives its pid: the crawl closes if that process goes (scraper.parentwatch)
PRESSROOM_PARENT_CHECK_S = 1.0
PRESSROOM_CRAWL_LOCK = "exclusive"  # scraper.crawllock; "shared" for the processes of a distributed crawl
PRESSROOM_LOCK_FD = -1  # `pressroom crawl` hands its lock to the child: the descriptor it inherits
PRESSROOM_PROGRESS_SINK = None  # a progress factory or its import path (scraper.progress); None: plain lines

DOWNLOADER_MIDDLEWARES = {
    "scraper.middlewares.HostGiveUpMiddleware": 560,  # inside RetryMiddleware (550): sees each attempt fail
    "scraper.middlewares.CrawlDelayMiddleware": 590,
    "scraper.middlewares.RedirectLoopMiddleware": 610,  # outside RedirectMiddleware (600): sees each 3xx first
}
ITEM_PIPELINES = {
    "scraper.pipelines.UniquePagePipeline": 100,
    "scraper.pipelines.RawStorePipeline": 800,
}
ADDONS = {"scraper.feedexport.FeedBodyAddon": 0}
EXTENSIONS = {
    "scraper.crawllock.CrawlLock": 50,  # OUT/.crawl.lock, before anything else is opened
    "scraper.warc.WarcExtension": 100,
    "scraper.progress.CrawlProgress": 110,
    "scraper.parentwatch.ParentWatch": 120,
}
LOG_LEVEL = "INFO"
