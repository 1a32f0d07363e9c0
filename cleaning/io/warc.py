"""WARC files (plain or gzipped) read record by record, resynchronising past damage.

The framing is ours, the record parsing is warcio's. A plain WARC record is a `WARC/1.x` header
block, `Content-Length` bytes of content and a blank-line trailer: a record whose trailer is not
where its length says (truncated, or bytes lost) or whose header is not a WARC header is damaged,
and reading resumes at the next `WARC/1.` that starts a record which frames correctly. In a
`.warc.gz` every record is its own gzip member: a member that does not decompress (flipped bytes,
truncated, CRC mismatch) or garbage between members is skipped to the next gzip member that
decompresses to a WARC record. Each skipped stretch is one error line naming the file and the byte
range, so a corrupt record costs that record, never the rest of the file.

Memory does not grow with the file: records are read one at a time, a gzip member is decompressed
into a spooled temporary file (in memory when small, on disk past SPOOL_BYTES), and only the body
of an HTML response is read into memory.
"""

from __future__ import annotations

import re
import tempfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

GZIP_MAGIC = b"\x1f\x8b\x08"
WARC_START = b"WARC/1."
CHUNK = 1 << 16
SPOOL_BYTES = 16 << 20
MAX_HEADER_BYTES = 1 << 20

_CONTENT_LENGTH = re.compile(rb"^content-length\s*:\s*(\d+)\s*$", re.I | re.M)


class WarcDamage(ValueError):
    """Why a stretch of bytes is not a readable record (the message goes into the error line)."""


@dataclass(frozen=True)
class Frame:
    """One record's place in a plain WARC stream: header at `start`, content ends at `block_end`."""

    start: int
    header_len: int
    block_end: int
    end: int  # after the trailer and any extra blank lines: where the next record starts


@dataclass(frozen=True)
class Skipped:
    """A damaged stretch [start, end) of the file and the reason it could not be read."""

    start: int
    end: int
    reason: str


def frame_at(fh: BinaryIO, pos: int, size: int) -> Frame:
    """The record starting at `pos`, or WarcDamage saying why there is none."""
    fh.seek(pos)
    header = bytearray()
    while True:
        line = fh.readline(MAX_HEADER_BYTES)
        if not line:
            raise WarcDamage("the file ends inside a record header")
        if not header and not line.startswith(WARC_START):
            raise WarcDamage("no WARC/1.x record header")
        header += line
        if line in (b"\r\n", b"\n"):
            break
        if len(header) > MAX_HEADER_BYTES:
            raise WarcDamage("record header longer than 1 MiB")
    match = _CONTENT_LENGTH.search(bytes(header))
    if not match:
        raise WarcDamage("record header without a Content-Length")
    block_end = pos + len(header) + int(match.group(1))
    if block_end > size:
        raise WarcDamage(f"record cut short (its Content-Length runs {block_end - size} bytes past the end)")
    fh.seek(block_end)
    tail = fh.read(4)
    if tail == b"\r\n\r\n":
        end = block_end + 4
    elif tail[:2] == b"\n\n":
        end = block_end + 2
    else:
        raise WarcDamage("record content does not end where its Content-Length says (truncated or altered)")
    fh.seek(end)
    while True:  # lenient: extra blank lines between records
        line = fh.readline(3)
        if line not in (b"\r\n", b"\n"):
            break
        end += len(line)
    return Frame(pos, len(header), block_end, end)


def _find(fh: BinaryIO, needle: bytes, start: int, size: int) -> int:
    """Offset of the next `needle` at or after `start`, or `size`."""
    pos = start
    while pos < size:
        fh.seek(pos)
        chunk = fh.read(CHUNK + len(needle) - 1)
        i = chunk.find(needle)
        if i >= 0:
            return pos + i
        pos += CHUNK
    return size


def plain_frames(fh: BinaryIO, start: int, size: int) -> Iterator[Frame | Skipped]:
    """Every record of a plain WARC stream in [start, size), and the damaged stretches between them."""
    pos = start
    while pos < size:
        try:
            frame = frame_at(fh, pos, size)
        except WarcDamage as exc:
            resume = _resync_plain(fh, pos + 1, size)
            yield Skipped(pos, resume, str(exc))
            pos = resume
            continue
        yield frame
        pos = frame.end


def _resync(fh: BinaryIO, needle: bytes, start: int, size: int, starts_record) -> int:
    """The next offset holding `needle` where `starts_record(offset)` agrees, or `size`.

    The needle (`WARC/1.`, the gzip magic) only proposes a candidate: bytes inside a damaged
    record can hold it too, so the candidate must also start a readable record.
    """
    pos = start
    while True:
        pos = _find(fh, needle, pos, size)
        if pos >= size or starts_record(pos):
            return pos
        pos += 1


