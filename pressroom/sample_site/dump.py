"""Flat text dumps of the sample releases, shaped like the seed (one paragraph a line).

Per release, as in ../shared/seed/000_*.txt: donation banner, the press-contact block
twice, "Kicker. Title", lead, body (the pull quote and its "Name, role" line where the
page shows them), background heading and notes, the feed footer "The post … appeared
first on …", the contact block again, then the teasers ("Kicker. Title" + snippet).
"""

from __future__ import annotations

import json
from pathlib import Path

from pressroom.sample_site import phrases as P
from pressroom.sample_site.model import ReleaseTruth, SampleSite


def release_lines(r: ReleaseTruth) -> list[str]:
    chrome = P.CHROME[r.lang]
    lines = [chrome["banner"], *r.contacts, *r.contacts, r.full_title]
    if r.lead:
        lines.append(r.lead)
    pull = next((q for q in r.quotes if q["kind"] == "pull"), None)
    for i, text in enumerate(r.paragraphs):
        lines.append(text)
        if pull and r.pull_after == i:
            lines += [pull["text"], f"{pull['speaker']}, {pull['speaker_role']}"]
    lines += [r.notes_heading, *r.notes, r.feed_footer, *r.contacts]
    for t in r.teasers:
        lines += [f"{t['kicker']}. {t['title']}", t["snippet"]]
    return lines


def dump_lines(site: SampleSite) -> tuple[list[str], dict[str, list[int]]]:
    """All releases one after another, oldest first; and each release's 1-based line range."""
    lines: list[str] = []
    ranges: dict[str, list[int]] = {}
    for r in sorted(site.releases, key=lambda r: (r.published, r.path)):
        block = release_lines(r)
        ranges[r.path] = [len(lines) + 1, len(lines) + len(block)]
        lines += block
    return lines, ranges


def write_dump(path, variant: str = "default", seed: int = 0) -> Path:
    from pressroom.sample_site.generator import generate_site

    lines, _ = dump_lines(generate_site(variant, seed))
    path = Path(path)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_dump_truth(path, variant: str = "default", seed: int = 0) -> Path:
    """The truth matching `write_dump`: the site truth plus `dump_lines` (path -> [first, last])."""
    from pressroom.sample_site.generator import generate_site

    site = generate_site(variant, seed)
    truth = site.truth_dict()
    truth["dump_lines"] = dump_lines(site)[1]
    path = Path(path)
    path.write_text(json.dumps(truth, sort_keys=True, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path
