"""What a page says about itself (PageMeta): <head> meta, JSON-LD, <time>; htmldate as a fallback."""

from __future__ import annotations

import json
import mimetypes
import re
import warnings
from collections.abc import Iterable
from datetime import datetime, timezone
from urllib.parse import urljoin, urlsplit

from cleaning.core.pagekind import MEDIA_TYPES
from cleaning.core.schema import PageMeta, Precision

_ARTICLE_TYPES = ("NewsArticle", "Article", "BlogPosting", "PressRelease", "Report", "ReportageNewsArticle",
                  "AnalysisNewsArticle", "OpinionNewsArticle", "ScholarlyArticle", "TechArticle", "WebPage")
_PUBLISHED_META = ("article:published_time", "og:article:published_time", "datePublished", "date",
                   "dc.date", "dc.date.issued", "dcterms.created", "pubdate", "publish-date",
                   "sailthru.date", "parsely-pub-date", "citation_publication_date")
_MODIFIED_META = ("article:modified_time", "og:updated_time", "dateModified", "dcterms.modified",
                  "last-modified")


def extract_page_meta(tree, url: str | None = None, html: str | None = None) -> PageMeta:
    """What the page says about itself: <head> meta, JSON-LD, <time>; htmldate as a fallback."""
    metas = _meta_tags(tree)
    entity, graph = _jsonld(tree)
    title_node = tree.css_first("title")
    h1_node = tree.css_first("h1")
    html_node = tree.root
    canonical = None
    for node in tree.css("link[rel]"):
        if "canonical" in (node.attributes.get("rel") or "").lower().split() and node.attributes.get("href"):
            canonical = node.attributes["href"].strip()
            break
    canonical = canonical or metas.get("og:url")
    if canonical and url:
        try:
            canonical = urljoin(url, canonical)
        except ValueError:  # malformed href ("http://[bad"): no canonical URL, the page still counts
            canonical = None
    if canonical and not canonical.startswith(("http://", "https://")):
        canonical = None

    published, source, precision = None, None, None
    for value, where in ((entity.get("datePublished"), "jsonld"),
                         (_first(metas, _PUBLISHED_META), "meta"),
                         (_time_datetime(tree), "time")):
        published = parse_datetime(value)
        if published:
            source, precision = where, written_precision(value)
            break
    modified = parse_datetime(entity.get("dateModified")) or parse_datetime(_first(metas, _MODIFIED_META))
    if published is None and html:
        published = _htmldate(html, url)
        source, precision = ("htmldate", Precision.DAY.value) if published else (None, None)  # htmldate gives a day

    return PageMeta(
        title=_clean(metas.get("og:title")) or _clean(_jsonld_text(entity.get("headline")))
        or _clean(title_node.text() if title_node else None) or _clean(metas.get("twitter:title")),
        h1=_clean(h1_node.text(separator=" ") if h1_node else None),
        site_name=_clean(metas.get("og:site_name")) or _clean(metas.get("application-name"))
        or _publisher_name(entity, graph),
        canonical_url=canonical,
        html_lang=_clean((html_node.attributes.get("lang") or html_node.attributes.get("xml:lang"))
                         if html_node is not None else None)
        or _clean(metas.get("content-language")) or _clean(metas.get("og:locale")),
        description=_clean(metas.get("og:description")) or _clean(metas.get("description")),
        published=published,
        modified=modified,
        date_source=source,
        published_precision=precision,
        authors=_authors(entity, metas, tree),
        page_type=_page_type(entity) or _clean(metas.get("og:type")),
        ld_types=tuple(dict.fromkeys(t for item in graph for t in _types(item))),
        og_type=_clean(metas.get("og:type")),
        html_title=_clean(title_node.text() if title_node else None),
        attachment=_is_attachment(tree, canonical, graph),
    )


_MEDIA_MIME = ("image/", "video/", "audio/", "application/pdf")


def _is_attachment(tree, canonical: str | None, graph: list[dict]) -> bool:
    """A media file's own page: WordPress marks it `<body class="attachment …">`; others canonicalise to the
    file, or declare nothing but the media object (an article's logo or image is nested, never top-level)."""
    declared = {t.lower() for item in graph for t in _types(item)}
    if declared and declared <= MEDIA_TYPES:
        return True
    body = tree.body
    if body is not None and "attachment" in (body.attributes.get("class") or "").split():
        return True
    if canonical:
        mime = mimetypes.guess_type(urlsplit(canonical).path)[0] or ""
        return mime.startswith(_MEDIA_MIME)
    return False


