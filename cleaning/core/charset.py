"""Bytes to text, once for the crawler and the readers: BOM, then valid UTF-8, then the declared charset.

Servers mislabel pages both ways (windows-1252 sent as UTF-8 and the reverse).
Bytes that decode strictly as UTF-8 and hold non-ASCII text are UTF-8 whatever the
label says (accidental valid UTF-8 is vanishingly rare in single-byte encodings);
otherwise a declared charset (HTTP header, <meta>, or the caller's) is trusted if it
decodes; with no label at all charset-normalizer guesses; windows-1252 is the last resort (w3lib maps
latin-1 / iso-8859-1 labels to it, as browsers do).
"""

from __future__ import annotations

import codecs

from charset_normalizer import from_bytes
from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding, read_bom, resolve_encoding


def _decodes(body: bytes, encoding: str) -> bool:
    try:
        body.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


# binary formats by their magic numbers, named for messages; the crawler and the readers both ask binary_kind
BINARY_MAGIC = ((b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"), (b"GIF8", "a GIF image"),
                (b"%PDF", "a PDF document"), (b"PK\x03\x04", "a ZIP archive (or an office document)"),
                (b"\xd0\xcf\x11\xe0", "an old Office document"), (b"wOFF", "a WOFF font"), (b"wOF2", "a WOFF2 font"),
                (b"\x00\x00\x01\x00", "an icon"), (b"OggS", "an Ogg file"), (b"ID3", "an MP3 file"),
                (b"\x1aE\xdf\xa3", "a WebM/Matroska video"), (b"\x1f\x8b", "gzip data"))


def binary_kind(head: bytes) -> str | None:
    """"a PNG image" and the like for binary content, "binary content" for other binary bytes, None for text."""
    for magic, name in BINARY_MAGIC:
        if head.startswith(magic):
            return name
    if head[:4] == b"RIFF":
        return "a WebP image" if head[8:12] == b"WEBP" else "a RIFF file (audio or video)"
    return "binary content" if looks_binary(head) else None


def looks_binary(data: bytes | str) -> bool:
    """NUL bytes or many control characters in the head: not text, whatever it is called."""
    head = data[:8192]
    if isinstance(head, bytes):
        if read_bom(head)[0]:
            return False  # UTF-16/32 text is full of NUL bytes
        codes = list(head)
    else:
        codes = [ord(ch) for ch in head]
    controls = sum(1 for c in codes if c < 9 or 13 < c < 32)
    return 0 in codes or controls > len(codes) * 0.05


def detect_encoding(body: bytes, content_type: str | None = None, declared: str | None = None) -> str:
    """The codec name (Python's spelling) that decodes `body` correctly."""
    bom_encoding, _ = read_bom(body)
    if bom_encoding:
        return codecs.lookup(bom_encoding).name
    if body.isascii():
        return "utf-8"
    if _decodes(body, "utf-8"):
        return "utf-8"
    labels = [label for label in (declared, http_content_type_encoding(content_type or ""),
                                  html_body_declared_encoding(body[:4096])) if label]
    for label in labels:
        resolved = resolve_encoding(label)
        if resolved and codecs.lookup(resolved).name != "utf-8" and _decodes(body, resolved):
            return codecs.lookup(resolved).name
    if not labels:  # nothing declared: a statistical guess beats assuming Western European
        best = from_bytes(body[:200_000]).best()
        if best is not None and best.encoding and _decodes(body, best.encoding):
            return codecs.lookup(best.encoding).name
    return "cp1252"


def decode_body(body: bytes, content_type: str | None = None, declared: str | None = None) -> tuple[str, str]:
    """(text, encoding); undecodable bytes become U+FFFD rather than an error."""
    encoding = detect_encoding(body, content_type, declared)
    text = body.decode(encoding, errors="replace")
    return (text[1:] if text.startswith("\ufeff") else text), encoding
