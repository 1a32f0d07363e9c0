"""The stages `clean`, `run` and `demo` share: clean into OUT, read the crawl's stats, write the report."""

from __future__ import annotations

import argparse
import io
import json
from pathlib import Path

from pressroom.exitcodes import EXIT_NOTHING, EXIT_OK, EXIT_PARTIAL


def clean_options(args: argparse.Namespace):
    """The CleanOptions --config / --profile / --site made (pressroom.config), else the defaults."""
    from cleaning.core.options import CleanOptions

    return getattr(args, "clean_options", None) or CleanOptions(
        site=getattr(args, "site", None), include=tuple(getattr(args, "include", None) or ()),
        exclude=tuple(getattr(args, "exclude", None) or ()))


def save_failed_run(stats, args: argparse.Namespace, inputs: list[str], exc: BaseException) -> None:
    """A fatal error still leaves its stats (with the error) in OUT/reports/, when the disk allows."""
    stats.error("(run)", "fatal", f"{type(exc).__name__}: {exc}")
    try:
        stats.save(Path(args.out) / "reports" / "clean-stats.json", {"inputs": [str(i) for i in inputs],
                                                                     "fatal": True})
    except OSError:
        pass


def clean_into(args: argparse.Namespace, inputs: list[str]):
    """Clean `inputs` into args.out: (articles path or None, Stats); stats saved even on a fatal error."""
    from cleaning.pipeline import run_clean
    from cleaning.core.stats import Stats
    from pressroom.progress import StepProgress

    progress = StepProgress(quiet=args.quiet, verbose=args.verbose)
    stats = Stats()
    try:
        return run_clean(inputs, args.out, clean_options(args), stats=stats, engine=getattr(args, "engine", "local"),
                         workers=getattr(args, "workers", None), scheduler=getattr(args, "scheduler", None),
                         progress=progress)
    except Exception as exc:
        save_failed_run(stats, args, inputs, exc)
        raise
    finally:
        progress.close()


def clean_exit_code(path: Path | None, stats) -> int:
    if path is None:
        return EXIT_NOTHING
    return EXIT_PARTIAL if stats.errors else EXIT_OK


def read_crawl_stats(out: Path) -> dict | None:
    try:
        return json.loads((Path(out) / "reports" / "crawl-stats.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write_report_quietly(out: Path) -> Path | None:
    """OUT/reports/report.html, or None when it could not be written (the run summary then says how)."""
    from pressroom.report import REPORT_NAME, write_report

    return Path(out) / "reports" / REPORT_NAME if write_report(out, file=io.StringIO()) == EXIT_OK else None
