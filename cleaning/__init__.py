"""pressroom cleaning stage: boilerplate-heavy pages and dumps in, structured releases out."""

from cleaning.options import CleanOptions
from cleaning.pipeline import clean_html, clean_pages, clean_sources, run_clean

__all__ = ["CleanOptions", "clean_html", "clean_pages", "clean_sources", "run_clean"]
