"""Quotes and who said them: quote marks, sentences, attribution forms, speakers and pull quotes."""

from cleaning.quotes.attribute import attribute_quotes, find_quotes

__all__ = ["attribute_quotes", "find_quotes"]
