"""Checks made before any work starts, so a job never fails after an hour for a reason known at once.

Each raises what `pressroom.errors.explain` turns into one line: UsageError (exit 2) for a bad
argument, OSError for an output folder that cannot be written, DamagedDataset for a file already
in the output that a merge could not read.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from pressroom.errors import DamagedDataset, UsageError


def check_out(out: Path, command: str) -> None:
    """--out is a folder we can write to (created when missing)."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise UsageError(f"pressroom {command}: --out {out} is a file, not a folder — give a folder "
                         "(it is created when missing)")
    for parent in (out, *out.parents):
        if parent.exists() and not parent.is_dir():
            raise UsageError(f"pressroom {command}: --out {out}: {parent} is a file, not a folder")
    out.mkdir(parents=True, exist_ok=True)  # PermissionError names the folder
    fd, probe = tempfile.mkstemp(prefix=".pressroom-probe-", dir=out)
    os.close(fd)
    os.unlink(probe)


def check_inputs(inputs: list[str], command: str) -> None:
    """Every input exists: a typo stops the job before any stage runs, not after all four."""
    missing = [i for i in inputs if i != "-" and not Path(i).exists()]  # "-" is standard input
    if missing:
        names = ", ".join(missing)
        raise UsageError(f"pressroom {command}: no such input: {names} — check the path"
                         f"{'s' if len(missing) > 1 else ''}; nothing was processed")


def check_dataset(out: Path) -> None:
    """Every Parquet file already in OUT/articles/ can be read (its footer), so a merge into it can run."""
    import pyarrow.parquet as pq

    from cleaning.io.writers import data_files

    for path in data_files(Path(out) / "articles"):
        try:
            pq.read_metadata(path)
        except Exception as exc:  # noqa: BLE001 - whatever pyarrow says, the file is named
            raise DamagedDataset(path, f"{type(exc).__name__}: {exc}".splitlines()[0][:200]) from exc
