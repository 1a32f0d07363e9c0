"""Exact (content hash, canonical URL) and near-duplicate (MinHash LSH) folding.

Duplicates are marked, never dropped: every non-kept member of a cluster gets
`dup_of` = the kept doc_id, and every member (the kept one too) gets
`dup_cluster` = the kept doc_id. Analysts filter `dup_of IS NULL`.

The work is split so that a distributed engine can run it unchanged:
`dedup_signature` is a pure per-document map (run it per partition),
`find_duplicate_clusters` is the merge over all signatures (small: ids, keys
and 128 integers per document), `mark_duplicates` is a per-document map again.
`merge_dataset_clusters` folds a new batch into rows already in the dataset
(exact keys and earlier clusters), which the writer calls when it merges.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from itertools import combinations
from dataclasses import dataclass
from datetime import datetime, timezone

import numpy as np
from rensa import RMinHash

from cleaning.core.text import normalise_for_hash
from cleaning.core.options import CleanOptions
from cleaning.core.schema import Document
from cleaning.core.stats import Stats
from cleaning.core.urls import url_key

NEAR_MIN_WORDS = 30  # shorter bodies are only folded when exactly equal: too little text to judge
# "the same release with a paragraph added": most of the smaller text inside the larger one,
# the two of comparable size (so a stub that is only boilerplate never swallows every release)
NEAR_CONTAINMENT = 0.85  # tuned on the planted set (bench/dedup.py --sweep)
NEAR_SIZE_RATIO = 0.5
CANDIDATE_FLOOR = 0.5  # LSH candidates are gathered from this estimated Jaccard up, then verified
FULL_BUCKET = 50  # buckets up to this size are compared pairwise, larger ones along a chain
MINHASH_SEED = 1
_FAR_FUTURE = datetime.max.replace(tzinfo=timezone.utc)


@dataclass(frozen=True, slots=True)
class DedupSignature:
    """What dedup needs to know about one document; cheap to ship between workers."""

    doc_id: str
    url_key: str | None
    content_hash: str | None  # None when the body is empty (empty bodies are not duplicates of each other)
    published_at: datetime | None
    word_count: int
    minhash: np.ndarray | None = None  # uint32[num_perm]; None when the body is too short for near matching
    shingles: int = 0  # distinct shingles (to estimate containment from the MinHash Jaccard)
    cluster: str | None = None  # cluster id carried over from an earlier run (dataset rows)


@dataclass(frozen=True, slots=True)
class Assignment:
    """The outcome for one clustered document."""

    dup_cluster: str  # doc_id of the kept member
    dup_of: str | None  # None for the kept member
    match: str  # "kept" / "exact" (same body or same URL) / "near"


# ---------------------------------------------------------------- per document


def word_shingles(text: str, size: int) -> list[str]:
    """Overlapping word n-grams of the normalised text (the unit near-duplicates share)."""
    words = normalise_for_hash(text).split()
    if len(words) <= size:
        return [" ".join(words)] if words else []
    return [" ".join(gram) for gram in zip(*(words[i:] for i in range(size)))]


def minhash_of(shingles: list[str], opts: CleanOptions) -> np.ndarray:
    sketch = RMinHash(num_perm=opts.minhash_perms, seed=MINHASH_SEED)
    sketch.update(shingles)
    return np.asarray(sketch.digest(), dtype=np.uint32)


def dedup_signature(doc: Document, opts: CleanOptions) -> DedupSignature:
    """Map step: the keys and MinHash of one document."""
    body = doc.body_text
    words = doc.word_count or len(body.split())
    shingles = set(word_shingles(body, opts.shingle_size))
    has_body = bool(shingles)
    near = has_body and words >= NEAR_MIN_WORDS
    return DedupSignature(
        doc_id=doc.doc_id,
        url_key=url_key(doc.canonical_url or doc.url),
        content_hash=doc.content_hash if has_body else None,
        published_at=doc.published_at,
        word_count=words,
        minhash=minhash_of(list(shingles), opts) if near else None,  # MinHash ignores order
        shingles=len(shingles),
    )


def keep_order(sig: DedupSignature) -> tuple:
    """Keep rule: earliest published (undated last), then longest body, then smallest doc_id."""
    return (sig.published_at is None, sig.published_at or _FAR_FUTURE, -sig.word_count, sig.doc_id)


# ---------------------------------------------------------------- merge over all signatures


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:  # path compression
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)  # deterministic root


def lsh_bands(threshold: float, num_perm: int) -> tuple[int, int]:
    """(bands, rows) whose S-curve rises below min(threshold - 0.1, CANDIDATE_FLOOR): recall first, verify after."""
    target = max(0.05, min(threshold - 0.1, CANDIDATE_FLOOR))
    best = (1, num_perm)
    for rows in range(1, num_perm + 1):
        if num_perm % rows:
            continue
        bands = num_perm // rows
        if (1 / bands) ** (1 / rows) <= target:
            best = (bands, rows)
    return best


def is_near_duplicate(jaccard: float, shingles_a: int, shingles_b: int, opts: CleanOptions) -> bool:
    """Similar enough (Jaccard), or one is the other plus a little (containment, comparable sizes)."""
    if jaccard >= opts.near_dup_threshold:
        return True
    small, large = sorted((shingles_a, shingles_b))
    if small == 0 or small < NEAR_SIZE_RATIO * large:
        return False
    return jaccard * (small + large) / ((1 + jaccard) * small) >= NEAR_CONTAINMENT


def near_duplicate_pairs(sigs: list[DedupSignature], opts: CleanOptions) -> list[tuple[str, str]]:
    """Candidate pairs from LSH banding, kept when `is_near_duplicate` says so."""
    usable = [s for s in sigs if s.minhash is not None]
    if len(usable) < 2:
        return []
    matrix = np.stack([s.minhash for s in usable])
    bands, rows = lsh_bands(opts.near_dup_threshold, matrix.shape[1])
    candidates: set[tuple[int, int]] = set()
    for band in range(bands):
        buckets: dict[bytes, list[int]] = defaultdict(list)
        chunk = np.ascontiguousarray(matrix[:, band * rows:(band + 1) * rows])
        for i, row in enumerate(chunk):
            buckets[row.tobytes()].append(i)
        for members in buckets.values():
            if 1 < len(members) <= FULL_BUCKET:
                candidates.update(combinations(members, 2))
            elif len(members) > FULL_BUCKET:
                candidates.update(zip(members, members[1:]))
    if not candidates:
        return []
    left, right = np.array(sorted(candidates)).T
    jaccard = (matrix[left] == matrix[right]).mean(axis=1)
    return [(usable[a].doc_id, usable[b].doc_id) for a, b, j in zip(left, right, jaccard)
            if is_near_duplicate(float(j), usable[a].shingles, usable[b].shingles, opts)]


def _exact_pairs(sigs: Iterable[DedupSignature]) -> list[tuple[str, str]]:
    """Pairs sharing a body hash, a folded URL or an earlier cluster id."""
    first_seen: dict[tuple[str, str], str] = {}
    pairs = []
    for sig in sigs:
        for key in (("hash", sig.content_hash), ("url", sig.url_key), ("cluster", sig.cluster)):
            if key[1] is None:
                continue
            if key in first_seen:
                pairs.append((first_seen[key], sig.doc_id))
            else:
                first_seen[key] = sig.doc_id
    return pairs


def _assign(sigs: list[DedupSignature], pairs: Iterable[tuple[str, str]]) -> dict[str, Assignment]:
    by_id = {s.doc_id: s for s in sigs}
    uf = _UnionFind()
    for a, b in pairs:
        if a != b:
            uf.union(a, b)
    groups: dict[str, list[DedupSignature]] = defaultdict(list)
    for doc_id in uf.parent:
        groups[uf.find(doc_id)].append(by_id[doc_id])
    out: dict[str, Assignment] = {}
    for members in groups.values():
        if len(members) < 2:
            continue
        kept = min(members, key=keep_order)
        for sig in members:
            if sig.doc_id == kept.doc_id:
                out[sig.doc_id] = Assignment(kept.doc_id, None, "kept")
            else:
                exact = (sig.content_hash is not None and sig.content_hash == kept.content_hash) or (
                    sig.url_key is not None and sig.url_key == kept.url_key)
                out[sig.doc_id] = Assignment(kept.doc_id, kept.doc_id, "exact" if exact else "near")
    return out


def find_duplicate_clusters(sigs: list[DedupSignature], opts: CleanOptions) -> dict[str, Assignment]:
    """Merge step: exact and near-duplicate clusters over all signatures, keyed by doc_id.

    Independent of input order: pairs are unioned, the kept member is the minimum of the keep rule.
    """
    sigs = _unique_by_id(sigs)
    return _assign(sigs, _exact_pairs(sigs) + near_duplicate_pairs(sigs, opts))


def _unique_by_id(sigs: Iterable[DedupSignature]) -> list[DedupSignature]:
    """One signature per doc_id (the same page twice in a batch is one document, not a duplicate)."""
    by_id: dict[str, DedupSignature] = {}
    for sig in sigs:
        if sig.doc_id not in by_id or keep_order(sig) < keep_order(by_id[sig.doc_id]):
            by_id[sig.doc_id] = sig
    return sorted(by_id.values(), key=lambda s: s.doc_id)


def mark_duplicates(doc: Document, assignment: Assignment | None) -> Document:
    """Map step: write the cluster outcome into the document (clears stale marks)."""
    if assignment is None:
        return doc.replace(dup_of=None, dup_cluster=None)
    return doc.replace(dup_of=assignment.dup_of, dup_cluster=assignment.dup_cluster)


def count_assignments(assignments: dict[str, Assignment], stats: Stats) -> None:
    for a in assignments.values():
        if a.match != "kept":
            stats.inc(f"dedup/{a.match}")


def dedup_documents(docs: list[Document], opts: CleanOptions, stats: Stats) -> list[Document]:
    """Mark exact and near-duplicate documents of one batch; order and count are unchanged."""
    sigs = []
    for doc in docs:
        try:
            sigs.append(dedup_signature(doc, opts))
        except Exception as exc:  # noqa: BLE001 - one bad document never stops the batch
            stats.error(doc.input, "dedup", f"{type(exc).__name__}: {exc}")
    assignments = find_duplicate_clusters(sigs, opts)
    count_assignments(assignments, stats)
    stats.inc("dedup/clusters", sum(1 for a in assignments.values() if a.match == "kept"))
    return [mark_duplicates(doc, assignments.get(doc.doc_id)) for doc in docs]


# ---------------------------------------------------------------- across runs


def signature_from_row(row: dict) -> DedupSignature:
    """Signature of an articles row (no MinHash: across runs only exact keys and earlier clusters count)."""
    return DedupSignature(
        doc_id=row["doc_id"],
        url_key=url_key(row.get("canonical_url") or row.get("url")),
        content_hash=row.get("content_hash") if row.get("word_count") else None,
        published_at=row.get("published_at"),
        word_count=row.get("word_count") or 0,
        cluster=row.get("dup_cluster"),
    )


def merge_dataset_clusters(rows: list[dict]) -> dict[str, Assignment]:
    """Clusters over existing dataset rows plus a new batch (both as articles rows).

    Edges: same body hash, same folded URL, or the same `dup_cluster` from an
    earlier run or from the batch's own near-duplicate pass. The keep rule then
    picks the kept member of every merged cluster, so the answer does not
    depend on which run saw a document first.
    """
    sigs = _unique_by_id(signature_from_row(r) for r in rows)
    return _assign(sigs, _exact_pairs(sigs))
