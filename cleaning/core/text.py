"""Text shapes and measures every stage agrees on: words, the body as duplicate detection sees it,
phone numbers, e-mail addresses and snippets cut short."""

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


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\[email[\s\u00a0]*protected\]", re.I)
_PHONE_RUN = re.compile(r"\+?\(?\d[\d \u00a0.\-()/]{6,}\d")
ELLIPSES = ("...", "…", "[…]", "(…)", "[...]")


def has_phone(text: str) -> bool:
    """A phone number: a run of at least 9 digits (8 after '+' or a leading 0) with spacing."""
    for match in _PHONE_RUN.finditer(text):
        digits = sum(ch.isdigit() for ch in match.group())
        if digits >= 9 or (digits >= 8 and match.group().lstrip("(").startswith(("+", "0"))):
            return True
    return False


def has_email(text: str) -> bool:
    return bool(_EMAIL.search(text))


def ends_with_ellipsis(text: str) -> bool:
    """A snippet cut short ("…", "[…]", also before a closing quote or bracket): teaser cards, tickers."""
    return text.rstrip().rstrip("»\"”’').] ").endswith(ELLIPSES) or text.rstrip().endswith(ELLIPSES)
