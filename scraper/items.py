"""The one item the crawler yields: a fetched page, shaped exactly like a row of the raw table."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import datetime

from cleaning.core.schema import RAW_SCHEMA, FeedEntry


@dataclass(slots=True)
class RawPage:
    """One row of `cleaning.schema.RAW_SCHEMA` (same names, same order; a test keeps them in step)."""

    url: str
    final_url: str | None = None
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | None = None
    encoding: str | None = None
    content_type: str | None = None
    fetched_at: datetime | None = None
    discovered_via: str | None = None
    is_release: bool | None = None
    content_hash: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    feed_title: str | None = None
    feed_published: datetime | None = None
    feed_updated: datetime | None = None
    feed_summary: str | None = None
    feed_content: str | None = None
    feed_authors: list[str] = field(default_factory=list)

    def with_feed(self, entry: FeedEntry | None) -> "RawPage":
        if entry is None:
            return self
        return dataclasses.replace(
            self, feed_title=entry.title, feed_published=entry.published, feed_updated=entry.updated,
            feed_summary=entry.summary, feed_content=entry.content, feed_authors=list(entry.authors))

    def to_record(self) -> dict:
        return {name: getattr(self, name) for name in RAW_SCHEMA.names}
