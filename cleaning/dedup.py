"""Exact (content hash, canonical URL) and near-duplicate (MinHash LSH) folding."""

from __future__ import annotations

from cleaning.options import CleanOptions
from cleaning.schema import Document
from cleaning.stats import Stats


def dedup_documents(docs: list[Document], opts: CleanOptions, stats: Stats) -> list[Document]:
    return docs
