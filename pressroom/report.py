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
from pressroom.console import plural
from pressroom.errors import OTHER, classify, explain

REPORT_NAME = "report.html"
TOP = 10
TEXT_CLIP = 160
ARTICLE_COLUMNS = ("doc_id", "site", "title", "published_at", "lang", "word_count", "quotes", "dup_of",
                   "dup_cluster", "removed", "input")
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


def top_speakers(articles: pa.Table, top: int = TOP) -> list[tuple[str, int, int]]:
    """(speaker, quotes, releases quoting them), most quoted first."""
    per_speaker: Counter = Counter()
    releases: dict[str, set[int]] = {}
    for row, quotes in enumerate(articles.column("quotes").to_pylist()):
        for quote in quotes or []:
            quote = quote or {}
            speaker = quote.get("speaker")
            if speaker and quote.get("kind") != "pull":  # a pull quote repeats a body quote
                per_speaker[speaker] += 1
                releases.setdefault(speaker, set()).add(row)
    return [(s, n, len(releases[s])) for s, n in sorted(per_speaker.items(), key=lambda kv: (-kv[1], kv[0]))[:top]]


def removed_reasons(articles: pa.Table) -> Counter:
    return counts(r.get("reason") for removed in articles.column("removed").to_pylist() for r in removed or [])


def top_boilerplate(boilerplate: pa.Table, top: int = TOP) -> dict[str, list[dict]]:
    """Per site, the blocks stripped from most documents."""
    per_site: dict[str, list[dict]] = {}
    for row in boilerplate.to_pylist():
        per_site.setdefault(row.get("site") or "(no site)", []).append(row)
    return {site: sorted(rows, key=lambda r: (-(r.get("doc_count") or 0), r.get("text") or ""))[:top]
            for site, rows in sorted(per_site.items())}


def duplicate_clusters(articles: pa.Table, top: int = TOP) -> tuple[int, list[dict]]:
    """(documents folded into another, the largest clusters with their kept title and members)."""
    rows = articles.select([c for c in ("doc_id", "title", "site", "dup_of", "dup_cluster")
                            if c in articles.column_names]).to_pylist()
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
    return folded, [{"cluster": key, "size": len(members),
                     "kept": (by_id.get(key) or {}).get("title") or key,
                     "members": [m.get("title") or m.get("doc_id") for m in members if m.get("doc_id") != key][:5]}
                    for key, members in ranked]


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


def run_settings(data: RunData) -> dict[str, str]:
    """Settings, options and arguments recorded in reports/*.json, flattened to "file: key"."""
    settings: dict[str, str] = {}
    for name, stats in data.stats_files.items():
        for section in ("settings", "options", "args", "arguments", "config"):
            value = stats.get(section)
            if isinstance(value, dict):
                for key, v in sorted(value.items()):
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
    import statistics

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
    rows = [["releases (articles rows)", data.articles.num_rows if data.articles is not None else "not available"],
            ["pages fetched (crawl stats)", _crawl_count(data, "pressroom/pages_fetched")],
            ["raw pages stored", data.raw.num_rows if data.raw is not None else "not available"],
            ["boilerplate blocks (site model)", data.boilerplate.num_rows if data.boilerplate is not None else "not available"],
            ["stats files", ", ".join(data.stats_files) or "none"]]
    return Section("Overview", html_table(["what", "count"], rows), [f"{k}: {v}" for k, v in rows])


def section_releases(data: RunData) -> Section:
    title = "Releases per site and per month"
    if why := _why(data, "articles", ("site",)):
        return not_available(title, why)
    per_site = ranked(releases_per_site(data.articles))[:20]
    parts = [bar_svg(per_site, "Releases per site (top 20)", horizontal=True, xlabel="releases")] if per_site else []
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


