"""Direct, indirect, mixed and pull quotes with speaker attribution (French and English rules).

Press releases exist to put words in someone's mouth, so the conventions of the genre
are the rules: French « » (any space, or none, inside), quotes running over several
paragraphs that reopen with « and close only at the end, the incise inside the
guillemets ("…, a déclaré X, rôle. …"), "a-t-il ajouté", "selon X"; English “…,” said X,
X said: “…”, according to X; an organisation as the speaker of an indirect statement.
A quote with no attribution of its own takes the last speaker; "he" / "elle" takes the last
person of the section whose known gender agrees, or nobody; a lone surname takes the full name
met before. Each speaker gets a type (person / organisation / unknown). A pull quote repeats a
sentence of a body quote; it and its "Name, role" line leave the body.

This module runs the analysis and resolves speakers across a document; the parts live in
quote_lexicon (cues, folding), sentences, quote_marks (quoted spans), speakers (who),
attributions (cue placement), quote_units (quoted runs) and pullquotes.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from cleaning.quotes.attributions import reported_speech
from cleaning.core.options import CleanOptions
from cleaning.quotes.pullquotes import link_pulls, pull_candidates
from cleaning.quotes.lexicon import QuoteLexicon, fold_same_length, quote_lexicon
from cleaning.quotes.marks import quoted_segments, strip_marks
from cleaning.quotes.units import (
    FoundQuote, PARAGRAPH_SEP, QuoteUnit, build_units, classify_unit, merge_continued, merge_in_paragraph, unit_text,
)
from cleaning.core.schema import Document, Quote, QuoteKind, Reason, Removed
from cleaning.quotes.sentences import sentence_spans
from cleaning.quotes.names import (canonical_person, display_speaker, gender_of, organisations_named, resolve_nominal,
                                   speaker_type)
from cleaning.quotes.speakers import Speaker, is_org, mentioned_person, pronoun_gender
from cleaning.core.stats import Stats


@dataclass(frozen=True, slots=True)
class _Analysis:
    found: list[FoundQuote]
    pulls: frozenset[int]
    attribution_lines: frozenset[int]


def _analyse(texts: list[str], kinds: list[str] | None, lang: str | None, organisations: tuple[str, ...] = ()) -> _Analysis:
    """Pull-quote candidates first (so they neither break a continued quote nor count twice), then body quotes;
    a candidate whose repeated sentence lies in no body quote is a plain paragraph after all (second pass).
    `lang` is a hint only: every language's cues are tried."""
    lex = quote_lexicon()
    kinds = kinds or ["paragraph"] * len(texts)
    pulls = pull_candidates(texts, kinds, lex)
    skip = set(pulls) | {line for _src, line in pulls.values() if line is not None}
    found = _body_quotes(texts, kinds, skip, lex)
    confirmed, pull_found = link_pulls(texts, pulls, found, lex, kinds)
    if set(confirmed) != set(pulls):
        skip = set(confirmed) | {line for _src, line in confirmed.values() if line is not None}
        found = _body_quotes(texts, kinds, skip, lex)
        confirmed, pull_found = link_pulls(texts, confirmed, found, lex, kinds)
    merged = sorted(found + pull_found, key=lambda f: (f.quote.paragraph if f.quote.paragraph is not None else 0,
                                                      f.anchor[1] if f.anchor else 0))
    # pull_of points at the body quote's index in the final list
    order = {id(f): i for i, f in enumerate(merged)}
    final = []
    for f in merged:
        if f.quote.kind == QuoteKind.PULL.value and f.quote.pull_of is not None:
            target = found[f.quote.pull_of]
            f = FoundQuote(_replace(f.quote, pull_of=order[id(target)]), f.anchor, f.source)
        final.append(f)
    lines = frozenset(line for _src, line in confirmed.values() if line is not None)
    return _Analysis(_typed(final, texts, lex, organisations), frozenset(confirmed), lines)


