"""Direct, indirect, mixed and pull quotes with speaker attribution (French and English rules).

Press releases exist to put words in someone's mouth, so the conventions of the genre
are the rules: French « » (any space, or none, inside), quotes running over several
paragraphs that reopen with « and close only at the end, the incise inside the
guillemets ("…, a déclaré X, rôle. …"), "a-t-il ajouté", "selon X"; English “…,” said X,
X said: “…”, according to X; an organisation as the speaker of an indirect statement.
A quote with no attribution of its own takes the last speaker. A pull quote repeats a
sentence of a body quote; it and its "Name, role" line leave the body.

Cue words live in cleaning/lexicon/quotes.toml. Matching runs on a folded copy of each
paragraph that keeps every character offset (one character in, one out), so spans found
on the folded text slice the original.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from cleaning.annotate import content_hash, count_words
from cleaning.lexicon import load_lexicon
from cleaning.options import CleanOptions
from cleaning.schema import Document, Quote, QuoteKind, Reason, Removed
from cleaning.stats import Stats

PULL_OVERLAP = 0.9  # share of a pull quote's tokens found in the body sentence it repeats
PULL_MAX_WORDS = 70  # a pull quote is a short standalone block
PARAGRAPH_SEP = "\n\n"  # how Document.body_text joins paragraphs

_OPENERS = {"«": "»", "“": "”\"", "„": "“”", '"': '"', "‘": "’", "'": "'", "‹": "›"}
_FOLD_MAP = {"’": "'", "ʼ": "'", "\u2011": "-", "\u2010": "-", "\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2007": " "}
_FOLD_TABLE = str.maketrans(_FOLD_MAP)
_WORD = re.compile(r"[^\W_][\w'’\-\u2011]*")
_TERMINATORS = ".!?…;"
_SPACES = " \t\u00a0\u202f\u2009\u2007"


# ------------------------------------------------------------------ lexicon

def _alternation(words) -> str:
    ordered = sorted({w for w in words if w}, key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered)


@dataclass(frozen=True)
class _Lexicon:
    """Quote cues of every language, folded and compiled once."""

    cue: re.Pattern
    source: re.Pattern
    topic: re.Pattern
    that: re.Pattern
    pronouns: frozenset[str]
    determiners: frozenset[str]
    adjunct: re.Pattern  # a phrase opening that is neither a name nor a role
    role_words: frozenset[str]
    speaker_nouns: frozenset[str]
    particles: frozenset[str]
    stops: frozenset[str]
    abbreviations: frozenset[str]
    org_words: frozenset[str]
    after_cue: re.Pattern  # what may sit between a cue and its speaker: "jeudi", "à l'AFP", "on Monday"
    not_person: frozenset[str]  # capitalised words that are places or fields, never a person's name
    name_breaks: frozenset[str]  # lower-case words that end a name ("Human Rights Watch publié lundi")
    clause_words: frozenset[str]  # auxiliaries and modals: a phrase holding one is a clause
    documents: frozenset[str]  # "report", "enquête": a source whose author is the speaker
    clause_verbs: frozenset[str]  # English verbs that take a bare clause: "said the law …"


@lru_cache(maxsize=4)
def _lexicon() -> _Lexicon:
    """Every language's quote cues in one object: a block's language is not always known."""
    raw = load_lexicon("quotes")
    langs = [raw[k] for k in raw if k != "names"]

    def every(key: str) -> list[str]:
        return [_fold(w) for lang in langs for w in lang.get(key, [])]

    verbs, participles = _alternation(every("verbs")), _alternation(every("participles"))
    fr = raw.get("fr", {})
    aux_fr = _alternation(_fold(w) for w in fr.get("auxiliaries", []))
    aux_en = _alternation(_fold(w) for w in raw.get("en", {}).get("auxiliaries", []))
    adverbs = _alternation(every("adverbs"))
    pron_fr = _alternation(_fold(w) for w in fr.get("pronouns", []) if w not in ("lui", "eux"))
    cue = re.compile(
        rf"(?<![\w'-])(?:"
        rf"(?P<pinv>(?:{aux_fr})-t?-?(?:{pron_fr})\s+(?:(?:{adverbs})\s+)?(?:{participles})"
        rf"|(?:{verbs}|{participles})-(?:t-)?(?:{pron_fr}))"
        rf"|(?:{aux_fr})\s+(?:(?:{adverbs})\s+)?(?:{participles})"
        rf"|(?:{aux_en})\s+(?:(?:{adverbs})\s+)?(?:{verbs})"
        rf"|(?:(?:{adverbs})\s+)?(?:{verbs})"
        rf")(?![\w-])"
    )
    names = raw.get("names", {})
    return _Lexicon(
        cue=cue,
        source=re.compile(rf"(?<![\w'-])(?:{_alternation(every('sources'))})(?:\s+|(?<=')(?=\w))"),
        topic=re.compile(rf"^\s*(?:{_alternation(every('topic')) or '(?!)'})\s+"),
        that=re.compile(rf"^\s*(?:{_alternation(every('that'))})(?:\s+|(?<=')|$)"),
        pronouns=frozenset(every("pronouns")),
        determiners=frozenset(every("determiners")),
        adjunct=re.compile(rf"(?:{_alternation(every('adjuncts'))})(?:(?<=')|\s|$)"),
        role_words=frozenset(every("role_words")),
        speaker_nouns=frozenset(every("speaker_nouns")),
        particles=frozenset(_fold(w) for w in names.get("particles", [])),
        stops=frozenset(names.get("stops", [])),
        abbreviations=frozenset(_fold(w) for w in names.get("abbreviations", [])),
        org_words=frozenset(_fold(w) for w in names.get("organisation_words", [])),
        not_person=frozenset(_fold(w) for w in names.get("not_person", [])),
        after_cue=re.compile(rf"\s*(?:{_alternation(every('after_cue'))})(?=[\s,])[\s,]*"),
        documents=frozenset(every("documents")),
        clause_words=frozenset(every("clause_words")),
        name_breaks=frozenset(_fold(w) for w in names.get("breaks", [])),
        clause_verbs=frozenset({"said", "says", "told", "added", "adds", "warned", "argued", "insisted"}),
    )


def _fold(text: str) -> str:
    """Lower case, one apostrophe, plain hyphens and spaces — same length as the input."""
    folded = text.translate(_FOLD_TABLE)
    lowered = folded.lower()
    if len(lowered) == len(folded):
        return lowered
    return "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in folded)


# ------------------------------------------------------------------ small text helpers

def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def _norm_tokens(text: str) -> list[str]:
    """Tokens for overlap: accents, case and apostrophes folded away."""
    text = unicodedata.normalize("NFKD", _fold(text))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.findall(r"[^\W_]+", text.replace("'", " "))


def _is_cap(word: str) -> bool:
    word = re.sub(r"^[ldLD]['’]", "", word)
    return bool(word) and word[0].isupper()


def _is_possessive(word: str) -> bool:
    return bool(re.search(r"(?:['’]s|s['’])$", word))


def _sentence_end(text: str, pos: int, hi: int, lex: _Lexicon) -> int:
    """Index of the first sentence terminator at or after pos (hi if none); abbreviations don't end sentences."""
    i = pos
    while i < hi:
        ch = text[i]
        if ch in _TERMINATORS:
            if ch == "." and _is_abbreviation(text, i, lex):
                i += 1
                continue
            if ch == "." and i + 1 < hi and text[i + 1].isdigit():
                i += 1
                continue
            return i
        if ch in "«“„" and i > pos:
            return i
        i += 1
    return hi


def _is_abbreviation(text: str, dot: int, lex: _Lexicon) -> bool:
    m = re.search(r"([\w.]+)$", text[:dot])
    if not m:
        return False
    word = m.group(1)
    if len(word) == 1 and word.isupper():
        return True  # an initial: "J. Smith"
    return _fold(word).rstrip(".") in lex.abbreviations


