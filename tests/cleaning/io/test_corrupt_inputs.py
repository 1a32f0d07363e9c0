"""Every reader on corrupted copies of a real input (issue 14): the damage costs what it touches, no more.

JSONL (plain and gzipped), raw Parquet and HTML files are written, then damaged (a bad line, a cut
gzip stream, flipped bytes in a Parquet column chunk, a binary page); the undamaged records come out
and each damage is one error line naming the file (and the line or rows).
"""

from __future__ import annotations

import gzip
import json
import re
import tracemalloc
from datetime import datetime, timezone

import pyarrow as pa
import pyarrow.parquet as pq

from cleaning.core.schema import RAW_SCHEMA
from cleaning.core.stats import Stats
from cleaning.io.readers import read_inputs, read_jsonl


def _html(n: int) -> str:
    return f"<html><head><title>Release {n}</title></head><body><p>Press release {n}. " + "Text. " * 50 + "</p></body></html>"


def _lines(n: int) -> list[str]:
    return [json.dumps({"url": f"https://ex.org/{i}", "html": _html(i)}) for i in range(n)]


def read(*paths):
    stats = Stats()
    records = list(read_inputs([str(p) for p in paths], stats))
    return records, stats


# ------------------------------------------------------------------ JSONL


def test_a_bad_line_is_skipped_with_its_number_and_the_rest_read(tmp_path):
    lines = _lines(6)
    lines[2] = lines[2][: len(lines[2]) // 2]  # a line cut in half
    lines[4] = "\x00\x01garbage\x1b[2J"
    path = tmp_path / "pages.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    records, stats = read(path)
    assert [r.url for r in records] == [f"https://ex.org/{i}" for i in (0, 1, 3, 5)]
    assert [e["input"] for e in stats.errors] == [f"{path}#3", f"{path}#5"]
    assert all("invalid JSON" in e["error"] for e in stats.errors)
    assert not any(re.search(r"[\x00-\x08\x0b-\x1f]", e["error"]) for e in stats.errors)


def test_jsonl_lines_split_on_newline_only(tmp_path):
    """U+2028, U+2029, U+0085 (and \\r, \\v, \\f, \\x1c-\\x1e) are legal raw inside JSON strings:
    str.splitlines would cut the record there."""
    odd = "one\u2028two\u2029three\u0085four\x1cfive"
    path = tmp_path / "pages.jsonl"
    path.write_bytes((json.dumps({"url": "https://ex.org/a", "text": odd}, ensure_ascii=False) + "\r\n"
                      + json.dumps({"url": "https://ex.org/b", "html": _html(1)}) + "\n").encode())
    assert "\u2028" in path.read_text(encoding="utf-8")  # written raw, not escaped
    records, stats = read(path)
    assert stats.errors == []
    assert [(r.input, r.url) for r in records] == [(f"{path}#1", "https://ex.org/a"), (f"{path}#2", "https://ex.org/b")]
    assert records[0].text == odd


def test_a_truncated_jsonl_gz_keeps_the_records_before_the_damage(tmp_path):
    whole = gzip.compress(("\n".join(_lines(200)) + "\n").encode())
    path = tmp_path / "pages.jsonl.gz"
    path.write_bytes(whole[: len(whole) * 2 // 3])
    records, stats = read(path)
    assert 50 < len(records) < 200
    assert [r.url for r in records] == [f"https://ex.org/{i}" for i in range(len(records))]  # a prefix, in order
    (error,) = stats.errors
    assert error["input"] == str(path) and error["error"].startswith("bad gzip data after line")
    assert f"the {len(records)} record(s) before it are kept" in error["error"]


def test_a_jsonl_gz_with_a_bad_crc_keeps_its_records_and_says_so(tmp_path):
    data = bytearray(gzip.compress(("\n".join(_lines(5)) + "\n").encode()))
    data[-8] ^= 0xFF  # the CRC32 in the gzip trailer
    path = tmp_path / "pages.jsonl.gz"
    path.write_bytes(bytes(data))
    records, stats = read(path)
    assert len(records) == 5
    (error,) = stats.errors
    assert "bad gzip data" in error["error"] and error["input"] == str(path)


def test_a_gz_that_is_not_gzip_at_all(tmp_path):
    path = tmp_path / "pages.jsonl.gz"
    path.write_bytes(b"\x1f\x8b\x08\x00garbage that is not deflate" * 3)
    records, stats = read(path)
    assert records == [] and stats.errors[0]["error"].startswith("bad gzip data")


def _old_jsonl_reader(path):
    """What the reader did before streaming: the whole file decoded, then str.splitlines."""
    raw = path.read_bytes()
    text = (gzip.decompress(raw) if path.name.endswith(".gz") else raw).decode("utf-8")
    out = []
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip():
            obj = json.loads(line)
            out.append((f"{path}#{number}", obj.get("url"), obj.get("html"), obj.get("text")))
    return out


def test_streaming_gives_the_same_records_as_reading_whole(tmp_path):
    lines = _lines(30) + [json.dumps({"url": "https://ex.org/t", "text": "Café\nsecond line ☃"}, ensure_ascii=False),
                          "", json.dumps({"url": "https://ex.org/é", "html": "<p>déjà</p>"}, ensure_ascii=False)]
    plain = tmp_path / "a.jsonl"
    plain.write_bytes(("\n".join(lines) + "\n").encode())
    expected = [rest for _, *rest in _old_jsonl_reader(plain)]
    assert len(expected) == 32
    for name, data in (("a.jsonl", plain.read_bytes()),
                       ("b.jsonl.gz", gzip.compress(("\r\n".join(lines)).encode())),
                       ("c.jsonl", ("\ufeff" + "\n".join(lines)).encode()),  # a UTF-8 BOM
                       ("d.jsonl", "\n".join(lines).encode("utf-16"))):  # UTF-16 with its BOM
        path = tmp_path / name
        path.write_bytes(data)
        records, stats = read(path)
        assert stats.errors == []
        if name.startswith(("a", "b")):  # what the whole-file reader gave, input names included
            assert [(r.input, r.url, r.html, r.text) for r in records] == _old_jsonl_reader(path), name
        assert [[r.url, r.html, r.text] for r in records] == expected, name
        assert [r.input for r in records] == [f"{path}#{i}" for i in (*range(1, 32), 33)], name


def test_jsonl_memory_does_not_grow_with_the_file(tmp_path):
    """Peak Python memory while reading a 10x larger file stays within a small margin."""
    def peak(n):
        path = tmp_path / f"pages-{n}.jsonl.gz"
        with gzip.open(path, "wt", encoding="utf-8") as fh:
            for line in _lines(n):
                fh.write(line + "\n")
        tracemalloc.start()
        count = sum(1 for _ in read_jsonl(path, Stats()))
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert count == n
        return top, path.stat().st_size

    small, _ = peak(500)
    large, size = peak(5000)
    assert large < small * 1.5 + 256 * 1024, (small, large)
    assert large < size * 20  # the decompressed file (about 40x its gzip size) is never held


# ------------------------------------------------------------------ raw Parquet


def _raw_rows(n: int, start: int = 0):
    base = {name: None for name in RAW_SCHEMA.names}
    return [{**base, "url": f"https://ex.org/{i}", "status": 200, "body": _html(i).encode(),
             "content_type": "text/html; charset=utf-8", "fetched_at": datetime(2025, 1, 1, tzinfo=timezone.utc)}
            for i in range(start, start + n)]


def test_a_damaged_parquet_file_is_one_clear_error_and_the_others_are_read(tmp_path):
    good = tmp_path / "good.parquet"
    pq.write_table(pa.Table.from_pylist(_raw_rows(3), schema=RAW_SCHEMA), good)
    cut = tmp_path / "cut.parquet"
    cut.write_bytes(good.read_bytes()[:-100])  # the footer is gone
    records, stats = read(cut, good)
    assert [r.url for r in records] == [f"https://ex.org/{i}" for i in range(3)]
    (error,) = stats.errors
    assert error["input"] == str(cut) and error["error"].startswith("not a readable Parquet file")


def test_a_damaged_row_group_costs_its_rows_only(tmp_path):
    path = tmp_path / "raw.parquet"
    table = pa.Table.from_pylist(_raw_rows(30), schema=RAW_SCHEMA)
    pq.write_table(table, path, row_group_size=10, compression="snappy")
    meta = pq.ParquetFile(path).metadata
    body = meta.schema.to_arrow_schema().get_field_index("body")
    column = meta.row_group(1).column(body)
    data = bytearray(path.read_bytes())
    start = column.data_page_offset
    for i in range(start + 16, start + column.total_compressed_size - 16):
        data[i] ^= 0x5A  # the second row group's page bodies, scrambled
    path.write_bytes(bytes(data))
    records, stats = read(path)
    assert [r.url for r in records] == [f"https://ex.org/{i}" for i in (*range(10), *range(20, 30))]
    (error,) = stats.errors
    assert error["input"] == f"{path}#10-19" and "row group 1" in error["error"]


# ------------------------------------------------------------------ HTML files


def test_damaged_html_files_in_a_folder(tmp_path):
    (tmp_path / "ok.html").write_text(_html(1), encoding="utf-8")
    (tmp_path / "cut.html.gz").write_bytes(gzip.compress(_html(2).encode())[:40])
    (tmp_path / "zeros.html").write_bytes(b"\x00" * 500)
    (tmp_path / "half.html").write_text(_html(3)[:60], encoding="utf-8")  # a page cut short is still a page
    (tmp_path / "dump.txt.gz").write_bytes(gzip.compress("Titre\nParagraphe.\n".encode() * 200)[:60])
    (tmp_path / "dump-ok.txt").write_text("Titre\nParagraphe.\n", encoding="utf-8")
    records, stats = read(tmp_path)
    assert sorted(r.input.rsplit("/", 1)[1] for r in records) == ["dump-ok.txt", "half.html", "ok.html"]
    errors = {e["input"].rsplit("/", 1)[1]: e["error"] for e in stats.errors}
    assert set(errors) == {"cut.html.gz", "zeros.html", "dump.txt.gz"}
    assert errors["cut.html.gz"].startswith("bad gzip data") and errors["zeros.html"] == "binary content, not text"
    assert errors["dump.txt.gz"].startswith("bad gzip data")
