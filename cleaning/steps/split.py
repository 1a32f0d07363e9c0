"""Assign every block a role: title, kicker, lead, body, notes, contacts, teasers, or chrome.

HTML blocks come with the extractor's hints (`nav`, `teaser`, `lead`, `main`, ...); dump
lines carry none, so the shape of the page decides: the feed footer names the title, a
contact heading opens a run of contact lines, a notes heading (or "-ENDS-") opens the
background, a title line followed by a snippet cut with "…" is a teaser card, and what
follows the feed footer is page chrome. Language cues live in cleaning/lexicon, not here.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field

from cleaning.lexicon import Cues, cues, fold_cue
from cleaning.core.options import CleanOptions
from cleaning.core.schema import (CHROME_ON_SIGHT, HINT_REASONS, Block, BlockKind, Document, Hint, Paragraph, Reason,
                                  Removed, Teaser)
from cleaning.core.stats import Stats
from cleaning.core.text import ends_with_ellipsis, has_email, has_phone
from cleaning.extract.kicker import split_kicker
from cleaning.quotes.lexicon import QuoteLexicon, quote_lexicon
from cleaning.quotes.pullquotes import pull_candidates
from cleaning.quotes.speakers import attribution_line

_TITLE_END = (".", ":", ";", ",")
_CONTACT_WORD = re.compile(r"\b(?:contact\w*|kontakt\w*|contatt\w*|press\w*|media|médias?|journalist\w*)\b")
_BODY_CHROME_CHARS = 160  # longer lines in the body are prose even when they mention donations or cookies
_TEASER_HINTS = frozenset((Hint.TEASER, Hint.RELATED, Hint.CARD))
_MAX_LEAD_BLOCKS = 3  # more lead-classed blocks than this, apart from each other, are card deks
_NAV_HINTS = frozenset((Hint.NAV, Hint.HEADER, Hint.FOOTER, Hint.BREADCRUMB, Hint.ASIDE, Hint.SEARCH, Hint.FORM,
                        Hint.TAGS, Hint.COMMENTS, Hint.HIDDEN, Hint.BYLINE, Hint.DATE))


# ------------------------------------------------------------------ text shapes

def is_title_shaped(text: str) -> bool:
    """A headline: one line, a few words, not ending like a sentence or a lead-in."""
    stripped = text.strip()
    return (2 <= len(stripped.split()) and len(stripped) <= 300 and not stripped.endswith(_TITLE_END)
            and not ends_with_ellipsis(stripped))


def kicker_label(block: Block) -> str | None:
    """The text of a standalone kicker block ("Monde." above a title), else None.

    Only short blocks count: a "kicker" hint can leak from a container class onto a whole article.
    """
    text = block.text.strip()
    if Hint.KICKER not in block.hints or len(text) > 40 or len(text.split()) > 4:
        return None
    return text.rstrip(" .:|–—-") or None


# ------------------------------------------------------------------ cue classes

def _contact_cue_line(text: str, lexicon: Cues) -> bool:
    """A line that is a contact heading, or starts with one ("Media contact: Jane Doe")."""
    folded = fold_cue(text)
    if lexicon.is_contact_heading(text) or lexicon.is_contact_label(text):
        return True
    if len(text) > 200:
        return False
    lead_in = text.rstrip().endswith(":") or has_phone(text) or has_email(text)
    if lead_in and any(folded.startswith(cue) and folded[len(cue):len(cue) + 1] in (":", " ", "-", ",")
                       for cue in lexicon.contacts):
        return True
    # "To arrange an interview, please contact:" - confirmed by the number that must follow (see _contact_run)
    return text.rstrip().endswith(":") and len(text) <= 150 and bool(_CONTACT_WORD.search(folded))


def _standalone_contact(text: str) -> bool:
    """A short line carrying a phone number or an e-mail address."""
    return len(text) <= 160 and (has_phone(text) or has_email(text))


def _drop_reason(block: Block, lexicon: Cues, in_body: bool = False) -> Reason | None:
    """Chrome known from the block alone (hints or text cues), else None.

    Inside the body, a banner or cookie cue must sit on a short line: a release about
    tracking may well say that a company "uses cookies".
    """
    hints = set(block.hints)
    for hint in CHROME_ON_SIGHT:  # chrome wherever it stands (see HINT_REASONS for why only these)
        if hint in hints:
            return HINT_REASONS[hint]
    text = block.text
    if lexicon.feed_footer(text):
        return Reason.FEED_FOOTER
    if lexicon.is_banner(text) and not (in_body and len(text) > _BODY_CHROME_CHARS):
        return Reason.BANNER
    if lexicon.is_cookie(text) and not (in_body and len(text) > _BODY_CHROME_CHARS):
        return Reason.COOKIE
    if lexicon.is_share(text):
        return Reason.SHARE
    if hints & _NAV_HINTS and not hints & (_TEASER_HINTS | {Hint.LEAD, Hint.CONTACT}):
        return Reason.NAVIGATION
    if lexicon.is_navigation(text):
        return Reason.NAVIGATION
    return None


# ------------------------------------------------------------------ the split

@dataclass
class _Split:
    """What the walk over the blocks collects; turned into Document fields at the end."""

    paragraphs: list[Paragraph] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    contacts: list[str] = field(default_factory=list)
    teasers: list[tuple[int, Teaser]] = field(default_factory=list)  # (block index, card): sorted at the end
    removed: list[Removed] = field(default_factory=list)
    lead: list[str] = field(default_factory=list)

    def add_contact(self, text: str) -> None:
        if fold_cue(text) not in {fold_cue(c) for c in self.contacts}:
            self.contacts.append(text)


def _find_title(blocks: list[Block], doc: Document, footer_title: str | None, lexicon: Cues) -> int | None:
    """Index of the headline block: the one the feed footer names, the h1, the meta title, or the first title-shaped line."""
    main = [i for i, b in enumerate(blocks) if b.main and (b.hints or b.dom_path)]

    def plausible(i: int) -> bool:
        """A page's headline comes before most of its main text (an h1 further down heads a related story)."""
        return not main or i <= main[len(main) // 2]

    wanted = [t for t in (footer_title, doc.meta.h1, doc.meta.title, doc.feed.title if doc.feed else None) if t]
    for candidate in wanted:
        folded = fold_cue(candidate)
        kicker_less = fold_cue(split_kicker(candidate, lexicon)[1])
        for i, block in enumerate(blocks):
            text = fold_cue(block.text)
            same = text in (folded, kicker_less) or (  # "<title>Headline - Site</title>"
                len(text) >= 20 and folded.startswith(text) and len(text) >= 0.6 * len(folded))
            if same and plausible(i) and not lexicon.feed_footer(block.text):
                return i
    for i, block in enumerate(blocks):
        if block.kind == BlockKind.HEADING and (block.dom_path or "").endswith("h1") and plausible(i):
            return i
    if footer_title or any(b.hints for b in blocks):
        return None
    # A dump without a footer: a "Kicker. Title" line, else the last headline-shaped line
    # before the first paragraph of running text (menus and labels come before the title).
    candidates: list[int] = []
    for i, block in enumerate(blocks):
        text = block.text.strip()
        if (_drop_reason(block, lexicon) or _contact_cue_line(text, lexicon) or _standalone_contact(text)
                or has_phone(text) or has_email(text) or (i and blocks[i - 1].text.rstrip().endswith(":"))):
            continue
        if len(text) > 100 and not is_title_shaped(text):
            break  # running text: the headline was before it
        if not is_title_shaped(text) or (i + 1 < len(blocks) and ends_with_ellipsis(blocks[i + 1].text)):
            continue
        if re.fullmatch(r"[\W\d_]*", text) or _looks_like_dateline(text, lexicon):
            continue
        if split_kicker(text, lexicon)[0]:
            return i
        candidates.append(i)
    return candidates[-1] if candidates else None


def _looks_like_dateline(text: str, lexicon: Cues) -> bool:
    """"18 December 2025", "Paris, le 3 mars 2025": a date line, not a headline."""
    words = re.findall(r"\w+", fold_cue(text))
    return len(words) <= 6 and any(w in lexicon.months for w in words) and any(w.isdigit() for w in words)


def _contact_run(blocks: list[Block], start: int, stop_at: int | None, lexicon: Cues) -> int:
    """End (exclusive) of the contact block opened at `start`: lead-in lines, names, phones, e-mails."""
    i = start + 1
    plain = 0  # consecutive lines without a phone or an e-mail
    while i < len(blocks) and i != stop_at:
        text = blocks[i].text
        if lexicon.feed_footer(text) or (i + 1 < len(blocks) and ends_with_ellipsis(blocks[i + 1].text)):
            break
        if _contact_cue_line(text, lexicon) or has_phone(text) or has_email(text):
            plain = 0
        elif (text.rstrip().endswith(":") and len(text) <= 250) or (
                len(text) <= 80 and plain < 2 and split_kicker(text, lexicon)[0] is None
                and not lexicon.is_notes_heading(text) and not lexicon.is_end_marker(text)):
            plain += 1
        else:
            break
        i += 1
    while i > start + 1 and not (_contact_cue_line(blocks[i - 1].text, lexicon) or has_phone(blocks[i - 1].text)
                                 or has_email(blocks[i - 1].text)):
        i -= 1  # trailing name-like lines with no number after them were not contact lines
    if not any(has_phone(b.text) or has_email(b.text) for b in blocks[start:i]):
        return start  # a heading with no way to reach anyone: a menu item or a mention, not a contact block
    return i


def _teaser_card(blocks: list[Block], i: int, lexicon: Cues) -> tuple[Teaser, int] | None:
    """A dump teaser at `i`: "Kicker. Title" (or a title) followed by a snippet cut with "…"."""
    text = blocks[i].text
    snippet_at = i + 1
    if snippet_at + 1 < len(blocks) and _looks_like_dateline(blocks[snippet_at].text, lexicon):
        snippet_at += 1  # "Title" / "1 December 2025" / "Snippet…"
    if not is_title_shaped(text) or snippet_at >= len(blocks) or not ends_with_ellipsis(blocks[snippet_at].text):
        return None
    kicker, title = split_kicker(text, lexicon)  # a card's own "Kicker. Title" wins over a line above it
    label = _label_line(blocks[i - 1].text, lexicon) if i > 0 and kicker is None else None
    if label:
        kicker, title = label, text.strip()
    return Teaser(title=title, url=blocks[i].href, kicker=kicker, snippet=blocks[snippet_at].text.strip()), snippet_at + 1


def _tail_snippet(blocks: list[Block], j: int, lexicon: Cues) -> str | None:
    """The excerpt under a card after the feed footer: the next line when it reads as prose, not as chrome or a card."""
    if j >= len(blocks):
        return None
    text = blocks[j].text.strip()
    if (is_title_shaped(text) or split_kicker(text, lexicon)[0] or len(text) > 600 or _drop_reason(blocks[j], lexicon)
            or _contact_cue_line(text, lexicon) or _standalone_contact(text) or lexicon.is_teaser_heading(text)):
        return None
    return text


def _dump_kicker_line(text: str, footer: tuple[str, str] | None, lexicon: Cues) -> str | None:
    """A dump's kicker on its own line above the title ("Climate", "PRESS RELEASE"); never the site's own name."""
    label = _label_line(text, lexicon)
    if label and footer and fold_cue(label) in (fold_cue(footer[1]), fold_cue(footer[1]).rstrip(".")):
        return None
    return label


def _label_line(text: str, lexicon: Cues) -> str | None:
    """A section label on its own line ("Climate." before a card title), else None.

    Lines the lexicon already names ("Related news", "Read more", "Background", "-ENDS-") head or
    close a list of cards; they label none of them.
    """
    text = text.strip()
    if len(text) > 30 or len(text.split()) > 3 or not text[:1].isupper() or text.endswith((",", ";", ":")):
        return None
    if (lexicon.is_teaser_heading(text) or lexicon.is_navigation(text) or lexicon.is_share(text)
            or lexicon.is_notes_heading(text) or lexicon.is_end_marker(text) or _contact_cue_line(text, lexicon)):
        return None
    if ends_with_ellipsis(text) or any(ch.isdigit() for ch in text) or has_email(text) or ":" in text:
        return None  # "E-Mail: press@…" closing a contact block is no section label
    return text.rstrip(" .|–—-") or None


def _hinted_teasers(blocks: list[Block], lexicon: Cues) -> tuple[list[tuple[int, Teaser]], set[int]]:
    """Cards (with the index of their title block) from blocks the extractor hinted as teasers."""
    teasers: list[tuple[int, Teaser]] = []
    used: set[int] = set()
    pending_kicker: str | None = None
    current: dict | None = None
    for i, block in enumerate(blocks):
        if not set(block.hints) & _TEASER_HINTS or (block.main and Hint.RELATED not in block.hints):
            continue  # a card the main-content witness kept (a listing's entry) is body, unless marked related
        used.add(i)
        text = block.text.strip()
        if lexicon.is_teaser_heading(text) or (Hint.DATE in block.hints and not block.href and len(text.split()) <= 6):
            continue  # a card's own date line (Teaser has no date field): neither a title nor a kicker
        if Hint.SNIPPET in block.hints and current and current.get("title") and current.get("snippet") is None:
            current["snippet"] = text
        elif block.href and not kicker_label(block) and (
                current is None or current.get("title") or block.kind == BlockKind.HEADING):
            if current and current.get("title"):
                teasers.append((current.pop("at"), Teaser(**current)))
            kicker, title = (pending_kicker, text) if pending_kicker else split_kicker(text, lexicon)
            current = {"title": title, "url": block.href, "kicker": kicker, "snippet": None, "at": i}
            pending_kicker = None
        elif current and current.get("title") and current.get("snippet") is None and (
                ends_with_ellipsis(text) or len(text) > len(current["title"])):
            current["snippet"] = text
        elif kicker_label(block) or (len(text.split()) <= 4 and not ends_with_ellipsis(text)):
            if current and current.get("title"):
                teasers.append((current.pop("at"), Teaser(**current)))
                current = None
            pending_kicker = kicker_label(block) or text.rstrip(" .")
        elif current and current.get("title"):
            current["snippet"] = (current["snippet"] + " " + text) if current["snippet"] else text
    if current and current.get("title"):
        teasers.append((current.pop("at"), Teaser(**current)))
    return teasers, used


def _pull_quotes(blocks: list[Block], has_hints: bool, qlex: QuoteLexicon) -> dict[int, int | None]:
    """{pull quote block: its "Name, role" line or None}, from cleaning/quotes/pullquotes (the one detector).

    In a dump any line may be one (only the repeat shows it); on a page only the blocks its
    markup sets apart as pull quotes (`wp-block-pullquote`, `<aside class="pullquote">`, ...)
    that do repeat a sentence nearby, whether or not the main-content witness kept them.
    """
    marked = None if not has_hints else [i for i, b in enumerate(blocks) if Hint.PULLQUOTE in b.hints]
    if marked == []:
        return {}
    found = pull_candidates([b.text for b in blocks], [b.kind.value for b in blocks], qlex, only=marked)
    return {i: line for i, (_source, line) in found.items()}


def _is_dump_heading(blocks: list[Block], i: int, pulls: dict[int, int | None], qlex: QuoteLexicon) -> bool:
    """A section heading in a dump: a short line with no sentence end, followed by body text."""
    text = blocks[i].text.strip()
    if (len(text) > 100 or len(text.split()) > 12 or text.endswith((".", "!", "?", ":", ";", ",", "»", "”", "\"", "…"))
            or text[:1] in "«“\"" or i + 1 >= len(blocks)):
        return False
    after = blocks[i + 1].text
    if len(after) < len(text) or i in pulls or attribution_line(after, qlex) is not None:
        return False
    return True


def _without_site_suffix(title: str | None, site_name: str | None) -> str | None:
    """"Headline | Site" or "Headline - Site" from <title> without the site part."""
    if not title or not site_name:
        return title
    match = re.match(rf"^(.+?)\s+[|–—:-]\s+{re.escape(site_name)}\s*$", title.strip(), flags=re.I)
    return match.group(1) if match else title


def _main_siblings(blocks: list[Block]) -> set[int]:
    """Blocks the extractor left out of the main content though they sit among its blocks.

    A hint-less paragraph inside the same container as main paragraphs, between the first
    and the last of them, is body text the extractor missed (a short line, a caption-like
    credit), not chrome: chrome carries landmark or class hints.
    """
    main = [i for i, b in enumerate(blocks) if b.main and b.dom_path]
    if not main:
        return set()
    containers = set()
    for i in main:
        path = blocks[i].dom_path or ""
        containers.update({path, path.rsplit("/", 1)[0]})
    found = set()
    for i in range(main[0] + 1, main[-1]):
        block = blocks[i]
        if block.main or block.hints or not block.dom_path:
            continue
        if block.dom_path in containers or block.dom_path.rsplit("/", 1)[0] in containers:
            found.add(i)
    return found


def _card_deks(blocks: list[Block]) -> bool:
    """Lead ("dek", "intro", "standfirst") classes on more than _MAX_LEAD_BLOCKS blocks set apart by
    other blocks: a page has one lead, so these are no standfirst but body read in the ordinary way
    (the deks of a listing's cards, the paragraphs of an intro section)."""
    at = [i for i, b in enumerate(blocks) if Hint.LEAD in b.hints]
    return len(at) > _MAX_LEAD_BLOCKS and at[-1] - at[0] + 1 > len(at)


def _body_words(out: "_Split") -> int:
    return sum(len(t.split()) for t in out.lead) + sum(len(p.text.split()) for p in out.paragraphs)


def _notes_section_end(blocks: list[Block], start: int, lexicon: Cues) -> int:
    """A notes heading ("About X", "Background") opens a section that runs to the next heading
    opening something else: the article may go on after it."""
    for j in range(start + 1, len(blocks)):
        if blocks[j].kind == BlockKind.HEADING and not lexicon.is_notes_heading(blocks[j].text.strip()):
            return j
    return len(blocks)


def _trails_the_body(blocks: list[Block], start: int, end: int, body_words: int, lexicon: Cues) -> bool:
    """Background trails a release and is shorter than it: a "notes" section holding more words
    than all the body before it is the article itself under a heading that looks like a cue.

    The section's words are counted up to where the release's tail begins (contacts, an end
    marker, the feed footer): what follows them is not the section's own text.
    """
    words = 0
    for b in blocks[start + 1:end]:
        text = b.text.strip()
        if _contact_cue_line(text, lexicon) or lexicon.is_end_marker(text) or lexicon.feed_footer(text):
            break
        if b.main and b.stripped is None:
            words += len(text.split())
    return words <= body_words


def split_document(doc: Document, opts: CleanOptions, stats: Stats) -> Document:
    """Decide every block's role and fill title, kicker, lead, paragraphs, notes, contacts, teasers, removed."""
    lexicon = cues()
    blocks = [b for b in doc.blocks if b.text and b.text.strip()]
    stripped = [b.stripped is not None for b in blocks]
    out = _Split(removed=list(doc.removed) + doc.stripped)

    def drop(j: int, reason: Reason | str) -> None:
        if not stripped[j]:
            out.removed.append(Removed(blocks[j].text.strip(), getattr(reason, "value", reason)))

    footer = next((lexicon.feed_footer(b.text) for b in blocks if lexicon.feed_footer(b.text)), None)
    footer_title = footer[0] if footer else None
    title_at = _find_title(blocks, doc, footer_title, lexicon)
    has_hints = any(b.hints for b in blocks) or any(not b.main for b in blocks)
    if has_hints:
        rescued = _main_siblings(blocks)
        blocks = [dataclasses.replace(b, main=True) if j in rescued else b for j, b in enumerate(blocks)]

    hinted_teasers, teaser_indexes = _hinted_teasers(blocks, lexicon)
    out.teasers.extend(hinted_teasers)

    qlex = quote_lexicon()
    pulls = _pull_quotes(blocks, has_hints, qlex)

    def pull_pair(j: int, section: str | None) -> int:
        """A pull quote and its name line as quote + caption (as an HTML <figure> reads); the index after them.

        cleaning/quotes/attribute.py confirms the pair, links it to the body quote it repeats and removes both.
        """
        out.paragraphs.append(Paragraph(text=blocks[j].text.strip(), kind=BlockKind.QUOTE.value, section=section))
        line = pulls[j]
        if line == j + 1 and not stripped[line]:
            out.paragraphs.append(Paragraph(text=blocks[line].text.strip(), kind=BlockKind.CAPTION.value,
                                            section=section))
            return j + 2
        return j + 1

    card_deks = _card_deks(blocks)
    state = "head" if title_at is not None else "body"
    section: str | None = None
    i = 0
    notes_end = len(blocks)  # where the open notes section stops (the next heading opening something else)
    while i < len(blocks):
        block = blocks[i]
        text = block.text.strip()
        hints = set(block.hints)
        if state == "notes" and i >= notes_end:
            state = "body"
        if i == title_at:
            drop(i, Reason.TITLE)
            state, i = "body", i + 1
            continue
        if i in teaser_indexes:
            drop(i, Reason.TEASER)
            i += 1
            continue
        if kicker_label(block) and state != "body":
            drop(i, Reason.TITLE if state == "head" else Reason.TEASER)
            i += 1
            continue
        if Hint.LEAD in hints and state != "tail" and not card_deks:
            if not stripped[i]:
                out.lead.append(text)
            i += 1
            continue
        if Hint.NOTES in hints and not stripped[i] and state in ("body", "notes"):
            if lexicon.is_notes_heading(text) or block.kind == BlockKind.HEADING:
                state, notes_end = "notes", _notes_section_end(blocks, i, lexicon)
            else:
                out.notes.append(text)
            i += 1
            continue
        if has_hints and i in pulls and state == "body" and not stripped[i]:
            i = pull_pair(i, section)  # marked up as a pull quote: before the landmark hints (<aside>) call it chrome
            continue
        reason = _drop_reason(block, lexicon, in_body=state in ("body", "notes"))
        if reason is not None:
            drop(i, reason)
            if reason == Reason.FEED_FOOTER:
                state = "tail"
            i += 1
            continue
        end = i + 1 if Hint.CONTACT in hints else (
            _contact_run(blocks, i, title_at, lexicon) if _contact_cue_line(text, lexicon) else i)
        if end > i:
            for j in range(i, end):
                out.add_contact(blocks[j].text.strip())
                drop(j, Reason.CONTACTS)
            i = end
            continue
        if _standalone_contact(text) and (state != "body" or (len(text) <= 120 and not text.endswith("."))):
            out.add_contact(text)
            drop(i, Reason.CONTACTS)
            i += 1
            continue
        if lexicon.is_teaser_heading(text):
            drop(i, Reason.TEASER)
            i += 1
            continue
        card = _teaser_card(blocks, i, lexicon) if state != "head" and not (has_hints and block.main) else None
        if card is not None:
            teaser, end = card
            out.teasers.append((i, teaser))
            for j in range(i, end):
                drop(j, Reason.TEASER)
            i = end
            continue
        if lexicon.is_end_marker(text) and state in ("body", "notes"):
            drop(i, Reason.NAVIGATION)
            state, notes_end = "notes", len(blocks)  # "-ENDS-": the rest of the release is background
        elif (lexicon.is_notes_heading(text) and state in ("body", "notes")
              and _trails_the_body(blocks, i, section_end := _notes_section_end(blocks, i, lexicon),
                                   _body_words(out), lexicon)):
            state, notes_end = "notes", section_end
        elif stripped[i]:
            pass  # strip's verdict stands for anything that is not a contact, teaser or title
        elif (state == "head" and not (has_hints and block.main)) or not block.main:
            drop(i, Reason.NOT_MAIN if has_hints else Reason.NAVIGATION)
        elif state == "tail":
            kicker, title = split_kicker(text, lexicon)
            if kicker and is_title_shaped(text):
                snippet = _tail_snippet(blocks, i + 1, lexicon)
                out.teasers.append((i, Teaser(title=title, url=block.href, kicker=kicker, snippet=snippet)))
                drop(i, Reason.TEASER)
                if snippet is not None:  # a whole-sentence excerpt under a card after the footer
                    drop(i + 1, Reason.TEASER)
                    i += 1
            else:
                drop(i, Reason.NOT_MAIN)
        elif state == "notes":
            out.notes.append(text)
        elif i in pulls:
            i = pull_pair(i, section)
            continue
        elif block.kind == BlockKind.HEADING or (not has_hints and _is_dump_heading(blocks, i, pulls, qlex)):
            section = text
            out.paragraphs.append(Paragraph(text=text, kind=BlockKind.HEADING.value, section=section))
        else:
            out.paragraphs.append(Paragraph(text=text, kind=block.kind.value, section=section))
        i += 1

    if out.paragraphs and out.paragraphs[-1].kind == BlockKind.HEADING.value:
        last = out.paragraphs.pop()  # a heading with nothing under it is not a section
        out.removed.append(Removed(last.text, Reason.NOT_MAIN.value))

    title_text = blocks[title_at].text.strip() if title_at is not None else (
        footer_title or doc.meta.h1 or _without_site_suffix(doc.meta.title, doc.meta.site_name)
        or (doc.feed.title if doc.feed else None))
    label = next((kicker_label(blocks[j]) for j in range(title_at - 1, max(-1, title_at - 3), -1)
                  if kicker_label(blocks[j])), None) if title_at is not None else None
    if label:  # the page set the kicker apart: the title block is the bare title, even if it reads "X. …"
        kicker, title = label, title_text
    else:
        kicker, title = split_kicker(title_text, lexicon) if title_text else (None, None)
        if kicker is None and title_at and not has_hints:
            kicker = _dump_kicker_line(blocks[title_at - 1].text, footer, lexicon)
    if not out.paragraphs:
        stats.inc("split/no_body")
    stats.inc("split/documents")
    stats.inc("split/teasers", len(out.teasers))
    stats.inc("split/contacts", len(out.contacts))
    return doc.replace(
        title=title, kicker=kicker, lead=" ".join(out.lead) or doc.lead, paragraphs=out.paragraphs,
        notes=out.notes, contacts=out.contacts, teasers=[t for _, t in sorted(out.teasers, key=lambda x: x[0])], removed=out.removed,
        quality_flags=list(doc.quality_flags) + ([] if out.paragraphs or "no-body" in doc.quality_flags else ["no-body"]),
    )
