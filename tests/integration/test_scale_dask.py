"""`--engine dask` on a real dask.distributed LocalCluster (2 worker processes) gives the local engine's dataset."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pyarrow.dataset as ds
import pytest

pytest.importorskip("dask.distributed", reason="the dask extra is not installed (pip install 'pressroom[dask]')")

from cleaning.engines import DaskEngine, InlineEngine  # noqa: E402
from cleaning.core.options import CleanOptions  # noqa: E402
from cleaning.pipeline import clean_sources, run_clean  # noqa: E402
from cleaning.io.readers import read_inputs  # noqa: E402
from cleaning.core.schema import SourceRecord  # noqa: E402
from cleaning.core.stats import Stats  # noqa: E402
from cleaning.io.writers import write_dataset  # noqa: E402

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
DUMPS = sorted((REPO / "tests" / "fixtures" / "dumps").glob("*.txt"))
N_PAGES = 16


def sample_pages() -> list[SourceRecord]:
    from pressroom.sample_site.generator import generate_site

    site = generate_site()
    return [SourceRecord(input=rel.path, source="html", url="http://127.0.0.1:8000" + rel.path,
                         html=site.pages[rel.path].body.decode("utf-8"))
            for rel in site.releases[:N_PAGES]]


def dataset_rows(out: Path) -> list[dict]:
    return ds.dataset(out / "articles", format="parquet", partitioning="hive").to_table().sort_by("doc_id").to_pylist()


def cleaned_rows(sources: list[SourceRecord], out: Path, engine, batch_size: int) -> list[dict]:
    stats = Stats()
    write_dataset(list(clean_sources(sources, CleanOptions(), stats, engine, batch_size=batch_size)), out, stats)
    return dataset_rows(out)


@pytest.fixture(scope="module")
def cluster():
    engine = DaskEngine(workers=2)  # a LocalCluster: 2 worker processes, 1 thread each
    yield engine
    engine.close()


def test_local_cluster_has_two_worker_processes(cluster):
    assert cluster.workers == 2
    pids = cluster._client.run(lambda: __import__("os").getpid())
    assert len(set(pids.values())) == 2


def test_sample_site_pages_equal_local_engine_row_for_row(cluster, tmp_path):
    pages = sample_pages()
    on_dask = cleaned_rows(pages, tmp_path / "dask", cluster, batch_size=5)  # 5 partitions
    local = cleaned_rows(pages, tmp_path / "local", InlineEngine(), batch_size=1000)
    assert len(on_dask) == N_PAGES
    assert on_dask == local


def test_multi_file_dump_equals_local_engine_row_for_row(cluster, tmp_path):
    dumps = list(read_inputs([str(p) for p in DUMPS], Stats()))
    on_dask = cleaned_rows(dumps, tmp_path / "dask", cluster, batch_size=1)  # one partition per dump file
    local = cleaned_rows(dumps, tmp_path / "local", InlineEngine(), batch_size=1000)
    assert len(on_dask) > len(DUMPS)
    assert on_dask == local


def test_run_clean_on_a_scheduler_address_writes_the_same_dataset(cluster, tmp_path):
    """`pressroom clean --engine dask --scheduler tcp://…` (here the fixture cluster's scheduler)."""
    import pandas as pd

    inputs = [str(p) for p in DUMPS]
    address = cluster._client.scheduler.address
    assert address.startswith("tcp://127.0.0.1:")
    path, stats = run_clean(inputs, tmp_path / "dask", engine="dask", scheduler=address)
    run_clean(inputs, tmp_path / "local", engine="local", workers=1)
    assert path is not None and not stats.errors
    assert dataset_rows(tmp_path / "dask") == dataset_rows(tmp_path / "local")
    assert len(pd.read_parquet(tmp_path / "dask" / "articles")) == len(dataset_rows(tmp_path / "local"))


def every_table(out: Path) -> dict[str, list[dict]]:
    """Every Parquet table a run wrote (articles, boilerplate, ...), every column, rows in a stable order."""
    tables = {}
    for folder in sorted({f.relative_to(out).parts[0] for f in out.rglob("*.parquet")}):
        table = ds.dataset(out / folder, format="parquet", partitioning="hive").to_table()
        rows = table.to_pylist()
        tables[folder] = sorted(rows, key=lambda r: repr(sorted(r.items())))
    return tables


def test_workers_1_workers_2_and_dask_write_the_same_tables(cluster, tmp_path):
    """`pressroom clean` with --workers 1, --workers 2 and --engine dask: every table, every column, every row.

    70 pages, so the local runs use the process pool (64 or fewer run in-process) over two batches."""
    from pressroom.sample_site.generator import generate_site

    site = generate_site()
    pages = tmp_path / "pages"
    pages.mkdir()
    for rel in site.releases:
        (pages / (rel.path.strip("/").replace("/", "_") + ".html")).write_text(
            site.pages[rel.path].body.decode("utf-8"), encoding="utf-8")
    assert len(site.releases) > 64
    runs = {
        "workers 1": run_clean([str(pages)], tmp_path / "w1", engine="local", workers=1),
        "workers 2": run_clean([str(pages)], tmp_path / "w2", engine="local", workers=2),
        "dask": run_clean([str(pages)], tmp_path / "dask", engine="dask",
                          scheduler=cluster._client.scheduler.address),
    }
    assert {name: stats["write/records"] for name, (_, stats) in runs.items()} == dict.fromkeys(runs, len(site.releases))
    assert runs["workers 2"][1].errors == [] and runs["dask"][1].errors == []
    used = {name: json.loads((tmp_path / out / "reports" / "clean-stats.json").read_text())["settings"]["workers"]
            for name, out in (("workers 1", "w1"), ("workers 2", "w2"), ("dask", "dask"))}
    assert used == {"workers 1": 1, "workers 2": 2, "dask": 2}
    one = every_table(tmp_path / "w1")
    assert {"articles", "boilerplate"} <= set(one) and all(one.values())
    assert every_table(tmp_path / "w2") == one
    assert every_table(tmp_path / "dask") == one


if __name__ == "__main__":  # pragma: no cover
    sys.exit(pytest.main([__file__, "-q"]))
