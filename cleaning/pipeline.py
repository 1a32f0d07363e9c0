"""The cleaning stage as a list of steps, and the runners that apply it.

read -> extract -> pass 1 (site model) -> ids -> pass 2: strip -> split -> classify -> annotate -> quotes -> measure
-> dedup -> write (pages classify finds are not releases are counted and left out)

Pass 1 and pass 2 are maps over batches of documents with one merge in between (the
site model), so the same functions run in-process, on a local process pool or on Dask.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import pickle
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

from cleaning.steps.annotate import annotate_document
from cleaning.steps.classify import classify_document, is_skipped
from cleaning.steps.dedup import (DedupSignature, count_assignments, dedup_signature, find_duplicate_clusters,
                            mark_duplicates)
from cleaning.engines import DaskEngine, InlineEngine, Progress, make_engine
from cleaning.extract.documents import extract_documents
from cleaning.core.options import DEFAULT_OPTIONS, CleanOptions
from cleaning.quotes.attribute import attribute_quotes
from cleaning.io.readers import read_inputs
from cleaning.core.schema import Document, SourceRecord, document_to_record
from cleaning.steps.sitemodel import (SiteCounts, SiteModel, build_site_model, collect_samples, count_fingerprints,
                                merge_counts, merge_samples)
from cleaning.steps.ids import IdClaim, IdDecisions, apply_ids, id_claims, resolve_ids
from cleaning.steps.measure import measure_document
from cleaning.steps.split import split_document
from cleaning.core.stats import Stats
from cleaning.core.step import (BudgetExceeded, Step, StepFailed, over_budget, page_deadline, record_failure,
                                run_steps, timed)
from cleaning.steps.strip import boilerplate_table, strip_boilerplate, write_boilerplate
from cleaning.io.atomic import exclusive_lock, try_lock
from cleaning.io.writers import write_dataset

BATCH_SIZE = 64
# Pass 2 after strip (which also needs the site model), in order; see cleaning/core/step.py for the contract.
DOCUMENT_STEPS: tuple[Step, ...] = (
    Step("split", split_document),
    Step("annotate", annotate_document),
    Step("quotes", attribute_quotes, optional=True),
    Step("measure", measure_document),
)


def finish_document(doc: Document, model: SiteModel, opts: CleanOptions, stats: Stats) -> Document:
    """Pass 2 for one document: every per-document step, in order."""
    strip = Step("strip", lambda d, o, s: strip_boilerplate(d, model, o, s))
    classify = Step("classify", lambda d, o, s: classify_document(d, model, o, s))  # after split: reads the body
    split, *rest = DOCUMENT_STEPS
    doc = run_steps(doc, (strip, split, classify, *rest), opts, stats)
    stats.inc("clean/documents")
    return doc


def extract_batch(sources: Sequence[SourceRecord], opts: CleanOptions) -> tuple[list[Document], Stats]:
    stats, docs = Stats(), []
    for rec in sources:
        with timed(stats, "extract"):
            started = time.monotonic()
            try:
                # one page's budget; a text dump's segmentation is linear and holds many releases
                with page_deadline(opts.page_budget_s if rec.html is not None else 0):
                    found = extract_documents(rec, opts, stats)
            except BudgetExceeded:
                over_budget(stats, rec.input, "extract", time.monotonic() - started, opts.page_budget_s)
                continue
            except Exception as exc:  # noqa: BLE001 - per-input error, the run goes on
                record_failure(stats, rec.input, "extract", exc)
                continue
        stats.inc("extract/documents", len(found))
        docs.extend(found)
    return docs, stats


def extract_and_count_batch(sources: Sequence[SourceRecord], opts: CleanOptions
                            ) -> tuple[tuple[list[Document], SiteCounts, list[IdClaim]], Stats]:
    """Extract and pass 1's per-batch maps in one task: fingerprint counts and id claims are taken
    while the documents are at hand, so a staged batch is not loaded again for them."""
    docs, stats = extract_batch(sources, opts)
    return (docs, count_fingerprints(docs, opts), id_claims(docs, opts)), stats


def finish_batch(docs: Sequence[Document], model: SiteModel, opts: CleanOptions,
                 ids: IdDecisions | None = None) -> tuple[list[Document], Stats]:
    stats, finished = Stats(), []
    for doc in apply_ids(docs, ids):
        try:
            done = finish_document(doc, model, opts, stats)
        except StepFailed:
            continue  # recorded by run_steps against the step that failed
        if not is_skipped(done, opts):  # a listing, legal or attachment page: counted by classify
            finished.append(done)
    return finished, stats


def sign_batch(docs: Sequence[Document], opts: CleanOptions) -> tuple[list[DedupSignature], Stats]:
    """Dedup's map step for one batch; the clusters are found once over every batch's signatures."""
    stats, sigs = Stats(), []
    for doc in docs:
        try:
            sigs.append(dedup_signature(doc, opts))
        except Exception as exc:  # noqa: BLE001 - one bad document never stops the batch
            record_failure(stats, doc.input, "dedup", exc)
    return sigs, stats


def finish_and_sign_batch(docs: Sequence[Document], model: SiteModel, opts: CleanOptions,
                          ids: IdDecisions | None = None) -> tuple[tuple[list[Document], list[DedupSignature]], Stats]:
    """Pass 2 and dedup's map step in one task, so documents travel to a worker once."""
    finished, stats = finish_batch(docs, model, opts, ids)
    sigs, sign_stats = sign_batch(finished, opts)
    return (finished, sigs), stats.merge(sign_stats)


