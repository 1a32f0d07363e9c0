"""One frozen options object for the whole cleaning stage (no options threaded by hand)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class CleanOptions:
    # site model (pass 1 / pass 2)
    min_doc_count: int = 3  # a block must repeat in at least this many documents ...
    min_doc_share: float = 0.02  # ... and in this share of the site's documents
    repeat_min_chars: int = 30  # within-document repeats at least this long are stripped
    max_body_loss: float = 0.8  # a document losing more than this share of body chars is flagged, not gutted
    # language
    langdetect_seed: int = 0
    # near-duplicate detection
    minhash_perms: int = 128
    near_dup_threshold: float = 0.8
    shingle_size: int = 5
    # site / dump context
    site: str | None = None  # force a site for all inputs (dumps without URLs)
    max_input_bytes: int = 20 * 1024 * 1024  # larger pages are truncated to this before parsing
    page_budget_s: float = 60.0  # one page's extraction may take this long, and its pass 2 as long again (0: no budget)
    # inputs: fnmatch globs picking files inside input folders (cleaning.io.readers.folder_files)
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    # pages that are not releases (listings, legal pages, media attachments): counted, and left out unless this
    all_pages: bool = False


DEFAULT_OPTIONS = CleanOptions()
