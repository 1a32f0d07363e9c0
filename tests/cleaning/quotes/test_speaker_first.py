"""Speaker first, described after commas, then the verb and the quote: "X, rôle chez Y, a affirmé : « … »".

The description between the name and the verb may hold an organisation ("chez l’ONG Terre
Solidaire"), a second comma ("chair, Residents for the River") or a trade no list names
("watershed scientist"): the name that opens the subject is still the speaker, and what follows
it is the role. The form is the same in every language the quote lexicon has verbs for.
"""

from __future__ import annotations

import pytest

from cleaning.quotes import find_quotes


def _who(paragraphs: list[str], lang: str | None = None) -> list[tuple[str | None, str | None]]:
    return [(q.speaker, q.speaker_role) for q in find_quotes(paragraphs, lang)]


@pytest.mark.parametrize("lead, role", [
    ("Sofia Berger, responsable du plaidoyer chez l’ONG Terre Solidaire, a affirmé\u00a0:",
     "responsable du plaidoyer chez l’ONG Terre Solidaire"),
    ("Sofia Berger, responsable du plaidoyer, Terre Solidaire, a affirmé :", "responsable du plaidoyer, Terre Solidaire"),
    ("Julien Marceau, avocat pour la coalition Rivières Vivantes, a déclaré :", "avocat pour la coalition Rivières Vivantes"),
    ("Claire Dubois, hydrologue à l’université Laval, a expliqué :", "hydrologue à l’université Laval"),
])
def test_french_speaker_first_with_an_organisation_in_the_role(lead, role):
    paragraph = f"{lead} « Les promesses ne suffisent plus, il faut maintenant des actes et un calendrier. »"
    (quote,) = find_quotes([paragraph], "fr")
    assert (quote.speaker, quote.speaker_role, quote.kind) == (lead.split(",")[0], role, "direct")
    assert quote.text == "Les promesses ne suffisent plus, il faut maintenant des actes et un calendrier."


def test_speaker_first_is_not_given_to_the_neighbouring_speaker():
    paragraphs = [
        "« Il faut un moratoire sur les nouveaux forages », a déclaré Paul Girard, président de l’association Eaux Vives.",
        "La préfecture n’a pas répondu à nos sollicitations.",
        "Sofia Berger, responsable du plaidoyer chez l’ONG Terre Solidaire, a affirmé : « Les promesses ne suffisent "
        "plus. »",
        "« Les députés doivent voter le texte avant l’été », a-t-elle conclu.",
    ]
    assert _who(paragraphs, "fr") == [
        ("Paul Girard", "président de l’association Eaux Vives"),
        ("Sofia Berger", "responsable du plaidoyer chez l’ONG Terre Solidaire"),
        ("Sofia Berger", "responsable du plaidoyer chez l’ONG Terre Solidaire"),
    ]


@pytest.mark.parametrize("paragraph, speaker, role", [
    ("Sofía Berger, responsable de incidencia en Tierra Solidaria, afirmó: «Las promesas ya no bastan.»",
     "Sofía Berger", "responsable de incidencia en Tierra Solidaria"),
    ("Sofia Berger, Sprecherin von Erde Solidarisch, sagte: „Versprechen reichen nicht mehr aus.“",
     "Sofia Berger", "Sprecherin von Erde Solidarisch"),
    ("Sofia Berger, responsabile advocacy di Terra Solidale, ha dichiarato: «Le promesse non bastano più.»",
     "Sofia Berger", "responsabile advocacy di Terra Solidale"),
    ("Sofia Berger, coordenadora de advocacia da Terra Solidária, afirmou: «As promessas já não chegam.»",
     "Sofia Berger", "coordenadora de advocacia da Terra Solidária"),
    ("Sofia Berger, woordvoerder van Aarde Solidair, zei: “Beloftes zijn niet langer genoeg.”",
     "Sofia Berger", "woordvoerder van Aarde Solidair"),
])
def test_speaker_first_in_every_language_with_reporting_verbs(paragraph, speaker, role):
    assert _who([paragraph]) == [(speaker, role)]


@pytest.mark.parametrize("paragraph, speaker, role", [
    ("Tomás Ferreira, chair, Residents for the River, said: “We will appeal the permit as soon as it is signed.”",
     "Tomás Ferreira", "chair, Residents for the River"),
    ("“The river is already stressed by three dry summers,” Marc Ouellet, watershed scientist, said.",
     "Marc Ouellet", "watershed scientist"),
    ("Marc Ouellet, watershed scientist at Laval University, said: “The river is already stressed.”",
     "Marc Ouellet", "watershed scientist at Laval University"),
])
def test_english_speaker_first_roles_after_the_name(paragraph, speaker, role):
    assert _who([paragraph], "en") == [(speaker, role)]


