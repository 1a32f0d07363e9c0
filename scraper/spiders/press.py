"""The `press` spider: discovers press releases through robots.txt, sitemaps, feeds and listings,
fetches them politely and yields RawPage items (releases only, unless --all-pages).

    scrapy crawl press -a start_urls=https://example.org/,https://example.org/feed/
    scrapy crawl press -a profile=cleaning/profiles/example.toml -a all_pages=1 -a since=2024-01-01

It only discovers and fetches; page text is cleaning's job. Page judgements live in
scraper.discovery, URL rules in scraper.urls, memory of earlier runs in scraper.rawstore.
"""

from __future__ import annotations

import dataclasses
import logging
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy.exceptions import (CannotResolveHostError, DownloadConnectionRefusedError, DownloadTimeoutError,
                               IgnoreRequest, UnsupportedURLSchemeError)
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import ConnectionRefusedError, DNSLookupError, TCPTimedOutError, TimeoutError

from cleaning.profiles import load_profile
from cleaning.core.schema import FeedEntry
from scraper.discovery import (add_links, credited_channel, in_date_range, is_binary, is_listing_page, is_release_page, link_kind,
                               main_content_hash, parse_html, read_signals)
from cleaning.core.charset import decode_body
from scraper.feeds import looks_like_feed, parse_feed
from scraper.items import RawPage
from scraper.rawstore import RawStoreIndex, content_hash
from scraper.sitemaps import SitemapTooLarge, parse_sitemap, sitemap_urls_from_robots
from cleaning.core.urls import canonical_url, url_key
from scraper.urls import in_domains, is_asset_url, is_feed_url, is_sitemap_url, is_trap_url

# higher first: learn the site's map before walking it, fetch releases last
PRIORITY = {"robots": 100, "feed": 60, "sitemap": 50, "listing": 20, "start": 30, "link": 10, "release": 0}
COMMON_FEED_PATHS = ("/feed/", "/rss.xml", "/atom.xml")
HTML_TYPES = ("text/html", "application/xhtml+xml")
MAX_PROBLEMS = 20  # failures kept with their URL for the closing summary's explained lines
# the settings that make a crawl polite or fast, reported with the stats so a run shows how it behaved
POLITENESS_SETTINGS = {"USER_AGENT": "get", "ROBOTSTXT_OBEY": "getbool", "PRESSROOM_OBEY_CRAWL_DELAY": "getbool",
                       "AUTOTHROTTLE_ENABLED": "getbool", "AUTOTHROTTLE_START_DELAY": "getfloat",
                       "AUTOTHROTTLE_TARGET_CONCURRENCY": "getfloat", "DOWNLOAD_DELAY": "getfloat",
                       "CONCURRENT_REQUESTS": "getint", "CONCURRENT_REQUESTS_PER_DOMAIN": "getint",
                       "DOWNLOAD_TIMEOUT": "getfloat", "DOWNLOAD_MAXSIZE": "getint", "RETRY_TIMES": "getint",
                       "REDIRECT_MAX_TIMES": "getint"}


def _truthy(value) -> bool:
    return str(value).strip().lower() in ("1", "true", "yes", "on")


def _day(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value).replace(tzinfo=UTC) if value else None


def _header(response, name: str) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