def _sentences(text: str, guarded: list[tuple[int, int]], lex: _Lexicon) -> list[tuple[int, int]]:
    """(start, end) of each sentence; no split falls inside a guarded (quoted) range."""
    spans, start, i, n = [], 0, 0, len(text)
    while i < n:
        ch = text[i]
        if ch in ".!?…" and not any(a <= i < b for a, b in guarded):
            j = i + 1
            while j < n and text[j] in ".!?…»”\"’)":
                j += 1
            if j >= n or (text[j] in _SPACES and not (ch == "." and _is_abbreviation(text, i, lex))):
                k = j
                while k < n and text[k] in _SPACES:
                    k += 1
                if k >= n or text[k].isupper() or text[k] in "«“\"‘(" or text[k].isdigit():
                    spans.append((start, j))
                    start, i = k, k
                    continue
        i += 1
    if start < n and text[start:].strip():
        spans.append((start, n))
    return spans


def _strip_marks(text: str) -> str:
    """The words without their quote marks (apostrophes stay)."""
    for opener in [i for i, ch in enumerate(text) if ch in "‘'"][::-1]:
        if (opener == 0 or not text[opener - 1].isalnum()):
            close = _single_close(text, opener)
            if close is not None:
                text = text[:opener] + text[opener + 1:close] + text[close + 1:]
    text = re.sub(r"[«“„‹]\s*|\s*[»”›]", "", text)
    text = re.sub(r'(?:(?<=\s)|^)"|"(?=[\s.,;:!?)]|$)', "", text)
    return re.sub(r"\s+", " ", text).strip()


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip(" ,;:—–-\t\n\u00a0\u202f")


# ------------------------------------------------------------------ speakers

@dataclass(frozen=True, slots=True)
class _Chunk:
    kind: str  # pronoun / name / role / adjunct / other
    speaker: str | None = None
    role: str | None = None
    complete: bool = True  # the chunk is nothing but the speaker (plus a time or place adjunct)


@dataclass(frozen=True, slots=True)
class _Speaker:
    speaker: str | None
    role: str | None
    pronoun: bool = False


def _starts_adjunct(folded: str, lex: _Lexicon) -> bool:
    folded = folded.strip()
    if not folded:
        return True
    if re.match(r"^(?:le|the|on|du|depuis|en|in)?\s*\d", folded) or folded[0] in "(":
        return True
    return bool(lex.adjunct.match(folded))


def _name_run(text: str, lex: _Lexicon) -> tuple[list[re.Match], int]:
    """The capitalised run of words opening text (particles inside allowed): its words and end."""
    run: list[re.Match] = []
    pending: list[re.Match] = []
    prev_end = 0
    for m in _WORD.finditer(text):
        gap = text[prev_end:m.start()]
        if (run or pending) and gap.strip():
            last = (pending or run)[-1].group()
            if not (gap.strip() == "." and ((len(last) == 1 and last.isupper()) or _fold(last) in lex.abbreviations)):
                break
        elif not run and gap.strip():
            break
        word = m.group()
        if _is_cap(word) and not (run and word in lex.stops and word not in ("The",)) and not (not run and word in lex.stops):
            run.extend(pending)
            pending = []
            run.append(m)
        elif run and _fold(word) in lex.particles:
            pending.append(m)
        elif run and re.match(r"^[dl]['’]", word) and _is_cap(word):
            run.extend(pending)
            pending = []
            run.append(m)
        else:
            break
        prev_end = m.end()
    end = run[-1].end() if run else 0
    return run, end


def _split_role_name(text: str, run: list[re.Match], lex: _Lexicon) -> tuple[str | None, str | None]:
    """("Agnès Callamard", "Amnesty International’s Secretary General") from one capitalised run."""
    last_role = None
    for i, m in enumerate(run):
        parts = _fold(m.group()).replace("'s", "").split("-")
        if _is_possessive(m.group()) or any(p in lex.role_words for p in parts) or _fold(m.group()) in lex.role_words:
            last_role = i
    if last_role is None:
        return text[run[0].start():run[-1].end()], None
    if last_role == len(run) - 1:
        return None, text[run[0].start():run[-1].end()]
    rest = run[last_role + 1:]
    if _fold(rest[0].group()) in lex.particles:
        # "High Commissioner for Human Rights Volker Türk": the person is the last capitalised words
        tail = []
        for m in reversed(rest):
            if _fold(m.group()) in lex.particles or _fold(m.group()) in lex.not_person or len(tail) == 3:
                break
            tail.insert(0, m)
        if len(tail) < 2 or len(tail) == len(rest):
            return None, text[run[0].start():run[-1].end()]
        return text[tail[0].start():tail[-1].end()], text[run[0].start():rest[len(rest) - len(tail) - 1].end()]
    if len(rest) == 1 and last_role == 0:
        return text[run[0].start():run[-1].end()], None  # "President Ruto", "Ms Achieng": a title and a surname
    return text[rest[0].start():rest[-1].end()], text[run[0].start():run[last_role].end()]


_CONJUNCTIONS = {"but", "and", "yet", "however", "so", "mais", "et", "or", "ou", "puis", "while", "tandis"}
_PREPOSITIONS = {"of", "for", "at", "in", "from", "with", "on", "by", "de", "du", "des", "à", "au", "aux", "pour",
                 "chez", "sur", "dans", "en", "par", "auprès"}


def _phrase_words(text: str) -> list[str]:
    """The words of a phrase before its first preposition ("the group's aid coordinator" of "… for Europe")."""
    out: list[str] = []
    for word in _words(text):
        folded = _fold(word)
        if out and (folded in _PREPOSITIONS or re.match(r"^[dl]'", folded)):
            break
        out.append("" if re.search(r"(?:'s|s')$", folded) else folded)
    return [w for w in out if w]


def _is_role_phrase(text: str, lex: _Lexicon) -> bool:
    """A title or a body heads the phrase: "directrice générale de …", "a government spokesperson"."""
    nouns = lex.role_words | lex.speaker_nouns
    words = _phrase_words(text)
    if words and words[0] in lex.determiners:
        words = words[1:]
    if not words or len(words) > 4 or len(_words(text)) > 14:
        return False
    if any(_fold(w) in lex.clause_words for w in _words(text)):
        return False  # "the authorities of X must end …" is a clause, not a title
    def is_role(word: str) -> bool:
        forms = {word, word[:-1] if word.endswith(("s", "x")) else word}  # plurals: "les représentants"
        return bool(forms & nouns) or bool(set(word.split("-")) & nouns)
    return any(is_role(w) for w in words[:2]) or is_role(words[-1])


def _extend_name(body: str, end: int, lex: _Lexicon) -> int:
    """"Reporters sans frontières", "Comité international de la Croix-Rouge": lower-case words inside a French name."""
    tail = body[end:]
    stop = len(tail)
    m = re.search(r"[,;:.()«»“”\"]", tail)
    if m:
        stop = m.start()
    words = list(_WORD.finditer(tail[:stop]))
    taken = 0
    for i, w in enumerate(words):
        folded = _fold(w.group())
        rest = _fold(tail[w.start():stop])
        if _starts_adjunct(rest, lex) and folded not in lex.particles or folded in lex.role_words \
                or folded in lex.pronouns or (folded in lex.determiners and folded not in lex.particles and i == 0) \
                or folded in lex.name_breaks or lex.cue.match(rest):
            break
        taken = i + 1
    while taken and _fold(words[taken - 1].group()) in lex.particles | lex.determiners:
        taken -= 1
    if not taken or taken > 5:
        return end
    return end + words[taken - 1].end()


