"""What people see in the terminal: summaries, progress, one clear line per error."""

from __future__ import annotations

import sys
from pathlib import Path

from cleaning.core.stats import Stats


def print_clean_summary(path: Path | None, stats: Stats, file=None) -> None:
    file = file or sys.stdout  # looked up at call time: sys.stdout may be swapped (tests, pipes)
    n = stats["write/records"]
    if path is None:
        print("no records were produced", file=file)
    else:
        print(f"wrote {n} records to {path}", file=file)
    from pressroom.errors import explain

    for err in stats.errors:
        print(explain(err), file=sys.stderr)
