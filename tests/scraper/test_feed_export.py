"""Scrapy feed exports of the press spider (`scrapy crawl press -O pages.jsonl`) and where a bare crawl writes.

The crawls go to the bundled sample site on 127.0.0.1, in child processes, as a researcher runs them.
"""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from pressroom.sample_site.server import serve_sample
from tests.scraper.conftest import REPO, env, read_raw, scrapy_command

pytestmark = pytest.mark.timeout(120)


@pytest.fixture(scope="module")
def feeds(tmp_path_factory):
    """Crawls of one listing with a JSON-lines feed: name -> (returncode, stderr, out dir, feed file)."""
    base = tmp_path_factory.mktemp("feeds")
    with serve_sample("default") as srv:
        start = [srv.base_url + "/en/press-releases/"]
        jobs = {
            "base64": scrapy_command(start, base / "base64") + ["-O", str(base / "base64.jsonl")],
            "omit": scrapy_command(start, base / "omit", settings={"PRESSROOM_FEED_BODY": "omit", "LOG_LEVEL": "INFO"})
            + ["-O", str(base / "omit.jsonl")],
            "csv": scrapy_command(start, base / "csv") + ["-O", str(base / "csv.csv")],
            "bad": scrapy_command(start, base / "bad", settings={"PRESSROOM_FEED_BODY": "hex"})
            + ["-O", str(base / "bad.jsonl")],
        }
        procs = {name: subprocess.Popen(cmd, cwd=REPO, env=env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                        text=True) for name, cmd in jobs.items()}
        results = {}
        for name, proc in procs.items():
            _, stderr = proc.communicate(timeout=90)
            results[name] = (proc.returncode, stderr, base / name, base / f"{name}.{'csv' if name == 'csv' else 'jsonl'}")
        yield results


def _lines(path: Path) -> list[dict]:
    text = path.read_text(encoding="utf-8")
    assert text.endswith("\n")
    return [json.loads(line) for line in text.splitlines()]  # each line one valid JSON object


def test_jsonl_feed_has_one_valid_line_per_stored_page_with_the_body_in_base64(feeds):
    code, stderr, out, feed = feeds["base64"]
    assert code == 0, stderr[-3000:]
    assert "Error" not in stderr and "not JSON serializable" not in stderr
    rows = {r["url"]: r for r in read_raw(out)}
    items = _lines(feed)
    assert len(rows) > 10 and len(items) == len(rows)
    assert sorted(i["url"] for i in items) == sorted(rows)
    for item in items:
        row = rows[item["url"]]
        assert base64.b64decode(item["body"], validate=True) == row["body"]
        assert datetime.fromisoformat(item["fetched_at"]) == row["fetched_at"]  # offset kept, same instant
        assert item["content_hash"] == row["content_hash"] and item["status"] == row["status"] == 200
        assert item["headers"] == row["headers"] or dict(row["headers"]) == item["headers"]


def test_feed_body_omit_leaves_the_body_out_of_the_feed_only(feeds):
    code, stderr, out, feed = feeds["omit"]
    assert code == 0, stderr[-3000:]
    rows = read_raw(out)
    items = _lines(feed)
    assert len(items) == len(rows) > 10
    assert all("body" not in item and item["url"] and item["content_hash"] for item in items)
    assert all(row["body"] for row in rows)  # the raw Parquet still holds every body
    assert set(items[0]) == {name for name in rows[0] if name != "body"}


def test_a_csv_feed_has_one_row_per_stored_page(feeds):
    import csv

    code, stderr, out, feed = feeds["csv"]
    assert code == 0, stderr[-3000:]
    rows = {r["url"]: r for r in read_raw(out)}
    with feed.open(newline="", encoding="utf-8") as fh:
        items = list(csv.DictReader(fh))
    assert len(items) == len(rows) > 10
    for item in items:
        assert base64.b64decode(item["body"], validate=True) == rows[item["url"]]["body"]
        assert datetime.fromisoformat(item["fetched_at"]) == rows[item["url"]]["fetched_at"]


def test_the_crawl_logs_where_it_writes(feeds):
    code, stderr, out, feed = feeds["omit"]
    assert f"raw pages go to {(out / 'raw').resolve()}" in stderr


def test_an_unknown_feed_body_choice_stops_the_crawl_naming_the_setting(feeds):
    code, stderr, out, feed = feeds["bad"]
    assert code != 0
    assert "PRESSROOM_FEED_BODY='hex'" in stderr and "omit" in stderr
    assert not (out / "raw").exists()


def test_without_pressroom_out_a_crawl_writes_to_the_projects_data_folder_from_any_directory(tmp_path):
    probe = ("from scrapy.utils.project import get_project_settings; "
             "print(get_project_settings()['PRESSROOM_OUT'])")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    for cwd in (REPO, REPO / "scraper", elsewhere):
        proc = subprocess.run([sys.executable, "-c", probe], cwd=cwd, env=env(), capture_output=True, text=True,
                              timeout=60)
        assert proc.returncode == 0, proc.stderr
        assert Path(proc.stdout.strip()) == REPO / "data"  # absolute: beside scrapy.cfg, not ./data
    assert (REPO / "scrapy.cfg").is_file()
