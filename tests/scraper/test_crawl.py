"""The spider against the bundled sample press site over real HTTP on 127.0.0.1.

Crawls run in child processes (as `pressroom crawl` runs them), several at once where
they share a server, each bounded by page count, time and short timeouts.
"""

from __future__ import annotations

import json
import re
import subprocess
from datetime import datetime, UTC
from urllib.parse import urlsplit

import pytest

from pressroom.sample_site.server import serve_sample
from tests.scraper.conftest import REPO, env, paths, read_raw, scrapy_command

pytestmark = pytest.mark.timeout(120)


def _pressroom_cmd(*args: str) -> list[str]:
    import sys

    return [sys.executable, "-m", "pressroom", "crawl", *args]


@pytest.fixture(scope="module")
def crawls(tmp_path_factory):
    """Several crawls of one default sample site, started together: name -> (proc, out dir)."""
    base = tmp_path_factory.mktemp("crawls")
    with serve_sample("default") as srv:
        root = srv.base_url + "/"
        jobs = {
            "root": _pressroom_cmd(root, "--out", str(base / "root"), "--fast", "--warc", str(base / "root.warc.gz")),
            "feed": scrapy_command([srv.base_url + "/feed/"], base / "feed", settings={"PRESSROOM_PROGRESS": 1}),
            "sitemap": scrapy_command([srv.base_url + "/sitemap_index.xml"], base / "sitemap"),
            "listing": scrapy_command([srv.base_url + "/en/press-releases/"], base / "listing"),
            "dates": _pressroom_cmd(root, "--out", str(base / "dates"), "--fast", "--since", "2025-03-01",
                                    "--until", "2025-04-30"),
            "listing_dates": scrapy_command([srv.base_url + "/en/press-releases/"], base / "listing_dates",
                                            since="2025-03-01", until="2025-04-30"),
            "nothing": _pressroom_cmd(srv.base_url + "/no/such/page/", "--out", str(base / "nothing"), "--fast"),
            "max_pages": _pressroom_cmd(root, "--out", str(base / "max_pages"), "--fast", "-q", "--max-pages", "15"),
        }
        procs = {name: subprocess.Popen(cmd, cwd=REPO, env=env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                        text=True) for name, cmd in jobs.items()}
        results = {}
        for name, proc in procs.items():
            stdout, stderr = proc.communicate(timeout=90)
            results[name] = (proc.returncode, stdout, stderr, base / name)
        yield srv, results, base


def _result(crawls, name):
    srv, results, base = crawls
    code, stdout, stderr, out = results[name]
    return srv, code, stdout, stderr, out


def test_root_crawl_stores_every_release_exactly_once(crawls):
    srv, code, stdout, stderr, out = _result(crawls, "root")
    assert code == 0, stderr[-2000:]
    rows = read_raw(out)
    truth = sorted(r.path for r in srv.site.releases)
    assert sorted(paths(rows)) == truth  # each once, nothing else
    assert all(r["is_release"] and r["status"] == 200 and r["body"] for r in rows)
    stats = json.loads((out / "reports" / "crawl-stats.json").read_text())
    # every source was read (which one reaches a release first depends on timing)
    assert stats["pressroom/feeds/entries"] > 0 and stats["pressroom/sitemaps/urlset"] >= 1
    assert stats["pressroom/pages/listing"] > 0 and stats["pressroom/sitemaps/sitemapindex"] == 1
    assert "releases stored      70" in stdout and "new / changed / unchanged   70 / 0 / 0" in stdout
    # politeness and scope: robots.txt read, nothing offsite or disallowed requested
    assert any(r.path == "/robots.txt" for r in srv.requests)
    assert not any(r.path.startswith("/wp-admin/") and "admin-ajax" not in r.path for r in srv.requests)


def test_feed_metadata_travels_with_the_page(crawls):
    srv, code, stdout, stderr, out = _result(crawls, "root")
    from scraper.feeds import parse_feed

    rows = [r for r in read_raw(out) if r["feed_content"]]
    feed = parse_feed(srv.site.pages["/feed/"].body.replace(b"{{BASE}}", srv.base_url.encode()), srv.base_url)
    # the conventional /feed/ is read first, so every release it names carries its item
    assert {urlsplit(e.link).path for e in feed.entries} <= set(paths(rows))
    for row in rows:
        truth = srv.site.release(urlsplit(row["final_url"]).path)
        assert row["feed_title"] == truth.full_title
        assert truth.feed_footer in re.sub(r"<[^>]+>", "", row["feed_content"])
        assert row["feed_published"] is not None


def test_start_from_a_feed_fetches_its_items(crawls):
    srv, code, stdout, stderr, out = _result(crawls, "feed")
    assert code == 0, stderr[-2000:]
    from scraper.feeds import parse_feed

    feed = parse_feed(srv.site.pages["/feed/"].body.replace(b"{{BASE}}", srv.base_url.encode()), srv.base_url)
    rows = read_raw(out)
    assert sorted(paths(rows)) == sorted(urlsplit(e.link).path for e in feed.entries)
    assert all(r["discovered_via"] == "feed" and r["feed_title"] for r in rows)


