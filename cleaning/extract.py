"""Blocks and page metadata from HTML (selectolax + one trafilatura call) and from text dumps.

HTML pages give blocks for the WHOLE page, chrome included, in document order: the site
model and the split step need to see banners, contact blocks, teaser cards and footers
to strip or classify them. Each block carries its DOM path and landmark/class `hints`;
`main` says whether trafilatura (and the feed's content:encoded, when there is one) kept
its text as main content: trafilatura runs once per page and its text is aligned back to
the selectolax blocks by normalised tokens, each witness token used once.

Choices worth knowing:
- Hints come from ancestors' tags, roles and class / id tokens (HINT_CUES); the cues of
  elements that turn out to hold most of the main text ("has-sidebar", "Page-ad-margins"
  wrappers) are dropped once `main` is known, so the body does not look like chrome.
- A run of inline text is one block; `<br>` becomes "\n" inside it, two `<br>` in a row
  end the block (address-like contact blocks keep their lines).
- Kickers (`<span class="kicker">Monde</span>` inside a title or teaser card) become their
  own small block, placed just before the block they label, with the hint "kicker", so
  the title block's text is the bare title and the kicker is still recoverable.
- Cloudflare-obfuscated e-mails are decoded in the HTML before any parser sees it.
- Pages trafilatura gives up on (tiny ones) get `main` from landmarks instead.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import re
import unicodedata
import warnings
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from urllib.parse import urljoin, urlsplit, urlunsplit

from cleaning.options import CleanOptions
from cleaning.schema import Block, BlockKind, Document, PageMeta, SourceRecord
from cleaning.segment import segment_dump
from cleaning.stats import Stats

# ------------------------------------------------------------------ entry point


def extract_documents(rec: SourceRecord, opts: CleanOptions, stats: Stats) -> list[Document]:
    """One SourceRecord in, its Documents out (a dump may hold several releases)."""
    if rec.html is not None:
        return [extract_html_document(rec, opts, stats)]
    if rec.text is not None:
        return extract_dump_documents(rec, opts, stats)
    stats.error(rec.input, "extract", "record holds neither HTML nor text")
    return []


# ------------------------------------------------------------------ text dumps


def extract_dump_documents(rec: SourceRecord, opts: CleanOptions, stats: Stats) -> list[Document]:
    """One line = one block; cleaning.segment cuts the dump into releases ("path:L<start>-<end>")."""
    lines = [line.rstrip("\r") for line in (rec.text or "").split("\n")]
    if not any(line.strip() for line in lines):
        stats.error(rec.input, "extract", "empty text dump")
        return []
    ranges = segment_dump(lines)
    ranges = [(start, end) for start, end in ranges if any(line.strip() for line in lines[start:end])]
    docs = []
    for start, end in ranges:
        blocks = [Block(text=text, kind=BlockKind.PARAGRAPH, position=i)
                  for i, text in enumerate(t for t in (_clean_line(x) for x in lines[start:end]) if t)]
        content = "\n".join(b.text for b in blocks)
        canonical = normalize_url(rec.url) if rec.url and len(ranges) == 1 else None
        docs.append(Document(
            doc_id=_hash_id(canonical or content),
            input=f"{rec.input}:L{start + 1}-{end}",
            source=rec.source,
            blocks=blocks,
            url=rec.url,
            canonical_url=canonical,
            site=rec.site or opts.site or registered_domain(rec.url),
            fetched_at=rec.fetched_at,
            feed=rec.feed,
        ))
    stats.inc("extract/dump_documents", len(docs))
    return docs


def _clean_line(line: str) -> str:
    return " ".join(line.split())


def _hash_id(value: str) -> str:
    return hashlib.sha1(value.encode("utf-8")).hexdigest()[:16]


# ------------------------------------------------------------------ HTML documents


def extract_html_document(rec: SourceRecord, opts: CleanOptions, stats: Stats) -> Document:
    """Blocks for the whole page, the main-content judgement, and PageMeta.

    Bad input never raises: a binary or block-less page gives an empty Document flagged
    "binary" / "no-blocks" and a stats error; a page over `opts.max_input_bytes` characters
    is cut to that size before parsing and flagged "truncated".
    """
    from selectolax.lexbor import LexborHTMLParser

    html = rec.html or ""
    flags: list[str] = []
    if len(html) > opts.max_input_bytes:
        html = html[: opts.max_input_bytes]
        flags.append("truncated")
        stats.inc("extract/truncated")
    if _looks_binary(html):
        stats.error(rec.input, "extract", "binary content, not HTML")
        return Document(doc_id=_hash_id(html), input=rec.input, source=rec.source, url=rec.url,
                        site=rec.site or opts.site or registered_domain(rec.url), fetched_at=rec.fetched_at,
                        feed=rec.feed, flags=[*flags, "binary"])
    html = decode_cfemails(html)
    tree = LexborHTMLParser(html)
    meta = extract_page_meta(tree, rec.url, html)
    base_url = rec.url or meta.canonical_url
    walker = _walk(tree, base_url)
    blocks = walker.blocks
    if blocks:
        witnesses = main_witnesses(html, rec, stats)
        if witnesses:
            blocks = walker.settle_hints(mark_main(blocks, witnesses, stats))
        else:  # tiny or odd pages trafilatura gives up on
            blocks = walker.guess_main()
            stats.inc("extract/main_guessed")
    else:
        flags.append("no-blocks")
        stats.inc("extract/no_blocks")
        stats.error(rec.input, "extract", "no text in the page (empty, or HTML without a body)")
    url_for_id = _trusted_canonical(meta.canonical_url, rec.url) or rec.url
    canonical = normalize_url(url_for_id) if url_for_id else None
    stats.inc("extract/pages")
    stats.inc("extract/blocks", len(blocks))
    return Document(
        doc_id=_hash_id(canonical or html),
        input=rec.input,
        source=rec.source,
        blocks=blocks,
        url=rec.url,
        canonical_url=canonical,
        site=rec.site or opts.site or registered_domain(rec.url or canonical),
        fetched_at=rec.fetched_at,
        meta=meta,
        feed=rec.feed,
        flags=flags,
    )


def _looks_binary(text: str) -> bool:
    """NUL or many control characters: bytes that were never HTML, decoded anyway."""
    head = text[:8192]
    controls = sum(1 for ch in head if ch < "\t" or "\r" < ch < " ")
    return "\x00" in head or controls > len(head) * 0.05


# ------------------------------------------------------------------ Cloudflare e-mails

_CF_ELEMENT = re.compile(
    r"""<(a|span)\b[^>]*?\bdata-cfemail\s*=\s*["']?([0-9a-fA-F]+)["']?[^>]*>.*?</\1\s*>""",
    re.I | re.S,
)
_CF_HREF = re.compile(r"""(["'])(?:https?://[^"'#]*)?/cdn-cgi/l/email-protection#([0-9a-fA-F]+)\1""", re.I)


