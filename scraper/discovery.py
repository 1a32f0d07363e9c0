"""What a fetched HTML page tells the crawler: is it a release, a listing, where do its links go.

Cheap signals only (JSON-LD @type, og:type, rel=next, feed links, URL shape, profile
patterns); extraction of the text is cleaning's job, not the crawler's.
"""

from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urljoin

from parsel import Selector

from cleaning.core.charset import binary_kind
from cleaning.core.pagekind import LISTING_TYPES, RELEASE_TYPES, declared_release
from scraper.sitemaps import parse_w3c_date
from scraper.urls import is_listing_url, looks_like_release_url

FEED_LINK_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml")
NEXT_TEXT_RE = re.compile(r"^\s*(?:next|suivant|suivante|next page|page suivante|older|older posts|"
                          r"articles plus anciens|plus anciens|weiter|»|›|→)\s*(?:»|›|→)?\s*$", re.I)
# The discovery channel a page is credited to (raw `discovered_via`, records' `source`) when several led to it
# in one crawl: the first of these among all that named it, so the value is a rule of the site, not of which
# response arrived first. A feed and a sitemap say the most about a page; a start URL is only what was asked.
CHANNEL_PRECEDENCE = ("feed", "sitemap", "listing", "link", "start")


@dataclass(frozen=True, slots=True)
class PageSignals:
    types: frozenset[str]  # JSON-LD @type values, lower-case
    og_type: str | None
    published: datetime | None
    next_url: str | None
    feed_urls: tuple[str, ...]
    links: tuple[str, ...]  # absolute http(s) links, in page order, without fragments
    canonical: str | None


def is_binary(body: bytes) -> bool:
    """PDF, images, archives... whatever the Content-Type claims (the readers' test: cleaning.core.charset)."""
    return binary_kind(body[:1024]) is not None


def _jsonld_objects(sel: Selector):
    for script in sel.xpath('//script[@type="application/ld+json"]/text()').getall():
        try:
            data = json.loads(script)
        except ValueError:
            continue
        stack = [data]
        while stack:
            obj = stack.pop()
            if isinstance(obj, list):
                stack.extend(obj)
            elif isinstance(obj, dict):
                yield obj
                if "@graph" in obj:
                    stack.append(obj["@graph"])


def _types(obj: dict) -> list[str]:
    value = obj.get("@type", [])
    return [v.lower() for v in ([value] if isinstance(value, str) else value) if isinstance(v, str)]


def parse_html(text: str, base_url: str) -> Selector:
    return Selector(text=text, base_url=base_url)


def _base(sel: Selector, base_url: str) -> str:
    base = sel.xpath("//base/@href").get()
    return urljoin(base_url, base.strip()) if base else base_url


def _absolute(base_url: str, href: str | None) -> str | None:
    if not href:
        return None
    url = urljoin(base_url, href.strip()).split("#", 1)[0]
    return url if url.startswith(("http://", "https://")) else None


def read_signals(page: Selector | str, base_url: str, with_links: bool = True) -> PageSignals:
    """Signals of one page; `with_links=False` reads only the head (enough to judge a release)."""
    sel = parse_html(page, base_url) if isinstance(page, str) else page
    base_url = _base(sel, base_url)
    types: set[str] = set()
    published = None
    for obj in _jsonld_objects(sel):
        obj_types = _types(obj)
        types.update(obj_types)
        if published is None and RELEASE_TYPES.intersection(obj_types):
            published = parse_w3c_date(str(obj.get("datePublished") or "")) if obj.get("datePublished") else None
    og_type = sel.xpath('//meta[@property="og:type"]/@content').get()
    if published is None:
        published = parse_w3c_date(
            sel.xpath('//meta[@property="article:published_time"]/@content').get()
            or sel.xpath("//time[@datetime][1]/@datetime").get())
    feed_urls = tuple(u for u in (_absolute(base_url, link.attrib.get("href")) for link in
                                  sel.xpath('//link[contains(@rel, "alternate")][@type]')
                                  if link.attrib.get("type", "").lower() in FEED_LINK_TYPES) if u)
    signals = PageSignals(types=frozenset(types), og_type=(og_type or "").strip().lower() or None,
                          published=published, next_url=None, feed_urls=feed_urls, links=(),
                          canonical=_absolute(base_url, sel.xpath('//link[@rel="canonical"]/@href').get()))
    return add_links(signals, sel, base_url) if with_links else signals


