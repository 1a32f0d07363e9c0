"""Quote benchmark on the labelled set: precision / recall / F1, speaker and kind accuracy, docs/s.

    .venv/bin/python bench/quotes.py [--cases FILE ...] [--errors] [--json]

Without --cases it scores, separately, the labelled set the rules were written against
(cases.jsonl), the blind set written before reading them (blind.jsonl), and the English news
set: its development part (news.jsonl) and its blind third (news_blind.jsonl), kept aside.

A predicted quote matches an expected one when their quoted words overlap by at least
0.5 (intersection over union of the word multisets, the text analogue of span overlap;
one-to-one, best overlap first). Speaker accuracy is the share of matched quotes whose
speaker agrees after folding case, accents and a leading article; quote + speaker F1 counts
a quote as found only when it matches and its speaker agrees. In the same run it
scores a naive baseline (every quoted stretch is a quote, the speaker is the nearest
capitalised pair of words in the paragraph) and, where textacy and an English spaCy
model are installed, textacy's `direct_quotations` on the English cases.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from cleaning.quotes import find_quotes  # noqa: E402

DEFAULT_CASES = REPO / "tests" / "fixtures" / "quotes" / "cases.jsonl"
BLIND_CASES = REPO / "tests" / "fixtures" / "quotes" / "blind.jsonl"
NEWS_CASES = REPO / "tests" / "fixtures" / "quotes" / "news.jsonl"
NEWS_BLIND_CASES = REPO / "tests" / "fixtures" / "quotes" / "news_blind.jsonl"
DEFAULT_SETS = (DEFAULT_CASES, BLIND_CASES, NEWS_CASES, NEWS_BLIND_CASES)
MATCH_OVERLAP = 0.5
# leading words a speaker may carry or not without naming someone else: articles and courtesy titles
_ARTICLES = {"the", "a", "an", "le", "la", "les", "l", "un", "une", "maitre", "me", "m", "mme", "dr", "mr", "mrs", "ms",
             "minister", "president"}


@dataclass(frozen=True, slots=True)
class Guess:
    """What a system says about one quote, reduced to what is scored."""

    text: str
    speaker: str | None
    kind: str


@dataclass
class Score:
    expected: int = 0
    predicted: int = 0
    matched: int = 0
    speaker_ok: int = 0
    kind_ok: int = 0
    seconds: float = 0.0
    docs: int = 0

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.expected if self.expected else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def speaker_f1(self) -> float:
        """F1 where a hit is a matched quote with the right speaker."""
        p = self.speaker_ok / self.predicted if self.predicted else 1.0
        r = self.speaker_ok / self.expected if self.expected else 1.0
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def speaker_accuracy(self) -> float:
        return self.speaker_ok / self.matched if self.matched else 0.0

    @property
    def kind_accuracy(self) -> float:
        return self.kind_ok / self.matched if self.matched else 0.0

    @property
    def docs_per_second(self) -> float:
        return self.docs / self.seconds if self.seconds else float("inf")

    def as_dict(self) -> dict:
        return {"expected": self.expected, "predicted": self.predicted, "matched": self.matched,
                "precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4),
                "speaker_accuracy": round(self.speaker_accuracy, 4),
                "quote_speaker_f1": round(self.speaker_f1, 4), "kind_accuracy": round(self.kind_accuracy, 4),
                "docs": self.docs, "docs_per_second": round(self.docs_per_second, 1)}


def _fold(text: str | None) -> list[str]:
    text = unicodedata.normalize("NFKD", (text or "").replace("’", "'").casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.findall(r"[^\W_]+", text)


def overlap(a: str, b: str) -> float:
    """Intersection over union of the two texts' word multisets."""
    ca, cb = Counter(_fold(a)), Counter(_fold(b))
    union = sum((ca | cb).values())
    return sum((ca & cb).values()) / union if union else 0.0


def same_speaker(expected: str | None, predicted: str | None) -> bool:
    def norm(name: str | None) -> list[str]:
        words = _fold(name)
        while words and words[0] in _ARTICLES:
            words = words[1:]
        return words

    return norm(expected) == norm(predicted)


