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