def decode_cfemail(hex_string: str) -> str | None:
    """Cloudflare's e-mail obfuscation: the first byte is a XOR key for the rest."""
    try:
        data = bytes.fromhex(hex_string)
    except ValueError:
        return None
    if len(data) < 2:
        return None
    key = data[0]
    try:
        return bytes(b ^ key for b in data[1:]).decode("utf-8")
    except UnicodeDecodeError:
        return None


def decode_cfemails(html: str) -> str:
    """Replace Cloudflare-protected addresses (`data-cfemail`, email-protection links) by the real ones."""
    if "cfemail" not in html and "email-protection" not in html:
        return html

    def element(match: re.Match) -> str:
        address = decode_cfemail(match.group(2))
        if address is None:
            return match.group(0)
        if match.group(1).lower() == "a":
            return f'<a href="mailto:{address}">{address}</a>'
        return address

    def href(match: re.Match) -> str:
        address = decode_cfemail(match.group(2))
        return f"{match.group(1)}mailto:{address}{match.group(1)}" if address else match.group(0)

    return _CF_HREF.sub(href, _CF_ELEMENT.sub(element, html))


# ------------------------------------------------------------------ the block walk

BLOCK_TAGS = frozenset(
    "address article aside blockquote body caption center dd details dialog div dl dt fieldset "
    "figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr html legend li main menu nav "
    "ol p pre section summary table tbody td tfoot th thead tr ul".split()
)
SKIP_TAGS = frozenset(
    "script style noscript template svg math canvas iframe object embed head select option "
    "textarea input button video audio picture source img map area meta link -comment".split()
)
HEADING_TAGS = frozenset("h1 h2 h3 h4 h5 h6".split())
_FORMATTING_TAGS = frozenset("i u sup sub abbr code mark s q cite font".split())
_KIND_BY_TAG = {
    **{h: BlockKind.HEADING for h in HEADING_TAGS},
    "li": BlockKind.LIST_ITEM,
    "blockquote": BlockKind.QUOTE,
    "figcaption": BlockKind.CAPTION,
    "caption": BlockKind.CAPTION,
    "td": BlockKind.TABLE_CELL,
    "th": BlockKind.TABLE_CELL,
}
_LANDMARK_TAGS = {"header": "header", "nav": "nav", "footer": "footer", "aside": "aside", "form": "form"}
_LANDMARK_ROLES = {
    "banner": "header", "navigation": "nav", "contentinfo": "footer", "complementary": "aside",
    "search": "search", "dialog": "dialog", "alertdialog": "dialog", "alert": "banner",
}
#: class / id tokens -> hints (tokens come from splitting class names on "-", "_" and spaces;
#: whole class names are looked up too, so "pullquote" and "pull-quote" both match)
HINT_CUES: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(("header", "masthead", "topbar", "top-bar"), ("header",)),
    **dict.fromkeys(("nav", "navbar", "navigation", "menu", "menus", "submenu"), ("nav",)),
    **dict.fromkeys(("breadcrumb", "breadcrumbs", "ariane"), ("nav", "breadcrumb")),
    **dict.fromkeys(("footer", "colophon", "copyright", "site-info"), ("footer",)),
    **dict.fromkeys(("sidebar", "aside"), ("aside",)),
    **dict.fromkeys(("teaser", "teasers", "tile", "tiles"), ("teaser",)),
    **dict.fromkeys(("card", "cards"), ("teaser", "card")),
    **dict.fromkeys(("related", "latest", "recent", "popular", "trending", "most-read", "more-news",
                     "read-more", "also", "similar", "suggested", "recommended", "a-lire"),
                    ("teaser", "related")),
    **dict.fromkeys(("cookie", "cookies", "consent", "gdpr", "rgpd", "tarteaucitron", "cookielaw",
                     "cookie-notice", "cmp"), ("cookie",)),
    **dict.fromkeys(("banner", "bandeau", "notice", "promo", "cta", "appeal", "support-us"),
                    ("banner",)),
    **dict.fromkeys(("donate", "donation", "donations", "don", "dons", "faire-un-don", "give"),
                    ("banner", "donate")),
    **dict.fromkeys(("newsletter", "subscribe", "signup", "sign-up", "inscription"), ("newsletter",)),
    **dict.fromkeys(("contact", "contacts", "press-contact", "media-contact", "journalistes"), ("contact",)),
    **dict.fromkeys(("lead", "lede", "leadin", "standfirst", "chapo", "chapeau", "intro", "deck", "dek",
                     "subheadline", "sub-headline"), ("lead",)),
    **dict.fromkeys(("excerpt", "snippet", "summary", "resume"), ("snippet",)),
    **dict.fromkeys(("pullquote", "pull-quote", "pullquotes", "exergue", "citation-exergue",
                     "highlight-quote"), ("pullquote",)),
    **dict.fromkeys(("share", "sharing", "social", "addtoany", "sharedaddy", "partage", "share-buttons"),
                    ("share",)),
    **dict.fromkeys(("byline", "author", "authors", "auteur", "posted-by"), ("byline",)),
    **dict.fromkeys(("date", "dateline", "published", "posted-on", "time", "timestamp"), ("date",)),
    **dict.fromkeys(("kicker", "surtitre", "sur-titre", "overline", "eyebrow"), ("kicker",)),
    **dict.fromkeys(("title", "headline", "titre"), ("title",)),
    **dict.fromkeys(("tags", "tag-links", "cat-links", "taxonomy", "post-tags"), ("tags",)),
    **dict.fromkeys(("comment", "comments", "respond", "disqus", "commentaires"), ("comments",)),
    **dict.fromkeys(("ad", "ads", "advert", "advertisement", "adsbygoogle", "sponsored", "sponsor"), ("ad",)),
    **dict.fromkeys(("notes", "endnotes", "footnotes", "complement"), ("notes",)),
    **dict.fromkeys(("mobile",), ("mobile",)),
    **dict.fromkeys(("desktop",), ("desktop",)),
    **dict.fromkeys(("search", "searchform", "search-form"), ("search",)),
}
#: cues matched on whole class names only: as tokens they would catch "hidden-xs" (visible
#: on large screens) or WordPress's per-post "category-<slug>" class on <article>
WHOLE_CLASS_CUES: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(("screen-reader-text", "sr-only", "visually-hidden", "visuallyhidden", "hidden",
                     "skip-link", "d-none"), ("hidden",)),
    **dict.fromkeys(("category", "categorie", "rubrique", "post-category", "entry-category", "card-category",
                     "section-label"), ("kicker",)),
}
_ARTICLE_CLASS_TOKENS = frozenset(("article", "post", "entry", "story"))
_QUOTE_CLASS_TOKENS = frozenset(("quote", "citation", "pullquote", "blockquote", "exergue", "testimonial"))
_CLASS_SPLIT = re.compile(r"[\s_-]+")
_STABLE_CLASS = re.compile(r"^[A-Za-z][A-Za-z_-]{0,39}$")
_UNSTABLE_PREFIXES = ("css-", "sc-", "jsx-", "is-", "has-", "js-")
_MAX_DEPTH = 150
_LAYOUT_MAIN_SHARE = 0.3  # an element holding this share of the page's main text ...
_LAYOUT_OWN_MAIN_SHARE = 0.6  # ... and mostly main itself is the content area, not chrome
_WRAPPER_MAIN_SHARE = 0.8  # an element holding nearly all the main text is a page wrapper
_CHROME_HINTS = frozenset(("header", "nav", "footer", "aside", "cookie", "banner", "teaser", "share", "hidden",
                           "form", "comments", "ad", "dialog", "search", "newsletter", "breadcrumb", "contact",
                           "byline", "date", "tags", "kicker", "title", "article-footer"))
