"""Parquet output: atomic files, hive-partitioned tables, and the incremental articles dataset.

Safety rule: a reader (or a process killed at any instant) only ever sees
complete partitions. New partition contents are written under
`OUT/.staging/` (outside the table directory, so no reader globs them) and
swapped in with one atomic rename — `renameat2(RENAME_EXCHANGE)` on Linux,
which exchanges two non-empty directories in one step. The displaced old
contents are deleted afterwards; leftovers of a killed run are removed by the
next writer, which holds an exclusive lock (`OUT/.<table>.lock`).

Partition directories are `site_key=<site>/year_key=<year>` while `site` and `year`
stay in the files, so every file is self-contained and plain pandas / polars / DuckDB
reads work (docs/SCHEMA.md says why the keys are not named like the columns).

Every partition is rewritten whole when touched (old rows + new rows, sorted,
split into as few files as the size cap allows), which is also the compaction:
after any number of small runs a partition holds ceil(rows / MAX_ROWS_PER_FILE)
files.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import shutil
import time
import uuid
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from cleaning.steps.dedup import merge_dataset_clusters
from cleaning.core.schema import (ARTICLES_LAYOUT, ARTICLES_SCHEMA, LAYOUTS, NULL_PARTITION, PARTITION_SUFFIX, TableLayout,
                                  records_to_table)
from cleaning.io.atomic import fsync_dir, write_parquet
from cleaning.core.stats import Stats

PAUSE_ENV = "PRESSROOM_WRITE_PAUSE"  # test hook: seconds to sleep after each staged file and each swap


# ---------------------------------------------------------------- partitions


def partition_dir(root: Path, layout: TableLayout, values: tuple) -> Path:
    """`root/site_key=amnesty.fr/year_key=2025`; a null value is `none`."""
    parts = [f"{key}{PARTITION_SUFFIX}={NULL_PARTITION if v is None else quote(str(v), safe='.-_@')}"
             for key, v in zip(layout.partition_by, values)]
    return Path(root, *parts)


def partition_values(row: dict, layout: TableLayout) -> tuple:
    return tuple(row.get(key) for key in layout.partition_by)


def data_files(directory: Path) -> list[Path]:
    """Visible Parquet files under a directory (hidden and temp names skipped)."""
    directory = Path(directory)
    if not directory.exists():
        return []
    return sorted(p for p in directory.rglob("*.parquet")
                  if not any(part.startswith((".", "_")) for part in p.relative_to(directory).parts))


def conform(table: pa.Table, schema: pa.Schema) -> pa.Table:
    """The table in exactly `schema` (missing columns as nulls): files from older versions still merge."""
    columns = []
    for f in schema:
        if f.name in table.column_names:
            columns.append(table.column(f.name).cast(f.type))
        else:
            columns.append(pa.nulls(table.num_rows, f.type))
    return pa.Table.from_arrays(columns, schema=schema)


def read_partition(root: Path, layout: TableLayout, values: tuple) -> pa.Table | None:
    files = data_files(partition_dir(root, layout, values))
    if not files:
        return None
    return pa.concat_tables(conform(pq.read_table(f), layout.schema) for f in files)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths (Linux renameat2); False when the platform cannot."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    rc = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if rc == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
        return False
    raise OSError(err, os.strerror(err), str(a))


def _pause() -> None:
    if delay := float(os.environ.get(PAUSE_ENV) or 0):
        time.sleep(delay)


def swap_in(staged: Path, target: Path) -> None:
    """Make `staged` visible at `target` in one step; the old contents end up at `staged`, then go."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.exists():
        os.rename(staged, target)
    elif not _exchange(staged, target):
        # no atomic exchange on this platform: a moment where the partition is absent
        aside = staged.with_name(staged.name + ".old")
        os.rename(target, aside)
        os.rename(staged, target)
        staged = aside
    fsync_dir(target.parent)
    shutil.rmtree(staged, ignore_errors=True)


