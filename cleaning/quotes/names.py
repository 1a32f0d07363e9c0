"""How a speaker is named in the output: titles dropped, lone surnames and "the charity" resolved.

Press releases name someone in full once ("Chinwe Okafor, the charity's chief executive")
and then by title and surname ("Ms Okafor") or, for an organisation, by a common noun
("L’ONG estime que …"). Researchers want the same name every time, so these rules map
each later form back to the full name met earlier in the same text.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from cleaning.quotes.lexicon import WORD, QuoteLexicon, fold_same_length, is_capitalised, words_in
from cleaning.core.schema import SpeakerType
from cleaning.quotes.speakers import PREPOSITIONS, Speaker, _extend_name, _name_run, _phrase_words, is_org

_CAP_WORD = r"[^\W\d_a-zß-ÿ][\w'’\-]*"


def _leading_titles(name: str, lex: QuoteLexicon) -> tuple[list[str], str]:
    """(["Sir"], "David Pemberton-Hall") from "Sir David Pemberton-Hall"; two-word titles too ("Chief Inspector")."""
    titles: list[str] = []
    rest = name.strip()
    while True:
        words = list(WORD.finditer(rest))
        if len(words) < 2:
            return titles, rest
        cut = None
        two = fold_same_length(rest[:words[1].end()])
        if two in lex.titles:
            cut = words[1].end()
        elif fold_same_length(words[0].group()) in lex.titles or fold_same_length(rest[:words[0].end() + 1]) in lex.titles:
            cut = words[0].end()
        if cut is None:
            return titles, rest
        tail = rest[cut:].lstrip(". \u00a0")
        if not tail or not is_capitalised(tail):
            return titles, rest
        titles.append(rest[:cut])
        rest = tail


def gender_of(speaker: Speaker, lex: QuoteLexicon) -> str | None:
    """"f" / "m" from the speaker's title or the head noun of the role ("directrice", "spokesman")."""
    titles, _ = _leading_titles(speaker.speaker or "", lex)
    for title in titles:
        folded = fold_same_length(title).rstrip(".")
        if folded in lex.feminine:
            return "f"
        if folded in lex.masculine:
            return "m"
    for word in words_in(fold_same_length(speaker.role or ""))[:4]:
        if word in lex.feminine:
            return "f"
        if word in lex.masculine:
            return "m"
    return speaker.gender


def _full_name(surname: str, before: str, lex: QuoteLexicon) -> str | None:
    """The last "Given [Middle] Surname" in the text before, for a lone surname."""
    found = None
    for m in re.finditer(rf"((?:{_CAP_WORD}\s+){{1,3}}){re.escape(surname)}(?![\w'’-])", before):
        given = [w for w in m.group(1).split() if fold_same_length(w).rstrip(".") not in lex.titles and w not in lex.stops
                 and fold_same_length(w) not in lex.determiners and not is_org(w, lex)]
        # keep the given names right before the surname only
        words = m.group(1).split()
        while words and words[0] not in given:
            words = words[1:]
        if words and all(w in given for w in words):
            found = " ".join(words + [surname])
    return found


def canonical_person(speaker: Speaker | None, named: list[str], lex: QuoteLexicon) -> Speaker | None:
    """A lone surname ("Lopez said") as the full name of the last person so named ("Maria Lopez")."""
    name = speaker.speaker if speaker is not None else None
    words = words_in(name or "")
    if len(words) != 1 or not is_capitalised(words[0]) or is_org(name, lex) or words[0] in lex.stops:
        return speaker
    for full in reversed(named):
        parts = words_in(full or "")
        if len(parts) >= 2 and parts[-1] == words[0] and not is_org(full, lex):
            return Speaker(full, speaker.role, speaker.pronoun, speaker.gender, speaker.personal)
    return speaker


def is_org_anaphor(name: str | None, lex: QuoteLexicon) -> bool:
    """"L’ONG", "the charity", "l’association": an organisation by its common noun."""
    words = words_in(fold_same_length(name or ""))
    if words and (words[0] in lex.determiners or words[0] in ("l", "l'")):
        words = words[1:]
    elif words and re.match(r"^l'", words[0]):
        words = [words[0][2:]] + words[1:]
    return bool(words) and " ".join(words) in lex.org_anaphors


