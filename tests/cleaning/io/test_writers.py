"""The articles dataset: layout, encoding, incremental merge, compaction, cross-run dedup."""

from datetime import datetime, timezone
from pathlib import Path

import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from cleaning.core.schema import ARTICLES_SCHEMA, SCHEMA_VERSION, Document, Paragraph, Quote, Removed, document_to_record
from cleaning.core.stats import Stats
from cleaning.core.schema import ARTICLES_LAYOUT, BOILERPLATE_LAYOUT
from cleaning.io.atomic import atomic_write_table, atomic_write_text
from cleaning.io.writers import data_files, write_dataset, write_table_partitions


def make_record(doc_id: str, site: str | None = "example.org", year: int | None = 2025, body: str | None = None,
                url: str | None = None, **changes) -> dict:
    body = body if body is not None else f"Body of {doc_id} with enough distinct words to stand alone."
    doc = Document(
        doc_id=doc_id, input=f"in/{doc_id}.html", source="html", site=site,
        url=url or f"https://{site or 'dump'}/press/{doc_id}",
        published_at=datetime(year, 3, 1, 12, tzinfo=timezone.utc) if year else None,
        title=f"Title {doc_id}", lang="en", paragraphs=[Paragraph(body)],
        quotes=[Quote("We act.", speaker="Ann Lee", paragraphs=(0,), paragraph=0)],
        removed=[Removed("Donate now", "banner")], content_hash=f"h-{hash(body) & 0xFFFFFFFF:x}",
        word_count=len(body.split()),
    )
    return {**document_to_record(doc), **changes}


def read_all(root: Path) -> list[dict]:
    return ds.dataset(data_files(root), schema=ARTICLES_SCHEMA, format="parquet").to_table().to_pylist()


def test_layout_is_hive_partitioned_by_site_and_year(tmp_path):
    recs = [make_record("a"), make_record("b", year=2024), make_record("c", site="other.fr"),
            make_record("d", site=None, year=None)]
    root = write_dataset(recs, tmp_path, Stats())
    assert root == tmp_path / "articles"
    dirs = sorted(p.parent.relative_to(root).as_posix() for p in data_files(root))
    assert dirs == ["site_key=example.org/year_key=2024", "site_key=example.org/year_key=2025",
                    "site_key=none/year_key=0", "site_key=other.fr/year_key=2025"]
    assert not (tmp_path / ".staging").exists() or not any((tmp_path / ".staging").iterdir())


def test_files_carry_schema_version_zstd_and_dictionary_encoding(tmp_path):
    root = write_dataset([make_record("a"), make_record("b")], tmp_path, Stats())
    [path] = data_files(root)
    meta = pq.read_metadata(path)
    assert meta.metadata[b"schema_version"] == SCHEMA_VERSION.encode()
    assert pq.read_schema(path).equals(ARTICLES_SCHEMA, check_metadata=False)
    assert pq.read_schema(path).field("doc_id").metadata[b"doc"]  # field docs survive
    columns = {meta.row_group(0).column(i).path_in_schema: meta.row_group(0).column(i)
               for i in range(meta.num_columns)}
    assert all(c.compression == "ZSTD" for c in columns.values())
    assert "RLE_DICTIONARY" in columns["lang"].encodings
    assert "RLE_DICTIONARY" in columns["removed.list.element.reason"].encodings
    assert "RLE_DICTIONARY" not in columns["body_text"].encodings


def test_incremental_merge_replaces_changed_page_and_keeps_previous_hash(tmp_path):
    write_dataset([make_record("a", body="first version of the release"), make_record("b")], tmp_path, Stats())
    stats = Stats()
    write_dataset([make_record("a", body="second, corrected version of the release"), make_record("c")],
                  tmp_path, stats)
    rows = {r["doc_id"]: r for r in read_all(tmp_path / "articles")}
    assert sorted(rows) == ["a", "b", "c"]
    assert rows["a"]["body_text"] == "second, corrected version of the release"
    assert rows["a"]["prev_content_hash"] == make_record("a", body="first version of the release")["content_hash"]
    assert rows["b"]["prev_content_hash"] is None
    assert stats["write/rows_changed"] == 1 and stats["write/rows_new"] == 1


