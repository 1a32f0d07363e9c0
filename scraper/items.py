"""The one item the crawler yields: a fetched page, shaped exactly like a row of the raw table.

Scrapy's feed exports (`scrapy crawl press -O pages.jsonl`) read the fields' `serializer`
metadata: the body bytes become base64 text and datetimes ISO 8601 with their offset, so
every exporter (JSON, JSON lines, CSV, XML) can write them. `PRESSROOM_FEED_BODY = "omit"`
leaves the body out of the feed instead (scraper.feedexport); the raw Parquet always has it.
"""

from __future__ import annotations

import base64
import dataclasses
from dataclasses import dataclass, field
from datetime import datetime

from cleaning.core.schema import RAW_SCHEMA, FeedEntry


def body_to_base64(value: bytes | None) -> str | None:
    """The feed form of a body: standard base64 (RFC 4648, with padding), `base64.b64decode` reads it back."""
    return None if value is None else base64.b64encode(value).decode("ascii")


def datetime_to_iso(value: datetime | None) -> str | None:
    """The feed form of a datetime: ISO 8601 with its UTC offset (Scrapy's default drops the offset)."""
    return None if value is None else value.isoformat()


_BODY = {"serializer": body_to_base64}
_WHEN = {"serializer": datetime_to_iso}


@dataclass(slots=True)
class RawPage:
    """One row of `cleaning.schema.RAW_SCHEMA` (same names, same order; a test keeps them in step)."""

    url: str
    final_url: str | None = None
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | None = field(default=None, metadata=_BODY)
    encoding: str | None = None
    content_type: str | None = None
    fetched_at: datetime | None = field(default=None, metadata=_WHEN)
    discovered_via: str | None = None
    is_release: bool | None = None
    content_hash: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    feed_title: str | None = None
    feed_published: datetime | None = field(default=None, metadata=_WHEN)
    feed_updated: datetime | None = field(default=None, metadata=_WHEN)
    feed_summary: str | None = None
    feed_content: str | None = None
    feed_authors: list[str] = field(default_factory=list)
    feed_published_precision: str | None = None
    feed_updated_precision: str | None = None

    def with_feed(self, entry: FeedEntry | None) -> "RawPage":
        if entry is None:
            return self
        return dataclasses.replace(
            self, feed_title=entry.title, feed_published=entry.published, feed_updated=entry.updated,
            feed_summary=entry.summary, feed_content=entry.content, feed_authors=list(entry.authors),
            feed_published_precision=entry.published_precision, feed_updated_precision=entry.updated_precision)

    def to_record(self) -> dict:
        return {name: getattr(self, name) for name in RAW_SCHEMA.names}