def match(expected: list[Guess], predicted: list[Guess]) -> list[tuple[int, int]]:
    """One-to-one pairs (expected index, predicted index), best overlap first, each ≥ MATCH_OVERLAP."""
    scored = sorted(((overlap(e.text, p.text), i, j) for i, e in enumerate(expected) for j, p in enumerate(predicted)),
                    reverse=True)
    used_e, used_p, pairs = set(), set(), []
    for share, i, j in scored:
        if share < MATCH_OVERLAP:
            break
        if i in used_e or j in used_p:
            continue
        used_e.add(i)
        used_p.add(j)
        pairs.append((i, j))
    return pairs


def load_cases(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def sample_site_cases(seed: int = 0) -> list[dict]:
    """The bundled sample site's releases as quote cases: the body with the pull-quote pair where the dump puts it."""
    from pressroom.sample_site import generate_site

    cases = []
    for r in generate_site("default", seed).releases:
        pull = next((q for q in r.quotes if q["kind"] == "pull"), None)
        paragraphs, kinds = [], []
        for i, (text, kind) in enumerate(zip(r.paragraphs, r.paragraph_kinds)):
            paragraphs.append(text)
            kinds.append(kind)
            if pull and r.pull_after == i:
                paragraphs += [pull["text"], f"{pull['speaker']}, {pull['speaker_role']}"]
                kinds += ["paragraph", "paragraph"]
        cases.append({"id": r.path, "lang": r.lang, "tags": ["sample-site"], "paragraphs": paragraphs,
                      "kinds": kinds, "quotes": [{k: q[k] for k in ("text", "speaker", "kind")} for q in r.quotes]})
    return cases


System = Callable[[dict], list[Guess]]


def pressroom(case: dict) -> list[Guess]:
    quotes = find_quotes(case["paragraphs"], case.get("lang"), case.get("kinds"))
    return [Guess(q.text, q.speaker, q.kind) for q in quotes]


_MARKED = re.compile(r"«\s*([^»]+?)\s*»|“([^”]+)”|\"([^\"]+)\"")
_CAPS = re.compile(r"\b([A-ZÀ-Ý][\w’'-]+\s+[A-ZÀ-Ý][\w’'-]+)")


def naive(case: dict) -> list[Guess]:
    """Every quoted stretch is a direct quote; the speaker is the nearest capitalised word pair outside it."""
    out = []
    for text in case["paragraphs"]:
        for m in _MARKED.finditer(text):
            words = next(g for g in m.groups() if g)
            rest = text[:m.start()] + " " + text[m.end():]
            names = [(abs(n.start() - m.start()), n.group(1)) for n in _CAPS.finditer(rest)]
            out.append(Guess(words, min(names)[1] if names else None, "direct"))
    return out


def textacy_system() -> tuple[System | None, str]:
    """textacy's direct_quotations with an installed English spaCy model, or why not."""
    try:
        import spacy  # noqa: F401
        from textacy.extract import triples
    except Exception as exc:  # noqa: BLE001 - an optional baseline
        return None, f"textacy not installed ({type(exc).__name__}); it needs spaCy plus an English model, and no official en_core_web_* model is published on PyPI (runtime downloads are impossible here)"
    import spacy

    for name in ("en_core_web_sm", "en_core_web_md", "en_core_web_lg"):
        try:
            nlp = spacy.load(name)
            break
        except OSError:
            continue
    else:
        return None, "no English spaCy model installed (en_core_web_* is not published on PyPI)"

    def run(case: dict) -> list[Guess]:
        if case.get("lang") != "en":
            return []
        out = []
        doc = nlp("\n\n".join(case["paragraphs"]))
        for dq in triples.direct_quotations(doc):
            speaker = " ".join(t.text for t in dq.speaker) or None
            out.append(Guess(" ".join(t.text for t in dq.content), speaker, "direct"))
        return out

    return run, "ok"


def evaluate(system: System, cases: list[dict], errors: list[str] | None = None) -> Score:
    score = Score()
    started = time.perf_counter()
    results = [(case, system(case)) for case in cases]
    score.seconds = time.perf_counter() - started
    score.docs = len(cases)
    for case, predicted in results:
        expected = [Guess(q["text"], q.get("speaker"), q.get("kind", "direct")) for q in case["quotes"]]
        pairs = match(expected, predicted)
        score.expected += len(expected)
        score.predicted += len(predicted)
        score.matched += len(pairs)
        for i, j in pairs:
            score.speaker_ok += same_speaker(expected[i].speaker, predicted[j].speaker)
            score.kind_ok += expected[i].kind == predicted[j].kind
        if errors is not None:
            problems = []
            got = {i for i, _ in pairs}
            hit = {j for _, j in pairs}
            problems += [f"  missed   {e.kind:8} {e.speaker!r}: {e.text[:90]}" for i, e in enumerate(expected) if i not in got]
            problems += [f"  spurious {p.kind:8} {p.speaker!r}: {p.text[:90]}" for j, p in enumerate(predicted) if j not in hit]
            problems += [f"  speaker  {expected[i].speaker!r} != {predicted[j].speaker!r}: {expected[i].text[:60]}"
                         for i, j in pairs if not same_speaker(expected[i].speaker, predicted[j].speaker)]
            problems += [f"  kind     {expected[i].kind} != {predicted[j].kind}: {expected[i].text[:60]}"
                         for i, j in pairs if expected[i].kind != predicted[j].kind]
            if problems:
                errors.append(case["id"] + "\n" + "\n".join(problems))
    return score


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=Path, action="append",
                        help="a JSONL case file (repeatable); default: cases, blind, news and news_blind, each scored apart")
    parser.add_argument("--errors", action="store_true", help="list every miss, spurious quote and wrong speaker")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--sample-site", action="store_true",
                        help="score the bundled sample site's releases (generator truth) instead of the labelled set")
    args = parser.parse_args(argv)
    if args.sample_site:
        sets = [("sample site, seed 0", sample_site_cases())]
    else:
        paths = args.cases or [p for p in DEFAULT_SETS if p.exists()]
        sets = [(str(p), load_cases(p)) for p in paths]
    textacy_run, why = textacy_system()
    reports = {}
    for where, cases in sets:
        reports[where] = _score_set(where, cases, textacy_run, args)
    if args.json:
        print(json.dumps(reports if len(reports) > 1 else next(iter(reports.values())), indent=2))
        return 0
    if textacy_run is None:
        print(f"baseline skipped: {why}")
    return 0