def test_unchanged_page_keeps_its_earlier_previous_hash(tmp_path):
    write_dataset([make_record("a", body="v1 text")], tmp_path, Stats())
    write_dataset([make_record("a", body="v2 text")], tmp_path, Stats())
    write_dataset([make_record("a", body="v2 text")], tmp_path, Stats())
    [row] = read_all(tmp_path / "articles")
    assert row["prev_content_hash"] == make_record("a", body="v1 text")["content_hash"]


def test_page_moving_to_another_year_leaves_no_copy_behind(tmp_path):
    write_dataset([make_record("a", year=2024), make_record("b", year=2024)], tmp_path, Stats())
    write_dataset([make_record("a", year=2025, body="date corrected")], tmp_path, Stats())
    rows = read_all(tmp_path / "articles")
    assert sorted((r["doc_id"], r["year"]) for r in rows) == [("a", 2025), ("b", 2024)]


def test_partition_emptied_by_a_move_is_removed(tmp_path):
    write_dataset([make_record("a", year=2024)], tmp_path, Stats())
    write_dataset([make_record("a", year=2025)], tmp_path, Stats())
    assert not (tmp_path / "articles" / "site_key=example.org" / "year_key=2024").exists()


def test_many_small_runs_are_compacted(tmp_path):
    for run in range(12):
        write_dataset([make_record(f"d{run}-{i}") for i in range(3)], tmp_path, Stats())
    files = data_files(tmp_path / "articles")
    assert len(files) == 1
    assert pq.read_metadata(files[0]).num_rows == 36


def test_large_partition_is_split_into_capped_files(tmp_path, monkeypatch):
    import cleaning.io.writers as writers

    monkeypatch.setattr(writers, "ARTICLES_LAYOUT", writers.TableLayout(**{
        **{f: getattr(ARTICLES_LAYOUT, f) for f in ARTICLES_LAYOUT.__slots__}, "max_rows_per_file": 4,
        "row_group_rows": 2}))
    write_dataset([make_record(f"d{i:02d}") for i in range(10)], tmp_path, Stats())
    files = data_files(tmp_path / "articles")
    assert [pq.read_metadata(f).num_rows for f in files] == [4, 4, 2]
    assert pq.read_metadata(files[0]).num_row_groups == 2


def test_repeated_doc_id_in_one_batch_is_one_row(tmp_path):
    stats = Stats()
    write_dataset([make_record("a", body="old words"), make_record("a", body="new words")], tmp_path, stats)
    [row] = read_all(tmp_path / "articles")
    assert row["body_text"] == "new words"
    assert stats["write/batch_repeated_doc_ids"] == 1


def test_input_records_are_not_mutated(tmp_path):
    write_dataset([make_record("a", body="v1 words")], tmp_path, Stats())
    rec = make_record("a", body="v2 words")
    write_dataset([rec], tmp_path, Stats())
    assert rec["prev_content_hash"] is None


def test_cross_run_exact_duplicate_is_folded_into_existing_row(tmp_path):
    body = "The same release, republished under another address a week later."
    write_dataset([make_record("orig", body=body)], tmp_path, Stats())
    stats = Stats()
    later = make_record("copy", body=body, published_at=datetime(2025, 3, 8, tzinfo=timezone.utc))
    write_dataset([later], tmp_path, stats)
    rows = {r["doc_id"]: r for r in read_all(tmp_path / "articles")}
    assert rows["copy"]["dup_of"] == "orig" and rows["copy"]["dup_cluster"] == "orig"
    assert rows["orig"]["dup_of"] is None and rows["orig"]["dup_cluster"] == "orig"
    assert stats["dedup/cross_run"] >= 1


