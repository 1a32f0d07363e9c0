"""pressroom cleaning stage: boilerplate-heavy pages and dumps in, structured releases out.

The public names load on first use, so `import cleaning.core.schema` (as the crawler does)
does not pay for langdetect, MinHash and the quote code.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_PUBLIC = {
    "CleanOptions": "cleaning.core.options",
    "clean_html": "cleaning.pipeline",
    "clean_pages": "cleaning.pipeline",
    "clean_sources": "cleaning.pipeline",
    "run_clean": "cleaning.pipeline",
    "find_quotes": "cleaning.quotes",
}

__all__ = sorted(_PUBLIC)

if TYPE_CHECKING:
    from cleaning.core.options import CleanOptions
    from cleaning.pipeline import clean_html, clean_pages, clean_sources, run_clean
    from cleaning.quotes import find_quotes


def __getattr__(name: str) -> Any:
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module 'cleaning' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
