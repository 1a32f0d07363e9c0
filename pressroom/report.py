"""`pressroom report DIR`: one self-contained HTML page about a run, and a terminal summary.

Reads whatever the run left under DIR — articles/ (hive-partitioned or flat Parquet),
raw/, boilerplate/, reports/*.json (Stats files, crawl stats, settings) — and writes
DIR/reports/report.html: tables plus inline SVG plots drawn by matplotlib (Agg), no
scripts, no network. A missing or unreadable table only makes its sections say
"not available"; the report is still written.
"""

from __future__ import annotations

import html
import io
import statistics
import json
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from pressroom.exitcodes import EXIT_NOTHING, EXIT_OK
from pressroom.console import RUN_FILE, loader_lines, plural, table_figures
from pressroom.errors import OTHER, classify, explain

REPORT_NAME = "report.html"
TOP = 10
TEXT_CLIP = 160
ARTICLE_COLUMNS = ("doc_id", "url", "site", "title", "published_at", "published_precision", "date_source", "lang",
                   "word_count", "quotes", "dup_of", "dup_cluster", "content_hash", "canonical_url", "removed", "input", "flags",
                   "quality_flags")
RELEASE_LIST_MAX = 2000  # rows of the browsable list of releases (the Parquet holds them all)
RAW_COLUMNS = ("url", "status", "discovered_via", "is_release")


# ------------------------------------------------------------------ reading


@dataclass
class RunData:
    """Everything the report shows, each table None (with the reason) when absent."""

    out_dir: Path
    articles: pa.Table | None = None
    raw: pa.Table | None = None
    boilerplate: pa.Table | None = None
    stats_files: dict[str, dict] = field(default_factory=dict)
    missing: dict[str, str] = field(default_factory=dict)  # table -> why it is not available


def hive_partitioning(path: Path, schema: pa.Schema | None):
    """Hive partitioning typed like the table's own columns (`year=2024` is int16, not inferred int32)."""
    import pyarrow.dataset as ds

    keys: list[str] = []
    for folder in sorted(p for p in path.rglob("*=*") if p.is_dir()):
        key = folder.name.split("=", 1)[0]
        if key not in keys:
            keys.append(key)
    if not keys:
        return None
    known = schema.names if schema is not None else []
    return ds.partitioning(pa.schema([schema.field(k) if k in known else pa.field(k, pa.string()) for k in keys]),
                           flavor="hive")


def read_table(path: Path, columns: tuple[str, ...]) -> pa.Table:
    """The columns (of those wanted) a Parquet dataset has, hive partitions included when present."""
    import pyarrow.dataset as ds

    from cleaning.core.schema import TABLES

    if not path.exists():
        raise FileNotFoundError(f"no {path.name}/ folder in {path.parent}")
    try:
        dataset = ds.dataset(path, format="parquet", partitioning=hive_partitioning(path, TABLES.get(path.name)))
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # partition keys clashing with file columns
        dataset = ds.dataset(path, format="parquet")
    if not dataset.files:
        raise FileNotFoundError(f"no Parquet files under {path}")
    wanted = [c for c in columns if c in dataset.schema.names]
    return dataset.to_table(columns=wanted)


def read_stats_files(reports_dir: Path) -> dict[str, dict]:
    found: dict[str, dict] = {}
    for path in sorted(reports_dir.glob("*.json")) if reports_dir.is_dir() else []:
        try:
            value = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            found[path.name] = {"errors": [{"input": str(path), "step": "report", "error": f"{type(exc).__name__}: {exc}"}]}
            continue
        if isinstance(value, dict):
            found[path.name] = value
    return found


def load_run(out_dir: Path) -> RunData:
    from cleaning.io.writers import settle_for_reading

    settle_for_reading(out_dir)
    data = RunData(out_dir)
    for name, columns in (("articles", ARTICLE_COLUMNS), ("raw", RAW_COLUMNS),
                          ("boilerplate", ("site", "fingerprint", "text", "doc_count", "site_docs", "reason"))):
        try:
            setattr(data, name, read_table(out_dir / name, columns))
        except Exception as exc:  # noqa: BLE001 - a broken table only blanks its sections
            data.missing[name] = str(exc) if isinstance(exc, FileNotFoundError) else explain(exc, str(out_dir / name))
    data.stats_files = read_stats_files(out_dir / "reports")
    return data


def _has(table: pa.Table | None, *columns: str) -> bool:
    return table is not None and all(c in table.column_names for c in columns)


# ------------------------------------------------------------------ figures


def ranked(counter: Counter) -> list[tuple[str, int]]:
    """Most frequent first, ties by name: the same order on every run."""
    return sorted(counter.items(), key=lambda kv: (-kv[1], str(kv[0])))


def counts(values) -> Counter:
    return Counter(v for v in values if v is not None)


def releases_per_site(articles: pa.Table) -> Counter:
    return counts(articles.column("site").to_pylist())


def releases_per_month(articles: pa.Table) -> Counter:
    col = articles.column("published_at")
    months = pc.strftime(col, format="%Y-%m") if col.null_count < len(col) else pa.nulls(len(col), pa.string())
    return Counter(m if m is not None else "no date" for m in months.to_pylist())


def top_speakers(articles: pa.Table, top: int = TOP) -> list[tuple[str, str, int, int]]:
    """(speaker, person / organisation / unknown, quotes, releases quoting them), most quoted first."""
    per_speaker: Counter = Counter()
    releases: dict[tuple[str, str], set[int]] = {}
    for row, quotes in enumerate(articles.column("quotes").to_pylist()):
        for quote in quotes or []:
            quote = quote or {}
            speaker = quote.get("speaker")
            if speaker and quote.get("kind") != "pull":  # a pull quote repeats a body quote
                key = (speaker, quote.get("speaker_type") or "unknown")
                per_speaker[key] += 1
                releases.setdefault(key, set()).add(row)
    ranked_speakers = sorted(per_speaker.items(), key=lambda kv: (-kv[1], kv[0]))
    return [(s, kind, n, len(releases[(s, kind)])) for (s, kind), n in ranked_speakers[:top]]


