"""A malformed <link rel=canonical> (urljoin raises "Invalid IPv6 URL") degrades the canonical URL, not the page."""

from cleaning.pipeline import clean_html

BODY = "<p>" + "The council approved the new budget on Monday after a long debate about schools and roads. " * 5 + "</p>"


def test_page_with_malformed_canonical_keeps_its_record():
    html = (f'<html><head><link rel="canonical" href="http://[bad-host/page"></head>'
            f"<body><article>{BODY}{BODY}</article></body></html>")
    record = clean_html(html, "https://example.org/news/budget")
    assert "council approved the new budget" in record["body_text"]
    assert record["canonical_url"] == "https://example.org/news/budget"
