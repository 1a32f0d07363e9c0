"""Near-duplicate benchmark on a planted set: precision, recall, docs/s and peak RSS.

    .venv/bin/python bench/dedup.py [--n 100000] [--baseline-n N] [--sweep] [--seed 7]

The planted set imitates press-release dumps: releases of 20 sites, many of them
still carrying their site's boilerplate (an "About" paragraph and a contact
block) and some sharing a quote pool with other releases (the negatives: overlap
that must NOT fold), plus planted copies of some releases (the positives):
republished under another URL (identical body), date corrected, a paragraph
added, lightly edited (a few words changed), or two of these at once.

Scored pairwise: a pair is predicted when both documents end in the same
`dup_cluster`, true when they were planted from the same release.

Engines timed in the same run, each in a fresh process (so peak RSS is its own):
  pressroom  cleaning.dedup.dedup_documents (rensa RMinHash + numpy LSH banding + verification)
  datasketch MinHash (update_batch) + MinHashLSH over the same shingles, same threshold (the baseline)
"""

from __future__ import annotations

import argparse
import hashlib
import multiprocessing as mp
import resource
import sys
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from itertools import combinations
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from cleaning.core.text import normalise_for_hash  # noqa: E402
from cleaning.core.options import CleanOptions  # noqa: E402
from cleaning.core.schema import Document, Paragraph  # noqa: E402

VARIANTS = ("republished", "date-corrected", "paragraph-added", "light-edit", "corrected+added")
MONTHS = ("January February March April May June July August September October November December").split()


@dataclass(frozen=True)
class Planted:
    docs: list[Document]
    truth: dict[str, str]  # doc_id -> id of the release it was planted from
    kinds: dict[str, str]  # doc_id -> "original" / variant name


class _Writer:
    """Zipf-distributed pseudo-words: common words recur across releases as in real text."""

    def __init__(self, rng: np.random.Generator, vocab: int = 20_000, chunk: int = 500_000):
        self.rng = rng
        syll = ["ka", "lo", "mi", "ne", "ru", "sa", "te", "vi", "do", "pe", "an", "or", "el", "is", "un", "ba"]
        idx = rng.integers(0, len(syll), size=(vocab, 3))
        self.words = np.array(["".join(syll[j] for j in row[: 1 + i % 3]) + str(i % 7 if i > 300 else "")
                               for i, row in enumerate(idx)])
        self.cumulative = np.cumsum(1.0 / np.arange(1, vocab + 1) ** 1.05)
        self.chunk = chunk
        self.stream: list[str] = []
        self.at = 0

    def sentence_words(self, n: int) -> list[str]:
        """The next n words of a pre-drawn stream (drawing per paragraph is the slow part); never reused."""
        if self.at + n > len(self.stream):
            draw = np.searchsorted(self.cumulative, self.rng.random(self.chunk) * self.cumulative[-1])
            self.stream, self.at = self.words[draw].tolist(), 0
        self.at += n
        return self.stream[self.at - n:self.at]

    def paragraph(self, lo: int = 25, hi: int = 70) -> str:
        return " ".join(self.sentence_words(int(self.rng.integers(lo, hi)))) + "."


def _doc(doc_id: str, paragraphs: list[str], site: str, published: datetime, url: str) -> Document:
    body = "\n\n".join(paragraphs)
    return Document(
        doc_id=doc_id, input=f"planted#{doc_id}", source="dump", site=site, url=url, canonical_url=url,
        published_at=published, title=paragraphs[0][:60], paragraphs=[Paragraph(p) for p in paragraphs],
        content_hash=hashlib.sha1(normalise_for_hash(body).encode()).hexdigest(), word_count=len(body.split()),
    )


