from cleaning.core.options import DEFAULT_OPTIONS
from cleaning.core.schema import Document, Paragraph
from cleaning.core.stats import Stats
from cleaning.core.text import content_hash, normalise_for_hash
from cleaning.pipeline import DOCUMENT_STEPS
from cleaning.steps.measure import measure_document


def test_content_hash_ignores_case_spacing_and_punctuation_and_word_count():
    assert normalise_for_hash("  L’Assemblée,  DOIT\nagir ! ") == "l assemblée doit agir"
    assert content_hash("Hello,   World!") == content_hash("hello world")
    doc = Document(doc_id="d", input="x", source="dump", paragraphs=[Paragraph("One two three."), Paragraph("Four — five")])
    d = measure_document(doc, DEFAULT_OPTIONS, Stats())
    assert d.content_hash == content_hash("One two three.\n\nFour — five")
    assert d.word_count == 5


def test_the_body_is_measured_once_after_every_step_that_can_change_it():
    fns = [step.fn for step in DOCUMENT_STEPS]
    assert fns[-1] is measure_document and measure_document not in fns[:-1]
