"""Quoted spans of a paragraph: guillemets, curly and straight quotes, told apart from apostrophes."""

from __future__ import annotations

import re
from dataclasses import dataclass

from cleaning.quotes.lexicon import QuoteLexicon, SPACES, fold_same_length, is_capitalised, words_in

_OPENERS = {"«": "»", "“": "”\"", "„": "“”", '"': '"', "‘": "’", "'": "'", "‹": "›"}


def strip_marks(text: str) -> str:
    """The words without their quote marks (apostrophes stay)."""
    for opener in [i for i, ch in enumerate(text) if ch in "‘'"][::-1]:
        if (opener == 0 or not text[opener - 1].isalnum()):
            close = _single_close(text, opener)
            if close is not None:
                text = text[:opener] + text[opener + 1:close] + text[close + 1:]
    text = re.sub(r"[«“„‹]\s*|\s*[»”›]", "", text)
    text = re.sub(r'(?:(?<=\s)|^)"|"(?=[\s.,;:!?)]|$)', "", text)
    return re.sub(r"\s+", " ", text).strip()


@dataclass(slots=True)
class _Segment:
    start: int  # first quoted character
    end: int  # one past the last quoted character
    open_at: int | None  # index of the opening mark, None for a continuation closed but not reopened
    close_at: int | None  # index of the closing mark, None when the paragraph ends first


def quoted_segments(text: str) -> list[_Segment]:
    """Quoted stretches of one paragraph; apostrophes and single quotes inside words are not marks."""
    segs: list[_Segment] = []
    n, i = len(text), 0
    opener, closers, depth = None, "", 0
    while i < n:
        ch = text[i]
        if opener is None:
            if ch in "«“„‹" or (ch == '"' and i + 1 < n and text[i + 1] not in SPACES) or (
                    ch in "‘'" and (i == 0 or text[i - 1] in SPACES + "([—–:") and _single_close(text, i) is not None):
                opener, closers, depth = i, _OPENERS[ch], 0
            elif ch in "»”" and not segs and not text[:i].count("«") and not text[:i].count("“"):
                segs.append(_Segment(0, i, None, i))
        else:
            och = text[opener]
            if och == "«" and ch == "«":
                depth += 1
            elif ch in closers and (och not in "‘'" or _single_close(text, opener) == i):
                if och == "«" and depth:
                    depth -= 1
                else:
                    segs.append(_Segment(opener + 1, i, opener, i))
                    opener = None
        i += 1
    if opener is not None and text[opener] not in "‘'":
        segs.append(_Segment(opener + 1, n, opener, None))
    for seg in segs:
        while seg.start < seg.end and text[seg.start] in SPACES:
            seg.start += 1
        while seg.end > seg.start and text[seg.end - 1] in SPACES + "\n":
            seg.end -= 1
    return [s for s in segs if s.end > s.start]


def _single_close(text: str, opener: int) -> int | None:
    """Where a single-quoted stretch closes, or None: ’ / ' ending a word, never an apostrophe inside one.

    A straight ' must also follow punctuation ('We will fight,' said X), since "workers' rights" ends a word too.
    """
    if opener + 1 >= len(text) or not text[opener + 1].isalpha():
        return None  # '98, ' alone
    straight = text[opener] == "'"
    mark = "'" if straight else "’"
    i = text.find(mark, opener + 1)
    while i != -1:
        after_ok = i + 1 >= len(text) or not text[i + 1].isalnum()
        if after_ok and (not straight or text[i - 1] in ",.!?…"):
            return i
        i = text.find(mark, i + 1)
    return None


def is_title_like(text: str, lex: QuoteLexicon) -> bool:
    """« Intellexa Leaks », “Write for Rights”: a name or a title, not somebody's words."""
    words = [w for w in words_in(text) if fold_same_length(w) not in lex.particles]
    if not words or len(words) > 8:
        return False
    return sum(is_capitalised(w) for w in words) / len(words) >= 0.6 and not text.rstrip().endswith((".", "!", "?"))
