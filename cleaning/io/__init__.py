"""Getting pages in (raw Parquet, HTML folders, WARC, JSONL, text dumps) and datasets out (atomic Parquet writes)."""
