"""Site knowledge as data: one TOML profile per press room, read by the crawler (`pressroom crawl --profile`).

    profile = load_profile("cleaning/profiles/example.toml")
    profile.is_release_url(url)   # profile patterns say "release" (None when they say nothing)

Generic code works with no profile at all; a profile only narrows or hints.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping


@dataclass(frozen=True, slots=True)
class UrlPatterns:
    """Regular expressions searched in a URL: a URL matches when some `allow` and no `deny` matches."""

    allow: tuple[re.Pattern[str], ...] = ()
    deny: tuple[re.Pattern[str], ...] = ()

    def verdict(self, url: str) -> bool | None:
        """True / False when the patterns decide, None when they say nothing about `url`."""
        if any(p.search(url) for p in self.deny):
            return False
        if any(p.search(url) for p in self.allow):
            return True
        return None


@dataclass(frozen=True, slots=True)
class Profile:
    name: str
    start_urls: tuple[str, ...] = ()
    allowed_domains: tuple[str, ...] = ()
    releases: UrlPatterns = UrlPatterns()
    listings: UrlPatterns = UrlPatterns()
    languages: tuple[str, ...] = ()
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    path: str | None = None

    def is_release_url(self, url: str) -> bool | None:
        return self.releases.verdict(url)

    def is_listing_url(self, url: str) -> bool | None:
        return self.listings.verdict(url)


def _strings(data: Mapping, key: str, where: str) -> tuple[str, ...]:
    value = data.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"{where}: '{key}' must be a string or a list of strings")
    return tuple(value)


def _patterns(data: Mapping, key: str, where: str) -> UrlPatterns:
    table = data.get(key, {})
    if not isinstance(table, Mapping):
        raise ValueError(f"{where}: [{key}] must be a table with 'allow' / 'deny' lists")
    try:
        return UrlPatterns(
            allow=tuple(re.compile(p) for p in _strings(table, "allow", f"{where} [{key}]")),
            deny=tuple(re.compile(p) for p in _strings(table, "deny", f"{where} [{key}]")),
        )
    except re.error as exc:
        raise ValueError(f"{where}: [{key}] bad pattern: {exc}") from exc


# Keys older profiles carried, parsed but never read: a profile saying them would promise what no code does.
_RETIRED = {
    "selectors": "extraction finds title, body and date itself (blocks, trafilatura, page metadata)",
    "headings": "contact and notes headings are language cues in cleaning/lexicon/*.toml, for every site",
}


def parse_profile(data: Mapping, where: str = "<profile>") -> Profile:
    """A Profile from already-parsed TOML; raises ValueError naming the bad key."""
    if not isinstance(data.get("name"), str) or not data["name"]:
        raise ValueError(f"{where}: 'name' is required")
    for key in _RETIRED:
        if key in data:
            raise ValueError(f"{where}: [{key}] is not read by pressroom: {_RETIRED[key]}; remove it from the profile")
    return Profile(
        name=data["name"],
        start_urls=_strings(data, "start_urls", where),
        allowed_domains=_strings(data, "allowed_domains", where),
        releases=_patterns(data, "releases", where),
        listings=_patterns(data, "listings", where),
        languages=_strings(data, "languages", where),
        feeds=_strings(data, "feeds", where),
        sitemaps=_strings(data, "sitemaps", where),
        path=None if where.startswith("<") else where,
    )


def load_profile(path: str | Path) -> Profile:
    """Read one profile TOML file (see `example.toml` for every key)."""
    path = Path(path)
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    return parse_profile(data, str(path))


def bundled_profiles() -> list[Path]:
    """The profile files shipped in this package."""
    return sorted(Path(__file__).parent.glob("*.toml"))
