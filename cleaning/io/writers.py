"""Parquet output: hive-partitioned tables, the incremental articles dataset, and their one commit point.

Partition directories are `site_key=<site>/year_key=<year>` while `site` and `year`
stay in the files, so every file is self-contained and plain pandas / polars / DuckDB
reads work (docs/SCHEMA.md says why the keys are not named like the columns). A null
year is `year_key=0`, so `year_key` stays an integer in every reader (a null site is `site_key=none`, see partition_segment); a value whose directory name would pass MAX_PARTITION_NAME
bytes is cut and given a hash suffix (the full value is in the column).

Every partition is rewritten whole when touched (old rows + new rows, sorted, split
into as few files as the size cap allows), which is also the compaction.

One write is one transaction, under an exclusive lock (`OUT/.write.lock`):

1. every new partition content is staged under `OUT/.staging/<txn>/` (no reader globs
   it); a kill here leaves the dataset as it was, and the next writer drops the leftovers;
2. the plan (which staged directory goes where, in which order) is written atomically
   to `OUT/.commit.json`: this is the commit point;
3. the plan is applied: phase 1 swaps in every partition that gains or changes rows,
   each with one atomic directory exchange (`renameat2(RENAME_EXCHANGE)` on Linux), a
   partition that also loses rows to another one keeping them for now; phase 2 then
   swaps in (or removes) the partitions that lose rows. So every moved row is added
   before it is removed: a reader during steps 3, or after a kill there, can see a moved
   row twice (its old and new partition), never lose one;
4. the plan is deleted, then the staging folder.

A writer that finds `OUT/.commit.json` finishes that plan (each step is idempotent: a
swapped partition is recognised by the staged directory's inode) before anything else,
so the doubled rows of a killed run are gone before the next read-modify-write.
docs/RELIABILITY.md lists what a reader can see after a kill at each step.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import hashlib
import json
import os
import shutil
import time
import uuid
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from cleaning.steps.dedup import merge_dataset_clusters
from cleaning.steps.ids import stored_clashes
from cleaning.core.schema import (ARTICLES_LAYOUT, LAYOUTS, QUOTES_LAYOUT, quotes_table, MAX_PARTITION_NAME, NULL_PARTITION,
                                  NULL_STRING_PARTITION, PARTITION_SUFFIX, RENAMED_COLUMNS, TableLayout,
                                  records_to_table)
from cleaning.core.step import record_failure
from cleaning.io.atomic import atomic_write_text, exclusive_lock, fsync_dir, write_parquet
from cleaning.core.stats import Stats

PAUSE_ENV = "PRESSROOM_WRITE_PAUSE"  # test hook: seconds to sleep at each step of a write
CRASH_ENV = "PRESSROOM_WRITE_CRASH_AT"  # test hook: os._exit(137) at the n-th step of this process's writes
CRASH_EXIT = 137
COMMIT_LOG = ".commit.json"
LOCK_FILE = ".write.lock"
STAGING = ".staging"

_steps_taken = 0


def _step() -> None:
    """One point where a kill can land (a file staged, the plan written, a partition swapped, ...).

    The test hooks act here: CRASH_ENV=n ends the process at the n-th step as a SIGKILL would
    (no cleanup, no finally), PAUSE_ENV sleeps so that a real signal can land in between.
    """
    global _steps_taken
    _steps_taken += 1
    if (at := os.environ.get(CRASH_ENV)) and int(at) == _steps_taken:
        os._exit(CRASH_EXIT)
    if delay := float(os.environ.get(PAUSE_ENV) or 0):
        time.sleep(delay)


# ---------------------------------------------------------------- partitions


def partition_segment(key: str, value, string_key: bool = True) -> str:
    """One directory name, `site_key=amnesty.fr`, at most MAX_PARTITION_NAME bytes.

    A null integer key (the year) is `0`, typed like the other values by every reader (Hive's
    default partition would make plain `pd.read_parquet` fail: pyarrow cannot yet make a
    categorical holding a null); a null string key (the site) is `none`. No site is named `none` (a site is a registered host). A longer name keeps the longest prefix of the
    value that fits (whole characters, percent-encoded) and ends with `~` and 16 hex
    digits of the value's sha256: distinct values stay distinct, the value itself is in
    the column.
    """
    name = f"{key}{PARTITION_SUFFIX}="
    if value is None:
        return name + (NULL_STRING_PARTITION if string_key else NULL_PARTITION)
    text = str(value)
    encoded = quote(text, safe=".-_@")
    if len((name + encoded).encode()) <= MAX_PARTITION_NAME:
        return name + encoded
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    room = MAX_PARTITION_NAME - len(name) - 1 - len(digest)
    prefix = ""
    for ch in text:
        piece = quote(ch, safe=".-_@")
        if len(prefix) + len(piece) > room:
            break
        prefix += piece
    return f"{name}{prefix}~{digest}"


def partition_rel(layout: TableLayout, values: tuple) -> str:
    """`site_key=amnesty.fr/year_key=2025`, relative to the table's folder."""
    return "/".join(partition_segment(k, v, pa.types.is_string(layout.schema.field(k).type))
                    for k, v in zip(layout.partition_by, values))


