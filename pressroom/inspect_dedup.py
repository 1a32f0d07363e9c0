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


def _plain(row: dict) -> dict:
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in row.items()}


def dedup_clusters(dir: Path, top: int = 10) -> dict | None:
    """The figures and the `top` largest clusters (kept member, why, each copy and how it matched); None without a dataset."""
    from cleaning.io.writers import settle_for_reading

    root = articles_dir(dir)
    settle_for_reading(root.parent if root.name == "articles" else root)
    files = data_files(root)
    if not files:
        return None
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
    ranked = sorted(clusters.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    largest = []
    for cluster, members in ranked[:top]:
        kept = next((m for m in members if m["doc_id"] == cluster), None)
        copies = sorted((m for m in members if m["doc_id"] != cluster),
                        key=lambda m: (m["published_at"] is None, m["published_at"] or 0, m["doc_id"]))
        largest.append({"cluster": cluster, "size": len(members),
                        "kept": None if kept is None else {**_plain(kept), "why": why_kept(kept, copies)},
                        "copies": [{**_plain(m), "match": match_kind(m, kept) if kept else None} for m in copies]})
    folded = sum(1 for r in rows if r["dup_of"])
    return {"dataset": str(root), "documents": len(rows), "unique": len(rows) - folded, "clusters": len(clusters),
            "copies": folded, "matches": dict(kinds.most_common()), "largest": largest}


def _text_line(tag: str, row: dict, note: str = "") -> str:
    date = row["published_at"][:10] if row["published_at"] else "undated"
    title = (row["title"] or "(no title)")[:70]
    where = row["canonical_url"] or row["url"] or ""
    note = f"  [{note}]" if note else ""
    return f"  {tag:<5} {row['doc_id']}  {date}  {row['word_count'] or 0:>5} words  {title}  {where}{note}"


def print_dedup_clusters(dir: Path, top: int = 10, file=None, *, quiet: bool = False, as_json: bool = False) -> int:
    import json

    from pressroom.console import plural
    from pressroom.exitcodes import EXIT_NOTHING, EXIT_OK

    out = file or sys.stdout
    found = dedup_clusters(dir, top)
    if found is None:
        print(f"pressroom dedup: no articles dataset under {dir}", file=sys.stderr)
        return EXIT_NOTHING
    if as_json:
        print(json.dumps(found, ensure_ascii=False), file=out)
        return EXIT_OK
    if quiet:
        return EXIT_OK
    how = ", ".join(f"{n:,} {k}" for k, n in found["matches"].items())
    print(f"{found['dataset']}: {plural(found['documents'], 'document')}, {found['unique']:,} unique, "
          f"{plural(found['clusters'], 'duplicate cluster')}, {plural(found['copies'], 'copy', 'copies')} marked"
          + (f" ({how})" if how else ""), file=out)
    if not found["largest"]:
        print("no duplicates", file=out)
        return EXIT_OK
    print(f"largest {len(found['largest'])} clusters (filter `dup_of IS NULL` for one row per release):", file=out)
    for c in found["largest"]:
        print(f"\ncluster {c['cluster']}: {plural(c['size'], 'document')}", file=out)
        if c["kept"] is None:
            print(f"  kept  {c['cluster']}  (not in the dataset any more)", file=out)
        else:
            print(_text_line("kept", c["kept"], c["kept"]["why"]), file=out)
        for m in c["copies"]:
            print(_text_line("copy", m, m["match"] or ""), file=out)
    return EXIT_OK
