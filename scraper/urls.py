"""URL-shape judgements, and the request fingerprinter over the one URL identity.

`canonical_url` and `url_key` live in `cleaning.core.urls` (the crawler, the raw store, doc ids and
dedup share them); the fingerprinter below uses the first.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date
from urllib.parse import urlsplit

from cleaning.core.urls import canonical_url

ASSET_EXT_RE = re.compile(
    r"\.(?:pdf|jpe?g|png|gif|webp|svg|ico|bmp|tiff?|mp[34]|m4a|mov|avi|webm|ogg|wav|zip|gz|tgz|rar|7z|"
    r"docx?|xlsx?|pptx?|odt|ods|epub|css|js|woff2?|ttf|eot|exe|dmg|apk)$", re.I)
FEED_URL_RE = re.compile(r"(?:/feed/?(?:atom|rss2?|rdf)?/?$|/rss/?$|\.rss$|/atom/?$|\.atom$|/rss\.xml$|/atom\.xml$|"
                         r"/feed\.xml$|/index\.xml$|[?&]feed=(?:rss2?|atom|rdf))", re.I)
SITEMAP_URL_RE = re.compile(r"sitemap[^/]*\.xml(?:\.gz)?$|/sitemap/?$", re.I)
LISTING_URL_RE = re.compile(
    r"/(?:page|pages)/\d+/?$|[?&](?:paged?|p)=\d+|/(?:category|categories|tag|tags|section|sections|topics?|"
    r"themes?|rubriques?|archives?|author|auteur)/|/(?:press|presse|news|actualites|communiques?|"
    r"press-releases?|media|newsroom|salle-de-presse)/?$", re.I)
DATED_PATH_RE = re.compile(r"/(?:19|20)\d{2}/(?:0?[1-9]|1[0-2])/(?:(?:0?[1-9]|[12]\d|3[01])/)?[^/]+/?$")
RELEASE_PATH_RE = re.compile(
    r"/(?:press-releases?|communiques?(?:-de-presse)?|news|actualites?|media-releases?|statements?|"
    r"pressemitteilungen?|comunicados?)/[^/]+/?$", re.I)
SLUG_RE = re.compile(r"/[a-z0-9%]+(?:-[a-z0-9%]+){3,}/?(?:\.html?)?$", re.I)
CALENDAR_RE = re.compile(
    r"/(?:calendar|calendrier|agenda|events?|evenements?)/.*(?:\d{4}-\d{2}|\d{4}/\d{2})|"
    r"[?&](?:date|month|year|day|mois|annee|ical|tribe-bar-date|eventDate)=|/(?:ical|ics)/?$", re.I)
YEAR_SEGMENT_RE = re.compile(r"^([12]\d{3})(?:-\d{1,2})?$")


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def in_domains(url: str, domains: tuple[str, ...] | list[str]) -> bool:
    host = host_of(url)
    return not domains or any(host == d or host.endswith("." + d) for d in domains)


def is_asset_url(url: str) -> bool:
    return bool(ASSET_EXT_RE.search(urlsplit(url).path))


def is_feed_url(url: str) -> bool:
    parts = urlsplit(url)
    return bool(FEED_URL_RE.search(parts.path + ("?" + parts.query if parts.query else "")))


def is_sitemap_url(url: str) -> bool:
    return bool(SITEMAP_URL_RE.search(urlsplit(url).path))


def is_listing_url(url: str) -> bool:
    parts = urlsplit(url)
    return bool(LISTING_URL_RE.search(parts.path + ("?" + parts.query if parts.query else "")))


def looks_like_release_url(url: str) -> bool:
    """URL shape of a release: a dated WordPress permalink, a /press-release/<slug> path, or a long slug."""
    path = urlsplit(url).path
    if is_listing_url(url) or is_asset_url(url):
        return False
    return bool(DATED_PATH_RE.search(path) or RELEASE_PATH_RE.search(path) or SLUG_RE.search(path))


def is_trap_url(url: str, today: date | None = None, max_segments: int = 12, max_length: int = 500) -> bool:
    """Calendar pages, implausible years, endless paths: URLs a crawler should never walk into."""
    parts = urlsplit(url)
    target = parts.path + ("?" + parts.query if parts.query else "")
    if len(url) > max_length or parts.path.count("/") > max_segments or CALENDAR_RE.search(target):
        return True
    segments = [s for s in parts.path.split("/") if s]
    if len(segments) != len(set(segments)) and len(segments) - len(set(segments)) >= 3:
        return True  # /a/b/a/b/a/b/... relative-link loops
    this_year = (today or date.today()).year
    for segment in segments:
        if (match := YEAR_SEGMENT_RE.match(segment)) and not 1990 <= int(match.group(1)) <= this_year + 1:
            return True  # /2087/01/ or /1066/: a calendar walked past any plausible release date
    return False


class CanonicalFingerprinter:
    """Request fingerprints over `canonical_url`, so utm / fbclid / session / order variants are one request."""

    @classmethod
    def from_crawler(cls, crawler):
        return cls()

    def fingerprint(self, request) -> bytes:
        digest = hashlib.sha1(request.method.encode())
        digest.update(canonical_url(request.url).encode())
        digest.update(request.body or b"")
        return digest.digest()
