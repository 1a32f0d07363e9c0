"""The report's sections and the run summary on a real small clean of the sample site: each section's
figures are checked against the stats JSON and the dataset, and against what the summary printed."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pyarrow.dataset as ds
import pytest

from cleaning.core.options import CleanOptions
from cleaning.core.schema import ARTICLES_SCHEMA
from pressroom.cli import main
from pressroom.exitcodes import EXIT_OK
from pressroom.report import build_report, load_run
from tests.pressroom.conftest import write_pages

N_PAGES = 12  # one generated site: the report has to do without a per-site chart


@pytest.fixture(scope="module")
def cleaned(tmp_path_factory):
    """(out, first summary, second summary): the same pages cleaned twice into one dataset."""
    root = tmp_path_factory.mktemp("sections")
    write_pages(root / "pages", N_PAGES)
    capture = pytest.MonkeyPatch()
    import io
    import sys

    outputs = []
    for _ in range(2):
        buf = io.StringIO()
        capture.setattr(sys, "stdout", buf)
        try:
            assert main(["clean", str(root / "pages"), "--out", str(root / "out"), "-q"]) == EXIT_OK
        finally:
            capture.undo()
        outputs.append(buf.getvalue())
    return root / "out", outputs[0], outputs[1]


def _sections(out: Path) -> dict:
    page, sections = build_report(out)
    return {"page": page, **{s.title: s for s in sections}}


def _articles(out: Path):
    return ds.dataset(out / "articles", schema=ARTICLES_SCHEMA, partitioning="hive").to_table()


def _stats(out: Path) -> dict:
    return json.loads((out / "reports" / "clean-stats.json").read_text())["counts"]


def _row(html: str, label: str) -> str:
    """The cell after `label` in a two-column table."""
    m = re.search(rf"<td>{re.escape(label)}</td><td>([^<]*)</td>", html)
    assert m, label
    return m.group(1)


def test_summary_stats_and_report_count_the_same(cleaned):
    out, _, second = cleaned
    articles, stats = _articles(out), _stats(out)
    releases = sum(1 for d in articles.column("dup_of").to_pylist() if d is None)
    quotes = sum(len(q) for q, d in zip(articles.column("quotes").to_pylist(), articles.column("dup_of").to_pylist())
                 if d is None)
    assert releases == N_PAGES and quotes > 0
    # the re-clean: nothing changed, and the summary says so rather than "wrote 12 records"
    assert stats["write/rows_unchanged"] == N_PAGES and not stats.get("write/rows_new")
    assert re.search(rf"^this run\s+{N_PAGES} records, all unchanged: nothing to rewrite$", second, re.M), second
    assert "wrote" not in second
    assert re.search(rf"^releases\s+{releases}\s+\(en: \d+\)$|^releases\s+{releases}\s+\(fr: \d+\)$|"
                     rf"^releases\s+{releases}\s+\(en: \d+, fr: \d+\)$", second, re.M), second
    assert re.search(rf"^quotes\s+{quotes}$", second, re.M), second
    # the stats' own quote counters (direct, indirect, pull...) add up to the same figure
    assert sum(v for k, v in stats.items() if k.startswith("quotes/") and k[7:] in
               ("direct", "indirect", "mixed", "pull")) == quotes
    sections = _sections(out)
    overview = sections["Overview"].html
    assert _row(overview, "releases (one per release: dup_of empty)") == str(releases)
    assert _row(overview, "quotes in releases") == str(quotes)
    funnel = sections["Crawl funnel"].html
    assert _row(funnel, "records written by cleaning") == str(stats["write/records"]) == str(N_PAGES)
    assert _row(funnel, "… new / changed / unchanged in the dataset") == f"0 / 0 / {N_PAGES}"
    assert _row(funnel, "releases in the dataset (duplicates not counted)") == str(releases)
    assert sections["Crawl funnel"].summary == [  # no crawl here: the funnel starts at cleaning
        f"funnel: {N_PAGES} records written (0 new, 0 changed, {N_PAGES} unchanged) → {releases} releases in the dataset"]


def test_one_site_gets_a_table_not_a_giant_bar(cleaned):
    out, _, _ = cleaned
    section = _sections(out)["Releases per site and per month"]
    assert "Releases per site" not in section.html  # no per-site chart title
    assert section.html.count("<svg") == 1  # the per-month chart only
    assert re.search(rf"<td>example\.org</td><td>{N_PAGES}</td>", section.html)


def test_date_coverage_and_date_source(cleaned):
    out, _, _ = cleaned
    articles = _articles(out)
    dates = [d for d in articles.column("published_at").to_pylist() if d is not None]
    html = _sections(out)["Date coverage"].html
    assert _row(html, "releases with a date") == str(len(dates))
    assert _row(html, "releases without a date") == str(N_PAGES - len(dates))
    assert _row(html, "earliest") == min(dates).date().isoformat()
    assert _row(html, "latest") == max(dates).date().isoformat()
    sources = {}
    for s in articles.column("date_source").to_pylist():
        sources[s or "none"] = sources.get(s or "none", 0) + 1
    for source, n in sources.items():
        assert f"<td>{source}</td><td>{n}</td>" in html


def test_languages_by_site_and_by_month(cleaned):
    out, _, _ = cleaned
    articles = _articles(out)
    html = _sections(out)["Languages"].html
    assert "<h3>Languages by site</h3>" in html and "<h3>Languages by month</h3>" in html
    langs = sorted(set(articles.column("lang").to_pylist()))
    counts = {lang: articles.column("lang").to_pylist().count(lang) for lang in langs}
    by_site = html.split("<h3>Languages by site</h3>")[1].split("<h3>")[0]
    row = re.search(r"<td>example\.org</td>((?:<td>\d+</td>)+)", by_site).group(1)
    assert sorted(int(n) for n in re.findall(r"\d+", row)) == sorted(counts.values())
    by_month = html.split("<h3>Languages by month</h3>")[1]
    months = {d.strftime("%Y-%m") for d in articles.column("published_at").to_pylist() if d is not None}
    month_cells = re.findall(r"<tr><td>(\d{4}-\d\d)</td>((?:<td>\d+</td>)+)</tr>", by_month)
    assert {m for m, _ in month_cells} == months
    assert sum(int(n) for _, cells in month_cells for n in re.findall(r"\d+", cells)) == len(
        [d for d in articles.column("published_at").to_pylist() if d is not None])


def test_quote_kinds_add_up(cleaned):
    out, _, _ = cleaned
    stats = _stats(out)
    html = _sections(out)["Quotes"].html
    kinds = dict(re.findall(r"<tr><td>(direct|indirect|mixed|pull)</td><td>[^<]*</td><td>(\d+)</td></tr>", html))
    assert kinds and {k: int(v) for k, v in kinds.items()} == {k[7:]: v for k, v in stats.items()
                                                               if k[7:] in kinds and k.startswith("quotes/")}
    assert "reported speech" in html or "indirect" not in kinds


def test_release_list_links_every_release(cleaned):
    out, _, _ = cleaned
    articles = _articles(out)
    html = _sections(out)["Releases"].html
    assert f"{N_PAGES} releases, newest first" in html
    links = re.findall(r'<a href="([^"]+)">', html)
    urls = [u or c for u, c in zip(articles.column("url").to_pylist(), articles.column("canonical_url").to_pylist())]
    assert None not in urls and sorted(links) == sorted(urls)  # saved pages: their canonical URL


def test_run_time_and_where_to_load_it(cleaned):
    out, first, _ = cleaned
    run = json.loads((out / "reports" / "run.json").read_text())
    assert run["command"] == "clean" and run["seconds"] >= 0
    sections = _sections(out)
    assert "pressroom clean (whole command)" in sections["Run time"].html
    assert "cleaning step extract (summed over workers)" in sections["Run time"].html
    took = re.search(r"^took\s+([\d.]+) s$", first, re.M)  # the first clean's time was overwritten
    assert took is not None
    load = sections["Load the data"].html
    where = str(out.resolve() / "articles")
    assert f"<code>{where}</code>" in load
    for line in (f'pd.read_parquet("{out.resolve()}/articles")', "pl.read_parquet(", "duckdb.sql("):
        assert line.replace('"', "&quot;") in load


def test_every_option_is_in_the_settings_whole(cleaned):
    from dataclasses import fields

    out, _, _ = cleaned
    html = _sections(out)["Run settings"].html
    for field in fields(CleanOptions):
        assert f"<td>clean-stats: options.{field.name}</td>" in html, field.name
    assert f"<td>clean-stats: inputs</td><td>{json.dumps([str(out.parent / 'pages')])}".replace('"', "&quot;") in html


def test_boilerplate_reasons_name_the_detector(cleaned):
    out, _, _ = cleaned
    data = load_run(out)
    html = _sections(out)["Stripped boilerplate"].html
    first = max(data.boilerplate.to_pylist(), key=lambda r: (r["doc_count"], -ord(r["fingerprint"][0])))
    share = f"repeated on {100 * first['doc_count'] / first['site_docs']:.0f}% of the site&#x27;s pages " \
            f"({first['doc_count']} of {first['site_docs']})"
    assert share in html
    assert "<td>site-boilerplate</td>" not in html.split("<h3>Blocks removed")[0]  # the reason is said, not coded


def test_quality_flags_duplicates_and_twice_listed_blocks(sample_run: Path, capsys):
    """On the hand-made run: flags explained with the flagged titles, copies with how they match."""
    import pyarrow.parquet as pq

    from cleaning.core.schema import BOILERPLATE_SCHEMA, records_to_table
    from tests.pressroom.conftest import _article

    flag_column = "quality_flags"
    extra = records_to_table([_article(7, "oxfam.org", "en", 3, 3, **{flag_column: ["no-body"]}),
                              _article(8, "oxfam.org", "en", 3, 900, **{flag_column: ["gutted"]})])
    pq.write_table(extra.drop_columns(["site", "year"]), sample_run / "articles" / "site=oxfam.org" / "year=2024"
                   / "extra.parquet")
    bp = pq.read_table(sample_run / "boilerplate" / "part-0.parquet").to_pylist()
    bp.append({**bp[0], "fingerprint": "aa04", "doc_count": 2})  # the same text at another place in the page
    import pyarrow as pa

    pq.write_table(pa.Table.from_pylist(bp, schema=BOILERPLATE_SCHEMA), sample_run / "boilerplate" / "part-0.parquet")
    sections = _sections(sample_run)
    flags = sections["Quality flags"]
    assert "<td>gutted</td><td>the site model would have removed most of the body" in flags.html
    assert "<td>no-body</td><td>no body paragraph found" in flags.html
    assert "Release 8 of oxfam.org" in flags.html and flags.summary == ["quality flags: gutted 1, no-body 1"]
    boiler = sections["Stripped boilerplate"].html
    assert "same text as aa01, another place in the page (HTML path): counted apart" in boiler  # aa04 is even
    assert "same text as aa01, a template key (same first and last words, any middle): counted apart" not in boiler
    assert "same text as aa04, a template key (same first and last words, any middle): counted apart" in boiler  # odd
    assert "repeated on 100% of the site&#x27;s pages (4 of 4)" in boiler
    assert "press-contact block, repeated on 75% of the site&#x27;s pages (3 of 4)" in boiler
    dups = sections["Duplicate clusters"].html
    assert "Release 4 of amnesty.fr [near-duplicate]" in dups and "longest body among the earliest" in dups
    assert "1 document was folded into another" in dups
