"""Kickers: the section label a title opens with ("Monde. L’Assemblée …", "PRESS RELEASE: …").

One rule for every stage that meets titles: dump segmentation (cleaning/extract/segment.py,
matching the headline a feed footer names) and split (the title, teaser cards, dump lines).
Release labels ("PRESS RELEASE", "Communiqué de presse") come from the lexicon.
"""

from __future__ import annotations

import re

from cleaning.lexicon import Cues, cues, fold_cue


def split_kicker(title: str, lexicon: Cues | None = None) -> tuple[str | None, str]:
    """("Monde", "L’Assemblée …") from "Monde. L’Assemblée …"; ("PRESS RELEASE", rest) from "PRESS RELEASE: rest"."""
    lexicon = lexicon or cues()
    title = re.sub(r"\s+", " ", title).strip()
    prefixed = lexicon.kicker_prefix(title)
    if prefixed and len(prefixed[1].split()) >= 2:
        return prefixed
    match = re.match(r"^(?P<kicker>[^.!?:«»\"“”]{2,40}?)\.\s+(?P<rest>\S.*)$", title)
    if not match:
        return None, title
    kicker, rest = match.group("kicker").strip(), match.group("rest").strip()
    words = kicker.split()
    if (len(words) > (6 if _region_label(words) else 4) or not (kicker[0].isupper() or kicker[0].isdigit()) or fold_cue(kicker) in lexicon.abbreviations
            or re.search(r"(?:^|\s)\w$", kicker) or len(rest.split()) < 2
            or not (rest[0].isupper() or rest[0].isdigit() or rest[0] in "«\"“‘'")):
        return None, title
    return kicker, rest


def _region_label(words: list[str]) -> bool:
    """"Middle East and North Africa", "Latin America and the Caribbean": two capitalised names joined by "and"."""
    return (any(w.lower() in ("and", "&", "et", "und", "y", "e", "en") for w in words)
            and all(w[:1].isupper() for w in words if len(w) > 3))
