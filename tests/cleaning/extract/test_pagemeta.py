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


# ------------------------------------------------------------------ published_precision: how precise the source was

import pytest

from cleaning.extract.pagemeta import value_precision, written_precision


def _page(head: str = "", body_extra: str = "") -> str:
    return f"<html><head>{head}</head><body><article>{body_extra}{BODY}{BODY}</article></body></html>"


@pytest.mark.parametrize("head, published, precision, source", [
    ('<meta property="article:published_time" content="2025-03-01">', "2025-03-01T00:00:00+00:00", "day", "meta"),
    ('<meta property="article:published_time" content="2025-03-01T14:30-05:00">', "2025-03-01T19:30:00+00:00",
     "minute", "meta"),
    ('<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2025-03-01T14:30:15+01:00"}'
     "</script>", "2025-03-01T13:30:15+00:00", "second", "jsonld"),
])
def test_published_precision_is_that_of_the_string_the_page_wrote(head, published, precision, source):
    record = clean_html(_page(head), "https://example.org/news/budget")
    assert record["published_at"].isoformat() == published
    assert (record["published_precision"], record["date_source"]) == (precision, source)


def test_an_undated_page_has_no_precision():
    record = clean_html(_page(), "https://example.org/news/budget")
    assert record["published_at"] is None and record["published_precision"] is None


def test_dates_from_the_url_the_text_and_htmldate_are_days():
    from_url = clean_html(_page(), "https://example.org/2025/03/04/budget/")
    assert from_url["published_at"].isoformat() == "2025-03-04T00:00:00+00:00"
    assert (from_url["date_source"], from_url["published_precision"]) == ("htmldate", "day")  # htmldate reads the URL
    dated = clean_html(_page(body_extra="<p>The council said on 3 March 2025 that it would act.</p>"),
                       "https://example.org/news/budget")
    assert dated["published_at"].date().isoformat() == "2025-03-03" and dated["published_precision"] == "day"


@pytest.mark.parametrize("written, precision", [
    ("2025-03-01", "day"), ("1 March 2025", "day"), ("2025-03-01+01:00", "day"), (["2025-03-01"], "day"),
    ("2025-03-01T09:05Z", "minute"), ("March 1, 2025 9:05 AM", "minute"), ("2025-03-01 09:05", "minute"),
    ("2025-03-01T09:05:07Z", "second"), ("2025-03-01T09:05:07.123+02:00", "second"),
    ("Sat, 01 Mar 2025 09:05:07 -0500", "second"), ("", None), (None, None),
])
def test_written_precision(written, precision):
    assert written_precision(written) == precision


def test_value_precision_of_parsed_feed_dates():
    from datetime import UTC, datetime

    assert value_precision(datetime(2025, 3, 1, tzinfo=UTC)) == "day"
    assert value_precision(datetime(2025, 3, 1, 9, 5, tzinfo=UTC)) == "minute"
    assert value_precision(datetime(2025, 3, 1, 9, 5, 7, tzinfo=UTC)) == "second"
    assert value_precision(None) is None
