"""Turn inputs (raw crawl Parquet, HTML folders, WARC, JSONL, text dumps) into SourceRecords.

Every reader yields SourceRecord objects; an unreadable input (missing, empty, binary,
bad gzip, unknown type, broken record) is reported with `stats.error(input, "read", ...)`
and skipped, never raised, so one bad file cannot end a run.

`input` names the file, plus "#N" for a record inside it: the 1-based line number of a
JSONL file, the 0-based record index of a WARC file, the 0-based row of a Parquet file.
"""

from __future__ import annotations

import gzip
import json
import re
import zlib
from collections.abc import Iterable, Iterator
from datetime import datetime
from email.utils import parsedate_to_datetime
from pathlib import Path

from cleaning.core.charset import decode_body, looks_binary
from cleaning.extract.pagemeta import as_utc
from cleaning.core.schema import FeedEntry, SourceRecord
from cleaning.core.stats import Stats

HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".html.gz", ".htm.gz", ".xhtml.gz")
WARC_SUFFIXES = (".warc", ".warc.gz")
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz")
TEXT_SUFFIXES = (".txt", ".txt.gz")
PARQUET_SUFFIXES = (".parquet",)
SUPPORTED = "raw .parquet, .html[.gz], .warc[.gz], .jsonl[.gz], .txt[.gz]"

_HTTP_CHARSET = re.compile(r"charset\s*=\s*[\"']?([a-zA-Z0-9_.:-]+)", re.I)


class UnreadableInput(ValueError):
    """An input that cannot be turned into text; the message says why, for the run summary."""


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]+")
MAX_MESSAGE = 300


def printable(text: str) -> str:
    """Error text safe for a terminal and a one-line log: control characters (escapes, CR, NUL) shown as
    `?`, newlines and tabs as spaces, cut to MAX_MESSAGE characters."""
    text = _CONTROL.sub("?", text.replace("\n", " ").replace("\t", " "))
    return text if len(text) <= MAX_MESSAGE else text[:MAX_MESSAGE - 1] + "…"


def report(stats: Stats, input_: str, message: str) -> None:
    """One read error: the input and the message, both made printable (file names can hold escapes too)."""
    stats.error(printable(input_), "read", printable(message))


# ------------------------------------------------------------------ entry point


def read_inputs(paths: Iterable[str | Path], stats: Stats) -> Iterator[SourceRecord]:
    """Yield SourceRecords from any mix of files and folders (folders walked recursively, sorted).

    A URL fetched several times (incremental re-crawls append to the raw store) is
    cleaned once, from its newest fetch.
    """
    yield from keep_latest_fetch(_read_paths(paths, stats), stats)


def keep_latest_fetch(records: Iterable[SourceRecord], stats: Stats) -> list[SourceRecord]:
    """Drop older fetches of the same URL; records without a URL or fetch time all stay."""
    records = list(records)
    newest: dict[str, int] = {}
    for i, rec in enumerate(records):
        if rec.url and rec.fetched_at is not None:
            j = newest.get(rec.url)
            if j is None or (rec.fetched_at, i) >= (records[j].fetched_at, j):
                newest[rec.url] = i
    keep = set(newest.values())
    kept = [rec for i, rec in enumerate(records)
            if not (rec.url and rec.fetched_at is not None) or i in keep]
    stats.inc("read/older_fetches_skipped", len(records) - len(kept))
    return kept


def _read_paths(paths: Iterable[str | Path], stats: Stats) -> Iterator[SourceRecord]:
    for path in map(Path, paths):
        if not path.exists():
            report(stats, str(path), "no such file or directory")
            continue
        if path.is_dir():
            all_files = [p for p in path.rglob("*") if p.is_file()]
            files = sorted(p for p in all_files if not _is_hidden(p, path))
            stats.inc("read/skipped_hidden", len(all_files) - len(files))
            if not files:
                report(stats, str(path), "folder holds no input files")
            for file in files:
                yield from _read_reported(file, stats)
        else:
            yield from _read_reported(path, stats)


def _is_hidden(file: Path, root: Path) -> bool:
    """Dot-files and `_SUCCESS`-style markers inside a folder are metadata, not inputs."""
    return any(part.startswith((".", "_")) for part in file.relative_to(root).parts)


