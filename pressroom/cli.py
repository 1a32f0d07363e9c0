"""The `pressroom` console script: one subcommand per job (exit codes: pressroom.exitcodes)."""

from __future__ import annotations

import argparse
import logging
import os
import re
import signal
import sys
import traceback
from datetime import date
from pathlib import Path

from pressroom import commands
from pressroom.console import say_error
from pressroom.errors import UsageError, explain
from pressroom.exitcodes import EXIT_BROKEN_PIPE, EXIT_FATAL, EXIT_INTERRUPTED, EXIT_USAGE


class Parser(argparse.ArgumentParser):
    """argparse with one explained line per usage error (exit 2), instead of the usage block."""

    def error(self, message: str):
        print(explain(UsageError(f"{self.prog}: {message} (see {self.prog} --help)")), file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def iso_date(value: str) -> str:
    try:
        date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date: use YYYY-MM-DD, e.g. 2025-01-31") from None
    if len(value) != 10:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date: use YYYY-MM-DD, e.g. 2025-01-31")
    return value


def positive_int(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"{value} must be 1 or more")
    return n


def port_number(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a port number") from None
    if not 0 <= n <= 65535:
        raise argparse.ArgumentTypeError(f"{value} is not a port number (0-65535; 0 picks a free one)")
    return n


def scrapy_setting(value: str) -> tuple[str, str]:
    key, sep, setting = value.partition("=")
    if not sep or not re.fullmatch(r"[A-Z][A-Z0-9_]*", key.strip()):
        raise argparse.ArgumentTypeError(f"{value!r} is not KEY=VALUE with a Scrapy setting name, "
                                         "e.g. -s DOWNLOAD_TIMEOUT=10")
    return key.strip(), setting


def _add_log_file(p: argparse.ArgumentParser) -> None:
    p.add_argument("--log-file", type=Path, metavar="PATH",
                   help="also append the run's log (INFO, DEBUG with -v; the crawl's Scrapy log too) to PATH")


def _add_scrapy_settings(p: argparse.ArgumentParser) -> None:
    p.add_argument("-s", "--set", dest="scrapy_settings", type=scrapy_setting, action="append", default=[],
                   metavar="KEY=VALUE", help="a Scrapy setting for the crawl (repeatable); wins over pressroom's own")


def _add_output_format(p: argparse.ArgumentParser) -> None:
    p.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors")
    p.add_argument("--json", action="store_true", help="print the figures as one JSON object on stdout")


def _add_config(p: argparse.ArgumentParser) -> None:
    p.add_argument("--config", type=Path, metavar="FILE",
                   help="TOML file: [clean] CleanOptions fields, [crawl] Scrapy settings (the command line wins)")


def _add_clean_profile(p: argparse.ArgumentParser) -> None:
    p.add_argument("--profile", metavar="NAME|FILE",
                   help="site profile (a TOML file, or a bundled profile's name): its [clean] knobs apply")


def _add_out(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", type=Path, default=Path("data"), help="output root (default: data/)")


def _add_verbosity(p: argparse.ArgumentParser) -> None:
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bars, errors only")
    p.add_argument("-v", "--verbose", action="store_true", help="debug logging")


def _add_crawl_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("urls", nargs="*", help="site roots, listing pages, feed or sitemap URLs")
    p.add_argument("-i", "--input-list", dest="input_lists", action="append", default=[], metavar="FILE",
                   help="also crawl the URLs listed in FILE, one a line (# comments and blank lines ignored; "
                        "- reads them from standard input); repeatable")
    p.add_argument("--profile", type=Path, help="site profile: a TOML file, or a bundled profile's name")
    p.add_argument("--max-pages", type=positive_int, default=None, help="stop after this many pages")
    p.add_argument("--fast", action="store_true", help="no throttling (local or permitted hosts only)")
    p.add_argument("--all-pages", action="store_true", help="store every page, not only releases")
    p.add_argument("--since", type=iso_date, help="skip releases published before this date (YYYY-MM-DD)")
    p.add_argument("--until", type=iso_date, help="skip releases published after this date (YYYY-MM-DD)")
    p.add_argument("--resume", action="store_true", help="resume an interrupted crawl (JOBDIR under OUT)")
    p.add_argument("--warc", type=Path, help="also write request/response records to this WARC file")
    p.add_argument("--redis", help="share the frontier through scrapy-redis, e.g. redis://host:6379/0")


def _add_input_selection(p: argparse.ArgumentParser) -> None:
    p.add_argument("-i", "--input-list", dest="input_lists", action="append", default=[], metavar="FILE",
                   help="also read the inputs listed in FILE, one path a line (# comments and blank lines "
                        "ignored; - reads the list from standard input); repeatable")
    p.add_argument("--include", action="append", default=[], metavar="GLOB",
                   help="in folders, read only files whose path (relative to the folder) or name matches GLOB, "
                        "e.g. '*.html' or 'news/*'; repeatable")
    p.add_argument("--exclude", action="append", default=[], metavar="GLOB",
                   help="in folders, skip files whose relative path or name matches GLOB (wins over --include); "
                        "repeatable")


def _add_clean_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--site", help="site for inputs without URLs (text dumps)")
    p.add_argument("--engine", choices=["local", "dask"], default="local", help="where cleaning runs")
    p.add_argument("--workers", type=positive_int, default=None, help="local worker processes (default: cores)")
    p.add_argument("--scheduler", help="Dask scheduler address, e.g. tcp://host:8786 (default: LocalCluster)")


COMPLETION_SHELLS = ("bash", "zsh", "tcsh")


class PrintCompletion(argparse.Action):
    """`--print-completion SHELL`: the completion script shtab writes from this parser (imported only here)."""

    def __init__(self, option_strings, dest, **kwargs):
        super().__init__(option_strings, dest, nargs=None, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser, namespace, values, option_string=None):
        import shtab

        _mark_paths(parser, shtab.FILE)
        print(shtab.complete(parser, shell=values))
        parser.exit(0)


def _mark_paths(parser: argparse.ArgumentParser, complete: dict) -> None:
    """Arguments that take paths (type Path, the inputs of clean, a profile) complete file names."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in dict.fromkeys(action.choices.values()):
                _mark_paths(sub, complete)
        elif action.type is Path or action.dest in ("inputs", "profile"):
            action.complete = complete


def build_parser() -> argparse.ArgumentParser:
    from pressroom import __version__

    parser = Parser(prog="pressroom", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"pressroom {__version__}")
    parser.add_argument("--print-completion", action=PrintCompletion, choices=COMPLETION_SHELLS, metavar="SHELL",
                        help="print a tab-completion script for SHELL (bash, zsh, tcsh) and exit, e.g. "
                             "pressroom --print-completion bash > ~/.local/share/bash-completion/completions/pressroom")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("crawl", help="crawl press releases into OUT/raw/", description="Crawl press releases into OUT/raw/.")
    _add_crawl_args(p); _add_scrapy_settings(p); _add_out(p); _add_verbosity(p); _add_log_file(p)
    _add_config(p)

    p = sub.add_parser("clean", help="clean raw Parquet / HTML / WARC / JSONL / text dumps into OUT/articles/",
                       description="Clean inputs (raw Parquet, HTML folders, WARC, JSONL, text dumps) into OUT/articles/.")
    p.add_argument("inputs", nargs="*", metavar="INPUT",
                   help="files or folders (folders are walked; assets, feeds, sitemaps and robots.txt in them are "
                        "counted and skipped); - reads one input (HTML, JSONL, WARC, ...) from standard input")
    _add_input_selection(p)
    p.add_argument("--all-pages", action="store_true",
                   help="keep pages that are not releases (listings, attachments, legal pages) as records too")
    _add_clean_args(p); _add_out(p); _add_verbosity(p); _add_log_file(p)
    _add_config(p); _add_clean_profile(p)

    p = sub.add_parser("run", help="crawl, then clean what was crawled", description="Crawl, then clean.")
    _add_crawl_args(p); _add_scrapy_settings(p); _add_clean_args(p); _add_out(p); _add_verbosity(p)
    _add_log_file(p)
    _add_config(p)

    p = sub.add_parser("demo", help="serve the bundled sample press site, crawl it, clean it, summarise",
                       description="Serve the bundled sample press site on 127.0.0.1, crawl, clean, summarise. "
                                   "Each run starts afresh in its own folder (default: data/demo/).")
    p.add_argument("--out", type=Path, default=Path("data/demo"), help="output root (default: data/demo/)")
    _add_verbosity(p); _add_log_file(p)

    p = sub.add_parser("serve-sample", help="serve the bundled sample press site on 127.0.0.1",
                       description="Serve the bundled sample press site on 127.0.0.1 until interrupted.")
    p.add_argument("--port", type=port_number, default=0, help="port (default: a free one)")
    p.add_argument("--variant", choices=["default", "traps"], default="default", help="site variant")
    p.add_argument("--dump", type=Path, help="instead of serving, write a text dump of the releases here")

    p = sub.add_parser("boilerplate", help="list the top stripped blocks per site", description="List the top stripped blocks per site.")
    p.add_argument("dir", type=Path, nargs="?", default=Path("data"), help="the --out folder of a run (default: data/)")
    p.add_argument("--top", type=positive_int, default=10, help="how many to list (default: 10)")
    _add_output_format(p)

    p = sub.add_parser("dedup", help="report duplicate clusters", description="Report duplicate clusters in an articles dataset.")
    p.add_argument("dir", type=Path, nargs="?", default=Path("data"), help="the --out folder of a run (default: data/)")
    p.add_argument("--top", type=positive_int, default=10, help="how many to list (default: 10)")
    _add_output_format(p)

    p = sub.add_parser("report", help="write an HTML report and print a summary", description="Write a self-contained HTML report of OUT and print a summary.")
    p.add_argument("dir", type=Path, nargs="?", default=Path("data"), help="the --out folder of a run (default: data/)")
    _add_output_format(p)
    _add_export_parser(sub)
    return parser


def _add_export_parser(sub) -> None:
    from pressroom.export import FORMATS, TABLES

    p = sub.add_parser(
        "export", help="write a table of a run as JSON lines or CSV (streamed from the Parquet)",
        description="Write the articles (or boilerplate) table of a run as JSON lines or CSV, streamed from the "
                    "Parquet batch by batch. JSON lines keep nested columns (quotes, paragraphs) nested; CSV puts "
                    "them in their cell as JSON. Timestamps are ISO 8601. An output file is written whole or not "
                    "at all.",
        epilog="examples: pressroom export data -o articles.jsonl;  pressroom export data --format csv "
               "--table boilerplate > boilerplate.csv")
    p.add_argument("dir", type=Path, nargs="?", default=Path("data"),
                   help="the --out folder of a run, or a table's own folder (default: data/)")
    p.add_argument("--format", choices=FORMATS, default=None,
                   help="jsonl (one JSON object per row) or csv (default: from the -o suffix, else jsonl)")
    p.add_argument("--table", choices=TABLES, default="articles",
                   help="articles (one row per release, the default) or boilerplate (every stripped block)")
    p.add_argument("-o", "--output", type=Path, default=None, metavar="FILE",
                   help="write to FILE (atomically: temp file, then rename) instead of stdout; - is stdout")
    p.add_argument("-q", "--quiet", action="store_true", help="no closing line on stderr, errors only")


def check_args(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """Checks across options, before any work starts."""
    since, until = getattr(args, "since", None), getattr(args, "until", None)
    if since and until and since > until:
        problem = UsageError(f"pressroom {args.command}: --since {since} is after --until {until}, so no release "
                             "could match — swap them")
        print(explain(problem), file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def _apply_config(args: argparse.Namespace) -> None:
    """--config and --profile, read and checked before any work (a bad key is a usage error, exit 2)."""
    if args.command in ("crawl", "clean", "run"):
        from pressroom.config import apply_config

        apply_config(args)


def _terminated(signum, frame):
    raise KeyboardInterrupt  # SIGTERM ends a job as Ctrl-C does: cleanly, exit 130


def _silence_stdout() -> None:
    """After a broken pipe: point stdout at /dev/null, so the interpreter's last flush cannot fail too."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def _in_main_thread() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()


def _fallback_subject(exc: BaseException, args: argparse.Namespace) -> str | None:
    """The file the exception names, else the output folder the command was writing."""
    from pressroom.errors import diagnose

    if diagnose(exc).subject:
        return None
    out = getattr(args, "out", None)
    return str(out) if out is not None else None


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    check_args(parser, args)
    handler = getattr(commands, "cmd_" + args.command.replace("-", "_"))
    if getattr(args, "log_file", None):
        from pressroom.console import open_log_file

        open_log_file(args.log_file, verbose=args.verbose, argv=sys.argv[1:] if argv is None else argv)
    previous = signal.signal(signal.SIGTERM, _terminated) if _in_main_thread() else None
    try:
        _apply_config(args)
        code = handler(args)
        sys.stdout.flush()  # a closed pipe shows here, not in the interpreter's exit
        logging.getLogger("pressroom").info("exit %d", code)
        return code
    except KeyboardInterrupt:
        say_error("interrupted")
        return EXIT_INTERRUPTED
    except BrokenPipeError as exc:
        _silence_stdout()
        say_error(explain(exc))
        return EXIT_BROKEN_PIPE
    except UsageError as exc:
        say_error(explain(exc))
        return EXIT_USAGE
    except Exception as exc:  # noqa: BLE001 - a fatal error is one line, never a traceback
        if getattr(args, "verbose", False):
            traceback.print_exc()
        say_error(explain(exc, _fallback_subject(exc, args)))
        return EXIT_FATAL
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


if __name__ == "__main__":
    sys.exit(main())
