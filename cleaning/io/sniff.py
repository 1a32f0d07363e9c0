"""What an input file is: from its name and from its first bytes, not from its suffix alone.

A wget-style mirror holds pages saved without a suffix (`about`, `index.html?p=2`, `news.php`),
feeds saved as `feed/index.html`, sitemaps, robots.txt, and stylesheets, scripts and images.
`classify` sorts each file into an input kind the readers know, or a reason to skip it.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from pathlib import Path

from cleaning.core.charset import binary_kind

HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".html.gz", ".htm.gz", ".xhtml.gz")
WARC_SUFFIXES = (".warc", ".warc.gz")
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz")
TEXT_SUFFIXES = (".txt", ".txt.gz")
PARQUET_SUFFIXES = (".parquet",)
SUPPORTED = "raw .parquet, .html[.gz], .warc[.gz], .jsonl[.gz], .txt[.gz]"

# a site's other files, as a mirror saves them: skipped quietly in a folder
ASSET_SUFFIXES = frozenset(
    ".css .js .mjs .map .json .xml .xsl .rss .atom .rdf .opml .ics .vcf .csv .tsv .md .yml .yaml .toml .ini "
    ".png .jpg .jpeg .jpe .gif .svg .svgz .ico .webp .avif .bmp .tif .tiff .heic "
    ".woff .woff2 .ttf .otf .eot .pdf .ps .eps .doc .docx .odt .rtf .xls .xlsx .ods .ppt .pptx .odp .epub "
    ".zip .tar .tgz .bz2 .xz .7z .rar .zst .mp3 .m4a .ogg .oga .wav .flac .mp4 .m4v .webm .mov .avi .mkv "
    ".wmv .flv .swf .exe .msi .dmg .apk .iso .bin .wasm .torrent .crt .pem .key .sig .asc".split())
# files a site serves for crawlers, never a page: skipped by name whatever their content
CRAWLER_FILES = frozenset({"robots.txt", "humans.txt", "ads.txt", "app-ads.txt", "security.txt", "llms.txt",
                           "llms-full.txt", "crossdomain.xml", "browserconfig.xml", "manifest.json",
                           "site.webmanifest", "favicon.ico"})
_SITEMAP_NAME = re.compile(r"^sitemap[\w.-]*\.(xml|txt)(\.gz)?$", re.I)

# WHATWG MIME sniffing's HTML signatures (https://mimesniff.spec.whatwg.org/#identifying-a-resource-with-an-unknown-mime-type)
_HTML_START = re.compile(rb"^\s*<(!doctype\s+html|html|head|script|iframe|h1|div|font|table|a|style|title|b|body"
                         rb"|br|p|!--)[\s>]", re.I)
_HTML_ANYWHERE = re.compile(rb"<(!doctype\s+html|html[\s>]|body[\s>]|head[\s>])", re.I)
_XML_NOT_PAGE = re.compile(rb"<(rss|feed|rdf:RDF|urlset|sitemapindex|opml|OpenSearchDescription)[\s>]", re.I)
_ROBOTS = re.compile(rb"^\s*(user-agent|sitemap|disallow|allow)\s*:", re.I)

HEAD_BYTES = 8192


@dataclass(frozen=True)
class Kind:
    """An input kind ("parquet", "html", "warc", "jsonl", "text"), or None with why the file is skipped.

    `skip` is a stats key suffix (skipped_assets, skipped_not_pages, skipped_unknown, skipped_binary) and
    `reason` the sentence for an error line when the file was named on the command line.
    """

    kind: str | None
    skip: str | None = None
    reason: str | None = None


def head_bytes(file: Path, n: int = HEAD_BYTES) -> tuple[bytes, bool]:
    """The first `n` bytes of the file's content (decompressed when it is gzip) and whether it is gzip."""
    with file.open("rb") as fh:
        raw = fh.read(n)
    if not raw.startswith(b"\x1f\x8b"):
        return raw, False
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        return inflater.decompress(raw, n), True
    except zlib.error:
        return b"", True


