"""Speakers as people or organisations: speaker_type, and organisation names kept whole.

A bilingual release names one person in both languages and its organisation by a name that
opens with its kind ("Alliance Rivières Vivantes"): the kind is part of the name, not a
title in front of a person called "Rivières Vivantes".
"""

from __future__ import annotations

import pyarrow as pa
import pytest

from cleaning.core.options import DEFAULT_OPTIONS
from cleaning.core.schema import ARTICLES_SCHEMA, Document, Paragraph, SpeakerType
from cleaning.core.stats import Stats
from cleaning.io.writers import conform
from cleaning.quotes import attribute_quotes, find_quotes

BILINGUAL = [
    "MONTREAL, March 3, 2026 – Alliance Rivières Vivantes is calling on the province to suspend the Saint-Maurice "
    "dam permit until a full watershed study is published.",
    "“The province is rushing a permit through without the science to back it,” said Sophie Lachance, directrice "
    "générale, Alliance Rivières Vivantes. “We are asking for one summer of study, not a decade.”",
    "The permit would allow the operator to lower the reservoir by four metres during spawning season.",
    "MONTRÉAL, le 3 mars 2026 – L’Alliance Rivières Vivantes demande à la province de suspendre le permis du "
    "barrage du Saint-Maurice jusqu’à la publication d’une étude complète du bassin versant.",
    "« La province précipite un permis sans la science pour l’appuyer », a déclaré Sophie Lachance, directrice "
    "générale de l’Alliance Rivières Vivantes.",
    "« Nous demandons un été d’études, pas une décennie », a-t-elle ajouté.",
    "Le permis doit être suspendu tant que l’étude n’est pas publiée, a déclaré Alliance Rivières Vivantes.",
    "L’alliance estime que le permis est contraire à la Loi sur la qualité de l’environnement.",
]


def test_bilingual_release_keeps_the_person_and_the_whole_organisation():
    got = [(q.paragraph, q.speaker, q.speaker_role, q.speaker_type) for q in find_quotes(BILINGUAL)]
    assert got == [
        (1, "Sophie Lachance", "directrice générale, Alliance Rivières Vivantes", "person"),
        (4, "Sophie Lachance", "directrice générale de l’Alliance Rivières Vivantes", "person"),
        (5, "Sophie Lachance", "directrice générale de l’Alliance Rivières Vivantes", "person"),
        (6, "Alliance Rivières Vivantes", None, "organisation"),
        (7, "Alliance Rivières Vivantes", None, "organisation"),  # "l’alliance": the organisation named before
    ]


RELEASE = [
    "Paris, le 12 février 2026 – Les engagements climatiques de la France restent très en deçà de ce qu’exige "
    "l’accord de Paris, a déclaré Terre Solidaire ce jeudi.",
    "Sofia Berger, responsable du plaidoyer chez Terre Solidaire, a affirmé : « Les promesses ne suffisent plus. »",
    "Le gouvernement a assuré que la loi de programmation serait présentée avant l’été.",
]


def test_the_site_itself_is_an_organisation():
    # "Terre Solidaire" has no organisation word: the release's own site says what it is
    doc = Document(doc_id="d1", input="x", source="dump", site="terre-solidaire.org",
                   paragraphs=[Paragraph(t) for t in RELEASE])
    out = attribute_quotes(doc, DEFAULT_OPTIONS, Stats())
    assert [(q.speaker, q.speaker_type) for q in out.quotes] == [
        ("Terre Solidaire", "organisation"), ("Sofia Berger", "person"), ("Le gouvernement", "organisation")]


def test_an_organisation_named_in_a_role_is_an_organisation_when_it_speaks():
    paragraphs = [
        "Marc Ouellet, watershed scientist at Laval University, said the river was already stressed by three dry summers.",
        "Reservoir levels have not recovered since 2023, Laval University said in a statement.",
    ]
    assert [(q.speaker, q.speaker_type) for q in find_quotes(paragraphs, "en")] == [
        ("Marc Ouellet", "person"), ("Laval University", "organisation")]


@pytest.mark.parametrize("paragraph, speaker, kind", [
    ("“We are asking for one summer of study,” said Alliance Rivières Vivantes executive director Sophie Lachance.",
     "Sophie Lachance", "person"),
    ("Terre Solidaire, a coalition of 40 groups, said: “The permit must be suspended until the study is out.”",
     "Terre Solidaire", "organisation"),
])
def test_the_role_tells_a_person_from_an_organisation(paragraph, speaker, kind):
    (quote,) = find_quotes([paragraph], "en")
    assert (quote.speaker, quote.speaker_type) == (speaker, kind)


def test_a_quote_with_nobody_to_say_it_has_an_unknown_speaker():
    (quote,) = find_quotes(["« Il faut sortir des énergies fossiles avant 2040, sans exception. »"], "fr")
    assert (quote.speaker, quote.speaker_type) == (None, SpeakerType.UNKNOWN.value)


@pytest.mark.parametrize("name", ["Alliance Rivières Vivantes", "Fondation Abbé Pierre"])
def test_an_organisation_opening_with_its_kind_is_not_cut(name):
    (quote,) = find_quotes([f"Le gouvernement doit revoir sa copie d’ici la fin du mois, a déclaré {name}."], "fr")
    assert (quote.speaker, quote.speaker_type) == (name, "organisation")


def test_an_articles_file_written_before_speaker_type_still_merges():
    old_quote = pa.struct([(f.name, f.type) for f in ARTICLES_SCHEMA.field("quotes").type.value_type
                           if f.name != "speaker_type"])
    old = pa.table({"doc_id": ["d1"], "quotes": pa.array([[{"text": "Il faut agir", "speaker": "Sofia Berger"}]],
                                                         pa.list_(old_quote))})
    row = conform(old, ARTICLES_SCHEMA).to_pylist()[0]
    assert row["quotes"][0]["speaker"] == "Sofia Berger" and row["quotes"][0]["speaker_type"] is None


def test_speakers_roles_and_types_are_the_same_under_any_hash_seed():
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    repo = Path(__file__).resolve().parents[3]
    code = ("import json, sys; from dataclasses import asdict; from cleaning.quotes import find_quotes; "
            "docs = json.loads(sys.stdin.read()); "
            "print(json.dumps([[asdict(q) for q in find_quotes(d)] for d in docs], sort_keys=True))")
    docs = json.dumps([BILINGUAL, RELEASE] + [json.loads(line)["paragraphs"] for line in
                      (repo / "tests" / "fixtures" / "quotes" / "news_pronouns.jsonl").read_text("utf-8").splitlines()])
    outputs = {subprocess.run([sys.executable, "-c", code], input=docs, capture_output=True, text=True, check=True, cwd=repo,
                              env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("0", "1", "4242")}
    assert len(outputs) == 1 and "organisation" in outputs.pop()


def test_organisations_are_read_from_sentence_subjects_with_an_article_and_from_roles():
    from cleaning.quotes.lexicon import quote_lexicon
    from cleaning.quotes.names import organisations_named

    found = organisations_named(
        ["MONTRÉAL, le 3 mars 2026 – L’Alliance Rivières Vivantes demande à la province de suspendre le permis.",
         "The Trussell Trust said demand had doubled. The Food Bank Network agreed.",
         "Hundreds attended the Sarah Everard vigil on Clapham Common."],
        ["directrice de Reporters sans frontières"], quote_lexicon(), ("terre-solidaire",))
    assert {"alliance rivières vivantes", "trussell trust", "food bank network", "reporters sans frontières",
            "terresolidaire"} <= found
    assert "sarah everard" not in found  # an article inside a sentence says nothing about who a name is
