"""Thin handlers behind each `pressroom` subcommand; the work lives in scraper/ and cleaning/."""

from __future__ import annotations

import argparse
import sys

from pressroom.console import print_clean_summary
from pressroom.errors import explain
from pressroom.exitcodes import EXIT_FATAL, EXIT_NOTHING, EXIT_OK, EXIT_PARTIAL, EXIT_USAGE
from pressroom.preflight import check_dataset, check_inputs, check_out


def _clean_options(args: argparse.Namespace):
    from cleaning.options import CleanOptions

    return CleanOptions(site=getattr(args, "site", None))


def _save_failed_run(stats, args: argparse.Namespace, exc: BaseException) -> None:
    """A fatal error still leaves its stats (with the error) in OUT/reports/, when the disk allows."""
    from pathlib import Path

    stats.error("(run)", "fatal", f"{type(exc).__name__}: {exc}")
    try:
        stats.save(Path(args.out) / "reports" / "clean-stats.json", {"inputs": [str(i) for i in args.inputs],
                                                                     "fatal": True})
    except OSError:
        pass


def cmd_clean(args: argparse.Namespace) -> int:
    check_inputs(args.inputs, args.command)
    check_out(args.out, args.command)
    check_dataset(args.out)
    from cleaning.pipeline import run_clean
    from cleaning.stats import Stats
    from pressroom.progress import StepProgress

    progress = StepProgress(quiet=args.quiet, verbose=args.verbose)
    stats = Stats()
    try:
        path, stats = run_clean(args.inputs, args.out, _clean_options(args), stats=stats, engine=args.engine,
                                workers=args.workers, scheduler=args.scheduler, progress=progress)
    except Exception as exc:
        _save_failed_run(stats, args, exc)
        raise
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
    check_out(args.out, args.command)
    return run_crawl(args)


def cmd_run(args: argparse.Namespace) -> int:
    check_out(args.out, args.command)
    check_dataset(args.out)  # before the crawl: the clean after it would stop on it
    code = cmd_crawl(args)
    if code not in (EXIT_OK, EXIT_PARTIAL):
        return code
    args.inputs = [str(args.out / "raw")]
    return cmd_clean(args)


def cmd_demo(args: argparse.Namespace) -> int:
    from pressroom.demo import run_demo

    check_out(args.out, args.command)
    return run_demo(args)


def cmd_serve_sample(args: argparse.Namespace) -> int:
    from pressroom.sample_site.server import serve_forever, write_dump

    if args.dump:
        write_dump(args.dump, variant=args.variant)
        print(f"wrote {args.dump}")
        return EXIT_OK
    try:
        serve_forever(port=args.port, variant=args.variant)
    except OSError as exc:  # the port is taken (or not ours to bind)
        print(explain(exc, f"127.0.0.1:{args.port}"), file=sys.stderr)
        return EXIT_FATAL
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
