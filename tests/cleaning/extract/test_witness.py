"""The main-content witness: precision mode first, checked against default mode with and without fallbacks."""

import pytest

from cleaning.extract import witness


def _fake(texts):
    def run(html, url, favor_precision, fast=True):
        return texts["precise" if favor_precision else ("fast" if fast else "full")]
    return run


LONG = "word " * 300
SHORT = "word " * 20


@pytest.mark.parametrize("texts, expected", [
    ({"precise": LONG, "fast": "x", "full": "y"}, LONG),  # long enough: never checked
    ({"precise": SHORT, "fast": SHORT, "full": LONG}, LONG),  # only the fallbacks find the list article
    ({"precise": SHORT, "fast": LONG, "full": SHORT}, LONG),  # the fallbacks can also keep less
    ({"precise": SHORT, "fast": SHORT + "a b", "full": SHORT}, SHORT),  # precision kept most of it: it stays
])
def test_the_longest_default_run_checks_a_short_precision_run(monkeypatch, texts, expected):
    monkeypatch.setattr(witness, "_trafilatura_text", _fake(texts))
    assert witness.main_content_text("<html></html>") == expected
