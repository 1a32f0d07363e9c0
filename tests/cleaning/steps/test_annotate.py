"""annotate_document: dates by precedence, language, site name, authors, hash and word count."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from cleaning.steps.annotate import (
    _LANG_SAMPLE_CHARS,
    _QUICK_LANG_CHARS,
    annotate_document,
    detect_language,
    language_sample,
    find_statement_date,
    find_text_date,
)
from cleaning.core.options import CleanOptions
from cleaning.core.schema import Document, FeedEntry, PageMeta, Paragraph, Removed
from cleaning.core.stats import Stats

FR = ("Les États doivent fermement s’opposer aux menaces et sanctions contre la Cour pénale internationale et "
      "protéger la capacité de la Cour à continuer son mandat indépendant, a déclaré l’organisation le "
      "1er décembre 2025, lors de l’ouverture de la session de l’Assemblée des États parties.")
EN = ("Governments negotiating the treaty must reject last-minute proposals that would exempt polluters from "
      "binding limits, the organisation said on 3 March 2025, as the fifth round of talks opened in Geneva.")


def doc(paragraphs=(), **fields) -> Document:
    return Document(doc_id="d", input="x", source="dump", paragraphs=[Paragraph(p) for p in paragraphs], **fields)


def annotate(d: Document, seed: int = 0) -> Document:
    return annotate_document(d, CleanOptions(langdetect_seed=seed), Stats())


@pytest.mark.parametrize("text, expected", [
    ("a déclaré Amnesty International le 1er décembre 2025, lors", datetime(2025, 12, 1, tzinfo=UTC)),
    ("Paris, le 3 mars 2025", datetime(2025, 3, 3, tzinfo=UTC)),
    ("said on 1 December 2025", datetime(2025, 12, 1, tzinfo=UTC)),
    ("on 14th March 2025 in a new report", datetime(2025, 3, 14, tzinfo=UTC)),
    ("WASHINGTON, December 1, 2025 —", datetime(2025, 12, 1, tzinfo=UTC)),
    ("Dec. 1st, 2025", datetime(2025, 12, 1, tzinfo=UTC)),
    ("published 2025-03-04", datetime(2025, 3, 4, tzinfo=UTC)),
    ("le 31 février 2025", None),
    ("en novembre 2024", None),
    ("no date here at all", None),
])
def test_find_text_date(text, expected):
    assert find_text_date(text) == expected


def test_the_date_a_statement_is_made_beats_an_earlier_event_date():
    text = ("Those responsible for the police charge on 5 August 2025 must be brought to justice, "
            "Vigie Internationale said on 18 December 2025.")
    assert find_text_date(text) == datetime(2025, 8, 5, tzinfo=UTC)
    assert find_statement_date(text) == datetime(2025, 12, 18, tzinfo=UTC)
    assert annotate(doc([text])).published_at == datetime(2025, 12, 18, tzinfo=UTC)


def test_date_precedence_meta_feed_url_text():
    meta_date = datetime(2025, 1, 2, 10, 0, tzinfo=timezone(timedelta(hours=1)))
    feed = FeedEntry(published=datetime(2025, 1, 3, tzinfo=UTC), updated=datetime(2025, 1, 5, tzinfo=UTC))
    url = "https://example.org/2025/01/04/slug/"
    full = annotate(doc([EN], meta=PageMeta(published=meta_date, date_source="jsonld"), feed=feed, url=url))
    assert (full.published_at, full.date_source) == (datetime(2025, 1, 2, 9, 0, tzinfo=UTC), "jsonld")
    assert full.modified_at == datetime(2025, 1, 5, tzinfo=UTC)
    assert annotate(doc([EN], feed=feed, url=url)).date_source == "feed"
    from_url = annotate(doc([EN], url=url))
    assert (from_url.published_at, from_url.date_source) == (datetime(2025, 1, 4, tzinfo=UTC), "url")
    from_text = annotate(doc([EN]))
    assert (from_text.published_at, from_text.date_source) == (datetime(2025, 3, 3, tzinfo=UTC), "text")
    assert annotate(doc(["No date."])).published_at is None


def test_naive_metadata_dates_are_taken_as_utc():
    d = annotate(doc([EN], meta=PageMeta(published=datetime(2025, 5, 6, 7, 8))))
    assert d.published_at == datetime(2025, 5, 6, 7, 8, tzinfo=UTC) and d.date_source == "meta"


def test_language_of_the_body_is_deterministic_and_iso_639_1():
    assert annotate(doc([FR])).lang == "fr"
    assert annotate(doc([EN])).lang == "en"
    assert {annotate(doc([FR, EN[:60]]), seed=0).lang for _ in range(3)} == {"fr"}


def test_short_or_uncertain_text_defers_to_html_lang():
    assert detect_language("Merci !", seed=0, html_lang="fr-FR") == "fr"
    assert detect_language("", seed=0, html_lang="en_GB") == "en"
    assert detect_language("", seed=0) is None
    # a clear majority language is kept even when <html lang> says otherwise
    assert detect_language(FR, seed=0, html_lang="en") == "fr"


DE = ("Die Regierungen müssen die Vorschläge in letzter Minute zurückweisen, die Verursacher von verbindlichen "
      "Grenzwerten ausnehmen würden, erklärte die Organisation am 3. März 2025 in Genf, als die fünfte "
      "Verhandlungsrunde über das Abkommen begann.")


def page(lang: str, paragraphs: list[str]) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return f'<html lang="{lang}"><head><title>Titre</title></head><body><main><h1>Titre</h1>{body}</main></body></html>'


def test_a_page_declaring_french_with_a_french_body_is_french():
    from cleaning.pipeline import clean_html

    assert clean_html(page("fr", [FR, FR.replace("1er", "2")]))["lang"] == "fr"


def test_a_page_declaring_english_with_a_german_body_is_german():
    """The declaration is a hint, checked against the text: a disagreeing text wins when it is clear."""
    from cleaning.pipeline import clean_html

    assert clean_html(page("en", [DE, DE.replace("fünfte", "sechste")]))["lang"] == "de"


@pytest.fixture
def langdetect_inputs(monkeypatch):
    """Every text handed to langdetect, as its detectors receive it."""
    from langdetect.detector import Detector

    seen: list[str] = []
    append = Detector.append

    def spy(self, text):
        seen.append(text)
        return append(self, text)

    monkeypatch.setattr(Detector, "append", spy)
    return seen


def test_a_long_body_is_detected_on_a_bounded_sample_of_its_start(langdetect_inputs):
    long_body = " ".join([DE] * 400)  # ~90,000 characters
    assert detect_language(long_body, seed=0) == "de"
    assert langdetect_inputs and all(len(t) <= _LANG_SAMPLE_CHARS for t in langdetect_inputs)
    assert all(long_body.startswith(t) for t in langdetect_inputs)  # the start, the same every time
    assert language_sample(long_body) == language_sample(long_body) and not language_sample(long_body).endswith(" ")
    assert long_body[len(language_sample(long_body))] == " "  # cut between words, never inside one


def test_the_sample_is_the_prose_of_a_long_body_not_its_table():
    """A standings table (figures) between two Portuguese sentences: the sample keeps the sentences."""
    pt = ("Nesta página você terá sempre a classificação atualizada do campeonato até a última corrida, "
          "com todos os pilotos e os pontos de cada etapa.")
    table = [cell for n in range(600) for cell in (str(n + 1), str(5040 - n), str(n % 7))]
    text = "\n\n".join([table[0], pt, *table, pt.replace("todos", "os")])
    sample = language_sample(text)
    assert len(sample) <= _LANG_SAMPLE_CHARS and len(text) > 4 * _LANG_SAMPLE_CHARS
    assert sample.index(pt) < sample.index(pt.replace("todos", "os"))  # both sentences, in text order
    assert not text[:_LANG_SAMPLE_CHARS].count(pt.replace("todos", "os"))  # the start alone misses the last one
    assert detect_language(text, seed=0) == "pt"


def test_a_declared_language_the_text_agrees_with_takes_the_quick_check_only(langdetect_inputs):
    assert detect_language(" ".join([FR] * 50), seed=0, html_lang="fr-FR") == "fr"
    assert len(langdetect_inputs) == 1 and len(langdetect_inputs[0]) <= _QUICK_LANG_CHARS
    langdetect_inputs.clear()
    assert detect_language(" ".join([FR] * 50), seed=0, html_lang="de") == "fr"  # disagreement: the full detection
    assert [len(t) <= _QUICK_LANG_CHARS for t in langdetect_inputs] == [True, False]


def test_detection_is_the_same_whatever_was_detected_before():
    first = [detect_language(t, seed=3, html_lang=h) for t, h in ((FR, None), (DE, "en"), (EN, "en"))]
    assert [detect_language(t, seed=3, html_lang=h) for t, h in ((EN, "en"), (DE, "en"), (FR, None))] == first[::-1]
    assert first == ["fr", "de", "en"]


def test_site_name_from_metadata_else_the_feed_footer():
    footer = Removed("The post World. A title appeared first on River Watch.", "site-boilerplate")
    assert annotate(doc([EN], removed=[footer])).site_name == "River Watch"
    assert annotate(doc([EN], removed=[footer], meta=PageMeta(site_name="RW"))).site_name == "RW"
    french = Removed("L’article Monde. Un titre est apparu en premier sur Ligue des droits.", "feed-footer")
    assert annotate(doc([FR], removed=[french])).site_name == "Ligue des droits"


def test_authors_from_metadata_else_feed():
    feed = FeedEntry(authors=("Jane Doe", "Jane Doe", " "))
    assert annotate(doc([EN], feed=feed)).authors == ["Jane Doe"]
    assert annotate(doc([EN], feed=feed, meta=PageMeta(authors=("A. B.",)))).authors == ["A. B."]


@pytest.mark.parametrize("text, footer, site", [
    ("am 1. Dezember 2025", "Der Beitrag Welt. Ein Titel erschien zuerst auf Amnistía.", "Amnistía"),
    ("el 1 de diciembre de 2025", "La entrada Mundo. Un título se publicó primero en Amnistía.", "Amnistía"),
    ("il 1º dicembre 2025", "L’articolo Mondo. Un titolo sembra essere il primo su Amnistia.", "Amnistia"),
    ("em 1 de dezembro de 2025", "O post Mundo. Um título apareceu primeiro em Anistia.", "Anistia"),
    ("op 1 december 2025", "Het bericht Wereld. Een titel verscheen eerst op Amnesty NL.", "Amnesty NL"),
])
def test_other_languages_dates_and_feed_footers(text, footer, site):
    assert find_text_date(text) == datetime(2025, 12, 1, tzinfo=UTC)
    assert annotate(doc([text], removed=[Removed(footer, "feed-footer")])).site_name == site


def test_numeric_datelines_are_read_only_when_unambiguous():
    from cleaning.steps.annotate import find_text_date

    assert find_text_date("Berlin, 03.03.2025 – Die Stadt …") == datetime(2025, 3, 3, tzinfo=UTC)
    assert find_text_date("Lyon, 13/02/2025 – La ville …") == datetime(2025, 2, 13, tzinfo=UTC)
    assert find_text_date("AUSTIN, Texas, 02/13/2025 – The city …") == datetime(2025, 2, 13, tzinfo=UTC)
    assert find_text_date("on 03/04/2025, either March or April") is None
    assert find_text_date("firmware 1.2.2025.1 was released") is None


def test_published_precision_follows_the_source_the_date_came_from():
    url = "https://example.org/2025/01/04/slug/"
    page = annotate(doc([EN], meta=PageMeta(published=datetime(2025, 1, 2, 10, 0, tzinfo=UTC), date_source="jsonld",
                                            published_precision="second")))
    assert page.published_precision == "second"
    feed_day = annotate(doc([EN], feed=FeedEntry(published=datetime(2025, 1, 3, tzinfo=UTC))))
    feed_minute = annotate(doc([EN], feed=FeedEntry(published=datetime(2025, 1, 3, 8, 30, tzinfo=UTC))))
    assert (feed_day.date_source, feed_day.published_precision, feed_minute.published_precision) == \
        ("feed", "day", "minute")
    from_url, from_text = annotate(doc([EN], url=url)), annotate(doc([EN]))
    assert (from_url.date_source, from_url.published_precision) == ("url", "day")
    assert (from_text.date_source, from_text.published_precision) == ("text", "day")
    assert annotate(doc(["No date."])).published_precision is None


def test_a_feed_date_takes_the_precision_the_crawler_read_from_its_string():
    """A feed item at exactly 00:00:00 is a second when the feed wrote the time; without a precision
    (a raw store written before it was kept), midnight is still taken for a day."""
    midnight = datetime(2025, 3, 4, tzinfo=UTC)
    written = annotate(doc([EN], feed=FeedEntry(published=midnight, published_precision="second")))
    minute = annotate(doc([EN], feed=FeedEntry(published=midnight, published_precision="minute")))
    date_only = annotate(doc([EN], feed=FeedEntry(published=datetime(2025, 3, 4, 9, 0, 1, tzinfo=UTC),
                                                  published_precision="day")))
    unknown = annotate(doc([EN], feed=FeedEntry(published=midnight)))
    assert [(d.date_source, d.published_precision) for d in (written, minute, date_only, unknown)] == \
        [("feed", "second"), ("feed", "minute"), ("feed", "day"), ("feed", "day")]
