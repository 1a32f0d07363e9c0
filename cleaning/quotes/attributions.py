"""Where a quote's attribution sits: an incise inside the marks, a cue before or after
them, or reported speech ("X said that …", "selon X, …") with no marks at all."""

from __future__ import annotations

import re
from dataclasses import dataclass

from cleaning.quotes.lexicon import QuoteLexicon, SPACES, WORD, fold_same_length, is_capitalised, words_in
from cleaning.quotes.marks import is_title_like, quoted_segments
from cleaning.core.schema import QuoteKind
from cleaning.quotes.sentences import sentence_end, sentence_start
from cleaning.quotes.speakers import (
    PREPOSITIONS, Speaker, attribution_line, pronoun_speaker, parse_chunk, speaker_backward, speaker_forward, speaker_ok,
    starts_adjunct, top_chunks,
)


@dataclass(frozen=True, slots=True)
class Attribution:
    speaker: Speaker
    cue: str
    start: int  # where the attribution begins in the paragraph
    end: int  # where it ends
    content: tuple[int, int] | None = None  # reported clause, for indirect statements


def cue_then_speaker(text: str, folded: str, pos: int, hi: int, lex: QuoteLexicon, strict: bool) -> Attribution | None:
    """A cue at pos followed by its speaker: "a déclaré X, rôle", "said X", "selon X", "a-t-il ajouté"."""
    lead = re.match(r"[\s,.;—–\-]*", folded[pos:hi])
    at = pos + lead.end()
    m = lex.cue.match(folded, at, hi)
    source = None if m else lex.source.match(folded, at, hi)
    if not m and not source:
        return None
    hit = m or source
    cue = text[hit.start():hit.end()].strip()
    if m and m.group("pinv"):
        return Attribution(pronoun_speaker(cue, lex), cue, pos, hit.end())
    stop = sentence_end(text, hit.end(), hi, lex)
    after = hit.end()
    skip = lex.after_cue.match(folded, after, stop)  # "a estimé jeudi le porte-parole …", "told reporters …"
    if skip:
        after = skip.end()
    parsed = speaker_forward(text[after:stop], lex, strict)
    if parsed is None and not strict and starts_adjunct(folded[after:stop].lstrip(), lex):
        parsed, after = _past_adjunct(text, after, stop, lex)
    if parsed is None:
        return None
    speaker, used = parsed
    if speaker.speaker is None and not speaker.pronoun:
        return None
    end = after + used
    if not strict:
        end = stop
    return Attribution(speaker, cue, pos, end)


def _past_adjunct(text: str, start: int, stop: int, lex: QuoteLexicon) -> tuple[tuple[Speaker, int] | None, int]:
    """"estime dans un entretien au Monde l’ancienne ministre Rama Yade": the speaker after a where / when phrase."""
    found = list(WORD.finditer(text, start, stop))[:12]
    for k, m in enumerate(found[1:], 1):
        word = fold_same_length(m.group())
        if not (word in lex.determiners or re.match(r"^[ld]'", word) or is_capitalised(m.group())):
            continue
        if fold_same_length(found[k - 1].group()) in PREPOSITIONS:
            continue  # the object of "auprès de", "au": l’AFP, Monde — not the speaker
        head = parse_chunk(text[m.start():stop].split(",")[0], lex)
        if head.kind in ("name", "role") and head.complete:
            parsed = speaker_forward(text[m.start():stop], lex, strict=False)
            if parsed is not None and parsed[0].speaker:
                return parsed, m.start()
    return None, start


def subject_cue(text: str, folded: str, lo: int, hi: int, lex: QuoteLexicon) -> tuple[Attribution, int] | None:
    """"Jane Doe, director, said …" / "X a déclaré …": the first cue in [lo, hi) whose left side is all subject.

    Returns the attribution (content unset) and the index right after the cue.
    """
    for m in lex.cue.finditer(folded, lo, hi):
        if m.group("pinv"):
            continue
        left = text[lo:m.start()]
        if not left.strip() or left.rstrip().endswith((",", "«", "“")) and not words_in(left):
            continue
        # drop leading adjunct pieces ("In a statement, Jane Doe said")
        parsed = speaker_backward(left, lex)
        if parsed is None:
            continue
        speaker, start = parsed
        head = left[:start]
        if head.strip() and not all(parse_chunk(left[s:e], lex).kind == "adjunct" for s, e in top_chunks(head.rstrip(" ,")) if left[s:e].strip()):
            continue
        return Attribution(speaker, text[m.start():m.end()].strip(), lo + start, m.end()), m.end()
    return None