def sniff(head: bytes) -> str | None:
    """The kind the content shows: "warc", "parquet", "html", "not-page" (feed, sitemap, robots), or None."""
    if head.startswith(b"WARC/1.") or head.startswith(b"WARC/0."):
        return "warc"
    if head.startswith(b"PAR1"):
        return "parquet"
    text = _as_utf8(head)
    if _ROBOTS.match(text):
        return "not-page"
    if not text.lstrip().startswith(b"<"):  # JSON, CSS or a script that mentions <html> is none of these
        return None
    if _XML_NOT_PAGE.search(text[:4096]) and not _HTML_ANYWHERE.search(text):
        return "not-page"
    if _HTML_START.match(text) or _HTML_ANYWHERE.search(text):
        return "html"
    return None


def _as_utf8(head: bytes) -> bytes:
    """The head without its BOM, UTF-16/32 re-encoded as UTF-8 so the patterns above can see it."""
    from w3lib.encoding import read_bom

    codec, bom = read_bom(head)
    if not codec:
        return head
    return head[len(bom):].decode(codec, errors="ignore").encode("utf-8")


def by_suffix(name: str) -> str | None:
    name = name.lower()
    for suffixes, kind in ((PARQUET_SUFFIXES, "parquet"), (HTML_SUFFIXES, "html"), (WARC_SUFFIXES, "warc"),
                           (JSONL_SUFFIXES, "jsonl"), (TEXT_SUFFIXES, "text")):
        if name.endswith(suffixes):
            return kind
    return None


def _suffix(name: str) -> str:
    name = name.lower()
    if name.endswith(".gz"):
        name = name[:-3]
    return "." + name.rsplit(".", 1)[1] if "." in name else ""


def classify(file: Path, stdin: bool = False) -> Kind:
    """The input kind of a file, from its name and its first bytes (see the module docstring).

    `stdin`: the file holds standard input, which has no name: JSON objects make it JSONL, other
    text a text dump (in a folder, a nameless JSON file is more likely an API response than pages).
    """
    name = file.name.lower()
    if stdin:
        head, _ = head_bytes(file)
        shown = sniff(head)
        if shown in ("warc", "parquet", "html"):
            return Kind(shown)
        if shown == "not-page":
            return Kind(None, "skipped_not_pages", "standard input holds a feed, sitemap or robots.txt, not a page")
        if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
            return Kind("jsonl")
        return Kind("text")
    if name in CRAWLER_FILES or _SITEMAP_NAME.match(name):
        return Kind(None, "skipped_not_pages", f"{file.name} is a file for crawlers (robots.txt, sitemap), not a page")
    named = by_suffix(name)
    if named in ("parquet", "warc", "jsonl"):
        return Kind(named)  # their readers check the content record by record
    head, _ = head_bytes(file)
    shown = sniff(head)
    if shown in ("warc", "parquet"):
        return Kind(shown)
    if shown == "not-page":
        return Kind(None, "skipped_not_pages", "a feed, sitemap or robots.txt, not a page")
    if named in ("html", "text"):
        binary = binary_kind(head)
        if binary and binary != "binary content":  # an image or a PDF under a page's name
            return Kind(None, "skipped_binary", f"{binary}, not text")
        return Kind(named)  # undecodable text is the text reader's to report
    if shown == "html":
        return Kind("html")
    suffix = _suffix(name)
    if suffix in ASSET_SUFFIXES:
        return Kind(None, "skipped_assets",
                    f"unsupported input type {''.join(file.suffixes) or file.name!r} (expected {SUPPORTED})")
    return Kind(None, "skipped_unknown",
                f"unsupported input type {''.join(file.suffixes) or file.name!r} (expected {SUPPORTED}); "
                "its content is not HTML either")
