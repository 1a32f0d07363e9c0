"""The `pressroom` console script: one subcommand per job (exit codes: pressroom.exitcodes)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pressroom import commands
from pressroom.exitcodes import EXIT_INTERRUPTED


def _add_out(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", type=Path, default=Path("data"), help="output root (default: data/)")


def _add_verbosity(p: argparse.ArgumentParser) -> None:
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bars, errors only")
    p.add_argument("-v", "--verbose", action="store_true", help="debug logging")


def _add_crawl_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("urls", nargs="*", help="site roots, listing pages, feed or sitemap URLs")
    p.add_argument("--profile", type=Path, help="site profile (TOML)")
    p.add_argument("--max-pages", type=int, default=None, help="stop after this many pages")
    p.add_argument("--fast", action="store_true", help="no throttling (local or permitted hosts only)")
    p.add_argument("--all-pages", action="store_true", help="store every page, not only releases")
    p.add_argument("--since", help="skip releases published before this date (YYYY-MM-DD)")
    p.add_argument("--until", help="skip releases published after this date (YYYY-MM-DD)")
    p.add_argument("--resume", action="store_true", help="resume an interrupted crawl (JOBDIR under OUT)")
    p.add_argument("--warc", type=Path, help="also write request/response records to this WARC file")
    p.add_argument("--redis", help="share the frontier through scrapy-redis, e.g. redis://host:6379/0")


def _add_clean_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--site", help="site for inputs without URLs (text dumps)")
    p.add_argument("--engine", choices=["local", "dask"], default="local", help="where cleaning runs")
    p.add_argument("--workers", type=int, default=None, help="local worker processes (default: cores)")
    p.add_argument("--scheduler", help="Dask scheduler address, e.g. tcp://host:8786 (default: LocalCluster)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pressroom", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("crawl", help="crawl press releases into OUT/raw/", description="Crawl press releases into OUT/raw/.")
    _add_crawl_args(p); _add_out(p); _add_verbosity(p)

    p = sub.add_parser("clean", help="clean raw Parquet / HTML / WARC / JSONL / text dumps into OUT/articles/",
                       description="Clean inputs (raw Parquet, HTML folders, WARC, JSONL, text dumps) into OUT/articles/.")
    p.add_argument("inputs", nargs="+", help="files or folders")
    _add_clean_args(p); _add_out(p); _add_verbosity(p)

    p = sub.add_parser("run", help="crawl, then clean what was crawled", description="Crawl, then clean.")
    _add_crawl_args(p); _add_clean_args(p); _add_out(p); _add_verbosity(p)

    p = sub.add_parser("demo", help="serve the bundled sample press site, crawl it, clean it, summarise",
                       description="Serve the bundled sample press site on 127.0.0.1, crawl, clean, summarise. "
                                   "Each run starts afresh in its own folder (default: data/demo/).")
    p.add_argument("--out", type=Path, default=Path("data/demo"), help="output root (default: data/demo/)")
    _add_verbosity(p)

    p = sub.add_parser("serve-sample", help="serve the bundled sample press site on 127.0.0.1",
                       description="Serve the bundled sample press site on 127.0.0.1 until interrupted.")
    p.add_argument("--port", type=int, default=0, help="port (default: a free one)")
    p.add_argument("--variant", default="default", help="site variant (default, traps)")
    p.add_argument("--dump", type=Path, help="instead of serving, write a text dump of the releases here")

    p = sub.add_parser("boilerplate", help="list the top stripped blocks per site", description="List the top stripped blocks per site.")
    p.add_argument("dir", type=Path, nargs="?", default=Path("data"))
    p.add_argument("--top", type=int, default=10)

    p = sub.add_parser("dedup", help="report duplicate clusters", description="Report duplicate clusters in an articles dataset.")
    p.add_argument("dir", type=Path, nargs="?", default=Path("data"))
    p.add_argument("--top", type=int, default=10)

    p = sub.add_parser("report", help="write an HTML report and print a summary", description="Write a self-contained HTML report of OUT and print a summary.")
    p.add_argument("dir", type=Path, nargs="?", default=Path("data"))
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handler = getattr(commands, "cmd_" + args.command.replace("-", "_"))
    try:
        return handler(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
