from datetime import datetime, timezone

import pyarrow as pa

from cleaning.core.schema import ARTICLES_SCHEMA, Document, Paragraph, Quote, document_to_record, records_to_table


def test_document_record_matches_articles_schema():
    doc = Document(
        doc_id="d1", input="x.txt", source="dump",
        paragraphs=[Paragraph("Hello world.", "paragraph", None)],
        quotes=[Quote("Hello", speaker="A", paragraphs=(0,), paragraph=0)],
        published_at=datetime(2025, 12, 1, tzinfo=timezone.utc), word_count=2,
    )
    record = document_to_record(doc)
    assert set(record) == set(ARTICLES_SCHEMA.names)
    table = records_to_table([record])
    assert table.schema.equals(ARTICLES_SCHEMA)
    assert table.column("body_text").to_pylist() == ["Hello world."]
    assert table.column("year").to_pylist() == [2025]
    assert table.schema.field("quotes").type == pa.list_(ARTICLES_SCHEMA.field("quotes").type.value_type)
