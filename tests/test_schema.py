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


def test_quote_speaker_type_is_a_column_with_three_values():
    from cleaning.core.schema import SpeakerType

    assert {t.value for t in SpeakerType} == {"person", "organisation", "unknown"}
    doc = Document(doc_id="d1", input="x.txt", source="dump", paragraphs=[Paragraph("Il faut agir.", "paragraph", None)],
                   quotes=[Quote("Il faut agir", speaker="Terre Solidaire", speaker_type="organisation", paragraph=0,
                                 paragraphs=(0,))])
    table = records_to_table([document_to_record(doc)])
    assert table.column("quotes").to_pylist()[0][0]["speaker_type"] == "organisation"