def _batches(items: Sequence, size: int = BATCH_SIZE) -> list[list]:
    return [list(items[i : i + size]) for i in range(0, len(items), size)]


# ---------------------------------------------------------------- batches, in memory or staged
# Documents (with all their blocks) are the bulky part of a run. In-process and local engines stage
# each extracted batch in a work folder (one pickle per batch): every later map gets the path,
# loads that one batch and drops it, and only counts, samples and signatures come back here.
# A batch is written twice (extracted, finished) and loaded three times (samples, pass 2, the
# final read): fingerprint counts and id claims come with the extract task.
# Dask keeps the batches in memory on its side (its workers may be other machines).

WORK_PREFIX = ".work-"  # OUT/.work-XXXX: hidden, so a later `pressroom clean OUT` never reads it
WORK_LOCK = ".work.lock"  # held while a run creates its work folder and sweeps stale ones


def _spill(items: list, path: str) -> None:
    with open(path, "wb") as f:
        pickle.dump(items, f, protocol=pickle.HIGHEST_PROTOCOL)


def _load(path: str) -> list:
    with open(path, "rb") as f:
        return pickle.load(f)


class ExtractTo:
    """extract_and_count_batch on a (path, sources) job: the documents go to the path; the path,
    fingerprint counts and id claims come back."""

    __name__ = extract_and_count_batch.__name__  # the progress step's name

    def __call__(self, job: tuple[str, Sequence[SourceRecord]], opts: CleanOptions
                 ) -> tuple[tuple[str, SiteCounts, list[IdClaim]], Stats]:
        path, sources = job
        (docs, counts, claims), stats = extract_and_count_batch(sources, opts)
        _spill(docs, path)
        return (path, counts, claims), stats


class OnStaged:
    """`fn(docs, *args)` on the batch staged at a path."""

    def __init__(self, fn: Callable):
        self.fn, self.__name__ = fn, fn.__name__

    def __call__(self, path: str, *args):
        return self.fn(_load(path), *args)


class FinishStaged:
    """Pass 2 on a staged batch: the finished documents replace it on disk; path and signatures come back."""

    __name__ = finish_and_sign_batch.__name__

    def __call__(self, path: str, model: SiteModel, opts: CleanOptions, ids: IdDecisions | None = None):
        (finished, sigs), stats = finish_and_sign_batch(_load(path), model, opts, ids)
        _spill(finished, path)
        return (path, sigs), stats


