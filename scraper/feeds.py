"""RSS 2.0 / Atom / RDF feeds through feedparser, as FeedEntry records (a second witness for cleaning).

feedparser is given bytes only (given a str it would fetch URLs or open files); it
strips ENTITY declarations from the DOCTYPE and turns off external general entities,
so an XXE feed cannot make us read files or fetch URLs (tests/scraper/test_feeds.py).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, datetime

import feedparser

from cleaning.core.schema import FeedEntry
from cleaning.extract.pagemeta import written_precision

FEED_CONTENT_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+json")


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    entries: tuple[FeedEntry, ...]
    error: str | None = None  # set when the feed was malformed (entries may still be usable)
    version: str = ""


def _when(struct) -> datetime | None:
    if not struct:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(struct), tz=UTC)
    except (OverflowError, ValueError, TypeError):
        return None


def _dated(item, *names: str) -> tuple[datetime | None, str | None]:
    """The first of `names` feedparser could parse, with the precision of the string the feed wrote."""
    for name in names:
        when = _when(dict.get(item, f"{name}_parsed"))
        if when is not None:
            return when, written_precision(dict.get(item, name))
    return None, None


def _entry(item) -> FeedEntry | None:
    link = item.get("link")
    if not link:
        return None
    content = None
    for part in item.get("content") or ():
        if part.get("value"):
            content = part["value"]
            break
    authors = tuple(a.get("name") for a in item.get("authors") or () if a.get("name"))
    published, published_precision = _dated(item, "published", "created")
    updated, updated_precision = _dated(item, "updated")  # dict.get: not feedparser's fallback to published
    return FeedEntry(
        title=item.get("title") or None,
        link=link,
        published=published,
        updated=updated,
        published_precision=published_precision,
        updated_precision=updated_precision,
        summary=item.get("summary") or None,
        content=content,
        authors=authors or ((item["author"],) if item.get("author") else ()),
    )


def parse_feed(body: bytes, url: str, content_type: str | None = None) -> ParsedFeed:
    """Every entry with a link; a malformed feed gives what could be read plus an error message."""
    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    parsed = feedparser.parse(bytes(body), response_headers=headers, sanitize_html=False)
    entries = tuple(e for e in map(_entry, parsed.entries) if e is not None)
    error = None
    if parsed.get("bozo"):
        exc = parsed.get("bozo_exception")
        # a wrong charset or content-type label is harmless; anything else is a malformed feed
        if not isinstance(exc, (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)):
            error = f"{type(exc).__name__}: {exc}"
    if not entries and not parsed.get("version"):
        error = error or "not a feed"
    return ParsedFeed(entries=entries, error=error, version=parsed.get("version") or "")


def looks_like_feed(body: bytes) -> bool:
    head = body[:1024].lstrip().lower()
    return head.startswith(b"<?xml") and any(tag in body[:4096].lower() for tag in (b"<rss", b"<feed", b"<rdf:rdf"))
