"""Is this page a release at all, and what is the site called when the page does not say.

Runs in pass 2 after split (it reads the body split left) and before annotate (which takes the
site name decided here after the page's own og:site_name / application-name / JSON-LD publisher).

A page is not a release when its markup says so, never from its wording:
- a media file's own page (WordPress `body.attachment`, a canonical URL to an image / PDF);
- a listing (JSON-LD CollectionPage, ItemList, ...: cleaning.core.pagekind, the crawler's test too);
- `og:type` website, or JSON-LD WebPage and nothing more, on a site whose other pages declare
  `og:type` article (legal, donate, contact pages of a press room);
- a body made only of blocks the site repeats (strip keeps them when it would empty the page, and flags
  it "gutted"), or nothing left once strip and split took them out, on a page that does not declare
  itself an article.
Such a page is counted (`classify/not_a_release`, and per reason) and flagged "not-a-release";
the pipeline leaves it out of the articles table unless `opts.all_pages`.
"""

from __future__ import annotations

from cleaning.core.options import CleanOptions
from cleaning.core.pagekind import declared_release
from cleaning.core.schema import Document, PageMeta
from cleaning.core.stats import Stats
from cleaning.extract.pagemeta import title_head, title_suffixes
from cleaning.steps.sitemodel import SiteEntry, SiteModel, fingerprint, normalise, site_of

NOT_A_RELEASE = "not-a-release"
_PLAIN_PAGE_TYPES = frozenset({"webpage", "aboutpage", "contactpage", "profilepage", "faqpage", "website",
                               "organization", "breadcrumblist", "imageobject", "person", "searchaction"})


def _mostly_articles(entry: SiteEntry) -> bool:
    """More than half of the site's pages declare og:type article."""
    return entry.docs > 0 and 2 * entry.signal("og", "article") > entry.docs


def not_a_release(doc: Document, entry: SiteEntry) -> str | None:
    """The reason this page is not a release, or None (a release, or nothing says otherwise)."""
    meta = doc.meta
    if meta.attachment:
        return "attachment"
    verdict, why = declared_release(meta.ld_types, meta.og_type)
    if verdict is False and why == "listing":
        return "listing"
    if verdict is False and _mostly_articles(entry):
        return "og_type"
    if verdict is None and meta.ld_types and {t.lower() for t in meta.ld_types} <= _PLAIN_PAGE_TYPES \
            and "webpage" in {t.lower() for t in meta.ld_types} and _mostly_articles(entry):
        return "webpage_only"
    if verdict is not True and _only_site_boilerplate(doc, entry):
        return "boilerplate_only"
    return None


def _only_site_boilerplate(doc: Document, entry: SiteEntry) -> bool:
    """Nothing of the page's own is left: the body is empty once strip took the chrome out, or every body
    paragraph (and the lead) is a block the site repeats (strip keeps them when it would empty the page)."""
    own = [p.text for p in doc.paragraphs] + ([doc.lead] if doc.lead else [])
    if not own:
        return bool(doc.removed)
    frequent = set()
    for block in doc.blocks:
        fp = fingerprint(block)
        if entry.count(fp.text_key):  # the same text; a pattern key also matches sibling releases
            frequent.add(fp.norm)
    return all(normalise(text) in frequent for text in own)


def title_site_name(meta: PageMeta, entry: SiteEntry, min_docs: int) -> str | None:
    """The site name a page's <title> ends with ("Post title – Site Name").

    With enough pages of the site in the run, the suffix that repeats across them (the most frequent
    one); with too few to tell, the text after the last separator when the part before it is the
    page's own headline (h1 or og:title).
    """
    suffixes = title_suffixes(meta.html_title)
    if not suffixes:
        return None
    if entry.docs >= min_docs:
        counted = [(entry.signal("suffix", s), len(s), s) for s in suffixes]
        best = max(counted)
        return best[2] if best[0] else None
    last = suffixes[-1]
    head = normalise(title_head(meta.html_title, last))
    headlines = {normalise(t) for t in (meta.h1, meta.title if meta.title != meta.html_title else None) if t}
    return last if head and head in headlines else None


def classify_document(doc: Document, model: SiteModel, opts: CleanOptions, stats: Stats) -> Document:
    if doc.source == "dump" or doc.meta == PageMeta():
        return doc  # a text dump holds releases only, and says nothing about itself
    entry = model.entry(site_of(doc))
    changes: dict = {}
    if not doc.meta.site_name and not doc.site_name:
        named = title_site_name(doc.meta, entry, opts.min_doc_count)
        if named:
            changes["site_name"] = named
            stats.inc("classify/site_name_from_title")
    reason = not_a_release(doc, entry)
    if reason:
        stats.inc("classify/not_a_release")
        stats.inc(f"classify/not_a_release/{reason}")
        stats.note("classify/not_a_release", {"input": doc.input, "url": doc.url, "reason": reason})
        changes["quality_flags"] = [*doc.quality_flags, NOT_A_RELEASE, f"{NOT_A_RELEASE}:{reason}"]
    return doc.replace(**changes) if changes else doc


def is_skipped(doc: Document, opts: CleanOptions) -> bool:
    """Left out of the articles table: not a release, and the run does not keep every page."""
    return not opts.all_pages and NOT_A_RELEASE in doc.quality_flags
