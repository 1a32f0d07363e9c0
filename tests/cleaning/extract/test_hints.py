"""Block hints: one enum (core.schema.Hint), produced by extract/blocks.py, one hint -> Reason map."""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser

from cleaning.core.schema import CHROME_ON_SIGHT, HINT_REASONS, Block, Hint, Reason
from cleaning.extract import blocks as B
from cleaning.extract.blocks import walk_blocks
from cleaning.steps import split as S
from cleaning.steps.strip import load_chrome_cues, text_reason


def test_every_hint_is_produced_by_the_block_walk_and_only_hints_are():
    produced = {h for cues in (B.HINT_CUES, B.WHOLE_CLASS_CUES) for hs in cues.values() for h in hs}
    produced |= set(B._LANDMARK_TAGS.values()) | set(B._LANDMARK_ROLES.values()) | set(B._IN_ARTICLE.values())
    produced |= {Hint.HIDDEN, Hint.PULLQUOTE, Hint.DATE}  # hidden attributes, quote-classed figures, <time>
    assert produced == set(Hint)
    assert all(isinstance(h, Hint) for h in produced)


def test_what_split_reads_is_hints_that_exist():
    """The old _LEAD/_TEASER/_NAV sets held "chapo", "latest", "menu", "sidebar", ...: values no block ever had."""
    for group in (S._TEASER_HINTS, S._NAV_HINTS, CHROME_ON_SIGHT, HINT_REASONS):
        assert all(isinstance(h, Hint) for h in group), group


def test_walked_blocks_carry_hint_members():
    html = ('<body><nav class="menu"><a href="/">Home</a></nav><article><header class="entry-header"><h1>T</h1>'
            '</header><figure class="wp-block-pullquote"><blockquote><p>Pulled</p><cite>Jane Doe, director</cite>'
            '</blockquote></figure></article></body>')
    by_text = {b.text: b.hints for b in walk_blocks(LexborHTMLParser(html))}
    assert by_text["Home"] == (Hint.NAV,)
    assert Hint.ARTICLE_HEADER in by_text["T"] and Hint.HEADER not in by_text["T"]
    assert Hint.PULLQUOTE in by_text["Pulled"] and Hint.PULLQUOTE in by_text["Jane Doe, director"]
    assert all(isinstance(h, Hint) for hints in by_text.values() for h in hints)


def test_split_drops_on_sight_only_the_hints_that_are_chrome_wherever_they_stand():
    lexicon = S.cues()
    for hint in CHROME_ON_SIGHT:
        assert S._drop_reason(Block(text="A line of the page", hints=(hint,)), lexicon) == HINT_REASONS[hint]
    # a teaser or contact hint names a removal, but in split it opens a decision of its own
    assert S._drop_reason(Block(text="A line of the page", hints=(Hint.TEASER,)), lexicon) is None
    assert S._drop_reason(Block(text="A line of the page", hints=(Hint.CONTACT,)), lexicon) is None


def test_strip_names_a_removal_from_any_hint_of_the_one_map():
    cues = load_chrome_cues()
    assert text_reason("Some line", cues, (Hint.TEASER,)) == Reason.TEASER
    assert text_reason("Some line", cues, (Hint.CONTACT,)) == Reason.CONTACTS
    # an ad slot's "ADVERTISEMENT" is a banner in strip as in split (strip had no entry for ad / newsletter)
    assert text_reason("Some line", cues, (Hint.AD,)) == Reason.BANNER
    assert text_reason("Some line", cues, (Hint.NEWSLETTER,)) == Reason.BANNER
    assert text_reason("Some line", cues, (Hint.KICKER,)) is None