_WS = re.compile(r"[^\S\n]+")
_DISPLAY_NONE = re.compile(r"display\s*:\s*none", re.I)


@dataclass(frozen=True, slots=True)
class _Context:
    """What a block inherits from its ancestors."""

    path: str
    kind: BlockKind
    hints: frozenset[str]
    href: str | None  # an ancestor <a> wrapping block-level content (teaser cards)
    in_article: bool
    depth: int
    sources: tuple[tuple[str, frozenset[str]], ...] = ()  # (DOM path of an element, hints it gave)


def walk_blocks(tree, base_url: str | None = None) -> list[Block]:
    """Every text block of the page, in document order, with DOM path, hints and links."""
    return _walk(tree, base_url).blocks


def _walk(tree, base_url: str | None) -> "_BlockWalker":
    walker = _BlockWalker(base_url)
    body = tree.body
    if body is None:
        return walker
    root = _Context(path="body", kind=BlockKind.PARAGRAPH, hints=frozenset(), href=None,
                    in_article=False, depth=0)
    walker.container = root
    walker.walk(body, root)
    walker.flush()
    return walker


@dataclass(frozen=True, slots=True)
class _Element:
    hints: frozenset[str]
    kind: BlockKind | None
    segment: str
    article: bool  # opens the article / main content


