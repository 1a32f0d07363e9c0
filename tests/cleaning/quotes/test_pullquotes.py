"""cleaning/quotes/pullquotes: the one pull-quote detector (split asks it about dump lines and marked-up blocks)."""

from __future__ import annotations

from cleaning.core.options import DEFAULT_OPTIONS
from cleaning.core.schema import Document, Paragraph
from cleaning.core.stats import Stats
from cleaning.quotes.attribute import attribute_quotes
from cleaning.quotes.lexicon import quote_lexicon
from cleaning.quotes.pullquotes import pull_candidates

INTRO = ("The acronym SEO stands for Search Engine Optimization. Let us first get a definition from one of "
         "our principal SEO experts at Yoast, Alex Moss:")
PLAIN = ("Relief supplies have been held at the ports for more than ten days while customs procedures are "
         "completed, according to local partners who track every shipment.")


def test_a_block_repeating_a_sentence_in_order_is_a_candidate_with_its_name_line():
    texts = [PLAIN, "Relief supplies have been held at the ports for more than ten days", "Maria Okafor, emergency coordinator"]
    found = pull_candidates(texts, ["paragraph", "quote", "caption"], quote_lexicon())
    assert list(found) == [1]
    (source, start, end), line = found[1]
    assert source == 0 and line == 2 and PLAIN[start:end].startswith("Relief supplies have been held")


def test_a_name_line_whose_words_a_sentence_holds_reshuffled_is_no_pull_quote():
    """Every word of "Alex Moss – Principal SEO at Yoast" is in the sentence introducing him, in another order."""
    texts = [INTRO, "Alex Moss – Principal SEO at Yoast"]
    assert pull_candidates(texts, ["paragraph", "quote"], quote_lexicon()) == {}


def test_only_limits_the_candidates_not_the_sources():
    texts = [PLAIN, "Relief supplies have been held at the ports for more than ten days"]
    assert pull_candidates(texts, ["paragraph", "paragraph"], quote_lexicon(), only=[0]) == {}
    assert list(pull_candidates(texts, ["paragraph", "paragraph"], quote_lexicon(), only=[1])) == [1]


def _attribute(paragraphs: list[tuple[str, str]]) -> Document:
    doc = Document(doc_id="d", input="x", source="html",
                   paragraphs=[Paragraph(text=t, kind=k) for t, k in paragraphs])
    return attribute_quotes(doc, DEFAULT_OPTIONS, Stats())


def test_a_quote_block_repeating_a_plain_sentence_leaves_the_body_with_its_name_line():
    """No body quote to link to (pull_of None), but the page set it apart: a pull quote, and its name line no quote."""
    doc = _attribute([(PLAIN, "paragraph"), ("Relief supplies have been held at the ports for more than ten days", "quote"),
                      ("Maria Okafor, emergency coordinator", "caption")])
    assert [p.text for p in doc.paragraphs] == [PLAIN]
    assert [(r.reason, r.text) for r in doc.removed] == [
        ("pull-quote", "Relief supplies have been held at the ports for more than ten days"),
        ("pull-quote-attribution", "Maria Okafor, emergency coordinator")]
    (pull,) = [q for q in doc.quotes if q.kind == "pull"]
    assert pull.pull_of is None and pull.speaker == "Maria Okafor" and pull.speaker_role == "emergency coordinator"
    assert not any("Maria Okafor" in q.text for q in doc.quotes)


def test_a_plain_paragraph_repeating_a_plain_sentence_stays_in_the_body():
    """Without a body quote or markup, a short paragraph that repeats a sentence is only a summary line."""
    doc = _attribute([(PLAIN, "paragraph"), ("Relief supplies have been held at the ports for more than ten days", "paragraph")])
    assert len(doc.paragraphs) == 2 and not any(q.kind == "pull" for q in doc.quotes)


def test_a_credit_line_naming_whom_the_repeated_paragraph_names_is_the_name_line():
    """NPR's <div class="Quote-attribution">: role first, no comma, so no "Name, role" line; the name decides."""
    said = ("“Since 2008, there hasn’t been a single year of revenue gain in the newspaper industry as a whole,” "
            "says veteran industry analyst Ken Doctor.")
    texts = [said, "Since 2008, there hasn’t been a single year of revenue gain in the newspaper industry as a whole.",
             "News industry analyst Ken Doctor", PLAIN]
    found = pull_candidates(texts, ["paragraph", "quote", "quote", "paragraph"], quote_lexicon())
    assert list(found) == [1] and found[1][1] == 2
    doc = _attribute(list(zip(texts, ["paragraph", "quote", "quote", "paragraph"])))
    assert [p.text for p in doc.paragraphs] == [said, PLAIN]
    assert not any("Ken Doctor" == q.text.strip() or q.text.startswith("News industry") for q in doc.quotes)
    # a short line naming someone else is no credit of this quote
    other = pull_candidates([said, texts[1], "Photo by Jane Smith", PLAIN], ["paragraph", "quote", "caption", "paragraph"],
                            quote_lexicon())
    assert other[1][1] is None
