"""The cleaning stage as a list of steps, and the runners that apply it.

read -> extract -> pass 1 (site model) -> pass 2: strip -> split -> quotes -> annotate -> dedup -> write
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from cleaning.annotate import annotate_document
from cleaning.dedup import dedup_documents
from cleaning.extract import extract_documents
from cleaning.options import DEFAULT_OPTIONS, CleanOptions
from cleaning.quotes import attribute_quotes
from cleaning.readers import read_inputs
from cleaning.schema import Document, SourceRecord, document_to_record
from cleaning.sitemodel import SiteModel, build_site_model
from cleaning.split import split_document
from cleaning.stats import Stats
from cleaning.strip import strip_boilerplate
from cleaning.writers import write_articles


def finish_document(doc: Document, model: SiteModel, opts: CleanOptions, stats: Stats) -> Document:
    """Pass 2 for one document: every per-document step, in order."""
    doc = strip_boilerplate(doc, model, opts, stats)
    doc = split_document(doc, opts, stats)
    doc = annotate_document(doc, opts, stats)
    doc = attribute_quotes(doc, opts, stats)
    return doc


def extract_all(sources: Iterable[SourceRecord], opts: CleanOptions, stats: Stats) -> list[Document]:
    docs: list[Document] = []
    for rec in sources:
        try:
            docs.extend(extract_documents(rec, opts, stats))
        except Exception as exc:  # noqa: BLE001 - per-input error, the run goes on
            stats.error(rec.input, "extract", f"{type(exc).__name__}: {exc}")
    return docs


def clean_documents(docs: list[Document], opts: CleanOptions, stats: Stats) -> list[Document]:
    model = build_site_model(docs, opts)
    finished = []
    for doc in docs:
        try:
            finished.append(finish_document(doc, model, opts, stats))
        except Exception as exc:  # noqa: BLE001
            stats.error(doc.input, "clean", f"{type(exc).__name__}: {exc}")
    return dedup_documents(finished, opts, stats)


def clean_sources(sources: Iterable[SourceRecord], opts: CleanOptions = DEFAULT_OPTIONS,
                  stats: Stats | None = None) -> Iterator[dict]:
    """Batch API: pages or dump records in, article records (dicts) out."""
    stats = stats if stats is not None else Stats()
    for doc in clean_documents(extract_all(sources, opts, stats), opts, stats):
        yield document_to_record(doc)


def clean_pages(pages: Iterable[dict], opts: CleanOptions = DEFAULT_OPTIONS,
                stats: Stats | None = None) -> Iterator[dict]:
    """Batch API over plain dicts: {"url", "html"} or {"url", "text"} per page."""
    sources = (
        SourceRecord(input=p.get("input") or p.get("url") or f"page#{i}", source=p.get("source", "html"),
                     url=p.get("url"), html=p.get("html"), text=p.get("text"))
        for i, p in enumerate(pages)
    )
    yield from clean_sources(sources, opts, stats)


def clean_html(html: str, url: str | None = None, opts: CleanOptions = DEFAULT_OPTIONS) -> dict:
    """One page, no site context: the record for it (empty body if nothing was found)."""
    records = list(clean_pages([{"url": url, "html": html}], opts))
    if not records:
        raise ValueError("no document could be extracted from this page")
    return records[0]


def run_clean(inputs: list[str], out_dir: Path, opts: CleanOptions = DEFAULT_OPTIONS,
              stats: Stats | None = None) -> tuple[Path | None, Stats]:
    """The `pressroom clean` job: read every input, clean, write the articles table."""
    stats = stats if stats is not None else Stats()
    records = list(clean_sources(read_inputs(inputs, stats), opts, stats))
    stats.inc("write/records", len(records))
    path = write_articles(records, out_dir) if records else None
    return path, stats