def tail_is_adjunct(text: str, lex: QuoteLexicon, cue: str) -> bool:
    """After "said": nothing, or only when / where / to whom ("on Monday", "in a statement", "told reporters")."""
    tail = fold_same_length(text).strip(" .,;:!?…»”\"'")
    if not tail:
        return True
    if fold_same_length(cue).endswith(("told", "tells")) and len(words_in(tail)) <= 6:
        return True
    first = tail.split(",")[0].strip()
    # once a when / where phrase opens the tail, what follows hangs on it ("on 3 March, as talks opened, where …")
    return bool(first) and (starts_adjunct(first, lex) or (
        len(words_in(first)) <= 3 and (words_in(first) or [""])[0] in ("à", "au", "to", "aux")))  # "—": no word


def find_incise(text: str, folded: str, start: int, end: int, lex: QuoteLexicon) -> Attribution | None:
    """The attribution inside the marks: "…, a déclaré X, rôle. …" / "…, a-t-il ajouté, …"."""
    for m in re.finditer(r"[,—–(]\s*", folded[start:end]):
        at = start + m.start()
        attribution = cue_then_speaker(text, folded, at, end, lex, strict=True)
        if attribution is None:
            continue
        tail = end if attribution.end >= end else attribution.end
        # eat the punctuation closing the incise
        while tail < end and text[tail] in ",—–)" + SPACES:
            tail += 1
        return Attribution(attribution.speaker, attribution.cue, at, tail)
    return None


def after_attribution(text: str, folded: str, pos: int, lex: QuoteLexicon) -> Attribution | None:
    """Attribution right after a closing mark: ", a déclaré X." / ", said X." / "X said." / ", selon X."."""
    hi = sentence_end(text, pos, len(text), lex)
    # a following opener ends the region too
    nxt = min([i for i in (text.find(c, pos) for c in "«“„") if i != -1] + [hi])
    hi = min(hi, nxt)
    region = folded[pos:hi]
    if not region.strip(" ,.;—–-\u00a0"):
        return None
    inverted = cue_then_speaker(text, folded, pos, hi, lex, strict=False)
    if inverted is not None:
        return Attribution(inverted.speaker, inverted.cue, pos, hi)
    lead = pos + len(region) - len(region.lstrip(" ,.;—–-"))
    subject = subject_cue(text, folded, lead, hi, lex)
    if subject is not None:
        attribution, cue_end = subject
        if tail_is_adjunct(text[cue_end:hi], lex, attribution.cue):
            return Attribution(attribution.speaker, attribution.cue, pos, hi)
    if re.match(r"^\s*[—–]", region):  # “…” — Jane Doe, survivor
        who = attribution_line(text[pos:], lex)
        if who is not None:
            return Attribution(who, "", pos, len(text))
    cue = lex.cue.match(folded, lead, hi)
    if cue is not None and re.match(r"^\s*[,.]?\s*$", folded[pos:lead]):
        # ", a déclaré <someone we cannot read>": still somebody's words
        return Attribution(Speaker(None, None), text[cue.start():cue.end()].strip(), pos, hi)
    return None