def _org_antecedent(before: str, lex: QuoteLexicon) -> str | None:
    """The last sentence subject before that is a proper name: "Greenpeace France publie …" → "Greenpeace France"."""
    from cleaning.quotes.speakers import _extend_name, _name_run  # the name-run reader the attributions use

    found = None
    for m in re.finditer(r"(?:^|(?<=[.!?\n]\s)|(?<=\n))\s*(?=\S)", before):
        start = m.end()
        lead = re.match(r"(?:(?:La|Le|Les|The)\s+|L['’])(?=[^\W\d_a-z])", before[start:])
        if lead:  # "La Cimade a publié …", "The Trussell Trust said …": the article is not the name
            start += lead.end()
        run, end = _name_run(before[start:], lex)
        if not run or run[0].group() in lex.stops or fold_same_length(run[0].group()) in lex.determiners:
            continue
        if all(m.group().isupper() for m in run) and before[start + end:start + end + 1] == ",":
            continue  # a dateline ("MONTRÉAL, le 3 mars 2026 – …") names a place
        more = words_in(before[start + end:start + end + 30])
        if more and fold_same_length(more[0]) in lex.particles:  # "Reporters sans frontières", not "Greenpeace France publie"
            end = _extend_name(before[start:], end, lex)
        name = before[start:start + end].strip()
        nxt = words_in(before[start + end:start + end + 40])
        if nxt and nxt[0].islower() and len(words_in(name)) <= 6 and not is_org_anaphor(name, lex):
            found = name
    return found


def display_speaker(speaker: Speaker, text_so_far: Callable[[], str], lex: QuoteLexicon,
                    last_org: str | None) -> Speaker:
    """The speaker as output: without leading titles, a lone surname or an organisation anaphor resolved.

    text_so_far gives the text up to the quote, read only when a name has to be looked up."""
    name = speaker.speaker
    if not name:
        return speaker
    if is_org_anaphor(name, lex):
        noun = words_in(fold_same_length(re.sub(r"^(?:[lL]['’]|[Tt]he\s+|[Ll][ae]\s+)", "", name)))
        if last_org and noun and noun[0] in words_in(fold_same_length(last_org)):
            antecedent = last_org  # "l’alliance" after "Alliance Rivières Vivantes" spoke: that one
        else:
            antecedent = _org_antecedent(text_so_far(), lex) or last_org
        return Speaker(antecedent, speaker.role, speaker.pronoun, speaker.gender) if antecedent else speaker
    noun = re.match(r"(?:[lL]['’]|[Tt]he\s+|[Ll][ae]\s+)?([\w-]+)\s+(?=[^\W\d_a-z])", name)
    if noun and fold_same_length(noun.group(1)) in lex.org_anaphors and (noun.group(1).isupper() or noun.group(1).islower()):
        # "The NGO Global Witness", "l’association Droit au logement": the name, not its kind
        # (a capitalised "Association des maires …" is the name itself)
        return Speaker(name[noun.end():], speaker.role, speaker.pronoun, speaker.gender)
    titles, rest = _leading_titles(name, lex)
    if not titles or is_org(rest, lex):
        return speaker
    if len(words_in(rest)) == 1:
        full = _full_name(rest, text_so_far(), lex)
        return Speaker(full or name, speaker.role, speaker.pronoun, speaker.gender)
    return Speaker(rest, speaker.role, speaker.pronoun, speaker.gender)


_ROLE_ORG = re.compile(
    r"(?<![\w'’-])(?:(?:de|du|des|chez|at|of|for|from|with|à|au|aux|pour|auprès\s+de)\s+|d['’])"
    r"(?:[Ll]['’]|[Ll]a\s+|[Ll]e\s+|[Ll]es\s+|[Tt]he\s+)?(?=[^\W\d_a-z])")
