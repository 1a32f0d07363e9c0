"""Quote cue words, compiled once, and the offset-keeping fold every quote module matches on.

Cue words live in cleaning/lexicon/quotes.toml. Matching runs on a folded copy of each
paragraph that keeps every character offset (one character in, one out), so spans found
on the folded text slice the original.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from cleaning.lexicon import load_lexicon

_FOLD_MAP = {"’": "'", "ʼ": "'", "\u2011": "-", "\u2010": "-", "\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2007": " "}
_FOLD_TABLE = str.maketrans(_FOLD_MAP)
WORD = re.compile(r"[^\W_][\w'’\-\u2011]*")
SPACES = " \t\u00a0\u202f\u2009\u2007"


def _alternation(words) -> str:
    # longest first (a regex alternation takes the first alternative that matches), then by text:
    # a set's order changes with PYTHONHASHSEED, so the key must be total
    ordered = sorted({w for w in words if w}, key=lambda w: (-len(w), w))
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered)


@dataclass(frozen=True)
class QuoteLexicon:
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
    titles: frozenset[str] = frozenset()  # "sir", "dr", "mme": dropped from the front of a name
    feminine: frozenset[str] = frozenset()  # titles and role nouns that make a speaker "she" / "elle"
    masculine: frozenset[str] = frozenset()
    org_anaphors: frozenset[str] = frozenset()  # "l'ONG", "the charity": an organisation named earlier
    personal_pronouns: frozenset[str] = frozenset()  # "he", "she": only a person, never an organisation
    role_suffixes: tuple[str, ...] = ()  # agent-noun endings: "scientist", "économiste", "hydrologue"
    representatives: frozenset[str] = frozenset()  # "spokesperson", "porte-parole": speaks for an organisation
    unnamed: frozenset[str] = frozenset()  # "a", "one", "une": someone the text does not name


@lru_cache(maxsize=4)
def quote_lexicon() -> QuoteLexicon:
    """Every language's quote cues in one object: a block's language is not always known."""
    raw = load_lexicon("quotes")
    langs = [raw[k] for k in raw if k not in ("names", "naming")]

    def every(key: str) -> list[str]:
        return [fold_same_length(w) for lang in langs for w in lang.get(key, [])]

    verbs, participles = _alternation(every("verbs")), _alternation(every("participles"))
    fr = raw.get("fr", {})
    aux_fr = _alternation(fold_same_length(w) for w in fr.get("auxiliaries", []))
    aux_en = _alternation(fold_same_length(w) for w in raw.get("en", {}).get("auxiliaries", []))
    adverbs = _alternation(every("adverbs"))
    pron_fr = _alternation(fold_same_length(w) for w in fr.get("pronouns", []) if w not in ("lui", "eux"))
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
    naming = raw.get("naming", {})
    return QuoteLexicon(
        cue=cue,
        source=re.compile(rf"(?<![\w'-])(?:{_alternation(every('sources'))})(?:\s+|(?<=')(?=\w))"),
        topic=re.compile(rf"^\s*(?:{_alternation(every('topic')) or '(?!)'})\s+"),
        that=re.compile(rf"^\s*(?:{_alternation(every('that'))})(?:\s+|(?<=')|$)"),
        pronouns=frozenset(every("pronouns")),
        determiners=frozenset(every("determiners")),
        adjunct=re.compile(rf"(?:{_alternation(every('adjuncts'))})(?:(?<=')|\s|$)"),
        role_words=frozenset(every("role_words")),
        speaker_nouns=frozenset(every("speaker_nouns")),
        particles=frozenset(fold_same_length(w) for w in names.get("particles", [])),
        stops=frozenset(names.get("stops", [])),
        abbreviations=frozenset(fold_same_length(w) for w in names.get("abbreviations", [])),
        org_words=frozenset(fold_same_length(w) for w in names.get("organisation_words", [])),
        not_person=frozenset(fold_same_length(w) for w in names.get("not_person", [])),
        after_cue=re.compile(rf"\s*(?:{_alternation(every('after_cue'))})(?=[\s,])[\s,]*"),
        documents=frozenset(every("documents")),
        clause_words=frozenset(every("clause_words")),
        name_breaks=frozenset(fold_same_length(w) for w in names.get("breaks", [])),
        clause_verbs=frozenset({"said", "says", "told", "added", "adds", "warned", "argued", "insisted"}),
        titles=frozenset(fold_same_length(w) for w in naming.get("titles", [])),
        feminine=frozenset(fold_same_length(w) for w in naming.get("feminine", [])),
        masculine=frozenset(fold_same_length(w) for w in naming.get("masculine", [])),
        org_anaphors=frozenset(fold_same_length(w) for w in naming.get("organisation_anaphors", [])),
        personal_pronouns=frozenset(every("personal_pronouns")),
        role_suffixes=tuple(sorted(set(every("role_suffixes")), key=lambda w: (-len(w), w))),
        representatives=frozenset(fold_same_length(w) for w in naming.get("representatives", [])),
        unnamed=frozenset(fold_same_length(w) for w in naming.get("unnamed", [])),
    )


def fold_same_length(text: str) -> str:
    """Lower case, one apostrophe, plain hyphens and spaces — same length as the input."""
    folded = text.translate(_FOLD_TABLE)
    lowered = folded.lower()
    if len(lowered) == len(folded):
        return lowered
    return "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in folded)


def words_in(text: str) -> list[str]:
    return WORD.findall(text)


def is_capitalised(word: str) -> bool:
    word = re.sub(r"^[ldLD]['’]", "", word)
    return bool(word) and word[0].isupper()


def is_possessive(word: str) -> bool:
    return bool(re.search(r"(?:['’]s|s['’])$", word))