def _chunk(text: str, lex: _Lexicon) -> _Chunk:
    """What one comma-separated piece of an attribution is: a name, a role, a pronoun, an adjunct."""
    text = text.strip(" \t\u00a0\u202f—–-")
    words = _words(text)
    while words and _fold(words[0]) in _CONJUNCTIONS and len(words) > 1:
        text = text[text.index(words[0]) + len(words[0]):].strip()
        words = _words(text)
    folded = _fold(text)
    if not text or not words:
        return _Chunk("other")
    if folded in lex.pronouns:
        return _Chunk("pronoun", speaker=text)
    first = _fold(words[0])
    body = text
    if first in lex.determiners or re.match(r"^[ld]'", first):
        cut = len(words[0]) if first in lex.determiners else 2
        rest = text[text.index(words[0]) + cut:].lstrip()
        if rest and (_is_cap(rest) or _is_role_phrase(rest, lex)):
            body = rest
    if body is text and _starts_adjunct(folded, lex):
        return _Chunk("adjunct")
    if _is_cap(body) and not _words(body)[0] in lex.stops:
        run, end = _name_run(body, lex)
        if run:
            tail = body[end:].strip()
            if _is_possessive(run[-1].group()) or (tail and _fold(_words(tail)[0] if _words(tail) else "") in lex.role_words):
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
            complete = not tail or _starts_adjunct(_fold(tail), lex) or tail.startswith("(")
            if name is None:
                return _Chunk("role", role=role, speaker=role, complete=complete)
            return _Chunk("name", speaker=name, role=role, complete=complete)
    found = _trailing_name(text, lex)
    if _is_role_phrase(body, lex):
        if found:
            return _Chunk("name", speaker=found[0], role=_clean(found[1]))
        phrase = _cut_adjunct_tail(text, lex)
        return _Chunk("role", role=phrase, speaker=phrase)
    if found and first in lex.determiners and len(_words(found[1])) <= 3 and _words(found[1])[-1].islower():
        return _Chunk("name", speaker=found[0], role=_clean(_words(found[1]) and found[1][len(words[0]):]))
    return _Chunk("other")


def _org_then_person(text: str, run: list[re.Match], lex: _Lexicon) -> tuple[str, str] | None:
    """("Irina Dobreva", "Vigie Internationale") from the run "Vigie Internationale Irina Dobreva"."""
    folded = [_fold(m.group()) for m in run]
    last_org = max((i for i, w in enumerate(folded) if w in lex.org_words), default=None)
    if last_org is None:
        return None
    tail = run[last_org + 1:]
    if not 2 <= len(tail) <= 3 or any(_fold(m.group()) in lex.particles | lex.not_person | lex.org_words for m in tail):
        return None
    return text[tail[0].start():tail[-1].end()], text[run[0].start():run[last_org].end()]


def _person_of_org(name: str, lex: _Lexicon) -> tuple[str, str | None]:
    """("Jane Moyo", "Amnesty International") from "Jane Moyo of Amnesty International"."""
    m = re.search(r"\s(?:(?:of|from|at|de|du|chez)\s+|d')(?=\S)", _fold(name))
    if not m:
        return name, None
    person, org = name[:m.start()], name[m.end():]
    if _is_org(person, lex) or not _is_org(org, lex) or not 1 <= len(_words(person)) <= 4:
        return name, None
    return person.strip(), org.strip()


def _trailing_name(text: str, lex: _Lexicon) -> tuple[str, str] | None:
    """("Jane Doe", "the organisation's director") from "the organisation's director Jane Doe"."""
    matches = list(_WORD.finditer(text))
    i = len(matches)
    while i > 0 and _is_cap(matches[i - 1].group()) and _fold(matches[i - 1].group()) not in lex.role_words \
            and not _is_possessive(matches[i - 1].group()) and not re.match(r"^[dlDL]['’]", matches[i - 1].group()):
        i -= 1
    if i == len(matches) or i == 0 or len(matches) - i > 5:
        return None
    if text[matches[i - 1].end():matches[i].start()].strip():
        return None
    before = _fold(matches[i - 1].group())
    if before in lex.particles or before in lex.determiners or before in _PREPOSITIONS \
            or re.match(r"^[dl]'", _fold(matches[i].group())):
        return None
    if any(_fold(m.group()) in lex.not_person for m in matches[i:]):
        return None
    return text[matches[i].start():].strip(), text[:matches[i].start()].strip()


def _cut_adjunct_tail(text: str, lex: _Lexicon) -> str:
    """"le porte-parole du ministère" from "le porte-parole du ministère jeudi"."""
    for m in _WORD.finditer(text):
        if m.start() and _fold(m.group()) in {"lors", "jeudi", "lundi", "mardi", "mercredi", "vendredi", "samedi",
                                              "dimanche", "today", "yesterday", "on", "in", "aujourd'hui", "hier"}:
            return _clean(text[:m.start()])
    return _clean(text)


def _top_chunks(text: str) -> list[tuple[int, int]]:
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


def _role_valid(chunk: _Chunk, text: str, previous_role: bool, lex: _Lexicon) -> bool:
    folded = _fold(text.strip())
    first = (_words(folded) or [""])[0]
    if previous_role and first in {"de", "du", "des", "d", "of", "and", "et", "at", "à", "for", "pour", "in", "en"} | {"d'"}:
        return True
    if previous_role and re.match(r"^d'", folded):
        return True
    if chunk.kind == "role":
        return True
    if chunk.kind == "other" and (_words(text) or [""])[0].casefold() in lex.determiners and len(_words(text)) <= 12:
        return True  # "Jane Doe, a paediatrician in Khan Younis"
    if chunk.kind == "name" and chunk.role is None and not previous_role:
        return True  # an organisation as the apposition: "Jane Doe, Amnesty International"
    return bool(re.match(r"^\d+\s*(?:ans|years?)", folded))


def _document_author(text: str, lex: _Lexicon) -> _Chunk | None:
    """"an investigation published by Global Water Alliance on …" / "un rapport d’Amnesty International": its author."""
    words = _phrase_words(text)
    if words and words[0] in lex.determiners:
        words = words[1:]
    if not words or words[0] not in lex.documents:
        return None
    m = re.search(r"(?:\s(?:by|par|de|from|of|du)\s+|\sd['’])(?:(?:the|la|le|l['’])\s*)?(?=[^\W\d_])", text)
    if not m or len(_words(text[:m.start()])) > 5:
        return None
    rest = text[m.end():]
    if not _is_cap(rest):
        return None
    run, end = _name_run(rest, lex)
    if not run:
        return None
    end = _extend_name(rest, end, lex)
    return _Chunk("name", speaker=rest[:end].strip(), complete=True)


def _speaker_forward(text: str, lex: _Lexicon, strict: bool) -> tuple[_Speaker, int] | None:
    """Parse the speaker phrase opening text ("Erika Guevara Rosas, directrice …"); returns it and where it ends.

    strict: inside a quote, stop at the first piece that is neither a role nor an adjunct (the quote goes on).
    """
    pieces = _top_chunks(text)
    speaker, role_parts, end = None, [], 0
    pronoun = False
    s, e = pieces[0]
    first = _chunk(text[s:e], lex)
    if first.kind == "other":
        first = _document_author(text[s:e], lex) or first
    idx = 1
    if first.kind == "pronoun":
        return _Speaker(None, None, pronoun=True), e
    if first.kind == "role" and len(pieces) > 1:
        second = _chunk(text[pieces[1][0]:pieces[1][1]], lex)
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
            return _Speaker(speaker, _clean(", ".join(role_parts)) or None, pronoun), len(text)
    after_adjunct = False
    for s, e in pieces[idx:]:
        piece = text[s:e]
        info = _chunk(piece, lex)
        if info.kind == "adjunct" or _starts_adjunct(_fold(piece), lex) and not re.match(r"^\s*(?:à|at|of|de|du|des)\s", _fold(piece)):
            after_adjunct = True
            end = e
            continue
        if not after_adjunct and _role_valid(info, piece, bool(role_parts), lex):
            role_parts.append(piece.strip())
            end = e
            continue
        if strict:
            break
        end = e
    if not strict:
        end = len(text)
    role = _clean(", ".join(role_parts)) or None
    return _Speaker(speaker, role, pronoun), end


