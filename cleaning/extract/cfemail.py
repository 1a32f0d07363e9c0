"""Cloudflare-obfuscated e-mails, decoded in the HTML so press contacts survive extraction."""

from __future__ import annotations

import re

_CF_ELEMENT = re.compile(
    r"""<(a|span)\b[^>]*?\bdata-cfemail\s*=\s*["']?([0-9a-fA-F]+)["']?[^>]*>.*?</\1\s*>""",
    re.I | re.S,
)
_CF_HREF = re.compile(r"""(["'])(?:https?://[^"'#]*)?/cdn-cgi/l/email-protection#([0-9a-fA-F]+)\1""", re.I)


def decode_cfemail(hex_string: str) -> str | None:
    """Cloudflare's e-mail obfuscation: the first byte is a XOR key for the rest."""
    try:
        data = bytes.fromhex(hex_string)
    except ValueError:
        return None
    if len(data) < 2:
        return None
    key = data[0]
    try:
        return bytes(b ^ key for b in data[1:]).decode("utf-8")
    except UnicodeDecodeError:
        return None


def decode_cfemails(html: str) -> str:
    """Replace Cloudflare-protected addresses (`data-cfemail`, email-protection links) by the real ones."""
    if "cfemail" not in html and "email-protection" not in html:
        return html

    def element(match: re.Match) -> str:
        address = decode_cfemail(match.group(2))
        if address is None:
            return match.group(0)
        if match.group(1).lower() == "a":
            return f'<a href="mailto:{address}">{address}</a>'
        return address

    def href(match: re.Match) -> str:
        address = decode_cfemail(match.group(2))
        return f"{match.group(1)}mailto:{address}{match.group(1)}" if address else match.group(0)

    return _CF_HREF.sub(href, _CF_ELEMENT.sub(element, html))
