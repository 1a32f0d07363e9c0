"""scraper/sitemaps.py: sitemaps and news sitemaps, gzip, entities and bombs refused."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime

import pytest

from scraper.sitemaps import SitemapTooLarge, parse_sitemap
from tests.scraper.xml import XXE_PROLOG


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
