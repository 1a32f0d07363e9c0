"""Dates, language, authors, hashes and counts of a split document."""

from __future__ import annotations

import hashlib
import re

from cleaning.options import CleanOptions
from cleaning.schema import Document
from cleaning.stats import Stats


def normalise_for_hash(text: str) -> str:
    return re.sub(r"\W+", " ", text.casefold()).strip()


def annotate_document(doc: Document, opts: CleanOptions, stats: Stats) -> Document:
    body = doc.body_text
    return doc.replace(
        content_hash=hashlib.sha1(normalise_for_hash(body).encode()).hexdigest(),
        word_count=len(re.findall(r"\w+", body)),
    )
