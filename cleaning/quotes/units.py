"""Runs of quoted text across paragraphs: built from the marks, merged over incises and
continuations, and judged as somebody's words or not."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from cleaning.quotes.attributions import (
    Attribution, after_attribution, before_attribution, cue_then_speaker, find_incise, subject_cue, tail_is_adjunct,
)
from cleaning.quotes.lexicon import words_in
from cleaning.quotes.marks import is_title_like, quoted_segments, strip_marks
from cleaning.core.schema import Quote
from cleaning.quotes.speakers import attribution_line

PARAGRAPH_SEP = "\n\n"  # how Document.body_text joins paragraphs


@dataclass
class QuoteUnit:
    pieces: list[tuple[int, int, int]]  # (paragraph, start, end) of quoted text
    open_at: tuple[int, int] | None
    close_at: tuple[int, int] | None
    attribution: Attribution | None = None
    cut: list[tuple[int, int, int]] = field(default_factory=list)  # incises to leave out of the text


@dataclass(frozen=True, slots=True)
class FoundQuote:
    quote: Quote
    anchor: tuple[int, int, int, int] | None  # (first para, start, last para, end) in paragraph coordinates
    source: tuple[int, int, int] | None = None  # pull quotes: (paragraph, start, end) of the sentence repeated


def build_units(texts: list[str], skip: set[int]) -> list[QuoteUnit]:
    units: list[QuoteUnit] = []
    open_unit: QuoteUnit | None = None
    for p, text in enumerate(texts):
        if p in skip:
            continue
        segs = quoted_segments(text)
        if open_unit is not None:
            first = segs[0] if segs else None
            if first is not None and (first.open_at is None or not text[:first.open_at].strip()):
                open_unit.pieces.append((p, first.start, first.end))
                if first.close_at is not None:
                    open_unit.close_at = (p, first.close_at)
                    open_unit = None
                segs = segs[1:]
            else:
                open_unit = None
        for seg in segs:
            if seg.open_at is None:
                continue
            unit = QuoteUnit([(p, seg.start, seg.end)], (p, seg.open_at), (p, seg.close_at) if seg.close_at is not None else None)
            units.append(unit)
            open_unit = unit if seg.close_at is None else None
    return units


def merge_in_paragraph(texts, folded, units: list[QuoteUnit], lex) -> list[QuoteUnit]:
    """“A,” she said, “B.” is one quote: merge neighbours whose gap is only their attribution."""
    out: list[QuoteUnit] = []
    for unit in units:
        prev = out[-1] if out else None
        if prev is not None and prev.close_at and unit.open_at and prev.close_at[0] == unit.open_at[0] \
                and prev.close_at[1] < unit.open_at[1]:
            p = unit.open_at[0]
            gap = texts[p][prev.close_at[1] + 1:unit.open_at[1]]
            gap_f = folded[p][prev.close_at[1] + 1:unit.open_at[1]]
            attribution = None
            if gap.strip(" ,.;:—–-\u00a0\u202f"):
                attribution = cue_then_speaker(texts[p], folded[p], prev.close_at[1] + 1, unit.open_at[1], lex, strict=False)
                if attribution is None:
                    lead = prev.close_at[1] + 1 + len(gap_f) - len(gap_f.lstrip(" ,.;—–-"))
                    subject = subject_cue(texts[p], folded[p], lead, unit.open_at[1], lex)
                    if subject and tail_is_adjunct(texts[p][subject[1]:unit.open_at[1]], lex, subject[0].cue):
                        attribution = subject[0]
                if attribution is None or len(words_in(gap)) > 40:
                    out.append(unit)
                    continue
                attribution = Attribution(attribution.speaker, attribution.cue, prev.close_at[1] + 1, unit.open_at[1])
            elif gap.strip():
                pass
            else:
                out.append(unit)
                continue
            if attribution is None and not gap.strip(" ,;\u00a0\u202f"):
                out.append(unit)
                continue
            if attribution is not None and unit.close_at is not None and \
                    after_attribution(texts[p], folded[p], unit.close_at[1] + 1, lex) is not None:
                out.append(unit)
                continue
            prev.pieces.extend(unit.pieces)
            prev.close_at = unit.close_at
            if attribution is not None and prev.attribution is None:
                prev.attribution = attribution
            continue
        out.append(unit)
    return out


def merge_continued(units: list[QuoteUnit], texts: list[str], skip: set[int]) -> list[QuoteUnit]:
    """“A,” said X. / “B.” — a paragraph that opens with a quote of its own, unattributed, right after
    a paragraph ending with a quote, goes on with that quote (as French « … continuations do)."""
    out: list[QuoteUnit] = []
    for unit in units:
        prev = out[-1] if out else None
        p = unit.pieces[0][0]
        before = [q for q in range(p - 1, -1, -1) if q not in skip and texts[q].strip()]
        if prev is not None and unit.attribution is None and unit.open_at is not None and before \
                and not texts[p][:unit.open_at[1]].strip() and prev.pieces[-1][0] == before[0] \
                and _ends_paragraph(prev, texts):
            prev.pieces.extend(unit.pieces)
            prev.cut.extend(unit.cut)
            prev.close_at = unit.close_at
            continue
        out.append(unit)
    return out


def _ends_paragraph(unit: QuoteUnit, texts: list[str]) -> bool:
    """Nothing but the unit's own attribution follows it in its last paragraph."""
    p, _s, e = unit.pieces[-1]
    if unit.close_at is None:
        return True
    rest_from = unit.close_at[1] + 1
    if unit.attribution is not None and unit.attribution.end > rest_from and unit.attribution.start >= unit.close_at[1]:
        rest_from = unit.attribution.end
    return not texts[p][rest_from:].strip(" .,;:\u00a0\u202f»”\"")


