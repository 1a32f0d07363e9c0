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
