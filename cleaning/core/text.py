"""Text measures every stage agrees on: what counts as a word, and the body as exact-duplicate detection sees it."""

from __future__ import annotations

import hashlib
import re
import unicodedata


def normalise_for_hash(text: str) -> str:
    """Body text as exact-duplicate detection sees it: NFKC, case-folded, words only, single spaces."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"[\W_]+", " ", text).strip()


def content_hash(text: str) -> str:
    return hashlib.sha1(normalise_for_hash(text).encode("utf-8")).hexdigest()


def count_words(text: str) -> int:
    return sum(1 for token in text.split() if any(ch.isalnum() for ch in token))
