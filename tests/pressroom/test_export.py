"""`pressroom export DIR`: the articles / boilerplate tables of a real clean as JSON lines or CSV,
read back with the json and csv modules and compared with the same Parquet read by pandas."""

from __future__ import annotations

import csv
import io
import json
import shutil
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest

from cleaning.core.schema import ARTICLES_SCHEMA, BOILERPLATE_SCHEMA, QUOTES_SCHEMA
from pressroom.cli import main
from pressroom.exitcodes import EXIT_FATAL, EXIT_OK, EXIT_USAGE
from tests.pressroom.conftest import write_pages
from tests.scraper.conftest import REPO

pytestmark = pytest.mark.timeout(180)


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> Path:
    """A clean of two sites (sample-site pages and the WordPress fixture): several partitions, quotes, boilerplate."""
    base = tmp_path_factory.mktemp("export")
    write_pages(base / "pages", 8)
    shutil.copytree(REPO / "tests" / "fixtures" / "html", base / "pages" / "wordpress")
    out = base / "out"
    assert main(["clean", str(base / "pages"), "--out", str(out), "-q"]) == EXIT_OK
    assert len(list((out / "articles").rglob("*.parquet"))) >= 2  # more than one partition to stream through
    return out


def _articles(run: Path) -> pd.DataFrame:
    return pd.read_parquet(run / "articles")


def _speakers(quotes) -> list:
    return [q["speaker"] for q in quotes] if quotes is not None else None


def test_jsonl_has_every_article_once_with_its_columns(run, tmp_path, capsys):
    target = tmp_path / "articles.jsonl"
    assert main(["export", str(run), "-o", str(target)]) == EXIT_OK  # the format from the suffix
    frame = _articles(run)
    assert len(frame) >= 9  # 8 sample pages and the fixture pages
    assert f"wrote {len(frame)} rows of articles" in capsys.readouterr().err
    rows = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == len(frame)
    assert sorted(r["doc_id"] for r in rows) == sorted(frame["doc_id"])
    assert list(rows[0]) == ARTICLES_SCHEMA.names
    by_id = {r["doc_id"]: r for r in rows}
    for _, want in frame.iterrows():
        got = by_id[want["doc_id"]]
        assert got["title"] == want["title"] and got["word_count"] == want["word_count"]
        assert got["site"] == want["site"] and got["lang"] == want["lang"]
        assert (got["published_at"] is None) == pd.isna(want["published_at"])
        if got["published_at"]:
            assert pd.Timestamp(datetime.fromisoformat(got["published_at"])) == want["published_at"]
        assert _speakers(got["quotes"]) == _speakers(want["quotes"])
        assert [p["text"] for p in got["paragraphs"]] == [p["text"] for p in want["paragraphs"]]
    assert any(r["quotes"] for r in rows)  # the nested column was exercised
    again = tmp_path / "again.jsonl"
    assert main(["export", str(run), "--format", "jsonl", "-o", str(again), "-q"]) == EXIT_OK
    assert again.read_bytes() == target.read_bytes()  # same dataset, same bytes
    assert capsys.readouterr().err == ""


def test_csv_on_stdout_puts_nested_columns_in_cells_as_json(run, capsys):
    assert main(["export", str(run), "--format", "csv"]) == EXIT_OK
    text = capsys.readouterr().out
    reader = csv.DictReader(io.StringIO(text, newline=""))
    rows = list(reader)
    frame = _articles(run)
    assert reader.fieldnames == ARTICLES_SCHEMA.names
    assert len(rows) == len(frame)
    assert sorted(r["doc_id"] for r in rows) == sorted(frame["doc_id"])
    by_id = {r["doc_id"]: r for r in rows}
    for _, want in frame.iterrows():
        got = by_id[want["doc_id"]]
        assert got["title"] == want["title"] and int(got["word_count"]) == want["word_count"]
        assert got["body_text"] == want["body_text"]  # multi-line text survives the CSV quoting
        assert _speakers(json.loads(got["quotes"])) == _speakers(want["quotes"])
        assert json.loads(got["authors"]) == list(want["authors"])
        assert got["dup_of"] == ("" if pd.isna(want["dup_of"]) else want["dup_of"])  # null: an empty cell
    # and pandas reads the CSV back to the same table shape
    back = pd.read_csv(io.StringIO(text))
    assert len(back) == len(frame) and sorted(back["doc_id"]) == sorted(frame["doc_id"])


def test_boilerplate_table_exports_too(run, tmp_path):
    target = tmp_path / "boilerplate.csv"
    assert main(["export", str(run), "--table", "boilerplate", "-o", str(target), "-q"]) == EXIT_OK
    with target.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    frame = pd.read_parquet(run / "boilerplate")
    assert len(frame) > 0 and len(rows) == len(frame)
    assert list(rows[0]) == BOILERPLATE_SCHEMA.names
    assert sorted((r["site"], r["fingerprint"], int(r["doc_count"])) for r in rows) == sorted(
        zip(frame["site"], frame["fingerprint"], frame["doc_count"]))


