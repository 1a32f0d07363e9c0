"""Pass 1: count block fingerprints per site; the only cross-document state of cleaning.

Pass 1 is a map-reduce so the same functions run locally and on Dask:

    counts = merge_counts(count_fingerprints(batch, opts) for batch in batches)
    model = build_site_model(counts, opts)                     # small: frequent keys only
    model = model.with_samples(merge_samples(collect_samples(b, model) for b in batches))

Counts are exact: sorted numpy arrays of 64-bit keys per site, merged by sort +
reduceat, so the result depends neither on input order nor on how batches were cut.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from hashlib import blake2b

import numpy as np

from cleaning.core.options import CleanOptions
from cleaning.core.schema import Block, Document
from cleaning.extract.pagemeta import title_suffixes

# A short templated line ("The post <title> appeared first on <site>.") shares its
# first and last words across pages while its middle varies: those words are its pattern key.
PATTERN_PREFIX_WORDS = 2
PATTERN_SUFFIX_WORDS = 3
PATTERN_MAX_WORDS = 60
UNKNOWN_SITE = ""  # documents without a site are counted together

_DIGIT = re.compile(r"\d+")
_WORD = re.compile(r"[^\W_]+")


def words(text: str) -> list[str]:
    """Case-folded words, each run of digits folded to 0."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    return _WORD.findall(_DIGIT.sub("0", text.casefold()))


def normalise(text: str) -> str:
    """Case-folded, each run of digits folded to 0, punctuation and spacing stripped."""
    return "".join(words(text))


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """One block seen once: its normalised text, text key and pattern key (None when absent)."""

    norm: str
    text_key: int | None
    pattern_key: int | None


def fingerprint(block: Block) -> Fingerprint:
    """Both keys from one pass over the text; the same function feeds pass 1 and pass 2."""
    ws = words(block.text)
    norm = "".join(ws)
    if not norm:
        return Fingerprint("", None, None)
    path = block.dom_path or ""
    tkey = hash64(f"t\x00{path}\x00{norm}") & ~1  # even: a text key
    pkey = None
    if PATTERN_PREFIX_WORDS + PATTERN_SUFFIX_WORDS < len(ws) <= PATTERN_MAX_WORDS:
        head, tail = " ".join(ws[:PATTERN_PREFIX_WORDS]), " ".join(ws[len(ws) - PATTERN_SUFFIX_WORDS:])
        pkey = hash64(f"p\x00{path}\x00{head}\x00{tail}") | 1  # odd: a pattern key
    return Fingerprint(norm, tkey, pkey)


def hash64(data: str) -> int:
    """Stable across processes and machines (never Python's salted hash())."""
    return int.from_bytes(blake2b(data.encode("utf-8"), digest_size=8).digest(), "little")


def text_key(block: Block) -> int | None:
    """The block's normalised text, keyed by its DOM path when it came from HTML."""
    return fingerprint(block).text_key


def pattern_key(block: Block) -> int | None:
    """Same first and last words (and DOM path): "The post <any title> appeared first on <site>."."""
    return fingerprint(block).pattern_key


def is_pattern_key(key: int) -> bool:
    return bool(key & 1)


def block_keys(block: Block) -> tuple[int | None, int | None]:
    """(text key, pattern key) of one block."""
    fp = fingerprint(block)
    return fp.text_key, fp.pattern_key


def doc_keys(doc: Document) -> set[int]:
    """Every fingerprint of a document, once: a document counts a fingerprint once."""
    keys: set[int] = set()
    for block in doc.blocks:
        fp = fingerprint(block)
        if fp.text_key is not None:
            keys.add(fp.text_key)
        if fp.pattern_key is not None:
            keys.add(fp.pattern_key)
    return keys


def signal_key(kind: str, value: str) -> int:
    """A page-level signal counted per site like a block ("suffix" of the <title>, "og" type)."""
    return hash64(f"s\x00{kind}\x00{normalise(value)}")


