"""Pure parts of the crawler: URLs, encodings, feeds, sitemaps, page signals, the item/table contract."""

from __future__ import annotations

import dataclasses
import gzip
from datetime import UTC, date, datetime

import pytest

from cleaning.core.schema import RAW_SCHEMA
from scraper.discovery import in_date_range, is_binary, is_listing_page, is_release_page, read_signals
from cleaning.core.charset import decode_body
from scraper.feeds import parse_feed
from scraper.items import RawPage
from scraper.sitemaps import SitemapTooLarge, parse_sitemap
from cleaning.core.urls import canonical_url, url_key
from scraper.urls import is_trap_url, looks_like_release_url


def test_raw_page_mirrors_raw_schema():
    assert [f.name for f in dataclasses.fields(RawPage)] == RAW_SCHEMA.names
    import pyarrow as pa

    row = RawPage(url="http://h/a/", body=b"x", fetched_at=datetime.now(UTC), headers={"etag": '"1"'}).to_record()
    assert pa.Table.from_pylist([row], schema=RAW_SCHEMA).num_rows == 1


@pytest.mark.parametrize("variant", [
    "http://H.example:80/2024/01/a-b-c-d/?utm_source=x&utm_medium=y",
    "http://h.example/2024/01/a-b-c-d/?fbclid=123",
    "http://h.example/2024/01/a-b-c-d?gclid=9#comments",
    "http://h.example/2024/01/a-b-c-d/;jsessionid=ABC?PHPSESSID=1",
])
def test_tracking_session_case_slash_variants_share_one_key(variant):
    assert url_key(variant) == url_key("http://h.example/2024/01/a-b-c-d/")
    assert "utm_" not in canonical_url(variant) and "fbclid" not in canonical_url(variant)


def test_query_order_is_normalised_but_meaningful_params_kept():
    assert canonical_url("http://h/x?b=2&a=1&utm_term=z") == "http://h/x?a=1&b=2"


def test_trap_urls():
    assert is_trap_url("http://h/events/2031-05/")
    assert is_trap_url("http://h/calendar/?month=2026-11")
    assert is_trap_url("http://h/archive/1066/01/x/")
    assert is_trap_url("http://h/" + "a/b/" * 10)
    assert not is_trap_url("http://h/2024/05/some-release/", today=date(2026, 1, 1))


def test_release_url_shapes():
    assert looks_like_release_url("http://h/2024/05/03/some-release/")
    assert looks_like_release_url("http://h/communiques/greve-generale-annoncee/")
    assert not looks_like_release_url("http://h/page/2/")
    assert not looks_like_release_url("http://h/category/monde/")
    assert not looks_like_release_url("http://h/report.pdf")


@pytest.mark.parametrize("text,body_encoding,label,expected", [
    ("Déjà vu « été »", "cp1252", "text/html; charset=utf-8", "cp1252"),
    ("Déjà vu « été »", "utf-8", "text/html; charset=windows-1252", "utf-8"),
    ("Déjà vu", "latin-1", "text/html; charset=iso-8859-1", "cp1252"),
    ("plain ascii", "ascii", None, "utf-8"),
])
def test_mislabelled_encodings_decode_correctly(text, body_encoding, label, expected):
    decoded, encoding = decode_body(text.encode(body_encoding), label)
    assert (decoded, encoding) == (text, expected)


def test_bom_wins():
    decoded, encoding = decode_body(b"\xef\xbb\xbf" + "é".encode(), "text/html; charset=windows-1252")
    assert (decoded, encoding) == ("é", "utf-8")


XXE_PROLOG = '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


def test_feed_keeps_item_metadata_and_content_encoded():
    feed = parse_feed((
        '<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>S</title><item><title>T</title>'
        '<link>http://h/2024/01/t/</link><pubDate>Tue, 02 Jan 2024 10:00:00 +0000</pubDate><dc:creator>Jo</dc:creator>'
        '<description>sum</description><content:encoded><![CDATA[<p>Body</p><p>The post T appeared first on S.</p>]]>'
        '</content:encoded></item></channel></rss>').encode(), "http://h/feed/", "application/rss+xml")
    (entry,) = feed.entries
    assert feed.error is None
    assert (entry.title, entry.link, entry.summary, entry.authors) == ("T", "http://h/2024/01/t/", "sum", ("Jo",))
    assert entry.published == datetime(2024, 1, 2, 10, tzinfo=UTC)
    assert entry.content.endswith("appeared first on S.</p>")


