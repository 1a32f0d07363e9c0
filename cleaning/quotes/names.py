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


def canonical_person(speaker: Speaker | None, named: list[str], lex: QuoteLexicon, before: str = "") -> Speaker | None:
    """A lone surname ("Lopez said") as the full name of the last person so named ("Maria Lopez"), or of the
    last full name the text before holds ("Former world number three Lena Drobny announced …")."""
    name = speaker.speaker if speaker is not None else None
    words = words_in(name or "")
    if len(words) != 1 or not is_capitalised(words[0]) or is_org(name, lex) or words[0] in lex.stops:
        return speaker
    for full in reversed(named):
        parts = words_in(full or "")
        if len(parts) >= 2 and parts[-1] == words[0] and not is_org(full, lex):
            return Speaker(full, speaker.role, speaker.pronoun, speaker.gender, speaker.personal)
    full = _full_name(words[0], before, lex) if before else None
    if full and not is_org(full, lex):
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
        if not lead and len(words_in(name)) == 1 and not is_org(name, lex) and not lex.cue.match(fold_same_length(before[start + end:]).lstrip()):
            continue  # "Up to 300 jobs", "Rescue workers were": a capitalised opener, not an organisation
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


_LEAD = re.compile(r"^\s*(?:[lL]['’]|(?:[Tt]he|[Aa]n?|[Oo]ne|[Ll][ae]s?|[Uu]ne?|[Ii]ts|[Tt]heir|[Ss]on|[Ss]a|[Ll]eur)\s+)")


def nominal(name: str | None, lex: QuoteLexicon) -> tuple[str, str, list[str], str] | None:
    """A speaker named by a common noun: (determiner, head, modifiers, complement).

    "the minister" → ("the", "minister", [], ""); "a police spokesperson" → ("a", "spokesperson", ["police"], "");
    "a spokesperson for the company" → ("a", "spokesperson", [], "the company"). None when a proper name
    or a pronoun does the naming."""
    if not name:
        return None
    lead = _LEAD.match(name)
    if not lead:
        return None
    det = fold_same_length(lead.group().strip()).rstrip("'’") or "l"
    rest = name[lead.end():]
    m = re.search(r"\s(?:for|of|at|from|du|de\s+la|de\s+l['’]|des|de|d['’])(?:\s+|(?<=['’]))", rest)
    head_part, complement = (rest[:m.start()], rest[m.end():].strip()) if m else (rest, "")
    words = words_in(head_part)
    if not words or len(words) > 4 or any(is_capitalised(w) and fold_same_length(w) not in lex.role_words for w in words):
        return None
    folded = [fold_same_length(w).replace("'s", "").replace("’s", "") for w in words]
    return det, folded[-1], folded[:-1], complement


def _nearest_named(head: str, before: str, lex: QuoteLexicon) -> str | None:
    """The last proper name in the text before holding the noun capitalised: "the council" → "Calder County Council"."""
    found = None
    for m in re.finditer(rf"(?<![\w'’-]){re.escape(head)}(?![\w'’-])", before, re.IGNORECASE):
        if not is_capitalised(m.group()):
            continue
        start = m.start()
        while True:  # walk back over the capitalised words (and particles) that open the name
            prev = re.search(rf"({_CAP_WORD}|[&])\s+$", before[:start])
            if not prev or prev.group(1) in lex.stops or fold_same_length(prev.group(1)).rstrip(".") in lex.titles:
                break
            start = prev.start()
        run, end = _name_run(before[m.start():], lex)
        name = before[start:m.start() + end].strip()
        name = re.sub(r"['’]s$", "", name)
        if 1 <= len(words_in(name)) <= 7:
            found = name
    return found


_KIND_LEAD = r"(?<![\w'’-])(?:[Tt]he|[Aa]n?|[Ii]ts|[Tt]heir|[Ll][ae]|[Ll]['’])\s*(?<=\s|['’])(?:[a-zà-ÿ][\w'’-]*\s+){0,2}?"


def _kind_named(kind: str | None, before: str, lex: QuoteLexicon) -> str | None:
    """The last organisation introduced by its kind ("the brewer Halden & Price", "The union Unite Works");
    of that kind when one is given."""
    kinds = [kind] if kind else sorted(lex.org_anaphors)
    found, at = None, -1
    for noun in kinds:
        for m in re.finditer(rf"{_KIND_LEAD}{re.escape(noun)}\s+(?=[^\W\d_a-zß-ÿ])", before):
            name = _name_at(before, m.end(), lex)
            if not name or m.start() < at:
                continue
            more = re.match(r"\s*&\s*(" + _CAP_WORD + ")", before[m.end() + len(name):])
            if more:  # "Halden & Price"
                name = before[m.end():m.end() + len(name) + more.end()]
            found, at = name, m.start()
    return found


def resolve_nominal(speaker: Speaker | None, persons: list[Speaker], before: str, last_org: str | None,
                    lex: QuoteLexicon) -> Speaker | None:
    """"the minister", "the company", "a police spokesperson" as the person or organisation named earlier.

    A person's role noun ("the minister", "the governor") is the last person met whose role holds it;
    an organisation's kind ("the council", "the health board") the last proper name holding it, else the
    last organisation that spoke; a spokesperson the organisation their phrase points to. Someone the text
    does not name ("one café owner", "a neighbour") is unknown: no speaker. Unresolved phrases stay as written."""
    found = nominal(speaker.speaker if speaker is not None else None, lex)
    if found is None:
        return speaker
    det, head, modifiers, complement = found

    def keep(name: str | None, role: str | None = None) -> Speaker:
        return Speaker(name, role or speaker.role, speaker.pronoun, speaker.gender, speaker.personal)

    if head in lex.representatives:
        if complement:
            inner = resolve_nominal(Speaker(complement, None), persons, before, last_org, lex)
            return keep(inner.speaker, speaker.speaker) if inner is not None and inner.speaker != complement else speaker
        for word in reversed(modifiers):  # "a police spokesperson" → "Westvale Police"
            named = _nearest_named(word, before, lex)
            if named:
                return keep(named, speaker.speaker)
        return keep(last_org, speaker.speaker) if last_org and not modifiers else speaker
    if head in lex.org_anaphors and not complement:
        named = _nearest_named(head, before, lex) or _kind_named(head, before, lex) or last_org \
            or _kind_named(None, before, lex)
        return keep(named) if named else speaker
    if det in lex.unnamed and not complement:
        if head in lex.role_words or head in lex.feminine or head in lex.masculine or modifiers:
            return Speaker(None, speaker.speaker, False, speaker.gender, True)
        return speaker
    if head in lex.role_words or head in lex.feminine or head in lex.masculine:
        for person in reversed(persons):
            role = words_in(fold_same_length(person.role or ""))
            if head in role and person.speaker:
                return Speaker(person.speaker, person.role, False, speaker.gender or None, True)
    return speaker