def plant(n: int, seed: int = 7, sites: int = 20, copy_share: float = 0.25) -> Planted:
    """About n documents: originals, a quarter of them with 1-3 planted copies."""
    rng = np.random.default_rng(seed)
    w = _Writer(rng)
    boiler = {s: [w.paragraph(60, 90), "Press contact: " + " ".join(w.sentence_words(20))] for s in range(sites)}
    quotes = [f"“{' '.join(w.sentence_words(int(rng.integers(25, 45))))}”, said {w.words[i + 50]}."
              for i in range(max(50, n // 200))]
    docs: list[Document] = []
    truth: dict[str, str] = {}
    kinds: dict[str, str] = {}
    base = 0
    start = datetime(2020, 1, 1, tzinfo=timezone.utc)
    while len(docs) < n:
        site = int(rng.integers(0, sites))
        host = f"site{site}.org"
        published = start + timedelta(days=int(rng.integers(0, 2000)), minutes=int(rng.integers(0, 1440)))
        dateline = f"City, {published.day} {MONTHS[published.month - 1]} {published.year} —"
        size = rng.random()
        if size < 0.1:  # a stub: one short paragraph + quote + boilerplate, the hardest negatives
            paras = [f"{dateline} {w.paragraph(30, 60)}"]
        else:
            paras = [f"{dateline} {w.paragraph()}"] + [w.paragraph() for _ in range(
                int(rng.integers(1, 3) if size < 0.3 else rng.integers(3, 10)))]
        if size < 0.1 or rng.random() < 0.3:  # a shared quote: overlap between different releases
            paras.insert(1 + int(rng.integers(0, len(paras))), quotes[int(rng.integers(0, len(quotes)))])
        if size < 0.1 or rng.random() < 0.5:  # boilerplate the stripper missed: overlap between releases
            paras += boiler[site]
        orig = f"r{base:07d}"
        base += 1
        docs.append(_doc(orig, paras, host, published, f"https://{host}/press/{orig}"))
        truth[orig], kinds[orig] = orig, "original"
        if rng.random() >= copy_share:
            continue
        for c in range(int(rng.integers(1, 4))):
            kind = VARIANTS[int(rng.integers(0, len(VARIANTS)))]
            new = list(paras)
            if kind in ("date-corrected", "corrected+added"):
                fixed = published + timedelta(days=1)
                new[0] = new[0].replace(dateline, f"City, {fixed.day} {MONTHS[fixed.month - 1]} {fixed.year} —")
            if kind in ("paragraph-added", "corrected+added"):
                new.insert(int(rng.integers(1, len(new) + 1)), w.paragraph(20, 50))
            if kind == "light-edit":
                words = new[-1].split() if len(new) == 1 else new[1].split()
                for _ in range(2):
                    words[int(rng.integers(0, len(words)))] = str(w.words[int(rng.integers(0, 500))])
                new[-1 if len(new) == 1 else 1] = " ".join(words)
            copy_id = f"{orig}-c{c}"
            other = f"mirror{int(rng.integers(0, 5))}.net" if kind == "republished" else host
            docs.append(_doc(copy_id, new, host, published + timedelta(days=int(rng.integers(0, 30))),
                             f"https://{other}/news/{copy_id}"))
            truth[copy_id], kinds[copy_id] = orig, kind
    docs = docs[:n]
    keep = {d.doc_id for d in docs}
    return Planted(docs, {k: v for k, v in truth.items() if k in keep}, {k: v for k, v in kinds.items() if k in keep})


def pairs_of(groups: dict[str, str]) -> set[tuple[str, str]]:
    """All unordered pairs of doc_ids sharing a group id."""
    members: dict[str, list[str]] = {}
    for doc_id, group in groups.items():
        members.setdefault(group, []).append(doc_id)
    return {tuple(sorted(p)) for ids in members.values() if len(ids) > 1 for p in combinations(ids, 2)}


def score(truth: dict[str, str], clusters: dict[str, str]) -> dict:
    true_pairs = pairs_of(truth)
    predicted = pairs_of(clusters)
    hit = len(true_pairs & predicted)
    return {
        "precision": hit / len(predicted) if predicted else 1.0,
        "recall": hit / len(true_pairs) if true_pairs else 1.0,
        "true_pairs": len(true_pairs), "predicted_pairs": len(predicted),
    }


def recall_by_kind(planted: Planted, clusters: dict[str, str]) -> dict[str, float]:
    out = {}
    for kind in VARIANTS:
        ids = [d for d, k in planted.kinds.items() if k == kind]
        if ids:
            out[kind] = sum(clusters.get(d) is not None and clusters.get(d) == clusters.get(planted.truth[d])
                            for d in ids) / len(ids)
    return out


# ---------------------------------------------------------------- engines


def run_pressroom(planted: Planted, opts: CleanOptions) -> dict[str, str]:
    from cleaning.steps.dedup import dedup_documents
    from cleaning.core.stats import Stats

    marked = dedup_documents(planted.docs, opts, Stats())
    return {d.doc_id: d.dup_cluster for d in marked if d.dup_cluster}


def run_datasketch(planted: Planted, opts: CleanOptions) -> dict[str, str]:
    """Baseline: datasketch MinHash + MinHashLSH; candidates unioned (exact hashes folded too, for fairness)."""
    from datasketch import MinHash, MinHashLSH

    from cleaning.steps.dedup import _UnionFind, word_shingles

    lsh = MinHashLSH(threshold=opts.near_dup_threshold, num_perm=opts.minhash_perms)
    uf = _UnionFind()
    by_hash: dict[str, str] = {}
    for doc in planted.docs:
        uf.find(doc.doc_id)
        if doc.content_hash in by_hash:
            uf.union(by_hash[doc.content_hash], doc.doc_id)
            continue
        by_hash[doc.content_hash] = doc.doc_id
        m = MinHash(num_perm=opts.minhash_perms, seed=1)
        m.update_batch([s.encode() for s in set(word_shingles(doc.body_text, opts.shingle_size))])
        for other in lsh.query(m):
            uf.union(other, doc.doc_id)
        lsh.insert(doc.doc_id, m)
    groups = {d: uf.find(d) for d in uf.parent}
    sizes: dict[str, int] = {}
    for g in groups.values():
        sizes[g] = sizes.get(g, 0) + 1
    return {d: g for d, g in groups.items() if sizes[g] > 1}


ENGINES = {"pressroom": run_pressroom, "datasketch": run_datasketch}


def _measure(engine: str, n: int, seed: int, threshold: float, queue) -> None:
    planted = plant(n, seed)
    rss_input = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    opts = CleanOptions(near_dup_threshold=threshold)
    t0 = time.perf_counter()
    clusters = ENGINES[engine](planted, opts)
    elapsed = time.perf_counter() - t0
    rss_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    queue.put({"engine": engine, "n": len(planted.docs), "seconds": elapsed, "docs_per_s": len(planted.docs) / elapsed,
               "rss_input_mb": rss_input / 1024, "rss_peak_mb": rss_peak / 1024,
               **score(planted.truth, clusters), "by_kind": recall_by_kind(planted, clusters)})


def measure(engine: str, n: int, seed: int, threshold: float) -> dict:
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=_measure, args=(engine, n, seed, threshold, queue))
    proc.start()
    result = queue.get()
    proc.join()
    return result


def signature_speed(n: int, seed: int) -> None:
    """MinHash signatures alone, same shingle sets, both libraries (the part rensa replaces)."""
    from datasketch import MinHash
    from rensa import RMinHash

    from cleaning.steps.dedup import word_shingles

    opts = CleanOptions()
    sets = [list(set(word_shingles(d.body_text, opts.shingle_size))) for d in plant(n, seed).docs]
    t0 = time.perf_counter()
    for s in sets:
        m = RMinHash(num_perm=opts.minhash_perms, seed=1)
        m.update(s)
        m.digest()
    rensa_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    for s in sets:
        m = MinHash(num_perm=opts.minhash_perms, seed=1)
        m.update_batch([x.encode() for x in s])
    datasketch_s = time.perf_counter() - t0
    print(f"\nMinHash signatures only, {len(sets)} docs: rensa {len(sets) / rensa_s:.0f} docs/s, "
          f"datasketch {len(sets) / datasketch_s:.0f} docs/s, rensa / datasketch x{datasketch_s / rensa_s:.1f}")


def sweep(n: int, seed: int) -> None:
    """Threshold tuning on a smaller planted set: Jaccard threshold x containment threshold."""
    import cleaning.steps.dedup as dedup

    planted = plant(n, seed)
    saved = dedup.NEAR_CONTAINMENT
    print(f"\nthreshold sweep, pressroom, {len(planted.docs)} docs (seed {seed}): precision / recall")
    containments = (None, 0.8, 0.85, 0.9, 0.95)
    print("jaccard  " + "".join(f"{'containment ' + (str(c) if c else 'off'):>22}" for c in containments))
    try:
        for t in (0.5, 0.6, 0.7, 0.8, 0.9):
            cells = []
            for c in containments:
                dedup.NEAR_CONTAINMENT = c if c else 2.0  # 2.0: never reached, Jaccard only
                s = score(planted.truth, run_pressroom(planted, CleanOptions(near_dup_threshold=t)))
                cells.append(f"{s['precision']:.4f} / {s['recall']:.4f}")
            print(f"{t:7.2f}  " + "".join(f"{cell:>22}" for cell in cells))
    finally:
        dedup.NEAR_CONTAINMENT = saved


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100_000, help="documents for pressroom (default 100,000)")
    ap.add_argument("--baseline-n", type=int, default=None, help="documents for datasketch (default: --n)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--threshold", type=float, default=CleanOptions().near_dup_threshold)
    ap.add_argument("--sweep", type=int, default=0, metavar="N", help="also sweep thresholds on N documents")
    ap.add_argument("--signatures", type=int, default=10_000, metavar="N",
                    help="also time MinHash signatures alone on N documents (0: skip)")
    args = ap.parse_args(argv)
    if args.sweep:
        sweep(args.sweep, args.seed)
    if args.signatures:
        signature_speed(args.signatures, args.seed)
    results = [measure("datasketch", args.baseline_n or args.n, args.seed, args.threshold),
               measure("pressroom", args.n, args.seed, args.threshold)]
    print(f"\nplanted set seed {args.seed}, threshold {args.threshold}, {CleanOptions().minhash_perms} permutations, "
          f"{CleanOptions().shingle_size}-word shingles")
    print(f"{'engine':<11}{'docs':>8}{'seconds':>9}{'docs/s':>9}{'precision':>10}{'recall':>8}"
          f"{'RSS input MB':>13}{'RSS peak MB':>12}")
    for r in results:
        print(f"{r['engine']:<11}{r['n']:>8}{r['seconds']:>9.1f}{r['docs_per_s']:>9.0f}{r['precision']:>10.4f}"
              f"{r['recall']:>8.4f}{r['rss_input_mb']:>13.0f}{r['rss_peak_mb']:>12.0f}")
    base, ours = results
    print(f"\npressroom / datasketch: speed x{ours['docs_per_s'] / base['docs_per_s']:.1f} (docs/s ratio), "
          f"peak RSS x{ours['rss_peak_mb'] / base['rss_peak_mb']:.2f}")
    print("recall by planted kind (pressroom): " + ", ".join(f"{k} {v:.3f}" for k, v in ours["by_kind"].items()))
    print("recall by planted kind (datasketch): " + ", ".join(f"{k} {v:.3f}" for k, v in base["by_kind"].items()))
    ok = ours["precision"] >= 0.95 and ours["recall"] >= 0.95
    print("gate (precision and recall >= 0.95):", "PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
