"""Dates, language, authors, site name, hashes and counts of a split document.

Each field takes the most trustworthy witness available: the page's own metadata,
then the feed, then the URL, then the text itself (dates). The site name: the page's own
(og:site_name, application-name, JSON-LD publisher / WebSite), then the <title> suffix the
site's pages repeat (decided by cleaning.steps.classify, which sees the site model), then the
feed footer ("The post … appeared first on SITE.").
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from functools import lru_cache

from langdetect import detector_factory
from langdetect.lang_detect_exception import LangDetectException

from cleaning.lexicon import Cues, cues, fold_cue
from cleaning.core.options import CleanOptions
from cleaning.extract.pagemeta import as_utc, value_precision
from cleaning.core.schema import Document, Precision, Reason
from cleaning.core.stats import Stats

_URL_DATE = re.compile(r"/((?:19|20)\d{2})[/-](\d{1,2})[/-](\d{1,2})(?:/|-|$)")
_ISO_DATE = re.compile(r"\b((?:19|20)\d{2})-(\d{2})-(\d{2})\b")
# "Berlin, 03.03.2025 –": dotted numeric dates are day-first wherever they are written
_DOTTED_DATE = re.compile(r"(?<![\d.])([0-3]?\d)\.([01]?\d)\.((?:19|20)\d{2})(?![\d]|\.\d)")
# "03/12/2025" is day-first in Europe and month-first in the US: read only when the two agree or a part is > 12
_SLASHED_DATE = re.compile(r"(?<![\d/])([01]?\d|[23]\d)/([01]?\d|[23]\d)/((?:19|20)\d{2})(?![\d/])")
_MIN_LANG_CHARS = 20  # below this, the text says nothing reliable about its language
_SURE_LANG = 0.90  # a detection less sure than this defers to <html lang> when the two disagree
_LANG_SAMPLE_CHARS = 2000  # the full detection reads at most ~300 words of the text (see language_sample)
_QUICK_LANG_CHARS = 400  # the quick check of a declared language reads at most ~60 words
_LANG_TRIALS = 7  # langdetect's own default number of random walks
_DATE_PARAGRAPHS = 30  # a release states its date near the top; long documents are not scanned to the end
_STATEMENT_WINDOW = 80  # characters before a date searched for a reporting verb
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_NEAR_TITLE = {Reason.NAVIGATION.value, Reason.NOT_MAIN.value, Reason.TITLE.value}


# ------------------------------------------------------------------ dates

@lru_cache(maxsize=1)
def _date_patterns(lexicon: Cues) -> tuple[re.Pattern, re.Pattern]:
    """Day-first and month-first date patterns over every lexicon's month names (compiled once)."""
    months = "|".join(sorted((re.escape(m) for m in lexicon.months), key=lambda m: (-len(m), m)))
    ordinal = "(?:" + "|".join(re.escape(o) for o in lexicon.ordinals) + ")?" if lexicon.ordinals else ""
    day_first = re.compile(
        rf"\b(?P<d>[0-3]?\d){ordinal}\s+(?:of\s+|de\s+)?(?P<m>{months})\.?,?\s+(?:de\s+)?(?P<y>(?:19|20)\d{{2}})\b", re.I)
    month_first = re.compile(
        rf"\b(?P<m>{months})\.?\s+(?P<d>[0-3]?\d){ordinal},?\s+(?P<y>(?:19|20)\d{{2}})\b", re.I)
    return day_first, month_first


def _safe_date(year: int, month: int, day: int) -> datetime | None:
    try:
        return datetime(year, month, day, tzinfo=UTC)
    except ValueError:
        return None


