"""The crawler's dupefilter over the one URL identity (cleaning.core.urls): same fetches as before it moved.

The pinned counts were measured by crawling both variants with the previous dupefilter
(scraper/urls.py's own canonicaliser) and again with this one: the same sets of requests.
"""

from __future__ import annotations

import pytest
from scrapy import Request

from cleaning.core.urls import NOISE_PARAM_RE, canonical_url
from pressroom.sample_site.server import serve_sample
from scraper.urls import CanonicalFingerprinter
from tests.scraper.conftest import run_scrapy
from tests.scraper.test_traps import LIMITS

pytestmark = pytest.mark.timeout(180)

FETCHED_BEFORE = {"default": 102, "traps": 122}  # distinct (method, path?query) the old dupefilter let through


def fingerprint(url: str) -> bytes:
    return CanonicalFingerprinter().fingerprint(Request(url))


@pytest.mark.parametrize("a, b", [
    ("https://ex.org/?p=123&utm_source=x", "https://EX.org/?p=123#respond"),
    ("https://ex.org/viewtopic.php?f=2&t=1&fbclid=1", "https://ex.org/viewtopic.php?t=1&f=2"),
    ("https://ex.org/forum/?threads/a.1/&gclid=2", "https://ex.org/forum/?threads/a.1/"),
])
def test_tracking_variants_are_one_request(a, b):
    assert fingerprint(a) == fingerprint(b)


@pytest.mark.parametrize("a, b", [
    ("https://ex.org/?p=123", "https://ex.org/?p=124"),
    ("https://ex.org/forum/?threads/a.1/", "https://ex.org/forum/?threads/b.2/"),
    ("https://ex.org/index.php?option=com_content&id=7", "https://ex.org/index.php?option=com_content&id=8"),
    ("https://ex.org/news/a", "https://ex.org/news/a/"),  # a /a -> /a/ redirect is not its own duplicate
    ("https://ex.org/News/A/", "https://ex.org/news/a/"),
])
def test_distinct_pages_are_distinct_requests(a, b):
    assert fingerprint(a) != fingerprint(b)


@pytest.mark.parametrize("variant", sorted(FETCHED_BEFORE))
def test_sample_crawl_fetches_what_it_did_before(variant, tmp_path):
    with serve_sample(variant) as srv:
        run_scrapy([srv.base_url + "/"], tmp_path / variant, settings=LIMITS if variant == "traps" else None)
        fetched = {(r.method, r.path) for r in srv.requests}
        releases = {r.path for r in srv.site.releases}
    assert len(fetched) == FETCHED_BEFORE[variant]
    paths = {path for _, path in fetched}
    assert releases <= paths
    for path in paths:  # every request was already in canonical form, no noise parameter reached the site
        assert canonical_url(srv.base_url + path) == srv.base_url + path
        query = path.partition("?")[2]
        assert not any(NOISE_PARAM_RE.match(p.split("=")[0]) for p in query.split("&") if p)