def _typed(found: list[FoundQuote], texts: list[str], lex: QuoteLexicon, hints: tuple[str, ...]) -> list[FoundQuote]:
    """Each quote's speaker_type, read against the organisations the whole document names."""
    roles = [f.quote.speaker_role for f in found if f.quote.speaker_role]
    organisations = organisations_named(texts, roles, lex, hints)
    return [dataclasses.replace(f, quote=_replace(f.quote, speaker_type=speaker_type(
        f.quote.speaker, f.quote.speaker_role, lex, organisations))) for f in found]


def _replace(quote: Quote, **changes) -> Quote:
    return dataclasses.replace(quote, **changes)


def _body_quotes(texts: list[str], kinds: list[str], skip: set[int], lex: QuoteLexicon) -> list[FoundQuote]:
    folded = [fold_same_length(t) for t in texts]
    units = build_units(texts, skip)
    for p, kind in enumerate(kinds):  # <blockquote> without marks: the block is the quote
        if kind == "quote" and p not in skip and not any(u.pieces[0][0] == p for u in units) and texts[p].strip():
            text = texts[p]
            units.append(QuoteUnit([(p, len(text) - len(text.lstrip()), len(text.rstrip()))], None, None))
    units.sort(key=lambda u: (u.pieces[0][0], u.pieces[0][1]))
    units = merge_in_paragraph(texts, folded, units, lex)
    direct = merge_continued([u for u in units if classify_unit(texts, folded, u, kinds, skip, lex)], texts, skip)
    items: list[tuple[tuple[int, int], str, object]] = [((u.pieces[0][0], u.pieces[0][1]), "unit", u) for u in direct]
    # reported speech in the sentences no direct quote touches
    for p, text in enumerate(texts):
        if p in skip or kinds[p] == "heading":
            continue
        taken = [(s, e) for u in direct for (q, s, e) in u.pieces if q == p]
        taken += [(u.open_at[1], u.close_at[1] + 1) for u in direct if u.open_at and u.close_at and u.open_at[0] == p == u.close_at[0]]
        taken += [(u.attribution.start, u.attribution.end) for u in direct if u.attribution and u.close_at and u.close_at[0] == p]
        guarded = [(s.start, s.end) for s in quoted_segments(text)]
        for s, e in sentence_spans(text, guarded, lex):
            if any(a < e and s < b for a, b in taken):
                continue
            hit = reported_speech(text, folded[p], s, e, lex)
            if hit is not None:
                items.append(((p, s), "reported", (p, hit)))
            else:
                person = mentioned_person(text[s:e], lex)
                if person is not None:
                    items.append(((p, s), "mention", person))
    items.sort(key=lambda it: it[0])
    return _resolve(texts, folded, items, kinds, lex)


