"""cleaning/profiles: what a profile may say is what some code reads."""

from __future__ import annotations

import dataclasses

import pytest

from cleaning.profiles import Profile, bundled_profiles, load_profile, parse_profile


def test_the_bundled_example_loads_and_says_only_what_is_read():
    (example,) = [p for p in bundled_profiles() if p.name == "example.toml"]
    profile = load_profile(example)
    assert profile.is_release_url("https://www.example.org/2025/01/02/a-release/") is True
    assert profile.is_listing_url("https://www.example.org/page/2/") is True
    assert {f.name for f in dataclasses.fields(Profile)} == {
        "name", "start_urls", "allowed_domains", "releases", "listings", "languages", "feeds", "sitemaps", "path"}


@pytest.mark.parametrize("key, table", [("selectors", {"title": "h1.entry-title"}),
                                        ("headings", {"contacts": ["Press contact"]})])
def test_a_profile_with_a_key_nothing_reads_is_a_clear_error(key, table):
    with pytest.raises(ValueError, match=rf"site\.toml: \[{key}\] is not read by pressroom.*remove it"):
        parse_profile({"name": "site", key: table}, "site.toml")
