"""The write tests/faults kills: rows moving both ways between partitions, changed in place, added.

Kept apart from the tests so the killed subprocess imports only the writer (not pandas, polars, DuckDB).
"""

from __future__ import annotations

from datetime import datetime, timezone

import pyarrow as pa

from cleaning.core.schema import BOILERPLATE_SCHEMA, Document, Paragraph, document_to_record


def record(doc_id: str, year: int | None, version: int, site: str = "a.org") -> dict:
    body = f"Release {doc_id}, version {version}: words enough to be a body of its own here."
    doc = Document(doc_id=doc_id, input=f"in/{doc_id}", source="dump", site=site, url=f"https://{site}/{doc_id}",
                   paragraphs=[Paragraph(body)], content_hash=f"{doc_id}-v{version}", word_count=12,
                   published_at=datetime(year, 5, 1, tzinfo=timezone.utc) if year else None)
    return document_to_record(doc)


BASE = {"later": 2016, "earlier": 2017, "dated": None, "undated": 2016, "inplace": 2017, "still16": 2016,
        "still17": 2017, "stillnone": None, "other": 2016}
# run 1: "later" moves 2016 -> 2017, "earlier" 2017 -> 2016, "dated" none -> 2017, "undated" 2016 -> none
RUN1 = {"later": 2017, "earlier": 2016, "dated": 2017, "undated": None, "inplace": 2017, "new16": 2016,
        "new17": 2017}
MOVED = {"later", "earlier", "dated", "undated"}


def base_records() -> list[dict]:
    return [record(d, y, 0, site="b.org" if d == "other" else "a.org") for d, y in BASE.items()]


def run1_records() -> list[dict]:
    return [record(d, y, 1) for d, y in RUN1.items()]


def boilerplate(version: int) -> pa.Table:
    return pa.Table.from_pylist([{"site": "a.org", "fingerprint": f"f{version}", "text": "Donate", "doc_count": 3,
                                  "site_docs": 5, "reason": "banner"}], schema=BOILERPLATE_SCHEMA)