def text_dates(text: str, lexicon: Cues | None = None) -> list[tuple[int, datetime]]:
    """Every full date written in `text`, with its offset, in order of appearance."""
    lexicon = lexicon or cues()
    found: list[tuple[int, datetime]] = []
    for pattern in _date_patterns(lexicon):
        for match in pattern.finditer(text):
            month = lexicon.months.get(match.group("m").casefold())
            date = _safe_date(int(match.group("y")), month, int(match.group("d"))) if month else None
            if date:
                found.append((match.start(), date))
    for match in _ISO_DATE.finditer(text):
        date = _safe_date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        if date:
            found.append((match.start(), date))
    for match in _DOTTED_DATE.finditer(text):
        date = _safe_date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
        if date:
            found.append((match.start(), date))
    for match in _SLASHED_DATE.finditer(text):
        first, second, year = (int(g) for g in match.groups())
        readings = {d for d in (_safe_date(year, second, first), _safe_date(year, first, second)) if d}
        if len(readings) == 1:
            found.append((match.start(), readings.pop()))
    return sorted(found)


def find_text_date(text: str, lexicon: Cues | None = None) -> datetime | None:
    """The first full date written in `text`: "le 1er décembre 2025", "1 December 2025", "December 1, 2025", "2025-12-01"."""
    found = text_dates(text, lexicon)
    return found[0][1] if found else None


def find_statement_date(text: str, lexicon: Cues | None = None) -> datetime | None:
    """The first date that follows a reporting verb ("X said on 1 December 2025", "a déclaré X le …")."""
    lexicon = lexicon or cues()
    for offset, date in text_dates(text, lexicon):
        window = fold_cue(text[max(0, offset - _STATEMENT_WINDOW):offset])
        if any(re.search(rf"(?<!\w){re.escape(cue)}(?!\w)", window) for cue in lexicon.statement_cues):
            return date
    return None


def url_date(url: str | None) -> datetime | None:
    match = _URL_DATE.search(url or "")
    return _safe_date(int(match.group(1)), int(match.group(2)), int(match.group(3))) if match else None


def _published(doc: Document, lexicon: Cues) -> tuple[datetime | None, str | None, str | None]:
    """(date, source, Precision) by precedence: page metadata, feed, URL, then dates written in the text.

    The precision is that of what the source wrote: pagemeta reads it from the page's string, the
    crawler from the feed's or sitemap's (FeedEntry.published_precision; a raw store written before
    that falls back to value_precision, which takes midnight for a day); URL and text dates are days.
    """
    day = Precision.DAY.value
    if doc.meta.published:
        return (as_utc(doc.meta.published), doc.meta.date_source or "meta",
                doc.meta.published_precision or value_precision(doc.meta.published))
    if doc.feed and doc.feed.published:
        return (as_utc(doc.feed.published), "feed",
                doc.feed.published_precision or value_precision(doc.feed.published))
    for url in (doc.canonical_url, doc.url):
        if url_date(url):
            return url_date(url), "url", day
    near_title = [r.text for r in doc.removed if r.reason in _NEAR_TITLE]
    texts = [doc.lead or "", *(p.text for p in doc.paragraphs[:_DATE_PARAGRAPHS])]
    # The release's own date is the one a statement is dated with; failing that, the first one written.
    for finder, candidates in ((find_statement_date, texts), (find_text_date, [*texts, *near_title, *doc.notes[:_DATE_PARAGRAPHS]])):
        for text in candidates:
            date = finder(text, lexicon)
            if date:
                return date, "text", day
    return None, None, None


# ------------------------------------------------------------------ language

def _iso639_1(code: str | None) -> str | None:
    if not code:
        return None
    code = code.strip().lower().replace("_", "-").split("-")[0]
    return code if re.fullmatch(r"[a-z]{2}", code) else None


@lru_cache(maxsize=1)
def _profiles() -> detector_factory.DetectorFactory:
    """langdetect's profiles (49 MB, 0.75 s to read), loaded once per process on first use."""
    detector_factory.init_factory()
    return detector_factory._factory  # noqa: SLF001 - the public API seeds a global instead


