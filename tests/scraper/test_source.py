"""The raw store's `discovered_via` (the records' `source`) is a rule of the site, not of response timing.

A release linked from a listing page and named by the sitemap and the feed is reached by whichever
response arrives first; the stored channel must not depend on that (issue 14).
"""

from __future__ import annotations

import dataclasses

import pytest

from pressroom.sample_site.server import serve_sample
from tests.scraper.conftest import paths, read_raw, run_scrapy

pytestmark = pytest.mark.timeout(180)

SLOW = 0.4  # seconds: enough for the other channel's responses to arrive first


def _crawl(out, slow: str, concurrency: int) -> tuple[dict[str, str], int]:
    """Crawl the sample site with the sitemaps and feeds slow (`slow="maps"`) or the listings slow
    (`slow="listings"`); ({release path: discovered_via}, rows whose channel was learnt after they were fetched)."""
    with serve_sample("default") as srv:
        site = srv.site
        releases = {r.path for r in site.releases}
        for path, page in list(site.pages.items()):
            is_map = path.endswith(".xml") or path.endswith("/feed/")
            is_listing = path not in releases and not is_map and path != "/robots.txt"
            if (slow == "maps" and is_map) or (slow == "listings" and is_listing and path != "/"):
                site.pages[path] = dataclasses.replace(page, delay=SLOW)
        stats = run_scrapy([srv.base_url + "/"], out,
                   settings={"CONCURRENT_REQUESTS": concurrency, "CONCURRENT_REQUESTS_PER_DOMAIN": concurrency})
    rows = read_raw(out)
    assert sorted(paths(rows)) == sorted(releases)  # every release stored once: the comparison covers them all
    return dict(zip(paths(rows), (r["discovered_via"] for r in rows))), stats.get("pressroom/store/relabelled", 0)


def test_the_stored_channel_does_not_depend_on_which_response_came_first(tmp_path):
    runs = {(slow, n): _crawl(tmp_path / f"{slow}-{n}", slow, n)
            for slow in ("maps", "listings") for n in (1, 8)}
    # the timing did make a difference: some run fetched pages before a better channel named them
    assert any(relabelled for _, relabelled in runs.values())
    first = next(iter(runs.values()))[0]
    assert all(first.values())
    for key, (sources, _) in runs.items():
        differing = {p: (first[p], sources[p]) for p in first if first[p] != sources[p]}
        assert not differing, f"{key}: {len(differing)} releases credited otherwise, e.g. {list(differing.items())[:3]}"


def test_the_credited_channel_follows_the_precedence_whatever_the_order_channels_came_in():
    from itertools import permutations

    from scraper.discovery import CHANNEL_PRECEDENCE, credited_channel

    for order in permutations(["start", "link", "listing", "sitemap", "feed", "zz-other"]):
        for n in range(1, len(order) + 1):
            named = order[:n]
            known = [c for c in CHANNEL_PRECEDENCE if c in named]
            assert credited_channel(named) == (known[0] if known else "zz-other")
    assert credited_channel([]) is None


def test_relabel_rewrites_only_the_batches_whose_rows_learnt_a_better_channel(tmp_path):
    import pyarrow.parquet as pq

    from scraper.items import RawPage
    from scraper.rawstore import RawStoreWriter

    writer = RawStoreWriter(tmp_path / "raw", batch_size=2)
    pages = [RawPage(url=f"https://example.org/press/{i}/", body=f"<p>{i}</p>".encode(), discovered_via="listing")
             for i in range(5)]
    for page in pages:
        writer.add(page.to_record())  # two files of two rows, one row still buffered
    before = {p: p.stat().st_mtime_ns for p in writer.files}
    better = {"https://example.org/press/1/": "sitemap", "https://example.org/press/4/": "feed"}
    assert writer.relabel(lambda url, final: better.get(url, "listing")) == 2
    writer.flush()
    rows = [r for p in writer.files for r in pq.read_table(p).to_pylist()]
    assert [r["discovered_via"] for r in rows] == ["listing", "sitemap", "listing", "listing", "feed"]
    assert [r["body"] for r in rows] == [p.body for p in pages]  # the rest of each row as it was
    assert writer.files[1].stat().st_mtime_ns == before[writer.files[1]]  # nothing to change: not rewritten


def test_a_batch_that_cannot_be_relabelled_costs_no_row(tmp_path):
    """Relabelling fails on a batch gone missing: the buffered rows are still written, and it is said."""
    from types import SimpleNamespace

    from scrapy.settings import Settings
    from scrapy.statscollectors import MemoryStatsCollector

    from scraper.items import RawPage
    from scraper.pipelines import RawStorePipeline

    stats = MemoryStatsCollector(SimpleNamespace(settings=Settings({"STATS_DUMP": False})))
    spider = SimpleNamespace(channel_of=lambda *urls: "sitemap")
    pipeline = RawStorePipeline(SimpleNamespace(stats=stats, spider=spider), tmp_path / "raw", batch_size=2)
    for i in range(3):
        pipeline.process_item(RawPage(url=f"https://example.org/press/{i}/", body=b"<p>x</p>", discovered_via="link"))
    first, = pipeline.writer.files
    first.unlink()  # removed under the crawl's feet
    pipeline.close_spider()
    assert "FileNotFoundError" in stats.get_value("pressroom/store/relabel_failed")
    assert len(pipeline.writer.files) == 2 and pipeline.writer.files[1].exists()