def test_cross_run_earlier_copy_takes_over_as_kept(tmp_path):
    """The keep rule holds across runs: an older copy arriving later becomes the kept row."""
    body = "A release first seen late, though it was published earlier."
    write_dataset([make_record("late", body=body)], tmp_path, Stats())
    early = make_record("early", body=body, published_at=datetime(2025, 1, 1, tzinfo=timezone.utc))
    write_dataset([early], tmp_path, Stats())
    rows = {r["doc_id"]: r for r in read_all(tmp_path / "articles")}
    assert rows["late"]["dup_of"] == "early" and rows["early"]["dup_of"] is None
    assert rows["late"]["dup_cluster"] == rows["early"]["dup_cluster"] == "early"


def test_cross_run_same_canonical_url_is_folded(tmp_path):
    write_dataset([make_record("x1", url="https://example.org/press/one/")], tmp_path, Stats())
    write_dataset([make_record("x2", body="Different text entirely, fetched over plain http.",
                               url="http://www.example.org/press/one?utm_source=feed")], tmp_path, Stats())
    rows = {r["doc_id"]: r for r in read_all(tmp_path / "articles")}
    assert {rows["x1"]["dup_cluster"], rows["x2"]["dup_cluster"]} == {"x1"}


def test_boilerplate_table_helper_replaces_or_merges_site_partitions(tmp_path):
    import pyarrow as pa

    def table(rows):
        return pa.Table.from_pylist(rows, schema=BOILERPLATE_LAYOUT.schema)

    row = dict(site="a.org", fingerprint="01", text="Contact", doc_count=5, site_docs=9, reason="contacts")
    write_table_partitions(table([row, {**row, "site": "b.org"}]), tmp_path, "boilerplate")
    write_table_partitions(table([{**row, "fingerprint": "02"}, {**row, "doc_count": 7}]), tmp_path, "boilerplate",
                           key=("site", "fingerprint"))
    got = ds.dataset(data_files(tmp_path / "boilerplate"), schema=BOILERPLATE_LAYOUT.schema).to_table().to_pylist()
    assert sorted((r["site"], r["fingerprint"], r["doc_count"]) for r in got) == [
        ("a.org", "01", 7), ("a.org", "02", 5), ("b.org", "01", 5)]
    write_table_partitions(table([{**row, "fingerprint": "09"}]), tmp_path, "boilerplate")
    got = ds.dataset(data_files(tmp_path / "boilerplate"), schema=BOILERPLATE_LAYOUT.schema).to_table().to_pylist()
    assert sorted((r["site"], r["fingerprint"]) for r in got) == [("a.org", "09"), ("b.org", "01")]


def test_atomic_helpers_still_write_single_files(tmp_path):
    import pyarrow as pa

    atomic_write_text(tmp_path / "x" / "note.txt", "hello")
    assert (tmp_path / "x" / "note.txt").read_text() == "hello"
    path = atomic_write_table(pa.table({"a": [1, 2]}), tmp_path / "x" / "t.parquet")
    assert pq.read_table(path).column("a").to_pylist() == [1, 2]
    assert [p.name for p in (tmp_path / "x").iterdir() if p.name.startswith(".")] == []


@pytest.mark.parametrize("bad", [{"doc_id": None}, {"word_count": "many"}, {"lang": 5}])
def test_an_invalid_record_is_reported_and_the_others_are_written(tmp_path, bad):
    write_dataset([make_record("a")], tmp_path, Stats())
    before = read_all(tmp_path / "articles")
    stats = Stats()
    write_dataset([{**make_record("b"), **bad}, make_record("c")], tmp_path, stats)
    rows = read_all(tmp_path / "articles")
    assert sorted(r["doc_id"] for r in rows) == ["a", "c"]
    assert [r for r in rows if r["doc_id"] == "a"] == before
    [error] = stats.errors
    assert error["input"] == "in/b.html" and error["step"] == "write" and stats["write/errors"] == 1


def test_legacy_single_file_output_is_migrated_into_partitions(tmp_path):
    from cleaning.core.schema import records_to_table

    legacy = tmp_path / "articles" / "part-0.parquet"
    atomic_write_table(records_to_table([make_record("old1", body="kept as it was"), make_record("a", body="v1")]),
                       legacy)
    stats = Stats()
    write_dataset([make_record("a", body="v2")], tmp_path, stats)
    assert not legacy.exists()
    rows = {r["doc_id"]: r for r in read_all(tmp_path / "articles")}
    assert sorted(rows) == ["a", "old1"]
    assert rows["a"]["body_text"] == "v2" and rows["a"]["prev_content_hash"] == make_record("a", body="v1")["content_hash"]
    assert stats["write/legacy_rows_migrated"] == 2