def clean_batches(source_batches: list[list[SourceRecord]], opts: CleanOptions, stats: Stats, engine,
                  on_model: Callable[[SiteModel], None] | None = None, work: Path | None = None) -> Iterator[Document]:
    """Extract, pass 1 (count per batch, merge), pass 2 and dedup signatures per batch, the dedup merge.

    Every map runs on `engine`; each merge is order-independent, so every engine gives the same
    records. With `work`, batches are staged there; `source_batches` is emptied once extracted.
    `on_model` gets the site model once pass 1 is done (the boilerplate table is made from it).
    """
    staged = work is not None
    pages = [len(batch) for batch in source_batches]  # progress counts pages, then documents
    if staged:
        jobs = [(str(work / f"batch-{n:06d}.pkl"), batch) for n, batch in enumerate(source_batches)]
        results = engine.map(ExtractTo(), jobs, opts, sizes=pages)
        del jobs
    else:
        results = engine.map(extract_and_count_batch, source_batches, opts, sizes=pages)
    source_batches.clear()  # the documents hold what is needed from here on
    batches = [handle for (handle, _, _), _ in results]
    docs = [batch_stats["extract/documents"] for _, batch_stats in results]
    for _, batch_stats in results:
        stats.merge(batch_stats)
    on = OnStaged if staged else (lambda fn: fn)
    model = build_site_model(merge_counts(counts for (_, counts, _), _ in results), opts)
    model = model.with_samples(merge_samples(engine.map(on(collect_samples), batches, model, sizes=docs)))
    stats.inc("sitemodel/frequent_fingerprints", model.n_keys)
    stats.inc("sitemodel/state_bytes", model.nbytes)
    if on_model is not None:
        on_model(model)
    ids = resolve_ids([claims for (_, _, claims), _ in results], stats)  # one doc_id per page, shared ids listed
    del results
    finished, sigs = [], []
    for (handle, batch_sigs), batch_stats in engine.map(FinishStaged() if staged else finish_and_sign_batch,
                                                        batches, model, opts, ids, sizes=docs):
        finished.append(handle)
        sigs.extend(batch_sigs)
        stats.merge(batch_stats)
    assignments = find_duplicate_clusters(sigs, opts)  # the dedup merge, across every batch
    count_assignments(assignments, stats)
    stats.inc("dedup/clusters", sum(1 for a in assignments.values() if a.match == "kept"))
    for handle in finished:
        for doc in _load(handle) if staged else handle:
            yield mark_duplicates(doc, assignments.get(doc.doc_id))


def clean_sources(sources: Iterable[SourceRecord], opts: CleanOptions = DEFAULT_OPTIONS,
                  stats: Stats | None = None, engine=None, out_dir: Path | None = None,
                  batch_size: int = BATCH_SIZE, on_model: Callable[[SiteModel], None] | None = None) -> Iterator[dict]:
    """Batch API: pages or dump records in, article records (dicts) out, in input order.

    In-process and local engines stage documents in a work folder (OUT/.work-XXXX, or a temp
    folder without `out_dir`), removed at the end even on error; work folders a killed run
    left in `out_dir` are removed first. The site model goes to `on_model`; without one,
    its boilerplate table is merged into `out_dir/boilerplate/` once every record is made.
    """
    stats = stats if stats is not None else Stats()
    engine = engine or InlineEngine()
    source_batches = _batches(list(sources), batch_size)
    models: list[SiteModel] = []
    sink = on_model if on_model is not None else models.append
    if isinstance(engine, DaskEngine):
        records = [document_to_record(doc) for doc in clean_batches(source_batches, opts, stats, engine, sink)]
    else:
        with work_folder(out_dir) as work:
            records = [document_to_record(doc) for doc in clean_batches(source_batches, opts, stats, engine, sink, work)]
    if out_dir is not None and models:
        write_boilerplate(models[0], out_dir)  # the audit table: DIR/boilerplate/
    yield from records


