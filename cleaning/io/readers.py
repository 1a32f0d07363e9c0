"""Turn inputs (raw crawl Parquet, HTML folders, WARC, JSONL, text dumps) into SourceRecords.

Every reader yields SourceRecord objects; an unreadable input (missing, empty, binary,
bad gzip, unknown type, broken record) is reported with `stats.error(input, "read", ...)`
and skipped, never raised, so one bad file cannot end a run.

`input` names the file ("-" for standard input), plus "#N" for a record inside it: the 1-based
line number of a JSONL file, the 0-based record index of a WARC file, the 0-based row of a
Parquet file ("#first-last" for the rows of a damaged row group). Damage inside a file costs
what it touches: a bad line, a WARC record (cleaning.io.warc resynchronises), a row group, or
what follows the point where a gzip stream breaks off.

Which files are inputs, and of which kind, is cleaning.io.sniff's: by name and by content.
"""

from __future__ import annotations

import codecs
import fnmatch
import gzip
import io
import json
import os
import re
import zlib
from collections.abc import Iterable, Iterator
from datetime import datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import BinaryIO

from w3lib.encoding import read_bom

from cleaning.core.charset import decode_body, looks_binary
from cleaning.extract.pagemeta import as_utc
from cleaning.core.schema import FeedEntry, SourceRecord
from cleaning.core.stats import Stats
from cleaning.io.sniff import HEAD_BYTES, SUPPORTED, classify, head_bytes, sniff  # noqa: F401 - SUPPORTED is API
from cleaning.io.warc import WarcDamage, block_digest_problem

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


def read_inputs(paths: Iterable[str | Path], stats: Stats, include: tuple[str, ...] = (),
                exclude: tuple[str, ...] = ()) -> Iterator[SourceRecord]:
    """Yield SourceRecords from any mix of files and folders (folders walked recursively, sorted).

    Inside a folder, files are typed by name and content (cleaning.io.sniff): assets, feeds,
    sitemaps and robots.txt are counted (`read/skipped_*`), not reported; `include` / `exclude`
    globs pick files inside folders (see folder_files). A file named on its own is always read
    or reported. A URL fetched several times (incremental re-crawls append to the raw store) is
    cleaned once, from its newest fetch.
    """
    yield from keep_latest_fetch(_read_paths(paths, stats, tuple(include), tuple(exclude)), stats)


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


def _read_paths(paths: Iterable[str | Path], stats: Stats, include: tuple[str, ...] = (),
                exclude: tuple[str, ...] = ()) -> Iterator[SourceRecord]:
    for path in map(Path, paths):
        if str(path) == STDIN:
            yield from _read_stdin(stats)
            continue
        if not path.exists():
            report(stats, str(path), "no such file or directory")
            continue
        if path.is_dir():
            files = folder_files(path, stats, include, exclude)
            before = sum(stats[key] for key in SKIP_KEYS)
            for file in files:
                yield from _read_reported(file, stats, explicit=False)
            skipped = sum(stats[key] for key in SKIP_KEYS) - before
            if skipped == len(files):
                report(stats, str(path), "folder holds no input files" + (
                    f" ({skipped} file(s) skipped as assets, feeds, sitemaps or of unknown type)" if skipped else ""))
        else:
            yield from _read_reported(path, stats, explicit=True)


SKIP_KEYS = tuple(f"read/{k}" for k in ("skipped_assets", "skipped_not_pages", "skipped_unknown", "skipped_binary"))


