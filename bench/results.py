"""bench/RESULTS.md: each benchmark owns one `## ` section and replaces only that one."""

from __future__ import annotations

from pathlib import Path


def write_results_section(path: Path, section: str) -> None:
    """Replace (or append) the section whose heading is `section`'s first line; others stay byte-identical."""
    heading = section.split("\n", 1)[0]
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmark results\n"
    start = text.find(heading)
    if start == -1:
        text = text.rstrip("\n") + "\n\n" + section.rstrip("\n") + "\n"
    else:
        nxt = text.find("\n## ", start + len(heading))
        text = text[:start] + (section if nxt != -1 else section.rstrip("\n") + "\n") + ("" if nxt == -1 else text[nxt + 1:])
    path.write_text(text, encoding="utf-8")