def partition_dir(root: Path, layout: TableLayout, values: tuple) -> Path:
    return Path(root, partition_rel(layout, values)) if layout.partition_by else Path(root)


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
    """The table in exactly `schema`: files from older versions still merge.

    A column renamed since (RENAMED_COLUMNS, e.g. 1.1's `flags`) is read under its old name;
    a column the file does not have at all is nulls.
    """
    columns = []
    for f in schema:
        old = RENAMED_COLUMNS.get(f.name)
        if f.name in table.column_names:
            columns.append(table.column(f.name).cast(f.type))
        elif old in table.column_names:
            columns.append(table.column(old).cast(f.type))
        else:
            columns.append(pa.nulls(table.num_rows, f.type))
    return pa.Table.from_arrays(columns, schema=schema)


def _read_files(files: list[Path], layout: TableLayout) -> pa.Table | None:
    return pa.concat_tables(conform(pq.read_table(f), layout.schema) for f in files) if files else None


def read_partition(root: Path, layout: TableLayout, values: tuple) -> pa.Table | None:
    return _read_files(_own_files(partition_dir(root, layout, values), layout), layout)


def _own_files(directory: Path, layout: TableLayout) -> list[Path]:
    """The data files of one partition directory (not those of deeper partitions)."""
    if not directory.is_dir():
        return []
    return [p for p in data_files(directory) if p.parent == directory]


def split_by_partition(table: pa.Table, layout: TableLayout) -> dict[tuple, pa.Table]:
    keys = list(zip(*(table.column(k).to_pylist() for k in layout.partition_by))) if layout.partition_by \
        else [()] * table.num_rows
    rows_of: dict[tuple, list[int]] = defaultdict(list)
    for i, key in enumerate(keys):
        rows_of[key].append(i)
    return {key: table.take(pa.array(idx, pa.int64())) for key, idx in sorted(rows_of.items(), key=_sort_key)}


def _sort_key(item: tuple) -> tuple:
    return tuple((v is None, str(v)) for v in item[0])


def placed_files(root: Path, layout: TableLayout) -> dict[str, list[Path]]:
    """Data files by the partition folder they sit in ('' for files at the table's top)."""
    found: dict[str, list[Path]] = defaultdict(list)
    for path in data_files(root):
        rel = path.parent.relative_to(root).as_posix()
        found["" if rel == "." else rel].append(path)
    return dict(found)


# ---------------------------------------------------------------- staging and the commit point

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


def stage_partition(table: pa.Table, layout: TableLayout, staging: Path) -> Path:
    """Write a partition's complete new contents into a fresh staging directory."""
    directory = staging / f"part-{uuid.uuid4().hex}"
    directory.mkdir(parents=True)
    if layout.sort_by:
        table = table.sort_by([(c, "ascending") for c in layout.sort_by])
    for n, start in enumerate(range(0, max(table.num_rows, 1), layout.max_rows_per_file)):
        write_parquet(table.slice(start, layout.max_rows_per_file), directory / f"part-{n:05d}.parquet", layout)
        _step()
    fsync_dir(directory)
    return directory


def _is(path: Path, step: dict) -> bool:
    """Is `path` the directory staged for this step (same inode), wherever renames have taken it?"""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return False
    return st.st_ino == step["ino"] and st.st_dev == step["dev"]


