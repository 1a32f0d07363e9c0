"""Extract: blocks with DOM paths / hints / main flags, Cloudflare e-mails, page metadata, dumps."""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from cleaning.extract.blocks import walk_blocks, walk_page
from cleaning.extract.cfemail import decode_cfemail, decode_cfemails
from cleaning.extract.documents import extract_documents
from cleaning.core.options import CleanOptions
from cleaning.extract.pagemeta import extract_page_meta
from cleaning.core.schema import BlockKind, FeedEntry, SourceRecord
from cleaning.core.stats import Stats
from cleaning.core.urls import canonical_url, registered_domain
from cleaning.extract.witness import main_content_text

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
WP_URL = "https://www.amnistie-exemple.fr/actualites/monde-les-etats-doivent-proteger-la-cour/?utm_source=x&fbclid=y"
def _zyte_dir() -> Path:
    """The shared bench data, found the way the benchmarks find it (../shared/bench, /work/shared/bench, $PRESSROOM_BENCH_DATA)."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
    from bench.extraction import find_data_dir

    data = find_data_dir()
    return (data or Path("/nonexistent")) / "zyte"


ZYTE = _zyte_dir()


def html_doc(html: str, url: str | None = None, feed: FeedEntry | None = None, opts=CleanOptions(), stats=None):
    stats = stats if stats is not None else Stats()
    docs = extract_documents(SourceRecord(input="page.html", source="html", url=url, html=html, feed=feed),
                             opts, stats)
    assert len(docs) == 1
    return docs[0]


def blocks_of(html: str):
    return [(b.kind, b.text) for b in walk_blocks(LexborHTMLParser(html), "https://ex.org/a/")]


@pytest.fixture(scope="module")
def wp():
    return html_doc((FIXTURES / "html" / "wordpress_release.html").read_text(encoding="utf-8"), WP_URL)


def find(doc, text):
    matches = [b for b in doc.blocks if b.text.startswith(text)]
    assert matches, f"no block starts with {text!r}"
    return matches


# ------------------------------------------------------------------ blocks of a WordPress-like page


def test_whole_page_blocks_in_document_order(wp):
    texts = [b.text for b in wp.blocks]
    order = ["Aller au contenu", "En faisant un don", "Actualités", "Espace journalistes", "Monde",
             "Les États doivent protéger la Cour", "Les États doivent fermement", "Une session décisive",
             "Complément d’information", "Dernières actualités", "© 2025", "Nous utilisons des cookies"]
    positions = [next(i for i, t in enumerate(texts) if t.startswith(o)) for o in order]
    assert positions == sorted(positions)
    assert [b.position for b in wp.blocks] == list(range(len(wp.blocks)))


def test_kinds(wp):
    assert find(wp, "Les États doivent protéger la Cour")[0].kind is BlockKind.HEADING
    assert find(wp, "Une session décisive")[0].kind is BlockKind.HEADING
    assert find(wp, "Nous demandons aux États")[0].kind is BlockKind.QUOTE
    assert find(wp, "Défendre l’indépendance")[0].kind is BlockKind.LIST_ITEM
    assert find(wp, "Actualités")[0].kind is BlockKind.LIST_ITEM
    assert find(wp, "« La Cour est confrontée")[0].kind is BlockKind.PARAGRAPH  # direct quote in the body
    assert find(wp, "La Cour est confrontée")[0].kind is BlockKind.QUOTE  # the pull quote repeating it
    assert find(wp, "Jeanne Dupont, directrice")[0].kind is BlockKind.QUOTE


def test_chrome_hints(wp):
    def hints(text, i=0):
        return set(find(wp, text)[i].hints)

    assert {"banner", "donate"} <= hints("En faisant un don")
    assert {"header", "nav"} <= hints("Actualités")
    assert "hidden" in hints("Aller au contenu")  # screen-reader-text skip link
    assert {"aside", "contact", "desktop"} <= hints("Contact presse", 0)
    assert {"aside", "contact", "mobile"} <= hints("Contact presse", 1)
    assert {"teaser", "related"} <= hints("Dernières actualités")
    assert "footer" in hints("© 2025")
    assert "cookie" in hints("Nous utilisons des cookies")
    assert "share" in hints("Partager")
    assert {"byline", "date"} <= hints("1 décembre 2025")
    assert "lead" in hints("Les États doivent fermement")
    assert "pullquote" in hints("La Cour est confrontée") and "pullquote" not in hints("« La Cour est confrontée")
    assert "article-header" in hints("Les États doivent protéger la Cour")  # the article's header, not chrome
    body = find(wp, "L’Assemblée se réunit")[0]
    assert not {"header", "nav", "footer", "aside", "teaser", "banner", "cookie", "contact"} & set(body.hints)


def test_dom_paths_tell_copies_apart(wp):
    body = find(wp, "L’Assemblée se réunit")[0]
    assert body.dom_path == ("body/div#page.site/div#content.site-content/main#main.site-main/"
                             "article.post.type-post/div.entry-content/p")  # no indexes, no "post-4242"
    desktop, mobile = find(wp, "Contact presse")
    assert desktop.text == mobile.text == "Contact presse\nPour toute demande d'interview :\n+33 6 00 00 00 00"
    assert desktop.dom_path != mobile.dom_path


def test_kicker_is_its_own_block_before_what_it_labels(wp):
    kickers = [b for b in wp.blocks if "kicker" in b.hints]
    assert [b.text for b in kickers] == ["Monde", "Monde", "Monde"]
    title_kicker = kickers[0]
    assert wp.blocks[title_kicker.position + 1].text == "Les États doivent protéger la Cour"
    card_kicker = kickers[1]
    card_title = wp.blocks[card_kicker.position + 1]
    assert card_title.text == "Une autre nouvelle importante"
    assert card_kicker.href == card_title.href == "https://www.amnistie-exemple.fr/actualites/monde-une-autre-nouvelle/"
    snippet = wp.blocks[card_title.position + 1]
    assert snippet.text.endswith("...") and {"teaser", "snippet"} <= set(snippet.hints) and snippet.href is None


def test_href_only_when_the_block_is_mostly_a_link(wp):
    assert find(wp, "Je fais un don")[0].href == "https://www.amnistie-exemple.fr/faire-un-don/"
    assert find(wp, "L’Assemblée se réunit")[0].href is None


def test_main_flags_follow_the_article(wp):
    main = [b.text for b in wp.blocks if b.main]
    assert main[0].startswith("Les États doivent fermement")
    assert any(t.startswith("La 24e session") for t in main)
    chrome = ["En faisant un don", "Actualités", "Contact presse", "Dernières actualités", "Une autre nouvelle",
              "© 2025", "Nous utilisons des cookies", "Aller au contenu"]
    assert not [t for t in main if t.startswith(tuple(chrome))]


def test_cloudflare_email_decoded(wp):
    assert find(wp, "Écrivez-nous")[0].text == "Écrivez-nous : presse@amnistie-exemple.fr"
    assert find(wp, "Écrivez-nous")[0].href == "mailto:presse@amnistie-exemple.fr"
    assert "[email" not in " ".join(b.text for b in wp.blocks)


def test_cfemail_forms():
    hex_ = "4232302731312702232f2c2b31362b276f273a272f322e276c2430"
    assert decode_cfemail(hex_) == "presse@amnistie-exemple.fr"
    assert decode_cfemail("zz") is None and decode_cfemail("") is None
    link = decode_cfemails(f'<a href="/cdn-cgi/l/email-protection#{hex_}">écrire</a>')
    assert link == '<a href="mailto:presse@amnistie-exemple.fr">écrire</a>'
    span = decode_cfemails(f'<p>Mail: <span class="__cf_email__" data-cfemail="{hex_}">[email&#160;protected]</span></p>')
    assert span == "<p>Mail: presse@amnistie-exemple.fr</p>"


# ------------------------------------------------------------------ block shapes


def test_text_directly_in_divs_and_br_runs():
    assert blocks_of("<div>Intro <b>bold</b><p>para</p>tail <a href='/t'>text</a><br>line2<br><br>line3</div>") == [
        (BlockKind.PARAGRAPH, "Intro bold"), (BlockKind.PARAGRAPH, "para"),
        (BlockKind.PARAGRAPH, "tail text\nline2"), (BlockKind.PARAGRAPH, "line3")]


def test_nested_lists_tables_and_quotes():
    html = ("<ul><li>Parent<ul><li>Child one</li><li>Child <i>two</i></li></ul></li></ul>"
            "<table><tr><th>Head</th><td>Cell</td></tr></table>"
            "<blockquote><p>Quoted one</p><p>Quoted two</p></blockquote>"
            "<figure><img src='x.jpg'><figcaption>A caption</figcaption></figure>"
            "<aside class='pull-quote'><p>Pulled</p></aside><script>var x = 'no';</script>")
    assert blocks_of(html) == [
        (BlockKind.LIST_ITEM, "Parent"), (BlockKind.LIST_ITEM, "Child one"), (BlockKind.LIST_ITEM, "Child two"),
        (BlockKind.TABLE_CELL, "Head"), (BlockKind.TABLE_CELL, "Cell"),
        (BlockKind.QUOTE, "Quoted one"), (BlockKind.QUOTE, "Quoted two"),
        (BlockKind.CAPTION, "A caption"), (BlockKind.QUOTE, "Pulled")]


def test_layout_container_classes_do_not_mark_the_body_as_chrome():
    paragraphs = "".join(f"<p>Paragraph {i} of the article says something quite long about the topic at hand, "
                         f"with enough words for an extractor to keep it as the main content.</p>" for i in range(8))
    html = (f"<html><body><div class='container has-sidebar penci_sidebar'><article><h1>Title</h1>{paragraphs}"
            "</article><aside class='sidebar'><p>Sidebar text</p></aside></div></body></html>")
    doc = html_doc(html, "https://ex.org/a")
    body = [b for b in doc.blocks if b.text.startswith("Paragraph")]
    assert body and all(b.main and "aside" not in b.hints for b in body)
    assert "aside" in find(doc, "Sidebar text")[0].hints


def test_feed_content_is_a_second_witness():
    paragraphs = "".join(f"<p>Paragraph {i} of the article says something quite long about the topic at hand, "
                         "with enough words for an extractor to keep it.</p>" for i in range(5))
    html = (f"<html><body><article>{paragraphs}</article>"
            "<footer><p>Short release text only the feed has kept here.</p><p>Other footer text.</p></footer></body></html>")
    feed = FeedEntry(content="<p>Short release text only the feed has kept here.</p><p>The post X appeared first on Y.</p>")
    without, with_feed = html_doc(html, "https://ex.org/a"), html_doc(html, "https://ex.org/a", feed)
    assert not find(without, "Short release")[0].main  # trafilatura alone drops the footer
    assert find(with_feed, "Short release")[0].main
    assert not find(with_feed, "Other footer text.")[0].main
    assert all(b.main for b in with_feed.blocks if b.text.startswith("Paragraph"))


# ------------------------------------------------------------------ metadata and ids


def test_page_meta(wp):
    meta = wp.meta
    assert meta.title == "Monde. Les États doivent protéger la Cour"
    assert meta.h1 == "Monde Les États doivent protéger la Cour"
    assert meta.site_name == "Amnistie Exemple"
    assert meta.html_lang == "fr-FR"
    assert meta.description.startswith("Les États doivent protéger la Cour")
    assert meta.published.isoformat() == "2025-12-01T08:30:00+00:00" and meta.date_source == "jsonld"
    assert meta.modified.isoformat() == "2025-12-02T09:00:00+00:00"
    assert meta.authors == ("Claire Martin", "Paul Durand")
    assert meta.page_type == "NewsArticle"


def test_document_ids_and_urls(wp):
    canonical = "https://www.amnistie-exemple.fr/actualites/monde-les-etats-doivent-proteger-la-cour/"
    assert wp.canonical_url == canonical  # rel=canonical, utm_* and fragment dropped
    assert wp.doc_id == hashlib.sha1(canonical.encode()).hexdigest()[:16]
    assert wp.url == WP_URL and wp.site == "amnistie-exemple.fr" and wp.source == "html"
    assert wp.input == "page.html"


@pytest.mark.parametrize("head, body, source", [
    ('<meta property="article:published_time" content="2024-03-05T10:00:00+02:00">', "", "meta"),
    ("", '<article><time datetime="2024-03-05T08:00:00Z">5 March</time><p>x</p></article>', "time"),
    ('<script type="application/ld+json">[{"@type":"BlogPosting","datePublished":"2024-03-05T08:00:00Z"}]</script>',
     "", "jsonld"),
])
def test_date_sources(head, body, source):
    meta = extract_page_meta(LexborHTMLParser(f"<html><head>{head}</head><body>{body}</body></html>"))
    assert meta.published.isoformat() == "2024-03-05T08:00:00+00:00" and meta.date_source == source


def test_htmldate_fallback_from_url():
    html = "<html><body><h1>Report</h1><p>Some words.</p></body></html>"
    meta = extract_page_meta(LexborHTMLParser(html), "https://ex.org/2024/03/05/report/", html)
    assert meta.published.date().isoformat() == "2024-03-05" and meta.date_source == "htmldate"


def test_jsonld_publisher_and_author_string():
    html = ('<html><head><script type="application/ld+json">{"@type":"NewsArticle","headline":"Headline",'
            '"publisher":{"@type":"Organization","name":"Pub Org"},"author":"Solo Writer"}</script>'
            '<title>Page title</title></head><body></body></html>')
    meta = extract_page_meta(LexborHTMLParser(html))
    assert (meta.title, meta.site_name, meta.authors) == ("Headline", "Pub Org", ("Solo Writer",))


def test_url_helpers():
    assert canonical_url("HTTPS://Ex.org/a/?b=2&utm_medium=x&a=1&gclid=z#frag") == "https://ex.org/a/?a=1&b=2"
    assert registered_domain("https://www.amnesty.org.uk/press/x") == "amnesty.org.uk"
    assert registered_domain(None) is None


# ------------------------------------------------------------------ bad input


def test_bad_html_never_crashes():
    stats = Stats()
    empty = html_doc("", stats=stats)
    no_body = html_doc("<html><head><title>Only a title</title></head></html>", stats=stats)
    binary = html_doc("\x00\x01\x02\x03garbage\x00\x00" * 20, stats=stats)
    assert empty.blocks == no_body.blocks == binary.blocks == []
    assert "no-blocks" in empty.quality_flags and "binary" in binary.quality_flags
    assert [e["step"] for e in stats.errors] == ["extract"] * 3
    assert "binary" in stats.errors[2]["error"]


def test_huge_page_is_truncated_before_parsing():
    stats = Stats()
    html = "<html><body>" + "<p>Some paragraph text that repeats.</p>" * 200 + "</body></html>"
    doc = html_doc(html, opts=CleanOptions(max_input_bytes=1000), stats=stats)
    assert "truncated" in doc.quality_flags and stats["extract/truncated"] == 1
    assert 0 < len(doc.blocks) < 40


def test_record_without_content_is_reported():
    stats = Stats()
    assert extract_documents(SourceRecord(input="x#1", source="jsonl"), CleanOptions(), stats) == []
    assert stats.errors[0]["input"] == "x#1"


# ------------------------------------------------------------------ text dumps


def test_dump_lines_are_blocks_with_line_ranges():
    text = (FIXTURES / "dumps" / "seed_fr_amnesty.txt").read_text(encoding="utf-8")
    docs = extract_documents(SourceRecord(input="seed.txt", source="dump", text=text), CleanOptions(), Stats())
    assert len(docs) == 1
    doc = docs[0]
    lines = text.split("\n")
    assert re.fullmatch(r"seed\.txt:L1-\d+", doc.input)
    assert [b.text for b in doc.blocks] == [" ".join(x.split()) for x in lines if x.strip()][:len(doc.blocks)]
    assert all(b.kind is BlockKind.PARAGRAPH and b.dom_path is None for b in doc.blocks)
    assert doc.doc_id == hashlib.sha1("\n".join(b.text for b in doc.blocks).encode()).hexdigest()[:16]
    assert doc.url is None and doc.source == "dump"


def test_multi_release_dump_gives_several_documents():
    text = (FIXTURES / "dumps" / "multi_water_alliance.txt").read_text(encoding="utf-8")
    docs = extract_documents(SourceRecord(input="multi.txt", source="dump", text=text), CleanOptions(site="ex.org"),
                             Stats())
    assert len(docs) > 1 and len({d.doc_id for d in docs}) == len(docs)
    ranges = [tuple(map(int, re.fullmatch(r"multi\.txt:L(\d+)-(\d+)", d.input).groups())) for d in docs]
    assert all(a <= b for a, b in ranges) and all(b1 < a2 for (_, b1), (a2, _) in zip(ranges, ranges[1:]))
    assert all(d.site == "ex.org" for d in docs)


def test_empty_dump_is_reported():
    stats = Stats()
    assert extract_documents(SourceRecord(input="e.txt", source="dump", text="\n \n"), CleanOptions(), stats) == []
    assert stats.errors[0]["input"] == "e.txt"


# ------------------------------------------------------------------ real pages


def _token_shingles(text: str) -> list[tuple[str, ...]]:
    tokens = re.findall(r"\w+", text.casefold())
    return [tuple(tokens[i:i + 4]) for i in range(max(1, len(tokens) - 3))]


@pytest.mark.bench_data
@pytest.mark.skipif(not (ZYTE / "html").is_dir(), reason="zyte benchmark data not present")
def test_main_blocks_cover_trafilatura_on_real_pages():
    truth = json.loads((ZYTE / "ground-truth.json").read_text(encoding="utf-8"))
    for page_id in sorted(truth)[:6]:
        html = gzip.decompress((ZYTE / "html" / f"{page_id}.html.gz").read_bytes()).decode("utf-8")
        doc = html_doc(html, truth[page_id]["url"])
        ours = set(_token_shingles("\n".join(b.text for b in doc.blocks if b.main)))
        theirs = _token_shingles(main_content_text(html))
        coverage = sum(s in ours for s in theirs) / len(theirs)
        assert coverage >= 0.95, (page_id, coverage)


def test_home_page_canonical_is_not_trusted_for_ids():
    html = '<html><head><link rel="canonical" href="https://ex.org/"></head><body><p>Text.</p></body></html>'
    doc = html_doc(html, "https://ex.org/news/a-release/?utm_campaign=x")
    assert doc.meta.canonical_url == "https://ex.org/"
    assert doc.canonical_url == "https://ex.org/news/a-release/"


def test_main_is_guessed_when_no_extractor_keeps_anything():
    tiny = html_doc("<p>Hello world, this is a short press release.</p>", "https://ex.org/a")
    assert [b.main for b in tiny.blocks] == [True]
    walker = walk_page(LexborHTMLParser("<nav><p>Menu</p></nav><p>Outside.</p><article><p>Body.</p></article>"), None)
    assert [(b.text, b.main) for b in walker.guess_main()] == [("Menu", False), ("Outside.", False), ("Body.", True)]


def test_cut_teaser_quoting_title_and_lead_does_not_take_their_place_as_main():
    """A ticker card (title + the lead's first words + "...") above the article: the page's own
    title and lead are the main content, not the card that quotes them."""
    from cleaning.core.schema import Block
    from cleaning.extract.witness import mark_main

    title = "With shattered dreams, travellers return home"
    lead = ("NEW DELHI: Their dream shattered and savings wasted, nearly 150 travellers returned home on "
            "Wednesday after a long journey that ended at the airport gate in the early morning.")
    card = f"{title} {lead[:60].rsplit(' ', 1)[0]}..."
    rest = "He said he had spent four years trying, and would not try again, whatever the agents promised him."
    blocks = [Block(text=t, kind=BlockKind.PARAGRAPH, position=i) for i, t in enumerate([card, title, lead, rest])]
    marked = mark_main(blocks, [f"{title}\n{lead}\n{rest}"], Stats())
    assert [b.main for b in marked] == [False, True, True, True]


def test_witness_is_trafilatura_precision_mode_unless_it_kept_only_a_fragment(monkeypatch):
    from cleaning.extract import witness

    calls = []

    def fake(texts):
        def run(html, url, favor_precision, fast=True):
            calls.append((favor_precision, fast))
            return texts[(favor_precision, fast)] if (favor_precision, fast) in texts else texts[favor_precision]
        return run

    long_text = " ".join(f"word{i}" for i in range(150))
    monkeypatch.setattr(witness, "_trafilatura_text", fake({True: long_text, False: long_text + " related"}))
    assert witness.main_content_text("<html></html>") == long_text and calls == [(True, True)]  # long: no second run
    calls.clear()
    fragment, full = "A caption only.", " ".join(f"word{i}" for i in range(80))
    monkeypatch.setattr(witness, "_trafilatura_text", fake({True: fragment, False: full}))
    assert witness.main_content_text("<html></html>") == full
    assert calls == [(True, True), (False, True), (False, False)]  # short: default run, fast and with fallbacks
    calls.clear()
    fallback_full = full + " " + " ".join(f"more{i}" for i in range(40))  # the fallback extractors recover more
    monkeypatch.setattr(witness, "_trafilatura_text",
                        fake({True: fragment, (False, True): full, (False, False): fallback_full}))
    assert witness.main_content_text("<html></html>") == fallback_full
    short_but_most = " ".join(f"word{i}" for i in range(60))  # short, but over half the default: kept
    monkeypatch.setattr(witness, "_trafilatura_text", fake({True: short_but_most, False: full}))
    assert witness.main_content_text("<html></html>") == short_but_most


def test_article_cut_into_chunks_by_an_ad_is_main_after_the_ad():
    """Paragraphs on the DOM path of several main paragraphs (the article resumed after an ad
    box) are main; a short line there, and other paths (a comment), are not."""
    from cleaning.core.schema import Block
    from cleaning.extract.witness import extend_main_along_paths

    body, comments = "body/article/div.body/p", "body/section.comments/div.comment/p"
    sentence = "The article goes on after the advertisement with more sentences about the same topic {}."
    blocks = ([Block(text=sentence.format(i), position=i, dom_path=body, main=True) for i in range(3)]
              + [Block(text="Advertisement", position=3, dom_path="body/article/div.ad", hints=("ad",), main=False),
                 Block(text=sentence.format("after the ad"), position=4, dom_path=body, main=False),
                 Block(text="Photo: agency", position=5, dom_path=body, main=False),
                 Block(text=sentence.format("in a comment"), position=6, dom_path=comments, main=False)])
    out = extend_main_along_paths(blocks, Stats())
    assert [b.main for b in out] == [True, True, True, False, True, False, False]
    assert [b.main for b in extend_main_along_paths(blocks[1:], Stats())] == [b.main for b in blocks[1:]]  # 2 main: no


WCXB = ZYTE.parent / "wcxb"


@pytest.mark.bench_data
@pytest.mark.skipif(not (WCXB / "html").is_dir(), reason="wcxb benchmark data not present")
@pytest.mark.parametrize("page_id", ["0030", "1837", "4251"])  # long guides: precision mode kept one section
def test_a_witness_holding_a_sliver_of_a_long_page_is_checked_against_the_default_run(page_id):
    """Each of these pages has thousands of words of body; trafilatura's precision mode keeps 100-300."""
    from cleaning.pipeline import clean_html

    html = gzip.decompress((WCXB / "html" / f"{page_id}.html.gz").read_bytes()).decode("utf-8", "replace")
    truth = json.loads((WCXB / "ground-truth" / f"{page_id}.json").read_text(encoding="utf-8"))
    url = truth.get("url")
    precise = len(re.findall(r"\w+", main_content_text(html, url)))  # no page size given: precision as is
    body = clean_html(html, url)["body_text"] or ""
    truth_words = set(re.findall(r"\w+", json.dumps(truth["ground_truth"], ensure_ascii=False).casefold()))
    ours = re.findall(r"\w+", body.casefold())
    assert precise < 400 and len(ours) > 5 * precise, (precise, len(ours))
    assert sum(w in truth_words for w in ours) / len(ours) > 0.8  # what came back is the page's body