def _frames_at(fh: BinaryIO, size: int):
    def frames(pos: int) -> bool:
        try:
            frame_at(fh, pos, size)
            return True
        except WarcDamage:
            return False
    return frames


def _resync_plain(fh: BinaryIO, start: int, size: int) -> int:
    return _resync(fh, WARC_START, start, size, _frames_at(fh, size))


# ------------------------------------------------------------------ gzip members


def _inflate_member(fh: BinaryIO, pos: int, out: BinaryIO) -> int:
    """Decompress the gzip member at `pos` into `out`: its compressed end, or WarcDamage."""
    fh.seek(pos)
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    consumed = 0
    while not inflater.eof:
        chunk = fh.read(CHUNK)
        if not chunk:
            raise WarcDamage("gzip member cut short")
        try:
            out.write(inflater.decompress(chunk))
        except zlib.error as exc:
            raise WarcDamage(f"bad gzip data ({exc})") from None
        consumed += len(chunk)
    return pos + consumed - len(inflater.unused_data)


def _member_looks_like_warc(fh: BinaryIO, pos: int) -> bool:
    """A resync candidate: gzip data at `pos` whose first bytes decompress to a WARC header."""
    fh.seek(pos)
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    head = b""
    while len(head) < len(WARC_START) and not inflater.eof:
        chunk = inflater.unconsumed_tail or fh.read(1024)
        if not chunk:
            return False
        try:
            head += inflater.decompress(chunk, 64)
        except zlib.error:
            return False
    return head.startswith(WARC_START)


def _resync_gzip(fh: BinaryIO, start: int, size: int) -> int:
    return _resync(fh, GZIP_MAGIC, start, size, lambda pos: _member_looks_like_warc(fh, pos))


def gzip_members(fh: BinaryIO, size: int) -> Iterator[tuple[int, int, BinaryIO] | Skipped]:
    """(start, end, decompressed content) of every good gzip member, and the damaged stretches.

    The content is a spooled temporary file, valid until the next item is asked for.
    """
    pos = 0
    while pos < size:
        fh.seek(pos)
        if fh.read(3) != GZIP_MAGIC:
            resume = _resync_gzip(fh, pos + 1, size)
            yield Skipped(pos, resume, "bytes between gzip members that are not a gzip member")
            pos = resume
            continue
        with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as spool:
            try:
                end = _inflate_member(fh, pos, spool)
            except WarcDamage as exc:
                resume = _resync_gzip(fh, pos + 1, size)
                yield Skipped(pos, resume, str(exc))
                pos = resume
                continue
            yield pos, end, spool
        pos = end


def is_gzip(file: Path) -> bool:
    with file.open("rb") as fh:
        return fh.read(2) == GZIP_MAGIC[:2]


def warc_records(file: Path) -> Iterator[tuple[str, object] | Skipped]:
    """("offset", warcio record) for each record of the file, and Skipped for each damaged stretch.

    The offset is where the record starts in the file ("member start" for a gzipped file, plus
    "+N" into the member when one member holds several records). Records are parsed by warcio,
    which checks the digests the record carries as its content is read (see block_digest_problem).
    """
    from warcio.limitreader import LimitReader
    from warcio.recordloader import ArcWarcRecordLoader

    loader = ArcWarcRecordLoader()

    def parse(fh: BinaryIO, frame: Frame):
        fh.seek(frame.start)
        stream = LimitReader(fh, frame.block_end - frame.start)
        return loader.parse_record_stream(stream, known_format="warc", check_digests=True)

    size = file.stat().st_size
    with file.open("rb") as fh:
        if not is_gzip(file):
            for item in plain_frames(fh, 0, size):
                yield item if isinstance(item, Skipped) else (str(item.start), parse(fh, item))
            return
        for member in gzip_members(fh, size):
            if isinstance(member, Skipped):
                yield member
                continue
            start, end, spool = member
            inner = spool.tell()
            for item in plain_frames(spool, 0, inner):
                if isinstance(item, Skipped):  # the member decompressed, but does not hold WARC records
                    yield Skipped(start, end, f"gzip member without a WARC record at byte {item.start} "
                                              f"of its content: {item.reason}")
                    break
                offset = str(start) if item.start == 0 else f"{start}+{item.start}"
                yield offset, parse(spool, item)


def block_digest_problem(record) -> str | None:
    """After the content was read: why the record's bytes are not those written, or None.

    Only WARC-Block-Digest counts: it covers the record's block byte for byte. Tools disagree on
    what WARC-Payload-Digest covers (before or after transfer decoding), so a payload mismatch
    alone says nothing about damage.
    """
    record.raw_stream.read()  # the rest of the block, so the digest covers all of it
    checker = getattr(record, "digest_checker", None)
    problems = [p for p in (checker.problems if checker else []) if p.startswith("block digest")]
    return f"the record's content does not match its WARC-Block-Digest ({problems[0]})" if problems else None
