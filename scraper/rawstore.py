"""The raw table on disk: batches of Parquet files under OUT/raw/, each written atomically.

Also the memory of earlier runs: `RawStoreIndex` holds, per URL, what the newest stored
row says (validators and content hash), which is all incremental re-crawls and
resumes need, and, read from the stored body when asked, the hash of its main content
(`main_hash`): a page whose bytes changed but whose main content did not (a sidebar list,
a menu) is unchanged. Temp files (leading dot) of a crashed batch are ignored.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from cleaning.core.schema import RAW_LAYOUT, RAW_SCHEMA
from cleaning.io.atomic import atomic_write_table
from cleaning.core.urls import url_key

INDEX_COLUMNS = ["url", "final_url", "fetched_at", "is_release", "content_hash", "etag", "last_modified"]


def content_hash(body: bytes) -> str:
    return hashlib.sha1(body).hexdigest()


@dataclass(frozen=True, slots=True)
class StoredPage:
    url: str
    is_release: bool
    content_hash: str | None
    etag: str | None
    last_modified: str | None
    file: str | None = None  # the batch file holding this row


def raw_files(raw_dir: Path) -> list[Path]:
    return sorted(p for p in Path(raw_dir).glob("*.parquet") if not p.name.startswith("."))


class RawStoreIndex:
    """URL key -> newest stored row, over every batch file already in the raw store."""

    def __init__(self, pages: dict[str, StoredPage] | None = None, unreadable: list[str] | None = None):
        self.pages = pages or {}
        self.unreadable = unreadable or []
        self._main_hashes: dict[str, dict[tuple[str, str | None], str]] = {}  # file -> (url key, body sha1) -> hash

    @classmethod
    def load(cls, raw_dir: Path) -> "RawStoreIndex":
        newest: dict[str, tuple] = {}
        unreadable = []
        for path in raw_files(raw_dir):
            try:
                table = pq.read_table(path, columns=INDEX_COLUMNS)
            except (OSError, pa.ArrowException) as exc:
                unreadable.append(f"{path}: {exc}")
                continue
            for row in table.to_pylist():
                stamp = row["fetched_at"].timestamp() if row["fetched_at"] else 0.0
                page = StoredPage(url=row["url"], is_release=bool(row["is_release"]), content_hash=row["content_hash"],
                                  etag=row["etag"], last_modified=row["last_modified"], file=str(path))
                for key in {url_key(row["url"]), url_key(row["final_url"] or row["url"])}:
                    if key not in newest or newest[key][0] <= stamp:
                        newest[key] = (stamp, page)
        return cls({key: page for key, (_, page) in newest.items()}, unreadable)

    def get(self, url: str) -> StoredPage | None:
        return self.pages.get(url_key(url))

    def __len__(self) -> int:
        return len(self.pages)

    def conditional_headers(self, url: str) -> dict[str, str]:
        """If-None-Match / If-Modified-Since from what the store holds for `url`."""
        page = self.get(url)
        headers = {}
        if page is not None:
            if page.etag:
                headers["If-None-Match"] = page.etag
            if page.last_modified:
                headers["If-Modified-Since"] = page.last_modified
        return headers

    def main_hash(self, url: str) -> str | None:
        """scraper.discovery.main_content_hash of the newest stored copy of `url` (None: not stored, unreadable,
        or no main text).

        Computed from the stored body on first use, for every row of its batch file at once (one read per file).
        """
        page = self.get(url)
        if page is None or page.file is None:
            return None
        if page.file not in self._main_hashes:
            self._main_hashes[page.file] = _main_hashes_of(Path(page.file))
        return self._main_hashes[page.file].get((url_key(url), page.content_hash))

    def change(self, url: str, new_hash: str) -> str:
        """'new' / 'changed' / 'unchanged' against the newest stored copy."""
        page = self.get(url)
        if page is None:
            return "new"
        return "unchanged" if page.content_hash == new_hash else "changed"


def _main_hashes_of(path: Path) -> dict[tuple[str, str | None], str]:
    """(url key, body sha1) -> main-content hash, for every row of one batch file that has main text."""
    from cleaning.core.charset import decode_body
    from scraper.discovery import main_content_hash, parse_html

    try:
        table = pq.read_table(path, columns=["url", "final_url", "body", "content_type", "content_hash"])
    except (OSError, pa.ArrowException):
        return {}
    hashes = {}
    for row in table.to_pylist():
        if row["body"] is None:
            continue
        text, _ = decode_body(row["body"], row["content_type"] or "")
        digest = main_content_hash(parse_html(text, row["final_url"] or row["url"]))
        for key in {url_key(row["url"]), url_key(row["final_url"] or row["url"])} if digest else ():
            hashes[(key, row["content_hash"])] = digest
    return hashes


class RawStoreWriter:
    """Buffers rows and writes `raw/part-<run>-<seq>.parquet` every `batch_size` rows (and at close)."""

    def __init__(self, raw_dir: Path, batch_size: int = 100):
        self.raw_dir = Path(raw_dir)
        self.batch_size = max(1, batch_size)
        self.run_id = time.strftime("%Y%m%dT%H%M%S", time.gmtime()) + f"-{time.time_ns() % 1_000_000:06d}"
        self.rows: list[dict] = []
        self.seq = 0
        self.files: list[Path] = []
        self.rows_written = 0
        self.vias: dict[Path, list[str | None]] = {}  # file -> discovered_via of its rows, as written

    def add(self, record: dict) -> Path | None:
        self.rows.append(record)
        return self.flush() if len(self.rows) >= self.batch_size else None

    def flush(self) -> Path | None:
        if not self.rows:
            return None
        table = pa.Table.from_pylist(self.rows, schema=RAW_SCHEMA)
        path = atomic_write_table(table, self.raw_dir / f"part-{self.run_id}-{self.seq:05d}.parquet", RAW_LAYOUT)
        self.seq += 1
        self.rows_written += len(self.rows)
        self.vias[path] = [row.get("discovered_via") for row in self.rows]
        self.rows = []
        self.files.append(path)
        return path

    def relabel(self, channel_of: Callable[[str, str | None], str | None]) -> int:
        """Give every row this writer wrote (and still buffers) the `discovered_via` that
        `channel_of(url, final_url)` says now; files with a changed row are rewritten atomically.

        The crawl learns a page's channels until it ends, while batches are written as it goes:
        this, at the close, makes the stored channel independent of which response came first.
        Returns the number of rows changed.
        """
        changed = 0
        for row in self.rows:
            via = channel_of(row["url"], row.get("final_url")) or row.get("discovered_via")
            changed += via != row.get("discovered_via")
            row["discovered_via"] = via
        for path in self.files:
            table = pq.read_table(path, columns=["url", "final_url"])
            vias = [channel_of(url, final) or old for url, final, old in
                    zip(table["url"].to_pylist(), table["final_url"].to_pylist(), self.vias[path])]
            diff = sum(new != old for new, old in zip(vias, self.vias[path]))
            if not diff:
                continue
            full = pq.read_table(path, schema=RAW_SCHEMA)
            column = full.schema.get_field_index("discovered_via")
            full = full.set_column(column, RAW_SCHEMA.field("discovered_via"), pa.array(vias, pa.string()))
            atomic_write_table(full, path, RAW_LAYOUT)
            self.vias[path] = vias
            changed += diff
        return changed
