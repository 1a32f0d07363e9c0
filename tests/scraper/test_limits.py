"""Crawl bounds on a tiny site: pages per listing, endless pagination that repeats itself, link depth, non-HTML."""

from __future__ import annotations

import re

import pytest

from tests.scraper.conftest import html_page, paths, read_raw, run_scrapy, tiny_site

pytestmark = pytest.mark.timeout(60)

MAX_LISTING_PAGES = 3
PNG = b"\x89PNG\r\n\x1a\n" + bytes(64)


def _route(path: str):
    """/news/: endless pagination, every page with two fresh releases; /archive/: endless, always the same two;
    /team/d1/d2/...: a chain of plain pages, each linking one level deeper."""
    html = "text/html; charset=utf-8"
    if path == "/":
        return 200, html, html_page("Home", ["/news/", "/archive/", "/team/d1/", "/media/logo/", "/files/report.pdf",
                                            "/hop/1/"])
    if match := re.fullmatch(r"/hop/(\d+)/", path):  # a redirect chain that never ends, and never loops
        return 302, "text/html", b"", {"Location": f"/hop/{int(match.group(1)) + 1}/"}
    if path == "/media/logo/":  # an image behind a URL that does not say so
        return 200, "image/png", PNG
    if path == "/files/report.pdf":
        return 200, "application/pdf", b"%PDF-1.7\n%%EOF\n"
    if match := re.fullmatch(r"/news/(?:page/(\d+)/)?", path):
        n = int(match.group(1) or 1)
        return 200, html, html_page(f"News {n}", [f"/news/item-{n}-a/", f"/news/item-{n}-b/"],
                                    next_url=f"/news/page/{n + 1}/")
    if match := re.fullmatch(r"/archive/(?:page/(\d+)/)?", path):
        n = int(match.group(1) or 1)
        return 200, html, html_page(f"Archive {n}", ["/news/old-a/", "/news/old-b/"],
                                    next_url=f"/archive/page/{n + 1}/")
    if re.fullmatch(r"/news/(item-\d+-[ab]|old-[ab])/", path):
        return 200, html, html_page(path.strip("/").replace("/", " "), article=True)
    if re.fullmatch(r"/team(/d\d)+/", path):
        depth = path.count("/d")
        return 200, html, html_page(f"Team {depth}", [f"{path}d{depth + 1}/"])
    return None


@pytest.fixture(scope="module")
def limited_crawl(tmp_path_factory):
    out = tmp_path_factory.mktemp("limits")
    with tiny_site(_route) as (log, base):
        stats = run_scrapy([base + "/"], out, settings={"PRESSROOM_MAX_LISTING_PAGES": MAX_LISTING_PAGES,
                                                        "PRESSROOM_MAX_DEPTH": 3, "REDIRECT_MAX_TIMES": 4})
        yield stats, read_raw(out), [path for _, path, _ in log]


def test_pages_per_listing_are_capped(limited_crawl):
    stats, rows, requested = limited_crawl
    news_pages = [p for p in requested if re.fullmatch(r"/news/(page/\d+/)?", p)]
    assert sorted(news_pages) == ["/news/", "/news/page/2/", "/news/page/3/"]
    assert stats["pressroom/skipped/listing_page_cap"] >= 1
    assert {f"/news/item-{n}-{x}/" for n in (1, 2, 3) for x in "ab"} <= set(paths(rows))


def test_pagination_that_shows_nothing_new_ends(limited_crawl):
    stats, rows, requested = limited_crawl
    assert sorted(p for p in requested if p.startswith("/archive/")) == ["/archive/", "/archive/page/2/"]
    assert stats["pressroom/skipped/pagination_exhausted"] == 1
    assert {"/news/old-a/", "/news/old-b/"} <= set(paths(rows))


def test_link_depth_is_capped(limited_crawl):
    stats, rows, requested = limited_crawl
    team = [p for p in requested if p.startswith("/team/")]
    assert sorted(team) == ["/team/d1/", "/team/d1/d2/", "/team/d1/d2/d3/"]  # 3 hops from the start page
    assert not any(p.startswith("/team/") for p in paths(rows))  # plain pages are not releases
    assert len(rows) == 8 and all(r["is_release"] for r in rows)


def test_non_html_is_noted_not_parsed(limited_crawl):
    stats, rows, requested = limited_crawl
    assert "/files/report.pdf" not in requested and stats["pressroom/skipped/non_html_link"] == 1  # known by its URL
    assert requested.count("/media/logo/") == 1 and stats["pressroom/skipped/non_html"] == 1  # known by its type
    assert not {"/media/logo/", "/files/report.pdf"} & set(paths(rows))


def test_endless_redirect_chain_is_given_up_and_counted(limited_crawl):
    stats, rows, requested = limited_crawl
    assert [p for p in requested if p.startswith("/hop/")] == [f"/hop/{n}/" for n in range(1, 6)]  # 1 + 4 hops
    assert stats["pressroom/errors/too_many_redirects"] == 1 and "pressroom/errors/redirect_loop" not in stats
