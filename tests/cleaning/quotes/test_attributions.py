"""A tail after the reporting verb made only of punctuation ("said — , as talks opened") has no first word."""

import pytest

from cleaning.quotes.attributions import tail_is_adjunct
from cleaning.quotes.lexicon import quote_lexicon


@pytest.mark.parametrize("tail", [" — , as talks opened", " *** ", " – -, then"])
def test_punctuation_only_tail_is_not_an_index_error(tail):
    assert tail_is_adjunct(tail, quote_lexicon(), "said") is False


def test_adjunct_tail_still_recognised():
    assert tail_is_adjunct(" on Monday", quote_lexicon(), "said") is True