def page_signals(doc: Document) -> set[int]:
    """What a page declares that only means something when many pages of its site declare it too:
    the suffixes of its <title> (a site name repeats there) and og:type article."""
    meta = doc.meta
    if meta is None:
        return set()
    keys = {signal_key("suffix", s) for s in title_suffixes(meta.html_title) if normalise(s)}
    if (meta.og_type or "").lower() == "article":
        keys.add(signal_key("og", "article"))
    return keys


def site_of(doc: Document) -> str:
    return doc.site or UNKNOWN_SITE


# ---------------------------------------------------------------- counting (map + reduce)


@dataclass(frozen=True)
class SiteCount:
    """Exact document frequency of every key of one site: keys sorted and unique."""

    docs: int
    keys: np.ndarray  # uint64
    counts: np.ndarray  # int64
    signal_keys: np.ndarray = field(default_factory=lambda: np.zeros(0, np.uint64))  # page_signals, same shape
    signal_counts: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))

    @property
    def nbytes(self) -> int:
        return int(self.keys.nbytes + self.counts.nbytes + self.signal_keys.nbytes + self.signal_counts.nbytes)


@dataclass(frozen=True)
class SiteCounts:
    sites: dict[str, SiteCount] = field(default_factory=dict)

    @property
    def nbytes(self) -> int:
        return sum(s.nbytes for s in self.sites.values())

    @property
    def n_keys(self) -> int:
        return sum(len(s.keys) for s in self.sites.values())


