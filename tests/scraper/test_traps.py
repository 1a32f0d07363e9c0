"""The trap variant of the sample site: what a well-behaved crawler stores, refuses and gives up on."""

from __future__ import annotations

import json
from collections import Counter
from urllib.parse import urlsplit

import pytest

from pressroom.sample_site import traps as T
from pressroom.sample_site.server import serve_sample
from cleaning.core.charset import decode_body
from tests.scraper.conftest import read_raw, run_scrapy

pytestmark = pytest.mark.timeout(120)

LIMITS = {"DOWNLOAD_TIMEOUT": 3, "RETRY_TIMES": 1, "DOWNLOAD_MAXSIZE": 1_000_000,
          "PRESSROOM_SITEMAP_MAX_SIZE": 5_000_000}


@pytest.fixture(scope="module")
def trap_crawl(tmp_path_factory):
    out = tmp_path_factory.mktemp("traps")
    with serve_sample("traps") as srv:
        stats = run_scrapy([srv.base_url + "/"], out, settings=LIMITS)
        requests = list(srv.requests)
        yield srv.site, stats, read_raw(out), requests


def requested(requests, path: str) -> list[int]:
    return [r.status for r in requests if r.path == path]


def test_every_release_once_nothing_else(trap_crawl):
    site, stats, rows, requests = trap_crawl
    stored = Counter(urlsplit(r["final_url"]).path for r in rows)
    assert sorted(stored) == sorted(r.path for r in site.releases)
    assert set(stored.values()) == {1}
    assert not any("utm_" in r["url"] or "fbclid" in r["url"] or "gclid" in r["url"] or "PHPSESSID" in r["url"]
                   for r in rows)


def test_redirects(trap_crawl):
    site, stats, rows, requests = trap_crawl
    assert requested(requests, T.CHAIN[0]) == [301]
    assert all(requested(requests, p) in ([], [301]) for p in T.CHAIN[1:])
    assert not any("/loop/" in r["final_url"] for r in rows)
    # the loop is seen on its first return to /loop/a/, counted as an error and explained, not dropped silently
    assert requested(requests, T.LOOP[0]) == [301] and requested(requests, T.LOOP[1]) == [301]
    # exactly one: the 301 chain and the slash-adding redirect (/x -> /x/, the same url_key) are no loops
    assert stats["pressroom/errors/redirect_loop"] == 1
    loop = [p for p in stats["pressroom/problems"] if "redirect loop" in p["error"]]
    assert len(loop) == 1 and loop[0]["input"].endswith(T.LOOP[1])


def test_failing_statuses_are_retried_within_bounds_then_given_up(trap_crawl):
    site, stats, rows, requests = trap_crawl
    assert requested(requests, T.NOT_FOUND_PATH) == [404]
    assert requested(requests, T.GONE_PATH) == [410]
    assert requested(requests, T.ERROR_PATH) == [500, 500]  # RETRY_TIMES = 1
    assert stats["pressroom/errors/http_404"] >= 1 and stats["pressroom/errors/http_410"] == 1
    assert stats["pressroom/errors/http_500"] == 1


def test_slow_huge_and_binary_pages(trap_crawl):
    site, stats, rows, requests = trap_crawl
    assert stats["pressroom/errors/timeout"] == 1
    assert stats["pressroom/errors/too_large"] == 1
    assert stats["pressroom/skipped/non_html"] >= 1  # PDF bytes served as text/html, sniffed
    assert requested(requests, T.PDF_PATH) == []  # a .pdf link is noted, not fetched
    stored = {urlsplit(r["final_url"]).path for r in rows}
    assert not stored & {T.SLOW_PATH, T.HUGE_PATH, T.BINARY_PATH, T.PDF_PATH}


def test_robots_disallow_is_obeyed(trap_crawl):
    site, stats, rows, requests = trap_crawl
    assert requested(requests, T.DISALLOWED_PATH) == []
    assert stats["pressroom/skipped/robots_txt"] == 1


def test_malformed_feed_is_salvaged_without_crash(trap_crawl):
    site, stats, rows, requests = trap_crawl
    assert requested(requests, T.BROKEN_FEED) == [200]
    assert stats["pressroom/errors/bad_feed"] >= 1
    assert stats["finish_reason"] == "finished"


def test_external_entities_are_never_resolved(trap_crawl):
    site, stats, rows, requests = trap_crawl
    assert requested(requests, T.XXE_FEED) == [200] and requested(requests, T.XXE_SITEMAP) == [200]
    assert not [r.path for r in requests if r.path.startswith("/xxe/")]
    for row in rows:
        for field in ("feed_title", "feed_summary", "feed_content"):
            assert T.PASSWD_MARKER not in (row[field] or "")


def test_gzip_bomb_sitemap_is_refused(trap_crawl):
    site, stats, rows, requests = trap_crawl
    assert stats["pressroom/errors/sitemap_too_large"] == 1
    assert requested(requests, T.BOMB_ONLY_PATH) == []
    assert requested(requests, T.GZIP_SITEMAP) == [200]  # a sane gzip sitemap is read


def test_calendar_trap_stays_bounded(trap_crawl):
    site, stats, rows, requests = trap_crawl
    assert len([r for r in requests if r.path.startswith(T.CALENDAR)]) <= 2


def test_mislabelled_encodings_are_decoded_correctly(trap_crawl):
    site, stats, rows, requests = trap_crawl
    by_path = {urlsplit(r["final_url"]).path: r for r in rows}
    hidden = [p for p, outcome in site.traps.items() if "bytes labelled" in outcome]
    assert len(hidden) == 2
    for path in hidden:
        row = by_path[path]
        text = row["body"].decode(row["encoding"])
        assert text == decode_body(row["body"], row["content_type"])[0]
        assert site.release(path).title in text.replace("&#039;", "'").replace("&rsquo;", "’")
        assert "Ã" not in text and "\ufffd" not in text


def test_summary_counts_errors_by_kind(trap_crawl):
    site, stats, rows, requests = trap_crawl
    errors = {k for k in stats if k.startswith("pressroom/errors/")}
    assert {"pressroom/errors/timeout", "pressroom/errors/too_large", "pressroom/errors/http_500"} <= errors
    assert json.dumps(stats)  # the stats file is plain JSON for the parent process
    from pressroom.crawl import explained_problems, summarise

    lines = summarise(stats)
    errors_line = next(line for line in lines if line.startswith("errors"))
    for kind in ("redirect_loop 1", "timeout 1", "too_large 1", "http_500 1", "sitemap_too_large 1", "bad_feed"):
        assert kind in errors_line
    skipped_line = next(line for line in lines if line.startswith("skipped"))
    for reason in ("robots_txt 1", "non_html", "trap"):
        assert reason in skipped_line
    assert f"releases stored      {len(site.releases)}" in lines[1]
    explained = explained_problems(stats)
    assert any(T.DISALLOWED_PATH in line and "robots.txt" in line for line in explained)
    assert any(line.startswith("the server refused") and T.ERROR_PATH in line for line in explained)