def before_attribution(text: str, folded: str, open_at: int, lex: QuoteLexicon, floor: int) -> tuple[Attribution | None, bool]:
    """Attribution leading to an opening mark: "X, rôle, a déclaré : «" / "Selon X, «" / "Jane said: “".

    The flag is True when the quote sits inside reported speech ("X a déclaré que « … »"): mixed.
    """
    lo = sentence_start(text, open_at, lex, floor)
    region = folded[lo:open_at]
    if not region.strip():
        return None, False
    stripped = region.rstrip(" \u00a0")
    mixed = bool(re.search(r"(?:^|\s)(?:que|qu'|that)$", stripped))
    if mixed:
        stripped = re.sub(r"\s*(?:que|qu'|that)$", "", stripped)
    if not mixed and not stripped.endswith((":", ",", "—", "–")):
        return None, False
    body_end = lo + len(stripped.rstrip(":,—– "))
    source = lex.source.match(folded, lo + len(region) - len(region.lstrip()), body_end) or lex.topic.match(folded, lo, body_end)
    if source is not None:
        parsed = speaker_forward(text[source.end():body_end], lex, strict=False)
        if parsed and (parsed[0].speaker or parsed[0].pronoun):
            return Attribution(parsed[0], text[source.start():source.end()].strip(), lo, open_at), mixed
    subject = subject_cue(text, folded, lo, body_end, lex)
    if subject is not None:
        attribution, cue_end = subject
        tail = text[cue_end:body_end]
        if tail_is_adjunct(tail, lex, attribution.cue) or fold_same_length(attribution.cue).endswith(("told", "tells", "dit", "a dit")):
            return Attribution(attribution.speaker, attribution.cue, lo, open_at), mixed
    if stripped.endswith(":") and not mixed:
        bare = speaker_backward(text[lo:body_end], lex)
        if bare is not None and not text[lo:lo + bare[1]].strip() and bare[0].speaker and is_capitalised(bare[0].speaker):
            return Attribution(bare[0], "", lo, open_at), False
    inverted = cue_then_speaker(text, folded, lo, body_end, lex, strict=False)
    if inverted is not None and region.lstrip()[:1].isupper() is False:
        return Attribution(inverted.speaker, inverted.cue, lo, open_at), mixed
    return None, False


def reported_speech(text: str, folded: str, s: int, e: int, lex: QuoteLexicon) -> tuple[Attribution, str] | None:
    """Reported speech in one sentence: "…, a déclaré X", "X said that …", "Selon X, …", "…, according to X"."""
    end = e
    while end > s and text[end - 1] in ".!?…;: \u00a0\u202f»”\"":
        end -= 1
    sentence_f = folded[s:end]
    # "Selon X, …" / "According to X, …" / "Pour X, …"
    lead = lex.source.match(folded, s, end) or lex.topic.match(folded, s, end)
    if lead is not None:
        comma = text.find(",", lead.end(), end)
        if comma != -1:
            comma = _past_roles(text, comma, end, lex)
            parsed = speaker_forward(text[lead.end():comma], lex, strict=True)
            content = (comma + 1, end)
            if parsed and (parsed[0].speaker or parsed[0].pronoun) and parsed[1] >= comma - lead.end() - 1 \
                    and len(words_in(text[content[0]:content[1]])) >= 3:
                if lead.re is lex.topic and not (parsed[0].speaker and is_capitalised(parsed[0].speaker)):
                    return None
                return _with_kind(text, Attribution(parsed[0], text[lead.start():lead.end()].strip(), s, comma, content), lex)
    for m in list(lex.cue.finditer(folded, s, end)) + list(lex.source.finditer(folded, s, end)):
        before = text[s:m.start()].rstrip(" \u00a0\u202f")
        if m.re is lex.cue and m.group("pinv") or (m.re is lex.cue and re.match(r"^[\w']+-(?:t-)?(?:il|elle|on|ils|elles)$", sentence_f[m.start() - s:m.end() - s])):
            # "…, a-t-il ajouté." / "…, ajoute-t-elle."
            if before.endswith(",") and len(words_in(before)) >= 4 and tail_is_adjunct(text[m.end():end], lex, ""):
                return _with_kind(text, Attribution(pronoun_speaker(text[m.start():m.end()], lex), text[m.start():m.end()], m.start(), end, (s, len(before) + s - 1 + 1 - 1)), lex)
            continue
        # inverted after a comma: "CONTENT, a déclaré X …" / "CONTENT, said X" / "CONTENT, selon X"
        if before.endswith(",") and len(words_in(before)) >= 4:
            attribution = cue_then_speaker(text, folded, m.start(), end, lex, strict=False)
            if attribution is not None and attribution.speaker.speaker is not None or (attribution and attribution.speaker.pronoun):
                if speaker_ok(attribution.speaker, lex):
                    content = (s, s + len(before) - 1)
                    return _with_kind(text, Attribution(attribution.speaker, attribution.cue, m.start(), end, content), lex)
        if m.re is lex.source:
            continue
        # subject first: "[adjuncts,] X said [adjunct] that CONTENT" or "CONTENT, X said [adjunct]."
        subject = subject_cue(text, folded, s, m.end(), lex)
        if subject is not None:
            # "[adjuncts,] X said [adjunct] that CONTENT"
            attribution, cue_end = subject
            that = _that_clause(text[cue_end:end], lex, attribution.cue)
            if cue_end == m.end() and speaker_ok(attribution.speaker, lex) and that is not None:
                content = (cue_end + that, end)
                if len(words_in(text[content[0]:content[1]])) >= 3:
                    return _with_kind(text, Attribution(attribution.speaker, attribution.cue, attribution.start,
                                                         cue_end, content), lex)
        if subject is not None:
            continue  # the whole left side is the subject: no reported clause before it
        # "CONTENT, X, role, said [when]." : the subject starts after a comma inside the sentence
        for cs in [i + 1 for i, ch in enumerate(text[s:m.start()], s) if ch == ","]:
            sub = subject_cue(text, folded, cs, m.end(), lex)
            if sub is not None and sub[1] == m.end() and len(words_in(text[s:cs])) >= 4 \
                    and tail_is_adjunct(text[m.end():end], lex, sub[0].cue) and speaker_ok(sub[0].speaker, lex):
                att = sub[0]
                return _with_kind(text, Attribution(att.speaker, att.cue, cs, end, (s, cs - 1)), lex)
    return None