@pytest.mark.parametrize("kind", ["rss", "atom", "rdf"])
def test_feed_formats(kind):
    bodies = {
        "rss": '<rss version="2.0"><channel><item><title>A</title><link>http://h/a/</link></item></channel></rss>',
        "atom": '<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>A</title><link href="http://h/a/"/>'
                '<updated>2024-01-02T10:00:00Z</updated></entry></feed>',
        "rdf": '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">'
               '<item rdf:about="http://h/a/"><title>A</title><link>http://h/a/</link></item></rdf:RDF>',
    }
    feed = parse_feed(('<?xml version="1.0"?>' + bodies[kind]).encode(), "http://h/feed/")
    assert [e.link for e in feed.entries] == ["http://h/a/"]


def test_feed_external_entity_is_not_resolved():
    feed = parse_feed((XXE_PROLOG + '<rss version="2.0"><channel><item><title>A&xxe;B</title>'
                       '<link>http://h/a/</link><description>&xxe;</description></item></channel></rss>').encode(),
                      "http://h/feed/")
    assert feed.entries and all("root:" not in (e.title or "") + (e.summary or "") for e in feed.entries)


def test_malformed_feed_reports_an_error_and_keeps_what_it_read():
    feed = parse_feed(b'<?xml version="1.0"?><rss version="2.0"><channel><item><title>A</title>'
                      b'<link>http://h/a/</link></item><item><title>unclosed', "http://h/feed/")
    assert feed.error and [e.link for e in feed.entries] == ["http://h/a/"]


def test_sitemap_news_lastmod_gzip_and_no_entities():
    xml = (XXE_PROLOG + '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
           'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"><url><loc>http://h/x/&xxe;</loc></url>'
           '<url><loc>http://h/a/</loc>'
           '<lastmod>2024-01-02</lastmod><news:news><news:publication_date>2024-01-01T10:00:00+02:00'
           '</news:publication_date><news:title>T</news:title></news:news></url></urlset>').encode()
    for body in (xml, gzip.compress(xml)):
        sitemap = parse_sitemap(body)
        (entry,) = sitemap.entries  # the <loc> holding an entity is dropped, not requested half-read
        assert sitemap.kind == "urlset" and entry.loc == "http://h/a/" and sitemap.skipped == 1
        assert entry.news_published == datetime(2024, 1, 1, 8, tzinfo=UTC) and entry.news_title == "T"
        assert entry.lastmod == datetime(2024, 1, 2, tzinfo=UTC)


def test_gzip_bomb_sitemap_is_refused():
    bomb = gzip.compress(b"<urlset>" + b" " * 5_000_000 + b"</urlset>")
    assert len(bomb) < 10_000
    with pytest.raises(SitemapTooLarge):
        parse_sitemap(bomb, max_size=1_000_000)


def test_page_signals():
    html = ("<html><head><link rel=alternate type=application/rss+xml href=/feed/>"
            "<script type=application/ld+json>{\"@graph\":[{\"@type\":\"PressRelease\","
            "\"datePublished\":\"2024-03-01T10:00:00+01:00\"}]}</script></head><body>"
            "<a href='/2024/03/a-b-c-d/#x'>x</a><a href='mailto:a@b'>m</a><a href='/news/page/2/'>Suivant »</a></body></html>")
    signals = read_signals(html, "http://h/x/")
    assert signals.feed_urls == ("http://h/feed/",)
    assert signals.links == ("http://h/2024/03/a-b-c-d/", "http://h/news/page/2/")
    assert signals.next_url == "http://h/news/page/2/"
    assert signals.published == datetime(2024, 3, 1, 9, tzinfo=UTC)
    assert is_release_page(signals, "http://h/x/")
    listing = read_signals("<html><head><meta property='og:type' content='website'><link rel=next href=/p/2/>"
                           "</head></html>", "http://h/news/")
    assert not is_release_page(listing, "http://h/news/") and is_listing_page(listing, "http://h/news/")


