"""One doc_id per page: canonical clashes undone, every shared doc_id counted and listed.

Extraction gives each page the id of its trusted rel=canonical (else of its own URL). Across
all documents of a run (a merge, like the site model's): when pages fetched at different URLs
with different text claim one canonical, the canonical does not identify them, so each is kept
under its own URL (`ids/canonical_clash`). Inputs still sharing an id are one page (the same
URL fetched twice, or one canonical with the same text, or a dump with the same content): the
newest fetch is kept, then (same fetch time, or none) the one with the greater text hash, then
the greater input name: never input order, so every order of the inputs keeps the same one.
The others leave the run. Both go to the stats
list `ids`, which lands in reports/clean-stats.json with which input was kept and why.

Across runs (`stored_clashes`, called by the incremental writer with the stored rows'
doc_id, url and content_hash): a new record whose doc_id is a stored row's, fetched at
another URL identity (`url_key`) and with another content hash, is a clash too, not an
update: the stored row keeps the id, the new page goes under the id of its own fetched URL.
The same fetched page (same `url_key`), or the same content via an alias URL, is an update.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone

from cleaning.core.options import CleanOptions
from cleaning.core.schema import Document
from cleaning.core.stats import Stats
from cleaning.core.urls import canonical_url, doc_id_for, url_key

_EPOCH = datetime.min.replace(tzinfo=timezone.utc)


@dataclass(frozen=True, slots=True)
class IdClaim:
    """What the id merge needs of one document."""

    order: tuple[int, int]  # (batch, position): input order
    input: str
    doc_id: str
    canonical: str | None
    own_url: str | None  # canonical_url of the fetched URL
    text_hash: str
    fetched_at: datetime | None


@dataclass(frozen=True, slots=True)
class IdDecisions:
    """Per input: a new (doc_id, canonical_url), or leave the run (a copy of the kept one)."""

    renamed: dict[str, tuple[str, str]] = field(default_factory=dict)
    dropped: frozenset[str] = frozenset()


def _text_hash(doc: Document) -> str:
    blocks = [b.text for b in doc.blocks if b.main] or [b.text for b in doc.blocks]
    return hashlib.sha1("\n".join(blocks).encode("utf-8")).hexdigest()


def id_claims(docs: Sequence[Document], opts: CleanOptions) -> list[IdClaim]:
    """Map step: one claim per document of a batch (order within the batch; the merge adds the batch)."""
    return [IdClaim((0, i), d.input, d.doc_id, d.canonical_url, canonical_url(d.url) if d.url else None,
                    _text_hash(d), d.fetched_at) for i, d in enumerate(docs)]


def _newest(claim: IdClaim) -> tuple:
    """The kept claim of a shared id is the max: latest fetch, then content hash, then input name."""
    return (claim.fetched_at or _EPOCH, claim.text_hash, claim.input)


def resolve_ids(batches: Iterable[list[IdClaim]], stats: Stats) -> IdDecisions:
    """Merge step over every batch's claims, in batch order (input order breaks ties, whatever the engine)."""
    claims = [dataclasses.replace(c, order=(b, c.order[1])) for b, batch in enumerate(batches) for c in batch]
    groups: dict[str, list[IdClaim]] = defaultdict(list)
    for c in claims:
        groups[c.doc_id].append(c)
    renamed: dict[str, tuple[str, str]] = {}
    final: dict[str, list[IdClaim]] = defaultdict(list)
    for doc_id, members in groups.items():
        urls = {c.own_url for c in members if c.own_url}
        texts = {c.text_hash for c in members}
        clash = len(urls) > 1 and len(texts) > 1 and all(c.own_url for c in members)
        if clash:
            stats.inc("ids/canonical_clash")
            stats.note("ids", {"doc_id": doc_id, "canonical": members[0].canonical,
                               "inputs": [c.input for c in members], "kept": "all",
                               "why": "pages with different text claim one rel=canonical: each kept under its own URL"})
        for c in members:
            if clash and doc_id_for(c.own_url) != doc_id:
                renamed[c.input] = (doc_id_for(c.own_url), c.own_url)
            final[renamed.get(c.input, (doc_id,))[0]].append(c)
    dropped = set()
    for doc_id, members in final.items():
        if len(members) < 2:
            continue
        kept = max(members, key=_newest)
        for c in members:
            if c is kept:
                continue
            dropped.add(c.input)
            if c.own_url and c.own_url == kept.own_url:
                why = ("same URL fetched more than once: the newest fetch kept" if c.fetched_at != kept.fetched_at
                       else "same URL fetched more than once, at the same time: kept by content hash")
            elif c.own_url and kept.own_url:
                why = "same rel=canonical and the same text: the newest fetch kept"
            else:
                why = "same content: kept by fetch time, then content hash, then input name"
            stats.inc("ids/shared")
            stats.note("ids", {"doc_id": doc_id, "kept": kept.input, "dropped": c.input, "why": why})
    return IdDecisions(renamed, frozenset(dropped))