class PressSpider(scrapy.Spider):
    name = "press"

    def __init__(self, start_urls: str | list[str] = "", profile: str | None = None, all_pages=False,
                 since: str | None = None, until: str | None = None, **kwargs):
        super().__init__(**kwargs)
        self.profile = load_profile(profile) if profile else None
        urls = start_urls.split(",") if isinstance(start_urls, str) else list(start_urls)
        urls += list(self.profile.start_urls) if self.profile else []
        self.start_urls = list(dict.fromkeys(canonical_url(u) for u in urls if u.strip()))
        if not self.start_urls:
            raise ValueError("press spider: give start_urls=URL[,URL...] or a profile with start_urls")
        domains = list(self.profile.allowed_domains) if self.profile and self.profile.allowed_domains else []
        self.allowed_domains = domains or sorted({h for u in self.start_urls if (h := urlsplit(u).hostname)})
        self.all_pages = _truthy(all_pages)
        self.since, self.until = _day(since), _day(until)
        if self.until:
            self.until = self.until.replace(hour=0) + (datetime(2000, 1, 2) - datetime(2000, 1, 1))  # inclusive day
        self.hints: dict[str, FeedEntry] = {}  # url key -> what a feed or sitemap said about the page
        self.excluded: set[str] = set()  # url keys refused before fetching (dates)
        self.seen: set[str] = set()  # url keys requested in this run
        self.channels: dict[str, set[str]] = {}  # url key -> every channel (via) that named it in this run
        self.skipped: set[tuple[str, str]] = set()
        self.handled_links: set[tuple[str, str]] = set()  # (absolute link, kind) already turned into a request or refused
        self.problems: list[dict] = []  # {"input": url, "error": "TypeName: message"}, for pressroom.errors.explain

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        spider.out = Path(settings.get("PRESSROOM_OUT", "data"))
        spider.resume = settings.getbool("PRESSROOM_RESUME")
        spider.max_depth = settings.getint("PRESSROOM_MAX_DEPTH", 3)
        spider.max_listing_pages = settings.getint("PRESSROOM_MAX_LISTING_PAGES", 200)
        spider.sitemap_max_size = settings.getint("PRESSROOM_SITEMAP_MAX_SIZE", 50 * 1024 * 1024)
        spider.max_pages = settings.getint("PRESSROOM_MAX_PAGES", 0)
        spider.store = RawStoreIndex.load(spider.out / "raw")
        if settings.get("LOG_LEVEL") not in ("DEBUG", "INFO"):
            # "Gave up retrying" comes with a traceback; the spider reports each failure in one line instead
            for name in ("scrapy.downloadermiddlewares.retry", "scrapy.downloadermiddlewares.robotstxt"):
                logging.getLogger(name).setLevel(logging.CRITICAL)
        for problem in spider.store.unreadable:
            spider.logger.warning("raw store file unreadable, ignored: %s", problem)
        return spider

    # ---------------------------------------------------------------- bookkeeping

    def _inc(self, key: str, n: int = 1) -> None:
        self.crawler.stats.inc_value(f"pressroom/{key}", n)

    def _skip(self, reason: str, url: str) -> None:
        """Count a refused URL once per reason."""
        if (reason, url_key(url)) not in self.skipped:
            self.skipped.add((reason, url_key(url)))
            self._inc(f"skipped/{reason}")
            self.logger.debug("skipped (%s): %s", reason, url)

    def _error(self, kind: str, url: str, message: str = "") -> None:
        self._inc(f"errors/{kind}")
        self._note_problem(url, message or kind)
        self.logger.warning("error (%s): %s %s", kind, url, message)

    def _note_problem(self, url: str, message: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append({"input": url, "error": message})

    # ---------------------------------------------------------------- channels

    def _note_channel(self, url: str, via: str) -> None:
        """Remember that `via` named `url`, even when another channel already requested it."""
        self.channels.setdefault(url_key(canonical_url(url)), set()).add(via)

    def channel_of(self, *urls: str) -> str | None:
        """The channel a page reached at `urls` (requested, final) is credited to: the first in
        scraper.discovery.CHANNEL_PRECEDENCE of all that named it so far (all of them once the crawl ends)."""
        named = set().union(*(self.channels.get(url_key(canonical_url(u)), ()) for u in urls if u))
        return credited_channel(named)

    # ---------------------------------------------------------------- requests

    def _request(self, url: str, callback, via: str, *, kind: str = "link", hops: int = 0, listing_page: int = 0,
                 probe: bool = False, dont_filter: bool = False) -> scrapy.Request | None:
        """A request for `url` if scope, traps, dates and the raw store allow it, else None (counted)."""
        url = canonical_url(url)
        key = url_key(url)
        if urlsplit(url).scheme not in ("http", "https"):
            return None
        if not in_domains(url, self.allowed_domains):
            self._skip("offsite", url)
            return None
        if is_asset_url(url) and callback == self.parse_page:
            self._skip("non_html_link", url)
            return None
        if is_trap_url(url):
            self._skip("trap", url)
            return None
        if key in self.excluded:
            return None
        self._note_channel(url, via)
        if key in self.seen and not dont_filter:
            return None
        if self.max_pages and len(self.seen) >= self.max_pages:
            self._skip("max_pages", url)
            return None
        headers = {}
        if callback == self.parse_page and (stored := self.store.get(url)) is not None:
            if self.resume and (stored.is_release or self.all_pages):
                self._skip("already_stored", url)
                return None
            headers = self.store.conditional_headers(url)
        self.seen.add(key)
        self._inc(f"discovered/{via}")
        return scrapy.Request(
            url, callback=callback, errback=self.on_error, headers=headers, dont_filter=dont_filter,
            priority=PRIORITY.get(kind, 10),
            meta={"via": via, "hops": hops, "listing_page": listing_page, "probe": probe,
                  "handle_httpstatus_list": [304]})

    async def start(self):
        self.crawler.stats.set_value("pressroom/store/known_urls", len(self.store))
        roots = set()
        for url in self.start_urls:
            parts = urlsplit(url)
            if parts.path in ("", "/") and not parts.query:
                roots.add(f"{parts.scheme}://{parts.netloc}")
            if is_sitemap_url(url):
                request = self._request(url, self.parse_sitemap, "start", kind="sitemap", dont_filter=True)
            elif is_feed_url(url):
                request = self._request(url, self.parse_feed, "start", kind="feed", dont_filter=True)
            else:
                request = self._request(url, self.parse_page, "start", kind="start", dont_filter=True)
            if request:
                yield request
            elif urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).hostname:
                self._error("bad_url", url, f"not a valid URL: {url}")
        for origin in sorted(roots):
            if request := self._request(origin + "/robots.txt", self.parse_robots, "robots", kind="robots", probe=True):
                yield request
            # the conventional feed, read early so its metadata is known before the releases it names are fetched
            if request := self._request(origin + COMMON_FEED_PATHS[0], self.parse_feed, "start", kind="feed",
                                        probe=True):
                yield request
        if self.profile:
            for url in self.profile.feeds:
                if request := self._request(url, self.parse_feed, "start", kind="feed"):
                    yield request
            for url in self.profile.sitemaps:
                if request := self._request(url, self.parse_sitemap, "start", kind="sitemap"):
                    yield request

    # ---------------------------------------------------------------- discovery callbacks

    def parse_robots(self, response):
        self._inc("pages_fetched")
        sitemaps = list(sitemap_urls_from_robots(response.body, base_url=response.url))
        if not sitemaps:
            origin = f"{urlsplit(response.url).scheme}://{urlsplit(response.url).netloc}"
            sitemaps = [origin + "/sitemap.xml"]
            probe = True
        else:
            probe = False
        for url in sitemaps:
            url = urljoin(response.url, url)
            if request := self._request(url, self.parse_sitemap, "robots", kind="sitemap", probe=probe):
                yield request

    def parse_sitemap(self, response):
        self._inc("pages_fetched")
        try:
            sitemap = parse_sitemap(response.body, max_size=self.sitemap_max_size)
        except SitemapTooLarge as exc:
            self._error("sitemap_too_large", response.url, str(exc))
            return
        if not sitemap.kind:
            if response.meta.get("probe"):
                return
            if looks_like_feed(response.body):
                yield from self.parse_feed(response, counted=True)
                return
            self._error("bad_sitemap", response.url, "not a sitemap")
            return
        self._inc(f"sitemaps/{sitemap.kind}")
        if sitemap.skipped:
            self._inc("skipped/sitemap_entity_loc", sitemap.skipped)
        for entry in sitemap.entries:
            entry_url = urljoin(response.url, entry.loc)
            if sitemap.kind == "sitemapindex":
                request = self._request(entry_url, self.parse_sitemap, "sitemap", kind="sitemap")
            else:
                hint = FeedEntry(title=entry.news_title, link=entry_url, published=entry.news_published,
                                 updated=entry.lastmod, published_precision=entry.news_published_precision,
                                 updated_precision=entry.lastmod_precision)
                if not self._dates_allow(entry_url, hint):
                    continue
                self._add_hint(entry_url, hint, wins=False)
                request = self._request(entry_url, self.parse_page, "sitemap", kind="release", hops=1)
            if request:
                yield request

    def parse_feed(self, response, counted: bool = False):
        if not counted:
            self._inc("pages_fetched")
        feed = parse_feed(response.body, response.url, _header(response, "Content-Type"))
        if feed.error and not feed.entries and response.meta.get("probe"):
            self._skip("probe_not_a_feed", response.url)
            return
        if feed.error:
            self._error("bad_feed", response.url, feed.error)
        self._inc("feeds/entries", len(feed.entries))
        for entry in feed.entries:
            link = urljoin(response.url, entry.link)
            if not self._dates_allow(link, entry):
                continue
            self._add_hint(link, entry, wins=True)  # a feed knows more than a sitemap
            if request := self._request(link, self.parse_page, "feed", kind="release", hops=1):
                yield request

    def _add_hint(self, url: str, hint: FeedEntry, wins: bool) -> None:
        """Merge what one more feed or sitemap says about `url`: fields fill gaps; `wins` overrides."""
        key = url_key(url)
        old = self.hints.get(key)
        if old is None:
            self.hints[key] = hint
            return
        first, second = (hint, old) if wins else (old, hint)
        merged = {f.name: getattr(first, f.name) or getattr(second, f.name) for f in dataclasses.fields(FeedEntry)}
        for date in ("published", "updated"):  # a precision goes with the date it describes
            source = first if getattr(first, date) else second
            merged[f"{date}_precision"] = getattr(source, f"{date}_precision")
        self.hints[key] = FeedEntry(**merged)

    def _dates_allow(self, url: str, hint: FeedEntry) -> bool:
        """Skip before fetching when a feed or sitemap date puts the page outside --since/--until."""
        published = hint.published
        lastmod_too_old = hint.updated is not None and self.since is not None and hint.updated < self.since
        if lastmod_too_old or not in_date_range(published, self.since, self.until):
            self.excluded.add(url_key(url))
            self._skip("date_out_of_range_before_fetch", url)
            return False
        return True

    # ---------------------------------------------------------------- pages

    def parse_page(self, response):
        self._inc("pages_fetched")
        meta = response.meta
        if response.status == 304:
            self._inc("unchanged")
            return
        content_type = _header(response, "Content-Type") or ""
        body = response.body
        if is_binary(body) or (content_type and not content_type.lower().startswith(HTML_TYPES)):
            if looks_like_feed(body):
                yield from self.parse_feed(response, counted=True)
                return
            if b"<urlset" in body[:2048] or b"<sitemapindex" in body[:2048]:
                yield from self.parse_sitemap(response)
                return
            self._skip("non_html", response.url)
            return
        text, encoding = decode_body(body, content_type)
        page = parse_html(text, response.url)
        signals = read_signals(page, response.url, with_links=False)
        release = is_release_page(signals, response.url, self.profile)
        if not release or self.all_pages:
            signals = add_links(signals, page, response.url)
        listing = not release and is_listing_page(signals, response.url, self.profile)
        self._inc("pages/release" if release else "pages/listing" if listing else "pages/other")

        yield from self._follow_links(response, signals, release, listing)
        if not release:
            yield from self._discover_feeds(response, signals)

        if not (release or self.all_pages):
            return
        requested = (meta.get("redirect_urls") or [response.url])[0]
        hint = self.hints.get(url_key(requested)) or self.hints.get(url_key(response.url))
        published = signals.published or (hint.published if hint else None)
        if release and not in_date_range(published, self.since, self.until):
            self._skip("date_out_of_range", response.url)
            return
        digest = content_hash(body)
        change = self.store.change(requested, digest)
        if change == "changed" and (main := main_content_hash(page)) and self.store.main_hash(requested) == main:
            change = "unchanged"  # the bytes differ (a sidebar, a menu), the release does not: no second copy
            self._inc("unchanged_main_content")
        self._inc(change)
        if change == "unchanged":
            return
        headers = {k.decode("latin-1").lower(): b", ".join(v).decode("latin-1")
                   for k, v in response.headers.items()}
        yield RawPage(
            url=canonical_url(requested), final_url=response.url, status=response.status, headers=headers,
            body=body, encoding=encoding, content_type=content_type or None, fetched_at=datetime.now(UTC),
            discovered_via=self.channel_of(requested, response.url) or meta.get("via"), is_release=release, content_hash=digest,
            etag=headers.get("etag"), last_modified=headers.get("last-modified"),
        ).with_feed(hint)

    def _follow_links(self, response, signals, release: bool, listing: bool):
        meta = response.meta
        hops, listing_page = meta.get("hops", 0), meta.get("listing_page", 0)
        child_page = listing_page + 1 if listing else 1
        release_links = []
        if release and not self.all_pages:
            return  # releases are leaves: their teasers and tags lead where listings, feeds and sitemaps lead
        via = "listing" if listing else "link"
        for link in signals.links:
            if link == signals.next_url:
                continue
            kind = link_kind(link, self.profile)
            if in_domains(link, self.allowed_domains):
                self._note_channel(link, via)  # also when this link was judged on an earlier page
            if kind == "release":
                release_links.append(link)
            if kind == "other" and not self.all_pages and hops >= self.max_depth:
                continue
            if (link, kind) in self.handled_links:
                continue  # nav, footer and teaser links repeat on every page: judge each once
            self.handled_links.add((link, kind))
            if kind == "listing" and child_page > self.max_listing_pages:
                self._skip("listing_page_cap", link)
                continue
            if kind == "listing":
                request = self._request(link, self.parse_page, via, kind="listing", hops=hops,
                                        listing_page=child_page)
                if request:
                    request.meta["prev_links"] = tuple(release_links)
            else:
                request = self._request(link, self.parse_page, via, kind="release" if kind == "release" else "link",
                                        hops=hops + 1)
            if request:
                yield request
        if not signals.next_url or release:
            return
        # a page of a listing that shows no release the previous page did not show ends the walk
        # (endless pagination, calendars); "latest news" teasers repeat on every page and do not count
        fresh = set(release_links) - set(meta.get("prev_links", ()))
        if child_page > self.max_listing_pages:
            self._skip("listing_page_cap", signals.next_url)
        elif listing_page > 1 and not fresh:
            self._skip("pagination_exhausted", signals.next_url)
        elif request := self._request(signals.next_url, self.parse_page, "listing", kind="listing", hops=hops,
                                      listing_page=child_page):
            request.meta["prev_links"] = tuple(release_links)
            yield request

    def _discover_feeds(self, response, signals):
        """Feeds a page announces (<link rel=alternate>); common feed paths too when a site root announces none."""
        feeds = signals.feed_urls
        if not feeds and response.meta.get("via") == "start" and urlsplit(response.url).path in ("", "/"):
            feeds = tuple(urljoin(response.url, p) for p in COMMON_FEED_PATHS)
        for url in feeds:
            if request := self._request(url, self.parse_feed, "start", kind="feed", probe=not signals.feed_urls):
                yield request

    # ---------------------------------------------------------------- errors and closing

    def on_error(self, failure):
        request = failure.request
        url = request.url
        exc = failure.value
        if isinstance(exc, HttpError):
            status = exc.response.status
            if request.meta.get("probe"):
                self._skip(f"probe_{status}", url)
            else:
                self._error(f"http_{status}", url, f"HttpError: HTTP status {status}")
            return
        message = str(exc)
        if isinstance(exc, IgnoreRequest):
            if message.startswith("host given up"):  # scraper.middlewares.HostGiveUpMiddleware (its failures: errors)
                self._skip("host_given_up", url)
            elif "robots" in message.lower():
                self._skip("robots_txt", url)
                self._note_problem(url, f"IgnoreRequest: {message}")
            elif "redirect loop" in message.lower():  # scraper.middlewares.RedirectLoopMiddleware
                self._error("redirect_loop", url, message)
            elif "redirect" in message.lower():  # Scrapy's REDIRECT_MAX_TIMES reached
                self._error("too_many_redirects", url, message)
            else:
                self._skip("ignored", url)
            return
        if isinstance(exc, (TimeoutError, TCPTimedOutError, DownloadTimeoutError)) or "took longer than" in message:
            kind = "timeout"
        elif isinstance(exc, (DNSLookupError, CannotResolveHostError)):
            kind = "dns"
        elif isinstance(exc, (ConnectionRefusedError, DownloadConnectionRefusedError)):
            kind = "connection_refused"
        elif isinstance(exc, UnsupportedURLSchemeError):
            kind = "bad_url"
        elif "max size" in message.lower() or "maxsize" in message.lower():
            kind = "too_large"
        else:
            kind = type(exc).__name__
        if urlsplit(url).path == "/robots.txt":  # not a refusal: the site's rules could not be read
            self._error("robots_fetch_failed", url, f"robots.txt fetch failed ({type(exc).__name__}: {message})")
            return
        self._error(kind, url, f"{type(exc).__name__}: {message}")

    def closed(self, reason):
        stats_file = self.crawler.settings.get("PRESSROOM_STATS_FILE")
        if stats_file:
            import json

            from cleaning.io.atomic import atomic_write_text

            stats = {k: (v.isoformat() if isinstance(v, datetime) else v)
                     for k, v in self.crawler.stats.get_stats().items()}
            stats["finish_reason"] = reason
            stats["pressroom/problems"] = self.problems
            stats["pressroom/settings"] = self._effective_settings()
            started = self.crawler.stats.get_value("start_time")
            if isinstance(started, datetime):  # CoreStats sets elapsed_time_seconds only after this handler
                stats.setdefault("elapsed_time_seconds", (datetime.now(started.tzinfo) - started).total_seconds())
            atomic_write_text(Path(stats_file), json.dumps(stats, indent=2, sort_keys=True, default=str))

    def _effective_settings(self) -> dict:
        """The politeness settings this crawl ran with, and whether the components obeying them were on."""
        settings = self.crawler.settings
        effective = {name: getattr(settings, getter)(name) for name, getter in POLITENESS_SETTINGS.items()}
        engine = getattr(self.crawler, "engine", None)
        downloader_mws = getattr(getattr(getattr(engine, "downloader", None), "middleware", None), "middlewares", ())
        extensions = getattr(getattr(self.crawler, "extensions", None), "middlewares", ())
        effective["downloader_middlewares"] = [type(mw).__name__ for mw in downloader_mws]
        effective["extensions"] = [type(ext).__name__ for ext in extensions]
        return effective
