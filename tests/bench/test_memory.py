"""bench/memory.py builds a realistic archive: one site per registered domain, ~70 pages each, one large site."""

import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench import memory  # noqa: E402
from cleaning.core.stats import Stats  # noqa: E402
from cleaning.core.urls import registered_domain  # noqa: E402
from cleaning.io.readers import read_inputs  # noqa: E402


def test_archive_has_many_sites_and_one_large_site_in_both_formats(tmp_path):
    paths = memory.write_archives(tmp_path, 300, 0.3, ("jsonl", "warc"))
    read = {}
    for fmt, path in paths.items():
        stats = Stats()
        read[fmt] = [(r.url, r.html, r.fetched_at) for r in read_inputs([str(path)], stats)]
        assert not stats.errors
    assert read["jsonl"] == read["warc"] and len(read["jsonl"]) == 300
    sites = Counter(registered_domain(url) for url, _, _ in read["jsonl"])
    assert sites.pop("bigpress.org") == 90  # the large site: 30% of the pages, several seeds under one host
    assert len(sites) == 3 and all(name.endswith("-news.org") for name in sites)  # one registered domain each
    assert sorted(sites.values()) == [70, 70, 70]
    assert len({url for url, _, _ in read["jsonl"]}) == 300  # no page twice (keep_latest_fetch would drop it)
    assert all("{{BASE}}" not in html for _, html, _ in read["jsonl"])
