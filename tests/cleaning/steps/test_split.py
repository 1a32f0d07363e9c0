"""split_document: roles of blocks from hints (HTML), from text cues and page shape (dumps)."""

from __future__ import annotations

import pytest

from cleaning.core.options import DEFAULT_OPTIONS
from cleaning.core.schema import Block, BlockKind, Document, PageMeta, Reason, Removed
from cleaning.core.text import has_phone
from cleaning.steps.split import split_document, split_kicker
from cleaning.core.stats import Stats


def dump_doc(lines: list[str], removed: list[Removed] | None = None, positions: list[int] | None = None) -> Document:
    positions = positions if positions is not None else list(range(len(lines)))
    blocks = [Block(text=t, position=p) for t, p in zip(lines, positions)]
    return Document(doc_id="d", input="x.txt", source="dump", blocks=blocks, removed=list(removed or []))


def split(doc: Document) -> Document:
    return split_document(doc, DEFAULT_OPTIONS, Stats())


LONG = ("The ministry must publish the inspection reports and open an independent inquiry into the discharges, "
        "the organisation said in a statement released this morning in the capital.")
LONG2 = ("Residents downstream have complained for years about the smell of the river and about fish dying "
         "in large numbers every summer, according to local associations.")


@pytest.mark.parametrize("title, kicker, rest", [
    ("Monde. L’Assemblée doit agir", "Monde", "L’Assemblée doit agir"),
    ("PRESS RELEASE: Governments must act now", "PRESS RELEASE", "Governments must act now"),
    ("Communiqué de presse : La CPI doit être protégée", "Communiqué de presse", "La CPI doit être protégée"),
    ("Freedoms. Brenmark. The law threatens thousands", "Freedoms", "Brenmark. The law threatens thousands"),
    ("Dr. Smith wins the prize", None, "Dr. Smith wins the prize"),
    ("John F. Kennedy airport workers strike", None, "John F. Kennedy airport workers strike"),
    ("Iran : les autorités doivent libérer les manifestants", None, "Iran : les autorités doivent libérer les manifestants"),
    ("A title without any label", None, "A title without any label"),
])
def test_split_kicker(title, kicker, rest):
    assert split_kicker(title) == (kicker, rest)


def test_phone_numbers_are_told_from_other_numbers():
    assert has_phone("+33 6 76 94 37 05") and has_phone("020 7946 0000") and has_phone("+44 (0)20 7413 5566")
    assert not has_phone("170 000 personnes") and not has_phone("du 1er au 6 décembre 2025")


def test_dump_release_roles():
    lines = [
        "Donate now to protect rivers and the people who depend on them.",
        "Media contact",
        "Jane Doe, press officer",
        "+44 20 7946 0321",
        "World. Rivers need a binding treaty",
        LONG,
        "What happens next",
        LONG2,
        "-ENDS-",
        "Notes to editors",
        "The talks run until Friday.",
        "The post World. Rivers need a binding treaty appeared first on River Watch.",
        "Europe. Another release title here",
        "Its snippet is cut short like a teaser excerpt...",
    ]
    doc = split(dump_doc(lines))
    assert (doc.kicker, doc.title) == ("World", "Rivers need a binding treaty")
    assert [(p.text, p.kind, p.section) for p in doc.paragraphs] == [
        (LONG, "paragraph", None), ("What happens next", "heading", "What happens next"),
        (LONG2, "paragraph", "What happens next")]
    assert doc.notes == ["The talks run until Friday."]
    assert doc.contacts == ["Media contact", "Jane Doe, press officer", "+44 20 7946 0321"]
    assert [(t.kicker, t.title, t.snippet) for t in doc.teasers] == [
        ("Europe", "Another release title here", "Its snippet is cut short like a teaser excerpt...")]
    reasons = {r.text: r.reason for r in doc.removed}
    assert reasons[lines[0]] == "banner"
    assert reasons[lines[11]] == "feed-footer"
    assert reasons[lines[4]] == "title"
    assert reasons[lines[12]] == reasons[lines[13]] == "teaser"