# ---------------------------------------------------------------- bounded names, typed keys, older layouts

IDN_SITE = "пресс-служба-министерства-здравоохранения-россии.рф"  # a 48-letter Cyrillic label, 63 as punycode


def test_a_long_idn_host_gets_a_bounded_folder_name_and_every_record_is_written(tmp_path):
    assert len(IDN_SITE.split(".")[0]) == 48 and len(IDN_SITE.split(".")[0].encode("idna")) <= 63  # a valid label
    recs = [make_record("idn1", site=IDN_SITE), make_record("idn2", site=IDN_SITE, year=2024),
            make_record("b"), make_record("c", site="other.fr")]
    stats = Stats()
    root = write_dataset(recs, tmp_path, stats)
    assert stats.errors == []
    names = {p.parent.parent.name for p in data_files(root)}
    assert all(len(n.encode()) <= 200 for n in names)
    [long_name] = [n for n in names if "~" in n]
    assert long_name.startswith("site_key=%D0%BF%D1%80%D0%B5%D1%81%D1%81-")  # readable prefix, whole letters
    # the value is reversible through the column, in every reader's eyes
    assert {r["doc_id"]: r["site"] for r in read_all(root)} == {"idn1": IDN_SITE, "idn2": IDN_SITE, "b": "example.org",
                                                               "c": "other.fr"}
    # and on an existing dataset the next write merges into the same folder
    write_dataset([make_record("idn3", site=IDN_SITE)], tmp_path, stats)
    assert {p.parent.parent.name for p in data_files(root)} == names
    assert sorted(r["doc_id"] for r in read_all(root)) == ["b", "c", "idn1", "idn2", "idn3"]


def test_distinct_long_values_sharing_a_prefix_get_distinct_folders():
    from cleaning.io.writers import partition_segment

    a, b = partition_segment("site", IDN_SITE * 2), partition_segment("site", IDN_SITE * 2 + "x")
    assert a != b and len(a.encode()) <= 200 and len(b.encode()) <= 200
    assert partition_segment("site", "amnesty.fr") == "site_key=amnesty.fr"
    assert partition_segment("year", None, string_key=False) == "year_key=0"
    assert partition_segment("site", None) == "site_key=none"


def test_a_record_whose_folder_cannot_be_made_is_reported_and_the_run_goes_on(tmp_path, monkeypatch):
    import cleaning.io.writers as writers

    monkeypatch.setattr(writers, "MAX_PARTITION_NAME", 400)  # as if the cap were too generous for this system
    stats = Stats()
    write_dataset([make_record("long", site="x" * 300 + ".org"), make_record("ok")], tmp_path, stats)
    assert [r["doc_id"] for r in read_all(tmp_path / "articles")] == ["ok"]
    [error] = stats.errors
    assert error["input"] == "in/long.html" and error["step"] == "write" and "longer than" in error["error"]


def undated_dataset(tmp_path: Path) -> Path:
    recs = [make_record("y25a"), make_record("y25b", site="other.fr"), make_record("y24", year=2024),
            make_record("undated", year=None), make_record("nosite", site=None, year=None),
            make_record("nosite25", site=None)]
    return write_dataset(recs, tmp_path, Stats())


