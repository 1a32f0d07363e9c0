"""Readers: every input kind, record numbers in `input`, robust decoding, bad inputs reported."""

from __future__ import annotations

import gzip
import io
import json
from datetime import datetime, timezone

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from cleaning.io.readers import decode_html, read_inputs
from cleaning.core.schema import RAW_SCHEMA
from cleaning.core.stats import Stats

PAGE = "<html><head><title>T</title></head><body><p>Élan vital, déjà vu.</p></body></html>"


def read(paths, stats=None):
    stats = stats if stats is not None else Stats()
    return list(read_inputs([str(p) for p in paths], stats)), stats


# ------------------------------------------------------------------ HTML folders


def test_html_folder_walked_recursively_in_sorted_order(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "z.html.gz").write_bytes(gzip.compress(PAGE.encode()))
    (tmp_path / "a.htm").write_text(PAGE, encoding="utf-8")
    (tmp_path / "c.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / ".DS_Store").write_bytes(b"\x00\x01")
    records, stats = read([tmp_path])
    assert [r.input for r in records] == [str(tmp_path / "a.htm"), str(tmp_path / "b" / "z.html.gz"),
                                          str(tmp_path / "c.html")]
    assert all(r.source == "html" and "Élan vital" in r.html for r in records)
    assert stats.errors == []


@pytest.mark.parametrize("raw, expected", [
    ('<meta charset="windows-1252"><p>Café “crème”</p>'.encode("cp1252"), "Café “crème”"),
    ("\ufeff<p>Café crème</p>".encode("utf-8"), "Café crème"),
    ("<p>Café crème</p>".encode("utf-16"), "Café crème"),  # BOM tells the codec
    ('<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"><p>Caf\xe9</p>'.encode("latin-1"),
     "Café"),
    ("<p>Café mislabelled</p>".encode("utf-8"), "Café mislabelled"),  # valid UTF-8 wins
    (b"<p>Caf\xe9 broken \xff\xfe utf-8 \xc3\xa9</p>", "Caf"),  # undecodable: a fallback, never an error
])
def test_html_decoding_is_robust(raw, expected):
    assert expected in decode_html(raw)


def test_declared_encoding_used_when_bytes_are_not_utf8():
    assert decode_html("<p>Zażółć</p>".encode("iso-8859-2"), "iso-8859-2") == "<p>Zażółć</p>"


# ------------------------------------------------------------------ JSONL


def test_jsonl_records_carry_line_numbers_and_bad_lines_are_reported(tmp_path):
    path = tmp_path / "pages.jsonl"
    path.write_text("\n".join([
        json.dumps({"url": "https://ex.org/a", "html": PAGE}),
        "",
        json.dumps({"url": "https://ex.org/b", "text": "Line one\nLine two"}),
        "{not json",
        json.dumps({"url": "https://ex.org/c"}),
    ]), encoding="utf-8")
    records, stats = read([path])
    assert [(r.input, r.url, r.source) for r in records] == [
        (f"{path}#1", "https://ex.org/a", "jsonl"), (f"{path}#3", "https://ex.org/b", "jsonl")]
    assert records[0].html and records[0].text is None
    assert records[1].text == "Line one\nLine two" and records[1].html is None
    assert [e["input"] for e in stats.errors] == [f"{path}#4", f"{path}#5"]
    assert "invalid JSON" in stats.errors[0]["error"]


# ------------------------------------------------------------------ WARC


def _warc(path, gz: bool):
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=gz)

        def response(url, status, ctype, body):
            headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                                          http_headers=headers))

        writer.write_record(writer.create_warcinfo_record("x.warc", {"software": "test"}))
        response("https://ex.org/a", "200 OK", "text/html; charset=utf-8", PAGE.encode())
        response("https://ex.org/gone", "404 Not Found", "text/html", b"<p>missing</p>")
        response("https://ex.org/logo.png", "200 OK", "image/png", b"\x89PNG\r\n\x1a\n\x00\x00")
        response("https://ex.org/b", "200 OK", "text/html; charset=iso-8859-1", "<p>Caf\xe9</p>".encode("latin-1"))


