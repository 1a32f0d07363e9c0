"""Assign each remaining block a role: title, lead, body, notes, contacts, teasers."""

from __future__ import annotations

from cleaning.options import CleanOptions
from cleaning.schema import Document, Paragraph
from cleaning.stats import Stats


def split_document(doc: Document, opts: CleanOptions, stats: Stats) -> Document:
    paragraphs = [Paragraph(text=b.text, kind=b.kind.value) for b in doc.blocks]
    title = doc.blocks[0].text if doc.blocks else None
    return doc.replace(paragraphs=paragraphs[1:], title=title)