def test_undated_rows_keep_year_key_an_integer_in_pandas_polars_and_duckdb(tmp_path):
    import duckdb
    import pandas as pd
    import polars as pl

    root = undated_dataset(tmp_path)
    want = ["nosite25", "y25a", "y25b"]
    # pyarrow dataset / pandas
    assert pa_is_integer(ds.dataset(root, partitioning="hive").schema.field("year_key").type)
    df = pd.read_parquet(root, filters=[("year_key", "==", 2025)])  # the plainest call, undated rows present
    assert sorted(df["doc_id"]) == want
    assert df["year_key"].cat.categories.dtype.kind == "i"  # an integer key, not the string '2025'
    dated = pd.read_parquet(root, filters=[("year_key", "==", 2025), ("site_key", "==", "example.org")])
    assert list(dated["doc_id"]) == ["y25a"]
    whole = pd.read_parquet(root)
    assert sorted(whole.loc[whole["year_key"] == 0, "doc_id"]) == ["nosite", "undated"]
    assert whole.loc[whole["year_key"] == 0, "year"].isna().all()
    # polars
    lf = pl.scan_parquet(root / "**" / "*.parquet", hive_partitioning=True)
    assert lf.collect_schema()["year_key"].is_integer()
    assert sorted(lf.filter(pl.col("year_key") == 2025).collect()["doc_id"].to_list()) == want
    assert sorted(lf.filter(pl.col("site").is_null()).collect()["doc_id"].to_list()) == ["nosite", "nosite25"]
    # DuckDB
    glob = str(root / "**" / "*.parquet")
    con = duckdb.connect()
    types = dict(con.execute(f"DESCRIBE SELECT * FROM read_parquet('{glob}', hive_partitioning = true)")
                 .fetchall()[i][:2] for i in range(2 + len(ARTICLES_SCHEMA)))
    assert types["year_key"] in ("BIGINT", "INTEGER")
    got = con.execute(f"SELECT doc_id FROM read_parquet('{glob}', hive_partitioning = true) WHERE year_key = 2025 "
                      "ORDER BY doc_id").fetchall()
    assert [r[0] for r in got] == want


def pa_is_integer(type_) -> bool:
    import pyarrow as pa

    return pa.types.is_integer(type_)


def test_a_1_0_dataset_with_none_folders_is_moved_to_year_key_0(tmp_path):
    from cleaning.core.schema import records_to_table

    old_dir = tmp_path / "articles" / "site_key=none" / "year_key=none"
    atomic_write_table(records_to_table([make_record("old", site=None, year=None)]), old_dir / "part-00000.parquet")
    atomic_write_table(records_to_table([make_record("dated", year=2025)]),
                       tmp_path / "articles" / "site_key=example.org" / "year_key=2025" / "part-00000.parquet")
    legacy_bp = tmp_path / "boilerplate" / "part-0.parquet"
    import pyarrow as pa

    bp = pa.Table.from_pylist([dict(site="a.org", fingerprint="01", text="T", doc_count=2, site_docs=3,
                                    reason="banner")], schema=BOILERPLATE_LAYOUT.schema)
    atomic_write_table(bp, legacy_bp)
    stats = Stats()
    write_dataset([make_record("new", year=2025)], tmp_path, stats,
                  boilerplate=pa.Table.from_pylist([{**bp.to_pylist()[0], "site": "b.org"}], schema=bp.schema))
    assert not (tmp_path / "articles" / "site_key=none" / "year_key=none").exists() and not legacy_bp.exists()
    rows = {r["doc_id"]: r for r in read_all(tmp_path / "articles")}
    assert sorted(rows) == ["dated", "new", "old"]
    assert (tmp_path / "articles" / "site_key=none" / "year_key=0").is_dir()
    assert stats["write/legacy_rows_migrated"] == 1
    sites = ds.dataset(data_files(tmp_path / "boilerplate"), schema=BOILERPLATE_LAYOUT.schema).to_table()
    assert sorted(sites.column("site").to_pylist()) == ["a.org", "b.org"]


