"""Sentence boundaries in press prose: abbreviations and initials ("J. Smith") do not end a sentence,
and no split falls inside quoted text."""

from __future__ import annotations

import re

from cleaning.quotes.lexicon import QuoteLexicon, SPACES, fold_same_length

_TERMINATORS = ".!?…;"


def sentence_end(text: str, pos: int, hi: int, lex: QuoteLexicon) -> int:
    """Index of the first sentence terminator at or after pos (hi if none); abbreviations don't end sentences."""
    i = pos
    while i < hi:
        ch = text[i]
        if ch in _TERMINATORS:
            if ch == "." and _is_abbreviation(text, i, lex):
                i += 1
                continue
            if ch == "." and i + 1 < hi and text[i + 1].isdigit():
                i += 1
                continue
            return i
        if ch in "«“„" and i > pos:
            return i
        i += 1
    return hi


def _is_abbreviation(text: str, dot: int, lex: QuoteLexicon) -> bool:
    m = re.search(r"([\w.]+)$", text[:dot])
    if not m:
        return False
    word = m.group(1)
    if len(word) == 1 and word.isupper():
        return True  # an initial: "J. Smith"
    return fold_same_length(word).rstrip(".") in lex.abbreviations


def sentence_spans(text: str, guarded: list[tuple[int, int]], lex: QuoteLexicon) -> list[tuple[int, int]]:
    """(start, end) of each sentence; no split falls inside a guarded (quoted) range."""
    spans, start, i, n = [], 0, 0, len(text)
    while i < n:
        ch = text[i]
        if ch in ".!?…" and not any(a <= i < b for a, b in guarded):
            j = i + 1
            while j < n and text[j] in ".!?…»”\"’)":
                j += 1
            if j >= n or (text[j] in SPACES and not (ch == "." and _is_abbreviation(text, i, lex))):
                k = j
                while k < n and text[k] in SPACES:
                    k += 1
                if k >= n or text[k].isupper() or text[k] in "«“\"‘(" or text[k].isdigit():
                    spans.append((start, j))
                    start, i = k, k
                    continue
        i += 1
    if start < n and text[start:].strip():
        spans.append((start, n))
    return spans


def sentence_start(text: str, pos: int, lex: QuoteLexicon, floor: int = 0) -> int:
    i = pos
    while i > floor:
        ch = text[i - 1]
        if ch in ".!?…" and not (ch == "." and _is_abbreviation(text, i - 1, lex)):
            return i
        if ch in "»”\"" and i - 1 > floor and text[i - 2] in ".!?…" + SPACES:
            return i
        i -= 1
    return floor
