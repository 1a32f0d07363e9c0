"""Turn inputs (raw crawl Parquet, HTML folders, WARC, JSONL, text dumps) into SourceRecords.

Every reader yields SourceRecord objects; an unreadable input is reported to Stats
and skipped, never raised, so one bad file cannot end a run.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterable, Iterator
from pathlib import Path

from cleaning.schema import SourceRecord
from cleaning.stats import Stats


def read_inputs(paths: Iterable[str | Path], stats: Stats) -> Iterator[SourceRecord]:
    for path in map(Path, paths):
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            try:
                yield from _read_file(file)
            except Exception as exc:  # noqa: BLE001 - one bad input never ends the run
                stats.error(str(file), "read", f"{type(exc).__name__}: {exc}")


def _read_file(file: Path) -> Iterator[SourceRecord]:
    name = file.name.lower()
    if name.endswith((".html", ".htm", ".html.gz", ".htm.gz")):
        raw = file.read_bytes()
        if name.endswith(".gz"):
            raw = gzip.decompress(raw)
        yield SourceRecord(input=str(file), source="html", html=raw.decode("utf-8", errors="replace"))
    elif name.endswith((".jsonl", ".jsonl.gz")):
        opener = gzip.open if name.endswith(".gz") else open
        with opener(file, "rt", encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                obj = json.loads(line)
                yield SourceRecord(input=f"{file}#{n}", source="jsonl", url=obj.get("url"),
                                   html=obj.get("html"), text=obj.get("text"))
    elif name.endswith(".txt"):
        yield SourceRecord(input=str(file), source="dump", text=file.read_text(encoding="utf-8"))
    else:
        raise ValueError("unsupported input type (expected raw .parquet, .html[.gz], .warc[.gz], .jsonl, .txt)")