def _speaker_backward(text: str, lex: _Lexicon) -> tuple[_Speaker, int] | None:
    """Parse the subject ending text ("…, Jane Doe, director at X,"): the speaker and where it starts."""
    body = text.rstrip(" ,\u00a0\u202f")
    pieces = [p for p in _top_chunks(body)]
    role_parts: list[str] = []
    i = len(pieces) - 1
    while i >= 0:
        s, e = pieces[i]
        piece = body[s:e]
        info = _chunk(piece, lex)
        if info.kind == "pronoun":
            return _Speaker(None, None, pronoun=True), s
        if info.kind == "adjunct" and i > 0 and not role_parts:
            if re.match(r"^\s*\d+\s*(?:ans|years?)", _fold(piece)):
                role_parts.append(piece.strip())
            i -= 1
            continue
        if info.kind == "name" and info.complete:
            role = info.role
            start = s
            if i > 0:
                ps, pe = pieces[i - 1]
                before = _chunk(body[ps:pe], lex)
                if before.kind == "role" and (i - 1 == 0 or _chunk(body[pieces[i - 2][0]:pieces[i - 2][1]], lex).kind == "adjunct"):
                    role, start = before.role, ps
            if role_parts:
                role = _clean(", ".join(([role] if role else []) + role_parts[::-1]))
            return _Speaker(info.speaker, role or None), start
        if info.kind == "role" and i == len(pieces) - 1 or info.kind == "role" and not role_parts and i == 0:
            if i == 0 or _chunk(body[pieces[i - 1][0]:pieces[i - 1][1]], lex).kind != "name":
                if info.complete and len(_words(piece)) <= 12:
                    return _Speaker(info.speaker, None), s
        led_by_article = info.kind == "other" and (_words(piece) or [""])[0].casefold() in lex.determiners and i > 0
        if info.kind in ("role", "name") or led_by_article or (
                role_parts and re.match(r"^\s*(?:du|des|de|d'|of|and|et)\b", _fold(piece))):
            role_parts.append(piece.strip())
            i -= 1
            continue
        return None
    return None


# ------------------------------------------------------------------ cue matching

@dataclass(frozen=True, slots=True)
class _Attribution:
    speaker: _Speaker
    cue: str
    start: int  # where the attribution begins in the paragraph
    end: int  # where it ends
    content: tuple[int, int] | None = None  # reported clause, for indirect statements


def _inverted(text: str, folded: str, pos: int, hi: int, lex: _Lexicon, strict: bool) -> _Attribution | None:
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
        return _Attribution(_Speaker(None, None, pronoun=True), cue, pos, hit.end())
    stop = _sentence_end(text, hit.end(), hi, lex)
    after = hit.end()
    skip = lex.after_cue.match(folded, after, stop)  # "a estimé jeudi le porte-parole …", "told reporters …"
    if skip:
        after = skip.end()
    parsed = _speaker_forward(text[after:stop], lex, strict)
    if parsed is None and not strict and _starts_adjunct(folded[after:stop].lstrip(), lex):
        parsed, after = _past_adjunct(text, after, stop, lex)
    if parsed is None:
        return None
    speaker, used = parsed
    if speaker.speaker is None and not speaker.pronoun:
        return None
    end = after + used
    if not strict:
        end = stop
    return _Attribution(speaker, cue, pos, end)


def _past_adjunct(text: str, start: int, stop: int, lex: _Lexicon) -> tuple[tuple[_Speaker, int] | None, int]:
    """"estime dans un entretien au Monde l’ancienne ministre Rama Yade": the speaker after a where / when phrase."""
    found = list(_WORD.finditer(text, start, stop))[:12]
    for k, m in enumerate(found[1:], 1):
        word = _fold(m.group())
        if not (word in lex.determiners or re.match(r"^[ld]'", word) or _is_cap(m.group())):
            continue
        if _fold(found[k - 1].group()) in _PREPOSITIONS:
            continue  # the object of "auprès de", "au": l’AFP, Monde — not the speaker
        head = _chunk(text[m.start():stop].split(",")[0], lex)
        if head.kind in ("name", "role") and head.complete:
            parsed = _speaker_forward(text[m.start():stop], lex, strict=False)
            if parsed is not None and parsed[0].speaker:
                return parsed, m.start()
    return None, start


def _subject_cue(text: str, folded: str, lo: int, hi: int, lex: _Lexicon) -> tuple[_Attribution, int] | None:
    """"Jane Doe, director, said …" / "X a déclaré …": the first cue in [lo, hi) whose left side is all subject.

    Returns the attribution (content unset) and the index right after the cue.
    """
    for m in lex.cue.finditer(folded, lo, hi):
        if m.group("pinv"):
            continue
        left = text[lo:m.start()]
        if not left.strip() or left.rstrip().endswith((",", "«", "“")) and not _words(left):
            continue
        # drop leading adjunct pieces ("In a statement, Jane Doe said")
        parsed = _speaker_backward(left, lex)
        if parsed is None:
            continue
        speaker, start = parsed
        head = left[:start]
        if head.strip() and not all(_chunk(left[s:e], lex).kind == "adjunct" for s, e in _top_chunks(head.rstrip(" ,")) if left[s:e].strip()):
            continue
        return _Attribution(speaker, text[m.start():m.end()].strip(), lo + start, m.end()), m.end()
    return None


def _tail_is_adjunct(text: str, lex: _Lexicon, cue: str) -> bool:
    """After "said": nothing, or only when / where / to whom ("on Monday", "in a statement", "told reporters")."""
    tail = _fold(text).strip(" .,;:!?…»”\"'")
    if not tail:
        return True
    if _fold(cue).endswith(("told", "tells")) and len(_words(tail)) <= 6:
        return True
    first = tail.split(",")[0].strip()
    # once a when / where phrase opens the tail, what follows hangs on it ("on 3 March, as talks opened, where …")
    return bool(first) and (_starts_adjunct(first, lex) or (
        len(_words(first)) <= 3 and _words(first)[0] in ("à", "au", "to", "aux")))


# ------------------------------------------------------------------ quote marks

@dataclass(slots=True)
class _Segment:
    start: int  # first quoted character
    end: int  # one past the last quoted character
    open_at: int | None  # index of the opening mark, None for a continuation closed but not reopened
    close_at: int | None  # index of the closing mark, None when the paragraph ends first


def _segments(text: str) -> list[_Segment]:
    """Quoted stretches of one paragraph; apostrophes and single quotes inside words are not marks."""
    segs: list[_Segment] = []
    n, i = len(text), 0
    opener, closers, depth = None, "", 0
    while i < n:
        ch = text[i]
        if opener is None:
            if ch in "«“„‹" or (ch == '"' and i + 1 < n and text[i + 1] not in _SPACES) or (
                    ch in "‘'" and (i == 0 or text[i - 1] in _SPACES + "([—–:") and _single_close(text, i) is not None):
                opener, closers, depth = i, _OPENERS[ch], 0
            elif ch in "»”" and not segs and not text[:i].count("«") and not text[:i].count("“"):
                segs.append(_Segment(0, i, None, i))
        else:
            och = text[opener]
            if och == "«" and ch == "«":
                depth += 1
            elif ch in closers and (och not in "‘'" or _single_close(text, opener) == i):
                if och == "«" and depth:
                    depth -= 1
                else:
                    segs.append(_Segment(opener + 1, i, opener, i))
                    opener = None
        i += 1
    if opener is not None and text[opener] not in "‘'":
        segs.append(_Segment(opener + 1, n, opener, None))
    for seg in segs:
        while seg.start < seg.end and text[seg.start] in _SPACES:
            seg.start += 1
        while seg.end > seg.start and text[seg.end - 1] in _SPACES + "\n":
            seg.end -= 1
    return [s for s in segs if s.end > s.start]


def _single_close(text: str, opener: int) -> int | None:
    """Where a single-quoted stretch closes, or None: ’ / ' ending a word, never an apostrophe inside one.

    A straight ' must also follow punctuation ('We will fight,' said X), since "workers' rights" ends a word too.
    """
    if opener + 1 >= len(text) or not text[opener + 1].isalpha():
        return None  # '98, ' alone
    straight = text[opener] == "'"
    mark = "'" if straight else "’"
    i = text.find(mark, opener + 1)
    while i != -1:
        after_ok = i + 1 >= len(text) or not text[i + 1].isalnum()
        if after_ok and (not straight or text[i - 1] in ",.!?…"):
            return i
        i = text.find(mark, i + 1)
    return None


