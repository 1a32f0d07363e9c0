"""`pressroom demo`: the whole job on the bundled sample press site, end to end, on 127.0.0.1."""

from __future__ import annotations

import argparse
import shutil
import time
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


def run_demo(args: argparse.Namespace) -> int:
    from pressroom.stages import clean_exit_code, clean_into, read_crawl_stats, write_report_quietly
    from pressroom.console import print_run_summary, save_run_time
    from pressroom.crawl import run_crawl
    from pressroom.sample_site.server import serve_sample

    out: Path = args.out
    started = time.monotonic()
    prepare_demo_folder(out)
    with serve_sample("default") as server:
        print(f"sample press site: {server.base_url}/ ({len(server.site.releases)} releases)")
        crawl_args = argparse.Namespace(urls=[server.base_url + "/"], out=out, fast=True, quiet=args.quiet,
                                        verbose=args.verbose, log_file=getattr(args, "log_file", None))
        code = run_crawl(crawl_args)
    if code not in (EXIT_OK, EXIT_PARTIAL):
        print("demo: the crawl stored nothing")
        return code
    path, stats = clean_into(args, [str(out / "raw")])
    if path is None:
        print("demo: cleaning produced no records")
        return EXIT_NOTHING
    seconds = time.monotonic() - started
    save_run_time(out, "demo", seconds)  # before the report, which shows it
    print_run_summary(out, path, stats, crawl_stats=read_crawl_stats(out), report=write_report_quietly(out),
                      seconds=seconds, verbose=args.verbose)
    return clean_exit_code(path, stats)
