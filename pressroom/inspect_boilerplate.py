"""`pressroom boilerplate DIR`: the top stripped blocks per site, with counts and reasons."""

from __future__ import annotations

import sys
from pathlib import Path

from pressroom.exitcodes import EXIT_NOTHING, EXIT_OK

TEXT_WIDTH = 90


def find_boilerplate_table(dir: Path) -> Path | None:
    """DIR/boilerplate/ (the output root), or DIR itself when it is the boilerplate folder."""
    dir = Path(dir)
    for cand in (dir / "boilerplate", dir):
        if cand.is_dir() and any(cand.rglob("*.parquet")):  # site_key=<site>/ partitions (or one file of 1.0)
            return cand
    return dir if dir.is_file() and dir.suffix == ".parquet" else None


def _short(text: str | None) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= TEXT_WIDTH else text[: TEXT_WIDTH - 1] + "…"


def boilerplate_by_site(where: Path, top: int = 10) -> dict:
    """Per site: its documents and its `top` most repeated stripped blocks (count, reason, text)."""
    import pyarrow.parquet as pq

    by_site: dict[str, list[dict]] = {}
    for row in pq.read_table(where).to_pylist():
        by_site.setdefault(row["site"] or "(no site)", []).append(row)
    sites = {}
    for site in sorted(by_site):
        rows = sorted(by_site[site], key=lambda r: (-(r["doc_count"] or 0), r["fingerprint"]))
        sites[site] = {"documents": rows[0]["site_docs"], "repeated_blocks": len(rows),
                       "top": [{k: r.get(k) for k in ("doc_count", "reason", "fingerprint", "text")} for r in rows[:top]]}
    return {"table": str(where), "sites": sites}


def print_boilerplate(dir: Path, top: int = 10, file=None, *, quiet: bool = False, as_json: bool = False) -> int:
    import json

    from pressroom.console import plural

    out = file or sys.stdout
    where = find_boilerplate_table(dir)
    if where is None:
        print(f"no boilerplate table under {dir} (run `pressroom clean` first)", file=sys.stderr)
        return EXIT_NOTHING
    found = boilerplate_by_site(where, top)
    if as_json:
        print(json.dumps(found, ensure_ascii=False), file=out)
        return EXIT_OK
    if quiet:
        return EXIT_OK
    if not found["sites"]:
        print(f"{where}: no block repeats often enough to be stripped", file=out)
        return EXIT_OK
    for site, info in found["sites"].items():
        print(f"{site}  ({plural(info['documents'] or 0, 'document')}, "
              f"{plural(info['repeated_blocks'], 'repeated block')})", file=out)
        for r in info["top"]:
            print(f"  {r['doc_count']:>6}  {r['reason']:<24} {_short(r['text'])}", file=out)
    return EXIT_OK
