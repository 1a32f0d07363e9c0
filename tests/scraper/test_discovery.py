"""scraper/discovery.py: what a page says about itself (links, feeds, dates, release or listing) and its main-content hash."""

from __future__ import annotations

from datetime import UTC, datetime

from scraper.discovery import in_date_range, is_binary, is_listing_page, is_release_page, read_signals


def test_page_signals():
    html = ("<html><head><link rel=alternate type=application/rss+xml href=/feed/>"
            "<script type=application/ld+json>{\"@graph\":[{\"@type\":\"PressRelease\","
            "\"datePublished\":\"2024-03-01T10:00:00+01:00\"}]}</script></head><body>"
            "<a href='/2024/03/a-b-c-d/#x'>x</a><a href='mailto:a@b'>m</a><a href='/news/page/2/'>Suivant »</a></body></html>")
    signals = read_signals(html, "http://h/x/")
    assert signals.feed_urls == ("http://h/feed/",)
    assert signals.links == ("http://h/2024/03/a-b-c-d/", "http://h/news/page/2/")
    assert signals.next_url == "http://h/news/page/2/"
    assert signals.published == datetime(2024, 3, 1, 9, tzinfo=UTC)
    assert is_release_page(signals, "http://h/x/")
    listing = read_signals("<html><head><meta property='og:type' content='website'><link rel=next href=/p/2/>"
                           "</head></html>", "http://h/news/")
    assert not is_release_page(listing, "http://h/news/") and is_listing_page(listing, "http://h/news/")


def test_binary_sniffing_and_date_range():
    assert is_binary(b"%PDF-1.7 ...") and is_binary(b"\x89PNG\r\n") and not is_binary(b"<!doctype html>")
    since, until = datetime(2024, 1, 1, tzinfo=UTC), datetime(2024, 2, 1, tzinfo=UTC)
    assert in_date_range(None, since, until) and in_date_range(datetime(2024, 1, 5, tzinfo=UTC), since, until)
    assert not in_date_range(datetime(2023, 12, 31, tzinfo=UTC), since, until)


def test_profile_patterns_decide_before_page_signals(tmp_path):
    from cleaning.profiles import load_profile

    path = tmp_path / "p.toml"
    path.write_text("name = 't'\n[releases]\nallow = ['/notes/']\ndeny = ['/2024/']\n")
    profile = load_profile(path)
    release = read_signals("<meta property='og:type' content='article'>", "http://h/2024/01/a-b-c-d/")
    assert not is_release_page(release, "http://h/2024/01/a-b-c-d/", profile)
    assert is_release_page(read_signals("<p>x</p>", "http://h/notes/x/"), "http://h/notes/x/", profile)


def test_main_content_hash_ignores_chrome_and_sees_the_release():
    from scraper.discovery import main_content_hash, parse_html

    def page(sidebar: str, body: str, title: str = "Title") -> str:
        return (f"<html><body><header>Site <nav><a href='/'>Home</a></nav></header><main><article><header><h1>{title}"
                f"</h1></header><p>{body}</p></article></main><aside><ul><li>{sidebar}</li></ul></aside>"
                "<footer>© site</footer><script>var t = 1;</script></body></html>")

    def digest(html: str) -> str:
        return main_content_hash(parse_html(html, "https://ex.org/a/"))

    base = digest(page("Latest: post one", "The release text."))
    assert digest(page("Latest: post two", "The release text.")) == base  # only the sidebar changed
    assert digest(page("Latest: post one", "The release text.").replace("Home", "Accueil")) == base
    assert digest(page("Latest: post one", "The release text, updated.")) != base
    assert digest(page("Latest: post one", "The release text.", title="New title")) != base  # the article's header
    no_main = "<html><body><nav>Menu</nav><p>Text of a page without main.</p><aside>{}</aside></body></html>"
    assert digest(no_main.format("a")) == digest(no_main.format("b")) != digest(no_main.format("a").replace("Text", "T"))


def test_a_page_without_main_text_has_no_main_content_hash():
    from scraper.discovery import main_content_hash, parse_html

    shell = "<html><body><nav>Menu</nav><main><div id='app'></div></main><script>render()</script></body></html>"
    assert main_content_hash(parse_html(shell, "https://ex.org/a/")) is None  # only its bytes tell
