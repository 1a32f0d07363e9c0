"""Language cues as data: one TOML file per concern (`fr.toml`, `en.toml`, `quotes.toml`, ...)."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=None)
def load_lexicon(name: str) -> dict:
    """The parsed `cleaning/lexicon/<name>.toml` (read once; files are immutable package data)."""
    text = resources.files(__package__).joinpath(f"{name}.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)
