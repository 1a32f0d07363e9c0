"""A write killed at every step of its commit: no doc_id lost, right after the kill and after the next run.

The writer runs in a subprocess with PRESSROOM_WRITE_CRASH_AT=k: at its k-th step (a staged
file, the plan written, a partition swapped, the plan removed) it ends with os._exit, as a
SIGKILL would (no finally, no cleanup). k runs from 1 until the write completes, so every
step is a kill point. The write moves rows both ways between partitions (a date corrected
later and earlier, an undated release dated, a dated one undated), changes rows in place,
adds rows and merges a boilerplate table, so every kind of swap is cut at least once.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from collections import Counter
from pathlib import Path

import duckdb
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.dataset as ds
import pytest

from cleaning.core.schema import ARTICLES_SCHEMA, BOILERPLATE_SCHEMA
from cleaning.core.stats import Stats
from cleaning.io.writers import COMMIT_LOG, CRASH_ENV, CRASH_EXIT, STAGING, write_dataset
from tests.faults.scenario import BASE, MOVED, RUN1, base_records, boilerplate, record

REPO = Path(__file__).resolve().parents[2]


WRITER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from cleaning.core.stats import Stats
    from cleaning.io.writers import write_dataset
    from tests.faults.scenario import boilerplate, run1_records

    if sys.argv[2] == "no-exchange":  # as on a platform without renameat2(RENAME_EXCHANGE)
        import cleaning.io.writers as writers
        writers._exchange = lambda a, b: False
    write_dataset(run1_records(), Path(sys.argv[1]), Stats(), boilerplate=boilerplate(1))
""")


