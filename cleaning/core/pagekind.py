"""Is a page a release at all? The one decision the crawler (which pages to store) and cleaning (which
pages become article rows) share, from what the page declares about itself: JSON-LD @type and og:type.

The crawler falls back on the URL's shape when the page declares nothing; cleaning keeps such a page
(its own step, cleaning.steps.classify, adds the signals only a whole site shows).
"""

from __future__ import annotations

from collections.abc import Iterable

RELEASE_TYPES = frozenset({"newsarticle", "pressrelease", "article", "reportagenewsarticle", "blogposting",
                           "analysisnewsarticle", "report"})
LISTING_TYPES = frozenset({"collectionpage", "itemlist", "searchresultspage", "blog"})
# a page whose main entity is one of these is a media file's page, not a text
MEDIA_TYPES = frozenset({"imageobject", "mediaobject", "videoobject", "audioobject"})
NON_ARTICLE_OG_TYPES = frozenset({"website", "blog"})


def declared_release(types: Iterable[str], og_type: str | None) -> tuple[bool | None, str]:
    """(verdict, reason): True a release, False not one, None when the page declares nothing.

    `types` are JSON-LD @type values (any case), `og_type` the og:type content.
    """
    types = {t.lower() for t in types}
    og_type = (og_type or "").strip().lower() or None
    if types & RELEASE_TYPES:
        return True, "jsonld_article"
    if types & LISTING_TYPES:
        return False, "listing"
    if og_type in NON_ARTICLE_OG_TYPES:
        return False, "og_type"
    if og_type == "article":
        return True, "og_article"
    return None, "undeclared"