def _apply(out: Path, step: dict, txn_dir: Path) -> bool:
    """One step of a plan; idempotent, so a plan cut short by a kill can be applied again from the start.

    False when a replace step cannot be done (its staged directory is gone).
    """
    target = out / step["target"]
    if step["op"] == "replace":
        staged = out / step["staged"]
        if _is(target, step):
            return True  # done before the kill
        if not _is(staged, step):
            return False
        target.parent.mkdir(parents=True, exist_ok=True)
        if not os.path.lexists(target):
            os.rename(staged, target)
        elif not _exchange(staged, target):
            # no atomic exchange on this platform: a moment where the partition is absent
            os.rename(target, txn_dir / f"old-{uuid.uuid4().hex}")
            _step()
            os.rename(staged, target)
        # the displaced contents are now in txn_dir (at `staged` after an exchange), removed with it
        fsync_dir(target.parent)
        _step()
        return True
    if os.path.lexists(target):  # "remove": a partition folder, or a file left by an older layout
        os.rename(target, txn_dir / f"gone-{uuid.uuid4().hex}")
        fsync_dir(target.parent)
        _step()
    table_root = out / Path(step["target"]).parts[0]
    parent = target.parent
    while parent != table_root and parent.is_dir() and not any(parent.iterdir()):
        parent.rmdir()  # a site folder left without years
        parent = parent.parent
    return True


def _apply_plan(out: Path, plan: dict) -> None:
    """Every step of a logged plan, then the plan and its staging folder go."""
    txn_dir = out / plan["txn"]
    txn_dir.mkdir(parents=True, exist_ok=True)
    failed = False
    steps = plan["steps"]
    for n, step in enumerate(steps):
        again = [s for s in steps[n + 1:] if s["op"] == "replace" and s["target"] == step["target"]]
        if any(_is(out / s["target"], s) for s in again):
            continue  # a later step of this plan already replaced this partition again
        if failed and step["phase"] == 2:
            continue  # a phase-1 copy is missing: keep the rows where they are (doubled, never lost)
        if not _apply(out, step, txn_dir):
            if any(_is(out / s["staged"], s) for s in again):
                continue  # this copy was swapped in, then out again by a later step that a kill cut short
            failed = True
    (out / COMMIT_LOG).unlink(missing_ok=True)
    fsync_dir(out)
    _step()
    shutil.rmtree(txn_dir, ignore_errors=True)


def recover(out_dir: Path) -> bool:
    """Finish the write a kill interrupted (its plan is in OUT/.commit.json), drop unlogged staging.

    Call with the write lock held. True when a plan was rolled forward.
    """
    out = Path(out_dir)
    log = out / COMMIT_LOG
    rolled = log.exists()
    if rolled:
        _apply_plan(out, json.loads(log.read_text(encoding="utf-8")))
    for leftover in sorted((out / STAGING).glob("*")):  # staged by a killed run before its commit point
        shutil.rmtree(leftover, ignore_errors=True)
    return rolled


def finish_interrupted_write(out_dir: Path) -> bool:
    """Take the write lock and finish (or drop) what a killed writer left; True when a plan was finished.

    Every writer does this first anyway; this is for readers who want the dataset settled now.
    """
    out = Path(out_dir)
    if not (out / COMMIT_LOG).exists() and not (out / STAGING).exists():
        return False
    with exclusive_lock(out / LOCK_FILE):
        return recover(out)


def settle_for_reading(out_dir: Path) -> None:
    """For readers (report, dedup): finish a write a killed run left half visible, so a moved row is
    counted once; on a folder this process may not write, read what is there."""
    try:
        finish_interrupted_write(out_dir)
    except OSError:
        pass


