"""A teaser card whose title and date are sibling elements keeps them apart ("…hot seasonDecember 19, 2025")."""

from __future__ import annotations

from pathlib import Path

from selectolax.lexbor import LexborHTMLParser

from cleaning.extract.blocks import walk_page
from cleaning.pipeline import clean_html

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "html"
LATEST = ('<ul class="wp-block-latest-posts__list has-dates wp-block-latest-posts">'
          '<li><a class="wp-block-latest-posts__post-title" href="/2025/12/19/hot/">River levels fall after a hot season</a>'
          '<time datetime="2025-12-19T10:00:00+00:00" class="wp-block-latest-posts__post-date">December 19, 2025</time></li>'
          '<li><a class="wp-block-latest-posts__post-title" href="/2025/11/02/eels/">Volunteers count eels at the weir</a>'
          '<time datetime="2025-11-02T10:00:00+00:00" class="wp-block-latest-posts__post-date">November 2, 2025</time></li>'
          '</ul>')


def _texts(html: str) -> list[str]:
    return [b.text for b in walk_page(LexborHTMLParser(html), "https://example.org/").blocks]


def test_the_latest_posts_title_and_date_are_two_blocks():
    texts = _texts(f"<html><body><aside>{LATEST}</aside></body></html>")
    assert texts == ["River levels fall after a hot season", "December 19, 2025",
                     "Volunteers count eels at the weir", "November 2, 2025"]


def test_a_time_inside_a_sentence_or_a_link_stays_in_its_block():
    texts = _texts('<html><body><article><p><time datetime="2025-03-03">3 March 2025</time> – The minister said so.</p>'
                   '<div class="entry-meta">Posted on <a href="/x/"><time datetime="2025-03-03">March 3, 2025</time></a>'
                   "</div></article></body></html>")
    assert texts == ["3 March 2025 – The minister said so.", "Posted on March 3, 2025"]


def test_teasers_of_a_wordpress_post_have_titles_without_dates():
    html = (FIXTURES / "wordpress_default_post.html").read_text(encoding="utf-8")
    record = clean_html(html, "https://harbourwatch.example/2025/10/07/council-clean-harbour/")
    assert [t["title"] for t in record["teasers"]] == ["River levels fall after a hot season",
                                                       "Volunteers count eels at the weir"]
    assert not any(t["kicker"] for t in record["teasers"])  # the date line labels no card either
    assert "December 19, 2025" not in record["body_text"]