def test_about_heading_opens_notes_and_contacts_leave_the_body():
    lines = ["A plain title for the release", LONG, "Media contact: Jane Doe, +44 20 7946 0321", LONG2,
             "About River Watch", "River Watch is a network of river keepers in 30 countries."]
    doc = split(dump_doc(lines))
    assert doc.title == "A plain title for the release" and doc.kicker is None
    assert [p.text for p in doc.paragraphs] == [LONG, LONG2]
    assert doc.contacts == ["Media contact: Jane Doe, +44 20 7946 0321"]
    assert doc.notes == ["River Watch is a network of river keepers in 30 countries."]


def _headed(lines: list[tuple[str, str]]) -> Document:
    kinds = {"h": BlockKind.HEADING, "p": BlockKind.PARAGRAPH}
    blocks = [Block(text=t, kind=kinds[k], position=i) for i, (k, t) in enumerate(lines)]
    return Document(doc_id="d", input="x.html", source="html", blocks=blocks, meta=PageMeta(h1=lines[0][1]))


def test_a_notes_section_ends_at_the_next_heading_and_the_article_goes_on():
    doc = split(_headed([("h", "A guide to plants that tolerate low light"), ("p", LONG), ("p", LONG2),
                         ("h", "About the phrase 'low light tolerant'"), ("p", LONG2),
                         ("h", "Snake plant"), ("p", LONG), ("h", "ZZ plant"), ("p", LONG2)]))
    assert doc.notes == [LONG2]
    assert [p.text for p in doc.paragraphs] == [LONG, LONG2, "Snake plant", LONG, "ZZ plant", LONG2]


def test_a_notes_heading_before_most_of_the_text_is_an_ordinary_heading():
    """Background trails the body: a "notes" section longer than all the body before it is the body."""
    doc = split(_headed([("h", "The best VPNs of the year"), ("p", "A short introduction to this guide."),
                         ("h", "About our methodology and testing"), ("p", LONG), ("p", LONG2),
                         ("h", "Our picks"), ("p", LONG)]))
    assert doc.notes == []
    assert [p.text for p in doc.paragraphs] == ["A short introduction to this guide.", "About our methodology and testing", LONG, LONG2,
                                                "Our picks", LONG]


def test_a_trailing_about_section_before_contacts_and_teasers_stays_notes():
    """What follows the release's tail (contacts, the feed footer, teaser cards) is not counted in the section."""
    teaser = ("Another long release title that the site lists under the footer for readers to click on, "
              "with an excerpt cut short like this one, and then some more words to make it long enough to outweigh…")
    lines = ["A plain title for the release", LONG, "About River Watch",
             "River Watch is a network of river keepers in 30 countries.",
             "Media contact: Jane Doe, +44 20 7946 0321",
             "The post A plain title for the release appeared first on River Watch.", teaser, teaser]
    doc = split(dump_doc(lines))
    assert doc.notes == ["River Watch is a network of river keepers in 30 countries."]
    assert [p.text for p in doc.paragraphs] == [LONG]


def test_a_contact_heading_with_no_number_is_not_a_contact_block():
    lines = ["Press room", "Press releases", "World. Rivers need a binding treaty", LONG, LONG2]
    doc = split(dump_doc(lines))
    assert doc.contacts == []
    assert doc.title == "Rivers need a binding treaty"


def test_pull_quote_pair_in_a_dump_is_marked_quote_and_caption():
    quote = "“No community should have to buy its drinking water. Rules must apply to everyone,” said Ana Ruiz, director."
    lines = ["World. Rivers need a binding treaty", LONG, quote,
             "No community should have to buy its drinking water", "Ana Ruiz, director at River Watch", LONG2]
    doc = split(dump_doc(lines))
    assert [(p.kind) for p in doc.paragraphs] == ["paragraph", "paragraph", "quote", "caption", "paragraph"]


def test_split_reads_stripped_blocks_in_place_and_recovers_teasers_and_contacts():
    lines = ["Media contact", "+44 20 7946 0321", "World. Rivers need a binding treaty", LONG, LONG2,
             "The post World. Rivers need a binding treaty appeared first on River Watch.",
             "Europe. Another release title here", "Its snippet is cut short like a teaser excerpt..."]
    stripped = {0, 1, 5, 6, 7}
    blocks = [Block(text=t, position=i, stripped=Reason.SITE_BOILERPLATE if i in stripped else None)
              for i, t in enumerate(lines)]
    doc = Document(doc_id="d", input="x.txt", source="dump", blocks=blocks)
    assert [b.text for b in doc.kept_blocks] == [lines[i] for i in range(len(lines)) if i not in stripped]
    assert doc.stripped == [Removed(lines[i], "site-boilerplate") for i in sorted(stripped)]
    out = split(doc)
    assert out.title == "Rivers need a binding treaty"
    assert [p.text for p in out.paragraphs] == [LONG, LONG2]
    assert out.contacts == ["Media contact", "+44 20 7946 0321"]
    assert [t.title for t in out.teasers] == ["Another release title here"]
    assert out.removed[:len(stripped)] == doc.stripped  # strip's verdicts reported once, in page order
    assert len(out.removed) == len(stripped) + 1  # plus the title


