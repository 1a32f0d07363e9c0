"""The quote step on the seed release: direct, indirect and pull quotes, and failures kept per document."""

from __future__ import annotations

import pytest

from cleaning.core.options import DEFAULT_OPTIONS
from cleaning.core.schema import Reason
from cleaning.core.stats import Stats
from cleaning.quotes import attribute as quotes_module
from cleaning.quotes import attribute_quotes, find_quotes
from tests.cleaning.quotes.seed import seed_body, seed_document, seed_lines


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



def test_removing_the_pull_pair_recounts_the_body():
    from cleaning.core.text import content_hash, count_words
    from cleaning.steps.measure import measure_document

    doc = seed_document()
    out = measure_document(attribute_quotes(doc, DEFAULT_OPTIONS, Stats()), DEFAULT_OPTIONS, Stats())
    assert out.word_count == count_words(out.body_text) < count_words(doc.body_text)
    assert out.content_hash == content_hash(out.body_text) != content_hash(doc.body_text)
