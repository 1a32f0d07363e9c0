"""Direct, indirect and pull quotes with speaker attribution (French and English rules)."""

from __future__ import annotations

from cleaning.options import CleanOptions
from cleaning.schema import Document, Quote
from cleaning.stats import Stats


def find_quotes(paragraphs: list[str], lang: str | None = None) -> list[Quote]:
    return []


def attribute_quotes(doc: Document, opts: CleanOptions, stats: Stats) -> Document:
    return doc.replace(quotes=find_quotes([p.text for p in doc.paragraphs], doc.lang))