def killed_write(out: Path, at: int, swap: str = "exchange") -> int:
    env = {**os.environ, "PYTHONPATH": str(REPO), CRASH_ENV: str(at)}
    done = subprocess.run([sys.executable, "-c", WRITER, str(out), swap], env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode in (0, CRASH_EXIT), done.stderr
    return done.returncode


def ids_in_every_reader(out: Path) -> list[str]:
    """The doc_ids as pyarrow, pandas, polars and DuckDB read the folder (they must agree)."""
    root = out / "articles"
    glob = str(root / "**" / "*.parquet")
    by_arrow = ds.dataset(root, format="parquet", partitioning="hive").to_table().column("doc_id").to_pylist()
    by_pandas = pd.read_parquet(root, engine="pyarrow", partitioning=ds.partitioning(flavor="hive"))["doc_id"].tolist()
    by_polars = pl.read_parquet(glob, hive_partitioning=True)["doc_id"].to_list()
    by_duckdb = [r[0] for r in duckdb.connect().execute(
        f"SELECT doc_id FROM read_parquet('{glob}', hive_partitioning = true)").fetchall()]
    assert sorted(by_arrow) == sorted(by_pandas) == sorted(by_polars) == sorted(by_duckdb)
    # and the typed key holds in each: year_key is an integer, whatever partition the kill left
    assert pa.types.is_integer(ds.dataset(root, partitioning="hive").schema.field("year_key").type)
    assert pl.scan_parquet(glob, hive_partitioning=True).collect_schema()["year_key"].is_integer()
    described = duckdb.connect().execute(
        f"DESCRIBE SELECT year_key FROM read_parquet('{glob}', hive_partitioning = true)").fetchall()
    assert described[0][1] in ("BIGINT", "INTEGER"), described
    return by_arrow


def rows(out: Path) -> dict[str, dict]:
    table = ds.dataset(out / "articles", schema=ARTICLES_SCHEMA, partitioning="hive").to_table()
    found = table.to_pylist()
    assert len(found) == len({r["doc_id"] for r in found})
    return {r["doc_id"]: r for r in found}


def boilerplate_fingerprints(out: Path) -> set[str]:
    table = ds.dataset(out / "boilerplate", schema=BOILERPLATE_SCHEMA, partitioning="hive").to_table()
    return set(table.column("fingerprint").to_pylist())


@pytest.fixture(scope="module")
def base_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("base")
    write_dataset(base_records(), out, Stats(), boilerplate=boilerplate(0))
    return out


@pytest.mark.parametrize("swap", ["exchange", "no-exchange"])
def test_a_kill_at_any_step_loses_no_row_and_the_next_writer_leaves_each_row_once(base_dir, tmp_path, swap):
    """With renameat2's exchange (Linux) a reader never misses a row; without it (two renames), a kill
    between the two leaves one partition absent until the next writer, which restores every row."""
    base_ids = set(BASE)
    final_ids = base_ids | set(RUN1)
    kills, committed_kills = 0, 0
    for at in range(1, 200):
        out = tmp_path / f"kill-{at:03d}"
        shutil.copytree(base_dir, out)
        code = killed_write(out, at, swap)
        if code == 0:  # the write has fewer steps than `at`: every step has been a kill point
            break
        kills += 1
        logged = (out / COMMIT_LOG).exists()
        committed_kills += logged

        # right after the kill: every reader reads it, no row is missing, only a moved row may show twice
        seen = ids_in_every_reader(out)
        counts = Counter(seen)
        if swap == "exchange":
            assert base_ids <= set(counts), f"kill at step {at}: rows lost"
        assert {d for d, n in counts.items() if n > 1} <= MOVED, f"kill at step {at}: a row that did not move doubled"
        assert set(counts) <= final_ids

        # the next writer (another write altogether) first finishes or drops the killed one
        write_dataset([record("next", 2020, 2)], out, Stats())
        after = rows(out)  # each doc_id once
        if logged or set(counts) - base_ids or set(counts) < base_ids:  # past the commit point: all its rows
            assert set(after) == final_ids | {"next"}, f"kill at step {at}"
            assert {d: after[d]["year"] for d in RUN1} == RUN1, f"kill at step {at}"
            assert all(after[d]["content_hash"] == f"{d}-v1" for d in RUN1)
            assert {"f0", "f1"} <= boilerplate_fingerprints(out)
        else:  # before it: the dataset as it was
            assert set(after) == base_ids | {"next"}, f"kill at step {at}"
            assert {d: after[d]["year"] for d in BASE} == BASE
            assert boilerplate_fingerprints(out) == {"f0"}
        assert not (out / COMMIT_LOG).exists() and not any((out / STAGING).glob("*"))
        assert ids_in_every_reader(out)
    else:
        pytest.fail("the write never completed")
    assert kills >= 15 and committed_kills >= 8, (kills, committed_kills)  # staging, swaps of both phases, cleanup


def test_the_uninterrupted_write_moves_rows_both_ways(base_dir, tmp_path):
    out = tmp_path / "whole"
    shutil.copytree(base_dir, out)
    assert killed_write(out, 10_000) == 0
    after = rows(out)
    assert set(after) == set(BASE) | set(RUN1)
    assert {d: after[d]["year"] for d in RUN1} == RUN1
    assert after["later"]["prev_content_hash"] == "later-v0"


def test_finish_interrupted_write_settles_a_killed_write_without_writing_anything(base_dir, tmp_path):
    from cleaning.io.writers import finish_interrupted_write

    out = tmp_path / "settle"
    shutil.copytree(base_dir, out)
    at = 1
    while True:  # the first kill that leaves a moved row twice
        shutil.rmtree(out)
        shutil.copytree(base_dir, out)
        assert killed_write(out, at) == CRASH_EXIT, "no kill point left a moved row twice"
        if max(Counter(ids_in_every_reader(out)).values()) > 1:
            break
        at += 1
    assert finish_interrupted_write(out) is True
    assert set(rows(out)) == set(BASE) | set(RUN1)  # each once
    assert finish_interrupted_write(out) is False


def test_report_and_dedup_finish_a_killed_write_before_reading(base_dir, tmp_path):
    """A kill past the commit point can leave a moved row in two partitions: the report and dedup
    finish that write first, so they count each release once."""
    from pressroom.inspect_dedup import dedup_clusters
    from pressroom.report import load_run

    for at in range(1, 200):
        out = tmp_path / f"kill-{at:03d}"
        shutil.copytree(base_dir, out)
        assert killed_write(out, at) == CRASH_EXIT, "no kill point left a moved row twice"
        if any(n > 1 for n in Counter(ids_in_every_reader(out)).values()):
            break
        shutil.rmtree(out)
    data = load_run(out)
    ids = data.articles.column("doc_id").to_pylist()
    assert len(ids) == len(set(ids)) == len(set(BASE) | set(RUN1))
    assert not (out / COMMIT_LOG).exists()
    assert dedup_clusters(out)["documents"] == len(ids)
