"""The Zyte metric on hand-made cases whose values are worked out by hand."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.metrics import score_document, shingles, summarize, tokenize  # noqa: E402


def test_tokens_are_word_runs_without_lowercasing():
    assert tokenize("L'été, 2024 — «Bonjour» it's") == ["L", "été", "2024", "Bonjour", "it", "s"]
    assert tokenize(None) == []


def test_shingles_are_a_multiset_of_four_token_windows():
    sh = shingles(tokenize("a b c d a b c d"))
    assert sum(sh.values()) == 5
    assert sh[("a", "b", "c", "d")] == 2
    assert shingles(["x", "y"]) == {("x", "y"): 1}  # short text: one shingle of everything
    assert shingles([]) == {}


def test_identical_texts_score_one_and_count_as_exact():
    s = score_document("one two three four five", "one  two\nthree four five")
    assert (s.tp, s.fp, s.fn, s.exact) == (2, 0, 0, True)
    assert s.precision == 1.0 and s.recall == 1.0


def test_partial_overlap_counts_shingles():
    # truth: a b c d e f -> abcd bcde cdef ; prediction: a b c d e x y -> abcd bcde cdex dexy
    s = score_document("a b c d e x y", "a b c d e f")
    assert (s.tp, s.fp, s.fn) == (2, 2, 1)
    assert s.precision == pytest.approx(0.5)
    assert s.recall == pytest.approx(2 / 3)
    assert not s.exact


def test_multiset_intersection_caps_repeated_shingles():
    # the prediction repeats the body twice: each truth shingle is matched once only
    s = score_document("a b c d a b c d", "a b c d")
    assert (s.tp, s.fp, s.fn) == (1, 4, 0)


def test_empty_prediction_counts_for_recall_only_and_empty_truth_for_precision_only():
    missed = score_document("", "a b c d e")  # recall 0, precision undefined
    perfect = score_document("w x y z", "w x y z")  # 1 / 1
    spurious = score_document("p q r s", "")  # precision 0, recall undefined
    assert missed.precision is None and missed.recall == 0.0
    assert spurious.recall is None and spurious.precision == 0.0
    summary = summarize([missed, perfect, spurious])
    assert summary.precision == pytest.approx(0.5)  # (1 + 0) / 2 non-empty predictions
    assert summary.recall == pytest.approx(0.5)  # (0 + 1) / 2 non-empty truths
    assert summary.f1 == pytest.approx(0.5)
    assert summary.accuracy == pytest.approx(1 / 3)
    assert summary.n == 3


def test_f1_is_of_the_averages_not_an_average_of_f1():
    a = score_document("a b c d", "a b c d e f g")  # P 1, R 1/4
    b = score_document("a b c d e f g", "a b c d")  # P 1/4, R 1
    summary = summarize([a, b])
    assert summary.precision == pytest.approx(0.625)
    assert summary.recall == pytest.approx(0.625)
    assert summary.f1 == pytest.approx(0.625)  # the mean of per-document F1s would be 0.4
    assert a.f1 == pytest.approx(0.4)
