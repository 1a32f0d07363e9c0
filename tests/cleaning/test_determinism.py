"""Same input, same records: whatever the hash seed, the input order or how inputs are batched.

Each run is a fresh interpreter (PYTHONHASHSEED only takes effect at start-up) cleaning the
same fixtures: WordPress pages with Gutenberg pull quotes and their "Name, role" cite lines
(tests/fixtures/html/wordpress_pullquotes, wordpress_release.html) and text dumps whose pull
quotes only the text shows. Every column of every record is compared, not only the body.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cleaning.core.schema import ARTICLES_SCHEMA

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures"
INPUTS = [
    *sorted((FIXTURES / "html" / "wordpress_pullquotes").glob("*.html")),
    FIXTURES / "html" / "wordpress_release.html",
    FIXTURES / "dumps" / "seed_fr_amnesty.txt",
    FIXTURES / "dumps" / "multi_water_alliance.txt",
]

_CHILD = """
import json, sys
from cleaning.core.stats import Stats
from cleaning.io.readers import read_inputs
from cleaning.pipeline import clean_sources
batch_size, *inputs = sys.argv[1:]
records = list(clean_sources(list(read_inputs(inputs, Stats())), batch_size=int(batch_size)))
records.sort(key=lambda r: (r["doc_id"], r["input"]))
print(json.dumps(records, default=str, ensure_ascii=False))
"""


def _clean(seed: int, inputs: list[Path], batch_size: int) -> list[dict]:
    env = {**os.environ, "PYTHONHASHSEED": str(seed)}
    proc = subprocess.run([sys.executable, "-c", _CHILD, str(batch_size), *map(str, inputs)], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout)


@pytest.fixture(scope="module")
def runs() -> dict[str, list[dict]]:
    return {
        "seed 0, input order": _clean(0, INPUTS, 64),
        "seed 1, reversed, batches of 2": _clean(1, INPUTS[::-1], 2),
        "seed 4242, input order, batches of 3": _clean(4242, INPUTS, 3),
        "seed 77, reversed": _clean(77, INPUTS[::-1], 64),
    }


def _differences(a: list[dict], b: list[dict]) -> list[str]:
    if [r["doc_id"] for r in a] != [r["doc_id"] for r in b]:
        return ["the sets of doc_ids differ"]
    return [f"{x['doc_id']} ({x['input'].rsplit('/', 1)[-1]}): column {column}"
            for x, y in zip(a, b) for column in ARTICLES_SCHEMA.names if x[column] != y[column]]


def test_every_run_gives_every_column_of_the_same_records(runs):
    (base_name, base), *others = runs.items()
    assert {name for r in base for name in r} == set(ARTICLES_SCHEMA.names)  # every column is compared
    assert len(base) >= len(INPUTS)  # the dumps hold several releases each
    for name, records in others:
        assert not _differences(base, records), f"{base_name} vs {name}: {_differences(base, records)}"


def test_the_compared_records_hold_pull_quotes_and_their_name_lines(runs):
    """The comparison is only worth something if the fragile part is in it: pull quotes found and linked."""
    records = next(iter(runs.values()))
    pulls = [q for r in records for q in r["quotes"] if q["kind"] == "pull"]
    removed = {x["reason"] for r in records for x in r["removed"]}
    assert len(pulls) >= 3 and {"pull-quote", "pull-quote-attribution"} <= removed


def test_compiled_cue_patterns_do_not_depend_on_the_hash_seed():
    """Cue alternations are built from sets: their order must come from a total sort key, not from hashing."""
    code = ("import hashlib; from cleaning.quotes.lexicon import quote_lexicon; lex = quote_lexicon(); "
            "print(hashlib.sha1(repr([getattr(lex, f).pattern for f in ('cue', 'source', 'topic', 'that', 'adjunct',"
            " 'after_cue')]).encode()).hexdigest())")
    digests = {subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120,
                              env={**os.environ, "PYTHONHASHSEED": str(seed)}, check=True).stdout for seed in (1, 7, 99)}
    assert len(digests) == 1, digests
