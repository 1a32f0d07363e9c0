"""Two crawls into one --out: the second stops at once with a clear line and exit 5; nothing is fetched twice."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
import time
from collections import Counter

import pytest

from pressroom.exitcodes import EXIT_BUSY
from pressroom.sample_site.server import serve_sample
from tests.scraper.conftest import REPO, env, paths, read_raw, run_pressroom

pytestmark = pytest.mark.timeout(120)


def test_a_second_crawl_into_a_busy_out_is_refused(tmp_path):
    out = tmp_path / "out"
    with serve_sample("default") as srv:
        releases = [r.path for r in srv.site.releases]
        for path in releases:  # slow enough that the first crawl is still running when the second starts
            srv.site.pages[path] = dataclasses.replace(srv.site.pages[path], delay=0.05)
        first = subprocess.Popen([sys.executable, "-m", "pressroom", "crawl", srv.base_url + "/", "--out", str(out),
                                  "--fast", "--resume", "-q", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=2"],
                                 cwd=REPO, env=env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 60
        while not any(r.path in releases for r in srv.requests) and time.monotonic() < deadline:
            assert first.poll() is None, first.communicate()
            time.sleep(0.05)
        second = run_pressroom("crawl", srv.base_url + "/", "--out", str(out), "--fast", "--resume", "-q")
        assert first.poll() is None, "the first crawl ended before the second was tried: the test proves nothing"
        stdout, stderr = first.communicate(timeout=90)
        assert first.returncode == 0, stderr[-2000:]
        # once the first is done, the folder is free again
        third = run_pressroom("crawl", srv.base_url + "/", "--out", str(out), "--fast", "--resume", "-q")

    assert second.returncode == EXIT_BUSY
    lines = second.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("another crawl is already writing to this output folder")
    assert str(out / ".crawl.lock") in lines[0] and f"pid {first.pid}" in lines[0]
    assert second.stdout == ""
    assert third.returncode == 0, third.stderr[-2000:]
    by_path = Counter(paths(read_raw(out)))
    assert sorted(by_path) == sorted(releases) and set(by_path.values()) == {1}  # every release stored once