REASONS = {  # cleaning.core.schema.Reason, said so that a reader knows what was taken out and why
    "site-boilerplate": "repeated across the site's pages (site model)",
    "contacts": "press-contact block",
    "banner": "donation, newsletter or campaign banner",
    "cookie-notice": "cookie notice",
    "navigation": "menu, header, footer or breadcrumb",
    "teaser": "teaser of another release",
    "title": "the headline, repeated",
    "within-document-repeat": "repeated within the same page (e.g. desktop and mobile copies)",
    "sandwiched": "short line between two removed blocks",
    "pull-quote": "pull quote repeating a body quote",
    "pull-quote-attribution": "attribution under a pull quote",
    "outside-main-content": "outside the page's main content",
    "share-line": "share buttons",
    "feed-footer": "feed footer (\"The post … appeared first on …\")",
    "empty": "empty block",
}

FLAGS = {  # quality flags (the `quality_flags` column, `flags` before schema 1.2)
    "gutted": "the site model would have removed most of the body: the body was kept whole, check it",
    "no-body": "no body paragraph found: a listing, a stub or an empty page",
}


def describe_reason(reason: str | None) -> str:
    return REASONS.get(reason or "", reason or "unknown")


def share_text(doc_count, site_docs) -> str:
    """ "repeated on 68% of the site's pages (48 of 70)"."""
    if not doc_count or not site_docs:
        return "repeated across the site's pages"
    return f"repeated on {100 * doc_count / site_docs:.0f}% of the site's pages ({doc_count:,} of {site_docs:,})"


def flags_column(articles: pa.Table) -> str | None:
    for name in ("quality_flags", "flags"):
        if name in articles.column_names:
            return name
    return None


def kept_rows(articles: pa.Table) -> pa.Table:
    """One row per release: the rows not marked as another's duplicate."""
    if "dup_of" not in articles.column_names:
        return articles
    return articles.filter(pc.is_null(articles.column("dup_of")))


def removed_reasons(articles: pa.Table) -> Counter:
    return counts(r.get("reason") for removed in articles.column("removed").to_pylist() for r in removed or [])


def top_boilerplate(boilerplate: pa.Table, top: int = TOP) -> dict[str, list[dict]]:
    """Per site, the blocks stripped from most documents."""
    per_site: dict[str, list[dict]] = {}
    for row in boilerplate.to_pylist():
        per_site.setdefault(row.get("site") or "(no site)", []).append(row)
    return {site: sorted(rows, key=lambda r: (-(r.get("doc_count") or 0), r.get("text") or ""))[:top]
            for site, rows in sorted(per_site.items())}


def listed_twice(boilerplate: pa.Table) -> dict[str, str]:
    """fingerprint -> why a block's text is listed more than once: the site model keys a block by its
    text *and* its place in the page (the HTML element path), so one line in two layouts (desktop and
    mobile, two templates) is two fingerprints; an odd fingerprint is a template key (same first and
    last words, any middle)."""
    from cleaning.steps.sitemodel import is_pattern_key, normalise

    by_text: dict[tuple, list[dict]] = {}
    for row in boilerplate.to_pylist():
        by_text.setdefault((row.get("site"), normalise(row.get("text") or "")), []).append(row)
    notes: dict[str, str] = {}
    for rows in by_text.values():
        if len(rows) < 2:
            continue
        for row in rows:
            others = [r for r in rows if r is not row]
            try:
                template = is_pattern_key(int(row.get("fingerprint") or "0", 16))
            except ValueError:
                template = False
            what = ("a template key (same first and last words, any middle)" if template
                    else "another place in the page (HTML path)")
            notes[row.get("fingerprint")] = (f"same text as {', '.join(r.get('fingerprint') or '?' for r in others)}, "
                                             f"{what}: counted apart")
    return notes


def duplicate_clusters(articles: pa.Table, top: int = TOP) -> tuple[int, list[dict]]:
    """(documents folded into another, the largest clusters with their kept title, why it was kept, and
    each other member with how it matched: same body, same URL or near-duplicate text)."""
    from pressroom.inspect_dedup import match_kind, why_kept

    names = ("doc_id", "title", "site", "dup_of", "dup_cluster", "published_at", "word_count", "content_hash",
             "url", "canonical_url")
    rows = [{name: row.get(name) for name in names}
            for row in articles.select([c for c in names if c in articles.column_names]).to_pylist()]
    folded = sum(1 for r in rows if r.get("dup_of"))
    by_id = {r["doc_id"]: r for r in rows if r.get("doc_id")}
    clusters: dict[str, list[dict]] = {}
    for r in rows:
        key = r.get("dup_cluster") or r.get("dup_of")
        if key:
            clusters.setdefault(key, []).append(r)
    for key, members in clusters.items():  # the kept document belongs to its own cluster
        if key in by_id and by_id[key] not in members:
            members.insert(0, by_id[key])
    ranked = sorted(clusters.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:top]
    found = []
    for key, members in ranked:
        kept = by_id.get(key)
        others = [m for m in members if m.get("doc_id") != key]
        found.append({"cluster": key, "size": len(members), "kept": (kept or {}).get("title") or key,
                      "why": why_kept(kept, others) if kept else "not in the dataset any more",
                      "members": [m.get("title") or m.get("doc_id") for m in others][:5],
                      "matches": [match_kind(m, kept) if kept else "?" for m in others][:5]})
    return folded, found


def _numeric_items(stats: dict) -> dict[str, float]:
    """Counters of a Stats file ({"counts": {...}}) or a flat Scrapy stats dump."""
    source = stats.get("counts") if isinstance(stats.get("counts"), dict) else stats
    return {k: v for k, v in source.items() if isinstance(v, int | float) and not isinstance(v, bool)}