def test_boilerplate_of_another_site_is_kept_and_a_rerun_merges_by_fingerprint(tmp_path):
    import pyarrow as pa

    def bp(site, *fingerprints, count=2):
        return pa.Table.from_pylist([dict(site=site, fingerprint=f, text=f"t{f}", doc_count=count, site_docs=9,
                                          reason="banner") for f in fingerprints], schema=BOILERPLATE_LAYOUT.schema)

    write_dataset([make_record("a1", site="a.org")], tmp_path, Stats(), boilerplate=bp("a.org", "01", "02"))
    write_dataset([make_record("b1", site="b.org")], tmp_path, Stats(), boilerplate=bp("b.org", "01"))
    write_dataset([make_record("a2", site="a.org")], tmp_path, Stats(), boilerplate=bp("a.org", "02", "03", count=5))
    got = ds.dataset(data_files(tmp_path / "boilerplate"), schema=BOILERPLATE_LAYOUT.schema).to_table().to_pylist()
    assert sorted((r["site"], r["fingerprint"], r["doc_count"]) for r in got) == [
        ("a.org", "01", 2), ("a.org", "02", 5), ("a.org", "03", 5), ("b.org", "01", 2)]
    assert sorted(p.name for p in (tmp_path / "boilerplate").iterdir()) == ["site_key=a.org", "site_key=b.org"]


# ---------------------------------------------------------------- permissions


@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)])
def test_files_are_created_with_the_users_umask(tmp_path, umask, mode):
    import os
    import stat

    import pyarrow as pa

    from scraper.rawstore import RawStoreWriter

    old = os.umask(umask)
    try:
        atomic_write_text(tmp_path / "reports" / "clean-stats.json", "{}")
        atomic_write_table(pa.table({"a": [1]}), tmp_path / "t.parquet")
        raw = RawStoreWriter(tmp_path / "raw")
        raw.add({"url": "https://example.org/a", "body": b"<html></html>", "status": 200})
        [raw_file] = [raw.flush()]
        write_dataset([make_record("a")], tmp_path, Stats(), boilerplate=pa.Table.from_pylist(
            [dict(site="example.org", fingerprint="01", text="t", doc_count=2, site_docs=3, reason="banner")],
            schema=BOILERPLATE_LAYOUT.schema))
    finally:
        os.umask(old)
    files = [tmp_path / "reports" / "clean-stats.json", tmp_path / "t.parquet", raw_file,
             *data_files(tmp_path / "articles"), *data_files(tmp_path / "boilerplate")]
    assert {oct(stat.S_IMODE(p.stat().st_mode)) for p in files} == {oct(mode)}


def test_raw_batches_are_written_with_the_raw_layout(tmp_path):
    from cleaning.core.schema import RAW_LAYOUT
    from scraper.rawstore import RawStoreWriter

    raw = RawStoreWriter(tmp_path / "raw", batch_size=10_000)
    for i in range(RAW_LAYOUT.row_group_rows + 5):
        raw.add({"url": f"https://example.org/{i}", "status": 200, "encoding": "utf-8", "body": b"x"})
    path = raw.flush()
    meta = pq.read_metadata(path)
    assert meta.num_row_groups == 2 and meta.row_group(0).num_rows == RAW_LAYOUT.row_group_rows
    columns = {meta.row_group(0).column(i).path_in_schema: meta.row_group(0).column(i) for i in range(meta.num_columns)}
    assert "RLE_DICTIONARY" in columns["status"].encodings and "RLE_DICTIONARY" not in columns["url"].encodings


def test_a_dataset_without_any_site_reads_in_pyarrow_and_pandas(tmp_path):
    """Dumps carry no site: were `site_key` all default partitions, pyarrow could not infer its type."""
    import pandas as pd

    root = write_dataset([make_record("d1", site=None, year=None), make_record("d2", site=None)], tmp_path, Stats())
    table = ds.dataset(root, partitioning="hive").to_table()
    assert sorted(table.column("doc_id").to_pylist()) == ["d1", "d2"]
    assert sorted(pd.read_parquet(root, filters=[("year_key", "==", 2025)])["doc_id"]) == ["d2"]


def test_a_dataset_of_undated_rows_only_reads_in_plain_pandas(tmp_path):
    import pandas as pd

    root = write_dataset([make_record("u1", year=None), make_record("u2", year=None)], tmp_path, Stats())
    df = pd.read_parquet(root)
    assert sorted(df["doc_id"]) == ["u1", "u2"] and set(df["year_key"].astype(int)) == {0}
    assert df["year"].isna().all()


