"""Who speaks: the name, role, organisation or pronoun in an attribution phrase.

Attributions are comma-separated pieces ("Jane Doe, director at X, said"); each piece is
read as a name, a role, a pronoun or a when/where adjunct, then the pieces are combined.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cleaning.quotes.lexicon import QuoteLexicon, WORD, fold_same_length, is_capitalised, is_possessive, words_in


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip(" ,;:—–-\t\n\u00a0\u202f")


@dataclass(frozen=True, slots=True)
class _Chunk:
    kind: str  # pronoun / name / role / adjunct / other
    speaker: str | None = None
    role: str | None = None
    complete: bool = True  # the chunk is nothing but the speaker (plus a time or place adjunct)


@dataclass(frozen=True, slots=True)
class Speaker:
    speaker: str | None
    role: str | None
    pronoun: bool = False
    gender: str | None = None  # "f" / "m" when a pronoun ("elle", "he") or a title says so
    personal: bool = False  # a pronoun only people are called by ("he", "she"; "elle" may be "l’association")


def pronoun_gender(text: str) -> str | None:
    """"f" for elle / she, "m" for il / he, None for they / on / nous."""
    words = set(fold_same_length(text).replace("-", " ").split())
    if words & {"elle", "elles", "she", "her"}:
        return "f"
    if words & {"il", "ils", "he", "him"}:
        return "m"
    return None


def pronoun_speaker(text: str, lex: QuoteLexicon) -> Speaker:
    """The speaker a pronoun cue stands for, still to be resolved: its gender, and whether only a person fits."""
    words = set(fold_same_length(text).replace("-", " ").split())
    return Speaker(None, None, pronoun=True, gender=pronoun_gender(text), personal=bool(words & lex.personal_pronouns))


def starts_adjunct(folded: str, lex: QuoteLexicon) -> bool:
    folded = folded.strip()
    if not folded:
        return True
    if re.match(r"^(?:le|the|on|du|depuis|en|in)?\s*\d", folded) or folded[0] in "(":
        return True
    return bool(lex.adjunct.match(folded))


def _name_run(text: str, lex: QuoteLexicon) -> tuple[list[re.Match], int]:
    """The capitalised run of words opening text (particles inside allowed): its words and end."""
    run: list[re.Match] = []
    pending: list[re.Match] = []
    prev_end = 0
    for m in WORD.finditer(text):
        gap = text[prev_end:m.start()]
        if (run or pending) and gap.strip():
            last = (pending or run)[-1].group()
            if not (gap.strip() == "." and ((len(last) == 1 and last.isupper()) or fold_same_length(last) in lex.abbreviations)):
                break
        elif not run and gap.strip():
            break
        word = m.group()
        if is_capitalised(word) and not (run and word in lex.stops and word not in ("The",)) and not (not run and word in lex.stops):
            run.extend(pending)
            pending = []
            run.append(m)
        elif run and fold_same_length(word) in lex.particles:
            pending.append(m)
        elif run and re.match(r"^[dl]['’]", word) and is_capitalised(word):
            run.extend(pending)
            pending = []
            run.append(m)
        else:
            break
        prev_end = m.end()
    end = run[-1].end() if run else 0
    return run, end


def _split_role_name(text: str, run: list[re.Match], lex: QuoteLexicon) -> tuple[str | None, str | None]:
    """("Agnès Callamard", "Amnesty International’s Secretary General") from one capitalised run."""
    last_role = None
    if len(run) > 1 and fold_same_length(run[-1].group()) in lex.org_words and not any(
            fold_same_length(m.group()) in lex.role_words for m in run):
        return text[run[0].start():run[-1].end()], None  # "Valley Farmers’ Union": the possessive is the name's
    for i, m in enumerate(run):
        parts = fold_same_length(m.group()).replace("'s", "").split("-")
        if is_possessive(m.group()) or any(p in lex.role_words for p in parts) or fold_same_length(m.group()) in lex.role_words:
            last_role = i
    if last_role is None:
        return text[run[0].start():run[-1].end()], None
    if last_role == len(run) - 1:
        return None, text[run[0].start():run[-1].end()]
    rest = run[last_role + 1:]
    if fold_same_length(rest[0].group()) in lex.particles:
        # "High Commissioner for Human Rights Volker Türk": the person is the last capitalised words
        tail = []
        for m in reversed(rest):
            if fold_same_length(m.group()) in lex.particles or fold_same_length(m.group()) in lex.not_person or len(tail) == 3:
                break
            tail.insert(0, m)
        if len(tail) < 2 or len(tail) == len(rest):
            return None, text[run[0].start():run[-1].end()]
        return text[tail[0].start():tail[-1].end()], text[run[0].start():rest[len(rest) - len(tail) - 1].end()]
    if len(rest) == 1 and last_role == 0:
        return text[run[0].start():run[-1].end()], None  # "President Ruto", "Ms Achieng": a title and a surname
    return text[rest[0].start():rest[-1].end()], text[run[0].start():run[last_role].end()]


_CONJUNCTIONS = {"but", "and", "yet", "however", "so", "mais", "et", "or", "ou", "puis", "while", "tandis"}
PREPOSITIONS = {"of", "for", "at", "in", "from", "with", "on", "by", "de", "du", "des", "à", "au", "aux", "pour",
                 "chez", "sur", "dans", "en", "par", "auprès"}


def _phrase_words(text: str) -> list[str]:
    """The words of a phrase before its first preposition ("the group's aid coordinator" of "… for Europe")."""
    out: list[str] = []
    for word in words_in(text):
        folded = fold_same_length(word)
        if out and (folded in PREPOSITIONS or re.match(r"^[dl]'", folded)):
            break
        out.append("" if re.search(r"(?:'s|s')$", folded) else folded)
    return [w for w in out if w]


def _is_role_phrase(text: str, lex: QuoteLexicon) -> bool:
    """A title or a body heads the phrase: "directrice générale de …", "a government spokesperson"."""
    nouns = lex.role_words | lex.speaker_nouns
    words = _phrase_words(text)
    if words and words[0] in lex.determiners:
        words = words[1:]
    if not words or len(words) > 4 or len(words_in(text)) > 14:
        return False
    if any(fold_same_length(w) in lex.clause_words for w in words_in(text)):
        return False  # "the authorities of X must end …" is a clause, not a title
    def is_role(word: str) -> bool:
        forms = {word, word[:-1] if word.endswith(("s", "x")) else word}  # plurals: "les représentants"
        return bool(forms & nouns) or bool(set(word.split("-")) & nouns) or is_agent_noun(word, lex)
    return any(is_role(w) for w in words[:2]) or is_role(words[-1])


def is_agent_noun(word: str, lex: QuoteLexicon) -> bool:
    """A trade named by its ending: "scientist", "économiste", "hydrologue" (cleaning/lexicon/quotes.toml role_suffixes)."""
    folded = fold_same_length(word)
    return any(folded.endswith(suffix) and len(folded) > len(suffix) + 1 for suffix in lex.role_suffixes)


def _extend_name(body: str, end: int, lex: QuoteLexicon) -> int:
    """"Reporters sans frontières", "Comité international de la Croix-Rouge": lower-case words inside a French name."""
    tail = body[end:]
    stop = len(tail)
    m = re.search(r"[,;:.()«»“”\"]", tail)
    if m:
        stop = m.start()
    words = list(WORD.finditer(tail[:stop]))
    taken = 0
    for i, w in enumerate(words):
        folded = fold_same_length(w.group())
        rest = fold_same_length(tail[w.start():stop])
        if starts_adjunct(rest, lex) and folded not in lex.particles or folded in lex.role_words \
                or folded in lex.pronouns or (folded in lex.determiners and folded not in lex.particles and i == 0) \
                or folded in lex.name_breaks or lex.cue.match(rest):
            break
        taken = i + 1
    while taken and fold_same_length(words[taken - 1].group()) in lex.particles | lex.determiners:
        taken -= 1
    if not taken or taken > 5:
        return end
    return end + words[taken - 1].end()


def parse_chunk(text: str, lex: QuoteLexicon) -> _Chunk:
    """What one comma-separated piece of an attribution is: a name, a role, a pronoun, an adjunct."""
    text = text.strip(" \t\u00a0\u202f—–-")
    words = words_in(text)
    while words and fold_same_length(words[0]) in _CONJUNCTIONS and len(words) > 1:
        text = text[text.index(words[0]) + len(words[0]):].strip()
        words = words_in(text)
    folded = fold_same_length(text)
    if not text or not words:
        return _Chunk("other")
    if folded in lex.pronouns:
        return _Chunk("pronoun", speaker=text)
    first = fold_same_length(words[0])
    body = text
    if first in lex.determiners or re.match(r"^[ld]'", first):
        cut = len(words[0]) if first in lex.determiners else 2
        rest = text[text.index(words[0]) + cut:].lstrip()
        if rest and (is_capitalised(rest) or _is_role_phrase(rest, lex)):
            body = rest
    if body is text and starts_adjunct(folded, lex):
        return _Chunk("adjunct")
    if is_capitalised(body) and not words_in(body)[0] in lex.stops:
        run, end = _name_run(body, lex)
        if run:
            tail = body[end:].strip()
            if is_possessive(run[-1].group()) or (tail and fold_same_length(words_in(tail)[0] if words_in(tail) else "") in lex.role_words):
                found = _trailing_name(text, lex)
                if found:
                    return _Chunk("name", speaker=found[0], role=_clean(found[1]))
                return _Chunk("role", role=_clean(text), speaker=_cut_adjunct_tail(text, lex))
            name, role = _split_role_name(body, run, lex)
            if name is not None and role is None:
                person, org = _person_of_org(name, lex)
                if org:
                    return _Chunk("name", speaker=person, role=org, complete=True)
                split = _org_then_person(body, run, lex)
                if split:
                    return _Chunk("name", speaker=split[0], role=split[1], complete=True)
                end = _extend_name(body, end, lex)
                name = body[:end].strip()
                tail = body[end:].strip()
            if name is None and tail:  # "Défenseure des droits": an office named by its title
                end = _extend_name(body, end, lex)
                role = body[:end].strip()
                tail = body[end:].strip()
            complete = not tail or starts_adjunct(fold_same_length(tail), lex) or tail.startswith("(")
            aside = re.fullmatch(r"\(([^()]{2,80})\)", tail)
            if aside and role is None and name is not None and not re.fullmatch(r"[A-Z0-9&.\-]+", aside.group(1).strip()):
                role = aside.group(1).strip()  # "Sofia Berger (Terre Solidaire)"; an acronym "(TS)" is the name's own
            if name is None:
                return _Chunk("role", role=role, speaker=role, complete=complete)
            return _Chunk("name", speaker=name, role=role, complete=complete)
    found = _trailing_name(text, lex)
    if _is_role_phrase(body, lex):
        if found:
            return _Chunk("name", speaker=found[0], role=_clean(found[1]))
        phrase = _cut_adjunct_tail(text, lex)
        return _Chunk("role", role=phrase, speaker=phrase)
    if found and first in lex.determiners and len(words_in(found[1])) <= 3 and words_in(found[1])[-1].islower():
        return _Chunk("name", speaker=found[0], role=_clean(words_in(found[1]) and found[1][len(words[0]):]))
    return _Chunk("other")


def _org_then_person(text: str, run: list[re.Match], lex: QuoteLexicon) -> tuple[str, str] | None:
    """("Irina Dobreva", "Vigie Internationale") from the run "Vigie Internationale Irina Dobreva"."""
    folded = [fold_same_length(m.group()) for m in run]
    last_org = max((i for i, w in enumerate(folded) if w in lex.org_words), default=None)
    if last_org is None:
        return None
    if last_org == 0 and folded[0] in lex.org_anaphors | lex.speaker_nouns:
        return None  # "Alliance Rivières Vivantes", "Fondation Abbé Pierre": the kind opens the organisation's own name
    tail = run[last_org + 1:]
    if not 2 <= len(tail) <= 3 or any(fold_same_length(m.group()) in lex.particles | lex.not_person | lex.org_words for m in tail):
        return None
    return text[tail[0].start():tail[-1].end()], text[run[0].start():run[last_org].end()]


def _person_of_org(name: str, lex: QuoteLexicon) -> tuple[str, str | None]:
    """("Jane Moyo", "Amnesty International") from "Jane Moyo of Amnesty International"."""
    m = re.search(r"\s(?:(?:of|from|at|de|du|chez)\s+|d')(?=\S)", fold_same_length(name))
    if not m:
        return name, None
    person, org = name[:m.start()], name[m.end():]
    if is_org(person, lex) or not is_org(org, lex) or not 1 <= len(words_in(person)) <= 4:
        return name, None
    return person.strip(), org.strip()


def _trailing_name(text: str, lex: QuoteLexicon) -> tuple[str, str] | None:
    """("Jane Doe", "the organisation's director") from "the organisation's director Jane Doe"."""
    matches = list(WORD.finditer(text))
    i = len(matches)
    while i > 0 and is_capitalised(matches[i - 1].group()) and fold_same_length(matches[i - 1].group()) not in lex.role_words \
            and not is_possessive(matches[i - 1].group()) and not re.match(r"^[dlDL]['’]", matches[i - 1].group()):
        i -= 1
    if i == len(matches) or i == 0 or len(matches) - i > 5:
        return None
    if text[matches[i - 1].end():matches[i].start()].strip():
        return None
    before = fold_same_length(matches[i - 1].group())
    # "de l’hôpital Bichat": a common noun with an elided article, then a name: a place or body, not a person;
    # "de l’Alliance Rivières Vivantes", "de l’ONG Terre Solidaire": an organisation's kind opens the name after
    # its article (while "la ministre de l’Intérieur Catherine Vautrin" names a person after the ministry)
    if before in lex.particles or before in lex.determiners or before in PREPOSITIONS \
            or re.match(r"^[dl]'", fold_same_length(matches[i].group())) \
            or re.match(r"^[dl]'", before) and (not is_capitalised(matches[i - 1].group())
                                                or before[2:] in lex.org_words | lex.org_anaphors | lex.speaker_nouns):
        return None
    if any(fold_same_length(m.group()) in lex.not_person for m in matches[i:]):
        return None
    return text[matches[i].start():].strip(), text[:matches[i].start()].strip()


def _cut_adjunct_tail(text: str, lex: QuoteLexicon) -> str:
    """"le porte-parole du ministère" from "le porte-parole du ministère jeudi"."""
    for m in WORD.finditer(text):
        if m.start() and fold_same_length(m.group()) in {"lors", "jeudi", "lundi", "mardi", "mercredi", "vendredi", "samedi",
                                              "dimanche", "today", "yesterday", "on", "in", "aujourd'hui", "hier"}:
            return _clean(text[:m.start()])
    return _clean(text)


def top_chunks(text: str) -> list[tuple[int, int]]:
    """Comma-separated pieces of text (commas inside parentheses do not split)."""
    spans, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif ch == "," and depth == 0:
            spans.append((start, i))
            start = i + 1
    spans.append((start, len(text)))
    return spans


def _role_valid(chunk: _Chunk, text: str, previous_role: bool, lex: QuoteLexicon, strict: bool = True) -> bool:
    folded = fold_same_length(text.strip())
    first = (words_in(folded) or [""])[0]
    if previous_role and first in {"de", "du", "des", "d", "of", "and", "et", "at", "à", "for", "pour", "in", "en"} | {"d'"}:
        return True
    if previous_role and re.match(r"^d'", folded):
        return True
    if chunk.kind == "role":
        return True
    if chunk.kind == "other" and (words_in(text) or [""])[0].casefold() in lex.determiners and len(words_in(text)) <= 12:
        return True  # "Jane Doe, a paediatrician in Khan Younis"
    if chunk.kind == "name" and chunk.role is None and not previous_role:
        return True  # an organisation as the apposition: "Jane Doe, Amnesty International"
    if chunk.kind == "name" and chunk.role is None and chunk.complete and not strict:
        return True  # title then organisation: "said Jane Doe, chair, Residents for the River." (inside marks, the quote may go on)
    return bool(re.match(r"^\d+\s*(?:ans|years?)", folded))


def _document_author(text: str, lex: QuoteLexicon) -> _Chunk | None:
    """"an investigation published by Global Water Alliance on …" / "un rapport d’Amnesty International": its author."""
    words = _phrase_words(text)
    if words and words[0] in lex.determiners:
        words = words[1:]
    if not words or words[0] not in lex.documents:
        return None
    m = re.search(r"(?:\s(?:by|par|de|from|of|du)\s+|\sd['’])(?:(?:the|la|le|l['’])\s*)?(?=[^\W\d_])", text)
    if not m or len(words_in(text[:m.start()])) > 5:
        return None
    rest = text[m.end():]
    if not is_capitalised(rest):
        return None
    run, end = _name_run(rest, lex)
    if not run:
        return None
    end = _extend_name(rest, end, lex)
    return _Chunk("name", speaker=rest[:end].strip(), complete=True)


def speaker_forward(text: str, lex: QuoteLexicon, strict: bool) -> tuple[Speaker, int] | None:
    """Parse the speaker phrase opening text ("Erika Guevara Rosas, directrice …"); returns it and where it ends.

    strict: inside a quote, stop at the first piece that is neither a role nor an adjunct (the quote goes on).
    """
    pieces = top_chunks(text)
    speaker, role_parts, end = None, [], 0
    pronoun = False
    s, e = pieces[0]
    first = parse_chunk(text[s:e], lex)
    if first.kind == "other":
        first = _document_author(text[s:e], lex) or first
    idx = 1
    if first.kind == "pronoun":
        return pronoun_speaker(text[s:e], lex), e
    if first.kind == "role" and len(pieces) > 1:
        second = parse_chunk(text[pieces[1][0]:pieces[1][1]], lex)
        if second.kind == "name":
            speaker, role_parts, end, idx = second.speaker, [first.role], pieces[1][1], 2
    if speaker is None:
        if first.kind not in ("name", "role"):
            return None
        if strict and not first.complete:
            return None
        speaker = first.speaker
        if first.kind == "name" and first.role:
            role_parts.append(first.role)
        end = e
        if not first.complete:
            return Speaker(speaker, _clean(", ".join(role_parts)) or None, pronoun), len(text)
    after_adjunct = False
    for s, e in pieces[idx:]:
        piece = text[s:e]
        info = parse_chunk(piece, lex)
        if info.kind == "adjunct" or starts_adjunct(fold_same_length(piece), lex) and not re.match(r"^\s*(?:à|at|of|de|du|des)\s", fold_same_length(piece)):
            after_adjunct = True
            end = e
            continue
        if not after_adjunct and _role_valid(info, piece, bool(role_parts), lex, strict):
            role_parts.append(piece.strip())
            end = e
            continue
        if strict:
            break
        end = e
    if not strict:
        end = len(text)
    role = _clean(", ".join(role_parts)) or None
    return Speaker(speaker, role, pronoun), end


def _is_apposition(piece: str, lex: QuoteLexicon) -> bool:
    """A piece that can stand between a subject and its verb as a description of it:
    "responsable du plaidoyer chez l’ONG X", "watershed scientist", "Terre Solidaire", "a lawyer", "42 ans"."""
    words = words_in(piece)
    if not words or len(words) > 16:
        return False
    folded = [fold_same_length(w) for w in words]
    if folded[0] in lex.pronouns or fold_same_length(piece.strip()) in lex.pronouns:
        return False
    body = folded[1:] if folded[0] in lex.determiners else folded
    if any(w in lex.clause_words or w in ("que", "qu'", "that") for w in body):
        return False  # "the law must change": a clause, not a description
    if lex.cue.search(fold_same_length(piece)):
        return False
    info = parse_chunk(piece, lex)
    if info.kind in ("role", "name"):
        return True
    if re.match(r"^\s*\d+\s*(?:ans|years?)", fold_same_length(piece)):
        return True
    return info.kind == "other" and (words[0][0].islower() or folded[0] in lex.determiners)


def _described_by_article(piece: str, lex: QuoteLexicon) -> bool:
    """"The warehouse owner", "a retired teacher": an article, a few lower-case words, no clause."""
    words = words_in(piece)
    return 2 <= len(words) <= 6 and fold_same_length(words[0]) in lex.determiners \
        and all(w.islower() for w in words[1:]) and _is_apposition(piece, lex)


def _subject_with_appositions(body: str, pieces: list[tuple[int, int]], lex: QuoteLexicon) -> tuple[Speaker, int] | None:
    """Speaker first, described after commas: "Sofia Berger, responsable du plaidoyer chez X, [a affirmé]".

    The first piece that is not a when / where adjunct is the name; every later piece must be an
    apposition (a role, an organisation, a description), which together make the role.
    """
    k = 0
    while k < len(pieces) and parse_chunk(body[pieces[k][0]:pieces[k][1]], lex).kind == "adjunct":
        k += 1
    if k >= len(pieces) - 1:
        return None  # nothing after the name: the backward reading has it
    s, e = pieces[k]
    head = parse_chunk(body[s:e], lex)
    if head.kind != "name" or not head.complete or not head.speaker or not _looks_like_person(head.speaker, lex):
        return None  # capitalised words only: "The Ministry of X must put an end …" is a clause, not a name
    rest = [body[a:b].strip() for a, b in pieces[k + 1:]]
    if not all(_is_apposition(piece, lex) for piece in rest):
        return None
    if is_org(head.speaker, lex):
        # "Rivières Vivantes, Sophie Lachance, directrice générale": the person named after the organisation speaks
        if any(parse_chunk(p, lex).kind == "name" and not is_org(parse_chunk(p, lex).speaker, lex) for p in rest):
            return None
    role = _clean(", ".join(([head.role] if head.role else []) + rest))
    return Speaker(head.speaker, role or None), s


def speaker_backward(text: str, lex: QuoteLexicon) -> tuple[Speaker, int] | None:
    """Parse the subject ending text ("…, Jane Doe, director at X,"): the speaker and where it starts.

    The name may open the subject, with its descriptions after it ("Jane Doe, director at X,"), or
    close it, with its title before ("the director of X, Jane Doe,"); the first reading wins when
    the piece that opens the subject is a name and every later piece describes it.
    """
    body = text.rstrip(" ,\u00a0\u202f")
    first_name = _subject_with_appositions(body, top_chunks(body), lex)
    found = _speaker_backward(body, lex)
    if first_name is not None and (found is None or found[1] > first_name[1]):
        return first_name
    return found


def _speaker_backward(body: str, lex: QuoteLexicon) -> tuple[Speaker, int] | None:
    pieces = [p for p in top_chunks(body)]
    role_parts: list[str] = []
    i = len(pieces) - 1
    while i >= 0:
        s, e = pieces[i]
        piece = body[s:e]
        info = parse_chunk(piece, lex)
        if info.kind == "pronoun":
            return pronoun_speaker(piece, lex), s
        if info.kind == "adjunct" and i > 0 and not role_parts:
            if re.match(r"^\s*\d+\s*(?:ans|years?)", fold_same_length(piece)):
                role_parts.append(piece.strip())
            i -= 1
            continue
        if info.kind == "name" and info.complete:
            role = info.role
            start = s
            if i > 0:
                ps, pe = pieces[i - 1]
                before = parse_chunk(body[ps:pe], lex)
                opens = i - 1 == 0 or parse_chunk(body[pieces[i - 2][0]:pieces[i - 2][1]], lex).kind == "adjunct"
                if before.kind == "role" and opens:
                    role, start = before.role, ps
                elif before.kind == "other" and opens and _described_by_article(body[ps:pe], lex):
                    role, start = _clean(body[ps:pe]), ps  # "The warehouse owner, Tom Briggs, said"
            if role_parts:
                role = _clean(", ".join(([role] if role else []) + role_parts[::-1]))
            return Speaker(info.speaker, role or None), start
        if info.kind == "role" and i == len(pieces) - 1 or info.kind == "role" and not role_parts and i == 0:
            if i == 0 or parse_chunk(body[pieces[i - 1][0]:pieces[i - 1][1]], lex).kind != "name":
                if info.complete and len(words_in(piece)) <= 12:
                    return Speaker(info.speaker, None), s
        led_by_article = info.kind == "other" and (words_in(piece) or [""])[0].casefold() in lex.determiners and i > 0
        if info.kind in ("role", "name") or led_by_article or (
                role_parts and re.match(r"^\s*(?:du|des|de|d'|of|and|et)\b", fold_same_length(piece))):
            role_parts.append(piece.strip())
            i -= 1
            continue
        return None
    return None


def attribution_line(text: str, lex: QuoteLexicon) -> Speaker | None:
    """"Erika Guevara Rosas, directrice générale …" / "— Jane Doe, director": a name line under a quote."""
    body = text.strip().lstrip("—–-~ ").strip()
    if not body or len(words_in(body)) > 30 or not is_capitalised(body):
        return None
    if lex.cue.search(fold_same_length(body)) and not words_in(body)[0][0].isupper():
        return None
    if re.search(r"[.!?]\s+\S", body) and not re.search(r"\b[A-Z]\.\s", body):
        return None
    pieces = top_chunks(body)
    first = parse_chunk(body[pieces[0][0]:pieces[0][1]], lex)
    if first.kind != "name" or not first.complete:
        return None
    first_text = body[pieces[0][0]:pieces[0][1]]
    if not all(is_capitalised(w) or fold_same_length(w) in lex.particles | lex.determiners for w in words_in(first_text)):
        return None  # "Nobody told them why" is a sentence, not a name line
    roles = [first.role] if first.role else []
    roles += [body[s:e].strip() for s, e in pieces[1:] if body[s:e].strip()]
    return Speaker(first.speaker, _clean(", ".join(roles)).rstrip(".") or None)


def mentioned_person(sentence: str, lex: QuoteLexicon) -> Speaker | None:
    """A person introduced as a sentence's subject ("Omar Haddad, a lawyer, described …"): whom "he" may mean."""
    pieces = top_chunks(sentence)
    first = parse_chunk(sentence[pieces[0][0]:pieces[0][1]], lex)
    if first.kind == "role" and len(pieces) > 1:
        second = parse_chunk(sentence[pieces[1][0]:pieces[1][1]], lex)
        if second.kind == "name" and second.complete:
            return None if is_org(second.speaker, lex) else Speaker(second.speaker, first.role)
    if first.kind == "name" and first.complete and len(pieces) > 1 and not is_org(first.speaker, lex) \
            and _looks_like_person(first.speaker, lex):
        second = parse_chunk(sentence[pieces[1][0]:pieces[1][1]], lex)
        role = second.role if second.kind == "role" else None
        return Speaker(first.speaker, first.role or role)
    words = list(WORD.finditer(sentence))
    i = 0
    while i < len(words) and fold_same_length(words[i].group()) in lex.determiners:
        i += 1
    titled = i
    titles = lex.role_words | lex.speaker_nouns | lex.org_words
    while i < len(words) and i - titled < 4 and (words[i].group().islower() or (
            fold_same_length(words[i].group()) in titles and i + 1 < len(words) and words[i + 1].group().islower())):
        i += 1  # "le rapporteur spécial Clément Voule", "Council member Derek Hall"
    if i > titled and not _is_role_phrase(sentence[words[titled].start():words[i - 1].end()], lex):
        return None
    j = i
    while j < len(words) and is_capitalised(words[j].group()) and words[j].group() not in lex.stops:
        j += 1
    if j - i >= (1 if i > titled else 2) and j < len(words) and words[j].group().islower() and i < j:
        name = sentence[words[i].start():words[j - 1].end()]
        if not is_org(name, lex) and _looks_like_person(name, lex):
            role = _clean(sentence[words[0].start():words[i].start()]) or None if i else None
            person, title = _split_role_name(name, list(WORD.finditer(name)), lex)
            if person and title and len(words_in(person)) >= 2:  # "Finance Minister Tomas Berglund unveiled …"
                return Speaker(person, _clean(" ".join(r for r in (role, title) if r)))
            return Speaker(name, role)
    return None


def _looks_like_person(name: str | None, lex: QuoteLexicon) -> bool:
    """Capitalised words only, not opening with a preposition ("Under the law" is no one)."""
    words = words_in(name or "")
    return bool(words) and fold_same_length(words[0]) not in PREPOSITIONS and not starts_adjunct(fold_same_length(words[0]), lex) \
        and all(is_capitalised(w) or fold_same_length(w) in lex.particles for w in words)


def speaker_ok(speaker: Speaker, lex: QuoteLexicon) -> bool:
    if speaker.pronoun:
        return True
    name = speaker.speaker or ""
    first = fold_same_length(words_in(name)[0]) if words_in(name) else ""
    # "Jane Doe", "the group", "L’association": a name, or a phrase led by an article (elided ones too)
    return bool(name) and (is_capitalised(name) or first in lex.determiners or bool(re.match(r"^l'\w", first)))


def is_org(name: str | None, lex: QuoteLexicon) -> bool:
    return bool(name) and any(fold_same_length(w) in lex.org_words for w in words_in(name))
