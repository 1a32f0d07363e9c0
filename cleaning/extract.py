"""Blocks from HTML (trafilatura + selectolax) and from text dumps (one paragraph a line)."""

from __future__ import annotations

import hashlib

from cleaning.options import CleanOptions
from cleaning.schema import Block, BlockKind, Document, SourceRecord
from cleaning.stats import Stats


def extract_documents(rec: SourceRecord, opts: CleanOptions, stats: Stats) -> list[Document]:
    if rec.text is not None:
        lines = [line.strip() for line in rec.text.splitlines()]
        blocks = [Block(text=t, kind=BlockKind.PARAGRAPH, position=i) for i, t in enumerate(x for x in lines if x)]
        doc_id = hashlib.sha1(rec.text.encode()).hexdigest()[:16]
        return [Document(doc_id=doc_id, input=rec.input, source=rec.source, blocks=blocks,
                         url=rec.url, site=rec.site or opts.site, fetched_at=rec.fetched_at, feed=rec.feed)]
    raise NotImplementedError("HTML extraction")