def section_languages(data: RunData) -> Section:
    title = "Languages"
    if why := _why(data, "articles", ("lang",)):
        return not_available(title, why)
    langs = ranked(Counter(x if x else "unknown" for x in data.articles.column("lang").to_pylist()))
    total = sum(n for _, n in langs) or 1
    rows = [[lang, n, f"{100 * n / total:.1f}%"] for lang, n in langs]
    return Section(title, html_table(["language", "releases", "share"], rows),
                   ["languages: " + ", ".join(f"{lang} {n}" for lang, n in langs)])


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
    return Section(title, html_table(["speaker", "quotes", "releases"], [list(s) for s in speakers]),
                   ["top speakers: " + ", ".join(f"{s} ({n})" for s, n, _ in speakers[:5])])


def section_boilerplate(data: RunData) -> Section:
    title = "Stripped boilerplate"
    parts, lines = [], []
    if why := _why(data, "boilerplate", ("site", "text", "doc_count")):
        parts.append(f'<p class="na">site model blocks: not available — {_e(why)}</p>')
        lines.append(f"boilerplate: not available ({why})")
    else:
        for site, rows in top_boilerplate(data.boilerplate).items():
            parts.append(f"<h3>{_e(site)}</h3>")
            parts.append(html_table(["block", "documents", "of site", "reason"],
                                    [[_clip(r.get("text")), r.get("doc_count"), r.get("site_docs"), r.get("reason")]
                                     for r in rows]))
            if rows:
                lines.append(f"boilerplate {site}: {len(rows)} top blocks, most frequent in "
                             f"{rows[0].get('doc_count')} docs: “{_clip(rows[0].get('text'), 60)}”")
    if _has(data.articles, "removed"):
        reasons = ranked(removed_reasons(data.articles))
        if reasons:
            parts.append("<h3>Blocks removed from records, by reason</h3>")
            parts.append(bar_svg(reasons, "Removed blocks by reason", horizontal=True, xlabel="blocks"))
            lines.append("removed by reason: " + ", ".join(f"{r} {n}" for r, n in reasons[:6]))
    return Section(title, "".join(parts), lines)


def section_duplicates(data: RunData) -> Section:
    title = "Duplicate clusters"
    if why := _why(data, "articles", ("doc_id",)):
        return not_available(title, why)
    if not any(c in data.articles.column_names for c in ("dup_of", "dup_cluster")):
        return not_available(title, "articles table has no dup_of / dup_cluster column")
    folded, clusters = duplicate_clusters(data.articles)
    if not clusters:
        return Section(title, "<p>No duplicates found.</p>", ["duplicates: none"])
    rows = [[c["size"], _clip(c["kept"], 90), "; ".join(_clip(m, 60) for m in c["members"])] for c in clusters]
    return Section(title, f"<p>{folded} documents were folded into another.</p>"
                   + html_table(["size", "kept document", "other members (first 5)"], rows),
                   [f"duplicates: {folded} folded, largest cluster {clusters[0]['size']} documents"])


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
    return Section(title, html_table(["setting", "value"], [[k, _clip(v, 200)] for k, v in settings.items()]),
                   [f"settings: {len(settings)} recorded"])


SECTIONS = (section_overview, section_releases, section_languages, section_lengths, section_speakers,
            section_boilerplate, section_duplicates, section_shared_ids, section_errors, section_settings)

CSS = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:1000px;color:#222;padding:0 1rem}
h1{margin-bottom:.2rem} .meta{color:#666} h2{border-bottom:2px solid #9bb4d6;padding-bottom:.2rem;margin-top:2.2rem}
table{border-collapse:collapse;margin:.6rem 0;font-size:14px} th,td{border:1px solid #ddd;padding:.25rem .6rem;text-align:left;vertical-align:top}
th{background:#f0f4f9;white-space:nowrap} .na{color:#a15c00;font-style:italic} svg{max-width:100%;height:auto;display:block;margin:.6rem 0}
nav a{margin-right:.8rem} summary{cursor:pointer;color:#3b5a80}
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