def test_html_hints_decide_roles():
    def b(text, hints=(), kind=BlockKind.PARAGRAPH, main=False, href=None, path="html/body/div"):
        return Block(text=text, hints=hints, kind=kind, main=main, href=href, dom_path=path)

    blocks = [
        b("We use cookies to measure our audience.", ("cookie",)),
        b("Home", ("header", "nav"), BlockKind.LIST_ITEM, href="/"),
        b("Press centre", ("aside", "contact", "mobile"), BlockKind.HEADING),
        b("+44 20 7946 0321", ("aside", "contact", "mobile")),
        b("Freedoms.", ("article-header", "kicker")),
        b("Brenmark. The law threatens thousands", ("article-header", "title"), BlockKind.HEADING,
          path="html/body/main/article/header/h1"),
        b("18 December 2025", ("article-header", "date")),
        b("A standfirst that sums the release up.", ("lead",)),
        b(LONG, ("kicker",), main=True),  # a hint leaked from a container class: not a kicker
        b("What the law provides", (), BlockKind.HEADING, main=True),
        b(LONG2, (), main=True),
        b("Notes to editors", ("notes",), BlockKind.HEADING, main=True),
        b("Brenmark ratified the covenant in 1972.", (), main=True),
        b("Press centre", ("aside", "contact", "desktop"), BlockKind.HEADING),
        b("+44 20 7946 0321", ("aside", "contact", "desktop")),
        b("Latest news", ("aside", "related", "teaser"), BlockKind.HEADING),
        b("Climate.", ("aside", "kicker", "teaser"), href="/oil/"),
        b("The oil spill needs an inquiry", ("aside", "teaser"), BlockKind.LIST_ITEM, href="/oil/"),
        b("More than 41,520 people are affected by...", ("aside", "snippet", "teaser"), BlockKind.LIST_ITEM),
    ]
    doc = Document(doc_id="h", input="p.html", source="html", blocks=[
        Block(**{**{s: getattr(x, s) for s in x.__slots__}, "position": i}) for i, x in enumerate(blocks)],
        meta=PageMeta(h1="Freedoms. Brenmark. The law threatens thousands"))
    out = split(doc)
    assert (out.kicker, out.title) == ("Freedoms", "Brenmark. The law threatens thousands")
    assert out.lead == "A standfirst that sums the release up."
    assert [(p.text, p.kind) for p in out.paragraphs] == [
        (LONG, "paragraph"), ("What the law provides", "heading"), (LONG2, "paragraph")]
    assert out.paragraphs[2].section == "What the law provides"
    assert out.notes == ["Brenmark ratified the covenant in 1972."]
    assert out.contacts == ["Press centre", "+44 20 7946 0321"]
    assert [(t.kicker, t.title, t.url, t.snippet) for t in out.teasers] == [
        ("Climate", "The oil spill needs an inquiry", "/oil/", "More than 41,520 people are affected by...")]
    reasons = {r.text: r.reason for r in out.removed}
    assert reasons["We use cookies to measure our audience."] == "cookie-notice"
    assert reasons["Home"] == "navigation"


def test_empty_document_is_flagged_not_crashed():
    out = split(dump_doc([]))
    assert out.paragraphs == [] and out.title is None and "no-body" in out.quality_flags