TITLE_SEPARATORS = re.compile(r"\s+[–—|·:-]\s+")  # "Post title – Site Name", "Post | Site", "Post - Site"


def title_suffixes(title: str | None) -> list[str]:
    """Every candidate site name a <title> ends with: the text after each separator, longest first."""
    if not title:
        return []
    cuts = [m.end() for m in TITLE_SEPARATORS.finditer(title)]
    return [title[cut:].strip() for cut in cuts if title[cut:].strip()]


def title_head(title: str, suffix: str) -> str:
    """The title without `suffix` and the separator before it."""
    head = title[: len(title) - len(suffix)]
    return re.sub(r"\s+[–—|·:-]\s*$", "", head).strip()


def _meta_tags(tree) -> dict[str, str]:
    """<meta> content by name / property / itemprop / http-equiv (first one wins)."""
    found: dict[str, str] = {}
    for node in tree.css("meta"):
        attrs = node.attributes
        content = attrs.get("content")
        if not content:
            continue
        for key_attr in ("property", "name", "itemprop", "http-equiv"):
            key = attrs.get(key_attr)
            if key:
                key = key.strip()
                found.setdefault(key if key_attr == "itemprop" else key.lower(), content)
    for node in tree.css("[itemprop=datePublished], [itemprop=dateModified]"):
        value = node.attributes.get("datetime") or node.attributes.get("content")
        if value:
            found.setdefault(node.attributes["itemprop"], value)
    return found


def _first(metas: dict[str, str], keys: Iterable[str]) -> str | None:
    for key in keys:
        value = metas.get(key) or metas.get(key.lower())
        if value:
            return value
    return None


def _jsonld(tree) -> tuple[dict, list[dict]]:
    """The page's main JSON-LD entity (an Article-like type first) and every entity seen."""
    graph: list[dict] = []
    for node in tree.css('script[type="application/ld+json"]'):
        try:
            data = json.loads(node.text() or "")
        except (json.JSONDecodeError, ValueError):
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(reversed(item))
            elif isinstance(item, dict):
                graph.append(item)
                if isinstance(item.get("@graph"), list):
                    stack.extend(reversed(item["@graph"]))
    for wanted in _ARTICLE_TYPES:
        for item in graph:
            if wanted in _types(item):
                return item, graph
    return {}, graph


def _types(item: dict) -> list[str]:
    value = item.get("@type")
    if isinstance(value, str):
        return [value]
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _page_type(entity: dict) -> str | None:
    types = _types(entity)
    return types[0] if types else None


def _jsonld_text(value) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name")
    return value if isinstance(value, str) else None


def _publisher_name(entity: dict, graph: list[dict]) -> str | None:
    publisher = entity.get("publisher")
    if isinstance(publisher, dict) and publisher.get("@id") and not publisher.get("name"):
        publisher = next((g for g in graph if g.get("@id") == publisher["@id"]), publisher)
    name = _clean(_jsonld_text(publisher))
    if name:
        return name
    site = next((g for g in graph if "WebSite" in _types(g)), None)
    return _clean(site.get("name")) if site and isinstance(site.get("name"), str) else None


def _authors(entity: dict, metas: dict[str, str], tree) -> tuple[str, ...]:
    names: list[str] = []
    raw = entity.get("author")
    for item in raw if isinstance(raw, list) else [raw]:
        name = _jsonld_text(item)
        if name:
            names.append(name)
    for value in (metas.get("author"), metas.get("article:author"), metas.get("dc.creator")):
        if value and not value.startswith(("http://", "https://")):
            names.append(value)
    if not names:
        names.extend(node.text(separator=" ") for node in tree.css('a[rel~="author"]'))
    seen: dict[str, None] = {}
    for name in names:
        cleaned = _clean(name)
        if cleaned and len(cleaned) <= 120:
            seen.setdefault(cleaned, None)
    return tuple(seen)


# A <time> in these belongs to another page (a "latest posts" widget, a related card, a sidebar), never to this one.
_ELSEWHERE_TAGS = frozenset(("aside", "nav"))
_ELSEWHERE_CLASSES = re.compile(r"widget|sidebar|latest-posts|related|recent-posts|teaser|wp-block-post-template",
                                re.I)
