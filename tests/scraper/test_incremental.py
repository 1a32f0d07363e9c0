"""Second runs: an incremental re-crawl fetches only what changed; a SIGKILLed crawl resumes losing nothing."""

from __future__ import annotations

import dataclasses
import json
import os
import signal
import subprocess
import time
from collections import Counter
from urllib.parse import urlsplit

import pytest

from pressroom.sample_site.generator import with_edited_releases
from pressroom.sample_site.server import serve_sample
from tests.scraper.conftest import REPO, env, paths, read_raw, run_pressroom, scrapy_command

pytestmark = pytest.mark.timeout(120)


def test_incremental_recrawl_uses_conditional_gets(tmp_path):
    out = tmp_path / "out"
    with serve_sample("default") as srv:
        first = run_pressroom("crawl", srv.base_url + "/", "--out", str(out), "--fast", "-q")
        assert first.returncode == 0, first.stderr[-2000:]
        releases = [r.path for r in srv.site.releases]
        edited = releases[3:5]
        srv.site = with_edited_releases(srv.site, edited)
        before = len(srv.requests)
        second = run_pressroom("crawl", srv.base_url + "/", "--out", str(out), "--fast")
        assert second.returncode == 0, second.stderr[-2000:]
        later = srv.requests[before:]

    statuses = {path: [r.status for r in later if r.path == path] for path in releases}
    full_downloads = [p for p in releases if p not in edited and 200 in statuses[p]]
    assert full_downloads == []  # unchanged releases: 304 only
    assert all(statuses[p] and set(statuses[p]) == {304} for p in releases if p not in edited)
    assert all(200 in statuses[p] for p in edited)
    conditional = [r for r in later if r.path in releases]
    assert all("If-None-Match" in r.headers for r in conditional)
    assert "new / changed / unchanged   0 / 2 / 68" in second.stdout

    rows = read_raw(out)
    by_path = Counter(paths(rows))
    assert all(by_path[p] == (2 if p in edited else 1) for p in releases)
    hashes = {p: {r["content_hash"] for r in rows if urlsplit(r["final_url"]).path == p} for p in edited}
    assert all(len(h) == 2 for h in hashes.values())


def test_sigkill_then_resume_stores_every_release_once(tmp_path):
    out = tmp_path / "out"
    with serve_sample("default") as srv:
        # slow the releases down so the kill lands mid-crawl, after some batches are on disk
        for path in [r.path for r in srv.site.releases]:
            srv.site.pages[path] = dataclasses.replace(srv.site.pages[path], delay=0.1)
        cmd = scrapy_command([srv.base_url + "/"], out, settings={
            "PRESSROOM_RESUME": 1, "JOBDIR": out / ".crawl-job", "PRESSROOM_BATCH_SIZE": 5,
            "CONCURRENT_REQUESTS_PER_DOMAIN": 4})
        proc = subprocess.Popen(cmd, cwd=REPO, env=env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while len(list((out / "raw").glob("part-*.parquet"))) < 2 and time.monotonic() < deadline:
            assert proc.poll() is None, "crawl ended before it could be killed"
            time.sleep(0.02)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        killed_rows = read_raw(out)
        assert 10 <= len(killed_rows) < len(srv.site.releases)
        stored_before = set(paths(killed_rows))
        before = len(srv.requests)

        resumed = run_pressroom("crawl", srv.base_url + "/", "--out", str(out), "--fast", "--resume")
        assert resumed.returncode == 0, resumed.stderr[-2000:]
        refetched = [r.path for r in srv.requests[before:] if r.path in stored_before]

    rows = read_raw(out)
    assert sorted(paths(rows)) == sorted(r.path for r in srv.site.releases)  # every release, exactly once
    assert refetched == []  # what the killed run stored is not fetched again


def _with_new_sidebar_teaser(site, href: str):
    """Every page's "latest news" widget gains one teaser (to `href`), as when a WordPress site publishes a post."""
    import re

    widget = re.compile(rb'(<section class="widget latest-news"><h2 class="widget-title">[^<]*</h2>\s*<ul>)')
    pages = dict(site.pages)
    changed = 0
    for path, page in pages.items():
        teaser = (b'<li class="teaser"><a href="' + href.encode() + b'"><span class="kicker">France.</span> '
                  b'A brand new post</a>\n<p class="teaser-excerpt">Its first lines.</p></li>')
        body, n = widget.subn(rb"\1\n" + teaser, page.body)
        if n:
            pages[path] = dataclasses.replace(page, body=body)
            changed += 1
    assert changed > len(site.releases)  # the widget is on every release (and the listings)
    return dataclasses.replace(site, pages=pages)


def test_a_sidebar_change_alone_is_no_change_of_the_release(tmp_path):
    out = tmp_path / "out"
    with serve_sample("default") as srv:
        first = run_pressroom("crawl", srv.base_url + "/", "--out", str(out), "--fast", "-q")
        assert first.returncode == 0, first.stderr[-2000:]
        releases = [r.path for r in srv.site.releases]
        edited = releases[2]
        srv.site = _with_new_sidebar_teaser(with_edited_releases(srv.site, [edited]), releases[0])
        before = len(srv.requests)
        second = run_pressroom("crawl", srv.base_url + "/", "--out", str(out), "--fast")
        assert second.returncode == 0, second.stderr[-2000:]
        later = srv.requests[before:]

    # every release's bytes changed (new ETag, so downloaded again), but only one release did
    assert all(200 in [r.status for r in later if r.path == p] for p in releases)
    assert f"new / changed / unchanged   0 / 1 / {len(releases) - 1}" in second.stdout
    stats = json.loads((out / "reports" / "crawl-stats.json").read_text())
    assert stats["pressroom/unchanged_main_content"] == len(releases) - 1
    by_path = Counter(paths(read_raw(out)))
    assert {p: n for p, n in by_path.items() if n != 1} == {edited: 2}  # no second copy of unchanged releases
    assert sorted(by_path) == sorted(releases)