def folder_files(root: Path, stats: Stats, include: tuple[str, ...] = (),
                 exclude: tuple[str, ...] = ()) -> list[Path]:
    """The files under `root` to read, sorted: hidden and `_`-marker files left out, symlinks followed once.

    `include` / `exclude` are fnmatch globs matched against the path relative to `root` and against the
    file name (`*.html`, `news/*`, `*/tag/*`); with `include`, only files matching one are read, and
    `exclude` wins. A symlinked folder that leads back into a folder already walked (a loop) is not
    followed, and the loops and broken links of the folder are reported in one line.
    """
    files: list[Path] = []
    hidden = excluded = 0
    loops: list[str] = []
    broken: list[str] = []
    seen: set[tuple[int, int]] = set()
    for dirpath, dirnames, filenames in os.walk(root, followlinks=True):
        here = Path(dirpath)
        st = here.stat()
        seen.add((st.st_dev, st.st_ino))
        kept = []
        for name in sorted(dirnames):
            sub = here / name
            if name.startswith((".", "_")):
                hidden += sum(len(f) for _, _, f in os.walk(sub))
                continue
            try:
                st = sub.stat()
            except OSError:
                broken.append(str(sub.relative_to(root)))
                continue
            if (st.st_dev, st.st_ino) in seen:
                loops.append(f"{sub.relative_to(root)} -> {os.readlink(sub) if sub.is_symlink() else sub}")
                continue
            seen.add((st.st_dev, st.st_ino))
            kept.append(name)
        dirnames[:] = kept
        for name in filenames:
            file = here / name
            rel = file.relative_to(root).as_posix()
            if name.startswith((".", "_")):
                hidden += 1
            elif not file.is_file():
                broken.append(rel)
            elif (include and not _matches(rel, name, include)) or _matches(rel, name, exclude):
                excluded += 1
            else:
                files.append(file)
    stats.inc("read/skipped_hidden", hidden)
    stats.inc("read/skipped_excluded", excluded)
    if loops or broken:
        stats.inc("read/symlink_loops", len(loops))
        stats.inc("read/broken_links", len(broken))
        parts = ([f"{len(loops)} symlink loop(s) not followed ({', '.join(loops[:3])}"
                  f"{', …' if len(loops) > 3 else ''})"] if loops else []) + \
                ([f"{len(broken)} broken link(s) skipped ({', '.join(broken[:3])}{', …' if len(broken) > 3 else ''})"]
                 if broken else [])
        report(stats, str(root), "; ".join(parts))
    return sorted(files)


def _matches(rel: str, name: str, globs: tuple[str, ...]) -> bool:
    return any(fnmatch.fnmatchcase(rel, g) or fnmatch.fnmatchcase(name, g) for g in globs)


STDIN = "-"


def _read_stdin(stats: Stats) -> Iterator[SourceRecord]:
    """Standard input as one input, typed by its content (JSONL, HTML, WARC, gzip of these, else a text
    dump); copied to a temporary file first, so it is read like any file, and named "-" in records and errors."""
    import dataclasses
    import shutil
    import sys
    import tempfile

    with tempfile.TemporaryDirectory(prefix="pressroom-stdin-") as tmp:
        file = Path(tmp) / "stdin"
        with file.open("wb") as fh:
            shutil.copyfileobj(sys.stdin.buffer, fh)
        first_error = len(stats.errors)
        for rec in _read_reported(file, stats, explicit=True, stdin=True):
            yield dataclasses.replace(rec, input=STDIN + rec.input[len(str(file)):])
        for error in stats.errors[first_error:]:
            if error["input"].startswith(str(file)):
                error["input"] = STDIN + error["input"][len(str(file)):]


def _read_reported(file: Path, stats: Stats, explicit: bool = True, stdin: bool = False) -> Iterator[SourceRecord]:
    try:
        for rec in _read_file(file, stats, explicit, stdin):
            stats.inc(f"read/{rec.source}")
            yield rec
    except UnreadableInput as exc:
        report(stats, str(file), str(exc))
    except Exception as exc:  # noqa: BLE001 - one bad input never ends the run
        report(stats, str(file), f"{type(exc).__name__}: {exc}")


def _read_file(file: Path, stats: Stats, explicit: bool = True, stdin: bool = False) -> Iterator[SourceRecord]:
    """One file's records. Inside a folder, a file that is no input (an asset, a feed) is counted, not reported."""
    if explicit and file.stat().st_size == 0:
        raise UnreadableInput("empty file")
    kind = classify(file, stdin=stdin)
    if kind.kind is None:
        if explicit:
            raise UnreadableInput(kind.reason)
        stats.inc(f"read/{kind.skip}")
        return
    if file.stat().st_size == 0:
        raise UnreadableInput("empty file")
    if kind.kind == "parquet":
        yield from read_raw_parquet(file, stats)
    elif kind.kind == "html":
        html = decode_html(_read_bytes(file))
        yield SourceRecord(input=str(file), source="html", html=html)
    elif kind.kind == "warc":
        yield from read_warc(file, stats)
    elif kind.kind == "jsonl":
        yield from read_jsonl(file, stats)
    else:
        yield SourceRecord(input=str(file), source="dump", text=decode_text(_read_bytes(file)))


def _open_content(file: Path) -> BinaryIO:
    """The file's content as a binary stream, decompressed on the fly when it is gzip (by its magic bytes)."""
    if head_bytes(file, 2)[1]:
        return gzip.open(file, "rb")
    if file.name.lower().endswith(".gz"):
        raise UnreadableInput("bad gzip data: named .gz, but it does not start with a gzip header")
    return file.open("rb")


