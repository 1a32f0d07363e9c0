"""Sitemaps and sitemap indexes (plain or gzipped, news and lastmod), parsed defensively.

lxml with entities unresolved, no DTD, no network and no huge trees; gzip expansion
capped (a sitemap bomb is refused, not decompressed); robots.txt `Sitemap:` lines
through Scrapy's own helper.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from io import BytesIO

from lxml import etree
from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import sitemap_urls_from_robots

from cleaning.extract.pagemeta import written_precision

__all__ = ["SitemapEntry", "ParsedSitemap", "SitemapTooLarge", "parse_sitemap", "sitemap_urls_from_robots",
           "maybe_gunzip", "parse_w3c_date"]

MAX_SITEMAP_BYTES = 50 * 1024 * 1024  # the sitemap protocol's own limit (uncompressed)
MAX_SITEMAP_URLS = 50_000


class SitemapTooLarge(ValueError):
    """The (decompressed) sitemap exceeds the configured size."""


@dataclass(frozen=True, slots=True)
class SitemapEntry:
    loc: str
    lastmod: datetime | None = None
    news_published: datetime | None = None
    news_title: str | None = None
    lastmod_precision: str | None = None  # day / minute / second, as the sitemap wrote it
    news_published_precision: str | None = None

    @property
    def date(self) -> datetime | None:
        return self.news_published or self.lastmod


@dataclass(frozen=True, slots=True)
class ParsedSitemap:
    kind: str  # "urlset" / "sitemapindex" / "" when not a sitemap
    entries: tuple[SitemapEntry, ...]
    skipped: int = 0  # entries whose <loc> held an entity reference


def parse_w3c_date(text: str | None) -> datetime | None:
    """W3C datetime (2024-05-03, 2024-05-03T10:00:00+02:00, ...Z) as an aware UTC datetime."""
    if not text:
        return None
    text = text.strip().replace("Z", "+00:00")
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        return None
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC)


def maybe_gunzip(body: bytes, max_size: int = MAX_SITEMAP_BYTES) -> bytes:
    """Decompress a gzipped sitemap, refusing to expand it past `max_size` bytes."""
    if body[:2] != b"\x1f\x8b":
        if max_size and len(body) > max_size:
            raise SitemapTooLarge(f"sitemap of {len(body)} bytes exceeds {max_size}")
        return body
    try:
        return gunzip(body, max_size=max_size)
    except Exception as exc:  # scrapy raises a private _DecompressionMaxSizeExceeded
        if "max" in type(exc).__name__.lower() or "size" in str(exc).lower():
            raise SitemapTooLarge(f"gzipped sitemap expands beyond {max_size} bytes") from exc
        raise


def _local(tag) -> str:
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def parse_sitemap(body: bytes, max_size: int = MAX_SITEMAP_BYTES, max_urls: int = MAX_SITEMAP_URLS) -> ParsedSitemap:
    xml = maybe_gunzip(body, max_size)
    parser_events = etree.iterparse(
        BytesIO(xml), events=("start", "end"), resolve_entities=False, no_network=True, load_dtd=False,
        huge_tree=False, recover=True, remove_comments=True, remove_pis=True)
    kind, entries, skipped = "", [], 0
    try:
        for event, elem in parser_events:
            name = _local(elem.tag)
            if event == "start":
                if not kind:
                    kind = name if name in ("urlset", "sitemapindex") else "other"
                    if kind == "other":
                        break
                continue
            if name not in ("url", "sitemap"):
                continue
            fields: dict[str, str] = {}
            tainted = False
            for child in elem.iter():
                child_name = _local(child.tag)
                if child_name == "loc" and len(child):
                    tainted = True  # an unresolved entity (or markup) inside <loc>: not a URL to trust
                if child_name in ("loc", "lastmod", "publication_date", "title") and child.text:
                    fields.setdefault(child_name, child.text.strip())
            elem.clear()
            if tainted:
                skipped += 1
            elif fields.get("loc"):
                lastmod, published = parse_w3c_date(fields.get("lastmod")), parse_w3c_date(fields.get("publication_date"))
                entries.append(SitemapEntry(
                    loc=fields["loc"], lastmod=lastmod, news_published=published, news_title=fields.get("title"),
                    lastmod_precision=written_precision(fields.get("lastmod")) if lastmod else None,
                    news_published_precision=written_precision(fields.get("publication_date")) if published else None))
                if len(entries) >= max_urls:
                    break
    except etree.XMLSyntaxError:
        pass  # recover=True keeps what was read before the damage
    return ParsedSitemap(kind="" if kind == "other" else kind, entries=tuple(entries), skipped=skipped)
