"""Counters of `step/event` keys that add up across workers and land in data/reports/."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path


class Stats:
    def __init__(self, counts: dict[str, int] | None = None, errors: list[dict] | None = None,
                 notes: dict[str, list[dict]] | None = None):
        self.counts: Counter[str] = Counter(counts or {})
        self.errors: list[dict] = list(errors or [])
        self.notes: dict[str, list[dict]] = {k: list(v) for k, v in (notes or {}).items()}

    def inc(self, key: str, n: int = 1) -> None:
        self.counts[key] += n

    def error(self, input: str, step: str, message: str, trace: str | None = None) -> None:
        """A per-input error: counted, kept for the run summary (with the traceback when there is one), never raised."""
        self.counts[f"{step}/errors"] += 1
        self.errors.append({"input": input, "step": step, "error": message} | ({"traceback": trace} if trace else {}))

    def note(self, key: str, entry: dict) -> None:
        """An event worth listing in full (e.g. two inputs sharing one doc_id), under `notes[key]`."""
        self.notes.setdefault(key, []).append(entry)

    def merge(self, other: "Stats") -> "Stats":
        self.counts.update(other.counts)
        self.errors.extend(other.errors)
        for key, entries in other.notes.items():
            self.notes.setdefault(key, []).extend(entries)
        return self

    def __getitem__(self, key: str) -> int:
        return self.counts.get(key, 0)

    def to_dict(self) -> dict:
        notes = {"notes": dict(sorted(self.notes.items()))} if self.notes else {}
        return {"counts": dict(sorted(self.counts.items())), "errors": self.errors} | notes

    def save(self, path: Path, settings: dict | None = None) -> None:
        """Write the counts and errors (and the run's settings, for the report) atomically."""
        from cleaning.io.atomic import atomic_write_text

        data = self.to_dict() | ({"settings": settings} if settings else {})
        atomic_write_text(path, json.dumps(data, indent=2, ensure_ascii=False, default=str))