def apply_ids(docs: Sequence[Document], decisions: IdDecisions | None) -> list[Document]:
    """Map step: rename clashing documents, leave out the copies."""
    if decisions is None:
        return list(docs)
    out = []
    for doc in docs:
        if doc.input in decisions.dropped:
            continue
        if doc.input in decisions.renamed:
            doc_id, url = decisions.renamed[doc.input]
            doc = doc.replace(doc_id=doc_id, canonical_url=url)
        out.append(doc)
    return out


def stored_clashes(records: Sequence[dict], stored: Iterable[tuple[str, str | None, str | None]],
                   stats: Stats) -> tuple[list[dict], dict[str, tuple[str, str]]]:
    """The records to write, and the stored rows to move to their own URL's id: no page replaces another.

    `stored` is (doc_id, url, content_hash) of every row already in the dataset. A record is
    an update of the stored row with its doc_id when a stored copy has its fetched URL
    identity or its content hash (or either side has no URL to tell); else it is a clash:
    counted (`ids/canonical_clash`), listed in the `ids` notes, and the page not at the
    shared id's URL moves to its own URL's id: the new record (a copy: the caller's records
    stay untouched), or, when the new record was fetched at that very URL (the stored page
    had claimed it as its rel=canonical), the stored row (returned as stored doc_id ->
    (its own id, its own canonical URL), for the writer to move).
    """
    known: dict[str, list[tuple[str | None, str | None, str | None]]] = defaultdict(list)
    for doc_id, url, content_hash in stored:
        known[doc_id].append((url_key(url), content_hash, url))
    out, moved = [], {}
    for record in records:
        copies = known.get(record.get("doc_id"))
        key, content = url_key(record.get("url")), record.get("content_hash")
        if not copies or key is None or any(k is None or k == key or h == content for k, h, _ in copies):
            out.append(record)
            continue
        doc_id, own = record["doc_id"], canonical_url(record["url"])
        stats.inc("ids/canonical_clash")
        note = {"doc_id": doc_id, "canonical": record.get("canonical_url"), "kept": "all",
                "inputs": sorted(u for _, _, u in copies) + [record.get("input") or record["url"]]}
        if doc_id_for(own) == doc_id:  # the new page is at the shared id's URL: the stored one moves
            stored_own = canonical_url(max(u for _, _, u in copies))
            moved[doc_id] = (doc_id_for(stored_own), stored_own)
            stats.note("ids", note | {"renamed_to": moved[doc_id][0],
                                      "why": "an earlier run's page with other text claimed this page's URL as its "
                                             "rel=canonical: this page, fetched at that URL, takes the id, the stored "
                                             f"page is kept under its own URL ({moved[doc_id][0]})"})
            out.append(record)
            continue
        stats.note("ids", note | {"renamed_to": doc_id_for(own),
                                  "why": "a page of an earlier run and this run's page, fetched at different URLs "
                                         "with different text, claim one rel=canonical: the stored row keeps the id, "
                                         f"the new page is kept under its own URL ({doc_id_for(own)})"})
        out.append({**record, "doc_id": doc_id_for(own), "canonical_url": own})
    return out, moved