@contextlib.contextmanager
def work_folder(out_dir: Path | None) -> Iterator[Path]:
    """A fresh `OUT/.work-XXXX`, locked (flock) for as long as the run uses it, removed at the end.

    A SIGKILL or an OOM kill skips the removal; its folder is removed by the next run here. A
    folder is stale when nobody holds its lock (the kernel drops a dead process's locks), so a
    live concurrent run's folder is kept; `OUT/.work.lock` makes creating and sweeping one step.
    """
    if out_dir is not None:
        Path(out_dir).mkdir(parents=True, exist_ok=True)
    with contextlib.ExitStack() as stack:
        if out_dir is not None:
            stack.enter_context(exclusive_lock(Path(out_dir) / WORK_LOCK))
            remove_stale_work_folders(Path(out_dir))
        work = Path(tempfile.mkdtemp(prefix=WORK_PREFIX, dir=out_dir))
        fd = os.open(work, os.O_RDONLY)
        with contextlib.suppress(OSError):  # no flock on this file system: no sweep can lock it either
            try_lock(fd)
        stack.close()  # the sweep lock only covers creation; the folder's own lock lasts the run
    try:
        yield work
    finally:
        shutil.rmtree(work, ignore_errors=True)
        os.close(fd)


def remove_stale_work_folders(out_dir: Path) -> list[Path]:
    """Remove the `OUT/.work-*` folders no live run holds (call with OUT/.work.lock held)."""
    removed = []
    for folder in sorted(Path(out_dir).glob(WORK_PREFIX + "*")):
        try:
            fd = os.open(folder, os.O_RDONLY)
        except OSError:
            continue
        try:
            if folder.is_dir() and try_lock(fd, blocking=False):
                shutil.rmtree(folder, ignore_errors=True)
                removed.append(folder)
        except OSError:
            pass  # cannot tell whether a run holds it: keep it
        finally:
            os.close(fd)
    return removed


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
    records = list(clean_pages([{"url": url, "html": html}], dataclasses.replace(opts, all_pages=True)))
    if not records:
        raise ValueError("no document could be extracted from this page")
    return records[0]


def _handed_over(items: list) -> Iterator:
    """The items one by one, emptying the list: the caller keeps no reference to what it handed over."""
    items.reverse()
    while items:
        yield items.pop()


def run_clean(inputs: list[str], out_dir: Path, opts: CleanOptions = DEFAULT_OPTIONS,
              stats: Stats | None = None, engine: str = "local", workers: int | None = None,
              scheduler: str | None = None, progress: Progress | None = None) -> tuple[Path | None, Stats]:
    """The `pressroom clean` job: read every input, clean, write the articles table and run stats."""
    stats = stats if stats is not None else Stats()
    sources = list(read_inputs(inputs, stats, include=opts.include, exclude=opts.exclude))
    small = len(sources) <= BATCH_SIZE and engine != "dask"  # a pool costs more than it saves
    runner = InlineEngine(progress) if small else make_engine(engine, workers, scheduler, progress)
    models: list[SiteModel] = []
    try:
        records = list(clean_sources(_handed_over(sources), opts, stats, runner, out_dir, on_model=models.append))
    except BaseException:  # Ctrl-C, SIGTERM, a fatal error: never wait for the workers
        runner.cancel()
        raise
    finally:
        runner.close()
    stats.inc("write/records", len(records))
    boilerplate = boilerplate_table(models[0]) if models else None
    if records or boilerplate is not None:  # articles and boilerplate: one commit
        write_dataset(records, out_dir, stats, boilerplate=boilerplate)
    path = Path(out_dir) / "articles" if records else None
    settings = {"inputs": [str(i) for i in inputs], "engine": engine, "workers": runner.workers,
                "options": dataclasses.asdict(opts)}
    stats.save(Path(out_dir) / "reports" / "clean-stats.json", settings)
    return path, stats
