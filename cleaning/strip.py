"""Pass 2: drop blocks the site model or the document itself shows to be boilerplate."""

from __future__ import annotations

from cleaning.options import CleanOptions
from cleaning.schema import Document
from cleaning.sitemodel import SiteModel
from cleaning.stats import Stats


def strip_boilerplate(doc: Document, model: SiteModel, opts: CleanOptions, stats: Stats) -> Document:
    return doc