def _resolve(texts, folded, items, kinds, lex) -> list[FoundQuote]:
    """Turn units and reported sentences into quotes, in reading order, giving pronouns and bare quotes the last speaker."""
    found: list[FoundQuote] = []
    last: Speaker | None = None
    persons: list[tuple[Speaker, str | None]] = []  # people met so far in the section, with what says she / he
    last_org: str | None = None
    last_is_org = False
    named: list[str] = []  # people named so far in the whole document, as shown: a lone surname's full name
    section_of = _sections(kinds)
    last_section = None
    for (p, _pos), what, payload in items:
        if section_of[p] != last_section:
            last, persons, last_org, last_section, last_is_org = None, [], None, section_of[p], False
        if what == "mention":
            persons.append((payload, gender_of(payload, lex)))
            named.append(display_speaker(payload, lambda: "", lex, None).speaker or "")
            continue
        if what == "unit":
            unit: QuoteUnit = payload
            attribution = unit.attribution
            speaker = canonical_person(_who(attribution.speaker if attribution else None, last, persons, last_is_org),
                                       named, lex, "\n".join(texts[:p + 1]))
            speaker = _nominal(speaker, persons, texts, p, last_org, lex)
            shown = _shown(speaker, texts, p, lex, last_org)
            text = unit_text(texts, unit)
            paragraphs = tuple(dict.fromkeys(q for q, _s, _e in unit.pieces))
            first, last_piece = unit.pieces[0], unit.pieces[-1]
            quote = Quote(text=text, speaker=shown.speaker if shown else None,
                          speaker_role=shown.role if shown else None,
                          cue=(attribution.cue or None) if attribution else None, kind=QuoteKind.DIRECT.value,
                          paragraph=paragraphs[0], paragraphs=paragraphs)
            found.append(FoundQuote(quote, (first[0], first[1], last_piece[0], last_piece[2])))
        else:
            p, (attribution, kind) = payload
            speaker = _nominal(canonical_person(_who(attribution.speaker, last, persons, last_is_org), named, lex,
                                                "\n".join(texts[:p + 1])),
                               persons, texts, p, last_org, lex)
            if speaker is None or not speaker.speaker:
                continue  # reported speech with nobody to report it ("He said …" out of the blue)
            shown = _shown(speaker, texts, p, lex, last_org)
            s, e = attribution.content
            raw = texts[p][s:e]
            lstrip = len(raw) - len(raw.lstrip(" ,\u00a0\u202f"))
            rstrip = len(raw.rstrip(" ,\u00a0\u202f"))
            text = strip_marks(raw)
            quote = Quote(text=text, speaker=shown.speaker, speaker_role=shown.role, cue=attribution.cue, kind=kind,
                          paragraph=p, paragraphs=(p,))
            found.append(FoundQuote(quote, (p, s + lstrip, p, s + rstrip)))
        if speaker is not None and speaker.speaker:
            said = attribution.speaker if attribution else None
            last = speaker
            last_is_org = is_org(shown.speaker, lex)
            if last_is_org:
                last_org = shown.speaker
            else:
                known = [g for s_, g in persons if s_.speaker == speaker.speaker and g]
                gender = gender_of(speaker, lex) or (said.gender if said is not None and said.pronoun else None) \
                    or (known[-1] if known else None) or (_self_reference(texts[p], attribution) if what != "unit" else None)
                persons = [(s_, g) for s_, g in persons if s_.speaker != speaker.speaker] + [(speaker, gender)]
                named.append(shown.speaker)
    return found


def _nominal(speaker: Speaker | None, persons: list[tuple[Speaker, str | None]], texts: list[str], p: int,
             last_org: str | None, lex) -> Speaker | None:
    """"the minister", "the company" as whom they stand for, read against the text up to paragraph p."""
    return resolve_nominal(speaker, [s for s, _g in persons], "\n".join(texts[:p + 1]), last_org, lex)


def _self_reference(text: str, attribution) -> str | None:
    """"Tom Briggs said he had been threatened": the pronoun opening the reported clause is the speaker's."""
    s, e = attribution.content
    first = text[s:e].split(None, 1)[:1]
    return pronoun_gender(first[0]) if first and len(first[0]) <= 5 else None


def _shown(speaker: Speaker | None, texts: list[str], p: int, lex, last_org: str | None) -> Speaker | None:
    """The speaker as output, read against the text up to and including paragraph p."""
    if speaker is None or not speaker.speaker:
        return speaker
    return display_speaker(speaker, lambda: "\n".join(texts[:p + 1]), lex, last_org)


def _who(speaker: Speaker | None, last: Speaker | None, persons: list[tuple[Speaker, str | None]],
         last_is_org: bool = False) -> Speaker | None:
    """The speaker itself; the last one for a bare quote; for a pronoun, the person it can stand for.

    "he" / "elle": the most recent person met in the section whose gender, when the lexicon can
    tell it, agrees; nobody when none does ("he" is never an organisation; "elle" may be
    "l’association", the last organisation that spoke). "they" / "ils" / "on": the last speaker.
    """
    if speaker is None or (speaker.speaker is None and not speaker.pronoun):
        return last
    if speaker.pronoun:
        if speaker.gender is None:
            return last or (persons[-1][0] if persons else None)
        for person, gender in reversed(persons):
            if gender is None or gender == speaker.gender:
                return person
        if not speaker.personal and last_is_org:
            return last
        return None
    return speaker


