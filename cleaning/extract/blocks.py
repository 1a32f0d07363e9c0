"""The block walk: every text block of an HTML page, in document order, with DOM path and hints.

Choices worth knowing:
- Hints come from ancestors' tags, roles and class / id tokens (HINT_CUES); the cues of
  elements that turn out to hold most of the main text ("has-sidebar", "Page-ad-margins"
  wrappers) are dropped once `main` is known, so the body does not look like chrome.
- A run of inline text is one block; `<br>` becomes "\n" inside it, two `<br>` in a row
  end the block (address-like contact blocks keep their lines).
- Kickers (`<span class="kicker">Monde</span>` inside a title or teaser card) become their
  own small block, placed just before the block they label, with the hint "kicker", so
  the title block's text is the bare title and the kicker is still recoverable.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from urllib.parse import urljoin

from cleaning.core.schema import Block, BlockKind, Hint

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
_LANDMARK_TAGS = {"header": Hint.HEADER, "nav": Hint.NAV, "footer": Hint.FOOTER, "aside": Hint.ASIDE, "form": Hint.FORM}
_LANDMARK_ROLES = {
    "banner": Hint.HEADER, "navigation": Hint.NAV, "contentinfo": Hint.FOOTER, "complementary": Hint.ASIDE,
    "search": Hint.SEARCH, "dialog": Hint.DIALOG, "alertdialog": Hint.DIALOG, "alert": Hint.BANNER,
}
#: class / id tokens -> hints (tokens come from splitting class names on "-", "_" and spaces;
#: whole class names are looked up too, so "pullquote" and "pull-quote" both match)
HINT_CUES: dict[str, tuple[Hint, ...]] = {
    **dict.fromkeys(("header", "masthead", "topbar", "top-bar"), (Hint.HEADER,)),
    **dict.fromkeys(("nav", "navbar", "navigation", "menu", "menus", "submenu"), (Hint.NAV,)),
    **dict.fromkeys(("breadcrumb", "breadcrumbs", "ariane"), (Hint.NAV, Hint.BREADCRUMB)),
    **dict.fromkeys(("footer", "colophon", "copyright", "site-info"), (Hint.FOOTER,)),
    **dict.fromkeys(("sidebar", "aside"), (Hint.ASIDE,)),
    **dict.fromkeys(("teaser", "teasers", "tile", "tiles"), (Hint.TEASER,)),
    **dict.fromkeys(("card", "cards"), (Hint.TEASER, Hint.CARD)),
    **dict.fromkeys(("related", "latest", "recent", "popular", "trending", "most-read", "more-news",
                     "read-more", "also", "similar", "suggested", "recommended", "a-lire"), (Hint.TEASER, Hint.RELATED)),
    **dict.fromkeys(("cookie", "cookies", "consent", "gdpr", "rgpd", "tarteaucitron", "cookielaw",
                     "cookie-notice", "cmp"), (Hint.COOKIE,)),
    **dict.fromkeys(("banner", "bandeau", "notice", "promo", "cta", "appeal", "support-us"), (Hint.BANNER,)),
    **dict.fromkeys(("donate", "donation", "donations", "don", "dons", "faire-un-don", "give"), (Hint.BANNER, Hint.DONATE)),
    **dict.fromkeys(("newsletter", "subscribe", "signup", "sign-up", "inscription"), (Hint.NEWSLETTER,)),
    **dict.fromkeys(("contact", "contacts", "press-contact", "media-contact", "journalistes"), (Hint.CONTACT,)),
    **dict.fromkeys(("lead", "lede", "leadin", "standfirst", "chapo", "chapeau", "intro", "deck", "dek",
                     "subheadline", "sub-headline"), (Hint.LEAD,)),
    **dict.fromkeys(("excerpt", "snippet", "summary", "resume"), (Hint.SNIPPET,)),
    **dict.fromkeys(("pullquote", "pull-quote", "pullquotes", "exergue", "citation-exergue",
                     "highlight-quote"), (Hint.PULLQUOTE,)),
    **dict.fromkeys(("share", "sharing", "social", "addtoany", "sharedaddy", "partage", "share-buttons"), (Hint.SHARE,)),
    **dict.fromkeys(("byline", "author", "authors", "auteur", "posted-by"), (Hint.BYLINE,)),
    **dict.fromkeys(("date", "dateline", "published", "posted-on", "time", "timestamp"), (Hint.DATE,)),
    **dict.fromkeys(("kicker", "surtitre", "sur-titre", "overline", "eyebrow"), (Hint.KICKER,)),
    **dict.fromkeys(("title", "headline", "titre"), (Hint.TITLE,)),
    **dict.fromkeys(("tags", "tag-links", "cat-links", "taxonomy", "post-tags"), (Hint.TAGS,)),
    **dict.fromkeys(("comment", "comments", "respond", "disqus", "commentaires"), (Hint.COMMENTS,)),
    **dict.fromkeys(("ad", "ads", "advert", "advertisement", "adsbygoogle", "sponsored", "sponsor"), (Hint.AD,)),
    **dict.fromkeys(("notes", "endnotes", "footnotes", "complement"), (Hint.NOTES,)),
    **dict.fromkeys(("mobile",), (Hint.MOBILE,)),
    **dict.fromkeys(("desktop",), (Hint.DESKTOP,)),
    **dict.fromkeys(("search", "searchform", "search-form"), (Hint.SEARCH,)),
}
#: cues matched on whole class names only: as tokens they would catch "hidden-xs" (visible
#: on large screens) or WordPress's per-post "category-<slug>" class on <article>
WHOLE_CLASS_CUES: dict[str, tuple[Hint, ...]] = {
    **dict.fromkeys(("screen-reader-text", "sr-only", "visually-hidden", "visuallyhidden", "hidden",
                     "skip-link", "d-none"), (Hint.HIDDEN,)),
    **dict.fromkeys(("category", "categorie", "rubrique", "post-category", "entry-category", "card-category",
                     "section-label"), (Hint.KICKER,)),
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
_CHROME_HINTS = frozenset((Hint.HEADER, Hint.NAV, Hint.FOOTER, Hint.ASIDE, Hint.COOKIE, Hint.BANNER, Hint.TEASER,
                           Hint.SHARE, Hint.HIDDEN, Hint.FORM, Hint.COMMENTS, Hint.AD, Hint.DIALOG, Hint.SEARCH,
                           Hint.NEWSLETTER, Hint.BREADCRUMB, Hint.CONTACT, Hint.BYLINE, Hint.DATE, Hint.TAGS,
                           Hint.KICKER, Hint.TITLE, Hint.ARTICLE_FOOTER))
_IN_ARTICLE = {Hint.HEADER: Hint.ARTICLE_HEADER, Hint.FOOTER: Hint.ARTICLE_FOOTER}
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
    return walk_page(tree, base_url).blocks


def walk_page(tree, base_url: str | None) -> "BlockWalker":
    """The walker after the walk: its blocks, and the provenance settle_hints and guess_main need."""
    walker = BlockWalker(base_url)
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


class BlockWalker:
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
        if Hint.KICKER in cues:
            self._kicker(node, tag, attrs, ctx, link)
            return
        if tag == "time":
            cues = (*cues, Hint.DATE)
            if self._after_link_sibling(node):  # a card's "<a>Title</a><time>Date</time>": two fields, two blocks
                self.flush()
                self._inline_run(node, ctx, link, cues)
                self.flush()
                return
        self._inline_run(node, ctx, link, cues)

    def _after_link_sibling(self, node) -> bool:
        """The element comes right after a link that makes up the run so far (a teaser's title)."""
        prev = node.prev
        while prev is not None and prev.tag == "-text" and not (prev.text_content or "").strip():
            prev = prev.prev
        return (prev is not None and prev.tag == "a" and self.run_chars > 0
                and sum(self.links.values()) >= 0.6 * self.run_chars)

    def _inline_run(self, node, ctx: _Context, link: str | None, cues: tuple[str, ...]) -> None:
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
        text = norm_space(node.text(deep=True, separator=" "))
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
        if in_article and own & _IN_ARTICLE.keys():  # <header class="entry-header"> is the article's own
            own = frozenset(_IN_ARTICLE.get(h, h) for h in own)
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
        own: set[Hint] = set(cues)
        role = (attrs.get("role") or "").lower()
        landmark = _LANDMARK_TAGS.get(tag) or _LANDMARK_ROLES.get(role)
        if landmark:
            own.add(landmark)
        if "hidden" in attrs or (attrs.get("aria-hidden") or "").lower() == "true" or \
                _DISPLAY_NONE.search(attrs.get("style") or ""):
            own.add(Hint.HIDDEN)
        kind = _KIND_BY_TAG.get(tag)
        if tag in ("aside", "figure", "div") and _QUOTE_CLASS_TOKENS & tokens:
            kind = BlockKind.QUOTE
            if tag != "div" or Hint.PULLQUOTE in own:
                own.add(Hint.PULLQUOTE)
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
        return [with_main(b, inside and not _CHROME_HINTS & set(b.hints))
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

    def _cues(self, attrs: dict) -> tuple[Hint, ...]:
        return self._cues_and_tokens(attrs)[0]

    def _cues_and_tokens(self, attrs: dict) -> tuple[tuple[Hint, ...], frozenset[str]]:
        """Hints from class / id, and the class tokens, once per distinct class+id string."""
        if not attrs:
            return (), frozenset()
        key = f"{attrs.get('class') or ''}|{attrs.get('id') or ''}"
        if key == "|":
            return (), frozenset()
        cached = self.cue_cache.get(key)
        if cached is None:
            found: set[Hint] = set()
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


def norm_space(text: str) -> str:
    """Single spaces, no line breaks: a kicker's or a dump line's text."""
    return " ".join(text.split())


def _norm_block_text(text: str) -> str:
    if "\n" not in text:
        return " ".join(text.split())
    lines = (_WS.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def with_main(block: Block, main: bool) -> Block:
    return block if block.main == main else _replace_block(block, main=main)


def _replace_block(block: Block, **changes) -> Block:
    return dataclasses.replace(block, **changes)
