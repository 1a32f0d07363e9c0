"""Typed units of the cleaning stage and the Arrow schemas of every output table.

This module is the single source of truth for column names and types: writers,
readers, docs/SCHEMA.md and tests all derive from it. Nothing else defines a column.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

import pyarrow as pa

SCHEMA_VERSION = "1.3"


class BlockKind(StrEnum):
    PARAGRAPH = "paragraph"
    HEADING = "heading"
    LIST_ITEM = "list_item"
    QUOTE = "quote"  # <blockquote>, pull-quote <aside>/<figure>
    CAPTION = "caption"
    TABLE_CELL = "table_cell"


class Reason(StrEnum):
    """Why a block left the body; one value per kind of removal, shown to archivists."""

    FEED_FOOTER = "feed-footer"
    CONTACTS = "contacts"
    BANNER = "banner"
    COOKIE = "cookie-notice"
    NAVIGATION = "navigation"  # header / nav / footer / breadcrumb chrome
    TEASER = "teaser"
    TITLE = "title"  # the headline repeated as a block
    REPEAT = "within-document-repeat"
    SITE_BOILERPLATE = "site-boilerplate"  # frequent across the site (site model)
    SANDWICHED = "sandwiched"  # short run between removed blocks
    PULL_QUOTE = "pull-quote"
    ATTRIBUTION = "pull-quote-attribution"
    NOT_MAIN = "outside-main-content"
    SHARE = "share-line"
    EMPTY = "empty"


class Precision(StrEnum):
    """How precise the date a release's `published_at` was read from is (the `published_precision` column)."""

    DAY = "day"  # a date only ("2025-03-01", "1 March 2025", a URL's /2025/03/01/): stored as midnight UTC
    MINUTE = "minute"  # hh:mm
    SECOND = "second"  # hh:mm:ss (or finer)


class SpeakerType(StrEnum):
    """Who a quote's speaker is: a person, an organisation speaking as itself, or not known."""

    PERSON = "person"
    ORGANISATION = "organisation"
    UNKNOWN = "unknown"


class Hint(StrEnum):
    """What a block's ancestors (tag, ARIA role, class / id tokens) say it is.

    Produced in one place, cleaning/extract/blocks.py (HINT_CUES, the landmarks); read by
    split (roles), strip (naming a removal) and the witness. Every value here is produced.
    """

    HEADER = "header"
    NAV = "nav"
    BREADCRUMB = "breadcrumb"
    FOOTER = "footer"
    ASIDE = "aside"
    FORM = "form"
    SEARCH = "search"
    DIALOG = "dialog"
    ARTICLE_HEADER = "article-header"  # <header> / <footer> inside the article: its own, not site chrome
    ARTICLE_FOOTER = "article-footer"
    TEASER = "teaser"
    CARD = "card"
    RELATED = "related"
    SNIPPET = "snippet"  # a card's excerpt
    COOKIE = "cookie"
    BANNER = "banner"
    DONATE = "donate"
    NEWSLETTER = "newsletter"
    AD = "ad"
    SHARE = "share"
    CONTACT = "contact"
    LEAD = "lead"
    PULLQUOTE = "pullquote"
    BYLINE = "byline"
    DATE = "date"
    KICKER = "kicker"
    TITLE = "title"
    TAGS = "tags"
    COMMENTS = "comments"
    NOTES = "notes"
    HIDDEN = "hidden"
    MOBILE = "mobile"  # responsive copies: no role of their own, but a hinted block is no bare paragraph
    DESKTOP = "desktop"


#: The one hint -> Reason map: which removal reason a hint names. Its two readers need different
#: things of it, so each reads it its own way:
#: - split drops a block on sight only for the hints in CHROME_ON_SIGHT (a cookie box or an ad is
#:   chrome wherever it stands); a teaser, nav or contact hint there only opens a decision of its
#:   own (teaser cards are parsed, contact lines kept in `contacts`, nav weighed against lead hints);
#: - strip has already decided that a block goes (site frequency, repeat, sandwich) and only
#:   names why: any hint of the map does, in the block's (sorted) hint order, after the text cues.
HINT_REASONS: dict[Hint, Reason] = {
    Hint.COOKIE: Reason.COOKIE, Hint.BANNER: Reason.BANNER, Hint.DONATE: Reason.BANNER,
    Hint.NEWSLETTER: Reason.BANNER, Hint.AD: Reason.BANNER, Hint.SHARE: Reason.SHARE,
    Hint.TEASER: Reason.TEASER, Hint.RELATED: Reason.TEASER,
    Hint.NAV: Reason.NAVIGATION, Hint.HEADER: Reason.NAVIGATION, Hint.FOOTER: Reason.NAVIGATION,
    Hint.BREADCRUMB: Reason.NAVIGATION, Hint.CONTACT: Reason.CONTACTS,
}
#: Hints that make a block chrome by themselves, in the order split tries them.
CHROME_ON_SIGHT: tuple[Hint, ...] = (Hint.COOKIE, Hint.BANNER, Hint.DONATE, Hint.NEWSLETTER, Hint.AD, Hint.SHARE)