def _reduce_sorted(keys: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sum counts of equal keys; the result is sorted, whatever the input order."""
    if len(keys) == 0:
        return keys.astype(np.uint64), counts.astype(np.int64)
    order = np.argsort(keys, kind="stable")
    keys, counts = keys[order], counts[order]
    starts = np.concatenate(([0], np.flatnonzero(np.diff(keys)) + 1))
    return keys[starts], np.add.reduceat(counts, starts).astype(np.int64)


def count_fingerprints(docs: Iterable[Document], opts: CleanOptions) -> SiteCounts:
    """Map: document frequency of each fingerprint per site, for one batch of documents."""
    per_site: dict[str, list[int]] = {}
    signals_per_site: dict[str, list[int]] = {}
    docs_per_site: dict[str, int] = {}
    for doc in docs:
        site = site_of(doc)
        per_site.setdefault(site, []).extend(doc_keys(doc))
        signals_per_site.setdefault(site, []).extend(page_signals(doc))
        docs_per_site[site] = docs_per_site.get(site, 0) + 1
    sites = {}
    for site, keys in per_site.items():
        uniq, cnt = _unique_counts(keys)
        sig, sig_cnt = _unique_counts(signals_per_site[site])
        sites[site] = SiteCount(docs_per_site[site], uniq, cnt, sig, sig_cnt)
    return SiteCounts(sites)


def _unique_counts(keys: list[int]) -> tuple[np.ndarray, np.ndarray]:
    uniq, cnt = np.unique(np.fromiter(keys, dtype=np.uint64, count=len(keys)), return_counts=True)
    return uniq, cnt.astype(np.int64)


def merge_counts(counts: Iterable[SiteCounts]) -> SiteCounts:
    """Reduce: associative and order-independent (sorted keys, summed counts)."""
    parts: dict[str, list[SiteCount]] = {}
    for c in counts:
        for site, sc in c.sites.items():
            parts.setdefault(site, []).append(sc)
    sites = {}
    for site in sorted(parts):
        group = parts[site]
        keys, cnt = _reduce_sorted(np.concatenate([g.keys for g in group]),
                                   np.concatenate([g.counts for g in group]))
        sig, sig_cnt = _reduce_sorted(np.concatenate([g.signal_keys for g in group]),
                                      np.concatenate([g.signal_counts for g in group]))
        sites[site] = SiteCount(sum(g.docs for g in group), keys, cnt, sig, sig_cnt)
    return SiteCounts(sites)


# ---------------------------------------------------------------- the model


def doc_threshold(site_docs: int, opts: CleanOptions) -> int:
    """A fingerprint is frequent on a site from this many documents on."""
    return max(opts.min_doc_count, math.ceil(opts.min_doc_share * site_docs))


@dataclass(frozen=True)
class SiteEntry:
    """The frequent fingerprints of one site (doc_count ≥ threshold), sorted."""

    docs: int
    threshold: int
    keys: np.ndarray  # uint64
    counts: np.ndarray  # int64
    signal_keys: np.ndarray = field(default_factory=lambda: np.zeros(0, np.uint64))  # frequent page_signals
    signal_counts: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))

    def count(self, key: int | None) -> int:
        return _lookup(self.keys, self.counts, key)

    def signal(self, kind: str, value: str) -> int:
        """How many pages of the site declare this signal (0 below the site's threshold)."""
        return _lookup(self.signal_keys, self.signal_counts, signal_key(kind, value))


def _lookup(keys: np.ndarray, counts: np.ndarray, key: int | None) -> int:
    if key is None or len(keys) == 0:
        return 0
    i = int(np.searchsorted(keys, np.uint64(key)))
    return int(counts[i]) if i < len(keys) and int(keys[i]) == key else 0


EMPTY_ENTRY = SiteEntry(0, 1, np.zeros(0, np.uint64), np.zeros(0, np.int64))


@dataclass(frozen=True)
class SiteModel:
    """What repeats on each site, and one sample text per frequent fingerprint (for the audit)."""

    sites: dict[str, SiteEntry] = field(default_factory=dict)
    samples: dict[tuple[str, int], str] = field(default_factory=dict)

    def entry(self, site: str | None) -> SiteEntry:
        return self.sites.get(site or UNKNOWN_SITE, EMPTY_ENTRY)

    def with_samples(self, samples: dict[tuple[str, int], str]) -> "SiteModel":
        return SiteModel(self.sites, dict(samples))

    @property
    def n_keys(self) -> int:
        return sum(len(e.keys) for e in self.sites.values())

    @property
    def nbytes(self) -> int:
        arrays = sum(int(e.keys.nbytes + e.counts.nbytes + e.signal_keys.nbytes + e.signal_counts.nbytes)
                     for e in self.sites.values())
        return arrays + sum(len(t.encode("utf-8")) + 8 for t in self.samples.values())


def model_from_counts(counts: SiteCounts, opts: CleanOptions) -> SiteModel:
    sites = {}
    for site, sc in counts.sites.items():
        threshold = doc_threshold(sc.docs, opts)
        keep = sc.counts >= threshold
        keep_signal = sc.signal_counts >= threshold
        sites[site] = SiteEntry(sc.docs, threshold, sc.keys[keep], sc.counts[keep],
                                sc.signal_keys[keep_signal], sc.signal_counts[keep_signal])
    return SiteModel(sites)


def collect_samples(docs: Iterable[Document], model: SiteModel) -> dict[tuple[str, int], str]:
    """Map: the smallest text of each frequent fingerprint seen in this batch."""
    samples: dict[tuple[str, int], str] = {}
    for doc in docs:
        site = site_of(doc)
        entry = model.entry(site)
        if len(entry.keys) == 0:
            continue
        for block in doc.blocks:
            fp = fingerprint(block)
            for key in (fp.text_key, fp.pattern_key):
                if entry.count(key):
                    text = block.text.strip()
                    old = samples.get((site, key))
                    if old is None or (len(text), text) < (len(old), old):
                        samples[(site, key)] = text
    return samples


def merge_samples(parts: Iterable[dict[tuple[str, int], str]]) -> dict[tuple[str, int], str]:
    """Reduce: keep the smallest text per fingerprint (deterministic)."""
    out: dict[tuple[str, int], str] = {}
    for part in parts:
        for k, text in part.items():
            old = out.get(k)
            if old is None or (len(text), text) < (len(old), old):
                out[k] = text
    return out


def build_site_model(counts_or_docs: SiteCounts | Iterable[Document], opts: CleanOptions) -> SiteModel:
    """The site model from merged counts, or (locally) straight from a list of documents."""
    if isinstance(counts_or_docs, SiteCounts):
        return model_from_counts(counts_or_docs, opts)
    docs = list(counts_or_docs)
    model = model_from_counts(count_fingerprints(docs, opts), opts)
    return model.with_samples(collect_samples(docs, model))
