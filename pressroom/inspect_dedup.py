"""`pressroom dedup DIR`: the duplicate clusters of an articles dataset, for archivists.

For each cluster: its size, the kept document and why it was kept (the keep rule:
earliest published, then longest body, then smallest doc_id), and every folded copy
with how it matched (same body, same URL, near-duplicate text).
"""

from __future__ import annotations

import sys
from collections import Counter, defaultdict
from pathlib import Path

import pyarrow.dataset as ds

from cleaning.core.urls import url_key
from cleaning.core.schema import ARTICLES_SCHEMA
from cleaning.io.writers import data_files

COLUMNS = ["doc_id", "url", "canonical_url", "title", "published_at", "word_count", "content_hash",
           "dup_of", "dup_cluster", "site"]


def articles_dir(path: Path) -> Path:
    """Accept the output root (data/) or the articles directory itself."""
    path = Path(path)
    return path / "articles" if (path / "articles").is_dir() else path


def match_kind(row: dict, kept: dict) -> str:
    if row["content_hash"] and row["content_hash"] == kept["content_hash"]:
        return "same body"
    if url_key(row["canonical_url"] or row["url"]) == url_key(kept["canonical_url"] or kept["url"]) is not None:
        return "same URL"
    return "near-duplicate"


def why_kept(kept: dict, others: list[dict]) -> str:
    dated = [o["published_at"] for o in others if o["published_at"] is not None]
    if kept["published_at"] is not None and all(kept["published_at"] < d for d in dated):
        return "earliest published" if dated else "the only one with a date"
    longer = [o for o in others if o["published_at"] == kept["published_at"]]
    if all((kept["word_count"] or 0) > (o["word_count"] or 0) for o in longer):
        return "longest body among the earliest" if kept["published_at"] else "longest body (no dates)"
    return "smallest doc_id (same date and length)"


def _line(tag: str, row: dict, note: str = "") -> str:
    date = row["published_at"].date().isoformat() if row["published_at"] else "undated"
    title = (row["title"] or "(no title)")[:70]
    where = row["canonical_url"] or row["url"] or ""
    note = f"  [{note}]" if note else ""
    return f"  {tag:<5} {row['doc_id']}  {date}  {row['word_count'] or 0:>5} words  {title}  {where}{note}"


def print_dedup_clusters(dir: Path, top: int = 10, file=None) -> int:
    from pressroom.cli import EXIT_NOTHING, EXIT_OK

    out = file or sys.stdout
    root = articles_dir(dir)
    files = data_files(root)
    if not files:
        print(f"pressroom dedup: no articles dataset under {dir}", file=sys.stderr)
        return EXIT_NOTHING
    rows = ds.dataset(files, schema=ARTICLES_SCHEMA, format="parquet").to_table(columns=COLUMNS).to_pylist()
    clusters: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        if row["dup_cluster"]:
            clusters[row["dup_cluster"]].append(row)
    kinds = Counter()
    for cluster, members in clusters.items():
        kept = next((m for m in members if m["doc_id"] == cluster), None)
        for m in members:
            if m["dup_of"] and kept is not None:
                kinds[match_kind(m, kept)] += 1
    folded = sum(1 for r in rows if r["dup_of"])
    print(f"{root}: {len(rows):,} documents, {len(rows) - folded:,} unique, {len(clusters):,} duplicate clusters, "
          f"{folded:,} copies marked (" + ", ".join(f"{n:,} {k}" for k, n in kinds.most_common()) + ")", file=out)
    if not clusters:
        print("no duplicates", file=out)
        return EXIT_OK
    ranked = sorted(clusters.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    print(f"largest {min(top, len(ranked))} clusters (filter `dup_of IS NULL` for one row per release):", file=out)
    for cluster, members in ranked[:top]:
        kept = next((m for m in members if m["doc_id"] == cluster), None)
        copies = sorted((m for m in members if m["doc_id"] != cluster),
                        key=lambda m: (m["published_at"] is None, m["published_at"] or 0, m["doc_id"]))
        print(f"\ncluster {cluster}: {len(members)} documents", file=out)
        if kept is None:
            print(f"  kept  {cluster}  (not in the dataset any more)", file=out)
        else:
            print(_line("kept", kept, why_kept(kept, copies)), file=out)
        for m in copies:
            print(_line("copy", m, match_kind(m, kept) if kept else ""), file=out)
    return EXIT_OK