class QuoteKind(StrEnum):
    DIRECT = "direct"
    INDIRECT = "indirect"
    MIXED = "mixed"
    PULL = "pull"


@dataclass(frozen=True, slots=True)
class Block:
    """One paragraph, heading, list item, quote or table cell of a page or dump."""

    text: str
    kind: BlockKind = BlockKind.PARAGRAPH
    position: int = 0
    dom_path: str | None = None  # e.g. "html/body/main/article/p" (no indexes)
    href: str | None = None  # the block's main link, when it is (mostly) a link
    hints: tuple[Hint, ...] = ()  # landmark / class cues (Hint), sorted
    main: bool = True  # inside the main content as judged by the extractor
    # strip's verdict: this block is boilerplate, for this reason. It stays in the document, so
    # split still reads it in its place (the footer naming the title, a contact line) but never as body.
    stripped: Reason | None = None


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """What a feed or sitemap said about a page: a second witness for cleaning."""

    title: str | None = None
    link: str | None = None
    published: datetime | None = None
    updated: datetime | None = None
    summary: str | None = None
    content: str | None = None  # content:encoded (HTML)
    authors: tuple[str, ...] = ()
    # Precision of the strings `published` / `updated` were read from (None: not known, e.g. an old raw store)
    published_precision: str | None = None
    updated_precision: str | None = None


@dataclass(frozen=True, slots=True)
class SourceRecord:
    """One input unit as a reader yields it: a fetched page, an HTML file, a dump file."""

    input: str  # "path" or "path#record" / "path:L12-40"
    source: str  # feed / sitemap / link / listing / warc / html / jsonl / dump
    url: str | None = None
    html: str | None = None
    text: str | None = None
    fetched_at: datetime | None = None
    site: str | None = None
    feed: FeedEntry | None = None


@dataclass(frozen=True, slots=True)
class PageMeta:
    """Metadata found in the page itself (not yet decided upon)."""

    title: str | None = None  # og:title / <title> / h1 / JSON-LD headline
    h1: str | None = None
    site_name: str | None = None
    canonical_url: str | None = None
    html_lang: str | None = None
    description: str | None = None
    published: datetime | None = None
    modified: datetime | None = None
    date_source: str | None = None
    published_precision: str | None = None  # Precision of the string `published` was read from
    authors: tuple[str, ...] = ()
    page_type: str | None = None  # JSON-LD @type / og:type
    ld_types: tuple[str, ...] = ()  # every JSON-LD @type the page declares, in order
    og_type: str | None = None
    html_title: str | None = None  # the <title> as written ("Post title – Site Name")
    attachment: bool = False  # a media file's own page (WordPress body.attachment, canonical to a media file)


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str
    kind: str = "paragraph"
    section: str | None = None


@dataclass(frozen=True, slots=True)
class Quote:
    text: str
    speaker: str | None = None
    speaker_role: str | None = None
    cue: str | None = None
    kind: str = QuoteKind.DIRECT.value
    paragraph: int | None = None  # first paragraph index
    paragraphs: tuple[int, ...] = ()
    start: int | None = None  # char span in body_text
    end: int | None = None
    pull_of: int | None = None  # for kind=pull: index of the body quote it repeats
    speaker_type: str | None = None  # SpeakerType: person / organisation / unknown


@dataclass(frozen=True, slots=True)
class Teaser:
    title: str
    url: str | None = None
    kicker: str | None = None
    snippet: str | None = None


@dataclass(frozen=True, slots=True)
class Removed:
    text: str
    reason: str