@pytest.mark.parametrize("piece, described", [
    ("responsable du plaidoyer chez l’ONG Terre Solidaire", True), ("watershed scientist", True),
    ("Residents for the River", True), ("a lawyer for the family", True), ("42 ans", True),
    ("the council must act now", False), ("il faut agir", False), ("who said the river was dying", False),
])
def test_an_apposition_describes_the_subject_and_a_clause_does_not(piece, described):
    from cleaning.quotes.lexicon import quote_lexicon
    from cleaning.quotes.speakers import _is_apposition

    assert _is_apposition(piece, quote_lexicon()) is described


@pytest.mark.parametrize("paragraph, speaker, role, text", [
    ("Selon Julien Marceau, avocat des riverains, le projet menace la rivière et ses habitants.",
     "Julien Marceau", "avocat des riverains", "le projet menace la rivière et ses habitants"),
    ("According to Marc Ouellet, watershed scientist at Laval University, the river is already stressed.",
     "Marc Ouellet", "watershed scientist at Laval University", "the river is already stressed"),
    # the clause itself holds commas: only role pieces move the cut
    ("Selon Julien Marceau, le projet menace la rivière, et rien ne garantit son avenir.",
     "Julien Marceau", None, "le projet menace la rivière, et rien ne garantit son avenir"),
])
def test_a_source_role_after_selon_or_according_to_is_the_role_not_the_clause(paragraph, speaker, role, text):
    (quote,) = find_quotes([paragraph])
    assert (quote.speaker, quote.speaker_role, quote.text, quote.kind) == (speaker, role, text, "indirect")


@pytest.mark.parametrize("paragraph, speaker, role", [
    ("“We will appeal the permit as soon as it is signed,” said Tomás Ferreira, chair, Residents for the River.",
     "Tomás Ferreira", "chair, Residents for the River"),
    ("« Nous ferons appel dès la signature du permis », a déclaré Julien Marceau, avocat, Rivières Vivantes.",
     "Julien Marceau", "avocat, Rivières Vivantes"),
])
def test_title_then_organisation_after_an_inverted_cue(paragraph, speaker, role):
    assert _who([paragraph]) == [(speaker, role)]


@pytest.mark.parametrize("paragraph, speaker", [
    # the reported clause opens with capitalised words: it is not a speaker described by an apposition
    ("The Information Ministry of Halvania must put an end to the censorship of independent media, "
     "Vigie Internationale said today.", "Vigie Internationale"),
    ("« Nous allons réformer le système d’asile », a déclaré la ministre de l’Intérieur Catherine Vautrin.",
     "Catherine Vautrin"),
])
def test_speaker_first_reading_leaves_other_forms_alone(paragraph, speaker):
    assert [q.speaker for q in find_quotes([paragraph])] == [speaker]


@pytest.mark.parametrize("paragraph, speaker, role", [
    ("Pour sa part, Sofia Berger, responsable du plaidoyer chez Terre Solidaire, a affirmé : « Les promesses ne "
     "suffisent plus. »", "Sofia Berger", "responsable du plaidoyer chez Terre Solidaire"),
    ("De son côté, Paul Garnier, directeur du site, a répondu : « Nous avons tout essayé. »",
     "Paul Garnier", "directeur du site"),
    ("Meanwhile, Tom Briggs, the warehouse owner, said: “I told the police twice and nothing happened.”",
     "Tom Briggs", "the warehouse owner"),
])
def test_a_linking_phrase_before_the_speaker_is_neither_speaker_nor_role(paragraph, speaker, role):
    assert _who([paragraph]) == [(speaker, role)]


@pytest.mark.parametrize("paragraph, speaker, role", [
    ("Sofia Berger (Terre Solidaire) a affirmé : « Les promesses ne suffisent plus. »", "Sofia Berger", "Terre Solidaire"),
    ("“Promises are no longer enough,” said Sofia Berger (Terre Solidaire).", "Sofia Berger", "Terre Solidaire"),
    # an acronym in brackets belongs to the name it follows
    ("Terre Solidaire (TS) a affirmé que les promesses ne suffisaient plus du tout.", "Terre Solidaire", None),
])
def test_a_bracketed_organisation_after_the_name_is_the_role(paragraph, speaker, role):
    assert _who([paragraph]) == [(speaker, role)]