_OWN_TIME = (".entry-header time[datetime]", ".entry-meta time[datetime]", "article time[datetime]",
             "main time[datetime]", "[role=main] time[datetime]")


def _is_elsewhere(node) -> bool:
    """A sidebar, a nav, a widget or another post's card."""
    return node.tag in _ELSEWHERE_TAGS or bool(_ELSEWHERE_CLASSES.search(node.attributes.get("class") or ""))


def _elsewhere(node) -> bool:
    """The node sits inside a sidebar, a nav, a widget or another post's card."""
    parent = node.parent
    while parent is not None and parent.tag not in ("body", "html", "-undef"):
        if _is_elsewhere(parent):
            return True
        parent = parent.parent
    return False


def _time_datetime(tree) -> str | None:
    """The datetime of the article's own <time> (entry header, article, main); never one from a widget."""
    for selector in _OWN_TIME:
        for node in tree.css(selector):
            if not _elsewhere(node) and node.attributes.get("datetime"):
                return node.attributes.get("datetime")
    return None


def _without_elsewhere(html: str) -> str:
    """The page without its sidebars, navs and widgets: the dates there belong to other pages."""
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(html)
    doomed = [n for n in tree.css("aside, nav, [class]") if _is_elsewhere(n) and not _elsewhere(n)]  # outermost only
    for node in doomed:
        node.decompose()
    return tree.html or html


def _htmldate(html: str, url: str | None) -> datetime | None:
    """htmldate without its extensive search (fast and offline), on the page without its widgets."""
    try:
        from htmldate import find_date

        found = find_date(_without_elsewhere(html), url=url, extensive_search=False, original_date=True)
    except Exception:  # noqa: BLE001 - a date guess must never break extraction
        return None
    return parse_datetime(found)


def parse_datetime(value) -> datetime | None:
    """ISO-8601 (and a few common variants) to an aware UTC datetime; None when unparseable."""
    if isinstance(value, list):
        value = value[0] if value else None
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip().replace("Z", "+00:00")
    if re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})?", text):
        text = text.replace(" ", "T")
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        try:
            from dateutil import parser as date_parser

            with warnings.catch_warnings():  # unknown zone names ("EST") are read as UTC
                warnings.simplefilter("ignore")
                parsed = date_parser.parse(text)
        except (ValueError, OverflowError, ImportError):
            return None
    if not 1990 <= parsed.year <= 2100:
        return None
    return as_utc(parsed)


_WRITTEN_TIME = re.compile(r"(?<![\d+-])\d{1,2}:\d{2}(?P<seconds>:\d{2})?(?!\d)")


def written_precision(value) -> str | None:
    """How precise a written date is: Precision.DAY without a time, MINUTE with hh:mm, SECOND with hh:mm:ss.

    Read from the string itself (what the page wrote), as parse_datetime accepts it; None for no string.
    """
    if isinstance(value, list):
        value = value[0] if value else None
    if not isinstance(value, str) or not value.strip():
        return None
    match = _WRITTEN_TIME.search(value)
    if match is None:
        return Precision.DAY.value
    return (Precision.SECOND if match.group("seconds") else Precision.MINUTE).value


def value_precision(value: datetime | None) -> str | None:
    """A guess of precision from the value alone, when its source string is gone: midnight is a day.

    The crawler keeps a feed's or sitemap's precision from the string it read (written_precision, the
    raw `feed_published_precision`); this is for what lacks it (raw stores written before that column,
    a page date without its precision). Exactly midnight UTC counts as a day, a whole minute as a
    minute, anything else as a second.
    """
    if value is None:
        return None
    value = as_utc(value)
    if (value.hour, value.minute, value.second, value.microsecond) == (0, 0, 0, 0):
        return Precision.DAY.value
    return (Precision.MINUTE if (value.second, value.microsecond) == (0, 0) else Precision.SECOND).value


def as_utc(value: datetime | None) -> datetime | None:
    """Aware UTC; a naive time is taken as UTC already (what feeds and meta tags mostly mean)."""
    if value is None:
        return None
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


def _clean(value: str | None) -> str | None:
    if not isinstance(value, str):
        return None
    cleaned = " ".join(value.split())
    return cleaned or None