@dataclass
class Document:
    """One page or one dumped release, carried through every cleaning step.

    Steps never mutate a Document they receive; they return `dataclasses.replace(doc, ...)`.
    """

    doc_id: str
    input: str
    source: str
    blocks: list[Block] = field(default_factory=list)
    url: str | None = None
    canonical_url: str | None = None
    site: str | None = None
    fetched_at: datetime | None = None
    meta: PageMeta = field(default_factory=PageMeta)
    feed: FeedEntry | None = None
    # decided by the steps
    title: str | None = None
    kicker: str | None = None
    site_name: str | None = None
    published_at: datetime | None = None
    modified_at: datetime | None = None
    date_source: str | None = None
    published_precision: str | None = None  # Precision: day / minute / second, None when undated
    lang: str | None = None
    authors: list[str] = field(default_factory=list)
    lead: str | None = None
    paragraphs: list[Paragraph] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    teasers: list[Teaser] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    contacts: list[str] = field(default_factory=list)
    removed: list[Removed] = field(default_factory=list)
    quality_flags: list[str] = field(default_factory=list)  # e.g. "gutted", "no-body"
    content_hash: str | None = None
    prev_content_hash: str | None = None
    dup_of: str | None = None
    dup_cluster: str | None = None
    word_count: int = 0

    def replace(self, **changes) -> "Document":
        return dataclasses.replace(self, **changes)

    @property
    def body_text(self) -> str:
        return "\n\n".join(p.text for p in self.paragraphs)

    @property
    def kept_blocks(self) -> list[Block]:
        """The blocks strip left as candidates for the body."""
        return [b for b in self.blocks if b.stripped is None]

    @property
    def stripped(self) -> list[Removed]:
        """What strip judged boilerplate, in page order, as it will be reported."""
        return [Removed(b.text.strip(), b.stripped.value) for b in self.blocks if b.stripped is not None]


def _reduce_by_fields(self):
    """Pickle a frozen slotted dataclass as (class, field values in order).

    The dataclass default (__getstate__/__setstate__) calls dataclasses.fields() on every object,
    both ways: staging a batch of documents made thousands of those calls per batch.
    """
    return type(self), tuple(getattr(self, name) for name in self.__slots__)


for _cls in (Block, FeedEntry, SourceRecord, PageMeta, Paragraph, Quote, Teaser, Removed):
    _cls.__reduce__ = _reduce_by_fields
del _cls


# ---------------------------------------------------------------- Arrow schemas

TS = pa.timestamp("us", tz="UTC")
DICT_STR = pa.dictionary(pa.int32(), pa.string())

PARAGRAPH_TYPE = pa.struct([("text", pa.string()), ("kind", pa.string()), ("section", pa.string())])
QUOTE_TYPE = pa.struct(
    [
        ("text", pa.string()),
        ("speaker", pa.string()),
        ("speaker_role", pa.string()),
        ("cue", pa.string()),
        ("kind", pa.string()),
        ("paragraph", pa.int32()),
        ("paragraphs", pa.list_(pa.int32())),
        ("start", pa.int32()),
        ("end", pa.int32()),
        ("pull_of", pa.int32()),
        ("speaker_type", pa.string()),
    ]
)
TEASER_TYPE = pa.struct(
    [("title", pa.string()), ("url", pa.string()), ("kicker", pa.string()), ("snippet", pa.string())]
)
REMOVED_TYPE = pa.struct([("text", pa.string()), ("reason", pa.string())])


def _f(name: str, type_: pa.DataType, nullable: bool = True, doc: str = "") -> pa.Field:
    return pa.field(name, type_, nullable=nullable, metadata={"doc": doc} if doc else None)


