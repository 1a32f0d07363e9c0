"""A small finished run (articles hive-partitioned by site/year, raw, boilerplate, stats) for report tests."""

import json
from datetime import datetime, timezone
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from cleaning.core.schema import BOILERPLATE_SCHEMA, RAW_SCHEMA, records_to_table


def _article(i: int, site: str, lang: str, month: int, words: int, **extra) -> dict:
    return {
        "doc_id": f"{site}-{i}", "url": f"https://{site}/press/{i}", "site": site, "source": "link",
        "input": f"raw/part-0.parquet#{i}", "published_at": datetime(2024, month, 3, 9, tzinfo=timezone.utc),
        "year": 2024, "title": f"Release {i} of {site}", "lang": lang, "body_text": "word " * words,
        "word_count": words, "quotes": [], "removed": [], **extra,
    }


def write_pages(folder: Path, n: int, per_site: int | None = None, host: str = "press{seed}.example.org",
                scheme: str = "http") -> None:
    """n release pages of generated sample sites, as .html files (one folder per host), at most
    `per_site` of them from each site; `host` names each site's host from its seed."""
    from pressroom.sample_site.generator import generate_site

    written, seed = 0, 0
    while written < n:
        try:
            site = generate_site(seed=seed)
        except RuntimeError:  # a seed can run a phrase bank dry: the next one is another site
            seed += 1
            continue
        name = host.format(seed=seed)
        folder_of_host = folder / name
        folder_of_host.mkdir(parents=True, exist_ok=True)
        for rel in site.releases[: min(n - written, per_site or n)]:
            html = site.pages[rel.path].body.decode("utf-8").replace("{{BASE}}", f"{scheme}://{name}")
            (folder_of_host / (rel.path.strip("/").replace("/", "_") + ".html")).write_text(html, encoding="utf-8")
            written += 1
        seed += 1


def write_sample_run(root: Path) -> Path:
    quote = lambda speaker, kind="direct": {"text": "«…»", "speaker": speaker, "kind": kind}  # noqa: E731
    records = [
        _article(1, "amnesty.fr", "fr", 1, 420, quotes=[quote("Erika Guevara Rosas"), quote("Erika Guevara Rosas", "pull")],
                 removed=[{"text": "Faites un don", "reason": "banner"}, {"text": "Contact presse", "reason": "contacts"}]),
        _article(2, "amnesty.fr", "fr", 1, 380, quotes=[quote("Erika Guevara Rosas"), quote("Jean Dupont")],
                 removed=[{"text": "Faites un don", "reason": "banner"}]),
        _article(3, "amnesty.fr", "fr", 2, 610, quotes=[quote("Jean Dupont")], dup_cluster="amnesty.fr-3"),
        _article(4, "amnesty.fr", "fr", 2, 600, dup_of="amnesty.fr-3", dup_cluster="amnesty.fr-3"),
        _article(5, "oxfam.org", "en", 3, 150, quotes=[quote("Jane Smith")]),
        _article(6, "oxfam.org", "en", 3, 0),
    ]
    table = records_to_table(records)
    articles = root / "articles"
    pq.write_to_dataset(table, articles, partition_cols=["site", "year"])

    now = datetime(2024, 3, 5, tzinfo=timezone.utc)
    raw = [{"url": f"https://amnesty.fr/p/{i}", "status": s, "fetched_at": now, "body": b"<html></html>"}
           for i, s in enumerate([200, 200, 200, 200, 404, 500])]
    (root / "raw").mkdir(parents=True)
    pq.write_table(pa.Table.from_pylist(raw, schema=RAW_SCHEMA), root / "raw" / "part-0.parquet")

    boiler = [
        {"site": "amnesty.fr", "fingerprint": "aa01", "text": "Faites un don pour soutenir nos actions", "doc_count": 4,
         "site_docs": 4, "reason": "site-boilerplate"},
        {"site": "amnesty.fr", "fingerprint": "aa02", "text": "Contact presse : presse@example.org", "doc_count": 3,
         "site_docs": 4, "reason": "contacts"},
        {"site": "oxfam.org", "fingerprint": "bb01", "text": "We use cookies <script>", "doc_count": 2,
         "site_docs": 2, "reason": "cookie-notice"},
    ]
    (root / "boilerplate").mkdir()
    pq.write_table(pa.Table.from_pylist(boiler, schema=BOILERPLATE_SCHEMA), root / "boilerplate" / "part-0.parquet")

    (root / "reports").mkdir()
    (root / "reports" / "clean-stats.json").write_text(json.dumps({
        "counts": {"read/errors": 1, "write/records": 6},
        "errors": [{"input": "dumps/broken.html.gz", "step": "read", "error": "BadGzipFile: Not a gzipped file (b'no')"}],
        "settings": {"min_doc_count": 3, "engine": "local"},
    }))
    (root / "reports" / "crawl-stats.json").write_text(json.dumps({
        "downloader/exception_type_count/twisted.internet.error.DNSLookupError": 2,
        "robotstxt/forbidden": 3, "finish_reason": "finished",
        "pressroom/errors/timeout": 1, "pressroom/errors/http_404": 1, "pressroom/errors/too_large": 2,
        "pressroom/skipped/duplicate_page": 4,
    }))
    return root


@pytest.fixture
def sample_run(tmp_path: Path) -> Path:
    return write_sample_run(tmp_path / "run")
