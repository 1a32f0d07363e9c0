"""The pipeline's staging through files: same records as in memory, and no work folder left behind."""

from __future__ import annotations

from pathlib import Path

import pytest

import cleaning.pipeline as pipeline
from cleaning.engines import InlineEngine
from cleaning.core.options import CleanOptions
from cleaning.pipeline import WORK_PREFIX, clean_batches, clean_sources, run_clean
from cleaning.core.schema import SourceRecord, document_to_record
from cleaning.core.stats import Stats


def sample_pages(n: int = 12) -> list[SourceRecord]:
    from pressroom.sample_site.generator import generate_site

    site = generate_site()
    return [SourceRecord(input=rel.path, source="html", url="http://127.0.0.1:8000" + rel.path,
                         html=site.pages[rel.path].body.decode("utf-8"))
            for rel in site.releases[:n]]


def work_folders(out: Path) -> list[Path]:
    return sorted(out.glob(WORK_PREFIX + "*"))


def test_staged_records_equal_the_in_memory_ones(tmp_path):
    sources = sample_pages()
    batches = [sources[i : i + 5] for i in range(0, len(sources), 5)]
    in_memory = [document_to_record(d) for d in clean_batches(batches, CleanOptions(), Stats(), InlineEngine())]
    staged = list(clean_sources(sources, CleanOptions(), Stats(), InlineEngine(), tmp_path, batch_size=5))
    assert staged == in_memory and len(staged) == len(sources)


def test_the_work_folder_is_removed_after_a_run(tmp_path):
    pages = tmp_path / "pages"
    pages.mkdir()
    for i, src in enumerate(sample_pages(4)):
        (pages / f"p{i}.html").write_text(src.html, encoding="utf-8")
    path, stats = run_clean([str(pages)], tmp_path / "out", engine="inline")
    assert path is not None and stats["write/records"] == 4
    assert work_folders(tmp_path / "out") == []


def test_the_work_folder_is_removed_after_a_failing_run(tmp_path, monkeypatch):
    seen: list[int] = []

    def failing_merge(sigs, opts):
        seen.extend(len(list(w.glob("*.pkl"))) for w in work_folders(tmp_path))  # staged while the run goes on
        raise RuntimeError("merge failed")

    monkeypatch.setattr(pipeline, "find_duplicate_clusters", failing_merge)
    with pytest.raises(RuntimeError, match="merge failed"):
        list(clean_sources(sample_pages(4), CleanOptions(), Stats(), InlineEngine(), tmp_path, batch_size=2))
    assert seen == [2]  # one work folder, one file per batch
    assert work_folders(tmp_path) == []


def test_a_staged_batch_is_written_twice_and_loaded_three_times(tmp_path, monkeypatch):
    """Extract writes it (with counts and id claims returned), samples and pass 2 load it, pass 2
    writes the finished batch, the final read loads it: fingerprints are never counted from disk."""
    spills, loads = [], []
    spill, load = pipeline._spill, pipeline._load
    monkeypatch.setattr(pipeline, "_spill", lambda items, path: (spills.append(Path(path).name), spill(items, path)))
    monkeypatch.setattr(pipeline, "_load", lambda path: (loads.append(Path(path).name), load(path))[1])
    records = list(clean_sources(sample_pages(6), CleanOptions(), Stats(), InlineEngine(), tmp_path, batch_size=3))
    assert len(records) == 6
    assert sorted(spills) == sorted(["batch-000000.pkl", "batch-000001.pkl"] * 2)
    assert sorted(loads) == sorted(["batch-000000.pkl", "batch-000001.pkl"] * 3)


def test_staged_documents_pickle_without_dataclass_fields(monkeypatch):
    """Every block, paragraph and page-meta object comes back equal, and pickling them never calls
    dataclasses.fields() per object (it was thousands of calls per batch)."""
    import dataclasses
    import pickle

    docs, _ = pipeline.extract_batch(sample_pages(2), CleanOptions())
    finished, _ = pipeline.finish_batch(docs, pipeline.build_site_model(docs, CleanOptions()), CleanOptions())
    calls = []
    fields = dataclasses.fields
    monkeypatch.setattr(dataclasses, "fields", lambda obj: (calls.append(type(obj).__name__), fields(obj))[1])
    for items in (docs, finished, sample_pages(2)):
        back = pickle.loads(pickle.dumps(items, protocol=pickle.HIGHEST_PROTOCOL))
        assert back == items and [type(x) for x in back] == [type(x) for x in items]
    assert finished[0].paragraphs and finished[0].blocks and finished[0].meta.title
    assert set(calls) <= {"Document"}  # the (unslotted) Document pickles by its __dict__; nothing calls fields()