ARTICLES_SCHEMA = pa.schema(
    [
        _f("doc_id", pa.string(), False, "stable id: hash of the canonical URL, or of the content for dumps"),
        _f("url", pa.string(), doc="URL the page was fetched from (null for dumps without one)"),
        _f("canonical_url", pa.string(), doc="canonical URL (rel=canonical, og:url, or normalised url)"),
        _f("site", pa.string(), doc="registered host, e.g. amnesty.fr"),
        _f("site_name", pa.string(), doc="publisher name (og:site_name, application-name, JSON-LD publisher, the <title> suffix the site repeats, feed footer)"),
        _f("source", pa.string(), False, "feed / sitemap / listing / link / start (a crawled page: the raw "
           "`discovered_via`) / warc / html / jsonl / dump"),
        _f("input", pa.string(), False, "input file (and record number or line range) the record came from"),
        _f("fetched_at", TS, doc="when fetched (null for dumps)"),
        _f("published_at", TS, doc="publication time (UTC)"),
        _f("modified_at", TS, doc="last modification time (UTC)"),
        _f("date_source", pa.string(), doc="where published_at came from: jsonld / meta / time / feed / sitemap / url / text / htmldate"),
        _f("published_precision", pa.string(), doc="how precise the source of published_at was: day (a date only, "
           "stored as midnight UTC: take its date part in UTC, do not convert it to another time zone) / minute / "
           "second; null when undated"),
        _f("year", pa.int16(), doc="year of published_at (partition key)"),
        _f("title", pa.string(), doc="headline, kicker removed"),
        _f("kicker", pa.string(), doc="section label split off the title, e.g. 'Monde'"),
        _f("lang", pa.string(), doc="ISO 639-1 language of the body"),
        _f("authors", pa.list_(pa.string()), doc="authors"),
        _f("lead", pa.string(), doc="standfirst when the page marks one"),
        _f("body_text", pa.string(), doc="body paragraphs joined by blank lines, boilerplate-free"),
        _f("paragraphs", pa.list_(PARAGRAPH_TYPE), doc="the body, structured: text, kind, section heading"),
        _f("quotes", pa.list_(QUOTE_TYPE), doc="quotes: kind direct / indirect / mixed / pull, with speaker, role and speaker_type person / organisation / unknown"),
        _f("teasers", pa.list_(TEASER_TYPE), doc="related-article cards (not body)"),
        _f("notes", pa.list_(pa.string()), doc="notes to editors / background paragraphs"),
        _f("contacts", pa.list_(pa.string()), doc="press-contact lines, once each"),
        _f("removed", pa.list_(REMOVED_TYPE), doc="what was stripped from this record, and why"),
        _f("quality_flags", pa.list_(pa.string()), doc="quality flags, e.g. 'gutted' (site model would have removed most of the body)"),
        _f("content_hash", pa.string(), doc="sha1 of the normalised body_text"),
        _f("prev_content_hash", pa.string(), doc="content_hash of the row this one replaced in an incremental run"),
        _f("dup_of", pa.string(), doc="doc_id of the kept document for near-duplicates, else null"),
        _f("dup_cluster", pa.string(), doc="id of the duplicate cluster (doc_id of its kept member), else null"),
        _f("word_count", pa.int32(), False, "words in body_text"),
    ],
    metadata={"schema_version": SCHEMA_VERSION, "table": "articles"},
)

RAW_SCHEMA = pa.schema(
    [
        _f("url", pa.string(), False, "requested URL (canonicalised)"),
        _f("final_url", pa.string(), doc="URL after redirects"),
        _f("status", pa.int16(), doc="HTTP status"),
        _f("headers", pa.map_(pa.string(), pa.string()), doc="response headers"),
        _f("body", pa.binary(), doc="response body bytes"),
        _f("encoding", pa.string(), doc="decoded with this encoding"),
        _f("content_type", pa.string(), doc="response content type"),
        _f("fetched_at", TS, doc="when fetched"),
        _f("discovered_via", pa.string(), doc="feed / sitemap / listing / link / start: of every channel that "
           "named the page during the crawl, the first in this order (not the one whose response came first); "
           "a crawl killed before it closed keeps the best channel known when each page was fetched"),
        _f("is_release", pa.bool_(), doc="judged a release page by the crawler"),
        _f("content_hash", pa.string(), doc="sha1 of the body bytes"),
        _f("etag", pa.string(), doc="ETag header"),
        _f("last_modified", pa.string(), doc="Last-Modified header"),
        _f("feed_title", pa.string(), doc="title given by the feed or sitemap"),
        _f("feed_published", TS, doc="date given by the feed or sitemap"),
        _f("feed_updated", TS, doc="update date given by the feed or sitemap"),
        _f("feed_summary", pa.string(), doc="feed item summary"),
        _f("feed_content", pa.string(), doc="feed item content:encoded"),
        _f("feed_authors", pa.list_(pa.string()), doc="feed item authors"),
        _f("feed_published_precision", pa.string(), doc="day / minute / second: what the feed or sitemap wrote "
           "`feed_published` as (a date only, hh:mm, hh:mm:ss), so a date at 00:00:00 is no day; null in raw "
           "stores written before the column (then midnight UTC counts as a day)"),
        _f("feed_updated_precision", pa.string(), doc="day / minute / second: the same for `feed_updated` "
           "(a sitemap's `<lastmod>2025-03-04</lastmod>` is a day, `2025-03-04T00:00:00Z` a second)"),
    ],
    metadata={"schema_version": SCHEMA_VERSION, "table": "raw"},
)