def _spider_error_label(name: str) -> str:
    """"http_404" -> "HTTP 404"; "timeout" -> "unreachable"; unknown names stay as they are."""
    if m := re.fullmatch(r"http_(\d{3})", name):
        return f"HTTP {m.group(1)}"
    kind = classify(name)
    return name if kind == OTHER else kind


def crawl_errors(data: RunData) -> tuple[Counter, list[str]]:
    """Errors by kind from raw statuses and every stats file, plus a few explained examples.

    The spider's own `pressroom/errors/<kind>` counters, when present, stand for Scrapy's
    generic downloader counters of the same file (one failure is not counted twice), and an
    HTTP status seen both in the raw table and in the stats counts once (the larger figure).
    """
    kinds: Counter = Counter()
    statuses: Counter = Counter()
    examples: list[str] = []
    for name, stats in data.stats_files.items():
        numbers = _numeric_items(stats)
        own = any(k.startswith("pressroom/errors/") for k in numbers)
        for key, value in numbers.items():
            if key.startswith("pressroom/errors/"):  # the spider's own error counters
                label = _spider_error_label(key[len("pressroom/errors/"):])
                (statuses if label.startswith("HTTP ") else kinds)[label] += int(value)
            elif key.startswith("robotstxt/forbidden"):
                kinds["robots.txt"] += int(value)
            elif own:
                continue
            elif key.startswith("downloader/exception_type_count/"):
                kinds[classify(key.rsplit("/", 1)[1])] += int(value)
            elif key.startswith("downloader/response_status_count/"):
                status = key.rsplit("/", 1)[1]
                if status.isdigit() and not 200 <= int(status) < 400:
                    statuses[f"HTTP {status}"] += int(value)
        for err in stats.get("errors") or []:
            if isinstance(err, dict):
                kinds[classify(err)] += 1
                if len(examples) < TOP:
                    examples.append(explain(err))
    if _has(data.raw, "status"):
        for status, n in counts(data.raw.column("status").to_pylist()).items():
            if not 200 <= status < 400:
                statuses[f"HTTP {status}"] = max(statuses[f"HTTP {status}"], n)
    kinds.update(statuses)
    return kinds, examples


def crawl_skipped(data: RunData) -> Counter:
    """Pages the crawler chose not to store, by reason (pressroom/skipped/<reason> counters)."""
    skipped: Counter = Counter()
    for stats in data.stats_files.values():
        for key, value in _numeric_items(stats).items():
            if key.startswith("pressroom/skipped/"):
                skipped[key[len("pressroom/skipped/"):]] += int(value)
    return skipped


def _flatten(value: dict, prefix: str = "") -> list[tuple[str, object]]:
    """{"options": {"site": None}} -> [("options.site", None)]: every setting on its own row, none cut off."""
    pairs: list[tuple[str, object]] = []
    for key, v in sorted(value.items()):
        if isinstance(v, dict) and v:
            pairs += _flatten(v, f"{prefix}{key}.")
        else:
            pairs.append((f"{prefix}{key}", v))
    return pairs


def run_settings(data: RunData) -> dict[str, str]:
    """Settings, options and arguments recorded in reports/*.json, flattened to "file: key"."""
    settings: dict[str, str] = {}
    for name, stats in data.stats_files.items():
        for section in ("settings", "options", "args", "arguments", "config"):
            value = stats.get(section)
            if isinstance(value, dict):
                for key, v in _flatten(value):
                    settings[f"{Path(name).stem}: {key}"] = v if isinstance(v, str) else json.dumps(v, default=str)
        for key in ("start_time", "finish_time", "finish_reason", "elapsed_time_seconds"):
            if key in stats and not isinstance(stats[key], dict | list):
                settings[f"{Path(name).stem}: {key}"] = str(stats[key])
    return settings


# ------------------------------------------------------------------ plots


def _svg(fig) -> str:
    """The figure as an inline <svg> element (text kept as text, no XML prolog)."""
    import matplotlib.pyplot as plt

    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight")
    plt.close(fig)
    svg = buf.getvalue()
    return svg[svg.index("<svg"):]


def _figure(height: float = 3.2):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams["svg.fonttype"] = "none"
    return plt.subplots(figsize=(8, height), dpi=100)


def bar_svg(pairs: list[tuple[str, int]], title: str, horizontal: bool = False, xlabel: str = "") -> str:
    from matplotlib.ticker import MaxNLocator

    labels, values = [str(k) for k, _ in pairs], [v for _, v in pairs]
    fig, ax = _figure(max(1.6, 0.3 * len(pairs) + 1) if horizontal else 3.2)
    if horizontal:
        ax.barh(labels[::-1], values[::-1], color="#3b6ea8", height=0.6)
    else:
        ax.bar(labels, values, color="#3b6ea8")
        if len(labels) > 6:
            ax.tick_params(axis="x", labelrotation=60, labelsize=8)
            for label in ax.get_xticklabels():
                label.set_horizontalalignment("right")
    (ax.xaxis if horizontal else ax.yaxis).set_major_locator(MaxNLocator(integer=True))
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.spines[["top", "right"]].set_visible(False)
    return _svg(fig)


def histogram_svg(values: list[int], title: str, xlabel: str) -> str:

    from matplotlib.ticker import MaxNLocator

    fig, ax = _figure()
    ax.hist(values, bins=min(40, max(5, len(set(values)))), color="#3b6ea8", edgecolor="white")
    median = statistics.median(values)
    ax.axvline(median, color="#c0392b", linestyle="--", label=f"median {median:.0f}")
    ax.legend(frameon=False)
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("releases")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.spines[["top", "right"]].set_visible(False)
    return _svg(fig)


# ------------------------------------------------------------------ sections


@dataclass
class Section:
    title: str
    html: str  # body of the section
    summary: list[str]  # lines for the terminal

    @property
    def anchor(self) -> str:
        return re.sub(r"[^a-z0-9]+", "-", self.title.lower()).strip("-")