_GZIP_ERRORS = (OSError, EOFError, zlib.error)


def _read_bytes(file: Path) -> bytes:
    """A whole one-record file (a page, a text dump), decompressed when gzip."""
    content = _open_content(file)
    try:
        with content as fh:
            raw = fh.read()
    except _GZIP_ERRORS as exc:
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
    for group in range(pf.num_row_groups):
        start, rows = row, pf.metadata.row_group(group).num_rows
        try:
            for batch in pf.iter_batches(batch_size=256, row_groups=[group]):
                for values in batch.to_pylist():
                    rec = _raw_row_to_record(values, f"{file}#{row}", stats)
                    row += 1
                    if rec is not None:
                        yield rec
        except Exception as exc:  # noqa: BLE001 - a damaged row group costs its rows, not the file
            report(stats, f"{file}#{row}-{start + rows - 1}",
                   f"damaged Parquet data in row group {group} (rows {row}-{start + rows - 1} of it skipped): "
                   f"{type(exc).__name__}: {exc}")
            row = start + rows


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
    if sniff(body[:HEAD_BYTES]) == "not-page":  # a feed or a sitemap served as text/html
        stats.inc("read/skipped_not_pages")
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
    # absent from raw stores written before these columns: cleaning.steps.annotate then guesses from the value
    fields["published_precision"] = row.get("feed_published_precision")
    fields["updated_precision"] = row.get("feed_updated_precision")
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
        except (ArchiveLoadFailed, WarcDamage, OSError, EOFError, zlib.error, ValueError) as exc:
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
    if content_type and "html" not in content_type.lower():  # an image or a video: its body is never read
        stats.inc("read/skipped_not_html")
        return None
    body = record.content_stream().read()
    problem = block_digest_problem(record)
    if problem:
        raise WarcDamage(problem)
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
    """One page a line: {"url", "html"} or {"url", "text"}; a bad line is reported, the rest read.

    Streamed line by line (gzip decompressed on the fly), so memory does not grow with the file.
    Lines end at "\\n" only: U+2028, U+2029 and U+0085 are allowed raw inside JSON strings. A gzip
    stream that breaks off keeps the records before the damage and reports the rest in one line.
    """
    head, _ = head_bytes(file)
    if looks_binary(head.split(b"\n", 1)[0]):  # the first line: a bad line further on is that line's error
        raise UnreadableInput("binary content, not text" if head else "bad gzip data: no readable gzip header")
    good = seen = number = 0
    content = _open_content(file)
    try:
        with content as fh:
            for number, line in enumerate(_text_lines(fh, head), 1):
                if not line.strip():
                    continue
                seen += 1
                rec = _jsonl_record(line, f"{file}#{number}", stats)
                if rec is not None:
                    good += 1
                    yield rec
    except _GZIP_ERRORS as exc:
        if not seen:
            raise UnreadableInput(f"bad gzip data: {exc}") from exc
        report(stats, str(file), f"bad gzip data after line {number}: {exc}; the {good} record(s) before it "
                                 "are kept, the rest of the file is lost")
        return
    if not seen:
        raise UnreadableInput("empty file")
    if not good:
        raise UnreadableInput("no readable JSONL record")


def _text_lines(fh: BinaryIO, head: bytes) -> Iterator[str]:
    """The lines of a text stream, split on "\\n" only, each decoded (UTF-16/32 by BOM, else per line)."""
    codec, bom = read_bom(head)
    if codec and codec != "utf-8":
        fh.read(len(bom))
        yield from io.TextIOWrapper(fh, encoding=codec, errors="replace", newline="\n")
        return
    for number, raw in enumerate(fh):
        if number == 0 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8):]
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError:
            yield decode_body(raw)[0]  # a line in another encoding: detected on its own


def _jsonl_record(line: str, input_: str, stats: Stats) -> SourceRecord | None:
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        report(stats, input_, f"invalid JSON: {exc}")
        return None
    if not isinstance(obj, dict) or not isinstance(obj.get("html") or obj.get("text"), str):
        report(stats, input_, 'expected an object with a string "html" or "text"')
        return None
    html = obj.get("html") if isinstance(obj.get("html"), str) else None
    return SourceRecord(
        input=input_,
        source="jsonl",
        url=obj.get("url") if isinstance(obj.get("url"), str) else None,
        html=html,
        text=None if html else obj.get("text"),
        fetched_at=_parse_time(obj.get("fetched_at")) if isinstance(obj.get("fetched_at"), str) else None,
    )