BOILERPLATE_SCHEMA = pa.schema(
    [
        _f("site", pa.string(), False, "site the block repeats on"),
        _f("fingerprint", pa.string(), False, "hex of the 64-bit block fingerprint"),
        _f("text", pa.string(), doc="a sample of the block text"),
        _f("doc_count", pa.int64(), doc="documents of the site containing it"),
        _f("site_docs", pa.int64(), doc="documents of the site"),
        _f("reason", pa.string(), doc="why it is stripped (Reason)"),
    ],
    metadata={"schema_version": SCHEMA_VERSION, "table": "boilerplate"},
)

QUOTES_SCHEMA = pa.schema(
    [
        _f("doc_id", pa.string(), False, "the release the quote is in (articles.doc_id)"),
        _f("quote_index", pa.int32(), False, "position of the quote in articles.quotes (doc_id + quote_index is unique)"),
        _f("site", pa.string(), doc="registered host of the release (partition key)"),
        _f("site_name", pa.string(), doc="publisher name of the release"),
        _f("year", pa.int16(), doc="year of the release's published_at (partition key)"),
        _f("published_at", TS, doc="publication time of the release (UTC)"),
        _f("lang", pa.string(), doc="ISO 639-1 language of the release"),
        _f("url", pa.string(), doc="URL of the release"),
        _f("title", pa.string(), doc="headline of the release"),
        _f("dup_of", pa.string(), doc="the release's dup_of: keep it null to count each release once"),
        _f("kind", pa.string(), doc="direct / indirect / mixed / pull"),
        _f("text", pa.string(), doc="what was said, without its quote marks"),
        _f("speaker", pa.string(), doc="who said it, as named in the release (null: not attributed)"),
        _f("speaker_role", pa.string(), doc="the speaker's role or title, kept apart from the name"),
        _f("speaker_type", pa.string(), doc="person / organisation / unknown"),
        _f("cue", pa.string(), doc="the attribution word or surface form (e.g. 'said', 'a déclaré', a pronoun resolved to the speaker)"),
        _f("paragraph", pa.int32(), doc="index of the first body paragraph holding the quote"),
        _f("pull_of", pa.int32(), doc="for kind=pull: quote_index of the body quote it repeats"),
    ],
    metadata={"schema_version": SCHEMA_VERSION, "table": "quotes"},
)
#: Columns of a quote row taken from its release, and from the quote itself (same names as QUOTE_TYPE).
QUOTE_ROW_FROM_ARTICLE = ("doc_id", "site", "site_name", "year", "published_at", "lang", "url", "title", "dup_of")
QUOTE_ROW_FROM_QUOTE = ("kind", "text", "speaker", "speaker_role", "speaker_type", "cue", "paragraph", "pull_of")

#: Columns renamed since an earlier schema version: new name -> the name files of that version use.
#: Rows read back from such files (a merge) are converted under the new name (writers.conform).
RENAMED_COLUMNS: dict[str, str] = {"quality_flags": "flags"}  # 1.1 -> 1.2

TABLES = {"articles": ARTICLES_SCHEMA, "quotes": QUOTES_SCHEMA, "raw": RAW_SCHEMA, "boilerplate": BOILERPLATE_SCHEMA}


def document_to_record(doc: Document) -> dict:
    """Flatten a finished Document into one articles row (keys = ARTICLES_SCHEMA names)."""
    asdict = dataclasses.asdict
    return {
        "doc_id": doc.doc_id,
        "url": doc.url,
        "canonical_url": doc.canonical_url,
        "site": doc.site,
        "site_name": doc.site_name,
        "source": doc.source,
        "input": doc.input,
        "fetched_at": doc.fetched_at,
        "published_at": doc.published_at,
        "modified_at": doc.modified_at,
        "date_source": doc.date_source,
        "published_precision": doc.published_precision,
        "year": doc.published_at.year if doc.published_at else None,
        "title": doc.title,
        "kicker": doc.kicker,
        "lang": doc.lang,
        "authors": list(doc.authors),
        "lead": doc.lead,
        "body_text": doc.body_text,
        "paragraphs": [asdict(p) for p in doc.paragraphs],
        "quotes": [{**asdict(q), "paragraphs": list(q.paragraphs)} for q in doc.quotes],
        "teasers": [asdict(t) for t in doc.teasers],
        "notes": list(doc.notes),
        "contacts": list(doc.contacts),
        "removed": [{"text": r.text, "reason": r.reason} for r in doc.removed],
        "quality_flags": list(doc.quality_flags),
        "content_hash": doc.content_hash,
        "prev_content_hash": doc.prev_content_hash,
        "dup_of": doc.dup_of,
        "dup_cluster": doc.dup_cluster,
        "word_count": doc.word_count,
    }


