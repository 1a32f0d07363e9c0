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
from tests.scraper.conftest import REPO, env, paths, read_raw, run_pressroom, scrapy_command

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


def _wait_until_fetching(first: subprocess.Popen, srv, releases) -> None:
    deadline = time.monotonic() + 60
    while not any(r.path in releases for r in srv.requests) and time.monotonic() < deadline:
        assert first.poll() is None, first.communicate()
        time.sleep(0.05)


def _slow_releases(srv, delay: float) -> list[str]:
    releases = [r.path for r in srv.site.releases]
    for path in releases:  # slow enough that the first crawl is still running when the others start
        srv.site.pages[path] = dataclasses.replace(srv.site.pages[path], delay=delay)
    return releases


def test_the_exit_code_of_a_busy_scrapy_crawl_is_pressrooms():
    from scraper.crawllock import BUSY_EXIT_STATUS

    assert BUSY_EXIT_STATUS == EXIT_BUSY


@pytest.mark.parametrize("first_kind", ["scrapy", "pressroom"])
def test_a_bare_scrapy_crawl_takes_the_lock_and_is_refused_by_it(tmp_path, first_kind):
    """`scrapy crawl press` holds OUT/.crawl.lock itself: refused while another crawl (either way started)
    writes there, and refusing one; `pressroom crawl`'s child holds its parent's lock without waiting on it."""
    out = tmp_path / "out"
    with serve_sample("default") as srv:
        releases = _slow_releases(srv, 0.25)  # 70 releases, 2 at a time: about 9 s
        base = srv.base_url + "/"
        if first_kind == "scrapy":
            cmd = scrapy_command([base], out, settings={"CONCURRENT_REQUESTS_PER_DOMAIN": 2, "CLOSESPIDER_TIMEOUT": 90})
        else:
            cmd = [sys.executable, "-m", "pressroom", "crawl", base, "--out", str(out), "--fast", "-q",
                   "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=2"]
        first = subprocess.Popen(cmd, cwd=REPO, env=env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        _wait_until_fetching(first, srv, releases)
        started = time.monotonic()
        bare = subprocess.run(scrapy_command([base], out, settings={"PRESSROOM_STATS_FILE": str(tmp_path / "s.json")}),
                              cwd=REPO, env=env(), capture_output=True, text=True, timeout=60)
        bare_took = time.monotonic() - started
        assert bare.returncode == EXIT_BUSY, f"not refused (exit {bare.returncode}): {bare.stderr[-1500:]}"
        cli = run_pressroom("crawl", base, "--out", str(out), "--fast", "-q")
        assert first.poll() is None, "the first crawl ended before the others were tried: the test proves nothing"
        stdout, stderr = first.communicate(timeout=90)
        assert first.returncode == 0, stderr[-2000:]

    for refused in (bare, cli):
        assert refused.returncode == EXIT_BUSY, refused.stderr[-2000:]
        lines = refused.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("another crawl is already writing to this output folder")
        assert str(out / ".crawl.lock") in lines[0] and f"pid {first.pid}" in lines[0]
    assert "-s PRESSROOM_OUT=DIR" in bare.stderr and "--out" in cli.stderr
    assert bare_took < 30 and not (tmp_path / "s.json").exists()  # refused before crawling: no stats of its own
    by_path = Counter(paths(read_raw(out)))
    assert sorted(by_path) == sorted(releases) and set(by_path.values()) == {1}  # every release stored once
    if first_kind == "pressroom":
        stats = __import__("json").loads((out / "reports" / "crawl-stats.json").read_text())
        assert stats["pressroom/lock"].endswith("(exclusive, from the parent)")  # one lock, handed down


def test_shared_holders_run_side_by_side_and_keep_an_exclusive_crawl_out(tmp_path):
    """The processes of one distributed crawl share the folder (scraper.distributed sets "shared"); a local crawl
    is refused while any of them holds it, and gets it once they are gone."""
    from scraper.crawllock import OutputBusy, acquire, release

    one, _ = acquire(tmp_path, "shared")
    two, _ = acquire(tmp_path, "shared")
    with pytest.raises(OutputBusy):
        acquire(tmp_path, "exclusive")
    release(one, owner=True, mode="shared")
    with pytest.raises(OutputBusy):
        acquire(tmp_path, "exclusive")
    release(two, owner=True, mode="shared")
    alone, _ = acquire(tmp_path, "exclusive")
    with pytest.raises(OutputBusy):
        acquire(tmp_path, "shared")
    release(alone, owner=True)


def test_a_descriptor_that_is_not_the_lock_file_is_not_taken_for_the_parents_lock(tmp_path):
    """PRESSROOM_LOCK_FD naming another file (or a closed descriptor) hands nothing down: the lock is taken anew."""
    from scraper.crawllock import LOCK_NAME, OutputBusy, acquire, release

    holder, _ = acquire(tmp_path)
    with open(tmp_path / "other.txt", "w") as other:
        with pytest.raises(OutputBusy) as refused:
            acquire(tmp_path, inherited_fd=other.fileno())
    assert refused.value.path == str(tmp_path / LOCK_NAME)
    with pytest.raises(OutputBusy):
        acquire(tmp_path, inherited_fd=987)  # not open
    inherited, from_parent = acquire(tmp_path, inherited_fd=__import__("os").dup(holder.fileno()))
    assert from_parent  # the very open file the holder locked: no second lock, no wait
    release(inherited, owner=False)
    release(holder, owner=True)