def add_links(signals: PageSignals, sel: Selector, base_url: str) -> PageSignals:
    """The page's links and its "next page" link (rel=next, else a short "next"/"suivant" anchor)."""
    base_url = _base(sel, base_url)
    next_url = _absolute(base_url, sel.xpath(
        '//link[@rel="next"]/@href | //a[contains(concat(" ", @rel, " "), " next ")]/@href').get())
    if next_url is None:
        for anchor in sel.xpath("//a[@href][string-length(normalize-space(.)) < 30]"):
            label = " ".join(anchor.xpath(".//text()").getall()) or anchor.attrib.get("aria-label", "")
            if NEXT_TEXT_RE.match(label) or "next" in anchor.attrib.get("class", "").split():
                next_url = _absolute(base_url, anchor.attrib["href"])
                break
    links = tuple(dict.fromkeys(u for u in (_absolute(base_url, h) for h in sel.xpath("//a/@href").getall()) if u))
    return dataclasses.replace(signals, next_url=next_url, links=links)


def is_release_page(signals: PageSignals, url: str, profile=None) -> bool:
    """Profile patterns first, then structured data, then URL shape."""
    if profile is not None:
        verdict = profile.is_release_url(url)
        if verdict is not None:
            return verdict
    verdict, _ = declared_release(signals.types, signals.og_type)  # the decision cleaning applies too
    return verdict if verdict is not None else looks_like_release_url(url)


def is_listing_page(signals: PageSignals, url: str, profile=None) -> bool:
    if profile is not None:
        verdict = profile.is_listing_url(url)
        if verdict is not None:
            return verdict
    return bool(signals.next_url or signals.types & LISTING_TYPES or is_listing_url(url))


def link_kind(url: str, profile=None) -> str:
    """'release' / 'listing' / 'other', judged from the URL before fetching it."""
    if profile is not None:
        if profile.is_release_url(url):
            return "release"
        if profile.is_listing_url(url):
            return "listing"
    if is_listing_url(url):
        return "listing"
    if looks_like_release_url(url):
        return "release"
    return "other"


def credited_channel(channels) -> str | None:
    """The channel of `CHANNEL_PRECEDENCE` that comes first among `channels` (others after it, by name)."""
    rank = {name: i for i, name in enumerate(CHANNEL_PRECEDENCE)}
    return min(channels, key=lambda c: (rank.get(c, len(rank)), c), default=None)


def in_date_range(when: datetime | None, since: datetime | None, until: datetime | None) -> bool:
    """Unknown dates are kept: only a known date outside the range excludes."""
    if when is None:
        return True
    when = when if when.tzinfo else when.replace(tzinfo=UTC)
    return (since is None or when >= since) and (until is None or when < until)


# Page chrome that changes when the site changes, not when the release does ("latest posts" widgets, menus);
# header and footer only outside the article (an article's own header holds its title and date).
_CHROME_XPATH = ("descendant-or-self::*[self::nav or self::aside or self::form or self::script or self::style or "
                 "self::noscript or self::template or self::iframe or @role='navigation' or @role='banner' or "
                 "@role='contentinfo' or @role='complementary' or @role='search' or "
                 "((self::header or self::footer) and not(ancestor::article or ancestor::main))]")


def main_content_hash(page: Selector) -> str | None:
    """A hash of the page's main content: the text of its <main> (else its first <article>, else <body>),
    without navigation, sidebars (<aside>), forms, scripts and the site's header / footer, normalised as
    duplicate detection sees text. Two fetches of a release with the same hash hold the same release,
    whatever a sidebar list, a menu or the markup around it says. None when the page shows no such text
    (a script-rendered page): then only its bytes can tell a change."""
    import copy

    from cleaning.core.text import content_hash, normalise_for_hash

    root = page.root
    region = None
    if hasattr(root, "xpath"):
        for path in ("//main", "//article", "//body"):
            if found := root.xpath(path):
                region = found[0]
                break
    if region is None:
        return None
    region = copy.deepcopy(region)
    for element in region.xpath(_CHROME_XPATH):
        parent = element.getparent()
        if parent is None:  # the region itself is chrome (an <article> inside <aside>?): keep it
            continue
        if element.tail:  # the text after a removed element belongs to its parent
            previous = element.getprevious()
            if previous is not None:
                previous.tail = (previous.tail or "") + element.tail
            else:
                parent.text = (parent.text or "") + element.tail
        parent.remove(element)
    text = " ".join(region.itertext())
    return content_hash(text) if normalise_for_hash(text) else None
