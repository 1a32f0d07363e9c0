"""How speakers are named: titles dropped, surnames completed, organisations by the name met earlier, gender."""

from __future__ import annotations

import pytest

from cleaning.quotes import find_quotes


def _speakers(paragraphs: list[str], lang: str = "en") -> list[str | None]:
    return [q.speaker for q in find_quotes(paragraphs, lang)]



@pytest.mark.parametrize("lead, name", [
    ("Sir Alan Whitby", "Alan Whitby"), ("Professor Ruth Adeyemi-Cole", "Ruth Adeyemi-Cole"),
    ("Chief Inspector Mark Tolland", "Mark Tolland"), ("Dame Joan Fairley", "Joan Fairley"),
])
def test_titles_leave_the_speaker_name(lead, name):
    assert _speakers([f"“The figures speak for themselves,” said {lead}, who led the review."]) == [name]
    assert _speakers([f"Le Pr Paul Serrano-Vidal, chef du service de cardiologie de l’hôpital Necker, a déclaré : "
                      "« Les délais d’attente ont doublé. »"], "fr") == ["Paul Serrano-Vidal"]



def test_a_lone_surname_after_a_title_takes_the_full_name_met_earlier():
    paragraphs = ["Rebecca Thornbury, the trust’s finance director, presented the accounts on Monday.",
                  "“We have closed the deficit for the first time in a decade,” Mrs Thornbury said."]
    assert _speakers(paragraphs) == ["Rebecca Thornbury"]
    # nobody named in full before: the title stays, so the surname is not left bare
    assert _speakers(["“We have closed the deficit,” Mrs Thornbury said."]) == ["Mrs Thornbury"]



@pytest.mark.parametrize("paragraphs, lang, org", [
    (["Médecins du Monde Belgique publie ce jeudi son rapport annuel.",
      "L’association estime que l’accès aux soins des exilés s’est dégradé en un an."], "fr", "Médecins du Monde Belgique"),
    (["Crisis Action Wales launched its winter appeal on Friday.",
      "The charity said that demand at its food banks had risen by a third."], "en", "Crisis Action Wales"),
    (["La Cimade a publié lundi son rapport annuel.",
      "Selon l’association, 40 000 personnes ont été placées en rétention l’an dernier."], "fr", "Cimade"),
    (["The NGO Global Witness said that the timber had been illegally logged."], "en", "Global Witness"),
    (["« Ce verdict est historique », a réagi l’ONG Sherpa."], "fr", "Sherpa"),
    (["« Les communes rurales sont oubliées », a déclaré l’Association des maires ruraux."], "fr",
     "Association des maires ruraux"),
])
def test_an_organisation_named_by_its_common_noun_takes_the_name_met_earlier(paragraphs, lang, org):
    assert _speakers(paragraphs, lang) == [org]



def test_elle_and_she_skip_a_speaker_known_to_be_a_man():
    fr = ["« Les loyers ont doublé », a déclaré Sophie Garnier, présidente de l’association.",
          "« Le préfet ne répond pas », a ajouté Marc Lenoir, conseiller municipal.",
          "« Nous irons au tribunal », a-t-elle prévenu."]
    assert _speakers(fr, "fr") == ["Sophie Garnier", "Marc Lenoir", "Sophie Garnier"]
    en = ["“Rents have doubled,” said Ms Karen Holt, chair of the tenants’ union.",
          "“The council is not listening,” added Mr David Ames, a local councillor.",
          "“We will take this to court,” she said."]
    assert _speakers(en) == ["Karen Holt", "David Ames", "Karen Holt"]
