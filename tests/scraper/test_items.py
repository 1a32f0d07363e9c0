"""scraper/items.py: the item a crawl yields is the raw table's row."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

from cleaning.core.schema import RAW_SCHEMA
from scraper.items import RawPage


def test_raw_page_mirrors_raw_schema():
    assert [f.name for f in dataclasses.fields(RawPage)] == RAW_SCHEMA.names
    import pyarrow as pa

    row = RawPage(url="http://h/a/", body=b"x", fetched_at=datetime.now(UTC), headers={"etag": '"1"'}).to_record()
    assert pa.Table.from_pylist([row], schema=RAW_SCHEMA).num_rows == 1