def test_a_later_page_claiming_a_stored_pages_id_from_another_url_is_kept_beside_it(tmp_path):
    """Cross-run canonical clash: B (fetched at b, other text) got A's doc_id; A must not be replaced."""
    from cleaning.core.urls import doc_id_for

    shared = doc_id_for("https://example.org/press/a/")
    write_dataset([make_record(shared, url="https://example.org/press/a/", body="Release A says one thing.")],
                  tmp_path, Stats())
    stats = Stats()
    b = make_record(shared, url="https://example.org/press/b/", body="Release B talks about another matter.",
                    canonical_url="https://example.org/press/a/")
    write_dataset([b], tmp_path, stats)
    rows = {r["doc_id"]: r for r in read_all(tmp_path / "articles")}
    own = doc_id_for("https://example.org/press/b/")
    assert sorted(rows) == sorted([shared, own])
    assert rows[shared]["body_text"] == "Release A says one thing." and rows[shared]["prev_content_hash"] is None
    assert rows[own]["body_text"] == "Release B talks about another matter."
    assert rows[own]["canonical_url"] == "https://example.org/press/b/"
    assert b["doc_id"] == shared  # the caller's record is untouched
    assert stats["ids/canonical_clash"] == 1 and stats["write/rows_new"] == 1 and stats["write/rows_changed"] == 0
    [note] = stats.to_dict()["notes"]["ids"]
    assert note["doc_id"] == shared and note["kept"] == "all" and note["renamed_to"] == own
    assert note["inputs"] == ["https://example.org/press/a/", b["input"]]


@pytest.mark.parametrize("url, body, counter", [
    ("https://example.org/press/a/", "Release A, corrected.", "write/rows_changed"),  # same URL, new text
    ("http://www.example.org/press/a?utm_source=feed", "Release A, corrected.", "write/rows_changed"),  # same identity
    ("https://example.org/press/a-alias/", "Release A says one thing.", "write/rows_unchanged"),  # alias, same text
])
def test_a_true_update_of_a_stored_page_still_replaces_it(tmp_path, url, body, counter):
    write_dataset([make_record("a", url="https://example.org/press/a/", body="Release A says one thing.")],
                  tmp_path, Stats())
    stats = Stats()
    write_dataset([make_record("a", url=url, body=body)], tmp_path, stats)
    [row] = read_all(tmp_path / "articles")
    assert row["doc_id"] == "a" and row["body_text"] == body
    assert stats[counter] == 1 and stats["ids/canonical_clash"] == 0 and "ids" not in stats.to_dict().get("notes", {})


def test_a_page_fetched_at_the_canonical_a_stored_page_claimed_takes_the_id_and_the_stored_one_moves(tmp_path):
    """The stored page had claimed this URL from another one: it moves to its own URL's id, whole."""
    from cleaning.core.urls import doc_id_for

    shared, alias = doc_id_for("https://example.org/press/a/"), doc_id_for("https://example.org/press/alias/")
    stored = make_record(shared, url="https://example.org/press/alias/", body="The alias page's text.",
                         canonical_url="https://example.org/press/a/")
    write_dataset([stored], tmp_path, Stats())
    stats = Stats()
    write_dataset([make_record(shared, url="https://example.org/press/a/", body="The canonical page's own text.")],
                  tmp_path, stats)
    rows = {r["doc_id"]: r for r in read_all(tmp_path / "articles")}
    assert sorted(rows) == sorted([shared, alias])
    assert rows[shared]["body_text"] == "The canonical page's own text." and rows[shared]["prev_content_hash"] is None
    assert rows[alias]["body_text"] == "The alias page's text." and rows[alias]["title"] == stored["title"]
    assert rows[alias]["canonical_url"] == "https://example.org/press/alias/"
    assert rows[alias]["quotes"] == stored["quotes"]  # the whole stored row moved, not only the index columns
    assert stats["ids/canonical_clash"] == 1 and stats["write/rows_changed"] == 0
    [note] = stats.to_dict()["notes"]["ids"]
    assert note["kept"] == "all" and note["renamed_to"] == alias and "stored page is kept" in note["why"]
    stats = Stats()  # the next run fetching both again: two updates, no clash
    write_dataset([make_record(shared, url="https://example.org/press/a/", body="The canonical page's own text."),
                   make_record(alias, url="https://example.org/press/alias/", body="The alias page's text.")],
                  tmp_path, stats)
    assert len(read_all(tmp_path / "articles")) == 2
    assert stats["ids/canonical_clash"] == 0 and stats["write/rows_unchanged"] == 2