def test_contact_lead_in_after_notes_and_dated_teaser_cards():
    lines = ["World. Rivers need a binding treaty", LONG, LONG2, "Notes to editors", "The talks run until Friday.",
             "To arrange an interview, please contact:", "Jane Doe", "press@riverwatch.example",
             "The post World. Rivers need a binding treaty appeared first on River &amp; Lake Watch.",
             "Europe. Another release title here", "2 March 2025", "Its snippet is cut short like an excerpt…"]
    doc = split(dump_doc(lines))
    assert doc.notes == ["The talks run until Friday."]
    assert doc.contacts == ["To arrange an interview, please contact:", "Jane Doe", "press@riverwatch.example"]
    assert [(t.kicker, t.title, t.snippet) for t in doc.teasers] == [
        ("Europe", "Another release title here", "Its snippet is cut short like an excerpt…")]
    assert [p.text for p in doc.paragraphs] == [LONG, LONG2]


def test_a_colon_line_without_a_number_after_it_stays_in_the_body():
    lines = ["World. Rivers need a binding treaty", LONG, "The press must be free to report:", LONG2]
    doc = split(dump_doc(lines))
    assert doc.contacts == [] and len(doc.paragraphs) == 3


def test_prose_about_cookies_or_donations_stays_in_the_body():
    prose = ("The regulator found that the company uses cookies to follow children across websites without consent, "
             "and ordered it to stop within three months, the organisation said.")
    lines = ["World. Tracking children online must stop", LONG, prose, LONG2]
    doc = split(dump_doc(lines))
    assert [p.text for p in doc.paragraphs] == [LONG, prose, LONG2]


def test_title_from_page_title_without_the_site_suffix_when_no_headline_block():
    doc = Document(doc_id="h", input="p.html", source="html",
                   blocks=[Block(text=LONG, main=True, dom_path="html/body/main/p", hints=("x",))],
                   meta=PageMeta(title="Rivers need a binding treaty | River Watch", site_name="River Watch"))
    assert split(doc).title == "Rivers need a binding treaty"


def test_html_headline_is_the_one_before_the_main_text_and_missed_siblings_are_rescued():
    def b(text, main, kind=BlockKind.PARAGRAPH, hints=(), path="html/body/article/div.content/p"):
        return Block(text=text, main=main, kind=kind, hints=hints, dom_path=path)

    blocks = [
        b("Frontpage", False, BlockKind.LIST_ITEM, ("header", "nav"), "html/body/header/nav/ul/li"),
        b("Early reviews of the console are here", True, BlockKind.HEADING, ("title",),
          "html/body/article/header/h2"),
        b(LONG, True), b("[Source: Wired]", False), b(LONG2, True),
        b("A related story with its own h1", False, BlockKind.HEADING, ("title",), "html/body/aside/header/h1"),
        b("Its teaser text", False, path="html/body/aside/p"),
    ]
    doc = Document(doc_id="h", input="p.html", source="html",
                   blocks=[Block(text=x.text, main=x.main, kind=x.kind, hints=x.hints, dom_path=x.dom_path,
                                 position=i) for i, x in enumerate(blocks)],
                   meta=PageMeta(title="Early reviews of the console are here - Digg",
                                 h1="A related story with its own h1"))
    out = split(doc)
    assert out.title == "Early reviews of the console are here"
    assert [p.text for p in out.paragraphs] == [LONG, "[Source: Wired]", LONG2]


def test_teaser_cards_stripped_by_the_site_model_keep_their_links():
    """In a batch the site model strips the teaser list; the cards' URLs must survive."""
    from cleaning import clean_pages
    from pressroom.sample_site import generate_site

    site = generate_site()
    pages = [{"url": "http://127.0.0.1:1" + r.path, "html": site.pages[r.path].body.decode("utf-8")}
             for r in site.releases[:8]]
    records = list(clean_pages(pages))
    assert all(any(r["reason"] == "teaser" for r in rec["removed"]) for rec in records)
    for rec, truth in zip(records, site.releases[:8]):
        assert [t["url"] for t in rec["teasers"]] == ["http://127.0.0.1:1" + t["url"] for t in truth.teasers]


def test_long_region_kicker_splits_but_title_case_headline_does_not():
    assert split_kicker("Middle East and North Africa. Authorities must act") == (
        "Middle East and North Africa", "Authorities must act")
    assert split_kicker("Latin America and the Caribbean. Floods kill 20")[0] == "Latin America and the Caribbean"
    assert split_kicker("Acme Completes Acquisition Of Beta. Shares Rise")[0] is None
    assert split_kicker("Police Arrest Three Men In Raid. Then more")[0] is None