def _link(href: str | None) -> str | None:
    """A usable raw href (resolved against the page URL only for the links blocks keep)."""
    if not href:
        return None
    href = href.strip()
    return None if not href or href.startswith(("#", "javascript:")) else href


class _BlockWalker:
    """Accumulates inline text into runs; block-level tags end a run. State lives per page."""

    def __init__(self, base_url: str | None):
        self.base_url = base_url
        self.blocks: list[Block] = []
        self.parts: list[str] = []
        self.links: dict[str, int] = {}  # href -> link text length in the current run
        self.pending: list[tuple[Block, tuple, frozenset[str]]] = []  # kicker blocks waiting for their run
        self.container: _Context | None = None
        self.cue_cache: dict[str, tuple[tuple[str, ...], frozenset[str]]] = {}
        self.element_cache: dict[tuple, _Element] = {}
        self.inline_depth = 0
        self.inline_cues: dict[str, int] = {}  # hint -> chars of the current run under it
        self.run_id = 0
        self.run_chars = 0
        self.provenance: list[tuple[tuple[tuple[str, frozenset[str]], ...], frozenset[str]]] = []
        self.in_article: list[bool] = []  # per block: inside <article> / <main> / an article-ish class

    # -- structure

    def walk(self, node, ctx: _Context, link: str | None = None) -> None:
        for child in node.iter(include_text=True):
            tag = child.tag
            if tag == "-text":
                self._add_text(child.text_content or "", link)
            elif tag in SKIP_TAGS:
                continue
            elif tag == "br":
                self._add_break()
            elif tag in BLOCK_TAGS or "-" in tag:
                self.flush()
                saved = self.container
                child_ctx = self._child_context(child, ctx, link)
                self.container = child_ctx
                if child_ctx.depth > _MAX_DEPTH:
                    self._add_text(child.text(deep=True, separator=" "), link)
                else:
                    self.walk(child, child_ctx, link)
                self.flush()
                self.container = saved
            else:
                self._inline(child, ctx, link)

    def _inline(self, node, ctx: _Context, link: str | None) -> None:
        tag = node.tag
        attrs = {} if tag in _FORMATTING_TAGS else node.attributes
        if tag == "a":
            link = _link(attrs.get("href")) or link
        cues = self._cues(attrs)
        if "kicker" in cues:
            self._kicker(node, tag, attrs, ctx, link)
            return
        if tag == "time":
            cues = (*cues, "date")
        run, chars_before = self.run_id, self.run_chars
        self.inline_depth += 1
        if self.inline_depth > _MAX_DEPTH:
            self._add_text(node.text(deep=True, separator=" "), link)
        else:
            self.walk(node, ctx, link)
        self.inline_depth -= 1
        if cues and run == self.run_id:  # cues of inline elements that make up much of the block
            for cue in cues:
                self.inline_cues[cue] = self.inline_cues.get(cue, 0) + self.run_chars - chars_before

    def _kicker(self, node, tag: str, attrs: dict, ctx: _Context, link: str | None) -> None:
        """An inline kicker becomes its own small block, emitted before the block it labels."""
        text = _norm_space(node.text(deep=True, separator=" "))
        if not text:
            return
        container = self.container or ctx
        own = frozenset(self._cues(attrs))
        self.pending.append((Block(
            text=text, kind=BlockKind.PARAGRAPH, dom_path=f"{container.path}/{self._segment(tag, attrs)}",
            href=self._href(link), hints=tuple(sorted(container.hints | own)),
        ), container.sources, own))

    def _child_context(self, node, ctx: _Context, link: str | None) -> _Context:
        tag = node.tag
        attrs = node.attributes
        info = self._element(tag, attrs)
        in_article = ctx.in_article or info.article
        own = info.hints
        if in_article and own & {"header", "footer"}:  # <header class="entry-header"> is the article's own
            own = frozenset(f"article-{h}" if h in ("header", "footer") else h for h in own)
        if tag == "a":
            link = _link(attrs.get("href")) or link
        kind = info.kind
        if kind is None or (ctx.kind is BlockKind.QUOTE and kind is not BlockKind.HEADING):
            kind = ctx.kind
        sources = ctx.sources
        path = f"{ctx.path}/{info.segment}"
        if own:  # elements on the same DOM path are judged together (a list of cards, say)
            sources = (*sources, (path, own))
        return _Context(path=path, kind=kind, hints=ctx.hints | own, href=link, in_article=in_article,
                        depth=ctx.depth + 1, sources=sources)

    def _element(self, tag: str, attrs: dict) -> "_Element":
        """What a block-level element's tag and attributes say, computed once per distinct element."""
        key = (tag, attrs.get("class"), attrs.get("id"), attrs.get("role"), "hidden" in attrs,
               attrs.get("aria-hidden"), attrs.get("style"))
        info = self.element_cache.get(key)
        if info is not None:
            return info
        cues, tokens = self._cues_and_tokens(attrs)
        own: set[str] = set(cues)
        role = (attrs.get("role") or "").lower()
        landmark = _LANDMARK_TAGS.get(tag) or _LANDMARK_ROLES.get(role)
        if landmark:
            own.add(landmark)
        if "hidden" in attrs or (attrs.get("aria-hidden") or "").lower() == "true" or \
                _DISPLAY_NONE.search(attrs.get("style") or ""):
            own.add("hidden")
        kind = _KIND_BY_TAG.get(tag)
        if tag in ("aside", "figure", "div") and _QUOTE_CLASS_TOKENS & tokens:
            kind = BlockKind.QUOTE
            if tag != "div" or "pullquote" in own:
                own.add("pullquote")
        info = self.element_cache[key] = _Element(
            hints=frozenset(own), kind=kind, segment=self._segment(tag, attrs),
            article=tag in ("article", "main") or role in ("main", "article") or bool(_ARTICLE_CLASS_TOKENS & tokens),
        )
        return info

    # -- runs

    def _add_text(self, text: str, link: str | None) -> None:
        if not text or (not self.parts and text.isspace()):  # whitespace between tags opens no run
            return
        self.parts.append(text)
        chars = len("".join(text.split()))
        self.run_chars += chars
        if link:
            self.links[link] = self.links.get(link, 0) + chars

    def _add_break(self) -> None:
        if self.parts and self.parts[-1] == "\n":
            self.flush()  # two <br> in a row end the block
        else:
            self.parts.append("\n")

    def flush(self) -> None:
        if not self.parts and not self.pending:
            return
        parts, links, pending, cues, chars = self.parts, self.links, self.pending, self.inline_cues, self.run_chars
        self.parts, self.links, self.pending, self.inline_cues, self.run_chars = [], {}, [], {}, 0
        self.run_id += 1
        ctx = self.container
        text = _norm_block_text("".join(parts)) if parts else ""
        for block, sources, own in pending:
            self._emit(block, sources, own)
        if not text or ctx is None:
            return
        href = ctx.href
        if links:
            best, link_chars = max(links.items(), key=lambda kv: kv[1])
            if link_chars >= 0.6 * len("".join(text.split())):
                href = best
        href = self._href(href)
        inline = frozenset(cue for cue, n in cues.items() if n * 3 >= chars)
        self._emit(Block(text=text, kind=ctx.kind, dom_path=ctx.path, href=href,
                         hints=tuple(sorted(ctx.hints | inline))), ctx.sources, inline)

    def _emit(self, block: Block, sources: tuple, own: frozenset[str]) -> None:
        self.provenance.append((sources, own))
        self.in_article.append(self.container is not None and self.container.in_article)
        self.blocks.append(Block(text=block.text, kind=block.kind, position=len(self.blocks),
                                 dom_path=block.dom_path, href=block.href, hints=block.hints, main=False))

    # -- after the main-content judgement

    def settle_hints(self, blocks: list[Block]) -> list[Block]:
        """Drop the cues of layout containers: elements (those on one DOM path taken together)
        holding a large share of the page's main text, most of their own text main, or nearly
        all the main text, are the content area or a page wrapper, whatever their classes say
        ("penci_sidebar", "Page-ad-margins", "author-<name>" on <article>, Bootstrap "card"s)."""
        main_total = sum(len(b.text) for b in blocks if b.main)
        if not main_total:
            return blocks
        chars: dict[str, int] = {}
        main_chars: dict[str, int] = {}
        for block, (sources, _) in zip(blocks, self.provenance):
            for group, _hints in sources:
                chars[group] = chars.get(group, 0) + len(block.text)
                if block.main:
                    main_chars[group] = main_chars.get(group, 0) + len(block.text)
        layout = {group for group, n in main_chars.items()
                  if n >= _LAYOUT_MAIN_SHARE * main_total and n >= _LAYOUT_OWN_MAIN_SHARE * chars[group]
                  or n >= _WRAPPER_MAIN_SHARE * main_total}
        if not layout:
            return blocks
        settled = []
        for block, (sources, own) in zip(blocks, self.provenance):
            if any(group in layout for group, _ in sources):
                hints = set(own)
                for group, given in sources:
                    if group not in layout:
                        hints |= given
                block = _replace_block(block, hints=tuple(sorted(hints)))
            settled.append(block)
        return settled

    def guess_main(self) -> list[Block]:
        """Without any witness: blocks free of chrome hints, inside the article when there is one."""
        scope = self.in_article if any(self.in_article) else [True] * len(self.blocks)
        return [_with_main(b, inside and not _CHROME_HINTS & set(b.hints))
                for b, inside in zip(self.blocks, scope)]

    # -- attributes

    def _href(self, href: str | None) -> str | None:
        if not href:
            return None
        if self.base_url and not href.startswith("mailto:"):
            try:
                return urljoin(self.base_url, href)
            except ValueError:
                return href
        return href

    @staticmethod
    def _class_tokens(attrs: dict) -> list[str]:
        names = f"{attrs.get('class') or ''} {attrs.get('id') or ''}".lower().split()
        tokens = []
        for name in names:
            tokens.append(name)
            tokens.extend(_CLASS_SPLIT.split(name))
        return tokens

    def _cues(self, attrs: dict) -> tuple[str, ...]:
        return self._cues_and_tokens(attrs)[0]

    def _cues_and_tokens(self, attrs: dict) -> tuple[tuple[str, ...], frozenset[str]]:
        """Hints from class / id, and the class tokens, once per distinct class+id string."""
        if not attrs:
            return (), frozenset()
        key = f"{attrs.get('class') or ''}|{attrs.get('id') or ''}"
        if key == "|":
            return (), frozenset()
        cached = self.cue_cache.get(key)
        if cached is None:
            found: set[str] = set()
            for name in f"{attrs.get('class') or ''} {attrs.get('id') or ''}".lower().split():
                found.update(WHOLE_CLASS_CUES.get(name, ()))
            tokens = frozenset(self._class_tokens(attrs))
            for token in tokens:
                found.update(HINT_CUES.get(token, ()))
            cached = self.cue_cache[key] = (tuple(sorted(found)), tokens)
        return cached

    @staticmethod
    def _segment(tag: str, attrs: dict) -> str:
        if tag in ("body", "html"):
            return tag
        segment = tag
        ident = attrs.get("id")
        if ident and _STABLE_CLASS.match(ident):
            segment += f"#{ident}"
        classes = [c for c in (attrs.get("class") or "").split()
                   if _STABLE_CLASS.match(c) and not c.startswith(_UNSTABLE_PREFIXES)]
        for name in classes[:2]:
            segment += f".{name}"
        return segment