def _read_reported(file: Path, stats: Stats) -> Iterator[SourceRecord]:
    try:
        for rec in _read_file(file, stats):
            stats.inc(f"read/{rec.source}")
            yield rec
    except UnreadableInput as exc:
        report(stats, str(file), str(exc))
    except Exception as exc:  # noqa: BLE001 - one bad input never ends the run
        report(stats, str(file), f"{type(exc).__name__}: {exc}")


def _read_file(file: Path, stats: Stats) -> Iterator[SourceRecord]:
    name = file.name.lower()
    if file.stat().st_size == 0:
        raise UnreadableInput("empty file")
    if name.endswith(PARQUET_SUFFIXES):
        yield from read_raw_parquet(file, stats)
    elif name.endswith(HTML_SUFFIXES):
        html = decode_html(_read_bytes(file))
        yield SourceRecord(input=str(file), source="html", html=html)
    elif name.endswith(WARC_SUFFIXES):
        yield from read_warc(file, stats)
    elif name.endswith(JSONL_SUFFIXES):
        yield from read_jsonl(file, stats)
    elif name.endswith(TEXT_SUFFIXES):
        yield SourceRecord(input=str(file), source="dump", text=decode_text(_read_bytes(file)))
    else:
        raise UnreadableInput(f"unsupported input type {''.join(file.suffixes) or file.name!r} "
                              f"(expected {SUPPORTED})")


def _read_bytes(file: Path) -> bytes:
    raw = file.read_bytes()
    if file.name.lower().endswith(".gz"):
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError, zlib.error) as exc:
            raise UnreadableInput(f"bad gzip data: {exc}") from exc
    if not raw.strip():
        raise UnreadableInput("empty file")
    return raw


# ------------------------------------------------------------------ decoding


def decode_bytes(raw: bytes, declared: str | None = None) -> str:
    """Text of an input file; binary content is an input error, not a page."""
    if looks_binary(raw):
        raise UnreadableInput("binary content, not text")
    return decode_body(raw, declared=declared)[0]


def decode_html(raw: bytes, declared: str | None = None) -> str:
    return decode_bytes(raw, declared)


def decode_text(raw: bytes) -> str:
    return decode_bytes(raw)


def _is_html(content_type: str | None, body: bytes) -> bool:
    if content_type:
        return "html" in content_type.lower()
    return bool(re.search(rb"<(!doctype html|html|body|p|div)\b", body[:4096], re.I))


# ------------------------------------------------------------------ raw crawl table


def read_raw_parquet(file: Path, stats: Stats) -> Iterator[SourceRecord]:
    """The crawler's raw table (cleaning.schema.RAW_SCHEMA): one record per fetched HTML page."""
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(file)
    except Exception as exc:  # noqa: BLE001 - pyarrow raises several types for bad files
        raise UnreadableInput(f"not a readable Parquet file: {exc}") from exc
    missing = {"url", "body"} - set(pf.schema_arrow.names)
    if missing:
        raise UnreadableInput(f"not a raw crawl table (missing columns {sorted(missing)})")
    row = 0
    for batch in pf.iter_batches(batch_size=256):
        for values in batch.to_pylist():
            rec = _raw_row_to_record(values, f"{file}#{row}", stats)
            row += 1
            if rec is not None:
                yield rec


def _raw_row_to_record(row: dict, input_: str, stats: Stats) -> SourceRecord | None:
    status = row.get("status")
    if status is not None and status != 200:
        stats.inc("read/skipped_status")
        return None
    html = _page_html(row.get("body") or b"", row.get("content_type"), row.get("encoding"), input_, stats)
    if html is None:
        return None
    return SourceRecord(
        input=input_,
        source=row.get("discovered_via") or "crawl",
        url=row.get("final_url") or row.get("url"),
        html=html,
        fetched_at=as_utc(row.get("fetched_at")),
        feed=_feed_entry(row),
    )


def _page_html(body: bytes, content_type: str | None, encoding: str | None, input_: str,
               stats: Stats) -> str | None:
    """The fetched page as text, or None with the reason counted (empty, not HTML, undecodable)."""
    if not body.strip():
        stats.inc("read/skipped_empty")
        return None
    if not _is_html(content_type, body):
        stats.inc("read/skipped_not_html")
        return None
    try:
        return decode_html(body, encoding)
    except UnreadableInput as exc:
        report(stats, input_, str(exc))
        return None


