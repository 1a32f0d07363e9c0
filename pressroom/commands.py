"""Thin handlers behind each `pressroom` subcommand; the work lives in scraper/ and cleaning/."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pressroom.console import print_run_summary, save_run_time
from pressroom.errors import UsageError, explain
from pressroom.exitcodes import EXIT_FATAL, EXIT_OK, EXIT_PARTIAL, EXIT_USAGE
from pressroom.preflight import check_dataset, check_inputs, check_out
from pressroom.stages import clean_exit_code, clean_into, read_crawl_stats, write_report_quietly


def listed(files: list[str], command: str, what: str) -> list[str]:
    """The entries of `-i FILE` lists: one a line, blank lines and `#` comments left out; `-` is stdin."""
    entries: list[str] = []
    if files.count("-") > 1:
        raise UsageError(f"pressroom {command}: -i - given twice: standard input can be read once")
    for name in files:
        try:
            text = sys.stdin.read() if name == "-" else Path(name).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"pressroom {command}: -i {name}: cannot read this list of {what} "
                             f"({exc.strerror if isinstance(exc, OSError) else 'not UTF-8 text'})") from None
        entries += [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    return entries


def clean_inputs(args: argparse.Namespace) -> list[str]:
    """The inputs of `pressroom clean`: the arguments, then the entries of each -i list."""
    inputs = [*args.inputs, *listed(args.input_lists, args.command, "inputs")]
    if not inputs:
        raise UsageError(f"pressroom {args.command}: give at least one input (a file, a folder, - for standard "
                         "input) or -i FILE with a list of them")
    if inputs.count("-") > 1 or ("-" in inputs and "-" in args.input_lists):
        raise UsageError(f"pressroom {args.command}: standard input can be read once: give - once, "
                         "as an input or as -i -")
    return inputs


def cmd_clean(args: argparse.Namespace) -> int:
    import time

    args.inputs = clean_inputs(args)
    check_inputs(args.inputs, args.command)
    check_out(args.out, args.command)
    check_dataset(args.out)
    started = time.monotonic()
    path, stats = clean_into(args, args.inputs)
    seconds = time.monotonic() - started
    save_run_time(args.out, "clean", seconds)
    print_run_summary(args.out, path, stats, seconds=seconds, verbose=args.verbose)
    return clean_exit_code(path, stats)


def cmd_crawl(args: argparse.Namespace) -> int:
    from pressroom.crawl import run_crawl

    args.urls = [*args.urls, *listed(args.input_lists, args.command, "URLs")]
    args.input_lists = []  # read once: `run` calls this before cleaning
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
    seconds = time.monotonic() - started
    save_run_time(args.out, "run", seconds)  # before the report, which shows it
    report = write_report_quietly(args.out) if path is not None else None
    print_run_summary(args.out, path, stats, crawl_stats=read_crawl_stats(args.out), report=report,
                      seconds=seconds, verbose=args.verbose)
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


def cmd_export(args: argparse.Namespace) -> int:
    from pressroom.export import export, format_for

    return export(args.dir, format_for(args.output, args.format), args.table, args.output, quiet=args.quiet)