def _norm_space(text: str) -> str:
    return " ".join(text.split())


def _norm_block_text(text: str) -> str:
    if "\n" not in text:
        return " ".join(text.split())
    lines = (_WS.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


# ------------------------------------------------------------------ main content

_TOKEN = re.compile(r"\w+")
_SHORT_BLOCK_TOKENS = 4  # shorter blocks must match right where the witness continues
_SHORT_BLOCK_GAP = 2  # witness tokens a short block may skip over
_MIN_SHINGLE_COVERAGE = 0.6


def main_witnesses(html: str, rec: SourceRecord, stats: Stats) -> list[str]:
    """Texts that say what the main content is: trafilatura's, and the feed's content:encoded."""
    witnesses = []
    trafilatura_text = main_content_text(html, rec.url)
    if trafilatura_text:
        witnesses.append(trafilatura_text)
    else:
        stats.inc("extract/no_main_content")
    if rec.feed is not None and rec.feed.content:
        witnesses.append(html_to_text(rec.feed.content))
    return witnesses


def mark_main(blocks: list[Block], witnesses: list[str], stats: Stats) -> list[Block]:
    """Flag blocks whose text a witness kept as main content."""
    flags = [False] * len(blocks)
    keys = [_token_key(b.text) for b in blocks]
    for witness in witnesses:
        for i, hit in enumerate(_match_witness(keys, witness)):
            flags[i] = flags[i] or hit
    stats.inc("extract/main_blocks", sum(flags))
    return [_with_main(b, flag) for b, flag in zip(blocks, flags)]


def _with_main(block: Block, main: bool) -> Block:
    return block if block.main == main else _replace_block(block, main=main)


def _replace_block(block: Block, **changes) -> Block:
    return dataclasses.replace(block, **changes)


def main_content_text(html: str, url: str | None = None) -> str:
    """trafilatura's main content (one call per page), as plain text; "" when it finds none."""
    import trafilatura

    try:
        result = trafilatura.bare_extraction(html, url=url, include_comments=False, with_metadata=False, fast=True)
    except Exception:  # noqa: BLE001 - trafilatura may fail on odd markup; blocks stay non-main
        return ""
    if result is None or result.body is None:
        return ""
    return " \n ".join(" ".join(el.itertext()) for el in result.body)


def html_to_text(html: str) -> str:
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(html)
    root = tree.body or tree.root
    return root.text(deep=True, separator=" ") if root is not None else ""


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(unicodedata.normalize("NFKC", text).casefold())


def _token_key(text: str) -> str:
    tokens = _tokens(text)
    return f" {' '.join(tokens)} " if tokens else ""


def _match_witness(keys: list[str], witness_text: str) -> list[bool]:
    """Align block keys with the witness text, each witness token used at most once.

    Blocks are looked up in order from where the previous match ended; a long block may
    also match earlier text, and, once every verbatim match is taken, partly (share of its
    token trigrams still unused in the witness); a short one must sit right where the
    witness continues. Using each
    witness token once keeps hidden or repeated copies of the body (meta divs, teasers
    quoting the lead) from being marked main a second time.
    """
    witness = _WitnessIndex(_tokens(witness_text))
    hits = []
    for key in keys:  # pass 1: whole blocks found verbatim
        tokens = key.split()
        if not tokens:
            hits.append(False)
            continue
        if len(tokens) < _SHORT_BLOCK_TOKENS:
            start = witness.find(key, witness.cursor, max_gap=_SHORT_BLOCK_GAP)
        else:
            start = witness.find(key, witness.cursor)
            if start < 0:
                start = witness.find(key, 0)
        if start >= 0:
            witness.consume(start, len(tokens))
        hits.append(start >= 0)
    for i, key in enumerate(keys):  # pass 2: long blocks mostly made of witness text left unused
        tokens = key.split()
        if not hits[i] and len(tokens) >= _SHORT_BLOCK_TOKENS:
            hits[i] = witness.partial(tokens) >= _MIN_SHINGLE_COVERAGE
    return hits


class _WitnessIndex:
    """Token string of a witness, which tokens are used, and the trigrams still unused."""

    def __init__(self, tokens: list[str]):
        self.tokens = tokens
        self.text = f" {' '.join(tokens)} " if tokens else ""
        self.starts = []  # char offset (in self.text) of each token's leading space
        offset = 0
        for token in tokens:
            self.starts.append(offset)
            offset += len(token) + 1
        self.used = bytearray(len(tokens))
        self.trigrams = Counter(_ngrams(tokens))
        self.cursor = 0  # token index after the last in-order match

    def find(self, key: str, from_token: int, max_gap: int | None = None) -> int:
        """Token index of the first unused occurrence of `key` at or after `from_token`."""
        if not self.text:
            return -1
        n = key.count(" ") - 1
        pos = self.starts[from_token] if from_token < len(self.starts) else len(self.text)
        end = len(self.text)
        if max_gap is not None:  # the key may only start within max_gap tokens of from_token
            last = from_token + max_gap + n
            end = self.starts[last] + 1 if last < len(self.starts) else len(self.text)
        while True:
            pos = self.text.find(key, pos, end)
            if pos < 0:
                return -1
            index = bisect_left(self.starts, pos)
            if not any(self.used[index:index + n]):
                return index
            pos += 1

    def consume(self, start: int, n: int) -> None:
        for i in range(start, start + n):
            self.used[i] = 1
        for gram in _ngrams(self.tokens[start:start + n]):
            if self.trigrams[gram] > 0:
                self.trigrams[gram] -= 1
        if start >= self.cursor:
            self.cursor = start + n

    def partial(self, tokens: list[str]) -> float:
        """Share of the block's trigrams still unused in the witness; uses them when high."""
        grams = list(_ngrams(tokens))
        present = [g for g in grams if self.trigrams.get(g, 0) > 0]
        share = len(present) / len(grams)
        if share >= _MIN_SHINGLE_COVERAGE:
            for gram in present:
                self.trigrams[gram] -= 1
        return share


def _ngrams(tokens: list[str], n: int = 3) -> Iterable[tuple[str, ...]]:
    if len(tokens) < n:
        return [tuple(tokens)] if tokens else []
    return (tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1))


