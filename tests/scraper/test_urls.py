"""scraper/urls.py: crawler traps and release-shaped URLs."""

from __future__ import annotations

from datetime import date

from scraper.urls import is_trap_url, looks_like_release_url


def test_trap_urls():
    assert is_trap_url("http://h/events/2031-05/")
    assert is_trap_url("http://h/calendar/?month=2026-11")
    assert is_trap_url("http://h/archive/1066/01/x/")
    assert is_trap_url("http://h/" + "a/b/" * 10)
    assert not is_trap_url("http://h/2024/05/some-release/", today=date(2026, 1, 1))


def test_release_url_shapes():
    assert looks_like_release_url("http://h/2024/05/03/some-release/")
    assert looks_like_release_url("http://h/communiques/greve-generale-annoncee/")
    assert not looks_like_release_url("http://h/page/2/")
    assert not looks_like_release_url("http://h/category/monde/")
    assert not looks_like_release_url("http://h/report.pdf")
