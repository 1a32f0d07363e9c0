"""Decode a page the way a careful reader would: BOM, then valid UTF-8, then the declared charset.

Servers mislabel pages both ways (windows-1252 sent as UTF-8 and the reverse).
Bytes that decode strictly as UTF-8 and hold non-ASCII text are UTF-8 whatever the
label says (accidental valid UTF-8 is vanishingly rare in single-byte encodings);
otherwise the declared charset is trusted if it decodes, and windows-1252 is the
last resort (w3lib maps latin-1 / iso-8859-1 labels to it, as browsers do).
"""

from __future__ import annotations

import codecs

from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding, read_bom, resolve_encoding


def _decodes(body: bytes, encoding: str) -> bool:
    try:
        body.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


def detect_encoding(body: bytes, content_type: str | None = None) -> str:
    """The codec name (Python's spelling) that decodes `body` correctly."""
    bom_encoding, _ = read_bom(body)
    if bom_encoding:
        return codecs.lookup(bom_encoding).name
    if body.isascii():
        return "utf-8"
    if _decodes(body, "utf-8"):
        return "utf-8"
    for declared in (http_content_type_encoding(content_type or ""), html_body_declared_encoding(body[:4096])):
        resolved = resolve_encoding(declared) if declared else None
        if resolved and codecs.lookup(resolved).name != "utf-8" and _decodes(body, resolved):
            return codecs.lookup(resolved).name
    return "cp1252"


def decode_body(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """(text, encoding); undecodable bytes become U+FFFD rather than an error."""
    encoding = detect_encoding(body, content_type)
    text = body.decode(encoding, errors="replace")
    return (text[1:] if text.startswith("\ufeff") else text), encoding