def remove_partition(target: Path, staging: Path) -> None:
    if target.exists():
        aside = staging / f"gone-{uuid.uuid4().hex}"
        os.rename(target, aside)
        fsync_dir(target.parent)
        shutil.rmtree(aside, ignore_errors=True)


def stage_partition(table: pa.Table, layout: TableLayout, staging: Path) -> Path:
    """Write a partition's complete new contents into a fresh staging directory."""
    directory = staging / f"part-{uuid.uuid4().hex}"
    directory.mkdir(parents=True)
    if layout.sort_by:
        table = table.sort_by([(c, "ascending") for c in layout.sort_by])
    for n, start in enumerate(range(0, max(table.num_rows, 1), layout.max_rows_per_file)):
        write_parquet(table.slice(start, layout.max_rows_per_file), directory / f"part-{n:05d}.parquet", layout)
        _pause()
    fsync_dir(directory)
    return directory


@contextlib.contextmanager
def table_writer(out_dir: Path, table: str) -> Iterator[Path]:
    """Exclusive writer for one table: holds `OUT/.<table>.lock`, yields a clean staging dir."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    staging_root = out_dir / ".staging"
    with open(out_dir / f".{table}.lock", "w") as lock:
        try:
            import fcntl

            fcntl.flock(lock, fcntl.LOCK_EX)
        except ImportError:  # pragma: no cover - not POSIX
            pass
        for leftover in staging_root.glob(f"{table}-*"):  # from a killed run: never visible, safe to drop
            shutil.rmtree(leftover, ignore_errors=True)
        staging = staging_root / f"{table}-{uuid.uuid4().hex}"
        staging.mkdir(parents=True)
        try:
            yield staging
        finally:
            shutil.rmtree(staging, ignore_errors=True)


def replace_partitions(root: Path, layout: TableLayout, contents: dict[tuple, pa.Table | None],
                       staging: Path) -> int:
    """Give each listed partition exactly the given rows (None or empty: remove it). Returns files written.

    Each partition is swapped atomically; partitions are swapped in the given order.
    """
    files = 0
    for values, table in contents.items():
        target = partition_dir(root, layout, values)
        if table is None or table.num_rows == 0:
            remove_partition(target, staging)
        else:
            staged = stage_partition(conform(table, layout.schema), layout, staging)
            files += len(data_files(staged))
            swap_in(staged, target)
        _pause()
    return files


def split_by_partition(table: pa.Table, layout: TableLayout) -> dict[tuple, pa.Table]:
    keys = list(zip(*(table.column(k).to_pylist() for k in layout.partition_by))) if layout.partition_by \
        else [()] * table.num_rows
    rows_of: dict[tuple, list[int]] = defaultdict(list)
    for i, key in enumerate(keys):
        rows_of[key].append(i)
    return {key: table.take(pa.array(idx, pa.int64())) for key, idx in sorted(rows_of.items(), key=_sort_key)}


def _sort_key(item: tuple) -> tuple:
    return tuple((v is None, str(v)) for v in item[0])


def write_table_partitions(table: pa.Table, out_dir: Path, name: str, key: tuple[str, ...] | None = None,
                           stats: Stats | None = None) -> Path:
    """Generic writer for `OUT/<name>/` (e.g. the boilerplate table).

    key=None: every partition present in `table` is replaced by its rows.
    key=("site", "fingerprint"): rows are merged into the existing partition, new rows winning.
    """
    layout = LAYOUTS[name]
    root = Path(out_dir) / name
    with table_writer(out_dir, name) as staging:
        contents = {}
        for values, part in split_by_partition(conform(table, layout.schema), layout).items():
            old = read_partition(root, layout, values) if key else None
            if old is not None:
                new_keys = pa.Table.from_arrays([part.column(k) for k in key], names=list(key))
                old = old.join(new_keys, keys=list(key), join_type="left anti")
                part = pa.concat_tables([conform(old, layout.schema), part])
            contents[values] = part
        files = replace_partitions(root, layout, contents, staging)
    if stats is not None:
        stats.inc(f"write/{name}_partitions", len(contents))
        stats.inc(f"write/{name}_files", files)
    return root


# ---------------------------------------------------------------- the articles dataset

INDEX_COLUMNS = ["doc_id", "site", "year", "url", "canonical_url", "content_hash", "prev_content_hash",
                 "published_at", "fetched_at", "word_count", "dup_of", "dup_cluster"]


def in_partition(path: Path, root: Path, layout: TableLayout) -> bool:
    """Is this file inside a `key=value/...` directory of the layout (not a stray or legacy file)?"""
    parts = path.parent.relative_to(root).parts
    return len(parts) == len(layout.partition_by) and all(
        part.startswith(f"{key}{PARTITION_SUFFIX}=") for part, key in zip(parts, layout.partition_by))


def read_index(root: Path, layout: TableLayout = ARTICLES_LAYOUT) -> list[dict]:
    """The small columns of every row already in the dataset, with the partition it sits in."""
    rows = []
    for path in data_files(root):
        if not in_partition(path, root, layout):
            continue
        present = set(pq.read_schema(path).names)
        table = pq.read_table(path, columns=[c for c in INDEX_COLUMNS if c in present])
        partition = path.parent.relative_to(root).as_posix()
        for row in table.to_pylist():
            row["_partition"] = partition
            rows.append(row)
    return rows


def _one_per_doc_id(rows: list[dict], stats: Stats) -> list[dict]:
    """The last record of each doc_id wins (the same page given twice in one run)."""
    by_id = {}
    for row in rows:
        by_id[row["doc_id"]] = dict(row)  # the caller's records stay untouched
    if len(by_id) < len(rows):
        stats.inc("write/batch_repeated_doc_ids", len(rows) - len(by_id))
    return list(by_id.values())


def _newest(rows: list[dict]) -> dict:
    """Among copies of one doc_id left by a killed run, the one to keep."""
    return max(rows, key=lambda r: (r.get("fetched_at") is not None, r.get("fetched_at") or 0, r["_partition"]))


def write_dataset(records: list[dict], out_dir: Path, stats: Stats) -> Path:
    """Merge article records into `OUT/articles/` (one row per doc_id) and return that directory.

    A changed page (new content_hash) replaces its row and keeps the old hash in
    `prev_content_hash`. Duplicate clusters are re-derived over old and new rows
    (same body hash, same folded URL, earlier clusters), so a release already in
    the dataset is not kept twice because it came back under another URL.
    """
    root = Path(out_dir) / "articles"
    with table_writer(out_dir, "articles") as staging:
        legacy = [p for p in data_files(root) if not in_partition(p, root, ARTICLES_LAYOUT)]
        if legacy:  # e.g. articles/part-0.parquet from the first skeleton: re-home its rows, then drop it
            old = pa.concat_tables(conform(pq.read_table(p), ARTICLES_SCHEMA) for p in legacy).to_pylist()
            _merge_articles(old, root, staging, Stats())
            for path in legacy:
                path.unlink()
            stats.inc("write/legacy_rows_migrated", len(old))
        _merge_articles(records, root, staging, stats)
    return root


def _merge_articles(records: list[dict], root: Path, staging: Path, stats: Stats) -> None:
    """One merge: partitions gaining rows are swapped first, those only losing rows last.

    So a kill between two swaps can leave a moved row in two partitions (the next
    write keeps the newest copy), never in none.
    """
    layout = ARTICLES_LAYOUT
    new_rows = _one_per_doc_id(records, stats)
    new_ids = {r["doc_id"] for r in new_rows}
    copies: dict[str, list[dict]] = defaultdict(list)
    for row in read_index(root):
        copies[row["doc_id"]].append(row)

    drop: dict[str, set[str]] = defaultdict(set)  # partition dir -> doc_ids leaving it
    for doc_id, rows in copies.items():
        keep = None if doc_id in new_ids else _newest(rows)
        for row in rows:
            if row is not keep:
                drop[row["_partition"]].add(doc_id)
    existing = {doc_id: _newest(rows) for doc_id, rows in copies.items()}

    for row in new_rows:
        old = existing.get(row["doc_id"])
        if old is None:
            stats.inc("write/rows_new")
        elif old.get("content_hash") != row.get("content_hash"):
            row["prev_content_hash"] = old.get("content_hash")
            stats.inc("write/rows_changed")
        else:
            row["prev_content_hash"] = row.get("prev_content_hash") or old.get("prev_content_hash")
            stats.inc("write/rows_unchanged")

    kept_old = [r for d, r in existing.items() if d not in new_ids]
    assignments = merge_dataset_clusters(kept_old + new_rows)
    for row in new_rows:
        a = assignments.get(row["doc_id"])
        marks = (a.dup_of, a.dup_cluster) if a else (None, None)
        if marks[0] != row.get("dup_of"):
            stats.inc("dedup/cross_run")
        row["dup_of"], row["dup_cluster"] = marks
    updates: dict[str, dict[str, tuple]] = defaultdict(dict)  # partition -> doc_id -> (dup_of, dup_cluster)
    for row in kept_old:
        a = assignments.get(row["doc_id"])
        marks = (a.dup_of, a.dup_cluster) if a else (None, None)
        if marks != (row.get("dup_of"), row.get("dup_cluster")):
            updates[row["_partition"]][row["doc_id"]] = marks
            stats.inc("dedup/cross_run")

    incoming = split_by_partition(records_to_table(new_rows), layout) if new_rows else {}
    order = [(partition_dir(root, layout, v).relative_to(root).as_posix(), v, t) for v, t in incoming.items()]
    seen = {p for p, _, _ in order}
    for p in sorted((set(drop) | set(updates)) - seen):  # partitions that only lose or change rows: last
        order.append((p, None, None))

    contents: dict[tuple, pa.Table | None] = {}
    for rel, values, table in order:
        old = _read_dir(root / rel, layout)
        parts = []
        if old is not None:
            old = old.filter(pc.invert(pc.is_in(old.column("doc_id"), pa.array(sorted(drop[rel] | new_ids)))))
            parts.append(_apply_marks(old, updates.get(rel, {})))
        if table is not None:
            parts.append(table)
        merged = pa.concat_tables(parts) if parts else None
        if values is None:
            values = _values_of(rel, layout)
        contents[values] = merged
    files = replace_partitions(root, layout, contents, staging)
    stats.inc("write/partitions_rewritten", len(contents))
    stats.inc("write/files", files)


def _read_dir(directory: Path, layout: TableLayout) -> pa.Table | None:
    files = data_files(directory)
    return pa.concat_tables(conform(pq.read_table(f), layout.schema) for f in files) if files else None


def _values_of(rel: str, layout: TableLayout) -> tuple:
    """Partition values from a relative dir, typed as the schema says (for partitions only losing rows)."""
    from urllib.parse import unquote

    values = []
    for key, segment in zip(layout.partition_by, rel.split("/")):
        raw = unquote(segment.split("=", 1)[1])
        if raw == NULL_PARTITION:
            values.append(None)
        elif pa.types.is_integer(layout.schema.field(key).type):
            values.append(int(raw))
        else:
            values.append(raw)
    return tuple(values)


def _apply_marks(table: pa.Table, marks: dict[str, tuple]) -> pa.Table:
    if not marks:
        return table
    ids = table.column("doc_id").to_pylist()
    dup_of = table.column("dup_of").to_pylist()
    cluster = table.column("dup_cluster").to_pylist()
    for i, doc_id in enumerate(ids):
        if doc_id in marks:
            dup_of[i], cluster[i] = marks[doc_id]
    table = table.set_column(table.schema.get_field_index("dup_of"), table.schema.field("dup_of"),
                             pa.array(dup_of, pa.string()))
    return table.set_column(table.schema.get_field_index("dup_cluster"), table.schema.field("dup_cluster"),
                            pa.array(cluster, pa.string()))


def write_articles(records: list[dict], out_dir: Path) -> Path:
    """Kept for callers of the first skeleton: same as write_dataset without stats."""
    return write_dataset(records, out_dir, Stats())