def _score_set(where: str, cases: list[dict], textacy_run: System | None, args: argparse.Namespace) -> dict:
    """Score one case set; print its table unless --json; return the figures."""
    errors: list[str] = []
    ours = evaluate(pressroom, cases, errors)
    base = evaluate(naive, cases)
    report = {"cases": len(cases), "pressroom": ours.as_dict(), "naive": base.as_dict()}
    english = [c for c in cases if c.get("lang") == "en"]
    if textacy_run is not None:
        report["textacy_en"] = evaluate(textacy_run, english).as_dict()
        report["pressroom_en"] = evaluate(pressroom, english).as_dict()
    if args.json:
        return report
    print(f"quote benchmark: {len(cases)} cases, {ours.expected} expected quotes ({where})")
    header = f"{'system':14} {'P':>6} {'R':>6} {'F1':>6} {'speaker':>8} {'q+spk F1':>8} {'kind':>6} {'docs/s':>9}"
    print(header)
    rows = [("pressroom", ours), ("naive", base)]
    if textacy_run is not None:
        rows += [("pressroom (en)", evaluate(pressroom, english)), ("textacy (en)", evaluate(textacy_run, english))]
    for name, s in rows:
        print(f"{name:14} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f} {s.speaker_accuracy:8.3f} "
              f"{s.speaker_f1:8.3f} {s.kind_accuracy:6.3f} {s.docs_per_second:9.0f}")
    ratio = lambda a, b: f"{a / b:.2f}x" if b else "n/a"  # noqa: E731
    print(f"pressroom / naive: F1 {ratio(ours.f1, base.f1)}, speaker accuracy {ratio(ours.speaker_accuracy, base.speaker_accuracy)}")
    if args.errors:
        print("\n".join(errors) or "no errors")
    print()
    return report


if __name__ == "__main__":
    raise SystemExit(main())
