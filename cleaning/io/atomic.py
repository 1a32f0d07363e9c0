"""Single files written so that a reader or a kill only ever sees the old file or the new one (temp file, fsync, rename)."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

import pyarrow as pa
import pyarrow.parquet as pq

if TYPE_CHECKING:
    from cleaning.core.schema import TableLayout


def atomic_write_text(path: Path, text: str) -> None:
    with atomic_text_file(path) as fh:
        fh.write(text)


@contextlib.contextmanager
def atomic_text_file(path: Path, newline: str | None = None) -> Iterator[TextIO]:
    """A text file written bit by bit under a temp name, renamed to `path` only when the block ends well.

    An exception (or Ctrl-C) inside the block removes the temp file: `path` keeps its old content, if any.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline=newline) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_parquet(table: pa.Table, path: Path, layout: TableLayout | None = None) -> Path:
    """Write one Parquet file with the table's layout settings (not atomic: use in staging)."""
    kwargs = {}
    if layout is not None:
        names = set(parquet_paths(table.schema))
        kwargs["use_dictionary"] = [c for c in layout.dictionary_columns if c in names]
        kwargs["row_group_size"] = layout.row_group_rows
    pq.write_table(table, path, compression="zstd", write_statistics=True, **kwargs)
    fsync_file(path)
    return Path(path)


def atomic_write_table(table: pa.Table, path: Path, layout: TableLayout | None = None) -> Path:
    """Write one Parquet file under a temp name, then rename it into place."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        write_parquet(table, Path(tmp), layout)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def parquet_paths(schema: pa.Schema) -> Iterator[str]:
    def walk(prefix: str, type_: pa.DataType) -> Iterator[str]:
        if pa.types.is_list(type_):
            yield from walk(f"{prefix}.list.element", type_.value_type)
        elif pa.types.is_struct(type_):
            for child in type_:
                yield from walk(f"{prefix}.{child.name}", child.type)
        else:
            yield prefix

    for f in schema:
        yield from walk(f.name, f.type)


def fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        fsync_file(path)
