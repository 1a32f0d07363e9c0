"""Pages that are not releases (attachments, listings, legal pages) stay out of the articles table, counted;
the site name comes from the <title> suffix the site's pages repeat when the page has no og:site_name."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cleaning.core.options import CleanOptions
from cleaning.core.pagekind import declared_release
from cleaning.core.stats import Stats
from cleaning.pipeline import clean_pages

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "html"
POST = (FIXTURES / "wordpress_default_post.html").read_text(encoding="utf-8")
ATTACHMENT = (FIXTURES / "wordpress_attachment.html").read_text(encoding="utf-8")
BASE = "https://harbourwatch.example"
TOPICS = [("Council agrees to clean the harbour basin", "dredging of the harbour basin"),
          ("Eel numbers recover below the old weir", "eel counts at the weir"),
          ("New sensors measure the river at night", "night-time sensor readings"),
          ("Schools adopt a stretch of the riverbank", "the riverbank adopted by schools")]


def wp_post(n: int, title: str, topic: str, html_title: str | None = None) -> dict:
    """The default-theme post with its own headline, URL and wording (no og:site_name anywhere)."""
    url = f"{BASE}/2025/10/0{n + 1}/post-{n}/"
    html = POST.replace("Council agrees to clean the harbour basin &#8211; Harbour Watch",
                        html_title or f"{title} &#8211; Harbour Watch")
    html = html.replace("Council agrees to clean the harbour basin", title)
    html = html.replace("https://harbourwatch.example/2025/10/07/council-clean-harbour/", url)
    html = html.replace("the dredging of the harbour basin", topic).replace("eleven weeks", f"{n + 3} weeks")
    return {"url": url, "html": html}


def site_pages() -> list[dict]:
    return [wp_post(n, title, topic) for n, (title, topic) in enumerate(TOPICS)]


def test_an_attachment_page_is_skipped_with_a_count_and_posts_are_kept():
    stats = Stats()
    pages = [*site_pages(), {"url": f"{BASE}/2025/11/02/volunteers-count-eels/weir-eels-2025/", "html": ATTACHMENT}]
    records = list(clean_pages(pages, stats=stats))
    assert sorted(r["title"] for r in records) == sorted(t for t, _ in TOPICS)
    assert stats["classify/not_a_release"] == 1 and stats["classify/not_a_release/attachment"] == 1
    assert all(r["word_count"] > 50 and "not-a-release" not in r["quality_flags"] for r in records)


def test_with_all_pages_the_attachment_is_kept_and_flagged():
    pages = [*site_pages(), {"url": f"{BASE}/a/weir-eels-2025/", "html": ATTACHMENT}]
    records = list(clean_pages(pages, CleanOptions(all_pages=True)))
    flagged = [r for r in records if "not-a-release" in r["quality_flags"]]
    assert len(records) == 5 and len(flagged) == 1 and "not-a-release:attachment" in flagged[0]["quality_flags"]


def test_a_canonical_url_to_a_media_file_marks_an_attachment():
    html = POST.replace('<link rel="canonical" href="https://harbourwatch.example/2025/10/07/council-clean-harbour/">',
                        f'<link rel="canonical" href="{BASE}/wp-content/uploads/2025/11/weir.jpg">')
    stats = Stats()
    assert list(clean_pages([*site_pages(), {"url": f"{BASE}/?attachment_id=9", "html": html}], stats=stats))
    assert stats["classify/not_a_release/attachment"] == 1


def test_site_name_is_the_title_suffix_the_sites_pages_repeat():
    pages = site_pages()
    # this page's headline is not its <title>'s head: only the other pages' repetition names the site
    pages.append(wp_post(5, "Volunteers count eels at dawn", "dawn eel counts",
                         html_title="Dawn count &#8211; News &#8211; Harbour Watch"))
    records = list(clean_pages(pages))
    assert [r["site_name"] for r in records] == ["Harbour Watch"] * 5
    assert not any(re.search(r"^og:site_name", p["html"], re.M) for p in pages)


def test_a_single_page_takes_the_suffix_only_when_the_head_is_its_headline():
    post = wp_post(0, *TOPICS[0])
    assert [r["site_name"] for r in clean_pages([post])] == ["Harbour Watch"]
    other = wp_post(0, *TOPICS[0], html_title="Budget: what changes &#8211; Harbour Watch")
    assert [r["site_name"] for r in clean_pages([other])] == [None]


def test_json_ld_publisher_comes_before_the_title_suffix():
    ld = ('<script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"WebSite",'
          '"name":"Harbour Watch Bristol"}]}</script>\n</head>')
    pages = [{**p, "html": p["html"].replace("</head>", ld, 1)} for p in site_pages()]
    assert {r["site_name"] for r in clean_pages(pages)} == {"Harbour Watch Bristol"}


def _legal_page() -> dict:
    html = POST.replace("Council agrees to clean the harbour basin", "Legal notice").replace(
        '<link rel="canonical"', '<meta property="og:type" content="website">\n<link rel="canonical"')
    html = html.replace("https://harbourwatch.example/2025/10/07/council-clean-harbour/", f"{BASE}/legal/")
    return {"url": f"{BASE}/legal/", "html": html}


def test_a_website_page_on_a_site_of_articles_is_skipped_but_not_alone():
    articles = [{**p, "html": p["html"].replace("</head>", '<meta property="og:type" content="article">\n</head>', 1)}
                for p in site_pages()]
    stats = Stats()
    records = list(clean_pages([*articles, _legal_page()], stats=stats))
    assert len(records) == 4 and stats["classify/not_a_release/og_type"] == 1
    assert len(list(clean_pages([*site_pages(), _legal_page()]))) == 5  # the site declares no article either


def test_a_collection_page_is_a_listing():
    ld = '<script type="application/ld+json">{"@type":"CollectionPage","url":"x"}</script>\n</head>'
    listing = {"url": f"{BASE}/news/", "html": POST.replace("</head>", ld, 1)}
    stats = Stats()
    assert len(list(clean_pages([*site_pages(), listing], stats=stats))) == 4
    assert stats["classify/not_a_release/listing"] == 1


@pytest.mark.parametrize("types, og, expected", [
    ({"WebPage", "NewsArticle"}, "article", True), ({"CollectionPage"}, None, False),
    (set(), "website", False), (set(), "article", True), ({"WebPage"}, None, None)])
def test_the_declared_release_test_is_the_crawlers(types, og, expected):
    from scraper.discovery import PageSignals, is_release_page

    assert declared_release(types, og)[0] is expected
    signals = PageSignals(types=frozenset(t.lower() for t in types), og_type=og, published=None, next_url=None,
                          feed_urls=(), links=(), canonical=None)
    crawler = is_release_page(signals, "http://h/x/")  # a URL that says nothing: only the declaration counts
    assert crawler is (expected if expected is not None else False)


def test_the_title_suffix_comes_before_the_feed_footer_and_the_footer_still_names_the_rest():
    from cleaning.core.options import DEFAULT_OPTIONS
    from cleaning.core.schema import Document, PageMeta, Paragraph, Removed
    from cleaning.steps.annotate import annotate_document
    from cleaning.steps.classify import classify_document
    from cleaning.steps.sitemodel import SiteModel

    footer = Removed("The post Dawn appeared first on River Watch.", "feed-footer")

    def site_name(html_title: str) -> str | None:
        d = Document(doc_id="d", input="x.html", source="html", paragraphs=[Paragraph("Volunteers counted eels.")],
                     removed=[footer], meta=PageMeta(html_title=html_title, h1="Dawn count"))
        d = classify_document(d, SiteModel(), DEFAULT_OPTIONS, Stats())
        return annotate_document(d, DEFAULT_OPTIONS, Stats()).site_name

    assert site_name("Dawn count – Harbour Watch") == "Harbour Watch"
    assert site_name("Budget news – Harbour Watch") == "River Watch"  # the head is not the headline: no guess


def test_a_page_declaring_only_an_image_object_is_an_attachment_but_a_nested_logo_is_not():
    image = ('<script type="application/ld+json">{"@context":"https://schema.org","@type":"ImageObject",'
             '"contentUrl":"https://harbourwatch.example/weir.jpg"}</script>\n</head>')
    article = ('<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle",'
               '"headline":"x","publisher":{"@type":"Organization","name":"Harbour Watch",'
               '"logo":{"@type":"ImageObject","url":"https://harbourwatch.example/logo.png"}}}</script>\n</head>')
    pages = site_pages()
    pages[0] = {**pages[0], "html": pages[0]["html"].replace("</head>", article, 1)}
    stats = Stats()
    extra = {"url": f"{BASE}/media/weir/", "html": POST.replace("</head>", image, 1)}
    records = list(clean_pages([*pages, extra], stats=stats))
    assert len(records) == 4 and stats["classify/not_a_release/attachment"] == 1


def _chrome_only(head: str = "") -> dict:
    """A page of the site with the banner, the sidebar and the contact block, and nothing of its own."""
    html = re.sub(r'<div class="entry-content">.*?</div>', "", POST, flags=re.S).replace("</head>", head + "</head>", 1)
    html = html.replace("https://harbourwatch.example/2025/10/07/council-clean-harbour/", f"{BASE}/thanks/")
    return {"url": f"{BASE}/thanks/", "html": html.replace("Council agrees to clean the harbour basin", "Thanks")}


def test_a_body_of_site_boilerplate_only_is_skipped_unless_the_page_declares_an_article():
    stats = Stats()
    assert len(list(clean_pages([*site_pages(), _chrome_only()], stats=stats))) == 4
    assert stats["classify/not_a_release/boilerplate_only"] == 1
    declared = _chrome_only('<meta property="og:type" content="article">\n')
    records = list(clean_pages([*site_pages(), declared]))
    assert len(records) == 5  # a declared article with nothing left is a failure to show, not a page to hide