def _feed_entry(row: dict) -> FeedEntry | None:
    fields = {
        "title": row.get("feed_title"),
        "published": as_utc(row.get("feed_published")),
        "updated": as_utc(row.get("feed_updated")),
        "summary": row.get("feed_summary"),
        "content": row.get("feed_content"),
        "authors": tuple(row.get("feed_authors") or ()),
    }
    if not any(fields.values()):
        return None
    return FeedEntry(link=row.get("url"), **fields)


# ------------------------------------------------------------------ WARC


def read_warc(file: Path, stats: Stats) -> Iterator[SourceRecord]:
    """HTML response records of a WARC file (gzipped or not); other records are counted and skipped.

    A damaged stretch (cleaning.io.warc) is one error line with its byte range, and reading goes
    on at the next good record; a record whose content fails its digest is reported and skipped.
    """
    from warcio.exceptions import ArchiveLoadFailed

    from cleaning.io.warc import Skipped, is_gzip, warc_records

    size = file.stat().st_size
    index = 0
    for item in warc_records(file):
        if isinstance(item, Skipped):
            if index == 0 and item.start == 0 and item.end >= size:
                if is_gzip(file):
                    raise UnreadableInput(f"bad gzip data: {item.reason}, and no WARC record further on")
                raise UnreadableInput("not a WARC file: it does not start with a WARC/ record header, "
                                      "and no WARC record further on")
            after = "reading resumed at the next record" if item.end < size else "no record after it"
            report(stats, str(file), f"damaged WARC data skipped at bytes {item.start}-{item.end} of {size} "
                                     f"({item.end - item.start} bytes): {item.reason}; {after}")
            stats.inc("read/warc_bytes_skipped", item.end - item.start)
            continue
        offset, record = item
        input_ = f"{file}#{index}"
        index += 1
        try:
            rec = _warc_record(record, input_, stats)
        except (ArchiveLoadFailed, OSError, EOFError, zlib.error, ValueError) as exc:
            report(stats, input_, f"damaged WARC record at byte {offset} skipped: {exc}")
            continue
        if rec is not None:
            yield rec
    if not index:
        raise UnreadableInput("not a WARC file: no records found")


def _warc_record(record, input_: str, stats: Stats) -> SourceRecord | None:
    if record.rec_type != "response" or record.http_headers is None:
        stats.inc("read/warc_skipped_records")
        return None
    status = record.http_headers.get_statuscode()
    if status != "200":
        stats.inc("read/skipped_status")
        return None
    content_type = record.http_headers.get_header("Content-Type")
    body = record.content_stream().read()
    match = _HTTP_CHARSET.search(content_type or "")
    html = _page_html(body, content_type, match.group(1) if match else None, input_, stats)
    if html is None:
        return None
    return SourceRecord(
        input=input_,
        source="warc",
        url=record.rec_headers.get_header("WARC-Target-URI"),
        html=html,
        fetched_at=_parse_time(record.rec_headers.get_header("WARC-Date")),
    )


def _parse_time(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return as_utc(datetime.fromisoformat(value.replace("Z", "+00:00")))
    except ValueError:
        try:
            return as_utc(parsedate_to_datetime(value))
        except (TypeError, ValueError):
            return None


# ------------------------------------------------------------------ JSONL


def read_jsonl(file: Path, stats: Stats) -> Iterator[SourceRecord]:
    """One page a line: {"url", "html"} or {"url", "text"}; a bad line is reported, the rest read."""
    text = decode_text(_read_bytes(file))
    good = 0
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        input_ = f"{file}#{number}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            report(stats, input_, f"invalid JSON: {exc}")
            continue
        if not isinstance(obj, dict) or not isinstance(obj.get("html") or obj.get("text"), str):
            report(stats, input_, 'expected an object with a string "html" or "text"')
            continue
        good += 1
        html = obj.get("html") if isinstance(obj.get("html"), str) else None
        yield SourceRecord(
            input=input_,
            source="jsonl",
            url=obj.get("url") if isinstance(obj.get("url"), str) else None,
            html=html,
            text=None if html else obj.get("text"),
            fetched_at=_parse_time(obj.get("fetched_at")) if isinstance(obj.get("fetched_at"), str) else None,
        )
    if not good:
        raise UnreadableInput("no readable JSONL record")
