"""Quotes: the seed release, the conventions one by one, and the labelled set against pinned floors."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from cleaning.quotes import attribute as quotes_module
from cleaning.core.options import DEFAULT_OPTIONS
from cleaning.quotes import attribute_quotes, find_quotes
from cleaning.core.schema import Document, Paragraph, Reason
from cleaning.core.stats import Stats

REPO = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(REPO))

from bench import quotes as quotes_bench  # noqa: E402

SEED = REPO / "tests" / "fixtures" / "dumps" / "seed_fr_amnesty.txt"
CASES = REPO / "tests" / "fixtures" / "quotes" / "cases.jsonl"
BLIND = REPO / "tests" / "fixtures" / "quotes" / "blind.jsonl"

# floors pinned below the figures measured when the set was written (all 1.0): a regression fails here
F1_FLOOR = 0.97
SPEAKER_FLOOR = 0.97
KIND_FLOOR = 0.95
# the blind set was written before reading the quote step (before: F1 0.993, speaker 0.882); after the naming
# rules it measured 1.0 on every figure. Floors sit a little under, leaving room for honest new cases.
BLIND_F1_FLOOR = 0.97
BLIND_SPEAKER_FLOOR = 0.95
BLIND_KIND_FLOOR = 0.95


def seed_lines() -> list[str]:
    return SEED.read_text(encoding="utf-8").splitlines()


def seed_body() -> list[str]:
    """The opening statement, the five « paragraphs and the pull-quote pair in place, as split gives them."""
    lines = seed_lines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Les États doivent fermement"))
    end = next(i for i, line in enumerate(lines) if line.startswith("Complément d"))
    return lines[start:end]


def seed_document() -> Document:
    return Document(doc_id="seed", input=str(SEED), source="dump", lang="fr",
                    paragraphs=[Paragraph(text) for text in seed_body()])


# ---------------------------------------------------------------- the seed release

def test_seed_body_has_the_expected_shape():
    body = seed_body()
    assert len(body) == 8
    assert sum(line.startswith("«") for line in body) == 5
    assert body[3].startswith("L’Assemblée doit relever") and body[4].startswith("Erika Guevara Rosas,")


def test_seed_quoted_paragraphs_are_direct_quotes_by_erika_guevara_rosas():
    body = seed_body()
    quotes = find_quotes(body, "fr")
    quoted = [i for i, line in enumerate(body) if line.startswith("«")]
    for i in quoted:
        covering = [q for q in quotes if i in q.paragraphs and q.kind == "direct"]
        assert len(covering) == 1, (i, quotes)
        quote = covering[0]
        assert quote.speaker == "Erika Guevara Rosas"
        assert quote.speaker_role.startswith("directrice générale")
        assert quote.cue == "a déclaré"
    # one quote running over the five paragraphs: only the last closes
    direct = [q for q in quotes if q.kind == "direct"]
    assert len(direct) == 1 and direct[0].paragraphs == tuple(quoted)
    # the incise is not part of the quoted words, and the quote goes on after it
    assert "a déclaré" not in direct[0].text
    assert direct[0].text.startswith("Les États membres de la CPI")
    assert direct[0].text.endswith("dépendent de la Cour.")
    assert "«" not in direct[0].text and "»" not in direct[0].text


def test_seed_opening_statement_is_indirect_by_amnesty_international():
    quotes = find_quotes(seed_body(), "fr")
    opening = [q for q in quotes if q.paragraph == 0]
    assert len(opening) == 1
    quote = opening[0]
    assert quote.kind == "indirect"
    assert quote.speaker == "Amnesty International"
    assert quote.cue == "a déclaré"
    assert quote.text.startswith("Les États doivent fermement s’opposer")
    assert quote.text.endswith("mandat indépendant et impartial")


def test_seed_pull_quote_is_linked_to_its_body_quote():
    body = seed_body()
    quotes = find_quotes(body, "fr")
    pulls = [q for q in quotes if q.kind == "pull"]
    assert len(pulls) == 1
    pull = pulls[0]
    assert pull.text.startswith("L’Assemblée doit relever les défis existentiels")
    assert pull.paragraph == 3
    assert pull.speaker == "Erika Guevara Rosas"
    assert pull.speaker_role.startswith("directrice générale")
    target = quotes[pull.pull_of]
    assert target.kind == "direct" and 7 in target.paragraphs  # the sentence it repeats is in the last « paragraph
    # the attribution line is not a quote of its own
    assert not any(q.paragraph == 4 for q in quotes)


def test_seed_teaser_lines_yield_no_quote():
    lines = seed_lines()
    teaser = next(line for line in lines if line.startswith("Monde. L’enquête sur les « Intellexa Leaks »"))
    snippet = next(line for line in lines if line.startswith("Les « Intellexa Leaks »"))
    assert find_quotes([teaser], "fr") == []
    assert find_quotes([snippet], "fr") == []


def test_attribute_quotes_removes_the_pull_pair_and_recomputes_spans():
    doc = seed_document()
    stats = Stats()
    out = attribute_quotes(doc, DEFAULT_OPTIONS, stats)
    body = seed_body()
    assert [p.text for p in out.paragraphs] == [body[i] for i in (0, 1, 2, 5, 6, 7)]
    # the pull sentence and the name line each appear once: inside the body quote, not counted twice
    assert out.body_text.count(body[3]) == 1 and out.body_text.count(body[4]) == 1
    assert [(r.text, r.reason) for r in out.removed] == [(body[3], Reason.PULL_QUOTE.value),
                                                         (body[4], Reason.ATTRIBUTION.value)]
    kinds = sorted(q.kind for q in out.quotes)
    assert kinds == ["direct", "indirect", "pull"]
    direct = next(q for q in out.quotes if q.kind == "direct")
    assert direct.paragraphs == (1, 2, 3, 4, 5)
    text = out.body_text
    assert text[direct.start:].startswith("Les États membres de la CPI")
    assert text[:direct.end].endswith("dépendent de la Cour.")
    indirect = next(q for q in out.quotes if q.kind == "indirect")
    assert text[indirect.start:indirect.end] == indirect.text
    pull = next(q for q in out.quotes if q.kind == "pull")
    assert out.quotes[pull.pull_of] is direct
    assert text[pull.start:pull.end].startswith(pull.text)  # points at the sentence it repeats, in the body
    assert pull.paragraph == 5
    assert stats["quotes/pull"] == 1 and stats["quotes/paragraphs_removed"] == 2
    assert doc.paragraphs[3].text == body[3]  # the input document is left alone


# ---------------------------------------------------------------- conventions

@pytest.mark.parametrize("space", [" ", "\u00a0", "\u202f", ""])
def test_french_guillemets_with_any_space(space):
    text = f"«{space}Nous ne lâcherons rien{space}», a affirmé Karim Benali, coordinateur du collectif."
    (quote,) = find_quotes([text], "fr")
    assert (quote.text, quote.speaker, quote.speaker_role, quote.kind) == (
        "Nous ne lâcherons rien", "Karim Benali", "coordinateur du collectif", "direct")
    assert text[quote.start:quote.end] == "Nous ne lâcherons rien"


@pytest.mark.parametrize("cue", ["a-t-il ajouté", "a‑t‑il ajouté", "ajoute-t-il", "poursuit-il"])
def test_pronoun_inversion_takes_the_last_speaker(cue):
    paragraphs = ["« La loi est injuste », a déclaré Paul Girard, avocat.", f"« Elle doit être abrogée », {cue}."]
    quotes = find_quotes(paragraphs, "fr")
    assert [(q.text, q.speaker) for q in quotes] == [("La loi est injuste", "Paul Girard"),
                                                    ("Elle doit être abrogée", "Paul Girard")]


@pytest.mark.parametrize("text", [
    "“We will not be silenced,” said Jane Doe, director at Free Voices.",
    "\"We will not be silenced,\" said Jane Doe, director at Free Voices.",
    "“We will not be silenced,” Jane Doe, director at Free Voices, said.",
    "Jane Doe, director at Free Voices, said: “We will not be silenced,”",
])
def test_english_attribution_orders_and_marks(text):
    (quote,) = find_quotes([text], "en")
    assert quote.text.rstrip(",") == "We will not be silenced"
    assert (quote.speaker, quote.speaker_role, quote.kind) == ("Jane Doe", "director at Free Voices", "direct")


def test_apostrophes_and_possessives_are_never_quote_marks():
    assert find_quotes(["The workers’ union didn’t accept the government’s offer in ’98."], "en") == []
    assert find_quotes(["L’ONG s’est rendue à l’hôpital d’Alep aujourd’hui."], "fr") == []


def test_scare_quotes_are_not_quotes():
    assert find_quotes(["More than 170,000 people asked TikTok to fix its “toxic” design."], "en") == []
    assert find_quotes(["La loi dite « sécurité globale » a été adoptée."], "fr") == []


def test_according_to_and_selon_name_the_source():
    (en,) = find_quotes(["At least 57 people were killed during the protests, according to Amnesty International."], "en")
    (fr,) = find_quotes(["Selon Human Rights Watch, au moins 300 personnes ont été arrêtées."], "fr")
    assert (en.kind, en.speaker, en.cue) == ("indirect", "Amnesty International", "according to")
    assert (fr.kind, fr.speaker, fr.cue) == ("indirect", "Human Rights Watch", "Selon")


def test_quote_block_kind_is_a_quote_even_without_marks():
    paragraphs = ["Witnesses described the raid.", "They broke down the door at dawn.", "— Mariam Saleh, resident"]
    (quote,) = find_quotes(paragraphs, "en", ["paragraph", "quote", "caption"])
    assert (quote.text, quote.speaker, quote.paragraph) == ("They broke down the door at dawn.", "Mariam Saleh", 1)


# ---------------------------------------------------------------- robustness

@pytest.mark.parametrize("paragraphs", [[], [""], ["«"], ["»"], ["« »"], ["\"\"\""], ["“unclosed and short"],
                                        ["a-t-il ajouté."], [", said"], ["«" * 500], ["x " * 20000]])
def test_odd_input_does_not_crash(paragraphs):
    quotes = find_quotes(paragraphs, None)
    assert all(q.text for q in quotes)


def test_a_failure_is_a_per_document_error(monkeypatch):
    def boom(*_args, **_kwargs):
        raise RuntimeError("broken")

    monkeypatch.setattr(quotes_module, "_analyse", boom)
    from cleaning.core.step import run_steps
    from cleaning.pipeline import DOCUMENT_STEPS

    quotes_step = next(step for step in DOCUMENT_STEPS if step.fn is attribute_quotes)
    doc = seed_document()
    stats = Stats()
    assert run_steps(doc, (quotes_step,), DEFAULT_OPTIONS, stats) is doc  # optional: the document goes on unquoted
    assert stats["quotes/errors"] == 1 and "broken" in stats.errors[0]["error"]
    assert "RuntimeError: broken" in stats.errors[0]["traceback"]


# ---------------------------------------------------------------- the labelled set

def test_labelled_set_covers_the_conventions():
    cases = quotes_bench.load_cases(CASES)
    assert len(cases) >= 80
    assert {c["lang"] for c in cases} == {"fr", "en"}
    tags = {t for c in cases for t in c["tags"]}
    for needed in ("nbsp", "narrow-nbsp", "no-space", "multi-paragraph", "incise", "pronoun-inversion", "selon",
                   "colon-lead", "organisation", "indirect", "mixed", "trailing-cue", "according-to", "straight",
                   "curly", "apostrophe", "inherit", "pull", "scare-quote", "no-quote"):
        assert needed in tags, needed
    assert sum(1 for c in cases if not c["quotes"]) >= 15
    assert len({c["id"] for c in cases}) == len(cases)


def test_labelled_set_meets_the_floors():
    cases = quotes_bench.load_cases(CASES)
    errors: list[str] = []
    score = quotes_bench.evaluate(quotes_bench.pressroom, cases, errors)
    assert score.f1 >= F1_FLOOR, "\n".join(errors)
    assert score.speaker_accuracy >= SPEAKER_FLOOR, "\n".join(errors)
    assert score.kind_accuracy >= KIND_FLOOR, "\n".join(errors)


def test_blind_set_meets_the_floors():
    cases = quotes_bench.load_cases(BLIND)
    assert len(cases) >= 60 and {c["lang"] for c in cases} == {"fr", "en"}
    assert len({c["id"] for c in cases} | {c["id"] for c in quotes_bench.load_cases(CASES)}) == \
        len(cases) + len(quotes_bench.load_cases(CASES)), "blind ids must not collide with the labelled set"
    errors: list[str] = []
    score = quotes_bench.evaluate(quotes_bench.pressroom, cases, errors)
    assert score.f1 >= BLIND_F1_FLOOR, "\n".join(errors)
    assert score.speaker_accuracy >= BLIND_SPEAKER_FLOOR, "\n".join(errors)
    assert score.kind_accuracy >= BLIND_KIND_FLOOR, "\n".join(errors)


# ---------------------------------------------------------------- how speakers are named

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


def test_benchmark_matching_rules():
    exp = [quotes_bench.Guess("Nous ne lâcherons rien", "Karim Benali", "direct")]
    assert quotes_bench.match(exp, [quotes_bench.Guess("nous ne lacherons rien du tout", None, "direct")]) == [(0, 0)]
    assert quotes_bench.match(exp, [quotes_bench.Guess("rien", None, "direct")]) == []
    assert quotes_bench.same_speaker("Amnesty International", "l’Amnesty International")
    assert not quotes_bench.same_speaker("Jane Doe", "John Doe")


def test_removing_the_pull_pair_recounts_the_body():
    from cleaning.core.text import content_hash, count_words
    from cleaning.steps.measure import measure_document

    doc = seed_document()
    out = measure_document(attribute_quotes(doc, DEFAULT_OPTIONS, Stats()), DEFAULT_OPTIONS, Stats())
    assert out.word_count == count_words(out.body_text) < count_words(doc.body_text)
    assert out.content_hash == content_hash(out.body_text) != content_hash(doc.body_text)


def test_sample_site_releases_meet_the_floors():
    """The bundled sample site's generator truth: a second, independent labelling of the same conventions."""
    cases = quotes_bench.sample_site_cases(seed=0)
    assert len(cases) >= 20
    score = quotes_bench.evaluate(quotes_bench.pressroom, cases)
    assert score.recall >= 0.97
    assert score.f1 >= 0.95  # the truth leaves out companies' one-line replies ("X said it was looking into …")
    assert score.speaker_accuracy >= 0.97
    assert score.kind_accuracy >= 0.97