def test_a_marked_up_pull_quote_is_quote_and_caption_even_when_the_witness_left_it_out():
    """<aside class="pullquote">: blocks.py gives "aside" (a landmark) and "pullquote"; the repeat decides, not `main`."""
    said = "“Journalism is not a crime. These four reporters were doing their job,” said David Chen, director."
    blocks = [
        Block(text="Reporters must be released", kind=BlockKind.HEADING, dom_path="html/body/main/article/h1", main=True),
        Block(text=LONG, dom_path="html/body/main/article/div/p", main=True),
        Block(text=said, dom_path="html/body/main/article/div/p", main=True),
        Block(text="Journalism is not a crime.", kind=BlockKind.QUOTE, dom_path="html/body/main/article/div/aside/p",
              hints=("aside", "pullquote"), main=False),
        Block(text="David Chen, director of research", kind=BlockKind.QUOTE,
              dom_path="html/body/main/article/div/aside/p", hints=("aside", "pullquote"), main=False),
        Block(text=LONG2, dom_path="html/body/main/article/div/p", main=True),
        Block(text="A sidebar line that repeats nothing at all here", dom_path="html/body/aside/p", hints=("aside",)),
    ]
    doc = split(Document(doc_id="d", input="x.html", source="html", blocks=blocks,
                         meta=PageMeta(h1="Reporters must be released")))
    assert [(p.kind, p.text) for p in doc.paragraphs] == [
        ("paragraph", LONG), ("paragraph", said), ("quote", "Journalism is not a crime."),
        ("caption", "David Chen, director of research"), ("paragraph", LONG2)]
    assert ("A sidebar line that repeats nothing at all here", Reason.NAVIGATION.value) in [
        (r.text, r.reason) for r in doc.removed]


def test_a_marked_up_block_that_repeats_nothing_is_judged_as_before():
    blocks = [
        Block(text="Reporters must be released", kind=BlockKind.HEADING, dom_path="html/body/main/article/h1", main=True),
        Block(text=LONG, dom_path="html/body/main/article/div/p", main=True),
        Block(text="Sign up to our newsletter for weekly campaign news", kind=BlockKind.QUOTE,
              dom_path="html/body/main/article/div/aside/p", hints=("aside", "pullquote"), main=False),
        Block(text=LONG2, dom_path="html/body/main/article/div/p", main=True),
    ]
    doc = split(Document(doc_id="d", input="x.html", source="html", blocks=blocks,
                         meta=PageMeta(h1="Reporters must be released")))
    assert [p.text for p in doc.paragraphs] == [LONG, LONG2]


def test_wordpress_pull_quotes_and_their_cite_lines_leave_the_body_and_become_linked_pull_quotes():
    """Gutenberg <figure class="wp-block-pullquote"> (plain and styled) and <aside class="pullquote">, end to end."""
    from pathlib import Path

    from cleaning.core.stats import Stats as RunStats
    from cleaning.io.readers import read_inputs
    from cleaning.pipeline import clean_sources

    folder = Path(__file__).resolve().parents[2] / "fixtures" / "html" / "wordpress_pullquotes"
    expected = {  # post -> (pull quote text, cite line, speaker)
        "01": ("Every day without shelter puts children at risk of disease and cold.",
               "Maria Okafor, emergency coordinator", "Maria Okafor"),
        "02": ("Journalism is not a crime.", "David Chen, director of research", "David Chen"),
        "03": ("Leur détention est arbitraire et doit cesser immédiatement", "Sophie Laurent, directrice des campagnes",
               "Sophie Laurent"),
        "04": ("The permit must be suspended until the pollution is cleaned up.", "— Amina Diallo", "Amina Diallo"),
    }
    records = {r["input"].rsplit("/", 1)[-1][:2]: r for r in clean_sources(list(read_inputs([str(folder)], RunStats())))}
    assert sorted(records) == sorted(expected)
    for post, (pull_text, cite, speaker) in expected.items():
        r = records[post]
        texts = [p["text"] for p in r["paragraphs"]]
        assert pull_text not in texts and cite not in texts, post
        assert {"text": pull_text, "reason": "pull-quote"} in r["removed"], post
        assert {"text": cite, "reason": "pull-quote-attribution"} in r["removed"], post
        (pull,) = [q for q in r["quotes"] if q["kind"] == "pull"]
        assert pull["speaker"] == speaker and pull["text"] == pull_text, post
        linked = r["quotes"][pull["pull_of"]]
        assert linked["kind"] == "direct" and linked["speaker"] == speaker and pull_text.rstrip(".") in linked["text"]
        assert not any(q["text"].strip("— ") in (cite.strip("— "), speaker) for q in r["quotes"]), post


