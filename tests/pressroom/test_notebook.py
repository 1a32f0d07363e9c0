"""docs/notebook.md, every ```python block, run on a small clean that holds an undated release:
pandas, polars and DuckDB give the same releases per site and month, text hits and year."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.dataset as ds
import pytest

from cleaning.core.options import CleanOptions
from cleaning.core.schema import ARTICLES_SCHEMA
from tests.integration.test_dataset_roundtrip import notebook_blocks

REPO = Path(__file__).resolve().parents[2]
DUMPS = REPO / "tests" / "fixtures" / "dumps"
UNDATED_URL = "https://undated.example.org/news/river-cleanup"  # no date in the page, none in the URL


def _undated_page(path: Path) -> None:
    body = " ".join(["The water board said the river cleanup will go on through the season, volunteers say."] * 3)
    html = (f"<html><head><title>River cleanup goes on</title></head><body><article><h1>River cleanup goes on</h1>"
            f"<p>{body}</p><p>Volunteers gathered on the banks to collect plastic waste and old tyres.</p>"
            "</article></body></html>")
    path.write_text(json.dumps({"url": UNDATED_URL, "html": html}) + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def dataset(tmp_path_factory) -> Path:
    from cleaning.pipeline import run_clean

    root = tmp_path_factory.mktemp("notebook")
    _undated_page(root / "undated.jsonl")
    for path, site in ((DUMPS / "seed_fr_amnesty.txt", "amnesty.fr"), (DUMPS / "en_water_alliance.txt",
                                                                        "wateralliance.org"),
                       (root / "undated.jsonl", None)):
        out, stats = run_clean([str(path)], root / "data", CleanOptions(site=site))
        assert out == root / "data" / "articles", stats.errors
    return root


def test_notebook_answers_the_same_in_pandas_polars_and_duckdb(dataset: Path, monkeypatch):
    assert list((dataset / "data" / "articles").glob("*/year_key=0"))  # the undated release's folder
    table = ds.dataset(dataset / "data" / "articles", schema=ARTICLES_SCHEMA, partitioning="hive").to_table()
    rows = [r for r in table.to_pylist() if r["dup_of"] is None]
    undated = [r for r in rows if r["published_at"] is None]
    assert [r["url"] for r in undated] == [UNDATED_URL]  # the trap the year filter must survive
    assert len({r["year"] for r in rows if r["year"] is not None}) >= 1

    monkeypatch.chdir(dataset)
    ns: dict = {}
    for block in notebook_blocks():
        exec(compile(block, "docs/notebook.md", "exec"), ns)  # noqa: S102 - our own documentation

    # releases per site per month: one count per (site, month), undated apart, the same in all three
    expected: dict = {}
    for r in rows:
        key = (r["site"], r["published_at"].strftime("%Y-%m") if r["published_at"] else "undated")
        expected[key] = expected.get(key, 0) + 1
    assert ns["per_site_month"].to_dict() == expected
    assert {(r["site"], r["month"]): r["len"] for r in ns["pl_per_site_month"].to_dicts()} == expected
    db = ns["db_per_site_month"]
    assert dict(zip(zip(db["site"], db["month"]), db["releases"])) == expected

    # text search: every release whose body holds the term, whatever its case, and no other
    term = ns["term"]
    found = {r["doc_id"] for r in rows if term.lower() in (r["body_text"] or "").lower()}
    assert found and len(found) < len(rows)
    assert set(ns["hits"]["doc_id"]) == set(ns["pl_hits"]["doc_id"]) == set(ns["db_hits"]["doc_id"]) == found

    # one year, by its year_key folders, on a dataset with an undated release
    year = ns["year"]
    in_year = {r["doc_id"] for r in table.to_pylist() if r["year"] == year}
    assert in_year and len(in_year) < table.num_rows
    assert set(ns["year_rows"]["doc_id"]) == set(ns["pl_year_rows"]["doc_id"]) == set(ns["db_year_rows"]["doc_id"]) \
        == in_year
    assert str(ns["year_rows"]["year_key"].cat.categories.dtype).startswith("int")  # an integer key in pandas
    assert set(ns["undated_rows"]["doc_id"]) == {r["doc_id"] for r in undated}