def records_to_table(records: list[dict]) -> pa.Table:
    return pa.Table.from_pylist(records, schema=ARTICLES_SCHEMA)


def quotes_table(articles: pa.Table) -> pa.Table:
    """One row per quote of these articles rows: the flat table beside `articles/`.

    A projection, computed in Arrow (no Python loop over quotes), so the quotes of a
    partition can be derived again from its articles rows whenever they are rewritten.
    """
    import pyarrow.compute as pc

    quotes = articles.column("quotes").combine_chunks()
    parents = pc.list_parent_indices(quotes)
    flat = pc.list_flatten(quotes)
    counts = pc.list_value_length(quotes).fill_null(0)
    first_of_parent = pc.take(pc.subtract(pc.cumulative_sum(counts), counts), parents)
    position = pc.subtract(pa.array(range(len(flat)), pa.int64()), pc.cast(first_of_parent, pa.int64()))
    columns = {name: pc.take(articles.column(name), parents) for name in QUOTE_ROW_FROM_ARTICLE}
    columns["quote_index"] = position
    for name in QUOTE_ROW_FROM_QUOTE:
        columns[name] = pc.struct_field(flat, name)
    return pa.Table.from_arrays([pc.cast(columns[f.name], f.type) for f in QUOTES_SCHEMA],
                                schema=QUOTES_SCHEMA)


# ---------------------------------------------------------------- on-disk layouts

NULL_PARTITION = "0"  # a null year: `year_key=0` (no release is from year 0), so the key is an integer in every reader (see docs/SCHEMA.md)
NULL_STRING_PARTITION = "none"  # a null string key (site): pyarrow infers no type from default partitions alone
MAX_PARTITION_NAME = 200  # bytes of one `key=value` folder name; longer values are cut and hashed (see writers)
PARTITION_SUFFIX = "_key"  # directory keys differ from the columns: `site_key=amnesty.fr` (see docs/SCHEMA.md)


@dataclass(frozen=True, slots=True)
class TableLayout:
    """How one table is laid out on disk."""

    schema: pa.Schema
    partition_by: tuple[str, ...] = ()
    dictionary_columns: tuple[str, ...] = ()  # low-cardinality columns (Parquet paths, nested allowed)
    row_group_rows: int = 5_000
    max_rows_per_file: int = 100_000
    sort_by: tuple[str, ...] = ()


ARTICLES_LAYOUT = TableLayout(
    schema=ARTICLES_SCHEMA,
    partition_by=("site", "year"),
    dictionary_columns=(
        "site", "site_name", "source", "date_source", "published_precision", "year", "kicker", "lang",
        "authors.list.element", "quality_flags.list.element",
        "paragraphs.list.element.kind", "paragraphs.list.element.section",
        "quotes.list.element.speaker", "quotes.list.element.speaker_role", "quotes.list.element.cue",
        "quotes.list.element.kind", "quotes.list.element.speaker_type", "removed.list.element.reason",
    ),
    row_group_rows=5_000,  # ~10-30 kB a release: row groups of tens of MB
    max_rows_per_file=100_000,
    sort_by=("published_at", "doc_id"),
)
BOILERPLATE_LAYOUT = TableLayout(
    schema=BOILERPLATE_SCHEMA, partition_by=("site",), dictionary_columns=("site", "reason"),
    row_group_rows=50_000, max_rows_per_file=1_000_000, sort_by=("site", "fingerprint"),
)
QUOTES_LAYOUT = TableLayout(  # partitioned as articles/: a rewritten articles partition rewrites its quotes partition
    schema=QUOTES_SCHEMA,
    partition_by=ARTICLES_LAYOUT.partition_by,
    dictionary_columns=("site", "site_name", "year", "lang", "kind", "speaker", "speaker_role", "speaker_type", "cue"),
    row_group_rows=50_000,
    max_rows_per_file=500_000,
    sort_by=("published_at", "doc_id", "quote_index"),
)
RAW_LAYOUT = TableLayout(
    schema=RAW_SCHEMA, dictionary_columns=("status", "encoding", "content_type", "discovered_via"),
    row_group_rows=1_000, max_rows_per_file=20_000,  # rows carry whole page bodies
)
LAYOUTS = {"articles": ARTICLES_LAYOUT, "quotes": QUOTES_LAYOUT, "boilerplate": BOILERPLATE_LAYOUT, "raw": RAW_LAYOUT}
