"""WARC resynchronisation (issue 14 item 3): a damaged record costs that record, never the rest of the file.

Each test corrupts a copy of a WARC that warcio wrote (12 request + 12 response records, gzipped
per record or plain), at byte offsets taken from warcio's own index of the undamaged file, and checks
that every undamaged page still comes out, with one error line naming the file and the byte range.
"""

from __future__ import annotations

import io
import re

import pytest

from cleaning.core.stats import Stats
from cleaning.io.readers import read_inputs

PAGES = 12


_TOPICS = ("river pollution", "press freedom", "flood relief", "a water treaty", "prison conditions", "school meals")


def _page(n: int) -> bytes:
    """A release with a text of its own (a page whose whole text repeats across the site is no release)."""
    text = " ".join(f"Press release number {n} on {_TOPICS[(n + k) % len(_TOPICS)]}, point {k}." for k in range(20))
    return f"<html><head><title>Release {n}</title></head><body><p>{text}</p></body></html>".encode()


def _url(n: int) -> str:
    return f"https://ex.org/release-{n}"


def write_warc(path, gz: bool) -> list[tuple[int, int, str]]:
    """The WARC, and (offset, length, url) of every record in it, as warcio indexes it."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=gz)
        for n in range(PAGES):
            req = StatusAndHeaders(f"GET /release-{n} HTTP/1.1", [("Host", "ex.org")], is_http_request=True)
            writer.write_record(writer.create_warc_record(_url(n), "request", payload=io.BytesIO(b""),
                                                          http_headers=req))
            resp = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(_url(n), "response", payload=io.BytesIO(_page(n)),
                                                          http_headers=resp))
    index = []
    with path.open("rb") as fh:
        it = ArchiveIterator(fh)
        for record in it:
            url = record.rec_headers.get_header("WARC-Target-URI")
            kind = record.rec_type
            index.append((it.get_record_offset(), it.get_record_length(), f"{kind} {url}"))
    assert len(index) == 2 * PAGES
    return index


def read(path):
    stats = Stats()
    records = list(read_inputs([str(path)], stats))
    return [r.url for r in records], stats


def response(index, n):
    return next((off, length) for off, length, what in index if what == f"response {_url(n)}")


def damage_lines(stats):
    return [e for e in stats.errors if "damaged WARC" in e["error"]]


@pytest.fixture(params=[True, False], ids=["warc.gz", "warc"])
def warc(request, tmp_path):
    gz = request.param
    path = tmp_path / ("crawl.warc.gz" if gz else "crawl.warc")
    return path, gz, write_warc(path, gz)


def test_the_undamaged_file_reads_every_page(warc):
    path, _, _ = warc
    urls, stats = read(path)
    assert urls == [_url(n) for n in range(PAGES)] and stats.errors == []


def test_a_truncated_record_loses_only_itself(warc):
    path, _, index = warc
    data = path.read_bytes()
    off, length = response(index, 4)
    cut = off + length // 2
    path.write_bytes(data[:cut] + data[off + length:])  # the second half of record 4 is gone
    urls, stats = read(path)
    assert urls == [_url(n) for n in range(PAGES) if n != 4]
    following = next(o for o, _, _ in index if o > off) - (off + length - cut)  # where record 5 now starts
    (line,) = damage_lines(stats)
    assert line["input"] == str(path)
    assert f"bytes {off}-{following} of {len(data) - (off + length - cut)}" in line["error"], line["error"]
    assert "reading resumed at the next record" in line["error"]
    assert stats["read/warc_bytes_skipped"] == following - off


def test_flipped_bytes_in_the_middle_of_a_record(warc):
    path, gz, index = warc
    data = bytearray(path.read_bytes())
    off, length = response(index, 6)
    middle = off + length // 2
    data[middle:middle + 8] = bytes(b ^ 0xFF for b in data[middle:middle + 8])
    path.write_bytes(bytes(data))
    urls, stats = read(path)
    assert urls == [_url(n) for n in range(PAGES) if n != 6]
    (line,) = [e for e in stats.errors]
    if gz:  # the gzip member does not decompress: its byte range is skipped
        assert line["input"] == str(path)
        assert re.search(rf"damaged WARC data skipped at bytes {off}-{off + length} of \d+ \({length} bytes\)",
                         line["error"]), line["error"]
    else:  # the framing holds, the block digest does not: that record alone is reported
        assert line["input"].startswith(f"{path}#") and "digest" in line["error"].lower()
        assert f"at byte {off}" in line["error"]


def test_garbage_between_records(warc):
    path, _, index = warc
    data = path.read_bytes()
    off, _ = response(index, 3)  # before record 3's response
    junk = b"\x1b[31mjunk\x00\x07" * 50
    path.write_bytes(data[:off] + junk + data[off:])
    urls, stats = read(path)
    assert urls == [_url(n) for n in range(PAGES)]  # nothing lost
    (line,) = damage_lines(stats)
    assert f"bytes {off}-{off + len(junk)} of" in line["error"]
    assert stats["read/warc_bytes_skipped"] == len(junk)


def test_a_file_cut_in_its_last_record_keeps_the_others(warc):
    path, _, index = warc
    data = path.read_bytes()
    off, length = response(index, PAGES - 1)
    path.write_bytes(data[:off + length // 3])
    urls, stats = read(path)
    assert urls == [_url(n) for n in range(PAGES - 1)]
    (line,) = damage_lines(stats)
    assert f"bytes {off}-{off + length // 3} of {off + length // 3}" in line["error"]
    assert "no record after it" in line["error"]


def test_several_damages_in_one_file(warc):
    path, gz, index = warc
    data = bytearray(path.read_bytes())
    for n in (1, 5, 9):  # overwrite the start of three responses (their headers)
        off, _ = response(index, n)
        data[off:off + 20] = b"\x00" * 20
    path.write_bytes(bytes(data))
    urls, stats = read(path)
    assert urls == [_url(n) for n in range(PAGES) if n not in (1, 5, 9)]
    assert len(damage_lines(stats)) == 3


def test_error_lines_carry_no_control_characters(tmp_path):
    path = tmp_path / "crawl\x1b[31m.warc.gz"  # a file name can hold terminal escapes too
    write_warc(path, gz=True)
    data = path.read_bytes()
    path.write_bytes(b"\x1f\x8b\x08\x00\x1b]0;owned\x07\x1b[2J" + data)
    urls, stats = read(path)
    assert len(urls) == PAGES and len(stats.errors) == 1
    error = stats.errors[0]
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", error["error"] + error["input"]), error
    assert error["input"] == str(tmp_path / "crawl?[31m.warc.gz")


def test_printable_error_text():
    from cleaning.io.readers import printable

    assert printable("bad \x1b[2J\x07line\r\nnext\ttab\u2028x") == "bad ?[2J?line? next tab?x"
    assert len(printable("x" * 1000)) == 300


def test_a_warc_gzipped_whole_reads_every_record(tmp_path):
    """`gzip crawl.warc` makes one member holding every record: read as one stream."""
    import gzip

    plain = tmp_path / "crawl.warc"
    write_warc(plain, gz=False)
    path = tmp_path / "whole.warc.gz"
    path.write_bytes(gzip.compress(plain.read_bytes()))
    urls, stats = read(path)
    assert urls == [_url(n) for n in range(PAGES)] and stats.errors == []


def test_a_warc_written_by_the_crawler_reads_back_and_resyncs(tmp_path):
    """scraper/warc.py's own records (gzipped per record) pass the digest check, and survive a bad member."""
    from types import SimpleNamespace

    from scrapy.http import HtmlResponse, Request

    from scraper.warc import WarcExtension

    path = tmp_path / "crawl.warc.gz"
    crawler = SimpleNamespace(stats=SimpleNamespace(inc_value=lambda *a, **k: None))
    ext = WarcExtension(crawler, path)
    for n in range(PAGES):
        request = Request(_url(n))
        response = HtmlResponse(_url(n), status=200, body=_page(n), request=request,
                                headers={"Content-Type": "text/html; charset=utf-8", "Content-Encoding": "gzip"})
        ext.response_received(response, request)
    ext.spider_closed()
    urls, stats = read(path)
    assert urls == [_url(n) for n in range(PAGES)] and stats.errors == []

    from warcio.archiveiterator import ArchiveIterator

    with path.open("rb") as fh:
        it = ArchiveIterator(fh)
        offsets = [(it.get_record_offset(), it.get_record_length(), r.rec_type) for r in it]
    off, length, kind = offsets[6]  # the fourth page's response record
    assert kind == "response"
    data = bytearray(path.read_bytes())
    data[off + length // 2] ^= 0x01
    path.write_bytes(bytes(data))
    urls, stats = read(path)
    assert urls == [_url(n) for n in range(PAGES) if n != 3]
    (line,) = stats.errors
    assert f"bytes {off}-{off + length}" in line["error"]