@pytest.mark.parametrize("name, gz", [("crawl.warc.gz", True), ("crawl.warc", False)])
def test_warc_keeps_html_responses_with_record_index(tmp_path, name, gz):
    path = tmp_path / name
    _warc(path, gz)
    records, stats = read([path])
    assert [(r.input, r.url, r.source) for r in records] == [
        (f"{path}#1", "https://ex.org/a", "warc"), (f"{path}#4", "https://ex.org/b", "warc")]
    assert "Élan vital" in records[0].html and "Café" in records[1].html
    assert records[0].fetched_at is not None and records[0].fetched_at.tzinfo is not None
    assert stats["read/skipped_status"] == 1 and stats["read/skipped_not_html"] == 1
    assert stats.errors == []


# ------------------------------------------------------------------ raw crawl table


def _raw_rows():
    base = {name: None for name in RAW_SCHEMA.names}
    fetched = datetime(2025, 12, 1, 10, 0, tzinfo=timezone.utc)
    return [
        {**base, "url": "https://ex.org/a?utm_source=x", "final_url": "https://ex.org/a", "status": 200,
         "body": PAGE.encode(), "encoding": "utf-8", "content_type": "text/html; charset=utf-8",
         "fetched_at": fetched, "discovered_via": "feed", "feed_title": "Feed title",
         "feed_published": datetime(2025, 11, 30, tzinfo=timezone.utc), "feed_content": "<p>Élan vital</p>",
         "feed_authors": ["A. Writer"], "headers": [("Server", "x")]},
        {**base, "url": "https://ex.org/missing", "status": 404, "body": b"<p>no</p>", "content_type": "text/html"},
        {**base, "url": "https://ex.org/file.pdf", "status": 200, "body": b"%PDF-1.4", "content_type": "application/pdf"},
        {**base, "url": "https://ex.org/latin", "status": 200, "body": "<p>Caf\xe9 cr\xe8me</p>".encode("latin-1"),
         "encoding": "iso-8859-1", "content_type": "text/html", "discovered_via": "sitemap"},
    ]


def test_raw_parquet_rows_become_records_with_feed_witness(tmp_path):
    path = tmp_path / "part-0.parquet"
    pq.write_table(pa.Table.from_pylist(_raw_rows(), schema=RAW_SCHEMA), path)
    records, stats = read([path])
    assert [(r.input, r.url, r.source) for r in records] == [
        (f"{path}#0", "https://ex.org/a", "feed"), (f"{path}#3", "https://ex.org/latin", "sitemap")]
    first = records[0]
    assert first.fetched_at == datetime(2025, 12, 1, 10, 0, tzinfo=timezone.utc)
    assert first.feed.title == "Feed title" and first.feed.content == "<p>Élan vital</p>"
    assert first.feed.authors == ("A. Writer",) and first.feed.published.year == 2025
    assert records[1].feed is None and "Café crème" in records[1].html
    assert stats["read/skipped_status"] == 1 and stats["read/skipped_not_html"] == 1


def test_raw_folder_with_partitions_and_markers(tmp_path):
    raw = tmp_path / "raw"
    for n, part in enumerate(["site=ex.org/part-0.parquet", "site=ex.org/part-1.parquet"]):
        (raw / part).parent.mkdir(parents=True, exist_ok=True)
        rows = [{**_raw_rows()[0], "final_url": f"https://ex.org/a{n}"}]  # two pages, one per file
        pq.write_table(pa.Table.from_pylist(rows, schema=RAW_SCHEMA), raw / part)
    (raw / "_SUCCESS").write_text("")
    records, stats = read([raw])
    assert [r.input.split("raw/")[1] for r in records] == ["site=ex.org/part-0.parquet#0",
                                                           "site=ex.org/part-1.parquet#0"]
    assert stats.errors == []


