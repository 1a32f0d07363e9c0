"""Pass 1: count block fingerprints per site; the only cross-document state of cleaning."""

from __future__ import annotations

from dataclasses import dataclass, field

from cleaning.options import CleanOptions
from cleaning.schema import Document


@dataclass(frozen=True)
class SiteModel:
    doc_counts: dict = field(default_factory=dict)


def build_site_model(docs: list[Document], opts: CleanOptions) -> SiteModel:
    return SiteModel()