def _e(value) -> str:
    return html.escape("" if value is None else str(value))


def _clip(text: str | None, width: int = TEXT_CLIP) -> str:
    text = re.sub(r"\s+", " ", text or "").strip()
    return text if len(text) <= width else text[: width - 1] + "…"


def html_table(header: list[str], rows: list[list]) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{_e(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def not_available(title: str, why: str) -> Section:
    return Section(title, f'<p class="na">not available — {_e(why)}</p>', [f"{title}: not available ({why})"])


def _why(data: RunData, table: str, columns: tuple[str, ...] = ()) -> str | None:
    """Why a section cannot be drawn, or None when it can."""
    if getattr(data, table) is None:
        return data.missing.get(table, f"no {table} table")
    absent = [c for c in columns if c not in getattr(data, table).column_names]
    return f"{table} table has no {', '.join(absent)} column" if absent else None


def _crawl_count(data: RunData, key: str):
    """A figure of the crawl's own stats (the number the crawl and run summaries print), if recorded."""
    crawl = data.stats_files.get("crawl-stats.json") or {}
    return crawl.get(key, "not available")


def section_overview(data: RunData) -> Section:
    figures = table_figures(data.articles) if data.articles is not None else None
    na = "not available"
    rows = [["releases (one per release: dup_of empty)", figures["releases"] if figures else na],
            ["articles rows (duplicates included)", figures["rows"] if figures else na],
            ["quotes in releases", figures["quotes"] if figures else na],
            ["pages fetched (crawl stats)", _crawl_count(data, "pressroom/pages_fetched")],
            ["raw pages stored (all crawls)", data.raw.num_rows if data.raw is not None else na],
            ["boilerplate blocks (site model)", data.boilerplate.num_rows if data.boilerplate is not None else na],
            ["stats files", ", ".join(data.stats_files) or "none"]]
    return Section("Overview", html_table(["what", "count"], rows), [f"{k}: {v}" for k, v in rows])


def _clean_counts(data: RunData) -> dict[str, float]:
    return _numeric_items(data.stats_files.get("clean-stats.json") or {})


def section_funnel(data: RunData) -> Section:
    """From what the crawl fetched to what this run wrote, each step named for what it counts."""
    title = "Crawl funnel"
    crawl = data.stats_files.get("crawl-stats.json")
    clean = _clean_counts(data)
    rows: list[list] = []
    if crawl is not None:
        p = "pressroom/"
        rows += [["HTTP responses (pages and Scrapy's robots.txt checks)", crawl.get("response_received_count", "–")],
                 ["pages fetched by the spider", crawl.get(p + "pages_fetched", "–")],
                 ["release pages among them", crawl.get(p + "pages/release", "–")],
                 ["release pages stored in raw/", crawl.get(p + "stored", "–")],
                 ["… new / changed / unchanged since the last crawl",
                  f"{crawl.get(p + 'new', 0):,} / {crawl.get(p + 'changed', 0):,} / {crawl.get(p + 'unchanged', 0):,}"]]
    if clean:
        rows += [["pages or dump records read by cleaning", clean.get("extract/pages", clean.get("extract/documents", "–"))],
                 ["records written by cleaning", clean.get("write/records", "–")],
                 ["… new / changed / unchanged in the dataset",
                  f"{clean.get('write/rows_new', 0):,} / {clean.get('write/rows_changed', 0):,} / "
                  f"{clean.get('write/rows_unchanged', 0):,}"]]
    if data.articles is not None:
        figures = table_figures(data.articles)
        rows.append(["releases in the dataset (duplicates not counted)", figures["releases"]])
    if not rows:
        return not_available(title, "no crawl-stats.json, clean-stats.json or articles table")
    return Section(title, html_table(["step", "count"], rows), [funnel_line(crawl, clean, data.articles)])


def funnel_line(crawl: dict | None, clean: dict, articles: pa.Table | None) -> str:
    """ "funnel: 103 HTTP responses → 102 pages fetched → 70 release pages → 70 stored (70 new, ...) → ..."."""
    def split(new, changed, same) -> str:
        return f"({new:,} new, {changed:,} changed, {same:,} unchanged)"

    steps = []
    if crawl is not None:
        p = "pressroom/"
        steps += [plural(crawl.get("response_received_count", 0), "HTTP response"),
                  plural(crawl.get(p + "pages_fetched", 0), "page") + " fetched",
                  plural(crawl.get(p + "pages/release", 0), "release page"),
                  f"{crawl.get(p + 'stored', 0):,} stored in raw/ "
                  + split(crawl.get(p + "new", 0), crawl.get(p + "changed", 0), crawl.get(p + "unchanged", 0))]
    if clean:
        steps.append(plural(int(clean.get("write/records", 0)), "record") + " written "
                     + split(int(clean.get("write/rows_new", 0)), int(clean.get("write/rows_changed", 0)),
                             int(clean.get("write/rows_unchanged", 0))))
    if articles is not None:
        steps.append(plural(table_figures(articles)["releases"], "release") + " in the dataset")
    return "funnel: " + " → ".join(steps)


def _seconds(value) -> str:
    seconds = float(value)
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes // 60} h {minutes % 60:02d} min" if minutes >= 60 else f"{minutes} min {rest:02d} s"


def section_run_time(data: RunData) -> Section:
    title = "Run time"
    rows = []
    run = data.stats_files.get(RUN_FILE) or {}
    if isinstance(run.get("seconds"), int | float):
        rows.append([f"pressroom {run.get('command', '')} (whole command)".replace("  ", " "), _seconds(run["seconds"]),
                     run.get("finished_at", "")])
    crawl = data.stats_files.get("crawl-stats.json") or {}
    if isinstance(crawl.get("elapsed_time_seconds"), int | float):
        rows.append(["crawl", _seconds(crawl["elapsed_time_seconds"]), crawl.get("finish_time") or ""])
    steps = {k[len("step/"):-len("/time_us")]: v for k, v in _clean_counts(data).items()
             if k.startswith("step/") and k.endswith("/time_us")}
    for step, us in sorted(steps.items(), key=lambda kv: -kv[1]):
        rows.append([f"cleaning step {step} (summed over workers)", _seconds(us / 1e6), ""])
    if not rows:
        return not_available(title, "no times recorded in reports/*.json")
    return Section(title, html_table(["what", "took", "finished"], rows),
                   [f"run time: {rows[0][0]} {rows[0][1]}"])


def section_dates(data: RunData) -> Section:
    title = "Date coverage"
    if why := _why(data, "articles", ("published_at",)):
        return not_available(title, why)
    kept = kept_rows(data.articles)
    dates = [d for d in kept.column("published_at").to_pylist() if d is not None]
    undated = kept.num_rows - len(dates)
    rows = [["releases with a date", len(dates)], ["releases without a date", undated]]
    if dates:
        rows += [["earliest", min(dates).date().isoformat()], ["latest", max(dates).date().isoformat()]]
    parts = [html_table(["", "releases"], rows)]
    lines = [f"dates: {len(dates)} dated, {undated} undated"
             + (f", {min(dates).date().isoformat()} … {max(dates).date().isoformat()}" if dates else "")]
    for column, what in (("date_source", "where the date came from"), ("published_precision", "precision")):
        if column in kept.column_names:
            found = ranked(Counter(v or "none" for v in kept.column(column).to_pylist()))
            parts.append(f"<h3>{_e(what)} (<code>{column}</code>)</h3>" + html_table([column, "releases"], found))
            lines.append(f"{column}: " + ", ".join(f"{k} {n}" for k, n in found))
    return Section(title, "".join(parts), lines)


def _cross(table: pa.Table, row_key: str, col_key: str, row_of=lambda v: v) -> tuple[list[str], list[list]]:
    counter = Counter((row_of(r), c or "unknown") for r, c in zip(table.column(row_key).to_pylist(),
                                                                  table.column(col_key).to_pylist()))
    cols = [c for c, _ in ranked(Counter(c for (_, c) in counter.elements()))]
    rows = sorted({r for r, _ in counter}, key=lambda r: (r == "no date", str(r)))
    return cols, [[r, *[counter[(r, c)] for c in cols]] for r in rows]


def section_languages(data: RunData) -> Section:
    title = "Languages"
    if why := _why(data, "articles", ("lang",)):
        return not_available(title, why)
    langs = ranked(Counter(x if x else "unknown" for x in data.articles.column("lang").to_pylist()))
    total = sum(n for _, n in langs) or 1
    rows = [[lang, n, f"{100 * n / total:.1f}%"] for lang, n in langs]
    parts = [html_table(["language", "releases", "share"], rows)]
    kept = kept_rows(data.articles)
    if "site" in kept.column_names:
        cols, by_site = _cross(kept, "site", "lang", lambda s: s or "(no site)")
        parts.append("<h3>Languages by site</h3>" + html_table(["site", *cols], by_site))
    if "published_at" in kept.column_names:
        month = lambda d: d.strftime("%Y-%m") if d is not None else "no date"  # noqa: E731
        cols, by_month = _cross(kept, "published_at", "lang", month)
        parts.append(f"<h3>Languages by month</h3><details><summary>{plural(len(by_month), 'month')}</summary>"
                     + html_table(["month", *cols], by_month) + "</details>")
    return Section(title, "".join(parts), ["languages: " + ", ".join(f"{lang} {n}" for lang, n in langs)])


def section_quotes(data: RunData) -> Section:
    title = "Quotes"
    if why := _why(data, "articles", ("quotes",)):
        return not_available(title, why)
    kept = kept_rows(data.articles)
    per_release = [len(q or []) for q in kept.column("quotes").to_pylist()]
    kinds = ranked(Counter((q or {}).get("kind") or "unknown" for qs in kept.column("quotes").to_pylist()
                           for q in qs or []))
    said = {"direct": "in quotation marks", "indirect": "reported speech (said that …)",
            "mixed": "partly quoted", "pull": "pull quote repeating a body quote"}
    rows = [[k, said.get(k, ""), n] for k, n in kinds]
    with_quotes = sum(1 for n in per_release if n)
    html_ = (f"<p>{plural(sum(per_release), 'quote')}, in {with_quotes:,} of {plural(kept.num_rows, 'release')}.</p>" + (html_table(["kind", "what", "quotes"], rows) if rows else ""))
    return Section(title, html_, [f"quotes: {sum(per_release)}" + (" (" + ", ".join(f"{k} {n}" for k, n in kinds) + ")"
                                                                   if kinds else "")])


def section_quality(data: RunData) -> Section:
    title = "Quality flags"
    column = flags_column(data.articles) if data.articles is not None else None
    if data.articles is None or column is None:
        return not_available(title, _why(data, "articles") or "articles table has no quality_flags column")
    kept = kept_rows(data.articles)
    titles = kept.column("title").to_pylist() if "title" in kept.column_names else [None] * kept.num_rows
    flagged: dict[str, list[str]] = {}
    for row_flags, t in zip(kept.column(column).to_pylist(), titles):
        for flag in row_flags or []:
            flagged.setdefault(flag, []).append(t or "(no title)")
    if not flagged:
        return Section(title, "<p>No release was flagged.</p>", ["quality flags: none"])
    rows = [[flag, FLAGS.get(flag, ""), len(ts), "; ".join(_clip(t, 50) for t in sorted(ts)[:5])]
            for flag, ts in sorted(flagged.items(), key=lambda kv: (-len(kv[1]), kv[0]))]
    return Section(title, html_table(["flag", "what it means", "releases", "first titles"], rows),
                   ["quality flags: " + ", ".join(f"{r[0]} {r[2]}" for r in rows)])


def section_release_list(data: RunData) -> Section:
    title = "Releases"
    if why := _why(data, "articles", ("title",)):
        return not_available(title, why)
    kept = kept_rows(data.articles)
    names = [c for c in ("published_at", "site", "lang", "title", "url", "canonical_url", "word_count")
             if c in kept.column_names]
    order = [(c, "descending" if c == "published_at" else "ascending") for c in ("published_at", "site", "title", "url")
             if c in names]  # newest first, undated last; only the rows shown become Python objects
    shown = kept.select(names).sort_by(order).slice(0, RELEASE_LIST_MAX).to_pylist()
    total = kept.num_rows
    body = []
    for r in shown:
        when = r["published_at"].date().isoformat() if r.get("published_at") else "undated"
        name = _e(_clip(r.get("title") or "(no title)", 120))
        url = r.get("url") or r.get("canonical_url")  # a saved page has no fetch URL, often a canonical one
        link = f'<a href="{_e(url)}">{name}</a>' if url else name
        body.append(f"<tr><td>{_e(when)}</td><td>{_e(r.get('site'))}</td><td>{_e(r.get('lang'))}</td>"
                    f"<td>{link}</td><td>{_e(r.get('word_count'))}</td></tr>")
    more = (f"<p>The first {len(shown):,} of {total:,}; the Parquet holds them all.</p>"
            if total > len(shown) else "")
    table = ("<table><thead><tr><th>date</th><th>site</th><th>language</th><th>title</th><th>words</th></tr>"
             f"</thead><tbody>{''.join(body)}</tbody></table>")
    return Section(title, f"<details><summary>{plural(total, 'release')}, newest first</summary>{more}{table}"
                   "</details>", [f"releases listed: {len(shown):,} of {total:,}"])


def section_load(data: RunData) -> Section:
    title = "Load the data"
    where = data.out_dir.resolve()
    if data.articles is None:
        return not_available(title, data.missing.get("articles", "no articles table"))
    lines = loader_lines(where)
    html_ = (f"<p>The articles table is <code>{_e(where / 'articles')}</code> (hive-partitioned Parquet; one row "
             "per release is <code>dup_of IS NULL</code>). In Python:</p>"
             "<pre>import pandas as pd, polars as pl, duckdb\n" + "\n".join(_e(line.split(":", 1)[1].strip())
                                                                           for line in lines) + "</pre>"
             "<p>More in <code>docs/notebook.md</code>: releases per site and month, text search, year filters.</p>")
    return Section(title, html_, [f"articles table: {where / 'articles'}"])


def section_releases(data: RunData) -> Section:
    title = "Releases per site and per month"
    if why := _why(data, "articles", ("site",)):
        return not_available(title, why)
    per_site = ranked(releases_per_site(data.articles))[:20]
    if len(per_site) > 1:
        parts = [bar_svg(per_site, "Releases per site (top 20)", horizontal=True, xlabel="releases")]
    else:  # one bar as wide as the page says less than one table row
        parts = [html_table(["site", "releases"], per_site)] if per_site else []
    lines = [f"sites: {len(releases_per_site(data.articles))}; top: " + ", ".join(f"{s} {n}" for s, n in per_site[:5])]
    if "published_at" in data.articles.column_names:
        per_month = sorted(releases_per_month(data.articles).items(), key=lambda kv: (kv[0] == "no date", kv[0]))
        parts.append(bar_svg(per_month, "Releases per month (published_at)", xlabel="month"))
        dated = [m for m, _ in per_month if m != "no date"]
        lines.append(f"months: {dated[0]} … {dated[-1]} ({plural(len(dated), 'month')})" if dated else "months: no dates")
        parts.append(f"<details><summary>{len(per_month)} months as a table</summary>"
                     f"{html_table(['month', 'releases'], per_month)}</details>")
    else:
        parts.append('<p class="na">per month: not available — no published_at column</p>')
    return Section(title, "".join(parts), lines)


def section_lengths(data: RunData) -> Section:
    title = "Body length"
    if why := _why(data, "articles", ("word_count",)):
        return not_available(title, why)
    values = [v for v in data.articles.column("word_count").to_pylist() if v is not None]
    if not values:
        return not_available(title, "no word counts")
    import statistics

    q = statistics.quantiles(values, n=4) if len(values) > 1 else [values[0]] * 3
    empty = sum(1 for v in values if v == 0)
    rows = [["releases", len(values)], ["empty bodies", empty], ["min", min(values)], ["quartile 1", round(q[0])],
            ["median", round(statistics.median(values))], ["quartile 3", round(q[2])], ["max", max(values)]]
    return Section(title, histogram_svg(values, "Body length (words)", "words in body_text") + html_table(["", "words"], rows),
                   [f"body length: median {statistics.median(values):.0f} words, "
                    f"range {min(values)}–{max(values)}, {empty} empty"])


def section_speakers(data: RunData) -> Section:
    title = "Top speakers"
    if why := _why(data, "articles", ("quotes",)):
        return not_available(title, why)
    speakers = top_speakers(data.articles)
    if not speakers:
        return Section(title, "<p>No attributed quotes.</p>", ["top speakers: no attributed quotes"])
    people = [s for s in speakers if s[1] == "person"]
    organisations = [s for s in speakers if s[1] == "organisation"]
    lines = ["top speakers: " + ", ".join(f"{s} ({n})" for s, _, n, _ in speakers[:5])]
    if people and organisations:  # people and organisations speaking as themselves, counted apart
        lines.append("top people: " + ", ".join(f"{s} ({n})" for s, _, n, _ in people[:3])
                     + "; top organisations: " + ", ".join(f"{s} ({n})" for s, _, n, _ in organisations[:3]))
    return Section(title, html_table(["speaker", "kind", "quotes", "releases"], [list(s) for s in speakers]), lines)


def section_boilerplate(data: RunData) -> Section:
    title = "Stripped boilerplate"
    parts, lines = [], []
    if why := _why(data, "boilerplate", ("site", "text", "doc_count")):
        parts.append(f'<p class="na">site model blocks: not available — {_e(why)}</p>')
        lines.append(f"boilerplate: not available ({why})")
    else:
        twice = listed_twice(data.boilerplate)
        parts.append("<p>Blocks the site model found on many of a site's pages, the most frequent first. "
                     "A block is keyed by its text and its place in the page, so the same line in two layouts "
                     "is listed twice.</p>")
        for site, rows in top_boilerplate(data.boilerplate).items():
            parts.append(f"<h3>{_e(site)}</h3>")
            parts.append(html_table(["block", "why stripped", "note"],
                                    [[_clip(r.get("text")), _why_stripped(r), twice.get(r.get("fingerprint"), "")]
                                     for r in rows]))
            if rows:
                lines.append(f"boilerplate {site}: {plural(len(rows), 'top block')}, most frequent "
                             f"{share_text(rows[0].get('doc_count'), rows[0].get('site_docs'))}: "
                             f"“{_clip(rows[0].get('text'), 60)}”")
    if _has(data.articles, "removed"):
        reasons = ranked(removed_reasons(data.articles))
        if reasons:
            parts.append("<h3>Blocks removed from records, by reason</h3>")
            parts.append(bar_svg(reasons, "Removed blocks by reason", horizontal=True, xlabel="blocks"))
            every = removed_shares(data.articles, data.boilerplate) if data.boilerplate is not None else []
            detail = {"site-boilerplate": describe_reason("site-boilerplate")
                      + (f": each on {100 * min(every):.0f}–{100 * max(every):.0f}% of its site's pages "
                         f"(median {100 * statistics.median(every):.0f}%)" if every else "")}
            parts.append(html_table(["reason", "what it is", "blocks"],
                                    [[r, detail.get(r, describe_reason(r)), n] for r, n in reasons]))
            lines.append("removed by reason: " + ", ".join(f"{r} {n}" for r, n in reasons[:6]))
    return Section(title, "".join(parts), lines)


def removed_shares(articles: pa.Table, boilerplate: pa.Table) -> list[float]:
    """For each block removed as site-boilerplate, the share of its site's pages it was on (from the
    boilerplate table, matched by site and normalised text); blocks it does not list are left out."""
    from cleaning.steps.sitemodel import normalise

    share: dict[tuple, float] = {}
    for row in boilerplate.to_pylist():
        if row.get("doc_count") and row.get("site_docs"):
            key = (row.get("site"), normalise(row.get("text") or ""))
            share[key] = max(share.get(key, 0.0), row["doc_count"] / row["site_docs"])
    sites = articles.column("site").to_pylist() if "site" in articles.column_names else [None] * articles.num_rows
    return [share[(site, normalise(r.get("text") or ""))]
            for site, removed in zip(sites, articles.column("removed").to_pylist()) for r in removed or []
            if r.get("reason") == "site-boilerplate" and (site, normalise(r.get("text") or "")) in share]


def _why_stripped(row: dict) -> str:
    """ "repeated on 68% of the site's pages (48 of 70)", with what the block is when a cue named it."""
    share = share_text(row.get("doc_count"), row.get("site_docs"))
    reason = row.get("reason")
    return share if reason in (None, "site-boilerplate") else f"{describe_reason(reason)}, {share}"


def section_duplicates(data: RunData) -> Section:
    title = "Duplicate clusters"
    if why := _why(data, "articles", ("doc_id",)):
        return not_available(title, why)
    if not any(c in data.articles.column_names for c in ("dup_of", "dup_cluster")):
        return not_available(title, "articles table has no dup_of / dup_cluster column")
    folded, clusters = duplicate_clusters(data.articles)
    if not clusters:
        return Section(title, "<p>No duplicates found.</p>", ["duplicates: none"])
    rows = [[c["size"], _clip(c["kept"], 90), c["why"],
             "; ".join(f"{_clip(m, 60)} [{how}]" for m, how in zip(c["members"], c["matches"]))] for c in clusters]
    return Section(title, f"<p>{plural(folded, 'document was', 'documents were')} folded into another: "
                   "same body (identical text), same URL (fetched twice), or near-duplicate (most of the text in "
                   "common). The kept one is the earliest published, then the longest.</p>"
                   + html_table(["size", "kept document", "why kept", "other members (first 5) [how they match]"],
                                rows),
                   [f"duplicates: {folded:,} folded, largest cluster {plural(clusters[0]['size'], 'document')}"])


def section_shared_ids(data: RunData) -> Section:
    """Inputs that shared one doc_id (cleaning's `notes.ids`): which was kept and why."""
    title = "Shared document ids"
    notes = [n for stats in data.stats_files.values() for n in (stats.get("notes") or {}).get("ids", [])]
    if not notes:
        return Section(title, "<p>No two inputs shared a doc_id.</p>", ["shared doc ids: none"])
    rows = [[n.get("doc_id"), _clip(n.get("kept"), 60), _clip(n.get("dropped") or "; ".join(n.get("inputs", [])), 90),
             n.get("why")] for n in notes]
    return Section(title, html_table(["doc_id", "kept", "other inputs", "why"], rows),
                   [f"shared doc ids: {len(notes)} listed in reports/clean-stats.json"])


_PAGE_NOTES = {  # notes cleaning keeps per page (reports/clean-stats.json), and what each says
    "classify/not_a_release": "kept out of the articles table: not a release (clean --all-pages keeps them)",
    "truncated": "cut to the size cap before parsing",
    "depth_capped": "elements nested too deep were cut; main content guessed without the witness",
}


def section_pages_set_aside(data: RunData) -> Section:
    """Pages cleaning kept out (not releases) or cut (size, depth): counted by reason, listed by name."""
    title = "Pages set aside or cut"
    found = {key: [n for stats in data.stats_files.values() for n in (stats.get("notes") or {}).get(key, [])]
             for key in _PAGE_NOTES}
    if not any(found.values()):
        return Section(title, "<p>Every page read was cleaned whole.</p>", ["pages set aside or cut: none"])
    parts, lines = [], []
    for key, notes in found.items():
        if not notes:
            continue
        reasons = counts(n.get("reason") or "-" for n in notes) if key == "classify/not_a_release" else {}
        parts.append(f"<h3>{_e(_PAGE_NOTES[key])}: {len(notes):,}</h3>")
        if reasons:
            parts.append(html_table(["reason", "pages"], ranked(reasons)))
        rows = [[_clip(n.get("input"), 70), _clip(n.get("url") or "", 90), n.get("reason") or n.get("chars")
                 or n.get("depth") or ""] for n in notes[:TOP * 5]]
        parts.append(html_table(["input", "url", "why / size"], rows))
        lines.append(f"{_PAGE_NOTES[key].split(':')[0]}: {len(notes):,}"
                     + (" (" + ", ".join(f"{k} {v}" for k, v in ranked(reasons)) + ")" if reasons else ""))
    return Section(title, "".join(parts), lines)


def section_errors(data: RunData) -> Section:
    title = "Crawl and cleaning errors"
    if data.raw is None and not data.stats_files:
        return not_available(title, data.missing.get("raw", "no raw table") + "; no reports/*.json")
    kinds, examples = crawl_errors(data)
    parts = [html_table(["kind", "count"], ranked(kinds)) if kinds else "<p>No errors recorded.</p>"]
    if _has(data.raw, "status"):
        statuses = sorted(counts(data.raw.column("status").to_pylist()).items())
        parts.append("<h3>HTTP statuses (raw table)</h3>" + html_table(["status", "pages"], statuses))
    skipped = crawl_skipped(data)
    if skipped:
        parts.append("<h3>Skipped by the crawler</h3>" + html_table(["reason", "pages"], ranked(skipped)))
    if examples:
        parts.append("<h3>Examples</h3><ul>" + "".join(f"<li>{_e(x)}</li>" for x in examples) + "</ul>")
    lines = ["errors: " + (", ".join(f"{k} {n}" for k, n in ranked(kinds)) if kinds else "none")]
    if skipped:
        lines.append("skipped: " + ", ".join(f"{k} {n}" for k, n in ranked(skipped)))
    return Section(title, "".join(parts), lines)


def section_settings(data: RunData) -> Section:
    title = "Run settings"
    settings = run_settings(data)
    if not settings:
        return not_available(title, "no settings recorded in reports/*.json")
    return Section(title, html_table(["setting", "value"], [[k, v] for k, v in settings.items()]),
                   [f"settings: {len(settings)} recorded"])


SECTIONS = (section_overview, section_funnel, section_releases, section_dates, section_languages, section_lengths,
            section_quotes, section_speakers, section_quality, section_boilerplate, section_duplicates,
            section_shared_ids, section_pages_set_aside, section_release_list, section_errors, section_run_time, section_load,
            section_settings)

CSS = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:1000px;color:#222;padding:0 1rem}
h1{margin-bottom:.2rem} .meta{color:#666} h2{border-bottom:2px solid #9bb4d6;padding-bottom:.2rem;margin-top:2.2rem}
table{border-collapse:collapse;margin:.6rem 0;font-size:14px} th,td{border:1px solid #ddd;padding:.25rem .6rem;text-align:left;vertical-align:top}
th{background:#f0f4f9;white-space:nowrap} .na{color:#a15c00;font-style:italic} svg{max-width:100%;height:auto;display:block;margin:.6rem 0}
nav a{margin-right:.8rem} summary{cursor:pointer;color:#3b5a80}
td{overflow-wrap:anywhere} pre{background:#f6f8fa;padding:.6rem;overflow-x:auto;white-space:pre-wrap}
"""


def render_html(data: RunData, sections: list[Section]) -> str:
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    nav = "".join(f'<a href="#{s.anchor}">{_e(s.title)}</a>' for s in sections)
    body = "".join(f'<section id="{s.anchor}"><h2>{_e(s.title)}</h2>{s.html}</section>' for s in sections)
    return ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>pressroom report — {_e(data.out_dir)}</title><style>{CSS}</style></head><body>"
            f"<h1>pressroom report</h1><p class=\"meta\">{_e(data.out_dir.resolve())} · written {when}</p>"
            f"<nav>{nav}</nav>{body}</body></html>\n")


def build_report(out_dir: Path) -> tuple[str, list[Section]]:
    data = load_run(Path(out_dir))
    sections = [make(data) for make in SECTIONS]
    return render_html(data, sections), sections


def write_report(dir: Path, file=None, *, quiet: bool = False, as_json: bool = False) -> int:
    """Write DIR/reports/report.html and print a summary (nothing with quiet, one JSON object with as_json)."""
    from cleaning.io.atomic import atomic_write_text

    file = file or sys.stdout
    out_dir = Path(dir)
    if not out_dir.is_dir():
        print(f"pressroom report: {out_dir} is not a folder — give the --out folder of a crawl or clean run",
              file=sys.stderr)
        return EXIT_NOTHING
    page, sections = build_report(out_dir)
    target = out_dir / "reports" / REPORT_NAME
    try:
        atomic_write_text(target, page)
        target.chmod(0o644)  # a report is meant to be shared and opened by a browser
    except OSError as exc:
        print(explain(exc, str(target)), file=sys.stderr)
        return EXIT_NOTHING
    if as_json:
        print(json.dumps({"report": str(target), "sections": [{"title": s.title, "summary": s.summary}
                                                              for s in sections]}, ensure_ascii=False), file=file)
    elif not quiet:
        for section in sections:
            for line in section.summary:
                print(line, file=file)
        print(f"report: {target}", file=file)
    return EXIT_OK