@dataclass
class Transaction:
    """The steps of one write: staged now, made visible together by commit()."""

    out: Path
    txn_dir: Path
    steps: list[dict] = field(default_factory=list)
    files: int = 0
    logged: bool = False

    def _rel(self, path: Path) -> str:
        return Path(path).relative_to(self.out).as_posix()

    def put(self, target: Path, table: pa.Table | None, layout: TableLayout, phase: int) -> None:
        """At commit, `target` holds exactly these rows (none: it is removed)."""
        if table is None or table.num_rows == 0:
            self.remove(target, phase)
            return
        staged = stage_partition(conform(table, layout.schema), layout, self.txn_dir)
        st = os.stat(staged)
        self.files += len(data_files(staged))
        self.steps.append({"phase": phase, "op": "replace", "target": self._rel(target), "staged": self._rel(staged),
                           "ino": st.st_ino, "dev": st.st_dev})

    def remove(self, target: Path, phase: int) -> None:
        self.steps.append({"phase": phase, "op": "remove", "target": self._rel(target)})

    def commit(self) -> None:
        if not self.steps:
            return
        steps = sorted(self.steps, key=lambda s: s["phase"])  # stable: phase 1 (gains) before phase 2 (losses)
        plan = {"txn": self._rel(self.txn_dir), "steps": steps}
        atomic_write_text(self.out / COMMIT_LOG, json.dumps(plan, ensure_ascii=False, indent=1))
        fsync_dir(self.out)
        self.logged = True  # from here the plan is the truth: a failure below is finished by the next writer
        _step()
        _apply_plan(self.out, plan)
        self.steps = []