def _title_like(text: str, lex: _Lexicon) -> bool:
    """« Intellexa Leaks », “Write for Rights”: a name or a title, not somebody's words."""
    words = [w for w in _words(text) if _fold(w) not in lex.particles]
    if not words or len(words) > 8:
        return False
    return sum(_is_cap(w) for w in words) / len(words) >= 0.6 and not text.rstrip().endswith((".", "!", "?"))


# ------------------------------------------------------------------ units of quoted text

@dataclass
class _Unit:
    pieces: list[tuple[int, int, int]]  # (paragraph, start, end) of quoted text
    open_at: tuple[int, int] | None
    close_at: tuple[int, int] | None
    attribution: _Attribution | None = None
    cut: list[tuple[int, int, int]] = field(default_factory=list)  # incises to leave out of the text


@dataclass(frozen=True, slots=True)
class _Found:
    quote: Quote
    anchor: tuple[int, int, int, int] | None  # (first para, start, last para, end) in paragraph coordinates
    source: tuple[int, int, int] | None = None  # pull quotes: (paragraph, start, end) of the sentence repeated


@dataclass(frozen=True, slots=True)
class _Analysis:
    found: list[_Found]
    pulls: frozenset[int]
    attribution_lines: frozenset[int]


def _build_units(texts: list[str], skip: set[int]) -> list[_Unit]:
    units: list[_Unit] = []
    open_unit: _Unit | None = None
    for p, text in enumerate(texts):
        if p in skip:
            continue
        segs = _segments(text)
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
            unit = _Unit([(p, seg.start, seg.end)], (p, seg.open_at), (p, seg.close_at) if seg.close_at is not None else None)
            units.append(unit)
            open_unit = unit if seg.close_at is None else None
    return units


def _find_incise(text: str, folded: str, start: int, end: int, lex: _Lexicon) -> _Attribution | None:
    """The attribution inside the marks: "…, a déclaré X, rôle. …" / "…, a-t-il ajouté, …"."""
    for m in re.finditer(r"[,—–(]\s*", folded[start:end]):
        at = start + m.start()
        attribution = _inverted(text, folded, at, end, lex, strict=True)
        if attribution is None:
            continue
        tail = end if attribution.end >= end else attribution.end
        # eat the punctuation closing the incise
        while tail < end and text[tail] in ",—–)" + _SPACES:
            tail += 1
        return _Attribution(attribution.speaker, attribution.cue, at, tail)
    return None


def _sentence_start(text: str, pos: int, lex: _Lexicon, floor: int = 0) -> int:
    i = pos
    while i > floor:
        ch = text[i - 1]
        if ch in ".!?…" and not (ch == "." and _is_abbreviation(text, i - 1, lex)):
            return i
        if ch in "»”\"" and i - 1 > floor and text[i - 2] in ".!?…" + _SPACES:
            return i
        i -= 1
    return floor


def _after_attribution(text: str, folded: str, pos: int, lex: _Lexicon) -> _Attribution | None:
    """Attribution right after a closing mark: ", a déclaré X." / ", said X." / "X said." / ", selon X."."""
    hi = _sentence_end(text, pos, len(text), lex)
    # a following opener ends the region too
    nxt = min([i for i in (text.find(c, pos) for c in "«“„") if i != -1] + [hi])
    hi = min(hi, nxt)
    region = folded[pos:hi]
    if not region.strip(" ,.;—–-\u00a0"):
        return None
    inverted = _inverted(text, folded, pos, hi, lex, strict=False)
    if inverted is not None:
        return _Attribution(inverted.speaker, inverted.cue, pos, hi)
    lead = pos + len(region) - len(region.lstrip(" ,.;—–-"))
    subject = _subject_cue(text, folded, lead, hi, lex)
    if subject is not None:
        attribution, cue_end = subject
        if _tail_is_adjunct(text[cue_end:hi], lex, attribution.cue):
            return _Attribution(attribution.speaker, attribution.cue, pos, hi)
    if re.match(r"^\s*[—–]", region):  # “…” — Jane Doe, survivor
        who = _attribution_line(text[pos:], lex)
        if who is not None:
            return _Attribution(who, "", pos, len(text))
    cue = lex.cue.match(folded, lead, hi)
    if cue is not None and re.match(r"^\s*[,.]?\s*$", folded[pos:lead]):
        # ", a déclaré <someone we cannot read>": still somebody's words
        return _Attribution(_Speaker(None, None), text[cue.start():cue.end()].strip(), pos, hi)
    return None


def _before_attribution(text: str, folded: str, open_at: int, lex: _Lexicon, floor: int) -> tuple[_Attribution | None, bool]:
    """Attribution leading to an opening mark: "X, rôle, a déclaré : «" / "Selon X, «" / "Jane said: “".

    The flag is True when the quote sits inside reported speech ("X a déclaré que « … »"): mixed.
    """
    lo = _sentence_start(text, open_at, lex, floor)
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
        parsed = _speaker_forward(text[source.end():body_end], lex, strict=False)
        if parsed and (parsed[0].speaker or parsed[0].pronoun):
            return _Attribution(parsed[0], text[source.start():source.end()].strip(), lo, open_at), mixed
    subject = _subject_cue(text, folded, lo, body_end, lex)
    if subject is not None:
        attribution, cue_end = subject
        tail = text[cue_end:body_end]
        if _tail_is_adjunct(tail, lex, attribution.cue) or _fold(attribution.cue).endswith(("told", "tells", "dit", "a dit")):
            return _Attribution(attribution.speaker, attribution.cue, lo, open_at), mixed
    if stripped.endswith(":") and not mixed:
        bare = _speaker_backward(text[lo:body_end], lex)
        if bare is not None and not text[lo:lo + bare[1]].strip() and bare[0].speaker and _is_cap(bare[0].speaker):
            return _Attribution(bare[0], "", lo, open_at), False
    inverted = _inverted(text, folded, lo, body_end, lex, strict=False)
    if inverted is not None and region.lstrip()[:1].isupper() is False:
        return _Attribution(inverted.speaker, inverted.cue, lo, open_at), mixed
    return None, False


def _attribution_line(text: str, lex: _Lexicon) -> _Speaker | None:
    """"Erika Guevara Rosas, directrice générale …" / "— Jane Doe, director": a name line under a quote."""
    body = text.strip().lstrip("—–-~ ").strip()
    if not body or len(_words(body)) > 30 or not _is_cap(body):
        return None
    if lex.cue.search(_fold(body)) and not _words(body)[0][0].isupper():
        return None
    if re.search(r"[.!?]\s+\S", body) and not re.search(r"\b[A-Z]\.\s", body):
        return None
    pieces = _top_chunks(body)
    first = _chunk(body[pieces[0][0]:pieces[0][1]], lex)
    if first.kind != "name" or not first.complete:
        return None
    first_text = body[pieces[0][0]:pieces[0][1]]
    if not all(_is_cap(w) or _fold(w) in lex.particles | lex.determiners for w in _words(first_text)):
        return None  # "Nobody told them why" is a sentence, not a name line
    roles = [first.role] if first.role else []
    roles += [body[s:e].strip() for s, e in pieces[1:] if body[s:e].strip()]
    return _Speaker(first.speaker, _clean(", ".join(roles)).rstrip(".") or None)


# ------------------------------------------------------------------ the analysis

