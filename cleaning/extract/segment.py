"""Document boundaries in a text dump that may hold many releases, one paragraph a line.

Three conventions, strongest first:
1. hard separators: a form feed, or a rule line ("=====", "-----", "*****");
2. the feed footer "The post <title> appeared first on <site>." closes a release and
   names the headline that opened it; teaser cards (a snippet cut with "…") after a
   footer still belong to the release before it, the next page's chrome to the next;
3. with no footer: the page's opening chrome line repeating, or blank-line runs, cut the
   dump, as long as every piece keeps real body text (lines met nowhere else in the dump).

Split the text with `text.split("\\n")`, not `splitlines()`, so form feeds survive as cues.
"""

from __future__ import annotations

import re
from collections import Counter

from cleaning.core.text import ends_with_ellipsis
from cleaning.extract.kicker import split_kicker
from cleaning.lexicon import Cues, cues, fold_cue

_RULE = re.compile(r"^\s*(?:={3,}|-{3,}|_{3,}|\*{3,}|(?:\* ){2,}\*)\s*$")
_SUBSTANTIVE_CHARS = 120  # a body line is at least this long ...
_SUBSTANTIVE_LINES = 2  # ... and a release has at least this many of them
_MIN_CHROME_RUN = 3  # a page break needs at least this many chrome lines between two releases' text


def _is_hard_separator(line: str) -> bool:
    return "\f" in line or "\x0c" in line or bool(_RULE.match(line))


def _hard_sections(lines: list[str]) -> list[tuple[int, int]]:
    sections, start = [], 0
    for i, line in enumerate(lines):
        if _is_hard_separator(line):
            sections.append((start, i))
            start = i + 1 if not line.replace("\f", "").strip() or _RULE.match(line) else i
    sections.append((start, len(lines)))
    return [(s, e) for s, e in sections if any(lines[j].replace("\f", "").strip() for j in range(s, e))]


def _footer_title_line(lines: list[str], lo: int, hi: int, title: str, lexicon: Cues) -> int | None:
    """The last line in [lo, hi) that is the headline a footer names (with or without its kicker)."""
    wanted = {fold_cue(title), fold_cue(split_kicker(title, lexicon)[1])}
    for j in range(hi - 1, lo - 1, -1):
        if fold_cue(lines[j]) in wanted or fold_cue(split_kicker(lines[j], lexicon)[1]) in wanted:
            return j
    return None


def _cut_after_tail(lines: list[str], lo: int, hi: int) -> int:
    """Where one page ends between a footer (before `lo`) and the next headline (at `hi`).

    Teasers after the footer belong to the page before: cut after the last snippet line,
    at the first blank line from there if there is one.
    """
    snippets = [j for j in range(lo, hi) if ends_with_ellipsis(lines[j])]
    base = snippets[-1] + 1 if snippets else lo
    for j in range(base, hi):
        if not lines[j].strip():
            return j
    return base


def _footer_pieces(lines: list[str], start: int, end: int, lexicon: Cues) -> list[tuple[int, int, tuple | None]]:
    """Pages closed by feed footers: (start, end, (headline index, footer index) or None)."""
    footers = [i for i in range(start, end) if lexicon.feed_footer(lines[i])]
    if not footers:
        return [(start, end, None)]
    titles, cuts = [], []
    previous = start - 1
    for k, footer in enumerate(footers):
        named = lexicon.feed_footer(lines[footer])
        title_at = _footer_title_line(lines, previous + 1, footer, named[0], lexicon) if named else None
        titles.append((title_at, footer) if title_at is not None else None)
        if k:
            cuts.append(_cut_after_tail(lines, previous + 1, title_at if title_at is not None else footer))
        previous = footer
    bounds = [start, *cuts, end]
    return [(a, b, t) for a, b, t in zip(bounds, bounds[1:], titles) if a < b]


def _substantive(lines: list[str], folded: list[str], counts: Counter, lo: int, hi: int) -> bool:
    """Does [lo, hi) hold release text: long lines met nowhere else, not teaser cards?"""
    found = 0
    for j in range(lo, hi):
        line = lines[j].strip()
        if len(line) < _SUBSTANTIVE_CHARS or counts[folded[j]] > 1 or ends_with_ellipsis(line):
            continue
        if j + 1 < hi and ends_with_ellipsis(lines[j + 1]):
            continue  # a teaser title
        found += 1
        if found >= _SUBSTANTIVE_LINES:
            return True
    return False


def _is_body_line(lines: list[str], folded: list[str], counts: Counter, j: int, hi: int) -> bool:
    """A line only this release has: long, met once in the dump, not a teaser card."""
    line = lines[j].strip()
    if len(line) < _SUBSTANTIVE_CHARS or counts[folded[j]] > 1 or ends_with_ellipsis(line):
        return False
    return not (j + 1 < hi and ends_with_ellipsis(lines[j + 1]))


