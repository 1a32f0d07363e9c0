"""bench/speed.py builds its site workload as distinct press rooms (one registered domain each)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench import speed  # noqa: E402
from cleaning.core.urls import registered_domain  # noqa: E402


def test_site_crawls_are_whole_sites_each_under_its_own_domain():
    sites = speed.site_crawls(2)
    assert [len(site) for site in sites] == [70, 70]
    domains = [{registered_domain(url) for url, _ in site} for site in sites]
    assert all(len(d) == 1 for d in domains) and domains[0] != domains[1]
    assert all("{{BASE}}" not in html for site in sites for _, html in site)
