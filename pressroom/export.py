"""`pressroom export DIR`: a table of a run as JSON lines or CSV, for tools that do not read Parquet.

The rows stream from the Parquet files batch by batch (a pyarrow.dataset scanner), so a
dataset of any size is never loaded whole. Columns and their order are the table's schema
(cleaning.core.schema, docs/SCHEMA.md); rows come in file order (partitions sorted by path,
each sorted by the writer), so the same dataset always gives the same bytes.

- JSON lines: one object per row; nested columns (quotes, paragraphs, removed, ...) stay
  nested; timestamps are ISO 8601 with their offset; null is null.
- CSV (RFC 4180, a header line): nested columns are JSON text in their cell; timestamps
  ISO 8601; booleans true / false; null is an empty cell.

An output file (`-o FILE`) is written under a temp name and renamed when complete: a
failure or Ctrl-C leaves no half file (and an older FILE untouched).
"""

from __future__ import annotations

import base64
import csv
import json
import math
import sys
from collections.abc import Iterator
from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from pressroom.errors import DamagedDataset, UsageError

if TYPE_CHECKING:  # pyarrow is imported by the work, not by `pressroom --help`
    import pyarrow as pa

FORMATS = ("jsonl", "csv")
TABLES = ("articles", "quotes", "boilerplate")
KEY_COLUMN = {"articles": "doc_id", "quotes": "quote_index", "boilerplate": "fingerprint"}  # a file without it is not that table
BATCH_ROWS = 1_000  # rows per scanned batch: articles are ~10-30 kB each, so a batch is tens of MB at most
_SUFFIX_FORMATS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl", ".csv": "csv"}


def format_for(output: Path | None, given: str | None) -> str:
    """--format when given, else the output file's suffix (.csv, .jsonl / .ndjson), else JSON lines."""
    if given:
        return given
    return _SUFFIX_FORMATS.get(output.suffix.lower(), "jsonl") if output is not None else "jsonl"


def table_root(dir: Path, table: str) -> Path:
    """DIR/<table>/ when DIR is the --out folder of a run, else DIR when it is the table's own folder."""
    dir = Path(dir)
    if not dir.is_dir():
        raise UsageError(f"pressroom export: {dir} is not a folder — give the --out folder of a run "
                         f"(it holds articles/ and boilerplate/)")
    if (dir / table).is_dir():
        return dir / table
    if dir.name == table or any(dir.glob("*.parquet")) or any(p.is_dir() and "=" in p.name for p in dir.iterdir()):
        return dir  # the table's own folder: files, or hive partitions (site_key=...)
    raise UsageError(f"pressroom export: no {table} table under {dir} — give the --out folder of a run "
                     f"(it holds {table}/; run `pressroom clean` first)")


def table_files(dir: Path, table: str) -> list[Path]:
    """The Parquet files of `table` under DIR, each checked (its footer) before any row is written.

    Raises UsageError (exit 2) when DIR holds no such table, DamagedDataset when a file cannot be read.
    """
    import pyarrow.parquet as pq

    from cleaning.io.writers import data_files

    root = table_root(dir, table)
    files = data_files(root)
    if not files:
        raise UsageError(f"pressroom export: no {table} table under {dir} — no Parquet file in {root} "
                         f"(run `pressroom clean` first)")
    for path in files:
        try:
            names = pq.read_schema(path).names
        except Exception as exc:  # noqa: BLE001 - whatever pyarrow says, the file is named
            raise DamagedDataset(path, f"{type(exc).__name__}: {exc}".splitlines()[0][:200]) from exc
        if KEY_COLUMN[table] not in names:
            raise UsageError(f"pressroom export: {root} is not a pressroom {table} table ({path} has no "
                             f"{KEY_COLUMN[table]} column) — give the --out folder of a run")
    return files


def scan_batches(files: list[Path], table: str, batch_rows: int | None = None) -> Iterator[pa.RecordBatch]:
    """The table's rows in the table's schema, batch by batch (files older than a column give nulls)."""
    import pyarrow.dataset as ds

    from cleaning.core.schema import LAYOUTS

    dataset = ds.dataset([str(f) for f in files], schema=LAYOUTS[table].schema, format="parquet")
    scanner = dataset.scanner(batch_size=batch_rows or BATCH_ROWS, batch_readahead=1, fragment_readahead=1)
    yield from scanner.to_batches()  # in fragment order: deterministic


def _plain(value):
    """A value JSON can hold: ISO 8601 for times, base64 for bytes, null for NaN, lists and dicts walked."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _json(value) -> str:
    return json.dumps(_plain(value), ensure_ascii=False, allow_nan=False)


def _cell(value) -> str:
    if value is None or isinstance(value, float) and not math.isfinite(value):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        return _json(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value)


def write_rows(batches: Iterator[pa.RecordBatch], names: list[str], fmt: str, out: TextIO) -> int:
    """Write every row in `fmt` to `out`; the number of rows."""
    rows = 0
    writer = None
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(names)
    for batch in batches:
        for row in batch.to_pylist():
            if writer is not None:
                writer.writerow([_cell(row[n]) for n in names])
            else:
                out.write(_json({n: row[n] for n in names}) + "\n")
        rows += batch.num_rows
    return rows


def export(dir: Path, fmt: str, table: str = "articles", output: Path | None = None, *, quiet: bool = False) -> int:
    """`pressroom export`: exit code; rows to `output` (atomically) or to stdout."""
    from cleaning.core.schema import LAYOUTS
    from cleaning.io.atomic import atomic_text_file
    from pressroom.console import plural
    from pressroom.exitcodes import EXIT_OK

    if output is not None and str(output) != "-" and Path(output).is_dir():
        raise UsageError(f"pressroom export: -o {output} is a folder — give a file name, e.g. {output}/{table}.{fmt}")
    files = table_files(dir, table)
    names = LAYOUTS[table].schema.names
    if output is None or str(output) == "-":
        write_rows(scan_batches(files, table), names, fmt, sys.stdout)
        return EXIT_OK
    with atomic_text_file(Path(output), newline="" if fmt == "csv" else None) as fh:
        rows = write_rows(scan_batches(files, table), names, fmt, fh)
    if not quiet:
        print(f"pressroom export: wrote {plural(rows, 'row')} of {table} to {output} ({fmt})", file=sys.stderr)
    return EXIT_OK
