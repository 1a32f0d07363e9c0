"""scraper/feeds.py: RSS, Atom and RDF feeds, read safely."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from scraper.feeds import parse_feed
from tests.scraper.xml import XXE_PROLOG


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
