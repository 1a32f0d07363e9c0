"""Language cues as data: one TOML file per concern (`fr.toml`, `en.toml`, `quotes.toml`, ...).

The per-language files (two-letter names) hold the cues splitting and dating need;
`cues()` folds every language into one `Cues` object, because a block's role has to be
decided before the document's language is known.
"""

from __future__ import annotations

import html
import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from cleaning.core.text import has_email, has_phone

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "\u00a0": " ", "\u202f": " "})


@lru_cache(maxsize=None)
def load_lexicon(name: str) -> dict:
    """The parsed `cleaning/lexicon/<name>.toml` (read once; files are immutable package data)."""
    text = resources.files(__package__).joinpath(f"{name}.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def cue_languages() -> tuple[str, ...]:
    """Languages that have a cue file (`xx.toml`), sorted for determinism."""
    names = (entry.name for entry in resources.files(__package__).iterdir())
    return tuple(sorted(n[:-5] for n in names if re.fullmatch(r"[a-z]{2}\.toml", n)))


@lru_cache(maxsize=1 << 16)  # a pure function called many times per block; the cache only saves time
def fold_cue(text: str) -> str:
    """Text as cues are matched: NFKC, one apostrophe, case-folded, single spaces, no trailing ':' or '.'."""
    text = unicodedata.normalize("NFKC", text).translate(_APOSTROPHES).casefold()
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"\s*[:.]+$", "", text).strip()


@dataclass(frozen=True, eq=False)  # hashed by identity: one instance per process, built by cues()
class Cues:
    """Every language's cues, folded; predicates over one block's text."""

    contacts: frozenset[str]
    notes: frozenset[str]
    notes_prefixes: tuple[str, ...]
    end_markers: frozenset[str]
    banner: tuple[str, ...]
    cookie: tuple[str, ...]
    share: frozenset[str]
    teaser_headings: frozenset[str]
    navigation: frozenset[str]
    kicker_prefixes: tuple[str, ...]  # longest first
    abbreviations: frozenset[str]
    feed_footers: tuple[re.Pattern, ...]
    months: dict[str, int]
    ordinals: tuple[str, ...]
    statement_cues: tuple[str, ...]  # reporting verbs that introduce the release's own date

    def is_contact_heading(self, text: str) -> bool:
        """A contact heading, alone or in two languages at once ("Media contact / Contact médias")."""
        folded = fold_cue(text)
        if folded in self.contacts:
            return True
        parts = [fold_cue(p) for p in re.split(r"\s*[/|]\s*|\s+[–—-]\s+", folded)]
        return len(parts) > 1 and all(p in self.contacts for p in parts)

    def is_contact_label(self, text: str) -> bool:
        """A contact heading, a colon, then whom to reach: "Relations presse : Inès Bouchard", "Press: Jane Doe, +44 …"."""
        m = re.match(r"\s*([^:]{2,60}?)\s*:\s*(\S.*)$", text)
        if not m or len(text) > 200 or not self.is_contact_heading(m.group(1)):
            return False
        rest = m.group(2).strip()
        if has_phone(rest) or has_email(rest):
            return True
        # a name (and a title) only: every word capitalised up to the first comma or dash
        name = re.split(r"\s*[,(–—]\s*|\s+-\s+", rest)[0]
        words = re.findall(r"[^\W\d_][\w'’.-]*", name)
        return 1 <= len(words) <= 5 and all(w[0].isupper() or len(w) <= 3 for w in words) and words[0][0].isupper()

    def is_notes_heading(self, text: str) -> bool:
        folded = fold_cue(text)
        if folded in self.notes:
            return True
        return len(folded) <= 80 and not text.rstrip().endswith((".", "!", "?")) and folded.startswith(self.notes_prefixes)

    def is_end_marker(self, text: str) -> bool:
        return fold_cue(text) in self.end_markers or fold_cue(text).strip("-–— ") in self.end_markers

    def is_banner(self, text: str) -> bool:
        return len(text) <= 400 and fold_cue(text).startswith(self.banner)

    def is_cookie(self, text: str) -> bool:
        folded = fold_cue(text)
        return len(text) <= 600 and any(cue in folded for cue in self.cookie)

    def is_share(self, text: str) -> bool:
        folded = fold_cue(text)
        words = re.findall(r"\w+", folded)
        return folded in self.share or (len(folded) <= 40 and bool(words) and words[0] in self.share and bool(
            set(words) & {"facebook", "twitter", "linkedin", "x", "bluesky", "whatsapp", "mail", "email"}))

    def is_teaser_heading(self, text: str) -> bool:
        return fold_cue(text) in self.teaser_headings

    def is_navigation(self, text: str) -> bool:
        return fold_cue(text) in self.navigation

    def feed_footer(self, text: str) -> tuple[str, str] | None:
        """(title, site) named by a "The post <title> appeared first on <site>." line, else None."""
        line = re.sub(r"\s+", " ", html.unescape(text)).strip()
        for pattern in self.feed_footers:
            match = pattern.match(line)
            if match:
                return match.group("title").strip(), match.group("site").strip()
        return None

    def kicker_prefix(self, text: str) -> tuple[str, str] | None:
        """("PRESS RELEASE", rest) when the line opens with a release label and a separator."""
        for prefix in self.kicker_prefixes:
            match = re.match(rf"\s*({re.escape(prefix)})\s*[:|–—-]\s*(\S.*)$", text, flags=re.I)
            if match:
                return match.group(1).strip(), match.group(2).strip()
        return None


@lru_cache(maxsize=1)
def cues() -> Cues:
    """The union of every language's cue file (built once; the files never change)."""
    merged: dict[str, list] = {}
    months: dict[str, int] = {}
    ordinals: list[str] = []
    statement: list[str] = []
    for lang in cue_languages():
        lexicon = load_lexicon(lang)
        for key, value in lexicon.items():
            if isinstance(value, list):
                merged.setdefault(key, []).extend(value)
        months.update({fold_cue(k): v for k, v in lexicon.get("months", {}).items()})
        ordinals.extend(lexicon.get("dates", {}).get("ordinals", []))
        statement.extend(fold_cue(c) for c in lexicon.get("dates", {}).get("statement_cues", []))

    def folded(key: str) -> list[str]:
        return [fold_cue(v) if not v.endswith(" ") else fold_cue(v) + " " for v in merged.get(key, [])]

    return Cues(
        contacts=frozenset(folded("contacts")),
        notes=frozenset(folded("notes")),
        notes_prefixes=tuple(folded("notes_prefixes")),
        end_markers=frozenset(folded("end_markers")),
        banner=tuple(folded("banner")),
        cookie=tuple(folded("cookie")),
        share=frozenset(folded("share")),
        teaser_headings=frozenset(folded("teaser_headings")),
        navigation=frozenset(folded("navigation")),
        kicker_prefixes=tuple(sorted(set(merged.get("kicker_prefixes", [])), key=lambda p: (-len(p), p))),
        abbreviations=frozenset(folded("abbreviations")),
        feed_footers=tuple(re.compile(p) for p in merged.get("feed_footer", [])),
        months=months,
        ordinals=tuple(sorted(set(ordinals), key=lambda o: (-len(o), o))),
        statement_cues=tuple(sorted(set(statement))),
    )