def _analyse(texts: list[str], kinds: list[str] | None, lang: str | None) -> _Analysis:
    """Pull-quote candidates first (so they neither break a continued quote nor count twice), then body quotes;
    a candidate whose repeated sentence lies in no body quote is a plain paragraph after all (second pass).
    `lang` is a hint only: every language's cues are tried."""
    lex = _lexicon()
    kinds = kinds or ["paragraph"] * len(texts)
    pulls = _pull_candidates(texts, kinds, lex)
    skip = set(pulls) | {line for _src, line in pulls.values() if line is not None}
    found = _body_quotes(texts, kinds, skip, lex)
    confirmed, pull_found = _link_pulls(texts, pulls, found, lex)
    if set(confirmed) != set(pulls):
        skip = set(confirmed) | {line for _src, line in confirmed.values() if line is not None}
        found = _body_quotes(texts, kinds, skip, lex)
        confirmed, pull_found = _link_pulls(texts, confirmed, found, lex)
    merged = sorted(found + pull_found, key=lambda f: (f.quote.paragraph if f.quote.paragraph is not None else 0,
                                                      f.anchor[1] if f.anchor else 0))
    # pull_of points at the body quote's index in the final list
    order = {id(f): i for i, f in enumerate(merged)}
    final = []
    for f in merged:
        if f.quote.kind == QuoteKind.PULL.value:
            target = found[f.quote.pull_of]
            f = _Found(_replace(f.quote, pull_of=order[id(target)]), f.anchor, f.source)
        final.append(f)
    lines = frozenset(line for _src, line in confirmed.values() if line is not None)
    return _Analysis(final, frozenset(confirmed), lines)


def _replace(quote: Quote, **changes) -> Quote:
    return dataclasses.replace(quote, **changes)


def _pull_candidates(texts: list[str], kinds: list[str], lex: _Lexicon) -> dict[int, tuple[tuple[int, int, int], int | None]]:
    """Short standalone blocks repeating a sentence of a longer paragraph: {index: (source sentence, name line)}."""
    tokens = [_norm_tokens(_strip_marks(t)) for t in texts]
    vocab = [set(t) for t in tokens]
    windows: dict[int, list[tuple[Counter, tuple[int, int]]]] = {}  # built once per paragraph, on demand
    out = {}
    for i, text in enumerate(texts):
        n = len(tokens[i])
        if n < 4 or n > PULL_MAX_WORDS:
            continue
        if kinds[i] not in ("quote", "paragraph", "caption") or _attribution_line(text, lex) is not None:
            continue
        wanted = Counter(tokens[i])
        best = None
        for j, other in enumerate(texts):
            if j == i or len(tokens[j]) <= n or len(wanted.keys() & vocab[j]) < PULL_OVERLAP * len(wanted):
                continue
            if j not in windows:
                windows[j] = [(Counter(_norm_tokens(other[s:e])), (s, e)) for s, e in _windows(other, lex)]
            for have, (s, e) in windows[j]:
                share = sum((wanted & have).values()) / n
                if share >= PULL_OVERLAP and (best is None or share > best[0]):
                    best = (share, (j, s, e))
        if best is None:
            continue
        line = None
        if i + 1 < len(texts) and _attribution_line(texts[i + 1], lex) is not None and len(tokens[i + 1]) < 40:
            line = i + 1
        out[i] = (best[1], line)
    return out


def _windows(text: str, lex: _Lexicon) -> list[tuple[int, int]]:
    """Sentences of a paragraph and pairs of neighbouring sentences (a pull quote may span two)."""
    spans = _sentences(text, [], lex)
    return spans + [(a[0], b[1]) for a, b in zip(spans, spans[1:])]


def _link_pulls(texts, pulls, found, lex):
    """Keep the candidates whose repeated sentence lies in a body quote; make them kind=pull quotes."""
    confirmed, out = {}, []
    for i, ((j, s, e), line) in sorted(pulls.items()):
        target = None
        for k, f in enumerate(found):
            if f.anchor is None:
                continue
            p0, a0, p1, a1 = f.anchor
            covers = f.quote.paragraphs and j in f.quote.paragraphs and (
                (j != p0 or a0 <= e) and (j != p1 or s <= a1))
            if covers:
                target = k
                break
        if target is None:
            continue
        confirmed[i] = ((j, s, e), line)
        body = found[target].quote
        who = _attribution_line(texts[line], lex) if line is not None else None
        speaker = who.speaker if who else body.speaker
        role = (who.role if who else None) or body.speaker_role
        quote = Quote(text=_strip_marks(texts[i]), speaker=speaker, speaker_role=role, cue=None,
                      kind=QuoteKind.PULL.value, paragraph=i, paragraphs=(i,), pull_of=target)
        start = len(texts[i]) - len(texts[i].lstrip())
        out.append(_Found(quote, (i, start, i, len(texts[i].rstrip())), (j, s, e)))
    return confirmed, out


def _body_quotes(texts: list[str], kinds: list[str], skip: set[int], lex: _Lexicon) -> list[_Found]:
    folded = [_fold(t) for t in texts]
    units = _build_units(texts, skip)
    for p, kind in enumerate(kinds):  # <blockquote> without marks: the block is the quote
        if kind == "quote" and p not in skip and not any(u.pieces[0][0] == p for u in units) and texts[p].strip():
            text = texts[p]
            units.append(_Unit([(p, len(text) - len(text.lstrip()), len(text.rstrip()))], None, None))
    units.sort(key=lambda u: (u.pieces[0][0], u.pieces[0][1]))
    units = _merge_in_paragraph(texts, folded, units, lex)
    direct = _merge_continued([u for u in units if _classify(texts, folded, u, kinds, skip, lex)], texts, skip)
    items: list[tuple[tuple[int, int], str, object]] = [((u.pieces[0][0], u.pieces[0][1]), "unit", u) for u in direct]
    # reported speech in the sentences no direct quote touches
    for p, text in enumerate(texts):
        if p in skip or kinds[p] == "heading":
            continue
        taken = [(s, e) for u in direct for (q, s, e) in u.pieces if q == p]
        taken += [(u.open_at[1], u.close_at[1] + 1) for u in direct if u.open_at and u.close_at and u.open_at[0] == p == u.close_at[0]]
        taken += [(u.attribution.start, u.attribution.end) for u in direct if u.attribution and u.close_at and u.close_at[0] == p]
        guarded = [(s.start, s.end) for s in _segments(text)]
        for s, e in _sentences(text, guarded, lex):
            if any(a < e and s < b for a, b in taken):
                continue
            hit = _reported(text, folded[p], s, e, lex)
            if hit is not None:
                items.append(((p, s), "reported", (p, hit)))
            else:
                person = _mention(text[s:e], lex)
                if person is not None:
                    items.append(((p, s), "mention", person))
    items.sort(key=lambda it: it[0])
    return _resolve(texts, folded, items, kinds, lex)


def _merge_in_paragraph(texts, folded, units: list[_Unit], lex) -> list[_Unit]:
    """“A,” she said, “B.” is one quote: merge neighbours whose gap is only their attribution."""
    out: list[_Unit] = []
    for unit in units:
        prev = out[-1] if out else None
        if prev is not None and prev.close_at and unit.open_at and prev.close_at[0] == unit.open_at[0] \
                and prev.close_at[1] < unit.open_at[1]:
            p = unit.open_at[0]
            gap = texts[p][prev.close_at[1] + 1:unit.open_at[1]]
            gap_f = folded[p][prev.close_at[1] + 1:unit.open_at[1]]
            attribution = None
            if gap.strip(" ,.;:—–-\u00a0\u202f"):
                attribution = _inverted(texts[p], folded[p], prev.close_at[1] + 1, unit.open_at[1], lex, strict=False)
                if attribution is None:
                    lead = prev.close_at[1] + 1 + len(gap_f) - len(gap_f.lstrip(" ,.;—–-"))
                    subject = _subject_cue(texts[p], folded[p], lead, unit.open_at[1], lex)
                    if subject and _tail_is_adjunct(texts[p][subject[1]:unit.open_at[1]], lex, subject[0].cue):
                        attribution = subject[0]
                if attribution is None or len(_words(gap)) > 40:
                    out.append(unit)
                    continue
                attribution = _Attribution(attribution.speaker, attribution.cue, prev.close_at[1] + 1, unit.open_at[1])
            elif gap.strip():
                pass
            else:
                out.append(unit)
                continue
            if attribution is None and not gap.strip(" ,;\u00a0\u202f"):
                out.append(unit)
                continue
            if attribution is not None and unit.close_at is not None and \
                    _after_attribution(texts[p], folded[p], unit.close_at[1] + 1, lex) is not None:
                out.append(unit)
                continue
            prev.pieces.extend(unit.pieces)
            prev.close_at = unit.close_at
            if attribution is not None and prev.attribution is None:
                prev.attribution = attribution
            continue
        out.append(unit)
    return out