def _sections(kinds: list[str]) -> list[int]:
    out, section = [], 0
    for kind in kinds:
        if kind == "heading":
            section += 1
        out.append(section)
    return out


def _spans(found: list[FoundQuote], texts: list[str]) -> list[Quote]:
    """Char spans of each quote in the paragraphs joined by PARAGRAPH_SEP."""
    offsets, pos = [], 0
    for text in texts:
        offsets.append(pos)
        pos += len(text) + len(PARAGRAPH_SEP)
    out = []
    for f in found:
        if f.anchor is None:
            out.append(f.quote)
            continue
        p0, a, p1, b = f.anchor
        out.append(_replace(f.quote, start=offsets[p0] + a, end=offsets[p1] + b))
    return out


def find_quotes(paragraphs: list[str], lang: str | None = None, kinds: list[str] | None = None,
                organisations: tuple[str, ...] = ()) -> list[Quote]:
    """Every quote in a list of body paragraphs, pull quotes included (indexes and spans over the list as given).

    lang is a hint only: French and English cues are always both tried, because quotes
    cross languages ("…,” a déclaré X) and detected languages can be wrong on short text.
    organisations: names known to be organisations (the site's name and host label).
    """
    return _spans(_analyse(list(paragraphs), kinds, lang, organisations).found, list(paragraphs))


def _site_organisations(doc: Document) -> tuple[str, ...]:
    """The publisher as an organisation: its name, and its host's first label ("terre-solidaire" of terre-solidaire.org)."""
    host = (doc.site or "").removeprefix("www.")
    return tuple(n for n in (doc.site_name, host.split(".")[0] if "." in host else None) if n)


def attribute_quotes(doc: Document, opts: CleanOptions, stats: Stats) -> Document:
    """Fill doc.quotes; pull quotes and their name lines leave the body (doc.removed says why)."""
    texts = [p.text for p in doc.paragraphs]
    analysis = _analyse(texts, [p.kind for p in doc.paragraphs], doc.lang, _site_organisations(doc))
    gone = analysis.pulls | analysis.attribution_lines
    kept = [i for i in range(len(texts)) if i not in gone]
    new_index = {old: new for new, old in enumerate(kept)}
    removed = list(doc.removed)
    for i in sorted(gone):
        reason = Reason.PULL_QUOTE if i in analysis.pulls else Reason.ATTRIBUTION
        removed.append(Removed(texts[i], reason.value))
    remapped: list[FoundQuote] = []
    for f in analysis.found:
        q = f.quote
        if q.kind == QuoteKind.PULL.value and f.source is not None:
            j, s, e = f.source
            anchor = (new_index[j], s, new_index[j], e)
            q = _replace(q, paragraph=new_index[j], paragraphs=(new_index[j],))
        else:
            p0, a, p1, b = f.anchor
            anchor = (new_index[p0], a, new_index[p1], b)
            paragraphs = tuple(new_index[i] for i in q.paragraphs)
            q = _replace(q, paragraph=paragraphs[0], paragraphs=paragraphs)
        remapped.append(FoundQuote(q, anchor))
    paragraphs = [doc.paragraphs[i] for i in kept]
    quotes = _spans(remapped, [p.text for p in paragraphs])
    for q in quotes:
        stats.inc(f"quotes/{q.kind}")
    stats.inc("quotes/paragraphs_removed", len(gone))
    return doc.replace(paragraphs=paragraphs, quotes=quotes, removed=removed)