def test_quotes_table_exports_one_line_per_quote_of_the_articles(run, tmp_path):
    target = tmp_path / "quotes.jsonl"
    assert main(["export", str(run), "--table", "quotes", "-o", str(target), "-q"]) == EXIT_OK
    rows = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert rows and list(rows[0]) == QUOTES_SCHEMA.names
    expected = sorted((a.doc_id, i, q["speaker"], q["text"]) for a in _articles(run).itertuples()
                      for i, q in enumerate(a.quotes))
    assert sorted((r["doc_id"], r["quote_index"], r["speaker"], r["text"]) for r in rows) == expected


def test_export_streams_batches_and_never_reads_a_table_whole(run, tmp_path, monkeypatch):
    import pyarrow.parquet as pq

    import pressroom.export as export

    n_rows = len(_articles(run))  # before read_table is barred below

    def whole(*args, **kwargs):
        raise AssertionError("the dataset was read whole")

    monkeypatch.setattr(pq, "read_table", whole)
    monkeypatch.setattr(export, "BATCH_ROWS", 2)
    sizes = []
    scan = export.scan_batches

    def counted(*args, **kwargs):
        for batch in scan(*args, **kwargs):
            sizes.append(batch.num_rows)
            yield batch

    monkeypatch.setattr(export, "scan_batches", counted)
    target = tmp_path / "streamed.jsonl"
    assert main(["export", str(run), "-o", str(target), "-q"]) == EXIT_OK
    assert len(sizes) >= 5 and max(sizes) <= 2 and sum(sizes) == n_rows
    assert len(target.read_text().splitlines()) == n_rows


def test_a_failure_midway_leaves_no_half_file_and_the_old_one_intact(run, tmp_path, monkeypatch):
    import pressroom.export as export

    target = tmp_path / "articles.csv"
    target.write_text("old export\n")
    scan = export.scan_batches

    def broken(*args, **kwargs):
        yield next(iter(scan(*args, **kwargs)))
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(export, "scan_batches", broken)
    assert main(["export", str(run), "-o", str(target)]) == EXIT_FATAL
    assert target.read_text() == "old export\n"
    assert [p.name for p in tmp_path.iterdir()] == ["articles.csv"]  # no temp file left behind


@pytest.mark.parametrize("where", ["missing", "empty", "raw", "file"])
def test_a_folder_that_is_not_a_pressroom_dataset_is_a_usage_error(run, tmp_path, capsys, where):
    target = {"missing": tmp_path / "nope", "empty": tmp_path, "raw": run / "raw" if (run / "raw").exists() else None,
              "file": run / "reports" / "clean-stats.json"}[where]
    if target is None:  # a clean of HTML folders has no raw/: use the articles folder as a boilerplate table
        target = run / "articles"
        args = ["export", str(target), "--table", "boilerplate"]
    else:
        args = ["export", str(target)]
    assert main(args) == EXIT_USAGE
    err = capsys.readouterr()
    assert err.out == ""
    assert "pressroom export:" in err.err and str(target) in err.err and "Traceback" not in err.err


def test_output_on_a_folder_is_a_usage_error(run, tmp_path, capsys):
    assert main(["export", str(run), "-o", str(tmp_path)]) == EXIT_USAGE
    assert "is a folder" in capsys.readouterr().err


def test_export_help_describes_every_option(capsys):
    with pytest.raises(SystemExit):
        main(["export", "--help"])
    text = capsys.readouterr().out
    for option in ("--format", "--table", "-o FILE", "--quiet", "streamed from the"):
        assert option in text


def test_values_json_cannot_hold_become_null_and_times_keep_their_offset():
    from datetime import timezone

    import pyarrow as pa

    from pressroom.export import write_rows

    batch = pa.RecordBatch.from_pylist(
        [{"x": float("nan"), "t": datetime(2025, 1, 2, 3, 4, tzinfo=timezone.utc), "l": [1.5, float("inf")], "b": True},
         {"x": 2.5, "t": None, "l": None, "b": None}],
        schema=pa.schema([("x", pa.float64()), ("t", pa.timestamp("us", "UTC")), ("l", pa.list_(pa.float64())),
                          ("b", pa.bool_())]))
    out = io.StringIO()
    assert write_rows(iter([batch]), batch.schema.names, "jsonl", out) == 2
    assert [json.loads(line) for line in out.getvalue().splitlines()] == [
        {"x": None, "t": "2025-01-02T03:04:00+00:00", "l": [1.5, None], "b": True},
        {"x": 2.5, "t": None, "l": None, "b": None}]
    out = io.StringIO()
    write_rows(iter([batch]), batch.schema.names, "csv", out)
    assert list(csv.reader(io.StringIO(out.getvalue()))) == [
        ["x", "t", "l", "b"], ["", "2025-01-02T03:04:00+00:00", "[1.5, null]", "true"], ["2.5", "", "", ""]]
