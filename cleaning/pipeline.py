"""The cleaning stage as a list of steps, and the runners that apply it.

read -> extract -> pass 1 (site model) -> pass 2: strip -> split -> annotate -> quotes -> dedup -> write

Pass 1 and pass 2 are maps over batches of documents with one merge in between (the
site model), so the same functions run in-process, on a local process pool or on Dask.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from cleaning.annotate import annotate_document
from cleaning.dedup import (DedupSignature, count_assignments, dedup_signature, find_duplicate_clusters,
                            mark_duplicates)
from cleaning.engines import InlineEngine, Progress, make_engine
from cleaning.extract import extract_documents
from cleaning.options import DEFAULT_OPTIONS, CleanOptions
from cleaning.quotes import attribute_quotes
from cleaning.readers import read_inputs
from cleaning.schema import Document, SourceRecord, document_to_record
from cleaning.sitemodel import (SiteModel, build_site_model, collect_samples, count_fingerprints, merge_counts,
                                merge_samples)
from cleaning.split import split_document
from cleaning.stats import Stats
from cleaning.strip import strip_boilerplate, write_boilerplate
from cleaning.writers import write_dataset

BATCH_SIZE = 64
# Pass 2, in order. Each is `step(doc, opts, stats) -> Document` (strip also takes the model).
DOCUMENT_STEPS = (split_document, annotate_document, attribute_quotes)


def finish_document(doc: Document, model: SiteModel, opts: CleanOptions, stats: Stats) -> Document:
    """Pass 2 for one document: every per-document step, in order."""
    doc = strip_boilerplate(doc, model, opts, stats)
    for step in DOCUMENT_STEPS:
        doc = step(doc, opts, stats)
    stats.inc("clean/documents")
    return doc


def extract_batch(sources: Sequence[SourceRecord], opts: CleanOptions) -> tuple[list[Document], Stats]:
    stats, docs = Stats(), []
    for rec in sources:
        try:
            found = extract_documents(rec, opts, stats)
        except Exception as exc:  # noqa: BLE001 - per-input error, the run goes on
            stats.error(rec.input, "extract", f"{type(exc).__name__}: {exc}")
            continue
        stats.inc("extract/documents", len(found))
        docs.extend(found)
    return docs, stats


def finish_batch(docs: Sequence[Document], model: SiteModel, opts: CleanOptions) -> tuple[list[Document], Stats]:
    stats, finished = Stats(), []
    for doc in docs:
        try:
            finished.append(finish_document(doc, model, opts, stats))
        except Exception as exc:  # noqa: BLE001
            stats.error(doc.input, "clean", f"{type(exc).__name__}: {exc}")
    return finished, stats


def sign_batch(docs: Sequence[Document], opts: CleanOptions) -> tuple[list[DedupSignature], Stats]:
    """Dedup's map step for one batch; the clusters are found once over every batch's signatures."""
    stats, sigs = Stats(), []
    for doc in docs:
        try:
            sigs.append(dedup_signature(doc, opts))
        except Exception as exc:  # noqa: BLE001 - one bad document never stops the batch
            stats.error(doc.input, "dedup", f"{type(exc).__name__}: {exc}")
    return sigs, stats


def finish_and_sign_batch(docs: Sequence[Document], model: SiteModel,
                          opts: CleanOptions) -> tuple[tuple[list[Document], list[DedupSignature]], Stats]:
    """Pass 2 and dedup's map step in one task, so documents travel to a worker once."""
    finished, stats = finish_batch(docs, model, opts)
    sigs, sign_stats = sign_batch(finished, opts)
    return (finished, sigs), stats.merge(sign_stats)


def _batches(items: Sequence, size: int = BATCH_SIZE) -> list[list]:
    return [list(items[i : i + size]) for i in range(0, len(items), size)]


def _gather(results: list[tuple[list, Stats]], stats: Stats) -> list:
    out: list = []
    for items, batch_stats in results:
        out.extend(items)
        stats.merge(batch_stats)
    return out


def clean_documents(docs: list[Document], opts: CleanOptions, stats: Stats, engine=None,
                    out_dir: Path | None = None, batch_size: int = BATCH_SIZE) -> list[Document]:
    """Pass 1 (count per batch, merge), pass 2 and dedup signatures per batch, then the dedup merge.

    Every map runs on `engine`; only counts, samples and signatures come together in this process,
    and each merge is order-independent, so every engine gives the same records.
    """
    engine = engine or InlineEngine()
    batches = _batches(docs, batch_size)
    model = build_site_model(merge_counts(engine.map(count_fingerprints, batches, opts)), opts)
    model = model.with_samples(merge_samples(engine.map(collect_samples, batches, model)))
    stats.inc("sitemodel/frequent_fingerprints", model.n_keys)
    stats.inc("sitemodel/state_bytes", model.nbytes)
    if out_dir is not None:
        write_boilerplate(model, out_dir)  # the audit table: DIR/boilerplate/
    finished, sigs = [], []
    for (batch_docs, batch_sigs), batch_stats in engine.map(finish_and_sign_batch, batches, model, opts):
        finished.extend(batch_docs)
        sigs.extend(batch_sigs)
        stats.merge(batch_stats)
    assignments = find_duplicate_clusters(sigs, opts)  # the dedup merge, across every batch
    count_assignments(assignments, stats)
    stats.inc("dedup/clusters", sum(1 for a in assignments.values() if a.match == "kept"))
    return [mark_duplicates(doc, assignments.get(doc.doc_id)) for doc in finished]


def clean_sources(sources: Iterable[SourceRecord], opts: CleanOptions = DEFAULT_OPTIONS,
                  stats: Stats | None = None, engine=None, out_dir: Path | None = None,
                  batch_size: int = BATCH_SIZE) -> Iterator[dict]:
    """Batch API: pages or dump records in, article records (dicts) out, in input order."""
    stats = stats if stats is not None else Stats()
    engine = engine or InlineEngine()
    docs = _gather(engine.map(extract_batch, _batches(list(sources), batch_size), opts), stats)
    for doc in clean_documents(docs, opts, stats, engine, out_dir, batch_size):
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
              stats: Stats | None = None, engine: str = "local", workers: int | None = None,
              scheduler: str | None = None, progress: Progress | None = None) -> tuple[Path | None, Stats]:
    """The `pressroom clean` job: read every input, clean, write the articles table and run stats."""
    stats = stats if stats is not None else Stats()
    sources = list(read_inputs(inputs, stats))
    small = len(sources) <= BATCH_SIZE and engine != "dask"  # a pool costs more than it saves
    runner = InlineEngine(progress) if small else make_engine(engine, workers, scheduler, progress)
    try:
        records = list(clean_sources(sources, opts, stats, runner, out_dir))
    finally:
        runner.close()
    stats.inc("write/records", len(records))
    path = write_dataset(records, out_dir, stats) if records else None
    settings = {"inputs": [str(i) for i in inputs], "engine": engine, "workers": runner.workers,
                "options": dataclasses.asdict(opts)}
    stats.save(Path(out_dir) / "reports" / "clean-stats.json", settings)
    return path, stats
