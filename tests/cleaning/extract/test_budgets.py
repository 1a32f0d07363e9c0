"""Budgets of the extract stage: over-deep and over-large pages are cut, quickly, and reported per page."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from cleaning.core.htmldepth import MAX_HTML_DEPTH, cap_depth
from cleaning.core.options import CleanOptions
from cleaning.core.schema import SourceRecord
from cleaning.core.stats import Stats
from cleaning.extract.documents import extract_documents

REPO = Path(__file__).resolve().parents[3]
INTRO = "The ministry announced a new programme for rural schools on Monday."
OUTRO = "Press contact: the communications office answers on weekdays."


def deep_page(depth: int) -> str:
    return (f"<html><body><main><h1>Rural schools</h1><p>{INTRO}</p>" + "<div>" * depth + "lost in the depths"
            + "</div>" * depth + f"<p>{OUTRO}</p></main></body></html>")


def test_cap_depth_cuts_only_the_over_deep_part():
    capped = cap_depth(deep_page(50), max_depth=10)
    assert capped.capped and capped.max_depth == 51  # <main> and 50 <div>s (html, body: not counted)
    assert INTRO in capped.html and OUTRO in capped.html and "lost in the depths" not in capped.html
    assert capped.html.count("<div>") == capped.html.count("</div>") == 9  # main is the 1st level


def test_cap_depth_leaves_ordinary_pages_alone():
    page = deep_page(40) + "<p>unclosed<p>paragraphs<li>and items<br><img src=x>" * 2000  # no end tags: not deep
    capped = cap_depth(page, max_depth=100)
    assert not capped.capped and capped.html is page


def test_a_100k_deep_page_finishes_quickly_and_keeps_its_text(tmp_path):
    script = f"""
import json, sys
sys.path.insert(0, {str(REPO)!r})
from cleaning.core.options import CleanOptions
from cleaning.core.schema import SourceRecord
from cleaning.core.stats import Stats
from cleaning.extract.documents import extract_documents
from tests.cleaning.extract.test_budgets import deep_page
stats = Stats()
[doc] = extract_documents(SourceRecord(input="deep.html", source="html", url="https://ex.org/deep/",
                                       html=deep_page(100_000)), CleanOptions(), stats)
print(json.dumps({{"text": [b.text for b in doc.blocks], "flags": doc.quality_flags, "counts": dict(stats.counts),
                  "notes": stats.notes}}))
"""
    start = time.monotonic()
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    elapsed = time.monotonic() - start
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert elapsed < 20  # was about 60 s (lexbor's parse is quadratic in depth); generous on a loaded machine
    out = json.loads(proc.stdout)
    assert INTRO in out["text"] and OUTRO in out["text"]
    assert "depth_capped" in out["flags"] and out["counts"]["extract/depth_capped"] == 1
    assert out["notes"]["depth_capped"] == [{"input": "deep.html", "url": "https://ex.org/deep/", "depth": 100_001,
                                             "kept_depth": MAX_HTML_DEPTH}]


def test_an_oversized_page_is_cut_and_named():
    stats = Stats()
    html = f"<html><body><p>{INTRO}</p>" + "<p>filler paragraph of the page.</p>" * 200 + "</body></html>"
    [doc] = extract_documents(SourceRecord(input="big.html", source="html", url="https://ex.org/big/", html=html),
                              CleanOptions(max_input_bytes=2000), stats)
    assert "truncated" in doc.quality_flags and stats["extract/truncated"] == 1
    assert stats.notes["truncated"] == [{"input": "big.html", "url": "https://ex.org/big/", "chars": len(html),
                                         "kept": 2000}]
    assert INTRO in [b.text for b in doc.blocks]


def test_a_shallow_page_is_not_flagged():
    stats = Stats()
    [doc] = extract_documents(SourceRecord(input="ok.html", source="html", html=deep_page(30)), CleanOptions(), stats)
    assert "depth_capped" not in doc.quality_flags and not stats["extract/depth_capped"] and "lost in the depths" in \
        " ".join(b.text for b in doc.blocks)
