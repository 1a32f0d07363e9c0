"""pressroom: crawl press rooms, clean boilerplate-heavy pages and dumps, write Parquet."""

__version__ = "0.1.0"
