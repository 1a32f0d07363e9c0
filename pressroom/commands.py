"""Thin handlers behind each `pressroom` subcommand; the work lives in scraper/ and cleaning/."""

from __future__ import annotations

import argparse
import sys

from pressroom.console import print_run_summary
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


def clean_into(args: argparse.Namespace, inputs: list[str]):
    """The clean stage of clean, run and demo: (articles path or None, Stats); stats saved even on a fatal error."""
    from cleaning.pipeline import run_clean
    from cleaning.stats import Stats
    from pressroom.progress import StepProgress

    progress = StepProgress(quiet=args.quiet, verbose=args.verbose)
    stats = Stats()
    try:
        return run_clean(inputs, args.out, _clean_options(args), stats=stats, engine=getattr(args, "engine", "local"),
                         workers=getattr(args, "workers", None), scheduler=getattr(args, "scheduler", None),
                         progress=progress)
    except Exception as exc:
        _save_failed_run(stats, args, exc)
        raise
    finally:
        progress.close()


def clean_exit_code(path, stats) -> int:
    if path is None:
        return EXIT_NOTHING
    return EXIT_PARTIAL if stats.errors else EXIT_OK


def read_crawl_stats(out) -> dict | None:
    import json
    from pathlib import Path

    target = Path(out) / "reports" / "crawl-stats.json"
    try:
        return json.loads(target.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write_report_quietly(out):
    """OUT/reports/report.html, or None when it could not be written (the run summary says so)."""
    import io
    from pathlib import Path

    from pressroom.report import REPORT_NAME, write_report

    return Path(out) / "reports" / REPORT_NAME if write_report(out, file=io.StringIO()) == EXIT_OK else None


def cmd_clean(args: argparse.Namespace) -> int:
    import time

    check_inputs(args.inputs, args.command)
    check_out(args.out, args.command)
    check_dataset(args.out)
    started = time.monotonic()
    path, stats = clean_into(args, args.inputs)
    print_run_summary(args.out, path, stats, seconds=time.monotonic() - started)
    return clean_exit_code(path, stats)


def cmd_crawl(args: argparse.Namespace) -> int:
    from pressroom.crawl import run_crawl

    if not args.urls and not args.profile:
        print("pressroom crawl: give at least one URL or --profile", file=sys.stderr)
        return EXIT_USAGE
    check_out(args.out, args.command)
    return run_crawl(args)


def cmd_run(args: argparse.Namespace) -> int:
    import time

    check_out(args.out, args.command)
    check_dataset(args.out)  # before the crawl: the clean after it would stop on it
    started = time.monotonic()
    code = cmd_crawl(args)
    if code not in (EXIT_OK, EXIT_PARTIAL):
        return code
    path, stats = clean_into(args, [str(args.out / "raw")])
    report = write_report_quietly(args.out) if path is not None else None
    print_run_summary(args.out, path, stats, crawl_stats=read_crawl_stats(args.out), report=report,
                      seconds=time.monotonic() - started)
    return clean_exit_code(path, stats)


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

    return print_boilerplate(args.dir, top=args.top, quiet=args.quiet, as_json=args.json)


def cmd_dedup(args: argparse.Namespace) -> int:
    from pressroom.inspect_dedup import print_dedup_clusters

    return print_dedup_clusters(args.dir, top=args.top, quiet=args.quiet, as_json=args.json)


def cmd_report(args: argparse.Namespace) -> int:
    from pressroom.report import write_report

    return write_report(args.dir, quiet=args.quiet, as_json=args.json)