def test_start_from_a_sitemap_index_finds_every_release(crawls):
    srv, code, stdout, stderr, out = _result(crawls, "sitemap")
    assert code == 0, stderr[-2000:]
    rows = read_raw(out)
    assert sorted(paths(rows)) == sorted(r.path for r in srv.site.releases)
    news = [r for r in rows if r["feed_published"] is not None]
    assert news, "news:publication_date / lastmod not kept"


def test_start_from_a_listing_walks_its_pagination(crawls):
    srv, code, stdout, stderr, out = _result(crawls, "listing")
    assert code == 0, stderr[-2000:]
    stored = set(paths(read_raw(out)))
    english = {r.path for r in srv.site.releases if r.path.startswith("/en/press-releases/")}
    assert english <= stored
    assert len(stored) == len(read_raw(out))
    assert any(r.path.startswith("/en/press-releases/page/") for r in srv.requests)


def test_since_until_skip_before_fetching(crawls):
    srv, code, stdout, stderr, out = _result(crawls, "dates")
    assert code == 0, stderr[-2000:]
    since, until = datetime(2025, 3, 1, tzinfo=UTC), datetime(2025, 5, 1, tzinfo=UTC)
    expected = {r.path for r in srv.site.releases if since <= r.published < until}
    assert expected and set(paths(read_raw(out))) == expected
    stats = json.loads((out / "reports" / "crawl-stats.json").read_text())
    assert stats["pressroom/skipped/date_out_of_range_before_fetch"] > 0


def test_since_until_use_page_dates_after_fetching(crawls):
    """From a listing, most releases have no feed or sitemap date: their own page date decides."""
    srv, code, stdout, stderr, out = _result(crawls, "listing_dates")
    assert code == 0, stderr[-2000:]
    since, until = datetime(2025, 3, 1, tzinfo=UTC), datetime(2025, 5, 1, tzinfo=UTC)
    english = [r for r in srv.site.releases if r.path.startswith("/en/press-releases/")]
    expected = {r.path for r in english if since <= r.published < until}
    in_range = {r.path for r in srv.site.releases if since <= r.published < until}
    stored = set(paths(read_raw(out)))
    assert expected and expected <= stored <= in_range  # other languages come in through language links
    stats = json.loads((out / "stats.json").read_text())
    assert stats["pressroom/skipped/date_out_of_range"] > 0  # fetched, then refused on the page's own date
    fetched_out_of_range = {r.path for r in srv.requests if r.path in {e.path for e in english}} - expected
    assert fetched_out_of_range  # they were fetched (the date was only known after) but not stored


def test_nothing_stored_exits_3(crawls):
    srv, code, stdout, stderr, out = _result(crawls, "nothing")
    assert code == 3, stdout + stderr[-2000:]
    assert "http_404" in stdout


def test_warc_reads_back_with_warcio_and_fastwarc(crawls):
    srv, results, base = crawls
    warc = base / "root.warc.gz"
    truth = {r.path for r in srv.site.releases}

    from warcio.archiveiterator import ArchiveIterator

    responses, requests = {}, 0
    with warc.open("rb") as fh:
        for record in ArchiveIterator(fh):
            if record.rec_type == "response":
                path = urlsplit(record.rec_headers.get_header("WARC-Target-URI")).path
                body = record.content_stream().read()
                if record.http_headers.get_statuscode() == "200":
                    responses[path] = body
            elif record.rec_type == "request":
                requests += 1
    assert truth <= responses.keys()
    assert requests >= len(responses)
    release = srv.site.releases[0]
    assert release.title.encode() in responses[release.path] or release.title in responses[release.path].decode()

    from fastwarc.warc import ArchiveIterator as FastIterator, WarcRecordType

    with warc.open("rb") as fh:
        fast = {urlsplit(r.headers["WARC-Target-URI"]).path for r in FastIterator(fh, record_types=WarcRecordType.response)
                if r.http_headers.status_code == 200}
    assert truth <= fast


def test_max_pages_bounds_the_crawl(crawls):
    srv, code, stdout, stderr, out = _result(crawls, "max_pages")
    assert code == 0, stderr[-2000:]
    stats = json.loads((out / "reports" / "crawl-stats.json").read_text())
    assert stats["pressroom/pages_fetched"] <= 15 and stats["pressroom/skipped/max_pages"] > 0
    assert 0 < len(read_raw(out)) <= 15
    assert "crawl (HTTP responses)" not in stderr  # -q: no progress


def test_progress_goes_to_the_sink_the_cli_passes_and_to_plain_lines_without_one(crawls):
    _, code, _, stderr, out = _result(crawls, "root")  # pressroom crawl: the CLI's Tracker, through settings
    fetched = json.loads((out / "reports" / "crawl-stats.json").read_text())["response_received_count"]
    assert re.search(rf"^crawl \(HTTP responses\): {fetched}, [\d.,]+/s, elapsed \d:\d\d:\d\d — done$", stderr, re.M), stderr
    _, _, _, stderr, out = _result(crawls, "feed")  # scrapy crawl -s PRESSROOM_PROGRESS=1: the crawler's own lines
    fetched = json.loads((out / "stats.json").read_text())["response_received_count"]
    assert re.search(rf"^crawl \(HTTP responses\): {fetched}(, [\d.]+/s)? — done$", stderr, re.M), stderr