_ARTICLE_NAME = re.compile(r"(?:^|(?<=[.!?:–—]\s)|(?<=[.!?]\s\s))\s*(?:L['’]|La\s+|Le\s+|Les\s+|The\s+)(?=[^\W\d_a-z])")


def _name_at(text: str, at: int, lex: QuoteLexicon) -> str | None:
    """The proper name opening text[at:] ("Alliance Rivières Vivantes", "Reporters sans frontières"), if any."""
    run, end = _name_run(text[at:], lex)
    if not run or run[0].group() in lex.stops:
        return None
    more = words_in(text[at + end:at + end + 30])
    if more and fold_same_length(more[0]) in lex.particles:  # "Reporters sans frontières", not "… Network agreed"
        end = _extend_name(text[at:], end, lex)
    name = text[at:at + end].strip()
    return name if 1 <= len(words_in(name)) <= 6 else None


def organisations_named(texts: list[str], roles: list[str], lex: QuoteLexicon, hints: tuple[str, ...] = ()) -> frozenset[str]:
    """Folded names the text itself treats as organisations.

    A proper name after the article that opens a sentence ("L’Alliance Rivières Vivantes demande",
    "The Trussell Trust said") is not a person: people take no article (inside a sentence, "the
    Jane Doe case" would say nothing). The body a person's role belongs to ("directrice
    générale d’Alliance Rivières Vivantes", "chair of Residents for the River") is one too, and so
    are the hints (the site's own name)."""
    found = {fold_same_length(h).strip() for h in hints if h and h.strip()} | {squashed(h) for h in hints if h and h.strip()}
    for role in roles:
        for m in _ROLE_ORG.finditer(role):
            name = _name_at(role, m.end(), lex)
            if name:
                found.add(fold_same_length(name))
    for text in texts:
        for m in _ARTICLE_NAME.finditer(text):
            name = _name_at(text, m.end(), lex)
            if name and fold_same_length(words_in(name)[0]).rstrip(".") not in lex.titles:  # "le Pr Paul X" is a person
                found.add(fold_same_length(name))
    return frozenset(found)


def squashed(name: str) -> str:
    """A name as a host label spells it: "Terre Solidaire" → "terresolidaire" (for terre-solidaire.org)."""
    return re.sub(r"[\W_]+", "", fold_same_length(name))


def speaker_type(speaker: str | None, role: str | None, lex: QuoteLexicon, organisations: frozenset[str]) -> str:
    """SpeakerType of a speaker: "organisation", "person" or "unknown" (no speaker, or nothing tells).

    organisations: from organisations_named; a name matches folded, or squashed as a host label."""
    if not speaker:
        return SpeakerType.UNKNOWN.value
    folded = fold_same_length(speaker).strip()
    if is_org(speaker, lex) or folded in organisations or squashed(speaker) in organisations or is_org_anaphor(speaker, lex):
        return SpeakerType.ORGANISATION.value
    words = _phrase_words(speaker)
    if words and (words[0] in lex.determiners or not is_capitalised(words_in(speaker)[0])):
        # "le porte-parole du ministère", "the government": the head noun says which
        heads = words[1:] if words[0] in lex.determiners else words
        if any(w in lex.speaker_nouns or w in lex.org_anaphors for w in heads[:2]):
            return SpeakerType.ORGANISATION.value
        if any(w in lex.role_words or w in lex.feminine or w in lex.masculine for w in heads[:3]):
            return SpeakerType.PERSON.value
        return SpeakerType.UNKNOWN.value
    role_head = _phrase_words(role or "")
    if len(role_head) > 1 and role_head[0] in lex.determiners and role_head[1] in lex.speaker_nouns | lex.org_anaphors:
        return SpeakerType.ORGANISATION.value  # "Terre Solidaire, a coalition of 40 groups"
    name_words = words_in(speaker)
    capitalised = [w for w in name_words if fold_same_length(w) not in lex.particles]
    if role or (2 <= len(capitalised) <= 4 and fold_same_length(name_words[0]) not in PREPOSITIONS
                and all(is_capitalised(w) for w in capitalised)):
        return SpeakerType.PERSON.value
    return SpeakerType.UNKNOWN.value
