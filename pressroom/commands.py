"""Thin handlers behind each `pressroom` subcommand; the work lives in scraper/ and cleaning/."""

from __future__ import annotations

import argparse
import sys

from pressroom.exitcodes import EXIT_NOTHING, EXIT_OK, EXIT_PARTIAL, EXIT_USAGE
from pressroom.console import print_clean_summary


def _clean_options(args: argparse.Namespace):
    from cleaning.options import CleanOptions

    return CleanOptions(site=getattr(args, "site", None))


def cmd_clean(args: argparse.Namespace) -> int:
    from cleaning.pipeline import run_clean
    from pressroom.progress import StepProgress

    progress = StepProgress(quiet=args.quiet, verbose=args.verbose)
    try:
        path, stats = run_clean(args.inputs, args.out, _clean_options(args), engine=args.engine,
                                workers=args.workers, scheduler=args.scheduler, progress=progress)
    finally:
        progress.close()
    print_clean_summary(path, stats)
    if path is None:
        return EXIT_NOTHING
    return EXIT_PARTIAL if stats.errors else EXIT_OK


def cmd_crawl(args: argparse.Namespace) -> int:
    from pressroom.crawl import run_crawl

    if not args.urls and not args.profile:
        print("pressroom crawl: give at least one URL or --profile", file=sys.stderr)
        return EXIT_USAGE
    return run_crawl(args)


def cmd_run(args: argparse.Namespace) -> int:
    code = cmd_crawl(args)
    if code not in (EXIT_OK, EXIT_PARTIAL):
        return code
    args.inputs = [str(args.out / "raw")]
    return cmd_clean(args)


def cmd_demo(args: argparse.Namespace) -> int:
    from pressroom.demo import run_demo

    return run_demo(args)


def cmd_serve_sample(args: argparse.Namespace) -> int:
    from pressroom.sample_site.server import serve_forever, write_dump

    if args.dump:
        write_dump(args.dump, variant=args.variant)
        print(f"wrote {args.dump}")
        return EXIT_OK
    serve_forever(port=args.port, variant=args.variant)
    return EXIT_OK


def cmd_boilerplate(args: argparse.Namespace) -> int:
    from pressroom.inspect_boilerplate import print_boilerplate

    return print_boilerplate(args.dir, top=args.top)


def cmd_dedup(args: argparse.Namespace) -> int:
    from pressroom.inspect_dedup import print_dedup_clusters

    return print_dedup_clusters(args.dir, top=args.top)


def cmd_report(args: argparse.Namespace) -> int:
    from pressroom.report import write_report

    return write_report(args.dir)
