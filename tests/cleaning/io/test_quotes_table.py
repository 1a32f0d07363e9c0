"""The flat `quotes/` table: one row per quote, always the projection of `articles/`."""

from pathlib import Path

import duckdb
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from cleaning.core.schema import (ARTICLES_SCHEMA, QUOTE_ROW_FROM_ARTICLE, QUOTE_ROW_FROM_QUOTE, QUOTES_SCHEMA,
                                  SCHEMA_VERSION, Quote)
from cleaning.core.stats import Stats
from cleaning.io.atomic import atomic_write_table
from cleaning.io.writers import data_files, write_dataset

from tests.cleaning.io.test_writers import make_record, read_all


def quotes_of(doc_id: str, *speakers: str) -> list[dict]:
    return [{"text": f"{who} on {doc_id}.", "speaker": who, "speaker_role": "director", "cue": "said",
             "kind": "direct", "paragraph": 0, "paragraphs": [0], "start": None, "end": None, "pull_of": None,
             "speaker_type": "person"} for who in speakers]


def read_quotes(out: Path) -> list[dict]:
    files = data_files(out / "quotes")
    return ds.dataset(files, schema=QUOTES_SCHEMA, format="parquet").to_table().to_pylist() if files else []


def exploded(articles: list[dict]) -> list[tuple]:
    """What the quotes table must hold, computed the slow obvious way from the articles rows."""
    rows = []
    for a in articles:
        for i, q in enumerate(a["quotes"] or []):
            rows.append((a["doc_id"], i, *(a[c] for c in QUOTE_ROW_FROM_ARTICLE[1:]),
                         *(q[c] for c in QUOTE_ROW_FROM_QUOTE)))
    return sorted(rows, key=repr)


def as_tuples(quotes: list[dict]) -> list[tuple]:
    return sorted(((q["doc_id"], q["quote_index"], *(q[c] for c in QUOTE_ROW_FROM_ARTICLE[1:]),
                    *(q[c] for c in QUOTE_ROW_FROM_QUOTE)) for q in quotes), key=repr)


def test_one_row_per_quote_with_its_release_columns_and_the_articles_folders(tmp_path):
    write_dataset([make_record("a", quotes=quotes_of("a", "Ann Lee", "Bo Chen")),
                   make_record("b", year=2024, quotes=quotes_of("b", "Ann Lee")),
                   make_record("c", quotes=[]), make_record("d", site=None, year=None, quotes=quotes_of("d", "Cy"))],
                  tmp_path, Stats())
    quotes = read_quotes(tmp_path)
    assert as_tuples(quotes) == exploded(read_all(tmp_path / "articles"))
    assert len(quotes) == 4 and {(q["doc_id"], q["quote_index"]) for q in quotes} == {
        ("a", 0), ("a", 1), ("b", 0), ("d", 0)}
    folders = sorted(p.parent.relative_to(tmp_path / "quotes").as_posix() for p in data_files(tmp_path / "quotes"))
    assert folders == ["site_key=example.org/year_key=2024", "site_key=example.org/year_key=2025",
                       "site_key=none/year_key=0"]
    [path] = [p for p in data_files(tmp_path / "quotes") if "2024" in str(p)]
    assert pq.read_schema(path).equals(QUOTES_SCHEMA, check_metadata=False)
    assert pq.read_metadata(path).metadata[b"table"] == b"quotes"


def test_incremental_writes_keep_quotes_equal_to_the_articles_rows(tmp_path):
    """Changed, moved (another year), dropped and new quotes: after each write the table is the projection."""
    write_dataset([make_record("a", quotes=quotes_of("a", "Ann Lee", "Bo Chen")),
                   make_record("b", quotes=quotes_of("b", "Ann Lee")),
                   make_record("c", year=2023, quotes=quotes_of("c", "Di Fox"))], tmp_path, Stats())
    runs = [
        [make_record("a", body="a changed", quotes=quotes_of("a", "Bo Chen"))],  # one quote fewer
        [make_record("b", year=2022, quotes=quotes_of("b", "Ann Lee", "Eve Ng"))],  # moves year, gains a quote
        [make_record("c", year=2023, body="c changed", quotes=[])],  # loses every quote: its folder goes
        [make_record("e", site="other.fr", quotes=quotes_of("e", "Fay Roe"))],
    ]
    for records in runs:
        write_dataset(records, tmp_path, Stats())
        assert as_tuples(read_quotes(tmp_path)) == exploded(read_all(tmp_path / "articles"))
    speakers = sorted((q["doc_id"], q["speaker"]) for q in read_quotes(tmp_path))
    assert speakers == [("a", "Bo Chen"), ("b", "Ann Lee"), ("b", "Eve Ng"), ("e", "Fay Roe")]
    assert not (tmp_path / "quotes" / "site_key=example.org" / "year_key=2023").exists()


def test_a_dataset_written_before_the_quotes_table_gets_it_on_its_next_write(tmp_path):
    """Schema 1.2 had no quotes/: the next write converts its partitions, untouched ones included."""
    root = tmp_path / "articles"
    old = [make_record("old", quotes=quotes_of("old", "Ann Lee")),
           make_record("older", year=2020, quotes=quotes_of("older", "Bo Chen"))]
    for rec in old:
        table = pa.Table.from_pylist([rec], schema=ARTICLES_SCHEMA.with_metadata(
            {"schema_version": "1.2", "table": "articles"}))
        atomic_write_table(table, root / f"site_key=example.org/year_key={rec['year']}" / "part-00000.parquet")
    stats = Stats()
    write_dataset([make_record("new", site="other.fr", quotes=quotes_of("new", "Cy"))], tmp_path, stats)
    assert sorted(q["doc_id"] for q in read_quotes(tmp_path)) == ["new", "old", "older"]
    assert as_tuples(read_quotes(tmp_path)) == exploded(read_all(root))
    assert stats["write/legacy_partitions_converted"] == 2
    for path in data_files(root):
        assert pq.read_metadata(path).metadata[b"schema_version"] == SCHEMA_VERSION.encode()


def test_the_quotes_table_reads_in_pandas_polars_and_duckdb(tmp_path):
    write_dataset([make_record("a", quotes=quotes_of("a", "Ann Lee", "Bo Chen")),
                   make_record("b", site="other.fr", year=None, quotes=quotes_of("b", "Ann Lee"))], tmp_path, Stats())
    folder = tmp_path / "quotes"
    df = pd.read_parquet(folder)
    assert sorted(df["speaker"]) == ["Ann Lee", "Ann Lee", "Bo Chen"]
    assert sorted(df.loc[df["year_key"] == 0, "doc_id"]) == ["b"]
    pl_counts = (pl.scan_parquet(f"{folder}/**/*.parquet", hive_partitioning=True)
                 .group_by("speaker").len().sort("speaker").collect())
    assert pl_counts.rows() == [("Ann Lee", 2), ("Bo Chen", 1)]
    rows = duckdb.sql(f"SELECT doc_id, quote_index FROM read_parquet('{folder}/**/*.parquet', hive_partitioning=true)"
                      " WHERE year_key = 2025 ORDER BY quote_index").fetchall()
    assert rows == [("a", 0), ("a", 1)]
