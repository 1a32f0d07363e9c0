"""What Scrapy's feed exports (`-O FILE`, `-o FILE`, FEEDS) write of the raw body: PRESSROOM_FEED_BODY.

- "base64" (the default): the body as base64 text (`base64.b64decode` gives the bytes back);
- "omit": every field of the raw table but the body (smaller feeds; the raw Parquet keeps it).

The conversion itself is the `serializer` metadata of scraper.items.RawPage; leaving the
body out takes a field list, set here by an add-on because only an add-on sees the
command line's `-s PRESSROOM_FEED_BODY=...` before the feed exporter starts. A field list
given by the user (FEED_EXPORT_FIELDS, or `fields` in FEEDS) wins.
"""

from __future__ import annotations

from cleaning.core.schema import RAW_SCHEMA

FEED_BODY_CHOICES = ("base64", "omit")


def feed_body_choice(value) -> str:
    choice = str(value if value is not None else "base64").strip().lower()
    if choice not in FEED_BODY_CHOICES:
        raise ValueError(f"PRESSROOM_FEED_BODY={value!r} is not one of {', '.join(FEED_BODY_CHOICES)}: "
                         "use base64 (the default) to keep the body as base64 text, omit to leave it out")
    return choice


class FeedBodyAddon:
    """Enabled in settings.ADDONS."""

    def update_settings(self, settings) -> None:
        if feed_body_choice(settings.get("PRESSROOM_FEED_BODY")) == "omit":
            settings.set("FEED_EXPORT_FIELDS", [name for name in RAW_SCHEMA.names if name != "body"],
                         priority="addon")
