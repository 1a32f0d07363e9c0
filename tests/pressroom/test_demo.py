"""`pressroom demo`, the README's first command, end to end and twice in a row."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[2]


def run_demo(out: Path) -> str:
    proc = subprocess.run([sys.executable, "-m", "pressroom", "demo", "--out", str(out), "-q"], cwd=REPO,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    return proc.stdout


def test_demo_crawls_cleans_reports_and_starts_afresh_each_run(tmp_path):
    from pressroom.sample_site import generate_site

    n = len(generate_site().releases)
    out = tmp_path / "demo"
    for _ in range(2):  # the second run must not pile a second copy of every release on the first
        summary = run_demo(out)
        assert re.search(rf"^releases\s+{n}\s+\(en: \d+, fr: \d+\)$", summary, re.M), summary
        assert (out / "reports" / "report.html").stat().st_size > 10_000
        crawl = json.loads((out / "reports" / "crawl-stats.json").read_text())  # one source for the count
        assert re.search(rf"^pages fetched\s+{crawl['pressroom/pages_fetched']:,}$", summary, re.M), summary
        assert re.search(rf"^release pages stored\s+{crawl['pressroom/stored']:,}$", summary, re.M), summary
        if crawl["response_received_count"] != crawl["pressroom/pages_fetched"]:  # Scrapy's robots.txt checks
            assert re.search(rf"^HTTP responses\s+{crawl['response_received_count']:,}  \(", summary, re.M), summary
        counts = json.loads((out / "reports" / "clean-stats.json").read_text())["counts"]
        assert re.search(rf"^this run\s+{counts['write/records']} records: {n} new, 0 changed, 0 unchanged$",
                         summary, re.M), summary
        took = float(re.search(r"^took\s+([\d.]+) s$", summary, re.M).group(1))
        assert json.loads((out / "reports" / "run.json").read_text())["seconds"] == took  # one figure, two places
        from pressroom.report import build_report

        _, sections = build_report(out)  # the report counts what the summary and the stats count
        funnel = next(s for s in sections if s.title == "Crawl funnel").summary
        assert funnel == [f"funnel: {crawl['response_received_count']} HTTP responses → "
                          f"{crawl['pressroom/pages_fetched']} pages fetched → {crawl['pressroom/pages/release']} "
                          f"release pages → {crawl['pressroom/stored']} stored in raw/ ({n} new, 0 changed, 0 unchanged)"
                          f" → {counts['write/records']} records written ({n} new, 0 changed, 0 unchanged) → "
                          f"{n} releases in the dataset"], funnel
        assert "pd.read_parquet" in summary and "pl.read_parquet" in summary and "duckdb.sql" in summary
        df = pd.read_parquet(out / "articles")
        assert len(df) == n and df["dup_of"].isna().all()


def test_demo_into_a_folder_with_other_data_merges_and_keeps_it(tmp_path):
    out = tmp_path / "mine"
    (out / "notes").mkdir(parents=True)
    (out / "notes" / "keep.txt").write_text("mine")
    for _ in range(2):  # never taken for the demo's own folder, so never emptied
        summary = run_demo(out)
        assert "already holds other data" in summary
        assert (out / "notes" / "keep.txt").read_text() == "mine"
    assert not (out / ".pressroom-demo").exists()