def _is_page_head(line: str, folded_line: str, opener: str, lexicon: Cues) -> bool:
    """A line that opens a page's chrome: the dump's first line again, a donation banner, a contact heading."""
    return bool(folded_line) and (folded_line == opener or lexicon.is_banner(line) or lexicon.is_contact_heading(line))


def _soft_cuts(lines: list[str], folded: list[str], counts: Counter, lo: int, hi: int, lexicon: Cues) -> list[int]:
    """Candidate boundaries inside a footer-less stretch.

    Between two body lines, a run of chrome (lines repeated elsewhere in the dump, snippets,
    blanks) holding a page-head line is where one page ends and the next begins: cut at the
    first page-head line after the last teaser snippet. Failing that, blank-line runs cut.
    """
    nonblank = [j for j in range(lo, hi) if lines[j].strip()]
    if not nonblank:
        return []
    opener = folded[nonblank[0]]
    body = [j for j in range(lo, hi) if _is_body_line(lines, folded, counts, j, hi)]
    cuts: set[int] = set()
    def chrome(j: int) -> bool:
        return (not lines[j].strip() or counts[folded[j]] > 1 or ends_with_ellipsis(lines[j])
                or (j + 1 < hi and ends_with_ellipsis(lines[j + 1])))

    for a, b in zip(body, body[1:]):
        best: tuple[int, int] | None = None  # (run length, cut)
        j = a + 1
        while j < b:
            if not chrome(j):
                j += 1
                continue
            k = j
            while k < b and chrome(k):
                k += 1
            snippets = [x for x in range(j, k) if ends_with_ellipsis(lines[x])]
            start = snippets[-1] + 1 if snippets else j
            heads = [x for x in range(start, k) if _is_page_head(lines[x], folded[x], opener, lexicon)]
            blanks = [x for x in range(start, k) if not lines[x].strip()]
            cut = start if heads else (blanks[0] if blanks else None)
            if cut is not None and k - j >= _MIN_CHROME_RUN and (best is None or k - j > best[0]):
                best = (k - j, cut)
            j = k
        if best:
            cuts.add(best[1])
    if cuts:
        return sorted(cuts)
    blank_runs = []
    j = lo
    while j < hi:
        if not lines[j].strip():
            k = j
            while k < hi and not lines[k].strip():
                k += 1
            if j > lo and k < hi:
                blank_runs.append((j, k - j))
            j = k
        else:
            j += 1
    rare_blanks = len(blank_runs) * 4 <= len(nonblank)
    return sorted(j for j, size in blank_runs if size >= 2 or rare_blanks)


def _soft_pieces(lines: list[str], folded: list[str], counts: Counter, lo: int, hi: int,
                 keep_whole: tuple[int, int] | None = None) -> list[tuple[int, int]]:
    """Split [lo, hi) at soft cuts (none inside `keep_whole`), then fold pieces without body text into a neighbour."""
    cuts = [c for c in _soft_cuts(lines, folded, counts, lo, hi, cues())
            if keep_whole is None or not keep_whole[0] < c <= keep_whole[1]]
    bounds = [lo, *cuts, hi]
    pieces = [(a, b) for a, b in zip(bounds, bounds[1:]) if a < b]
    merged: list[list[int]] = []
    carry: int | None = None  # start of chrome waiting for the next release
    for a, b in pieces:
        if _substantive(lines, folded, counts, a, b):
            merged.append([carry if carry is not None else a, b])
            carry = None
        elif merged and (carry is None) and any(ends_with_ellipsis(lines[j]) for j in range(a, b)):
            merged[-1][1] = b  # teasers and tail chrome belong to the release before
        elif carry is None:
            carry = a
    if carry is not None:
        if merged:
            merged[-1][1] = hi
        else:
            merged.append([carry, hi])
    if not merged:
        return [(lo, hi)]
    merged[0][0] = lo
    for left, right in zip(merged, merged[1:]):
        left[1] = right[0]
    merged[-1][1] = hi
    return [(a, b) for a, b in merged]


def segment_dump(lines: list[str]) -> list[tuple[int, int]]:
    """Line ranges [start, end) of the releases in a dump, in order; one range for a one-release dump."""
    if not any(line.strip() for line in lines):
        return []
    lexicon = cues()
    folded = [fold_cue(line) if line.strip() else "" for line in lines]
    counts = Counter(f for f in folded if f)
    ranges: list[tuple[int, int]] = []
    for start, end in _hard_sections(lines):
        for lo, hi, release in _footer_pieces(lines, start, end, lexicon):
            # From the headline to its footer is one release; a footer-less one may hide before or after it.
            ranges.extend(_soft_pieces(lines, folded, counts, lo, hi, keep_whole=release))
    return [(a, b) for a, b in ranges if any(lines[j].strip() for j in range(a, b))]
