"""URL forms for document ids and site names: tracking-free canonical URLs, registered domains."""

from __future__ import annotations

import functools
import re
from urllib.parse import urlsplit, urlunsplit

_TRACKING_PARAM = re.compile(r"^(utm_\w+|fbclid|gclid|dclid|msclkid|yclid|mc_cid|mc_eid|_ga|_gl|igshid)$", re.I)


def normalize_url(url: str) -> str:
    """Canonical form for ids: courlan's normalisation, tracking parameters and fragment dropped."""
    from courlan import normalize_url as courlan_normalize

    try:
        normalized = courlan_normalize(url.strip())
    except (ValueError, AttributeError):
        normalized = url.strip()
    parts = urlsplit(normalized)
    query = "&".join(p for p in parts.query.split("&") if p and not _TRACKING_PARAM.match(p.split("=", 1)[0]))
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))


@functools.cache
def _tld_extractor():
    """One extractor per process: loading the bundled suffix list is the costly part."""
    import tldextract

    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def trusted_canonical(canonical: str | None, url: str | None) -> str | None:
    """rel=canonical, unless it is a misconfigured pointer from an article to the home page."""
    if not canonical or not url:
        return canonical
    if urlsplit(canonical).path in ("", "/") and urlsplit(url).path not in ("", "/"):
        return None
    return canonical


def registered_domain(url: str | None) -> str | None:
    """Registered domain (e.g. amnesty.fr) from the bundled public-suffix snapshot; never fetches."""
    if not url:
        return None
    parts = _tld_extractor()(url)
    return parts.top_domain_under_public_suffix or parts.domain or None