# ------------------------------------------------------------------ text dumps


def test_text_dump_is_one_record(tmp_path):
    path = tmp_path / "dump.txt"
    path.write_bytes("Titre\nPremier paragraphe.\n".encode("cp1252").replace(b"\n", b"\r\n"))
    records, _ = read([path])
    assert len(records) == 1 and records[0].source == "dump" and records[0].input == str(path)
    assert records[0].text.splitlines() == ["Titre", "Premier paragraphe."]


# ------------------------------------------------------------------ bad inputs


def test_bad_inputs_are_reported_and_skipped(tmp_path):
    good = tmp_path / "good.html"
    good.write_text(PAGE, encoding="utf-8")
    bad = {
        "missing.html": None,
        "empty.html": b"",
        "blank.txt": b"  \n\n",
        "garbage.html": bytes(range(256)) * 8,
        "broken.html.gz": b"\x1f\x8b\x08\x00garbage",
        "report.pdf": b"%PDF-1.4 ...",
        "table.parquet": b"PAR1 definitely not parquet",
        "crawl.warc.gz": b"\x1f\x8b\x08\x00 nonsense " * 10,
        "crawl.warc": b"hello, I am not a WARC file\n" * 5,
    }
    for name, content in bad.items():
        if content is not None:
            (tmp_path / name).write_bytes(content)
    empty_dir = tmp_path / "empty_dir"
    empty_dir.mkdir()
    paths = [tmp_path / name for name in bad] + [empty_dir, good]
    records, stats = read(paths)
    assert [r.input for r in records] == [str(good)]  # the run went on past every bad input
    messages = {e["input"].split("/")[-1]: e["error"] for e in stats.errors}
    assert set(messages) == {*bad, "empty_dir"}
    assert all(e["step"] == "read" for e in stats.errors)
    assert messages["missing.html"] == "no such file or directory"
    assert messages["empty.html"] == "empty file" and messages["blank.txt"] == "empty file"
    assert messages["garbage.html"] == "binary content, not text"
    assert messages["broken.html.gz"].startswith("bad gzip data")
    assert messages["report.pdf"].startswith("unsupported input type '.pdf'")
    assert messages["table.parquet"].startswith("not a readable Parquet file")
    assert messages["crawl.warc.gz"].startswith("bad gzip data")
    assert messages["crawl.warc"].startswith("not a WARC file")
    assert messages["empty_dir"] == "folder holds no input files"
    assert stats["read/errors"] == len(messages)


def test_parquet_that_is_not_a_raw_table_is_reported(tmp_path):
    path = tmp_path / "other.parquet"
    pq.write_table(pa.table({"a": [1, 2]}), path)
    records, stats = read([path])
    assert records == [] and "not a raw crawl table" in stats.errors[0]["error"]


def test_a_url_fetched_twice_is_read_once_from_its_newest_fetch():
    from datetime import datetime, timezone

    from cleaning.io.readers import keep_latest_fetch
    from cleaning.core.schema import SourceRecord
    from cleaning.core.stats import Stats

    t1, t2 = datetime(2025, 1, 1, tzinfo=timezone.utc), datetime(2025, 2, 1, tzinfo=timezone.utc)
    recs = [
        SourceRecord(input="a#0", source="feed", url="http://x/1", html="old", fetched_at=t1),
        SourceRecord(input="a#1", source="feed", url="http://x/2", html="two", fetched_at=t1),
        SourceRecord(input="b#0", source="feed", url="http://x/1", html="new", fetched_at=t2),
        SourceRecord(input="c.txt", source="dump", text="no url"),
    ]
    stats = Stats()
    kept = keep_latest_fetch(recs, stats)
    assert [r.input for r in kept] == ["a#1", "b#0", "c.txt"]
    assert stats["read/older_fetches_skipped"] == 1