def _merge_continued(units: list[_Unit], texts: list[str], skip: set[int]) -> list[_Unit]:
    """“A,” said X. / “B.” — a paragraph that opens with a quote of its own, unattributed, right after
    a paragraph ending with a quote, goes on with that quote (as French « … continuations do)."""
    out: list[_Unit] = []
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


def _ends_paragraph(unit: _Unit, texts: list[str]) -> bool:
    """Nothing but the unit's own attribution follows it in its last paragraph."""
    p, _s, e = unit.pieces[-1]
    if unit.close_at is None:
        return True
    rest_from = unit.close_at[1] + 1
    if unit.attribution is not None and unit.attribution.end > rest_from and unit.attribution.start >= unit.close_at[1]:
        rest_from = unit.attribution.end
    return not texts[p][rest_from:].strip(" .,;:\u00a0\u202f»”\"")


def _classify(texts, folded, unit: _Unit, kinds, skip, lex) -> bool:
    """Is this run of quoted text somebody's words? Sets its attribution and incises."""
    for p, s, e in unit.pieces:
        incise = _find_incise(texts[p], folded[p], s, e, lex)
        if incise is not None:
            unit.cut.append((p, incise.start, incise.end))
            if unit.attribution is None:
                unit.attribution = incise
    quoted = " ".join(texts[p][s:e] for p, s, e in unit.pieces)
    if unit.attribution is None and unit.close_at is not None:
        p, c = unit.close_at
        unit.attribution = _after_attribution(texts[p], folded[p], c + 1, lex)
    mixed = False
    if unit.attribution is None and unit.open_at is not None:
        p, o = unit.open_at
        attribution, mixed = _before_attribution(texts[p], folded[p], o, lex, 0)
        if mixed:
            return False
        if attribution is None and not texts[p][:o].strip():
            # "Jane Doe, director, said:" closing the paragraph before
            prev = next((q for q in range(p - 1, -1, -1) if q not in skip and texts[q].strip()), None)
            if prev is not None and texts[prev].rstrip().endswith(":"):
                end = len(texts[prev].rstrip())
                attribution, _mixed = _before_attribution(texts[prev], folded[prev], end, lex, 0)
                if attribution is not None:
                    attribution = _Attribution(attribution.speaker, attribution.cue, 0, 0)
        unit.attribution = attribution
    if unit.attribution is None:
        # a quote block followed by "— Name, role"
        q = unit.pieces[-1][0] + 1
        if q < len(texts) and q not in skip and (texts[q].lstrip().startswith(("—", "–", "-")) or kinds[q] == "caption"):
            who = _attribution_line(texts[q], lex)
            if who is not None:
                unit.attribution = _Attribution(who, "", 0, 0)
    if unit.attribution is not None:
        return bool(_words(quoted))
    if len(unit.pieces) > 1 or unit.open_at is None:
        return True
    if _title_like(quoted, lex) or len(_words(quoted)) < 3:
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


def _reported(text: str, folded: str, s: int, e: int, lex: _Lexicon) -> tuple[_Attribution, str] | None:
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
            parsed = _speaker_forward(text[lead.end():comma], lex, strict=True)
            content = (comma + 1, end)
            if parsed and (parsed[0].speaker or parsed[0].pronoun) and parsed[1] >= comma - lead.end() - 1 \
                    and len(_words(text[content[0]:content[1]])) >= 3:
                if lead.re is lex.topic and not (parsed[0].speaker and _is_cap(parsed[0].speaker)):
                    return None
                return _with_kind(text, _Attribution(parsed[0], text[lead.start():lead.end()].strip(), s, comma, content), lex)
    for m in list(lex.cue.finditer(folded, s, end)) + list(lex.source.finditer(folded, s, end)):
        before = text[s:m.start()].rstrip(" \u00a0\u202f")
        if m.re is lex.cue and m.group("pinv") or (m.re is lex.cue and re.match(r"^[\w']+-(?:t-)?(?:il|elle|on|ils|elles)$", sentence_f[m.start() - s:m.end() - s])):
            # "…, a-t-il ajouté." / "…, ajoute-t-elle."
            if before.endswith(",") and len(_words(before)) >= 4 and _tail_is_adjunct(text[m.end():end], lex, ""):
                return _with_kind(text, _Attribution(_Speaker(None, None, True), text[m.start():m.end()], m.start(), end, (s, len(before) + s - 1 + 1 - 1)), lex)
            continue
        # inverted after a comma: "CONTENT, a déclaré X …" / "CONTENT, said X" / "CONTENT, selon X"
        if before.endswith(",") and len(_words(before)) >= 4:
            attribution = _inverted(text, folded, m.start(), end, lex, strict=False)
            if attribution is not None and attribution.speaker.speaker is not None or (attribution and attribution.speaker.pronoun):
                if _speaker_ok(attribution.speaker, lex):
                    content = (s, s + len(before) - 1)
                    return _with_kind(text, _Attribution(attribution.speaker, attribution.cue, m.start(), end, content), lex)
        if m.re is lex.source:
            continue
        # subject first: "[adjuncts,] X said [adjunct] that CONTENT" or "CONTENT, X said [adjunct]."
        subject = _subject_cue(text, folded, s, m.end(), lex)
        if subject is not None:
            # "[adjuncts,] X said [adjunct] that CONTENT"
            attribution, cue_end = subject
            that = _that_clause(text[cue_end:end], lex, attribution.cue)
            if cue_end == m.end() and _speaker_ok(attribution.speaker, lex) and that is not None:
                content = (cue_end + that, end)
                if len(_words(text[content[0]:content[1]])) >= 3:
                    return _with_kind(text, _Attribution(attribution.speaker, attribution.cue, attribution.start,
                                                         cue_end, content), lex)
        if subject is not None:
            continue  # the whole left side is the subject: no reported clause before it
        # "CONTENT, X, role, said [when]." : the subject starts after a comma inside the sentence
        for cs in [i + 1 for i, ch in enumerate(text[s:m.start()], s) if ch == ","]:
            sub = _subject_cue(text, folded, cs, m.end(), lex)
            if sub is not None and sub[1] == m.end() and len(_words(text[s:cs])) >= 4 \
                    and _tail_is_adjunct(text[m.end():end], lex, sub[0].cue) and _speaker_ok(sub[0].speaker, lex):
                att = sub[0]
                return _with_kind(text, _Attribution(att.speaker, att.cue, cs, end, (s, cs - 1)), lex)
    return None


def _mention(sentence: str, lex: _Lexicon) -> _Speaker | None:
    """A person introduced as a sentence's subject ("Omar Haddad, a lawyer, described …"): whom "he" may mean."""
    pieces = _top_chunks(sentence)
    first = _chunk(sentence[pieces[0][0]:pieces[0][1]], lex)
    if first.kind == "role" and len(pieces) > 1:
        second = _chunk(sentence[pieces[1][0]:pieces[1][1]], lex)
        if second.kind == "name" and second.complete:
            return None if _is_org(second.speaker, lex) else _Speaker(second.speaker, first.role)
    if first.kind == "name" and first.complete and len(pieces) > 1 and not _is_org(first.speaker, lex) \
            and _looks_like_person(first.speaker, lex):
        second = _chunk(sentence[pieces[1][0]:pieces[1][1]], lex)
        role = second.role if second.kind == "role" else None
        return _Speaker(first.speaker, first.role or role)
    words = list(_WORD.finditer(sentence))
    i = 0
    while i < len(words) and _fold(words[i].group()) in lex.determiners:
        i += 1
    titled = i
    while i < len(words) and i - titled < 4 and words[i].group().islower():
        i += 1  # "le rapporteur spécial Clément Voule"
    if i > titled and not _is_role_phrase(sentence[words[titled].start():words[i - 1].end()], lex):
        return None
    j = i
    while j < len(words) and _is_cap(words[j].group()) and words[j].group() not in lex.stops:
        j += 1
    if j - i >= (1 if i else 2) and j < len(words) and words[j].group().islower() and i < j:
        name = sentence[words[i].start():words[j - 1].end()]
        if not _is_org(name, lex) and _looks_like_person(name, lex):
            return _Speaker(name, _clean(sentence[words[0].start():words[i].start()]) or None if i else None)
    return None