def _past_roles(text: str, comma: int, end: int, lex: QuoteLexicon) -> int:
    """"Selon X, avocat des riverains, le projet …": the comma after the source's role pieces, not the first one.

    A piece counts as a role when it reads as one and is not led by a definite article
    ("le gouvernement doit …" opens the reported clause); words must remain for the clause."""
    while True:
        nxt = text.find(",", comma + 1, end)
        if nxt == -1:
            return comma
        piece = text[comma + 1:nxt]
        first = fold_same_length((words_in(piece) or [""])[0])
        definite = first in lex.determiners and first not in ("un", "une", "a", "an")
        if parse_chunk(piece, lex).kind != "role" or definite or len(words_in(text[nxt + 1:end])) < 3:
            return comma
        comma = nxt


def _that_clause(tail: str, lex: QuoteLexicon, cue: str) -> int | None:
    """Where the reported clause starts after the verb: "that …", "on Monday that …", "que …", or a bare clause after "said"."""
    folded = fold_same_length(tail)
    m = lex.that.match(folded)
    if m:
        return m.end()
    m = re.search(r"\s(?:that|que|qu')(?:\s|(?<='))", folded)
    if m and m.start() < 80 and (starts_adjunct(folded.strip(), lex) or fold_same_length(cue).endswith(("told", "tells"))):
        return m.end()
    words = words_in(folded)
    if fold_same_length(cue).split()[-1] in lex.clause_verbs and len(words) >= 4 and not starts_adjunct(folded.strip(), lex) \
            and not folded.lstrip().startswith((",", ":")):
        if fold_same_length(cue).endswith(("told", "tells")):
            # "told reporters the blaze was …", "told the BBC the talks had …": the person told is not the clause
            told = re.match(r"\s*(?:(?:the|a|an)\s+)?(?:[A-Z][\w.&'’-]*(?:\s+[A-Z][\w.&'’-]*)*|[a-z]+)\s+", tail)
            if told and len(words_in(tail[told.end():])) >= 3:
                return told.end()
        return len(folded) - len(folded.lstrip())
    return None


def _with_kind(text: str, attribution: Attribution, lex: QuoteLexicon) -> tuple[Attribution, str]:
    """Indirect, or mixed when the reported clause quotes some words (not a mere name in quotes)."""
    s, e = attribution.content
    quoted = [seg for seg in quoted_segments(text[s:e]) if seg.open_at is not None and seg.close_at is not None]
    for seg in quoted:
        words = text[s + seg.start:s + seg.end]
        if not is_title_like(words, lex):
            return attribution, QuoteKind.MIXED.value
    return attribution, QuoteKind.INDIRECT.value
