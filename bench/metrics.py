"""The Zyte article-extraction metric: 4-token shingle precision / recall, averaged per document.

Reimplemented from the benchmark README so our figures compare with published ones:
tokens are ``\\w+`` runs (no lower-casing), shingles are consecutive 4-token tuples
counted as a multiset (a text shorter than 4 tokens is one shingle of all its tokens),
precision is averaged over documents with a non-empty prediction, recall over documents
with a non-empty truth, F1 is taken of the two averages, accuracy is the share of
documents whose token lists are identical.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

TOKEN_RE = re.compile(r"\w+")
SHINGLE_SIZE = 4


def tokenize(text: str | None) -> list[str]:
    return TOKEN_RE.findall(text or "")


def shingles(tokens: list[str], size: int = SHINGLE_SIZE) -> Counter[tuple[str, ...]]:
    """Multiset of consecutive `size`-token tuples; a short non-empty text is one shingle."""
    if not tokens:
        return Counter()
    if len(tokens) < size:
        return Counter([tuple(tokens)])
    return Counter(tuple(tokens[i:i + size]) for i in range(len(tokens) - size + 1))


@dataclass(frozen=True, slots=True)
class DocScore:
    """One document's counts; precision / recall are None where undefined (empty side)."""

    tp: int
    fp: int
    fn: int
    exact: bool

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float:
        """Per-document F1 (for ranking pages only; the headline F1 is of the averages)."""
        p, r = self.precision or 0.0, self.recall or 0.0
        return 2 * p * r / (p + r) if p + r else 0.0


def score_document(predicted: str | None, truth: str | None) -> DocScore:
    pred_tokens, true_tokens = tokenize(predicted), tokenize(truth)
    pred, true = shingles(pred_tokens), shingles(true_tokens)
    tp = sum((pred & true).values())
    return DocScore(tp=tp, fp=sum(pred.values()) - tp, fn=sum(true.values()) - tp,
                    exact=pred_tokens == true_tokens)


@dataclass(frozen=True, slots=True)
class Summary:
    precision: float
    recall: float
    f1: float
    accuracy: float
    n: int

    def as_dict(self) -> dict[str, float | int]:
        return {"f1": self.f1, "precision": self.precision, "recall": self.recall,
                "accuracy": self.accuracy, "n": self.n}


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def summarize(scores: Iterable[DocScore]) -> Summary:
    scores = list(scores)
    precision = _mean([s.precision for s in scores if s.tp + s.fp])
    recall = _mean([s.recall for s in scores if s.tp + s.fn])
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    accuracy = _mean([1.0 if s.exact else 0.0 for s in scores])
    return Summary(precision=precision, recall=recall, f1=f1, accuracy=accuracy, n=len(scores))
