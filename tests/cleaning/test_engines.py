"""Engines: every engine and every batch split gives the same records, row for row."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyarrow.dataset as ds
import pytest

from cleaning.engines import InlineEngine, LocalEngine, make_engine
from cleaning.core.options import CleanOptions
from cleaning.pipeline import clean_sources
from cleaning.io.readers import read_inputs
from cleaning.core.schema import SourceRecord
from cleaning.core.stats import Stats
from cleaning.io.writers import write_dataset

REPO = Path(__file__).resolve().parents[2]
DUMPS = sorted((REPO / "tests" / "fixtures" / "dumps").glob("*.txt"))
N_PAGES = 16  # enough for the site model to learn the chrome, small enough to stay fast


def sample_pages(n: int = N_PAGES) -> list[SourceRecord]:
    """The sample site's release pages as fetched HTML (no server needed)."""
    from pressroom.sample_site.generator import generate_site

    site = generate_site()
    return [SourceRecord(input=rel.path, source="html", url="http://127.0.0.1:8000" + rel.path,
                         html=site.pages[rel.path].body.decode("utf-8"))
            for rel in site.releases[:n]]


def dump_sources() -> list[SourceRecord]:
    return list(read_inputs([str(p) for p in DUMPS], Stats()))


def articles_rows(sources: list[SourceRecord], out: Path, engine, batch_size: int) -> list[dict]:
    """Clean, write the dataset with the real writer, read it back sorted by doc_id (every column)."""
    stats = Stats()
    records = list(clean_sources(sources, CleanOptions(), stats, engine, batch_size=batch_size))
    write_dataset(records, out, stats)
    table = ds.dataset(out / "articles", format="parquet", partitioning="hive").to_table()
    return table.sort_by("doc_id").to_pylist()


@pytest.fixture(scope="module")
def inline_pages(tmp_path_factory):
    return articles_rows(sample_pages(), tmp_path_factory.mktemp("inline"), InlineEngine(), batch_size=1000)


def test_sample_site_gives_one_row_per_release(inline_pages):
    assert len(inline_pages) == len(sample_pages())
    assert all(row["body_text"] for row in inline_pages)


def test_batch_split_does_not_change_records(inline_pages, tmp_path):
    """Pass 1 counts per batch and merges: the site model, hence every record, is the same."""
    assert articles_rows(sample_pages(), tmp_path, InlineEngine(), batch_size=7) == inline_pages


def test_local_engine_two_workers_equals_inline(inline_pages, tmp_path):
    engine = LocalEngine(workers=2)
    try:
        rows = articles_rows(sample_pages(), tmp_path / "pages", engine, batch_size=5)
        dumps = articles_rows(dump_sources(), tmp_path / "dumps", engine, batch_size=1)
    finally:
        engine.close()
    assert rows == inline_pages
    assert dumps == articles_rows(dump_sources(), tmp_path / "dumps-inline", InlineEngine(), batch_size=1000)
    assert len(dumps) > len(DUMPS)  # the multi-release dump is split into several records


def test_local_engine_keeps_batch_order():
    engine = LocalEngine(workers=2)
    try:
        assert engine.map(sum, [[i, 1] for i in range(20)]) == [i + 1 for i in range(20)]
    finally:
        engine.close()


def test_make_engine_names():
    assert isinstance(make_engine("inline"), InlineEngine)
    local = make_engine("local", workers=3)
    assert isinstance(local, LocalEngine) and local.workers == 3


def test_dask_stays_optional_at_import():
    """`pip install pressroom` without the dask extra must still import and clean locally."""
    code = ("import sys, cleaning.pipeline, cleaning.engines, pressroom.cli, pressroom.commands; "
            "sys.exit(1 if any(m == 'dask' or m.startswith(('dask.', 'distributed')) for m in sys.modules) else 0)")
    proc = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr or "dask was imported by a plain `import cleaning.pipeline`"
