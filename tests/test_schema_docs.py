"""docs/SCHEMA.md is generated from cleaning/core/schema.py and must not drift from it."""

import pyarrow as pa

from cleaning.core.schema import SCHEMA_VERSION, TABLES
from cleaning.io.schema_docs import DOC_PATH, main, render_schema_docs
from cleaning.core.schema import LAYOUTS
from cleaning.io.atomic import parquet_paths as _parquet_paths


def test_schema_md_is_up_to_date():
    assert DOC_PATH.read_text(encoding="utf-8") == render_schema_docs(), (
        "docs/SCHEMA.md drifted from cleaning/core/schema.py: run `python -m cleaning.io.schema_docs`")


def test_every_column_of_every_table_is_documented_with_its_type():
    text = render_schema_docs()
    assert f"Schema version **{SCHEMA_VERSION}**" in text
    for name, schema in TABLES.items():
        assert f"## `{name}`" in text
        for field in schema:
            doc = (field.metadata or {}).get(b"doc", b"").decode()
            assert doc, f"{name}.{field.name} has no doc"
            assert f"| `{field.name}` |" in text and doc.replace("|", "\\|") in text


def test_layouts_cover_every_table_and_name_real_columns():
    assert set(LAYOUTS) == set(TABLES)
    for name, layout in LAYOUTS.items():
        assert layout.schema.equals(TABLES[name])
        paths = set(_parquet_paths(layout.schema))
        assert set(layout.dictionary_columns) <= paths, name
        assert set(layout.partition_by) <= set(layout.schema.names)
        assert all(not pa.types.is_nested(layout.schema.field(k).type) for k in layout.partition_by)


def test_check_mode_fails_on_drift_and_passes_when_regenerated(tmp_path, capsys):
    path = tmp_path / "SCHEMA.md"
    path.write_text(render_schema_docs().replace("ISO 639-1", "ISO 639-2"), encoding="utf-8")
    assert main(["--check", "--path", str(path)]) == 1
    assert main(["--path", str(path)]) == 0
    assert main(["--check", "--path", str(path)]) == 0
