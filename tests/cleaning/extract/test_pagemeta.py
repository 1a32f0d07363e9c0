"""A malformed <link rel=canonical> (urljoin raises "Invalid IPv6 URL") degrades the canonical URL, not the page."""

from cleaning.pipeline import clean_html

BODY = "<p>" + "The council approved the new budget on Monday after a long debate about schools and roads. " * 5 + "</p>"


def test_page_with_malformed_canonical_keeps_its_record():
    html = (f'<html><head><link rel="canonical" href="http://[bad-host/page"></head>'
            f"<body><article>{BODY}{BODY}</article></body></html>")
    record = clean_html(html, "https://example.org/news/budget")
    assert "council approved the new budget" in record["body_text"]
    assert record["canonical_url"] == "https://example.org/news/budget"


# ------------------------------------------------------------------ WordPress: dates from the article's own markup

from pathlib import Path

from selectolax.lexbor import LexborHTMLParser

from cleaning.extract.pagemeta import extract_page_meta

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "html"


def _meta(name: str, url: str = "https://harbourwatch.example/page/"):
    html = (FIXTURES / name).read_text(encoding="utf-8")
    return extract_page_meta(LexborHTMLParser(html), url, html)


def test_the_date_is_the_entry_headers_time_not_the_latest_posts_widgets():
    meta = _meta("wordpress_default_post.html")
    assert meta.published is not None and meta.published.isoformat() == "2025-10-07T09:15:00+00:00"
    assert meta.date_source == "time"


def test_a_page_whose_only_time_is_in_the_sidebar_widget_gets_no_date_from_it():
    meta = _meta("wordpress_attachment.html")  # the widget lists posts of 2025-12-19 and 2025-11-02
    assert meta.published is None or meta.published.date().isoformat() not in ("2025-12-19", "2025-11-02")


def test_a_time_inside_the_article_but_in_a_related_card_is_skipped():
    html = ("<html><body><main><article><div class='related-posts'><time datetime='2024-01-05'>5 Jan</time></div>"
            "<footer class='entry-footer'><time datetime='2025-03-04T08:00:00Z'>4 March</time></footer>"
            f"{BODY}</article></main></body></html>")
    meta = extract_page_meta(LexborHTMLParser(html), "https://example.org/a", None)
    assert meta.published.isoformat() == "2025-03-04T08:00:00+00:00"
