"""What the sample site is made of: served pages and the ground truth of every release."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable
from urllib.parse import parse_qs, urlsplit

BASE_PLACEHOLDER = "{{BASE}}"


@dataclass(frozen=True)
class SamplePage:
    """One response of the sample server.

    `body` may contain `{{BASE}}`, replaced by the server's base URL at request time
    (only when `templated`; raw trap bodies are sent byte for byte).
    """

    status: int
    content_type: str
    body: bytes
    headers: dict = field(default_factory=dict)
    last_modified: datetime | None = None
    delay: float = 0.0  # seconds the server waits before answering (slow-page trap)
    templated: bool = True
    conditional: bool = True  # serve ETag / Last-Modified and answer 304


@dataclass
class ReleaseTruth:
    """Ground truth of one release page, for scoring crawls and cleaning.

    `paragraphs` is the body only, in order, headings and list items included (see
    `paragraph_kinds`); the lead (standfirst), the pull quote, the background section
    ("Complément d’information" / "Notes to editors", heading excluded) and all chrome
    are not body. Texts are exactly as displayed (HTML-unescaped). Quote `text` is the
    quoted words without quote marks or the attribution incise.
    """

    path: str
    lang: str
    section: str
    kicker: str
    title: str
    published: datetime
    modified: datetime
    authors: list[str]
    lead: str | None
    paragraphs: list[str]
    paragraph_kinds: list[str]
    notes: list[str]
    notes_heading: str
    contacts: list[str]
    teasers: list[dict]
    quotes: list[dict]
    chrome_lines: list[str]
    pull_after: int | None  # body paragraph index the pull quote is rendered after
    feed_footer: str
    site_name: str
    traps: list[str] = field(default_factory=list)

    @property
    def full_title(self) -> str:
        """The WordPress title: "Kicker. Title"."""
        return f"{self.kicker}. {self.title}"

    @property
    def body_text(self) -> str:
        return "\n\n".join(self.paragraphs)

    def to_dict(self) -> dict:
        d = dataclasses.asdict(self)
        d["published"] = self.published.isoformat()
        d["modified"] = self.modified.isoformat()
        d["full_title"] = self.full_title
        return d


DynamicRoute = Callable[[str, dict, str], "SamplePage | None"]  # (path, parsed query, base URL)


@dataclass
class SampleSite:
    """A generated press room: pages by URL path, and the truth about its releases.

    Keys of `pages` are paths ("/fr/communiques/slug/"), or path + "?" + query for
    pages that only exist with that query. Unknown query strings on known paths are
    ignored, as WordPress does (so "?utm_source=x" serves the same release).
    """

    variant: str
    seed: int
    pages: dict[str, SamplePage]
    releases: list[ReleaseTruth]
    site_name: str
    traps: dict[str, str] = field(default_factory=dict)  # name or path -> expected outcome
    routes: list[tuple[str, DynamicRoute]] = field(default_factory=list)  # path prefix -> handler
    edited: tuple[str, ...] = ()

    def resolve(self, target: str, base_url: str = "") -> SamplePage | None:
        """The page for a request target ("/path?query"), or None (404)."""
        if target in self.pages:
            return self.pages[target]
        parts = urlsplit(target)
        for prefix, handler in self.routes:
            if parts.path.startswith(prefix):
                page = handler(parts.path, parse_qs(parts.query), base_url)
                if page is not None:
                    return page
        return self.pages.get(parts.path)

    def release(self, path: str) -> ReleaseTruth:
        return next(r for r in self.releases if r.path == path)

    def truth_dict(self) -> dict:
        return {
            "variant": self.variant,
            "seed": self.seed,
            "site_name": self.site_name,
            "traps": dict(self.traps),
            "releases": [r.to_dict() for r in sorted(self.releases, key=lambda r: r.path)],
        }

    def truth_json(self) -> str:
        """The ground truth as stable, sorted JSON."""
        return json.dumps(self.truth_dict(), sort_keys=True, ensure_ascii=False, indent=1)
