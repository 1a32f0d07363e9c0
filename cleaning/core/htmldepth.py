"""A cap on how deep an HTML page nests, applied to the markup before any parser sees it.

HTML parsers check the stack of open elements at every start tag, so a page nesting
100,000 `<div>`s costs time quadratic in its depth (lexbor: 2 s at 20k, about a minute at
100k). No real page nests more than a few hundred elements deep. `cap_depth` finds, in one
regex pass, the elements opened deeper than `max_depth` and cuts them out of the markup
(their text with them); text before and after the over-deep part is kept.

The depth is counted from start and end tags, leaving out void elements, elements whose end
tag may be omitted (`<p>`, `<li>`, table parts: the parser closes those itself), comments and
the contents of `<script>` / `<style>`, so it is an estimate that real pages stay far under.
"""

from __future__ import annotations

import re
from typing import NamedTuple

MAX_HTML_DEPTH = 1000

_TOKEN = re.compile(r"<!--.*?(?:-->|\Z)|<(script|style)\b[^>]*>.*?(?:</\1\s*>|\Z)|<(/?)([A-Za-z][\w:.-]*)([^>]*)>",
                    re.S | re.I)
# never opened on the stack, or closed by the parser without an end tag
_NOT_COUNTED = frozenset(
    "area base br col embed hr img input link meta param source track wbr keygen "
    "p li dt dd option optgroup tr td th thead tbody tfoot colgroup caption rb rt rtc rp html head body".split())


class DepthCap(NamedTuple):
    html: str
    capped: bool  # something was cut
    max_depth: int  # the deepest nesting seen (before the cut)


def cap_depth(html: str, max_depth: int = MAX_HTML_DEPTH) -> DepthCap:
    """`html` with every element opened deeper than `max_depth` removed (see the module doc)."""
    if html.count("<") <= max_depth:  # too few tags to nest that deep: the common case, no scan
        return DepthCap(html, False, 0)
    depth = deepest = 0
    keep: list[str] = []
    cut_from: int | None = None  # where the over-deep part began
    kept_to = 0
    for match in _TOKEN.finditer(html):
        name = match.group(3)
        if name is None or name.lower() in _NOT_COUNTED:
            continue
        if match.group(2):  # an end tag
            if depth:
                depth -= 1
            if cut_from is not None and depth <= max_depth:  # the element that went too deep is closed
                keep.append(html[kept_to:cut_from])
                kept_to, cut_from = match.end(), None
        elif not match.group(4).rstrip().endswith("/"):
            depth += 1
            deepest = max(deepest, depth)
            if depth > max_depth and cut_from is None:
                cut_from = match.start()
    if cut_from is None and not keep:
        return DepthCap(html, False, deepest)
    keep.append(html[kept_to:cut_from])  # cut_from None: the rest of the page
    return DepthCap("".join(keep), True, deepest)
