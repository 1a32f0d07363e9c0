"""Peak memory of `pressroom clean` as an archive grows: realistic archives, one fresh child process per run.

    .venv/bin/python bench/memory.py [--sizes 300 900] [--formats jsonl warc] [--workers 1]

The archive looks like a crawl of many press sites: each site is a generated sample site (its own
seed, so its own releases) on a host with its own registered domain (`www.pressNNNNN-news.org`,
about 70 pages each), plus one large site (`www.bigpress.org`, --large-share of the pages, several
seeds' releases under one host). `registered_domain` gives one site per host, so the site model
holds one entry per site as it would on a real archive (hosts named `pressN.example.org` all fold
into example.org: one giant site, which is not what an archive looks like).

Each size is written once, as streamed JSONL (one {"url", "html", "fetched_at"} object a line) and
as a gzipped WARC (one response record per page), then cleaned by `pressroom clean ARCHIVE --out
TMP --workers W` in a child. Peak RSS is the child's ru_maxrss (RUSAGE_CHILDREN, measured from a
fresh interpreter per run, so it is that run's own peak; with --workers > 1 it is the largest
single process, not the sum); docs/s = pages / wall time of the child (start-up included). The
ratio columns are against the smallest size of the same format in the same run: flat memory and
flat throughput give ratios near 1.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

PAGES_PER_SITE = 70  # what one generated sample site holds
LARGE_HOST = "www.bigpress.org"
FETCHED = datetime(2025, 6, 1, tzinfo=UTC)


def _sites() -> Iterator[tuple[int, object]]:
    """Generated sample sites, one per seed (a few seeds run a phrase bank dry: the next seed is another site)."""
    from pressroom.sample_site.generator import generate_site

    seed = 0
    while True:
        try:
            yield seed, generate_site(seed=seed)
        except RuntimeError:
            pass
        seed += 1


def archive_pages(n: int, large_share: float) -> Iterator[tuple[str, str]]:
    """(url, html) for `n` pages: many ~70-page sites on distinct registered domains, plus one large site."""
    large = round(n * large_share)
    written = 0
    for seed, site in _sites():
        if written == n:
            return
        in_large = written < large  # the large site first, then one host per seed
        host = LARGE_HOST if in_large else f"www.press{seed:05d}-news.org"
        base = f"http://{host}"
        for rel in site.releases:
            if written == n or (in_large and written == large):
                break
            path = f"/archive-{seed}{rel.path}" if in_large else rel.path
            yield base + path, site.pages[rel.path].body.decode("utf-8").replace("{{BASE}}", base)
            written += 1


def write_archives(folder: Path, n: int, large_share: float, formats: tuple[str, ...]) -> dict[str, Path]:
    """The same pages as JSONL and/or WARC, written as they are generated (never all held at once)."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    paths = {"jsonl": folder / f"archive-{n}.jsonl", "warc": folder / f"archive-{n}.warc.gz"}
    paths = {fmt: path for fmt, path in paths.items() if fmt in formats}
    jsonl = paths["jsonl"].open("w", encoding="utf-8") if "jsonl" in paths else None
    warc_fh = paths["warc"].open("wb") if "warc" in paths else None
    writer = WARCWriter(warc_fh, gzip=True) if warc_fh else None
    try:
        for i, (url, html) in enumerate(archive_pages(n, large_share)):
            fetched = (FETCHED + timedelta(seconds=i)).isoformat().replace("+00:00", "Z")
            if jsonl:
                jsonl.write(json.dumps({"url": url, "html": html, "fetched_at": fetched}, ensure_ascii=False) + "\n")
            if writer:
                body = html.encode("utf-8")
                headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8"),
                                                      ("Content-Length", str(len(body)))], protocol="HTTP/1.1")
                record = writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                                   http_headers=headers, warc_headers_dict={"WARC-Date": fetched})
                writer.write_record(record)
    finally:
        for fh in (jsonl, warc_fh):
            if fh:
                fh.close()
    return paths


PROBE = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
         "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL); "
         "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")


def measure(archive: Path, n: int, workers: int, out: Path) -> dict:
    cmd = [sys.executable, "-m", "pressroom", "clean", str(archive), "--out", str(out), "--workers", str(workers)]
    # A fresh interpreter per run, so RUSAGE_CHILDREN's max is this run's own peak.
    done = subprocess.run([sys.executable, "-c", PROBE, *cmd], check=True, capture_output=True, text=True)
    seconds, maxrss_kb = done.stdout.split()
    return {"n": n, "seconds": float(seconds), "docs_per_s": n / float(seconds), "peak_mb": int(maxrss_kb) / 1024,
            "input_mb": archive.stat().st_size / 2**20}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[300, 900],
                        help="archive sizes in pages (the issue's targets: 10000 30000 100000)")
    parser.add_argument("--formats", nargs="+", choices=("jsonl", "warc"), default=["jsonl", "warc"])
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--large-share", type=float, default=0.1, help="share of the pages on the one large site")
    args = parser.parse_args()
    rows: dict[str, list[dict]] = {fmt: [] for fmt in args.formats}
    with tempfile.TemporaryDirectory() as tmp:
        for n in sorted(args.sizes):
            folder = Path(tmp) / str(n)
            folder.mkdir()
            archives = write_archives(folder, n, args.large_share, tuple(args.formats))
            for fmt in args.formats:
                rows[fmt].append(measure(archives[fmt], n, args.workers, folder / f"out-{fmt}"))
            for path in archives.values():
                os.unlink(path)
    sites = "about 70 pages a site, one site with {:.0%} of the pages".format(args.large_share)
    print(f"pressroom clean --workers {args.workers}; {sites}; load {os.getloadavg()[0]:.2f} at the end")
    print(f"{'format':>6} {'pages':>7} {'input MB':>9} {'docs/s':>8} {'peak RSS MB':>12} {'RSS ratio':>10} {'docs/s ratio':>13}")
    for fmt, fmt_rows in rows.items():
        base = fmt_rows[0]
        for row in fmt_rows:
            print(f"{fmt:>6} {row['n']:>7} {row['input_mb']:>9.1f} {row['docs_per_s']:>8.1f} {row['peak_mb']:>12.1f} "
                  f"{row['peak_mb'] / base['peak_mb']:>10.2f} {row['docs_per_s'] / base['docs_per_s']:>13.2f}")


if __name__ == "__main__":
    main()