# ------------------------------------------------------------------ page metadata

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
        canonical = urljoin(url, canonical)
    if canonical and not canonical.startswith(("http://", "https://")):
        canonical = None

    published, source = None, None
    for value, where in ((entity.get("datePublished"), "jsonld"),
                         (_first(metas, _PUBLISHED_META), "meta"),
                         (_time_datetime(tree), "time")):
        published = parse_datetime(value)
        if published:
            source = where
            break
    modified = parse_datetime(entity.get("dateModified")) or parse_datetime(_first(metas, _MODIFIED_META))
    if published is None and html:
        published = _htmldate(html, url)
        source = "htmldate" if published else None

    return PageMeta(
        title=_clean(metas.get("og:title")) or _clean(_jsonld_text(entity.get("headline")))
        or _clean(title_node.text() if title_node else None) or _clean(metas.get("twitter:title")),
        h1=_clean(h1_node.text(separator=" ") if h1_node else None),
        site_name=_clean(metas.get("og:site_name")) or _publisher_name(entity, graph)
        or _clean(metas.get("application-name")),
        canonical_url=canonical,
        html_lang=_clean((html_node.attributes.get("lang") or html_node.attributes.get("xml:lang"))
                         if html_node is not None else None)
        or _clean(metas.get("content-language")) or _clean(metas.get("og:locale")),
        description=_clean(metas.get("og:description")) or _clean(metas.get("description")),
        published=published,
        modified=modified,
        date_source=source,
        authors=_authors(entity, metas, tree),
        page_type=_page_type(entity) or _clean(metas.get("og:type")),
    )


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


def _time_datetime(tree) -> str | None:
    for selector in ("article time[datetime]", "main time[datetime]", "time[datetime]"):
        node = tree.css_first(selector)
        if node is not None:
            return node.attributes.get("datetime")
    return None


def _htmldate(html: str, url: str | None) -> datetime | None:
    """htmldate without its extensive search: fast and offline."""
    try:
        from htmldate import find_date

        found = find_date(html, url=url, extensive_search=False, original_date=True)
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
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=timezone.utc)
    return parsed.astimezone(timezone.utc)


def _clean(value: str | None) -> str | None:
    if not isinstance(value, str):
        return None
    cleaned = " ".join(value.split())
    return cleaned or None


# ------------------------------------------------------------------ URLs and sites

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


def _trusted_canonical(canonical: str | None, url: str | None) -> str | None:
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