def classify_unit(texts, folded, unit: QuoteUnit, kinds, skip, lex) -> bool:
    """Is this run of quoted text somebody's words? Sets its attribution and incises."""
    for p, s, e in unit.pieces:
        incise = find_incise(texts[p], folded[p], s, e, lex)
        if incise is not None:
            unit.cut.append((p, incise.start, incise.end))
            if unit.attribution is None:
                unit.attribution = incise
    quoted = " ".join(texts[p][s:e] for p, s, e in unit.pieces)
    if unit.attribution is None and unit.close_at is not None:
        p, c = unit.close_at
        unit.attribution = after_attribution(texts[p], folded[p], c + 1, lex)
    mixed = False
    if unit.attribution is None and unit.open_at is not None:
        p, o = unit.open_at
        attribution, mixed = before_attribution(texts[p], folded[p], o, lex, 0)
        if mixed:
            return False
        if attribution is None and not texts[p][:o].strip():
            # "Jane Doe, director, said:" closing the paragraph before
            prev = next((q for q in range(p - 1, -1, -1) if q not in skip and texts[q].strip()), None)
            if prev is not None and texts[prev].rstrip().endswith(":"):
                end = len(texts[prev].rstrip())
                attribution, _mixed = before_attribution(texts[prev], folded[prev], end, lex, 0)
                if attribution is not None:
                    attribution = Attribution(attribution.speaker, attribution.cue, 0, 0)
        unit.attribution = attribution
    if unit.attribution is None:
        # a quote block followed by "— Name, role"
        q = unit.pieces[-1][0] + 1
        if q < len(texts) and q not in skip and (texts[q].lstrip().startswith(("—", "–", "-")) or kinds[q] == "caption"):
            who = attribution_line(texts[q], lex)
            if who is not None:
                unit.attribution = Attribution(who, "", 0, 0)
    if unit.attribution is not None:
        return bool(words_in(quoted))
    if len(unit.pieces) > 1 or unit.open_at is None:
        return True
    if is_title_like(quoted, lex) or len(words_in(quoted)) < 3:
        return False
    p, o = unit.open_at
    text = texts[p]
    before = text[:o].rstrip(" \u00a0\u202f")
    starts_sentence = not before or before.endswith((".", "!", "?", "…", ":", "»", "”", '"'))
    if unit.close_at is None:
        ends_sentence = True
    else:
        c = unit.close_at[1]
        after = text[c + 1:].lstrip(" \u00a0\u202f")
        inside = text[unit.pieces[-1][1]:unit.pieces[-1][2]].rstrip()
        ends_sentence = not after or after[0] in ".!?…" or (inside.endswith((".", "!", "?", "…")) and (after[0].isupper() or after[0] in "«“\""))
    return starts_sentence and ends_sentence


def unit_text(texts: list[str], unit: QuoteUnit) -> str:
    parts = []
    for p, s, e in unit.pieces:
        cuts = sorted((a, b) for q, a, b in unit.cut if q == p and a < e and b > s)
        piece, pos = [], s
        for a, b in cuts:
            piece.append(texts[p][pos:max(pos, a)].rstrip())
            end_punct = texts[p][a:b].rstrip()[-1:] if texts[p][a:b].rstrip()[-1:] in ".!?" else ""
            piece.append(end_punct + (" " if b < e else ""))
            pos = max(pos, b)
        piece.append(texts[p][pos:e])
        joined = re.sub(r"\s+([.!?,;:])(?=\s|$)", r"\1", "".join(piece)) if cuts else "".join(piece)
        parts.append(strip_marks(joined))
    return PARAGRAPH_SEP.join(p for p in parts if p)
