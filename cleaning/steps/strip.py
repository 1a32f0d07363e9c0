"""Pass 2: mark the blocks the site model or the document itself shows to be boilerplate.

Marked blocks (`Block.stripped`, with their Reason) stay in place for split to read; they
never reach the body. A block is marked when it is
- frequent on its site (document frequency ≥ the site threshold of the model), by its
  text or by its template ("The post <title> appeared first on <site>."),
- a repeat of an earlier block of the same document (the first copy stays), or
- a short run sandwiched between removed blocks.

Safeguards keep what belongs to this release even when it shows up elsewhere: its own
title, h1, lead and quotes (a title is a teaser on other pages, a quote a citation),
and a lone frequent line inside the body. A document that would lose most of its text
is flagged "gutted" and keeps its body.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pyarrow as pa

from cleaning.lexicon import cue_languages, load_lexicon
from cleaning.core.options import CleanOptions
from cleaning.core.schema import BOILERPLATE_SCHEMA, HINT_REASONS, Block, BlockKind, Document, Hint, Reason
from cleaning.steps.sitemodel import SiteModel, fingerprint, is_pattern_key, normalise
from cleaning.core.stats import Stats
from cleaning.core.text import ends_with_ellipsis, has_email, has_phone

# A frequent block in at least this share of its site's documents is chrome wherever it
# stands; below it, it must also sit next to other removed blocks (teaser lists do,
# a shared quote or a "Read the full report." inside the body does not).
STRONG_SHARE = 0.3
# A template (same first and last words, varying middle) must cover this share of the
# site: the feed footer is on every page; two sentences sharing their ends are not chrome.
PATTERN_MIN_SHARE = 0.3
SANDWICH_MAX_BLOCKS = 3
SANDWICH_MAX_CHARS = 160
SENTENCE_MIN_WORDS = 10  # a run holding a full sentence this long is body, never sandwiched
TITLE_MAX_CHARS = 300
BODY_MIN_CHARS = 80  # a kept block this long is body text, not a label
# A title is a teaser on the few pages published after it; chrome is on most pages. On a
# small site both can reach every page: a frequent headline over the body is then taken
# for the title only while it is on at most this many pages.
TITLE_MAX_PAGES = 10
GUTTED = "gutted"

_QUOTE_OPENERS = ("«", "“", '"', "„", "‘", "‹", "「")


# lexicon keys (cleaning/lexicon/<lang>.toml) that name a kind of chrome
_LEXICON_KEYS: dict[Reason, tuple[str, ...]] = {
    Reason.CONTACTS: ("contacts", "contact"),
    Reason.COOKIE: ("cookie", "cookies"),
    Reason.BANNER: ("banners", "banner"),
    Reason.SHARE: ("share", "share_lines"),
    Reason.FEED_FOOTER: ("feed_footer", "feed_footers", "footer"),
    Reason.TEASER: ("teasers", "teaser"),
    Reason.NAVIGATION: ("navigation", "nav"),
}
_PATTERN_REASONS = {Reason.FEED_FOOTER}  # their lexicon entries are regular expressions, not phrases


# ---------------------------------------------------------------- removal reasons


def _unnamed(pattern: str) -> str:
    """A template with its named groups made plain, so several can share one alternation."""
    return re.sub(r"\(\?P<\w+>", "(?:", pattern)


@dataclass(frozen=True)
class ChromeCues:
    """Lower-cased cue phrases per removal reason, from every language lexicon."""

    by_reason: tuple[tuple[Reason, tuple[str, ...]], ...]

    def __post_init__(self):
        # feed footers are templates (regular expressions naming the title and site), tried first:
        # the title they quote may hold any other cue word
        matchers = sorted(
            ((r, re.compile("|".join(_unnamed(c) for c in cues), re.I) if r in _PATTERN_REASONS else re.compile("|".join(map(re.escape, cues))))
             for r, cues in self.by_reason),
            key=lambda pair: pair[0] not in _PATTERN_REASONS)
        object.__setattr__(self, "_matchers", tuple(matchers))

    def reason(self, text: str) -> Reason | None:
        low = text.casefold()
        for reason, matcher in self._matchers:
            if matcher.search(low):
                return reason
        return None


@lru_cache(maxsize=8)
def load_chrome_cues(langs: tuple[str, ...] | None = None) -> ChromeCues:
    """Cue phrases of every language lexicon (a page's language is not known before the strip).

    Cached like the lexicons themselves: immutable package data, same answer every call.
    """
    cues: dict[Reason, set[str]] = {}
    for lang in langs if langs is not None else cue_languages():
        try:
            lex = load_lexicon(lang)
        except (FileNotFoundError, ValueError):
            continue
        for reason, keys in _LEXICON_KEYS.items():
            for key in keys:
                values = lex.get(key, ())
                if isinstance(values, dict):
                    values = values.get("cues", ())
                if isinstance(values, str):
                    values = [values]
                fold = (lambda v: v.strip()) if reason in _PATTERN_REASONS else (lambda v: v.casefold().strip())
                cues.setdefault(reason, set()).update(fold(v) for v in values if isinstance(v, str) and v.strip())
    return ChromeCues(tuple((r, tuple(sorted(c))) for r, c in cues.items() if c))


def text_reason(text: str, cues: ChromeCues, hints: tuple[Hint, ...] = ()) -> Reason | None:
    """The kind of chrome a removed text is, from lexicon cues, contact patterns and hints (core.schema.HINT_REASONS)."""
    reason = cues.reason(text)
    if reason is not None:
        return reason
    if len(text) < 400 and (has_phone(text) or has_email(text)):
        return Reason.CONTACTS
    if ends_with_ellipsis(text):
        return Reason.TEASER
    for hint in hints:
        if hint in HINT_REASONS:
            return HINT_REASONS[hint]
    return None


# ---------------------------------------------------------------- the step


@dataclass(frozen=True)
class _Decision:
    drop: bool
    basis: str = ""  # site / pattern / repeat / sandwich


def _own_titles(doc: Document) -> set[str]:
    meta = doc.meta
    candidates = [doc.title, meta.title, meta.h1, doc.feed.title if doc.feed else None]
    return {n for n in (normalise(t) for t in candidates if t) if n}


def _own_texts(doc: Document) -> set[str]:
    meta = doc.meta
    candidates = [doc.lead, meta.description, doc.feed.summary if doc.feed else None]
    return {n for n in (normalise(t) for t in candidates if t) if n}


def _is_own_title(norm: str, titles: set[str]) -> bool:
    # "Monde. <title>" on its own page is the title with its kicker
    return any(norm == t or (len(t) >= 20 and norm.endswith(t)) for t in titles)


def _is_sentence(text: str) -> bool:
    return (text.endswith((".", "!", "?", "»", "”", '"')) and not ends_with_ellipsis(text)
            and len(text.split()) >= SENTENCE_MIN_WORDS)


def _is_quote(block: Block) -> bool:
    return block.kind == BlockKind.QUOTE or block.text.lstrip().startswith(_QUOTE_OPENERS)


def _is_h1(block: Block) -> bool:
    return bool(block.dom_path) and block.dom_path.rsplit("/", 1)[-1] == "h1" and block.main


def _headline_shaped(block: Block) -> bool:
    """Short, not a sentence (no final period, colon or ellipsis), not a quote; in HTML a heading."""
    text = block.text.strip()
    return (len(text) <= TITLE_MAX_CHARS and not text.endswith((".", ":", "…")) and not _is_quote(block)
            and (block.dom_path is None or block.kind == BlockKind.HEADING))


def _title_before_body(blocks: list[Block], texts: list[str], norms: list[str], basis: list[str],
                       share: list[float], candidate: list[bool], repeat: list[bool], site_docs: int) -> int | None:
    """The frequent headline standing just before the first body paragraph: this page's own title.

    A release title is a teaser on the pages published after it, so it is frequent; on its
    own page it heads the body (possibly with a lead that teasers quote as their snippet).
    """
    n = len(blocks)
    first = next((j for j in range(n) if not candidate[j] and not repeat[j] and len(texts[j]) >= BODY_MIN_CHARS
                  and not _headline_shaped(blocks[j])), None)
    if first is None:
        return None
    skipped = 0
    for i in range(first - 1, -1, -1):
        if not norms[i]:
            continue
        if repeat[i] or not candidate[i]:
            return None  # a kept line heads the body: the title, if any, is not at risk
        if _headline_shaped(blocks[i]):
            weak = basis[i] == "site" and share[i] < STRONG_SHARE
            return i if weak or round(share[i] * site_docs) <= TITLE_MAX_PAGES else None
        if basis[i] == "site" and share[i] < STRONG_SHARE and skipped < 2:
            skipped += 1  # a lead paragraph that teasers elsewhere show as their snippet
            continue
        return None
    return None


def _mark_repeats(norms: list[str], texts: list[str], main: list[bool], min_chars: int,
                  keep_main_copies: bool = False) -> list[bool]:
    """Other copies of a block; a short copy goes too when it is part of a repeated run.

    With `keep_main_copies` (one HTML page, no site model) a copy the main-content witness itself
    holds twice stays: the witness aligns each of its tokens once, so both copies being main
    means the article repeats the line (a meal plan's "1 tsp. nut butter" under each day).
    """
    first: dict[str, int] = {}
    for i, n in enumerate(norms):
        if n and (n not in first or (main[i] and not main[first[n]])):
            first[n] = i  # the first copy in the main content, else the first copy
    later = [bool(n) and first[n] != i and not (keep_main_copies and main[i] and main[first[n]])
             for i, n in enumerate(norms)]
    repeat = [later[i] and len(texts[i]) >= min_chars for i in range(len(norms))]
    changed = True
    while changed:
        changed = False
        for i in range(len(norms)):
            if later[i] and not repeat[i] and (
                    (i > 0 and repeat[i - 1]) or (i + 1 < len(norms) and repeat[i + 1])):
                repeat[i] = changed = True
    return repeat


def strip_boilerplate(doc: Document, model: SiteModel, opts: CleanOptions, stats: Stats,
                      cues: ChromeCues | None = None) -> Document:
    blocks = doc.blocks
    if not blocks:
        return doc
    cues = cues if cues is not None else load_chrome_cues()
    entry = model.entry(doc.site)
    n = len(blocks)
    texts = [b.text.strip() for b in blocks]
    prints = [fingerprint(b) for b in blocks]
    norms = [fp.norm for fp in prints]
    keys = [(fp.text_key, fp.pattern_key) for fp in prints]
    repeat = _mark_repeats(norms, texts, [b.main for b in blocks], opts.repeat_min_chars,
                           keep_main_copies=entry.docs <= 1 and any(b.dom_path for b in blocks))

    # frequent on the site, by text or by template
    share = [0.0] * n
    basis = [""] * n
    for i, (tkey, pkey) in enumerate(keys):
        tc = entry.count(tkey)
        if tc >= entry.threshold:
            share[i], basis[i] = tc / entry.docs, "site"
            continue
        pc = entry.count(pkey)
        if pc >= entry.threshold and pc / entry.docs >= PATTERN_MIN_SHARE:
            share[i], basis[i] = pc / entry.docs, "pattern"

    # this release's own title: from metadata, or named by its own templated footer
    titles = _own_titles(doc)
    templated = [norms[i] for i in range(n) if basis[i] == "pattern"]
    for i in range(n):
        if basis[i] == "site" and len(norms[i]) >= 20 and any(norms[i] in t for t in templated):
            titles.add(norms[i])  # "The post <this line> appeared first on ..."
    own = _own_texts(doc)
    protected = [_is_h1(b) or _is_own_title(norms[i], titles) or norms[i] in own
                 for i, b in enumerate(blocks)]

    candidate = [bool(basis[i]) and not protected[i] for i in range(n)]

    def kept_body(j: int) -> bool:
        return 0 <= j < n and not candidate[j] and not repeat[j] and bool(norms[j])

    drop = [False] * n
    why = [""] * n
    title_at = _title_before_body(blocks, texts, norms, basis, share, candidate, repeat, entry.docs)
    for i in range(n):
        if repeat[i]:
            drop[i], why[i] = True, "repeat"
            continue
        if not candidate[i]:
            continue
        if basis[i] == "site":
            weak = share[i] < STRONG_SHARE
            if (_is_quote(blocks[i]) and not ends_with_ellipsis(texts[i])  # a teaser snippet may open with «
                    and (weak or kept_body(i - 1) or kept_body(i + 1))):
                continue  # a quote cited by a few other releases
            if i == title_at:
                continue  # the title just before the body: a teaser on other pages
            if weak and (kept_body(i - 1) or kept_body(i + 1)):
                continue  # a lone line inside the body
        drop[i], why[i] = True, basis[i]

    _drop_sandwiched(texts, protected, drop, why)
    gutted = _would_gut(blocks, texts, norms, drop, why, opts.max_body_loss)
    flags = list(doc.quality_flags)
    if gutted:
        for k in range(n):
            if drop[k] and why[k] != "repeat" and blocks[k].main:  # chrome outside the main content still goes
                drop[k], why[k] = False, ""
        if GUTTED not in flags:
            flags.append(GUTTED)
        stats.inc("strip/gutted")

    if not any(drop):
        return doc if flags == doc.quality_flags else doc.replace(quality_flags=flags)
    reasons = _reasons(blocks, texts, norms, drop, why, titles, cues)
    marked = [dataclasses.replace(b, stripped=Reason(reasons[k])) if drop[k] else b for k, b in enumerate(blocks)]
    stats.inc("strip/blocks_removed", sum(drop))
    stats.inc("strip/chars_removed", sum(len(texts[k]) for k in range(n) if drop[k]))
    for k in range(n):
        if drop[k]:
            stats.inc(f"strip/removed/{reasons[k]}")
    return doc.replace(blocks=marked, quality_flags=flags)


def _drop_sandwiched(texts: list[str], protected: list[bool], drop: list[bool], why: list[str]) -> None:
    """Short runs between removed blocks go too ("+33 6 ..." inside a contact block)."""
    n, i = len(texts), 0
    while i < n:
        if drop[i]:
            i += 1
            continue
        j = i
        while j < n and not drop[j]:
            j += 1
        run = range(i, j)
        if (i > 0 and j < n and len(run) <= SANDWICH_MAX_BLOCKS
                and sum(len(texts[k]) for k in run) <= SANDWICH_MAX_CHARS
                and not any(protected[k] or _is_sentence(texts[k]) for k in run)):
            for k in run:
                drop[k], why[k] = True, "sandwich"
        elif i > 0 and j == n and len(run) == 1 and ends_with_ellipsis(texts[i]) and not protected[i]:
            drop[i], why[i] = True, "sandwich"  # the last teaser's cut snippet, after its stripped title
        i = j


def _would_gut(blocks: list[Block], texts: list[str], norms: list[str], drop: list[bool], why: list[str],
               max_loss: float) -> bool:
    """Would the page lose more than `max_loss` of its distinct main-content characters?"""
    seen: set[str] = set()
    main_chars = lost_chars = 0
    for k, block in enumerate(blocks):
        if not block.main or not norms[k] or norms[k] in seen or why[k] == "repeat":
            continue
        seen.add(norms[k])
        main_chars += len(texts[k])
        if drop[k]:
            lost_chars += len(texts[k])
    return bool(main_chars) and lost_chars > max_loss * main_chars


_BASIS_REASON = {"site": Reason.SITE_BOILERPLATE, "pattern": Reason.SITE_BOILERPLATE,
                 "repeat": Reason.REPEAT, "sandwich": Reason.SANDWICHED}


def _reasons(blocks: list[Block], texts: list[str], norms: list[str], drop: list[bool], why: list[str],
             titles: set[str], cues: ChromeCues) -> list[str]:
    """One Reason per removed block: its cue, else its neighbours' in the same removed run, else its basis."""
    n = len(blocks)
    found: list[Reason | None] = [None] * n
    for k in range(n):
        if not drop[k]:
            continue
        found[k] = text_reason(texts[k], cues, blocks[k].hints)
        if found[k] is None and _is_own_title(norms[k], titles):
            found[k] = Reason.TITLE
        if found[k] is None and why[k] == "pattern" and any(len(t) >= 20 and t in norms[k] for t in titles):
            found[k] = Reason.FEED_FOOTER  # a template naming this release's title
    for k in range(n):
        if not drop[k] or found[k] is not None:
            continue
        prev = found[k - 1] if k > 0 and drop[k - 1] else None
        nxt = found[k + 1] if k + 1 < n and drop[k + 1] else None
        if prev == Reason.CONTACTS and nxt == Reason.CONTACTS:
            found[k] = Reason.CONTACTS  # "For interviews:" between a contact heading and a phone
        elif prev == Reason.CONTACTS and texts[k].rstrip().endswith(":"):
            found[k] = Reason.CONTACTS
        elif nxt == Reason.TEASER and len(texts[k]) <= TITLE_MAX_CHARS:
            found[k] = Reason.TEASER  # a teaser's title, before its cut snippet
    return [(found[k] or _BASIS_REASON.get(why[k], Reason.SITE_BOILERPLATE)).value if drop[k] else ""
            for k in range(n)]


# ---------------------------------------------------------------- audit


def boilerplate_table(model: SiteModel, cues: ChromeCues | None = None) -> pa.Table:
    """Every frequent fingerprint per site, with a sample text and a reason (BOILERPLATE_SCHEMA)."""
    cues = cues if cues is not None else load_chrome_cues()
    rows = []
    for site in sorted(model.sites):
        entry = model.sites[site]
        pairs = list(zip(entry.keys.tolist(), entry.counts.tolist()))
        as_text = {(model.samples.get((site, k)), c) for k, c in pairs if not is_pattern_key(k)}
        for key, count in pairs:
            sample = model.samples.get((site, key))
            if is_pattern_key(key) and (count < PATTERN_MIN_SHARE * entry.docs or (sample, count) in as_text):
                continue  # a template that never applies, or one line already listed by its text
            reason = (text_reason(sample, cues) if sample else None) or Reason.SITE_BOILERPLATE
            rows.append({"site": site, "fingerprint": f"{key:016x}", "text": sample, "doc_count": count,
                         "site_docs": entry.docs, "reason": reason.value})
    rows.sort(key=lambda r: (r["site"], -r["doc_count"], r["fingerprint"]))
    return pa.Table.from_pylist(rows, schema=BOILERPLATE_SCHEMA)


def write_boilerplate(model: SiteModel, out_dir: Path) -> Path:
    """Merge the model's table into DIR/boilerplate/site_key=<site>/ (one commit, under the output's lock).

    `pressroom clean` writes it in the same commit as the articles instead (cleaning.pipeline.run_clean).
    """
    from cleaning.io.writers import write_table_partitions

    return write_table_partitions(boilerplate_table(model), Path(out_dir), "boilerplate", key=("site", "fingerprint"))
