"""Every real page of the shared bench data goes through pressroom without an exception, and keeps a body.

- every page through `clean_html` (one page, no site context) and through `clean_pages` with the
  other pages of its registered domain: no exception, a record for every page;
- wherever bare `trafilatura.extract(html)` finds a body of 50 words or more, pressroom's body is
  not empty (in both modes).

Pages already known to lose their body are listed in bench/known-empty-bodies.json: a page not
listed fails the test, and so does a listed page that has a body again (the list only shrinks).
By default the pages are the fixed subset the extraction floors use (every k-th page, about
100 s); PRESSROOM_BENCH_FULL=1 runs all of them (about 10 minutes on 2 cores).
The data is not in the repository: skipped with a reason when the bench data folder is absent.
"""

import json
import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench import extraction  # noqa: E402

pytestmark = [pytest.mark.slow, pytest.mark.bench_data]
KNOWN_EMPTY = set(json.loads((extraction.REPO / "bench" / "known-empty-bodies.json").read_text())["pages"])
MIN_WITNESS_WORDS = 50


@pytest.fixture(scope="module")
def bench_run():
    data = extraction.find_data_dir()
    if data is None or not data.is_dir():
        pytest.skip("no shared bench data (../shared/bench, /work/shared/bench or $PRESSROOM_BENCH_DATA): "
                    "it is not part of the repository")
    full = os.environ.get("PRESSROOM_BENCH_FULL", "") not in ("", "0")
    sample = None if full else json.loads(extraction.FLOORS_FILE.read_text(encoding="utf-8"))["sample"]
    pages = extraction.load_all(data, sample=sample)
    if not pages:
        pytest.skip(f"no zyte/ or wcxb/ pages under {data}")
    runs = extraction.run_all(pages, systems=(extraction.OURS, extraction.BATCH, extraction.BASELINE))
    return pages, {r.name: r for r in runs}


@pytest.mark.timeout(1200)
@pytest.mark.parametrize("system", [extraction.OURS, extraction.BATCH])
def test_no_page_raises(bench_run, system):
    pages, runs = bench_run
    errors = runs[system].errors
    assert not errors, f"{len(errors)} of {len(pages)} pages raised:\n" + "\n".join(
        f"{key}: {err}" for key, err in sorted(errors.items()))


@pytest.mark.timeout(1200)
@pytest.mark.parametrize("system", [extraction.OURS, extraction.BATCH])
def test_body_wherever_trafilatura_finds_one(bench_run, system):
    pages, runs = bench_run
    base, ours = runs[extraction.BASELINE], runs[system]
    lost = {p.key: (base.scores[p.key]["tokens"], ours.errors.get(p.key) or
                    ",".join((ours.records.get(p.key) or {}).get("quality_flags") or []) or "empty body")
            for p in pages if base.scores[p.key]["tokens"] >= MIN_WITNESS_WORDS and ours.scores[p.key]["tokens"] == 0}
    new = sorted(set(lost) - KNOWN_EMPTY)
    mended = sorted(KNOWN_EMPTY & {p.key for p in pages} - set(lost))
    assert not new, f"{len(new)} pages newly lost their body (trafilatura finds >= {MIN_WITNESS_WORDS} words):\n" + \
        "\n".join(f"{k} (trafilatura {lost[k][0]} words): {lost[k][1]}" for k in new)
    assert not mended, f"these pages have a body again: remove them from bench/known-empty-bodies.json: {mended}"
