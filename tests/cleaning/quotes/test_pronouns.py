"""Pronoun sources: "he said" / "a-t-elle ajouté" resolved to a person named before, conservatively.

The news-style cases (tests/fixtures/quotes/news_pronouns.jsonl, labelled by hand) pin the rule:
a pronoun is the most recent person named in the section whose gender, when the lexicon can
tell it (a title, a role noun, a pronoun used for them before), agrees; "he" / "she" is never an
organisation; nobody is named when no one fits, and a heading starts afresh.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cleaning.core.schema import SpeakerType
from cleaning.quotes import find_quotes

CASES = [json.loads(line) for line in
         (Path(__file__).resolve().parents[2] / "fixtures" / "quotes" / "news_pronouns.jsonl").read_text("utf-8").splitlines()]


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_news_pronouns_resolve_to_the_person_meant(case):
    got = [[q.paragraph, q.speaker] for q in find_quotes(case["paragraphs"], case["lang"], case.get("kinds"))]
    assert got == case["expect"], case["note"]


def test_the_set_covers_both_languages_and_the_unknown_case():
    assert {c["lang"] for c in CASES} == {"en", "fr"}
    assert sum(speaker is None for c in CASES for _p, speaker in c["expect"]) >= 3
    assert len(CASES) >= 9


def test_a_resolved_pronoun_keeps_its_cue_and_is_a_person():
    quotes = find_quotes(CASES[0]["paragraphs"], "en")
    she = next(q for q in quotes if q.paragraph == 2)
    assert (she.cue, she.speaker, she.speaker_type) == ("said", "Maria Lopez", SpeakerType.PERSON.value)


def test_they_is_the_last_speaker_even_an_organisation():
    paragraphs = ["Jane Moyo, a dock worker, said the port had been closed since Friday.",
                  "Greenpeace said its activists had been held for six hours without charge.",
                  "“This is an attempt to silence peaceful protest,” they said."]
    assert [q.speaker for q in find_quotes(paragraphs, "en")][-1] == "Greenpeace"


def test_elle_may_stand_for_an_organisation_when_no_woman_was_named():
    paragraphs = ["La Ligue des droits de l’Homme a estimé que la loi portait atteinte à la liberté de manifester.",
                  "« Ce texte doit être retiré », a-t-elle ajouté."]
    assert [q.speaker for q in find_quotes(paragraphs, "fr")] == ["Ligue des droits de l’Homme"] * 2
