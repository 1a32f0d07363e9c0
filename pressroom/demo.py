"""`pressroom demo`: the whole job on the bundled sample press site, end to end, on 127.0.0.1."""

from __future__ import annotations

import argparse
import io
import shutil
import time
from collections import Counter
from pathlib import Path

from pressroom.exitcodes import EXIT_NOTHING, EXIT_OK, EXIT_PARTIAL


DEMO_MARKER = ".pressroom-demo"  # a folder holding it is the demo's own, emptied at each run
DEMO_PARTS = ("raw", "articles", "boilerplate", "reports", ".staging", ".crawl-job")


def prepare_demo_folder(out: Path) -> None:
    """Start each demo afresh: the sample site is served on a new port each time, so an old
    run's releases would come back under other URLs (and be folded as duplicates)."""
    if (out / DEMO_MARKER).exists():
        for part in DEMO_PARTS:
            shutil.rmtree(out / part, ignore_errors=True)
    elif out.exists() and any(out.iterdir()):
        print(f"demo: {out} already holds other data; the demo's releases are merged into it")
        return  # not ours: never emptied
    out.mkdir(parents=True, exist_ok=True)
    (out / DEMO_MARKER).write_text("written by `pressroom demo`; this folder is emptied at each demo run\n")


def summarise_articles(out: Path) -> dict:
    """Figures an analyst wants first, read back from the written dataset."""
    import pyarrow.dataset as ds

    table = ds.dataset(out / "articles", format="parquet", partitioning="hive").to_table(
        columns=["lang", "quotes", "removed", "dup_of"]
    )
    kept = [d is None for d in table.column("dup_of").to_pylist()]
    langs = Counter(lang for lang, k in zip(table.column("lang").to_pylist(), kept) if k)
    quotes = sum(len(q or []) for q, k in zip(table.column("quotes").to_pylist(), kept) if k)
    removed = sum(len(r or []) for r in table.column("removed").to_pylist())
    return {"releases": sum(kept), "duplicates": table.num_rows - sum(kept),
            "languages": dict(sorted(langs.items(), key=str)), "quotes": quotes, "removed": removed}


def run_demo(args: argparse.Namespace) -> int:
    from cleaning.pipeline import run_clean
    from pressroom.progress import StepProgress
    from pressroom.report import write_report
    from pressroom.sample_site.server import serve_sample
    from pressroom.crawl import run_crawl

    out: Path = args.out
    started = time.monotonic()
    prepare_demo_folder(out)
    with serve_sample("default") as server:
        print(f"sample press site: {server.base_url}/ ({len(server.site.releases)} releases)")
        crawl_args = argparse.Namespace(urls=[server.base_url + "/"], out=out, fast=True, quiet=args.quiet,
                                        verbose=args.verbose)
        code = run_crawl(crawl_args)
        pages_fetched = sum(1 for r in server.requests if r[3] == 200)
    if code not in (EXIT_OK, EXIT_PARTIAL):
        print("demo: the crawl stored nothing")
        return code
    progress = StepProgress(quiet=args.quiet, verbose=args.verbose)
    try:
        path, stats = run_clean([str(out / "raw")], out, engine="local", progress=progress)
    finally:
        progress.close()
    if path is None:
        print("demo: cleaning produced no records")
        return EXIT_NOTHING
    write_report(out, file=io.StringIO())  # its terminal summary would repeat ours
    figures = summarise_articles(out)
    langs = ", ".join(f"{k}: {v}" for k, v in figures["languages"].items())
    print()
    print(f"pages fetched            {pages_fetched}")
    dups = f", {figures['duplicates']} duplicates marked" if figures["duplicates"] else ""
    print(f"releases                 {figures['releases']}  ({langs}{dups})")
    print(f"quotes                   {figures['quotes']}")
    print(f"boilerplate removed      {figures['removed']} blocks")
    print(f"raw table                {out / 'raw'}")
    print(f"articles table           {path}")
    if (out / "reports" / "report.html").exists():
        print(f"report                   {out / 'reports' / 'report.html'}")
    print(f"took                     {time.monotonic() - started:.1f} s")
    print()
    print("load it:")
    print(f'  pandas:  pd.read_parquet("{out}/articles")')
    print(f'  polars:  pl.read_parquet("{out}/articles/**/*.parquet", hive_partitioning=True)')
    print(f"  duckdb:  duckdb.sql(\"SELECT * FROM read_parquet('{out}/articles/**/*.parquet', hive_partitioning=true)\")")
    return EXIT_OK
