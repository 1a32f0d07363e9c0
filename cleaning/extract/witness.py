"""Which blocks are main content: trafilatura (precision mode, cross-checked by its default mode
when it keeps little) says what the article is, the feed's content:encoded is a second witness,
and their text is aligned back to the blocks by normalised tokens, each witness token used once
so hidden or repeated copies of the body are not marked main twice.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable

from cleaning.extract.blocks import with_main
from cleaning.core.schema import Block, BlockKind, SourceRecord
from cleaning.core.stats import Stats
from cleaning.core.text import ends_with_ellipsis

_TOKEN = re.compile(r"\w+")
_SHORT_BLOCK_TOKENS = 4  # shorter blocks must match right where the witness continues
_SHORT_BLOCK_GAP = 2  # witness tokens a short block may skip over
_MIN_SHINGLE_COVERAGE = 0.6
CONTINUATION_MIN_MAIN = 3  # main paragraphs a DOM path needs before its other paragraphs count as main
CONTINUATION_MIN_CHARS = 80  # ... and only sentence-long ones (a label or a credit line stays out)
PRECISION_CHECK_TOKENS = 100  # a precision-mode witness this short is checked against the default run
PRECISION_MIN_SHARE = 0.5  # ... and replaced by it when it kept under this share of the default's tokens
PRECISION_PAGE_SHARE = 0.1  # a precision-mode witness holding under this share of the page's text is checked too


def main_witnesses(html: str, rec: SourceRecord, stats: Stats, page_tokens: int = 0) -> list[str]:
    """Texts that say what the main content is: trafilatura's, and the feed's content:encoded.

    `page_tokens`: the words of every block of the page, so a witness keeping a sliver of a
    long page is checked (see main_content_text)."""
    witnesses = []
    trafilatura_text = main_content_text(html, rec.url, page_tokens)
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
    cut = [ends_with_ellipsis(b.text) for b in blocks]
    for witness in witnesses:
        for i, hit in enumerate(_match_witness(keys, witness, cut)):
            flags[i] = flags[i] or hit
    stats.inc("extract/main_blocks", sum(flags))
    return [with_main(b, flag) for b, flag in zip(blocks, flags)]


def extend_main_along_paths(blocks: list[Block], stats: Stats) -> list[Block]:
    """Paragraphs on the very DOM path of several main paragraphs are main too.

    Sites cut the article into chunks around ads or sign-up boxes ("div.body/p", an ad, then
    "div.body/p" again) and trafilatura may keep only the first chunk. A hint-less,
    sentence-long paragraph on a path that already holds CONTINUATION_MIN_MAIN main
    paragraphs is the rest of the article; other paths (comments, teasers, bios) are untouched.
    """
    main_on_path = Counter(b.dom_path for b in blocks if b.main and b.dom_path and b.kind == BlockKind.PARAGRAPH)
    paths = {path for path, n in main_on_path.items() if n >= CONTINUATION_MIN_MAIN}
    if not paths:
        return blocks
    out = []
    for b in blocks:
        if (not b.main and b.dom_path in paths and b.kind == BlockKind.PARAGRAPH and not b.hints
                and len(b.text) >= CONTINUATION_MIN_CHARS):
            b = with_main(b, True)
            stats.inc("extract/main_continued")
        out.append(b)
    return out


def main_content_text(html: str, url: str | None = None, page_tokens: int = 0) -> str:
    """trafilatura's main content as plain text, in its precision mode; "" when it finds none.

    Precision mode drops the related-story blurbs and sign-up lines the default keeps, but
    on some layouts (long guides and lists cut into many sections) it keeps only a fragment:
    a result that is short (under PRECISION_CHECK_TOKENS) or holds a sliver of the page's text
    (under PRECISION_PAGE_SHARE of `page_tokens`) is checked against the default run, which
    wins when precision kept under half of it.
    """
    precise = _trafilatura_text(html, url, favor_precision=True)
    n_precise = len(_TOKEN.findall(precise))
    if n_precise >= PRECISION_CHECK_TOKENS and n_precise >= PRECISION_PAGE_SHARE * page_tokens:
        return precise
    # The check runs default mode twice: as is, and with trafilatura's fallback extractors, which
    # recover list-style articles its own pass keeps a fragment of (and sometimes keep less).
    default = max((_trafilatura_text(html, url, favor_precision=False, fast=fast) for fast in (True, False)),
                  key=lambda text: len(_TOKEN.findall(text)))
    return default if n_precise < PRECISION_MIN_SHARE * len(_TOKEN.findall(default)) else precise


def _trafilatura_text(html: str, url: str | None, favor_precision: bool, fast: bool = True) -> str:
    import trafilatura

    try:
        result = trafilatura.bare_extraction(html, url=url, include_comments=False, with_metadata=False, fast=fast,
                                             favor_precision=favor_precision)
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


def _match_witness(keys: list[str], witness_text: str, cut: list[bool] | None = None) -> list[bool]:
    """Align block keys with the witness text, each witness token used at most once.

    Blocks are looked up in order from where the previous match ended; a long block may
    also match earlier text, and, once every verbatim match is taken, partly (share of its
    token trigrams still unused in the witness); a short one must sit right where the
    witness continues. Using each
    witness token once keeps hidden or repeated copies of the body (meta divs, teasers
    quoting the lead) from being marked main a second time.
    """
    cut = cut or [False] * len(keys)
    witness = _WitnessIndex(_tokens(witness_text))
    hits = [False] * len(keys)
    # pass 1: whole blocks found verbatim, cut snippets ("...") last: a teaser card quoting
    # the title and the lead's first words must not take them from the page's own copies
    order = [i for i in range(len(keys)) if not cut[i]] + [i for i in range(len(keys)) if cut[i]]
    for i in order:
        key = keys[i]
        tokens = key.split()
        if not tokens:
            continue
        if len(tokens) < _SHORT_BLOCK_TOKENS:
            start = witness.find(key, witness.cursor, max_gap=_SHORT_BLOCK_GAP)
        else:
            start = witness.find(key, witness.cursor)
            if start < 0:
                start = witness.find(key, 0)
        if start >= 0:
            witness.consume(start, len(tokens))
        hits[i] = start >= 0
    for i in order:  # pass 2: long blocks mostly made of witness text left unused
        tokens = keys[i].split()
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
            if self.used.find(1, index, index + n) < 0:  # no token of this occurrence used yet
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
