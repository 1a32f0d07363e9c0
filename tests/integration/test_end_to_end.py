"""The whole job over real HTTP: sample site -> crawl -> clean -> Parquet -> pandas / polars / DuckDB."""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]


def token_f1(predicted: str, truth: str) -> float:
    p, t = Counter(re.findall(r"\w+", predicted)), Counter(re.findall(r"\w+", truth))
    tp = sum((p & t).values())
    if not tp:
        return 0.0
    precision, recall = tp / sum(p.values()), tp / sum(t.values())
    return 2 * precision * recall / (precision + recall)


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    from pressroom.sample_site.server import serve_sample

    out = tmp_path_factory.mktemp("e2e")
    with serve_sample("default") as server:
        cmd = [sys.executable, "-m", "pressroom", "run", server.base_url + "/", "--out", str(out), "--fast", "-q"]
        proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=240)
        releases = list(server.site.releases)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return out, releases, proc


def test_every_release_once_and_body_matches_truth(crawled):
    import pandas as pd

    out, releases, _ = crawled
    df = pd.read_parquet(out / "articles", engine="pyarrow")
    by_path = {urlsplit(u).path: row for u, row in zip(df["url"], df.itertuples())}
    assert len(df) == len(releases)
    assert df["doc_id"].is_unique
    low = []
    for rel in releases:
        row = by_path[rel.path]
        truth_body = "\n\n".join(rel.paragraphs)
        f1 = token_f1(row.body_text, truth_body)
        if f1 < 0.98:
            low.append((rel.path, round(f1, 3)))
    assert not low, f"body F1 < 0.98 for {low}"


def test_no_chrome_line_in_any_body(crawled):
    import polars as pl

    out, releases, _ = crawled
    df = pl.read_parquet(str(out / "articles" / "**" / "*.parquet"), hive_partitioning=True)
    bodies = dict(zip(df["url"].map_elements(lambda u: urlsplit(u).path, return_dtype=pl.String), df["body_text"]))
    leaks = []
    for rel in releases:
        body = bodies[rel.path]
        leaks += [(rel.path, line) for line in rel.chrome_lines if len(line) > 15 and line in body]
    assert not leaks, leaks[:5]


def test_duckdb_reads_nested_columns(crawled):
    import duckdb

    out, releases, _ = crawled
    glob = str(out / "articles" / "**" / "*.parquet")
    con = duckdb.connect()
    n, langs = con.execute(
        f"SELECT count(*), count(DISTINCT lang) FROM read_parquet('{glob}', hive_partitioning=true)"
    ).fetchone()
    assert n == len(releases)
    assert langs == 2
    speakers = con.execute(
        f"SELECT q.speaker, count(*) FROM (SELECT unnest(quotes) AS q FROM read_parquet('{glob}', hive_partitioning=true)) "
        "WHERE q.speaker IS NOT NULL GROUP BY 1"
    ).fetchall()
    assert speakers, "no attributed quote in the whole crawl"


def test_run_prints_the_same_summary_as_demo_and_clean(crawled):
    import json

    out, releases, proc = crawled
    fetched = json.loads((out / "reports" / "crawl-stats.json").read_text())["pressroom/pages_fetched"]
    assert re.search(rf"^pages fetched\s+{fetched:,}$", proc.stdout, re.M), proc.stdout  # the crawl's own count
    assert re.search(rf"^releases\s+{len(releases)}\s+\(en: \d+, fr: \d+\)$", proc.stdout, re.M), proc.stdout
    assert re.search(rf"^this run\s+{len(releases)} records: {len(releases)} new, 0 changed, 0 unchanged$",
                     proc.stdout, re.M), proc.stdout
    assert re.search(r"^quotes\s+[1-9][\d,]*$", proc.stdout, re.M)
    report = out / "reports" / "report.html"
    assert re.search(rf"^report\s+{re.escape(str(report))}$", proc.stdout, re.M) and report.exists()
    assert "load it:" in proc.stdout and f'pd.read_parquet("{out}/articles")' in proc.stdout
    from pressroom.report import build_report

    _, sections = build_report(out)
    overview = next(s for s in sections if s.title == "Overview").summary
    assert f"pages fetched (crawl stats): {fetched}" in overview  # the same count as the summaries
