"""scraper/spiders/press.py: start URLs, scope and dates from arguments and a profile."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest


def test_spider_takes_start_urls_and_scope_from_a_profile(tmp_path):
    from scraper.spiders.press import PressSpider

    path = tmp_path / "site.toml"
    path.write_text("name = 'ngo'\nstart_urls = ['https://www.ngo.example/presse/?utm_source=x']\n"
                    "allowed_domains = ['ngo.example']\n")
    spider = PressSpider(start_urls="https://www.ngo.example/feed/", profile=str(path), since="2024-01-01")
    assert spider.start_urls == ["https://www.ngo.example/feed/", "https://www.ngo.example/presse/"]
    assert spider.allowed_domains == ["ngo.example"]
    assert spider.since == datetime(2024, 1, 1, tzinfo=UTC)
    assert PressSpider(start_urls="http://a.example/x/").allowed_domains == ["a.example"]
    with pytest.raises(ValueError):
        PressSpider(start_urls="")