def test_cards_the_witness_kept_as_main_content_are_body_on_a_page():
    """A "Title / snippet…" pair is a teaser card in a dump or outside the main content; on a page
    whose main-content witness kept it (a listing, a list article), it is the body itself."""
    snippet = "The first entry of the list is introduced by a short excerpt that the page cuts off…"

    def page(main: bool) -> Document:
        path = "html/body/main/article/div"
        blocks = [Block(text="Home", kind=BlockKind.LIST_ITEM, hints=("nav",), dom_path="html/body/nav/ul/li"),
                  Block(text="Rivers need a binding treaty", kind=BlockKind.HEADING, main=True,
                        dom_path="html/body/main/h1", position=0),
                  Block(text=LONG, main=True, dom_path=path + "/p", position=1),
                  Block(text="Ten rivers to watch this year", kind=BlockKind.HEADING, main=main, href="/rivers",
                        dom_path=path + "/h2", position=2),
                  Block(text=snippet, main=main, dom_path=path + "/p", position=3)]
        return Document(doc_id="h", input="p.html", source="html", blocks=blocks)

    kept = split(page(main=True))
    assert [p.text for p in kept.paragraphs] == [LONG, "Ten rivers to watch this year", snippet]
    assert kept.teasers == []
    left_out = split(page(main=False))
    assert [p.text for p in left_out.paragraphs] == [LONG]
    assert [(t.title, t.snippet) for t in left_out.teasers] == [("Ten rivers to watch this year", snippet)]


def test_cards_marked_up_as_teasers_are_body_when_the_witness_kept_them_unless_marked_related():
    """On a listing page the entries carry "card"/"teaser" classes and are the main content; a
    "related" box stays teasers even when the witness let it in, and so do cards it left out."""
    def card(title: str, hints: tuple[str, ...], main: bool, n: int) -> list[Block]:
        path = "html/body/main/div.cards/article"
        return [Block(text=title, kind=BlockKind.HEADING, hints=hints, main=main, href=f"/story-{n}",
                      dom_path=path + "/h3", position=2 * n),
                Block(text=LONG2, hints=hints, main=main, dom_path=path + "/p", position=2 * n + 1)]

    blocks = ([Block(text="Home", kind=BlockKind.LIST_ITEM, hints=("nav",), dom_path="html/body/nav/ul/li"),
               Block(text=LONG, main=True, dom_path="html/body/main/p", position=1)]
              + card("Rivers need a binding treaty", ("card", "teaser"), True, 1)
              + card("A story the page marks as related", ("related", "teaser"), True, 2)
              + card("A card the witness left out", ("card", "teaser"), False, 3))
    doc = split(Document(doc_id="h", input="p.html", source="html", blocks=blocks))
    assert [p.text for p in doc.paragraphs] == [LONG, "Rivers need a binding treaty", LONG2]
    assert [t.title for t in doc.teasers] == ["A story the page marks as related", "A card the witness left out"]


def test_lead_classes_on_many_separate_cards_are_not_the_page_lead():
    """One standfirst is the page's lead; "dek" classes under each card of a listing are not."""
    path = "html/body/main/div/article"

    def page(n_cards: int) -> Document:
        blocks = [Block(text="Home", kind=BlockKind.LIST_ITEM, hints=("nav",), dom_path="html/body/nav/ul/li")]
        for n in range(n_cards):
            blocks += [Block(text=f"Story number {n} on the river", kind=BlockKind.HEADING, main=True,
                             dom_path=path + "/h2"),
                       Block(text=f"Dek {n}: {LONG2}", hints=("lead",), main=True, dom_path=path + "/p")]
        return Document(doc_id="h", input="p.html", source="html", blocks=blocks)

    listing = split(page(4))
    assert listing.lead is None or listing.lead == ""
    assert [p.text for p in listing.paragraphs if p.text.startswith("Dek")] == [f"Dek {n}: {LONG2}" for n in range(4)]
    article = split(page(1))
    assert article.lead == f"Dek 0: {LONG2}"
