"""What people see in the terminal: the one run summary, plain-English counts, one line per error.

`print_run_summary` is the closing summary of every command that cleans (`demo`, `run`,
`clean`): figures come from the run's Stats and the crawl's stats, and what the dataset holds is
read back from it. Every line printed here also goes to the `--log-file`, when there is one.
"""

from __future__ import annotations

import logging
import sys
from collections import Counter
from pathlib import Path

log = logging.getLogger("pressroom")
log.addHandler(logging.NullHandler())  # without --log-file these lines are printed once, never by logging's last resort


def plural(n: int, word: str, words: str | None = None) -> str:
    """`1 record`, `2 records`, `1 copy`, `3 copies` (thousands separated)."""
    return f"{n:,} {word if n == 1 else (words or word + 's')}"


def say(line: str = "", file=None) -> None:
    print(line, file=file or sys.stdout)  # looked up at call time: sys.stdout may be swapped (tests, pipes)
    if line:
        log.info(line)


def say_error(line: str) -> None:
    print(line, file=sys.stderr)
    log.error(line)


def open_log_file(path: Path, verbose: bool = False, argv: list[str] | None = None) -> None:
    """Append this run's log to PATH (the crawl's Scrapy child appends to the same file)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(path, mode="a", encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s [%(name)s] %(levelname)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    level = logging.DEBUG if verbose else logging.INFO
    root.setLevel(min(root.level or logging.WARNING, level))
    log.setLevel(level)
    from pressroom import __version__

    log.info("pressroom %s: %s", __version__, " ".join(argv or []))


def dataset_figures(out: Path) -> dict:
    """What the written dataset holds, read back from it: releases, languages, quotes, removed blocks."""
    import pyarrow.dataset as ds

    table = ds.dataset(Path(out) / "articles", format="parquet", partitioning="hive").to_table(
        columns=["lang", "quotes", "removed", "dup_of"])
    kept = [d is None for d in table.column("dup_of").to_pylist()]
    langs = Counter(lang for lang, k in zip(table.column("lang").to_pylist(), kept) if k)
    quotes = sum(len(q or []) for q, k in zip(table.column("quotes").to_pylist(), kept) if k)
    removed = sum(len(r or []) for r in table.column("removed").to_pylist())
    return {"releases": sum(kept), "duplicates": table.num_rows - sum(kept),
            "languages": dict(sorted(langs.items(), key=str)), "quotes": quotes, "removed": removed}


def records_line(stats) -> str:
    """This run's records against the dataset: new, changed, unchanged (never "wrote" what was already there)."""
    new, changed, same = stats["write/rows_new"], stats["write/rows_changed"], stats["write/rows_unchanged"]
    total = new + changed + same
    if total and not new and not changed:
        return f"{plural(total, 'record')}, all unchanged: nothing to rewrite"
    return f"{plural(total, 'record')}: {new:,} new, {changed:,} changed, {same:,} unchanged"


def _row(label: str, value) -> str:
    return f"{label:<24} {value}"


_SKIPPED = (("read/skipped_assets", "assets"), ("read/skipped_not_pages", "feeds, sitemaps, robots.txt"),
            ("read/skipped_binary", "binary under a page name"), ("read/skipped_unknown", "not pages"),
            ("read/skipped_excluded", "--include/--exclude"))


def skipped_files_line(stats) -> str | None:
    """The files input folders held that were no pages, in one line ("14 (assets 12, ...)"), or None."""
    parts = [(stats[key], name) for key, name in _SKIPPED if stats[key]]
    if not parts:
        return None
    return f"{sum(n for n, _ in parts):,} in folders (" + ", ".join(f"{name} {n:,}" for n, name in parts) + ")"


def print_run_summary(out: Path, path: Path | None, stats, *, crawl_stats: dict | None = None,
                      report: Path | None = None, seconds: float | None = None, verbose: bool = False,
                      file=None) -> None:
    """The closing summary of demo, run and clean; the errors go to stderr, one explained line each
    (with --verbose, followed by the traceback the run kept in reports/clean-stats.json)."""
    from pressroom.errors import explain

    out = Path(out)
    lines = [""]
    if crawl_stats is not None:
        lines.append(_row("pages fetched", f"{crawl_stats.get('pressroom/pages_fetched', 0):,}"))
    if path is None:
        lines.append("no records were produced")
    else:
        figures = dataset_figures(out)
        langs = ", ".join(f"{k}: {v}" for k, v in figures["languages"].items())
        dups = f", {figures['duplicates']} duplicates marked" if figures["duplicates"] else ""
        lines += [
            _row("this run", records_line(stats)),
            _row("releases", f"{figures['releases']}  ({langs}{dups})"),
            _row("quotes", f"{figures['quotes']:,}"),
            _row("boilerplate removed", plural(figures["removed"], "block")),
        ]
        if (out / "raw").is_dir():
            lines.append(_row("raw table", out / "raw"))
        lines.append(_row("articles table", path))
        lines.append(_row("report", report if report is not None else f"run `pressroom report {out}` to write one"))
    skipped = skipped_files_line(stats)
    if skipped:
        lines.append(_row("files skipped", skipped))
    if stats.errors:
        lines.append(_row("inputs with errors", f"{len(stats.errors):,} (one line each on stderr)"))
    if seconds is not None:
        lines.append(_row("took", f"{seconds:.1f} s"))
    if path is not None:
        lines += ["", "load it:",
                  f'  pandas:  pd.read_parquet("{out}/articles")',
                  f'  polars:  pl.read_parquet("{out}/articles/**/*.parquet", hive_partitioning=True)',
                  f"  duckdb:  duckdb.sql(\"SELECT * FROM read_parquet('{out}/articles/**/*.parquet', "
                  "hive_partitioning=true)\")"]
    for line in lines:
        say(line, file)
    for err in stats.errors:
        say_error(explain(err))
        if verbose and err.get("traceback"):
            say_error("  " + err["traceback"].rstrip().replace("\n", "\n  "))
