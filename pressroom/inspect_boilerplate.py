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
        if cand.is_dir() and any(cand.glob("*.parquet")):
            return cand
    return dir if dir.is_file() and dir.suffix == ".parquet" else None


def _short(text: str | None) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= TEXT_WIDTH else text[: TEXT_WIDTH - 1] + "…"


def print_boilerplate(dir: Path, top: int = 10, file=None) -> int:
    import pyarrow.parquet as pq

    out = file or sys.stdout
    where = find_boilerplate_table(dir)
    if where is None:
        print(f"no boilerplate table under {dir} (run `pressroom clean` first)", file=sys.stderr)
        return EXIT_NOTHING
    rows = pq.read_table(where).to_pylist()
    if not rows:
        print(f"{where}: no block repeats often enough to be stripped", file=out)
        return EXIT_OK
    by_site: dict[str, list[dict]] = {}
    for row in rows:
        by_site.setdefault(row["site"] or "(no site)", []).append(row)
    for site in sorted(by_site):
        site_rows = sorted(by_site[site], key=lambda r: (-(r["doc_count"] or 0), r["fingerprint"]))
        docs = site_rows[0]["site_docs"]
        print(f"{site}  ({docs} documents, {len(site_rows)} repeated blocks)", file=out)
        for r in site_rows[:top]:
            print(f"  {r['doc_count']:>6}  {r['reason']:<24} {_short(r['text'])}", file=out)
    return EXIT_OK
