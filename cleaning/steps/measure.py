"""Last document step: hash and count the body once it is final (no later step changes it)."""

from __future__ import annotations

from cleaning.core.options import CleanOptions
from cleaning.core.schema import Document
from cleaning.core.stats import Stats
from cleaning.core.text import content_hash, count_words


def measure_document(doc: Document, opts: CleanOptions, stats: Stats) -> Document:
    body = doc.body_text
    return doc.replace(content_hash=content_hash(body), word_count=count_words(body))
