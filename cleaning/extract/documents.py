"""Documents from source records: one per HTML page, one per release in a text dump.

HTML pages give blocks for the WHOLE page, chrome included, in document order (the site
model and the split step need to see banners, contact blocks, teaser cards and footers
to strip or classify them). The parts: cfemail (decoded before any parser sees the
HTML), blocks (the selectolax walk: DOM paths, hints, kickers), witness (trafilatura's
main content aligned back to the blocks as `main`, carried on along the DOM paths of the
article's own paragraphs when an ad cuts it into chunks), pagemeta (PageMeta) and urls (ids
and sites). Pages trafilatura gives up on (tiny ones) get `main` from landmarks instead.
"""

from __future__ import annotations

from cleaning.core.charset import looks_binary
from cleaning.core.htmldepth import MAX_HTML_DEPTH, cap_depth
from cleaning.extract.blocks import norm_space, walk_page
from cleaning.extract.cfemail import decode_cfemails
from cleaning.core.options import CleanOptions
from cleaning.extract.pagemeta import extract_page_meta
from cleaning.core.schema import Block, BlockKind, Document, SourceRecord
from cleaning.extract.segment import segment_dump
from cleaning.core.stats import Stats
from cleaning.core.urls import canonical_url, doc_id_for, registered_domain, trusted_canonical
from cleaning.extract.witness import extend_main_along_paths, main_witnesses, mark_main


def extract_documents(rec: SourceRecord, opts: CleanOptions, stats: Stats) -> list[Document]:
    """One SourceRecord in, its Documents out (a dump may hold several releases)."""
    if rec.html is not None:
        return [extract_html_document(rec, opts, stats)]
    if rec.text is not None:
        return extract_dump_documents(rec, opts, stats)
    stats.error(rec.input, "extract", "record holds neither HTML nor text")
    return []


def extract_dump_documents(rec: SourceRecord, opts: CleanOptions, stats: Stats) -> list[Document]:
    """One line = one block; cleaning.extract.segment cuts the dump into releases ("path:L<start>-<end>")."""
    lines = [line.rstrip("\r") for line in (rec.text or "").split("\n")]
    if not any(line.strip() for line in lines):
        stats.error(rec.input, "extract", "empty text dump")
        return []
    ranges = segment_dump(lines)
    ranges = [(start, end) for start, end in ranges if any(line.strip() for line in lines[start:end])]
    docs = []
    for start, end in ranges:
        blocks = [Block(text=text, kind=BlockKind.PARAGRAPH, position=i)
                  for i, text in enumerate(t for t in (norm_space(x) for x in lines[start:end]) if t)]
        content = "\n".join(b.text for b in blocks)
        canonical = canonical_url(rec.url) if rec.url and len(ranges) == 1 else None
        docs.append(Document(
            doc_id=doc_id_for(canonical or content),
            input=f"{rec.input}:L{start + 1}-{end}",
            source=rec.source,
            blocks=blocks,
            url=rec.url,
            canonical_url=canonical,
            site=rec.site or opts.site or registered_domain(rec.url),
            fetched_at=rec.fetched_at,
            feed=rec.feed,
        ))
    stats.inc("extract/dump_documents", len(docs))
    return docs


def extract_html_document(rec: SourceRecord, opts: CleanOptions, stats: Stats) -> Document:
    """Blocks for the whole page, the main-content judgement, and PageMeta.

    Bad input never raises: a binary or block-less page gives an empty Document flagged
    "binary" / "no-blocks" and a stats error; a page over `opts.max_input_bytes` characters
    is cut to that size before parsing and flagged "truncated"; elements nested deeper than
    MAX_HTML_DEPTH are cut out before parsing (cleaning.core.htmldepth), the page flagged
    "depth_capped" and its main content guessed without the witness. Both are counted
    (`extract/truncated`, `extract/depth_capped`) and noted with the page's name.
    """
    from selectolax.lexbor import LexborHTMLParser

    html = rec.html or ""
    flags: list[str] = []
    if len(html) > opts.max_input_bytes:
        html = html[: opts.max_input_bytes]
        flags.append("truncated")
        stats.inc("extract/truncated")
        stats.note("truncated", {"input": rec.input, "url": rec.url, "chars": len(rec.html or ""),
                                 "kept": opts.max_input_bytes})
    if looks_binary(html):
        stats.error(rec.input, "extract", "binary content, not HTML")
        return Document(doc_id=doc_id_for(html), input=rec.input, source=rec.source, url=rec.url,
                        site=rec.site or opts.site or registered_domain(rec.url), fetched_at=rec.fetched_at,
                        feed=rec.feed, quality_flags=[*flags, "binary"])
    html = decode_cfemails(html)
    capped = cap_depth(html)
    if capped.capped:
        html = capped.html
        flags.append("depth_capped")
        stats.inc("extract/depth_capped")
        stats.note("depth_capped", {"input": rec.input, "url": rec.url, "depth": capped.max_depth,
                                    "kept_depth": MAX_HTML_DEPTH})
    tree = LexborHTMLParser(html)
    meta = extract_page_meta(tree, rec.url, html)
    base_url = rec.url or meta.canonical_url
    walker = walk_page(tree, base_url)
    blocks = walker.blocks
    if blocks:
        page_tokens = sum(len(b.text.split()) for b in blocks)
        witnesses = None if capped.capped else main_witnesses(html, rec, stats, page_tokens)
        if witnesses:
            blocks = extend_main_along_paths(walker.settle_hints(mark_main(blocks, witnesses, stats)), stats)
        else:  # tiny or odd pages trafilatura gives up on
            blocks = walker.guess_main()
            stats.inc("extract/main_guessed")
    else:
        flags.append("no-blocks")
        stats.inc("extract/no_blocks")
        stats.error(rec.input, "extract", "no text in the page (empty, or HTML without a body)")
    url_for_id = trusted_canonical(meta.canonical_url, rec.url) or rec.url
    canonical = canonical_url(url_for_id) if url_for_id else None
    stats.inc("extract/pages")
    stats.inc("extract/blocks", len(blocks))
    return Document(
        doc_id=doc_id_for(canonical or html),
        input=rec.input,
        source=rec.source,
        blocks=blocks,
        url=rec.url,
        canonical_url=canonical,
        site=rec.site or opts.site or registered_domain(rec.url or canonical),
        fetched_at=rec.fetched_at,
        meta=meta,
        feed=rec.feed,
        quality_flags=flags,
    )