def _looks_like_person(name: str | None, lex: _Lexicon) -> bool:
    """Capitalised words only, not opening with a preposition ("Under the law" is no one)."""
    words = _words(name or "")
    return bool(words) and _fold(words[0]) not in _PREPOSITIONS and not _starts_adjunct(_fold(words[0]), lex) \
        and all(_is_cap(w) or _fold(w) in lex.particles for w in words)


def _speaker_ok(speaker: _Speaker, lex: _Lexicon) -> bool:
    if speaker.pronoun:
        return True
    name = speaker.speaker or ""
    return bool(name) and (_is_cap(name) or _fold(_words(name)[0] if _words(name) else "") in lex.determiners)


def _that_clause(tail: str, lex: _Lexicon, cue: str) -> int | None:
    """Where the reported clause starts after the verb: "that …", "on Monday that …", "que …", or a bare clause after "said"."""
    folded = _fold(tail)
    m = lex.that.match(folded)
    if m:
        return m.end()
    m = re.search(r"\s(?:that|que|qu')(?:\s|(?<='))", folded)
    if m and m.start() < 80 and (_starts_adjunct(folded.strip(), lex) or _fold(cue).endswith(("told", "tells"))):
        return m.end()
    words = _words(folded)
    if _fold(cue).split()[-1] in lex.clause_verbs and len(words) >= 4 and not _starts_adjunct(folded.strip(), lex) \
            and not folded.lstrip().startswith((",", ":")):
        return len(folded) - len(folded.lstrip())
    return None


def _with_kind(text: str, attribution: _Attribution, lex: _Lexicon) -> tuple[_Attribution, str]:
    """Indirect, or mixed when the reported clause quotes some words (not a mere name in quotes)."""
    s, e = attribution.content
    quoted = [seg for seg in _segments(text[s:e]) if seg.open_at is not None and seg.close_at is not None]
    for seg in quoted:
        words = text[s + seg.start:s + seg.end]
        if not _title_like(words, lex):
            return attribution, QuoteKind.MIXED.value
    return attribution, QuoteKind.INDIRECT.value


def _is_org(name: str | None, lex: _Lexicon) -> bool:
    return bool(name) and any(_fold(w) in lex.org_words for w in _words(name))


def _resolve(texts, folded, items, kinds, lex) -> list[_Found]:
    """Turn units and reported sentences into quotes, in reading order, giving pronouns and bare quotes the last speaker."""
    found: list[_Found] = []
    last: _Speaker | None = None
    last_person: _Speaker | None = None
    section_of = _sections(kinds)
    last_section = None
    for (p, _pos), what, payload in items:
        if section_of[p] != last_section:
            last, last_person, last_section = None, None, section_of[p]
        if what == "mention":
            last_person = payload
            continue
        if what == "unit":
            unit: _Unit = payload
            attribution = unit.attribution
            speaker = _who(attribution.speaker if attribution else None, last, last_person)
            text = _unit_text(texts, unit)
            paragraphs = tuple(dict.fromkeys(q for q, _s, _e in unit.pieces))
            first, last_piece = unit.pieces[0], unit.pieces[-1]
            quote = Quote(text=text, speaker=speaker.speaker if speaker else None,
                          speaker_role=speaker.role if speaker else None,
                          cue=(attribution.cue or None) if attribution else None, kind=QuoteKind.DIRECT.value,
                          paragraph=paragraphs[0], paragraphs=paragraphs)
            found.append(_Found(quote, (first[0], first[1], last_piece[0], last_piece[2])))
        else:
            p, (attribution, kind) = payload
            speaker = _who(attribution.speaker, last, last_person)
            if speaker is None or not speaker.speaker:
                continue  # reported speech with nobody to report it ("He said …" out of the blue)
            s, e = attribution.content
            raw = texts[p][s:e]
            lstrip = len(raw) - len(raw.lstrip(" ,\u00a0\u202f"))
            rstrip = len(raw.rstrip(" ,\u00a0\u202f"))
            text = _strip_marks(raw)
            quote = Quote(text=text, speaker=speaker.speaker if speaker else None,
                          speaker_role=speaker.role if speaker else None, cue=attribution.cue, kind=kind,
                          paragraph=p, paragraphs=(p,))
            found.append(_Found(quote, (p, s + lstrip, p, s + rstrip)))
        if speaker is not None and speaker.speaker:
            last = speaker
            if not _is_org(speaker.speaker, lex):
                last_person = speaker
    return found


def _who(speaker: _Speaker | None, last: _Speaker | None, last_person: _Speaker | None) -> _Speaker | None:
    if speaker is None or (speaker.speaker is None and not speaker.pronoun):
        return last
    if speaker.pronoun:
        return last_person or last
    return speaker


def _sections(kinds: list[str]) -> list[int]:
    out, section = [], 0
    for kind in kinds:
        if kind == "heading":
            section += 1
        out.append(section)
    return out


def _unit_text(texts: list[str], unit: _Unit) -> str:
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
        parts.append(_strip_marks(joined))
    return PARAGRAPH_SEP.join(p for p in parts if p)


# ------------------------------------------------------------------ public API

def _spans(found: list[_Found], texts: list[str]) -> list[Quote]:
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


def find_quotes(paragraphs: list[str], lang: str | None = None, kinds: list[str] | None = None) -> list[Quote]:
    """Every quote in a list of body paragraphs, pull quotes included (indexes and spans over the list as given).

    lang is a hint only: French and English cues are always both tried, because quotes
    cross languages ("…,” a déclaré X) and detected languages can be wrong on short text.
    """
    return _spans(_analyse(list(paragraphs), kinds, lang).found, list(paragraphs))


def attribute_quotes(doc: Document, opts: CleanOptions, stats: Stats) -> Document:
    """Fill doc.quotes; pull quotes and their name lines leave the body (doc.removed says why)."""
    texts = [p.text for p in doc.paragraphs]
    try:
        analysis = _analyse(texts, [p.kind for p in doc.paragraphs], doc.lang)
    except Exception as exc:  # noqa: BLE001 - one bad document never stops the run
        stats.error(doc.input, "quotes", f"{type(exc).__name__}: {exc}")
        return doc
    gone = analysis.pulls | analysis.attribution_lines
    kept = [i for i in range(len(texts)) if i not in gone]
    new_index = {old: new for new, old in enumerate(kept)}
    removed = list(doc.removed)
    for i in sorted(gone):
        reason = Reason.PULL_QUOTE if i in analysis.pulls else Reason.ATTRIBUTION
        removed.append(Removed(texts[i], reason.value))
    remapped: list[_Found] = []
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
        remapped.append(_Found(q, anchor))
    paragraphs = [doc.paragraphs[i] for i in kept]
    quotes = _spans(remapped, [p.text for p in paragraphs])
    for q in quotes:
        stats.inc(f"quotes/{q.kind}")
    stats.inc("quotes/paragraphs_removed", len(gone))
    out = doc.replace(paragraphs=paragraphs, quotes=quotes, removed=removed)
    if gone and doc.content_hash is not None:  # annotate ran before us: count and hash the body that is left
        out = out.replace(content_hash=content_hash(out.body_text), word_count=count_words(out.body_text))
    return out
