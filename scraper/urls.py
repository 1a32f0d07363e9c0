"""URL canonicalisation and URL-shape judgements, before anything reaches the dupefilter.

`canonical_url` is the URL we request and store, and what Scrapy's dupefilter compares
(`CanonicalFingerprinter`, also used by JOBDIR and scrapy-redis); `url_key` also ignores
a trailing slash and is what the spider and the raw store compare. The dupefilter must
keep the slash: a server redirecting /slug to /slug/ would otherwise see its redirect
filtered as a duplicate of itself and the page lost.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from courlan.clean import TRACKERS_RE
from w3lib.url import canonicalize_url

SESSION_PARAM_RE = re.compile(
    r"^(?:phpsessid|jsessionid|sid|sessionid|session_id|sess|aspsessionid\w*|cfid|cftoken|zenid|osCsid)$", re.I)
EXTRA_TRACKERS_RE = re.compile(r"^(?:fbclid|gclid|gclsrc|dclid|msclkid|mc_cid|mc_eid|_hs\w+|ref_src|at_\w+)$", re.I)
PATH_SESSION_RE = re.compile(r";(?:jsessionid|phpsessid|sid)=[^/?#]*", re.I)

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


def _drop_param(name: str) -> bool:
    return bool(TRACKERS_RE.search(name) or EXTRA_TRACKERS_RE.match(name) or SESSION_PARAM_RE.match(name))


def canonical_url(url: str) -> str:
    """The URL to request and store: no tracking or session parameters, sorted query, no fragment,
    lower-case scheme and host, no default port, percent-encoding normalised."""
    parts = urlsplit(url.strip())
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
    port = parts.port
    netloc = host if port is None or (scheme, port) in (("http", 80), ("https", 443)) else f"{host}:{port}"
    if parts.username:
        netloc = f"{parts.username}@{netloc}"
    path = PATH_SESSION_RE.sub("", parts.path) or "/"
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _drop_param(k)])
    return canonicalize_url(urlunsplit((scheme, netloc, path, query, "")))


def url_key(url: str) -> str:
    """What makes two URLs the same page: the canonical URL, trailing slash ignored."""
    parts = urlsplit(canonical_url(url))
    path = parts.path.rstrip("/") or "/"
    return urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))


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
