"""URL identity, used by the crawler's dupefilter, the raw store, doc ids and dedup; registered domains.

`canonical_url` is the one identity: the URL we request, store and hash into a doc id. It drops
only parameters known to carry no content (`NOISE_PARAM_RE`: trackers and session ids), keeps
every other query parameter verbatim in sorted order (sites route by query: `?p=123`,
`viewtopic.php?t=1&f=2`, `/forum/?threads/some-thread.123/`, `index.php?option=…&id=7`), drops
the fragment, lower-cases only scheme and host (IDN hosts to punycode) and removes default ports.
`url_key` folds what a site serves as the same page on top of it (scheme, `www.`, trailing
slash): the spider's seen-set, the raw store and dedup's same-URL edge compare it. The
dupefilter compares `canonical_url`, slash kept, so a /slug -> /slug/ redirect is not filtered.
"""

from __future__ import annotations

import functools
import hashlib
import re
from urllib.parse import urlsplit, urlunsplit

from w3lib.url import canonicalize_url, safe_url_string

# The one list of query parameters that never change what a page says.
NOISE_PARAM_RE = re.compile(
    r"^(?:utm_\w+|fbclid|gclid|gclsrc|dclid|msclkid|yclid|twclid|igshid|mc_cid|mc_eid|_ga|_gl|_hs\w+|ref_src|at_\w+"
    r"|phpsessid|jsessionid|sid|sessionid|session_id|sess|aspsessionid\w*|cfid|cftoken|zenid|oscsid)$", re.I)
PATH_SESSION_RE = re.compile(r";(?:jsessionid|phpsessid|sid)=[^/?#]*", re.I)
DEFAULT_PORTS = {"http": 80, "https": 443}


def is_noise_param(name: str) -> bool:
    return bool(NOISE_PARAM_RE.match(name))


def _query(query: str) -> str:
    """Every parameter but the noise ones, verbatim, sorted (a bare `threads/x.123/` stays bare)."""
    kept = [p for p in query.split("&") if p and not is_noise_param(p.split("=", 1)[0])]
    return "&".join(sorted(kept))


def canonical_url(url: str) -> str:
    """The URL identity (see the module docstring). Never raises: a URL it cannot parse comes back stripped."""
    url = url.strip()
    try:
        parts = urlsplit(safe_url_string(url))  # spaces and non-ASCII percent-encoded, as they are requested
        scheme, port = parts.scheme.lower(), parts.port
        base = canonicalize_url(urlunsplit((scheme, parts.netloc, PATH_SESSION_RE.sub("", parts.path) or "/", "", "")))
    except ValueError:  # 'Invalid IPv6 URL', a port out of range, ...
        return url
    head = urlsplit(base)
    host = (head.hostname or "").lower()
    netloc = host if port is None or DEFAULT_PORTS.get(scheme) == port else f"{host}:{port}"
    if parts.username:
        netloc = f"{parts.username}@{netloc}"
    return urlunsplit((scheme, netloc, head.path, _query(parts.query), ""))


def url_key(url: str | None) -> str | None:
    """The same page: `canonical_url` without scheme and `www.`, trailing slash ignored."""
    if not url:
        return None
    parts = urlsplit(canonical_url(url))
    host = parts.netloc.removeprefix("www.")
    if not host:
        return canonical_url(url)
    return host + (parts.path.rstrip("/") or "/") + (f"?{parts.query}" if parts.query else "")


def doc_id_for(value: str) -> str:
    """A doc id: 16 hex digits of the SHA-1 of a canonical URL (or of the content, for pages without one)."""
    return hashlib.sha1(value.encode("utf-8")).hexdigest()[:16]


@functools.cache
def _tld_extractor():
    """One extractor per process: loading the bundled suffix list is the costly part."""
    import tldextract

    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def trusted_canonical(canonical: str | None, url: str | None) -> str | None:
    """rel=canonical as this page's identity, or None when it cannot be trusted.

    Trusted only when it parses, is on the page's registered domain, and does not point an inner
    page at the home page. Canonicals shared by pages with different bodies are caught later,
    across documents (`cleaning.steps.ids`).
    """
    if not canonical or not url:
        return canonical
    try:
        target, page = urlsplit(canonical), urlsplit(url)
        target.port, page.port  # noqa: B018 - raises on a bad port
    except ValueError:
        return None
    if target.scheme not in ("http", "https") or not target.hostname:
        return None
    if registered_domain(canonical) != registered_domain(url):
        return None
    if target.path in ("", "/") and not target.query and (page.path not in ("", "/") or page.query):
        return None
    return canonical


def registered_domain(url: str | None) -> str | None:
    """Registered domain (e.g. amnesty.fr) from the bundled public-suffix snapshot; never fetches."""
    if not url:
        return None
    try:
        parts = _tld_extractor()(url)
    except ValueError:
        return None
    return parts.top_domain_under_public_suffix or parts.domain or None
