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

    return table_figures(ds.dataset(Path(out) / "articles", format="parquet", partitioning="hive").to_table(
        columns=["lang", "quotes", "removed", "dup_of"]))


def table_figures(table) -> dict:
    """The summary's figures of an articles table (the run summary and the report count alike):
    releases are the rows not marked as another's duplicate; languages and quotes count those."""
    column = lambda name: table.column(name).to_pylist() if name in table.column_names else [None] * table.num_rows  # noqa: E731
    kept = [d is None for d in column("dup_of")]
    langs = Counter(lang or "unknown" for lang, k in zip(column("lang"), kept) if k)  # never "None: 1"
    quotes = sum(len(q or []) for q, k in zip(column("quotes"), kept) if k)
    removed = sum(len(r or []) for r in column("removed"))
    return {"rows": table.num_rows, "releases": sum(kept), "duplicates": table.num_rows - sum(kept),
            "languages": dict(sorted(langs.items(), key=str)), "quotes": quotes, "removed": removed}


def loader_lines(out: Path) -> list[str]:
    """How to load OUT/articles in pandas, polars and DuckDB, and where the quotes are (the summary and the report show the same)."""
    return [f'pandas:  pd.read_parquet("{out}/articles")',
            f'polars:  pl.read_parquet("{out}/articles/**/*.parquet", hive_partitioning=True)',
            f"duckdb:  duckdb.sql(\"SELECT * FROM read_parquet('{out}/articles/**/*.parquet', "
            "hive_partitioning=true)\")",
            f'quotes:  pd.read_parquet("{out}/quotes")  (one row per quote, same folders)']


def records_line(stats) -> str:
    """This run's records against the dataset: new, changed, unchanged (never "wrote" what was already there)."""
    new, changed, same = stats["write/rows_new"], stats["write/rows_changed"], stats["write/rows_unchanged"]
    total = new + changed + same
    if total and not new and not changed:
        return f"{plural(total, 'record')}, all unchanged: nothing to rewrite"
    return f"{plural(total, 'record')}: {new:,} new, {changed:,} changed, {same:,} unchanged"


def crawl_lines(crawl_stats: dict) -> list[str]:
    """The crawl's figures, each named for what it counts: the pages the spider fetched (its own
    robots.txt, feeds, sitemaps, listings and pages); every HTTP response, which adds the robots.txt
    checks Scrapy makes on its own (what the crawl's progress line counts); the release pages this
    crawl stored in raw/."""
    fetched = crawl_stats.get("pressroom/pages_fetched", 0)
    responses = crawl_stats.get("response_received_count", fetched)
    lines = [_row("pages fetched", f"{fetched:,}")]
    if responses != fetched:
        lines.append(_row("HTTP responses", f"{responses:,}  (the pages and Scrapy's own robots.txt checks)"))
    lines.append(_row("release pages stored", f"{crawl_stats.get('pressroom/stored', 0):,}"))
    return lines


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


def set_aside_line(stats) -> str | None:
    """Pages read but not written whole: not releases (by reason), cut by size or depth; or None."""
    parts = []
    if stats["classify/not_a_release"]:
        reasons = sorted(((k.rsplit("/", 1)[1], n) for k, n in stats.counts.items()
                          if k.startswith("classify/not_a_release/") and n), key=lambda kv: (-kv[1], kv[0]))
        parts.append(f"{plural(stats['classify/not_a_release'], 'page')} not releases ("
                     + ", ".join(f"{k} {n:,}" for k, n in reasons) + "; --all-pages keeps them)")
    for key, what in (("extract/truncated", "cut to the size cap"), ("extract/depth_capped", "cut too deep")):
        if stats[key]:
            parts.append(f"{plural(stats[key], 'page')} {what}")
    return "; ".join(parts) or None


RUN_FILE = "run.json"  # how long the command took, read back by the report


def save_run_time(out: Path, command: str, seconds: float) -> None:
    """OUT/reports/run.json: the command and how long it took (the summary's "took" and the report's
    "Run time" say the same). A disk that refuses it costs only this figure."""
    import json
    from datetime import datetime, timezone

    from cleaning.io.atomic import atomic_write_text

    record = {"command": command, "seconds": round(seconds, 1),
              "finished_at": datetime.now(timezone.utc).isoformat(timespec="seconds")}
    try:
        atomic_write_text(Path(out) / "reports" / RUN_FILE, json.dumps(record) + "\n")
    except OSError:
        pass


def print_run_summary(out: Path, path: Path | None, stats, *, crawl_stats: dict | None = None,
                      report: Path | None = None, seconds: float | None = None, verbose: bool = False,
                      file=None) -> None:
    """The closing summary of demo, run and clean; the errors go to stderr, one explained line each
    (with --verbose, followed by the traceback the run kept in reports/clean-stats.json)."""
    from pressroom.errors import explain

    out = Path(out)
    lines = [""]
    if crawl_stats is not None:
        lines += crawl_lines(crawl_stats)
    if path is None:
        lines.append("no records were produced")
    else:
        figures = dataset_figures(out)
        detail = [", ".join(f"{k}: {v}" for k, v in figures["languages"].items())]
        if figures["duplicates"]:
            detail.append(plural(figures["duplicates"], "duplicate") + " marked")
        detail = ", ".join(d for d in detail if d)
        lines += [
            _row("this run", records_line(stats)),
            _row("releases", f"{figures['releases']:,}" + (f"  ({detail})" if detail else "")),
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
    set_aside = set_aside_line(stats)
    if set_aside:
        lines.append(_row("pages set aside", set_aside))
    if stats.errors:
        lines.append(_row("inputs with errors", f"{len(stats.errors):,} (one line each on stderr)"))
    if seconds is not None:
        lines.append(_row("took", f"{seconds:.1f} s"))
    if path is not None:
        lines += ["", "load it:", *("  " + line for line in loader_lines(out))]
    for line in lines:
        say(line, file)
    for err in stats.errors:
        say_error(explain(err))
        if verbose and err.get("traceback"):
            say_error("  " + err["traceback"].rstrip().replace("\n", "\n  "))