def test_binary_sniffing_and_date_range():
    assert is_binary(b"%PDF-1.7 ...") and is_binary(b"\x89PNG\r\n") and not is_binary(b"<!doctype html>")
    since, until = datetime(2024, 1, 1, tzinfo=UTC), datetime(2024, 2, 1, tzinfo=UTC)
    assert in_date_range(None, since, until) and in_date_range(datetime(2024, 1, 5, tzinfo=UTC), since, until)
    assert not in_date_range(datetime(2023, 12, 31, tzinfo=UTC), since, until)


def test_profile_patterns_decide_before_page_signals(tmp_path):
    from cleaning.profiles import load_profile

    path = tmp_path / "p.toml"
    path.write_text("name = 't'\n[releases]\nallow = ['/notes/']\ndeny = ['/2024/']\n")
    profile = load_profile(path)
    release = read_signals("<meta property='og:type' content='article'>", "http://h/2024/01/a-b-c-d/")
    assert not is_release_page(release, "http://h/2024/01/a-b-c-d/", profile)
    assert is_release_page(read_signals("<p>x</p>", "http://h/notes/x/"), "http://h/notes/x/", profile)


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


def test_spider_takes_start_urls_and_scope_from_a_profile(tmp_path):
    from scraper.spiders.press import PressSpider

    path = tmp_path / "site.toml"
    path.write_text("name = 'ngo'\nstart_urls = ['https://www.ngo.example/presse/?utm_source=x']\n"
                    "allowed_domains = ['ngo.example']\n")
    spider = PressSpider(start_urls="https://www.ngo.example/feed/", profile=str(path), since="2024-01-01")
    assert spider.start_urls == ["https://www.ngo.example/feed/", "https://www.ngo.example/presse/"]
    assert spider.allowed_domains == ["ngo.example"]
    assert spider.since == datetime(2024, 1, 1, tzinfo=UTC)
    assert PressSpider(start_urls="http://a.example/x/").allowed_domains == ["a.example"]
    with pytest.raises(ValueError):
        PressSpider(start_urls="")


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


def test_meta_charset_decides_when_the_header_has_none():
    from cleaning.core.charset import decode_body

    text = "Zażółć gęślą jaźń"
    body = f'<html><head><meta charset="iso-8859-2"><title>{text}</title></head></html>'.encode("iso-8859-2")
    decoded, encoding = decode_body(body, "text/html")
    assert text in decoded and encoding == "iso8859-2"
    koi = f'<meta http-equiv="Content-Type" content="text/html; charset=koi8-r"><p>Привет, мир</p>'.encode("koi8-r")
    assert "Привет, мир" in decode_body(koi, None)[0]


def test_main_content_hash_ignores_chrome_and_sees_the_release():
    from scraper.discovery import main_content_hash, parse_html

    def page(sidebar: str, body: str, title: str = "Title") -> str:
        return (f"<html><body><header>Site <nav><a href='/'>Home</a></nav></header><main><article><header><h1>{title}"
                f"</h1></header><p>{body}</p></article></main><aside><ul><li>{sidebar}</li></ul></aside>"
                "<footer>© site</footer><script>var t = 1;</script></body></html>")

    def digest(html: str) -> str:
        return main_content_hash(parse_html(html, "https://ex.org/a/"))

    base = digest(page("Latest: post one", "The release text."))
    assert digest(page("Latest: post two", "The release text.")) == base  # only the sidebar changed
    assert digest(page("Latest: post one", "The release text.").replace("Home", "Accueil")) == base
    assert digest(page("Latest: post one", "The release text, updated.")) != base
    assert digest(page("Latest: post one", "The release text.", title="New title")) != base  # the article's header
    no_main = "<html><body><nav>Menu</nav><p>Text of a page without main.</p><aside>{}</aside></body></html>"
    assert digest(no_main.format("a")) == digest(no_main.format("b")) != digest(no_main.format("a").replace("Text", "T"))


def test_a_page_without_main_text_has_no_main_content_hash():
    from scraper.discovery import main_content_hash, parse_html

    shell = "<html><body><nav>Menu</nav><main><div id='app'></div></main><script>render()</script></body></html>"
    assert main_content_hash(parse_html(shell, "https://ex.org/a/")) is None  # only its bytes tell
