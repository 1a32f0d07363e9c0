"""Feed and sitemap dates keep the precision of the string they were read from (issue 15), from the
parser through the raw store to `published_precision`; raw stores without the column still read."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from cleaning.core.schema import RAW_SCHEMA
from scraper.feeds import parse_feed
from scraper.sitemaps import parse_sitemap
from tests.scraper.conftest import read_raw, run_scrapy, tiny_site

MIDNIGHT = datetime(2025, 3, 4, tzinfo=UTC)


def rss(*items: tuple[str, str]) -> bytes:
    body = "".join(f"<item><title>{link}</title><link>{link}</link><pubDate>{when}</pubDate></item>"
                   for link, when in items)
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{body}</channel></rss>'.encode()


def atom(*items: tuple[str, str]) -> bytes:
    body = "".join(f'<entry><title>{link}</title><link href="{link}"/><id>{link}</id><published>{when}</published>'
                   f"<updated>{when}</updated></entry>" for link, when in items)
    return (f'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>{body}</feed>').encode()


def urlset(*entries: tuple[str, str | None, str | None]) -> bytes:
    urls = "".join(
        f"<url><loc>{loc}</loc>" + (f"<lastmod>{lastmod}</lastmod>" if lastmod else "")
        + (f"<news:news><news:publication_date>{news}</news:publication_date><news:title>{loc}</news:title>"
           "</news:news>" if news else "") + "</url>" for loc, lastmod, news in entries)
    return ('<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{urls}</urlset>').encode()


@pytest.mark.parametrize("make, written, precision", [
    (rss, "Tue, 04 Mar 2025 00:00:00 +0000", "second"),
    (rss, "Tue, 04 Mar 2025 00:00 GMT", "minute"),
    (atom, "2025-03-04T00:00:00Z", "second"),
    (atom, "2025-03-04T00:00Z", "minute"),
    (atom, "2025-03-04", "day"),
])
def test_a_feed_items_precision_is_what_the_feed_wrote(make, written, precision):
    entry, = parse_feed(make(("https://example.org/press/a/", written)), "https://example.org/feed/").entries
    assert entry.published == MIDNIGHT  # the same instant every time: only the string tells them apart
    assert entry.published_precision == precision
    if make is atom:
        assert (entry.updated, entry.updated_precision) == (MIDNIGHT, precision)


def test_a_sitemaps_lastmod_and_news_date_keep_their_precision():
    sitemap = parse_sitemap(urlset(("https://example.org/a/", "2025-03-04", "2025-03-04"),
                                   ("https://example.org/b/", "2025-03-04T00:00:00Z", "2025-03-04T00:00Z"),
                                   ("https://example.org/c/", None, None),
                                   ("https://example.org/d/", "not a date", None)))
    got = [(e.lastmod, e.lastmod_precision, e.news_published, e.news_published_precision) for e in sitemap.entries]
    assert got == [(MIDNIGHT, "day", MIDNIGHT, "day"), (MIDNIGHT, "second", MIDNIGHT, "minute"),
                   (None, None, None, None), (None, None, None, None)]


def _clean(raw_dir: Path) -> dict[str, dict]:
    from cleaning.core.stats import Stats
    from cleaning.io.readers import read_inputs
    from cleaning.pipeline import clean_sources

    stats = Stats()
    records = list(clean_sources(list(read_inputs([raw_dir], stats)), stats=stats))
    return {r["url"].rstrip("/").rsplit("/", 1)[-1]: r for r in records}


RELEASE = ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{t}</title>"
           "<meta property=\"og:type\" content=\"article\"></head><body><main><article><h1>{t}</h1>"
           "<p>Governments negotiating the treaty must reject the last-minute proposals that would exempt the "
           "largest polluters from binding limits, the organisation said, as the fifth round of talks opened.</p>"
           "<p>The proposals would leave most plastic production outside the treaty, and the organisation "
           "urged every delegation to hold firm on the limits agreed at the previous round of the talks.</p>"
           "</article></main></body></html>")


def test_a_crawl_carries_the_feeds_and_the_sitemaps_precision_to_the_records(tmp_path):
    """Undated pages: their date is the feed's or the sitemap's, and so is its precision, end to end."""
    out = tmp_path / "out"
    pages = {f"/press/{slug}/": RELEASE.format(t=f"Release {slug}").encode() for slug in ("a", "b", "c")}

    def route(path):
        if path == "/feed/":
            return 200, "application/rss+xml", rss((base + "/press/a/", "Tue, 04 Mar 2025 00:00:00 +0000"))
        if path == "/sitemap.xml":
            return 200, "application/xml", urlset((base + "/press/b/", "2025-03-06", "2025-03-05"),
                                                  (base + "/press/c/", "2025-03-06T00:00:00Z", "2025-03-05T00:00Z"))
        if path in pages:
            return 200, "text/html; charset=utf-8", pages[path]
        return None

    with tiny_site(route) as (_, base):
        run_scrapy([base + "/feed/", base + "/sitemap.xml"], out)
    rows = {r["url"].rstrip("/").rsplit("/", 1)[-1]: r for r in read_raw(out)}
    assert sorted(rows) == ["a", "b", "c"]
    assert [(rows[s]["feed_published_precision"], rows[s]["feed_updated_precision"]) for s in "abc"] == \
        [("second", None), ("day", "day"), ("minute", "second")]

    records = _clean(out / "raw")
    assert sorted(records) == ["a", "b", "c"]
    got = {s: (records[s]["published_at"], records[s]["date_source"], records[s]["published_precision"])
           for s in "abc"}
    assert got == {"a": (MIDNIGHT, "feed", "second"),  # 00:00:00 written: not a day
                   "b": (datetime(2025, 3, 5, tzinfo=UTC), "feed", "day"),
                   "c": (datetime(2025, 3, 5, tzinfo=UTC), "feed", "minute")}

    # a raw store written before the precision columns still reads: midnight is taken for a day, as before
    old_dir = tmp_path / "old-raw"
    old_dir.mkdir()
    old_schema = pa.schema([f for f in RAW_SCHEMA if not f.name.endswith("_precision")])
    for path in sorted((out / "raw").glob("*.parquet")):
        pq.write_table(pq.read_table(path).select(old_schema.names).cast(old_schema), old_dir / path.name)
    assert not any(n.endswith("_precision") for n in pq.read_schema(next(old_dir.glob("*.parquet"))).names)
    old = _clean(old_dir)
    assert {s: old[s]["published_precision"] for s in "abc"} == {"a": "day", "b": "day", "c": "day"}


def test_a_merged_hint_keeps_each_dates_own_precision():
    """A feed and a sitemap naming one page: each date comes with the precision of the string it came from."""
    from cleaning.core.schema import FeedEntry
    from scraper.spiders.press import PressSpider

    spider = PressSpider(start_urls="https://example.org/")
    url = "https://example.org/press/a/"
    sitemap = FeedEntry(link=url, published=MIDNIGHT, updated=MIDNIGHT, published_precision="day",
                        updated_precision="second")
    feed = FeedEntry(link=url, title="A", published=datetime(2025, 3, 4, 0, 0, tzinfo=UTC),
                     published_precision="minute")
    for first, second, wins in ((sitemap, feed, True), (feed, sitemap, False)):
        spider.hints.clear()
        spider._add_hint(url, first, wins=not wins)
        spider._add_hint(url, second, wins=wins)
        merged = next(iter(spider.hints.values()))
        # the feed's published (a feed knows more), the sitemap's lastmod (the feed gave none)
        assert (merged.published_precision, merged.updated, merged.updated_precision) == \
            ("minute", MIDNIGHT, "second")
    # a date whose string was not kept takes no other date's precision: unknown stays unknown
    spider.hints.clear()
    spider._add_hint(url, sitemap, wins=False)
    spider._add_hint(url, FeedEntry(link=url, published=MIDNIGHT), wins=True)
    assert next(iter(spider.hints.values())).published_precision is None