def test_quality_flags_column_leaves_pandas_own_flags_alone(tmp_path):
    """The column was `flags` before 1.2: it hid pandas' DataFrame.flags (`df.flags.map` raised)."""
    import pandas as pd

    root = write_dataset([make_record("a", quality_flags=["gutted"]), make_record("b")], tmp_path, Stats())
    df = pd.read_parquet(root)
    assert isinstance(df.flags, pd.Flags) and "flags" not in df.columns
    assert sorted(df["quality_flags"].map(list).map(tuple)) == [(), ("gutted",)]


def _schema_1_1_table(records: list[dict]):
    """Rows as schema 1.1 wrote them: `flags` (not `quality_flags`), no `published_precision`."""
    import pyarrow as pa

    fields = [f.with_name("flags") if f.name == "quality_flags" else f
              for f in ARTICLES_SCHEMA if f.name != "published_precision"]
    old = pa.schema(fields, metadata={"schema_version": "1.1", "table": "articles"})
    rows = [{("flags" if k == "quality_flags" else k): v for k, v in r.items() if k != "published_precision"}
            for r in records]
    return pa.Table.from_pylist(rows, schema=old)


def test_a_schema_1_1_dataset_is_converted_when_merged_into(tmp_path):
    """Old rows read back in a merge keep their flags, as quality_flags; untouched 1.1 partitions are converted too."""
    import pandas as pd

    root = tmp_path / "articles"
    old = {"same": make_record("same", body="v1", quality_flags=["gutted"]),
           "kept": make_record("kept", quality_flags=["no-body"]),
           "elsewhere": make_record("elsewhere", year=2023, quality_flags=["gutted"])}
    for rel, ids in (("site_key=example.org/year_key=2025", ["same", "kept"]),
                     ("site_key=example.org/year_key=2023", ["elsewhere"])):
        atomic_write_table(_schema_1_1_table([old[i] for i in ids]), root / rel / "part-00000.parquet")
    stats = Stats()
    write_dataset([make_record("same", body="v2", published_precision="day"), make_record("new")], tmp_path, stats)

    for path in data_files(root):  # one schema everywhere: no file keeps the 1.1 name
        assert pq.read_schema(path).equals(ARTICLES_SCHEMA, check_metadata=False), path
        assert pq.read_metadata(path).metadata[b"schema_version"] == SCHEMA_VERSION.encode()
    rows = {r["doc_id"]: r for r in read_all(root)}
    assert sorted(rows) == ["elsewhere", "kept", "new", "same"]
    assert rows["kept"]["quality_flags"] == ["no-body"] and rows["elsewhere"]["quality_flags"] == ["gutted"]
    assert rows["kept"]["published_precision"] is None  # not known for rows cleaned before 1.2
    assert rows["same"]["quality_flags"] == [] and rows["same"]["published_precision"] == "day"  # the new row wins
    assert rows["same"]["prev_content_hash"] == old["same"]["content_hash"]
    assert stats["write/legacy_partitions_converted"] == 2
    df = pd.read_parquet(root)
    assert "flags" not in df.columns and sorted(map(list, df["quality_flags"])) == [[], [], ["gutted"], ["no-body"]]


def test_conform_reads_a_renamed_column_under_its_new_name():
    from cleaning.io.writers import conform

    table = conform(_schema_1_1_table([make_record("a", quality_flags=["gutted"])]), ARTICLES_SCHEMA)
    assert table.schema.equals(ARTICLES_SCHEMA, check_metadata=False)
    assert table.column("quality_flags").to_pylist() == [["gutted"]]
    assert table.column("published_precision").to_pylist() == [None]
