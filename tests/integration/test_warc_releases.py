"""A WARC the crawler wrote holds every page it fetched (listings, legal and donate pages too); cleaning it
gives the releases only, the same rows as cleaning the crawler's raw Parquet (which stores releases only)."""

from __future__ import annotations

import subprocess
import sys
from urllib.parse import urlsplit

import pyarrow.parquet as pq
import pytest

from cleaning.pipeline import run_clean
from pressroom.sample_site.server import serve_sample
from tests.scraper.conftest import REPO, env

pytestmark = pytest.mark.timeout(240)


def _rows(path) -> list[dict]:
    return pq.read_table(path).to_pylist()


def test_a_crawled_warc_cleans_to_the_releases_the_raw_parquet_gives(tmp_path):
    with serve_sample("default") as srv:
        proc = subprocess.run([sys.executable, "-m", "pressroom", "crawl", srv.base_url + "/", "--out",
                               str(tmp_path / "crawl"), "--fast", "-q", "--warc", str(tmp_path / "site.warc.gz")],
                              cwd=REPO, env=env(), capture_output=True, text=True, timeout=180)
        releases = {r.path for r in srv.site.releases}
    assert proc.returncode == 0, proc.stderr[-2000:]
    from_warc, warc_stats = run_clean([str(tmp_path / "site.warc.gz")], tmp_path / "from-warc")
    from_raw, _ = run_clean([str(tmp_path / "crawl")], tmp_path / "from-raw")
    warc_rows, raw_rows = _rows(from_warc), _rows(from_raw)
    assert len(raw_rows) == len(releases) == 70
    assert sorted(r["doc_id"] for r in warc_rows) == sorted(r["doc_id"] for r in raw_rows)
    assert all(r["word_count"] > 0 for r in warc_rows)
    # the WARC held more HTML pages than releases: each one left out is counted, with its reason
    skipped = warc_stats["classify/not_a_release"]
    assert skipped > 0 and skipped == sum(v for k, v in warc_stats.counts.items()
                                          if k.startswith("classify/not_a_release/"))
    listed = warc_stats.notes["classify/not_a_release"]
    assert len(listed) == skipped and not {urlsplit(n["url"]).path for n in listed} & releases


def test_an_html_folder_of_every_sample_page_cleans_to_the_releases(tmp_path):
    from pressroom.sample_site import generate_site
    from pressroom.sample_site.model import BASE_PLACEHOLDER

    site = generate_site()
    folder = tmp_path / "pages"
    html_pages = {path: page for path, page in site.pages.items()
                  if page.status == 200 and page.content_type.startswith("text/html")}
    for n, (path, page) in enumerate(sorted(html_pages.items())):
        body = page.body.replace(BASE_PLACEHOLDER.encode(), b"https://presse.example") if page.templated else page.body
        (folder / f"{n:03d}").mkdir(parents=True)
        (folder / f"{n:03d}" / "index.html").write_bytes(body)
    out, stats = run_clean([str(folder)], tmp_path / "out")
    rows = _rows(out)
    assert len(html_pages) > len(site.releases) == len(rows) == 70
    assert sorted(r["title"] for r in rows) == sorted(r.title for r in site.releases)
    assert stats["classify/not_a_release"] == len(html_pages) - 70