def language_sample(text: str, limit: int = _LANG_SAMPLE_CHARS) -> str:
    """At most `limit` characters of `text`: its longest paragraphs, in text order, cut at a space.

    Bounded, so detection costs the same on a 300-word release and on a 30,000-word report
    (langdetect reads every character it is given); the longest paragraphs are the prose, where
    table cells, names and figures say little about the language. Deterministic: ties go to the
    earlier paragraph.
    """
    if len(text) <= limit:
        return text
    paragraphs = [p for p in _PARAGRAPH_BREAK.split(text) if p.strip()]
    longest = sorted(range(len(paragraphs)), key=lambda i: (-len(paragraphs[i]), i))
    if len(paragraphs[longest[0]]) >= limit:  # one paragraph fills the sample: its start
        first = paragraphs[longest[0]]
        cut = max(first.rfind(" ", 0, limit + 1), first.rfind("\n", 0, limit + 1))
        return first[:cut] if cut > limit // 2 else first[:limit]
    chosen, used = [], 0
    for i in longest:  # every paragraph that still fits, longest first
        if used + len(paragraphs[i]) <= limit:
            chosen.append(i)
            used += len(paragraphs[i]) + 2
    return "\n\n".join(paragraphs[i] for i in sorted(chosen))


def _ranked(text: str, seed: int, trials: int) -> list:
    """langdetect's ranked guesses for `text` (seeded, `trials` random walks); raises LangDetectException."""
    detector = _profiles().create()
    detector.seed = seed
    detector.n_trial = trials
    detector.append(text)
    return detector.get_probabilities()


def detect_language(text: str, seed: int, html_lang: str | None = None) -> str | None:
    """ISO 639-1 language of `text` (langdetect, seeded); `html_lang` settles short or uncertain text.

    Only a bounded sample of the text is read. When the page declares a language, a quick check
    (one walk over a short sample) that agrees with it, surely, settles it; otherwise the full
    detection (seven walks over the sample) decides, and defers to the page only when unsure.
    """
    hint = _iso639_1(html_lang)
    if len(re.sub(r"\W+", "", text)) < _MIN_LANG_CHARS:
        return hint
    try:
        if hint:
            quick = _ranked(language_sample(text, _QUICK_LANG_CHARS), seed, trials=1)
            if quick and _iso639_1(quick[0].lang) == hint and quick[0].prob >= _SURE_LANG:
                return hint
        ranked = _ranked(language_sample(text), seed, trials=_LANG_TRIALS)
    except LangDetectException:
        return hint
    if not ranked:
        return hint
    best = _iso639_1(ranked[0].lang)
    if hint and best != hint and ranked[0].prob < _SURE_LANG and any(_iso639_1(r.lang) == hint for r in ranked):
        return hint
    return best


# ------------------------------------------------------------------ the step

def _footer_site(doc: Document, lexicon: Cues) -> str | None:
    for entry in doc.removed:  # whatever step removed it, the footer names the site
        named = lexicon.feed_footer(entry.text)
        if named:
            return named[1]
    if doc.feed and doc.feed.content:
        tail = re.sub(r"<[^>]+>", " ", doc.feed.content[-2000:])
        for line in reversed([x.strip() for x in re.split(r"\s{2,}|\n", tail) if x.strip()]):
            named = lexicon.feed_footer(line)
            if named:
                return named[1]
    return None


def annotate_document(doc: Document, opts: CleanOptions, stats: Stats) -> Document:
    """Fill published/modified dates and their source, authors, site name and lang."""
    lexicon = cues()
    body = doc.body_text
    published, date_source, precision = _published(doc, lexicon)
    modified = as_utc(doc.meta.modified) or as_utc(doc.feed.updated if doc.feed else None)
    authors = list(dict.fromkeys(a.strip() for a in (doc.meta.authors or (doc.feed.authors if doc.feed else ()))
                                 if a and a.strip()))
    lang_text = body if len(body) >= 200 else "\n".join([doc.title or "", doc.lead or "", body, *doc.notes])
    lang = detect_language(lang_text, opts.langdetect_seed, doc.meta.html_lang)
    stats.inc(f"annotate/date_{date_source or 'missing'}")
    return doc.replace(
        published_at=published,
        modified_at=modified,
        date_source=date_source,
        published_precision=precision,
        authors=authors or list(doc.authors),
        site_name=doc.meta.site_name or doc.site_name or _footer_site(doc, lexicon),
        lang=lang,
    )