@contextlib.contextmanager
def dataset_writer(out_dir: Path) -> Iterator[Transaction]:
    """The one writer of OUT: holds `OUT/.write.lock`, finishes an interrupted write, yields a Transaction.

    The transaction is committed when the block ends without error; on error nothing staged
    becomes visible (unless the commit point was already passed: then the next writer finishes it).
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    with exclusive_lock(out / LOCK_FILE):
        recover(out)
        txn = Transaction(out, out / STAGING / f"txn-{uuid.uuid4().hex}")
        txn.txn_dir.mkdir(parents=True)
        try:
            yield txn
            txn.commit()
        finally:
            if not txn.logged or not (out / COMMIT_LOG).exists():
                shutil.rmtree(txn.txn_dir, ignore_errors=True)


# ---------------------------------------------------------------- generic tables (boilerplate)


def _plan_table(txn: Transaction, table: pa.Table, name: str, key: tuple[str, ...] | None) -> int:
    """Stage `OUT/<name>/` partitions for `table`; returns the partitions touched.

    key=None: every partition present in `table` is replaced by its rows.
    key=("site", "fingerprint"): rows are merged into the existing partition, new rows winning.
    Files of an older layout at the table's top (`boilerplate/part-0.parquet`) are re-homed
    into their partitions (phase 1), then removed (phase 2).
    """
    layout = LAYOUTS[name]
    root = txn.out / name
    placed = placed_files(root, layout)
    top = placed.pop("", [])
    legacy = split_by_partition(_read_files(top, layout), layout) if top else {}
    new = split_by_partition(conform(table, layout.schema), layout)
    touched = 0
    for values in sorted(set(new) | set(legacy), key=lambda v: _sort_key((v,))):
        target = partition_dir(root, layout, values)
        olds = [t for t in (read_partition(root, layout, values), legacy.get(values)) if t is not None]
        old = pa.concat_tables(olds) if olds else None
        part = new.get(values)
        if part is None:
            merged = old
        elif key and old is not None:
            new_keys = pa.Table.from_arrays([part.column(k) for k in key], names=list(key))
            merged = pa.concat_tables([conform(old.join(new_keys, keys=list(key), join_type="left anti"),
                                               layout.schema), part])
        else:
            merged = part
        txn.put(target, merged, layout, phase=1)
        touched += 1
    for path in top:
        txn.remove(path, phase=2)
    return touched


def write_table_partitions(table: pa.Table, out_dir: Path, name: str, key: tuple[str, ...] | None = None,
                           stats: Stats | None = None) -> Path:
    """Generic writer for `OUT/<name>/` (e.g. the boilerplate table), one commit."""
    with dataset_writer(out_dir) as txn:
        touched = _plan_table(txn, table, name, key)
        files = txn.files
    if stats is not None:
        stats.inc(f"write/{name}_partitions", touched)
        stats.inc(f"write/{name}_files", files)
    return Path(out_dir) / name


# ---------------------------------------------------------------- the articles dataset

INDEX_COLUMNS = ["doc_id", "site", "year", "url", "canonical_url", "content_hash", "prev_content_hash",
                 "published_at", "fetched_at", "word_count", "dup_of", "dup_cluster"]


def in_partition(path: Path, root: Path, layout: TableLayout) -> bool:
    """Is this file inside a `key=value/...` directory of the layout (not a stray or legacy file)?"""
    parts = path.parent.relative_to(root).parts
    return len(parts) == len(layout.partition_by) and all(
        part.startswith(f"{key}{PARTITION_SUFFIX}=") for part, key in zip(parts, layout.partition_by))


def read_index(root: Path, layout: TableLayout = ARTICLES_LAYOUT) -> list[dict]:
    """The small columns of every row already in the dataset, with the folder it sits in ('' at the top)."""
    rows = []
    for partition, paths in sorted(placed_files(root, layout).items()):
        for path in paths:
            present = set(pq.read_schema(path).names)
            table = pq.read_table(path, columns=[c for c in INDEX_COLUMNS if c in present])
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
    """Among copies of one doc_id left by a killed run or an older layout, the one to keep."""
    return max(rows, key=lambda r: (r.get("fetched_at") is not None, r.get("fetched_at") or 0, r["_partition"]))


def _path_problem(path: Path) -> str | None:
    """Why this partition folder could not be created (a name or path too long), or None."""
    probe = path
    while not probe.exists():
        probe = probe.parent
    try:
        name_max, path_max = os.pathconf(probe, "PC_NAME_MAX"), os.pathconf(probe, "PC_PATH_MAX")
    except (OSError, ValueError):
        name_max, path_max = 255, 4096
    if any(len(part.encode()) > name_max for part in path.parts):
        return f"partition folder name longer than {name_max} bytes"
    if len(str(path).encode()) + 64 > path_max:  # room for the staging and file names
        return f"partition path longer than {path_max} bytes"
    return None


def _writable(rows: list[dict], root: Path, stats: Stats) -> list[dict]:
    """The records that can be written; each one that cannot is reported (stats error) and left out."""
    def reject(row: dict, exc: Exception) -> None:
        record_failure(stats, str(row.get("input") or row.get("doc_id") or "?"), "write", exc)

    ok = []
    for row in rows:
        if not row.get("doc_id"):
            reject(row, ValueError("record without a doc_id"))
        elif problem := _path_problem(partition_dir(root, ARTICLES_LAYOUT, partition_values(row, ARTICLES_LAYOUT))):
            reject(row, OSError(errno.ENAMETOOLONG, problem))
        else:
            ok.append(row)
    try:
        records_to_table(ok)
        return ok
    except (pa.ArrowException, TypeError, ValueError, OverflowError):
        pass
    good = []
    for row in ok:  # find the culprits
        try:
            records_to_table([row])
        except (pa.ArrowException, TypeError, ValueError, OverflowError) as exc:
            reject(row, exc)
        else:
            good.append(row)
    return good


QUOTES_SINCE = (1, 3)  # schema version that added `quotes/`: older articles partitions have none yet


def _schema_version(schema: pa.Schema) -> tuple[int, ...]:
    raw = (schema.metadata or {}).get(b"schema_version", b"0")
    try:
        return tuple(int(x) for x in raw.decode().split("."))
    except ValueError:
        return (0,)


def _outdated(root: Path, layout: TableLayout = ARTICLES_LAYOUT) -> list[str]:
    """Partition folders holding a file of an older schema: a column missing or under its old
    name, or written before `quotes/` existed (rewriting the partition derives its quotes)."""
    wanted = set(layout.schema.names)

    def old(path: Path) -> bool:
        schema = pq.read_schema(path)
        return not wanted <= set(schema.names) or _schema_version(schema) < QUOTES_SINCE

    return [rel for rel, paths in sorted(placed_files(root, layout).items()) if rel and any(old(p) for p in paths)]


def _misplaced(root: Path, index: list[dict]) -> list[dict]:
    """Full rows to re-home: the kept copy of each doc_id whose folder is not the one its values give.

    Folders of an older layout (`year_key=none`, a file at the table's top) and a copy a
    killed older writer left behind are found this way.
    """
    layout = ARTICLES_LAYOUT
    copies: dict[str, list[dict]] = defaultdict(list)
    for row in index:
        copies[row["doc_id"]].append(row)
    wanted: dict[str, set[str]] = defaultdict(set)  # folder -> doc_ids to take from it
    for doc_id, rows in copies.items():
        keep = _newest(rows)
        if keep["_partition"] != partition_rel(layout, partition_values(keep, layout)):
            wanted[keep["_partition"]].add(doc_id)
    return _full_rows(root, wanted)


def _full_rows(root: Path, wanted: dict[str, set[str]]) -> list[dict]:
    """Every column of the given doc_ids, read from the given folders (one row per doc_id)."""
    if not wanted:
        return []
    placed = placed_files(root, ARTICLES_LAYOUT)
    rows = []
    for folder in sorted(wanted):
        table = _read_files(placed[folder], ARTICLES_LAYOUT)
        table = table.filter(pc.is_in(table.column("doc_id"), pa.array(sorted(wanted[folder]))))
        rows.extend(_one_per_doc_id(table.to_pylist(), Stats()))
    return rows


def _without_clashes(records: list[dict], root: Path, index: list[dict], stats: Stats) -> tuple[list[dict], set[str]]:
    """The records to merge, no page taking a stored page's id (decided by `steps.ids.stored_clashes`).

    A stored row that must leave its id is read whole and given again, first, under its new
    id (so a fetch of that page in this run, given later, wins over it). Also returned: the
    ids so freed, whose new record is another page (new, not a change of the stored row).
    """
    copies: dict[str, list[dict]] = defaultdict(list)
    for row in index:
        copies[row["doc_id"]].append(row)
    existing = {doc_id: _newest(rows) for doc_id, rows in sorted(copies.items())}
    records, moved = stored_clashes(records, [(d, r.get("url"), r.get("content_hash")) for d, r in existing.items()],
                                    stats)
    wanted: dict[str, set[str]] = defaultdict(set)
    for doc_id in moved:
        wanted[existing[doc_id]["_partition"]].add(doc_id)
    again = []
    for row in _full_rows(root, wanted):
        row["doc_id"], row["canonical_url"] = moved[row["doc_id"]]
        again.append(row)
    return again + records, set(moved)


def write_dataset(records: list[dict], out_dir: Path, stats: Stats, boilerplate: pa.Table | None = None) -> Path:
    """Merge article records into `OUT/articles/` (one row per doc_id) and return that directory.

    A changed page (new content_hash) replaces its row and keeps the old hash in
    `prev_content_hash`; a record taking a stored row's doc_id from another fetched URL with
    other content is another page, kept under its own URL's id (`steps.ids.stored_clashes`).
    Duplicate clusters are re-derived over old and new rows (same body hash, same folded
    URL, earlier clusters), so a release already in the dataset is not kept twice because it
    came back under another URL.
    `boilerplate` (the run's site-model table) is merged per site into `OUT/boilerplate/`
    in the same commit. A record that cannot be written is reported in `stats` and left out.
    """
    root = Path(out_dir) / "articles"
    with dataset_writer(out_dir) as txn:
        index = read_index(root)
        if misplaced := _misplaced(root, index):  # an older layout: re-home first, in its own commit
            _plan_articles(misplaced, root, txn, Stats(), index)
            txn.commit()
            stats.inc("write/legacy_rows_migrated", len(misplaced))
            index = read_index(root)
        if outdated := _outdated(root):  # files of an older schema: converted whole, in a commit of their own
            placed = placed_files(root, ARTICLES_LAYOUT)
            for rel in outdated:
                _put_articles(txn, root / rel, _read_files(placed[rel], ARTICLES_LAYOUT), phase=1)
            txn.commit()
            stats.inc("write/legacy_partitions_converted", len(outdated))
            index = read_index(root)
        records, freed = _without_clashes(records, root, index, stats)
        _plan_articles(records, root, txn, stats, index, freed)
        if boilerplate is not None:
            stats.inc("write/boilerplate_partitions", _plan_table(txn, boilerplate, "boilerplate",
                                                                 ("site", "fingerprint")))
    return root


def _plan_articles(records: list[dict], root: Path, txn: Transaction, stats: Stats, index: list[dict],
                   freed: set[str] = frozenset()) -> None:
    """Stage one merge: every partition gaining or changing rows in phase 1, those losing rows in phase 2.

    `freed`: doc_ids whose stored row moved to another id; their record is a new page.

    A partition that both gains rows and loses some to another partition keeps the leaving
    rows in its phase-1 copy, so a moved row is in its new partition before it leaves the old.
    """
    layout = ARTICLES_LAYOUT
    new_rows = _writable(_one_per_doc_id(records, stats), root, stats)
    new_ids = {r["doc_id"] for r in new_rows}
    copies: dict[str, list[dict]] = defaultdict(list)
    for row in index:
        copies[row["doc_id"]].append(dict(row))

    home: dict[str, str] = {r["doc_id"]: partition_rel(layout, partition_values(r, layout)) for r in new_rows}
    drop: dict[str, set[str]] = defaultdict(set)  # folder -> doc_ids leaving it (or replaced in it)
    for doc_id, rows in copies.items():
        keep = None if doc_id in new_ids else _newest(rows)
        if keep is not None:
            home[doc_id] = keep["_partition"]
        for row in rows:
            if row is not keep:
                drop[row["_partition"]].add(doc_id)
    existing = {doc_id: _newest(rows) for doc_id, rows in copies.items()}

    for row in new_rows:
        old = None if row["doc_id"] in freed else existing.get(row["doc_id"])
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
    updates: dict[str, dict[str, tuple]] = defaultdict(dict)  # folder -> doc_id -> (dup_of, dup_cluster)
    for row in kept_old:
        a = assignments.get(row["doc_id"])
        marks = (a.dup_of, a.dup_cluster) if a else (None, None)
        if marks != (row.get("dup_of"), row.get("dup_cluster")):
            updates[row["_partition"]][row["doc_id"]] = marks
            stats.inc("dedup/cross_run")

    incoming: dict[str, pa.Table] = {}
    if new_rows:
        for values, table in split_by_partition(records_to_table(new_rows), layout).items():
            incoming[partition_rel(layout, values)] = table
    placed = placed_files(root, layout)
    touched = sorted(set(incoming) | set(drop) | set(updates))
    for rel in touched:
        old = _read_files(placed.get(rel, []), layout)
        final, leaving = [], None
        if old is not None:
            ids, seen, stays, leaves = old.column("doc_id").to_pylist(), set(), [], []
            for d in ids:  # one row per doc_id: the kept copy stays, a replaced one goes, a moved one leaves
                stay = home.get(d, rel) == rel and d not in new_ids and d not in seen
                seen.add(d)
                stays.append(stay)
                leaves.append(home.get(d, rel) != rel)
            final.append(_apply_marks(old.filter(pa.array(stays, pa.bool_())), updates.get(rel, {})))
            leaving = old.filter(pa.array(leaves, pa.bool_()))
        if rel in incoming:
            final.append(incoming[rel])
        final_table = pa.concat_tables(final) if final else None
        if rel == "":  # files of an older layout at the table's top: their rows were re-homed
            if final_table is None or final_table.num_rows == 0:
                for path in placed.get(rel, []):
                    txn.remove(path, phase=2)
            continue
        target = root / rel
        loses = leaving is not None and leaving.num_rows > 0
        changed = rel in incoming or rel in updates
        if changed:
            _put_articles(txn, target, pa.concat_tables([final_table, leaving]) if loses else final_table, phase=1)
        if loses or (not changed and (final_table.num_rows if final_table else 0) != (old.num_rows if old else 0)):
            _put_articles(txn, target, final_table, phase=2)
    stats.inc("write/partitions_rewritten", len([r for r in touched if r]))
    stats.inc("write/files", txn.files)


def _put_articles(txn: Transaction, target: Path, table: pa.Table | None, phase: int) -> None:
    """Stage an articles partition and, in the same step of the plan, its quotes partition.

    `quotes/` is a projection of `articles/` with the same folders: whenever an articles
    partition is rewritten its quotes are derived again from the very rows written, so the
    two tables can never disagree after a commit.
    """
    txn.put(target, table, ARTICLES_LAYOUT, phase)
    quotes_target = txn.out / "quotes" / Path(target).relative_to(txn.out / "articles")
    quotes = quotes_table(conform(table, ARTICLES_LAYOUT.schema)) if table is not None and table.num_rows else None
    txn.put(quotes_target, quotes, QUOTES_LAYOUT, phase)  # none: removed (a no-op when it is not there)


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
