"""Pull quotes: short standalone blocks repeating a sentence of the body nearby.

The one pull-quote detector of cleaning: split asks it which dump lines are pull quotes
(a dump has no markup, only the repeat), and the quotes step finds candidates here before
body quotes (so they neither break a continued quote nor count twice). A candidate is
confirmed when the sentence it repeats lies in a body quote (it is linked to that quote), or
when the page set it apart as a quote (`<blockquote>`, a `wp-block-pullquote` figure, an
`<aside class="pullquote">`, or a dump line split marked): a highlighted repeat of a plain
sentence, with no body quote to link to. Either way its "Name, role" line goes with it.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from difflib import SequenceMatcher

from cleaning.quotes.lexicon import QuoteLexicon, fold_same_length
from cleaning.quotes.marks import strip_marks
from cleaning.quotes.units import FoundQuote
from cleaning.core.schema import Quote, QuoteKind
from cleaning.quotes.sentences import sentence_spans
from cleaning.quotes.speakers import attribution_line

PULL_OVERLAP = 0.9  # share of a pull quote's tokens found in the body sentence it repeats
PULL_MAX_WORDS = 70  # a pull quote is a short standalone block
PULL_REACH = 40  # paragraphs either side where the repeated sentence may be (keeps long dumps linear)


def _norm_tokens(text: str) -> list[str]:
    """Tokens for overlap: accents, case and apostrophes folded away."""
    text = unicodedata.normalize("NFKD", fold_same_length(text))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.findall(r"[^\W_]+", text.replace("'", " "))


def pull_candidates(texts: list[str], kinds: list[str], lex: QuoteLexicon,
                    only: Iterable[int] | None = None) -> dict[int, tuple[tuple[int, int, int], int | None]]:
    """Short standalone blocks repeating a sentence of a longer paragraph: {index: (source sentence, name line)}.

    `only` limits the candidates to these indexes (the blocks a page marks as pull quotes);
    every text is still a possible source.
    """
    tokens = [_norm_tokens(strip_marks(t)) for t in texts]
    vocab = [set(t) for t in tokens]
    windows: dict[int, list[tuple[Counter, tuple[int, int]]]] = {}  # built once per paragraph, on demand
    out = {}
    for i in (sorted(set(only)) if only is not None else range(len(texts))):
        text = texts[i]
        n = len(tokens[i])
        if n < 4 or n > PULL_MAX_WORDS:
            continue
        if kinds[i] not in ("quote", "paragraph", "caption") or attribution_line(text, lex) is not None:
            continue
        wanted = Counter(tokens[i])
        best = None
        for j in range(max(0, i - PULL_REACH), min(len(texts), i + PULL_REACH + 1)):
            other = texts[j]
            if j == i or len(tokens[j]) <= n or len(wanted.keys() & vocab[j]) < PULL_OVERLAP * len(wanted):
                continue
            if j not in windows:
                windows[j] = [(Counter(seq), seq, (s, e)) for s, e in _windows(other, lex)
                              for seq in (_norm_tokens(other[s:e]),)]
            for have, seq, (s, e) in windows[j]:
                if sum((wanted & have).values()) < PULL_OVERLAP * n:
                    continue
                share = _in_order_share(tokens[i], seq)
                if share >= PULL_OVERLAP and (best is None or share > best[0]):  # ties: the first, in text order
                    best = (share, (j, s, e))
        if best is None:
            continue
        out[i] = (best[1], _name_line(texts, tokens, i, best[1][0], lex))
    return out


CREDIT_MAX_WORDS = 12  # a credit line under a pull quote ("News industry analyst Ken Doctor")


def _name_line(texts: list[str], tokens: list[list[str]], i: int, source: int, lex: QuoteLexicon) -> int | None:
    """The line under pull quote `i` naming who said it, or None.

    A "Name, role" line, or a short credit with no sentence end whose last two words (the name)
    the repeated paragraph names too: "News industry analyst Ken Doctor" under a quote that
    paragraph gives to "veteran industry analyst Ken Doctor".
    """
    k = i + 1
    if k >= len(texts) or len(tokens[k]) >= 40:
        return None
    if attribution_line(texts[k], lex) is not None:
        return k
    credit = tokens[k]
    if not 2 <= len(credit) <= CREDIT_MAX_WORDS or texts[k].rstrip().endswith((".", "!", "?", ":", ";", "»", "”", '"')):
        return None
    name, said = credit[-2:], tokens[source]
    return k if any(said[p:p + 2] == name for p in range(len(said) - 1)) else None


def _in_order_share(wanted: list[str], sentence: list[str]) -> float:
    """Share of `wanted`'s tokens the sentence holds in the same order: a repeat, not the same words reshuffled.

    "Alex Moss – Principal SEO at Yoast" has every word of "… our principal SEO experts at
    Yoast, Alex Moss:" but repeats none of it; a pull quote repeats its sentence as written.
    """
    matcher = SequenceMatcher(None, wanted, sentence, autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks()) / len(wanted)


def _windows(text: str, lex: QuoteLexicon) -> list[tuple[int, int]]:
    """Sentences of a paragraph and pairs of neighbouring sentences (a pull quote may span two)."""
    spans = sentence_spans(text, [], lex)
    return spans + [(a[0], b[1]) for a, b in zip(spans, spans[1:])]


def link_pulls(texts, pulls, found, lex, kinds=None):
    """Keep the candidates whose repeated sentence lies in a body quote, or that are quote blocks; make them pull quotes.

    A pull quote of a body quote points at it (`pull_of`, its index in `found`); a quote block
    repeating a plain sentence has no body quote to point at (`pull_of` None).
    """
    kinds = kinds or ["paragraph"] * len(texts)
    confirmed, out = {}, []
    for i, ((j, s, e), line) in sorted(pulls.items()):
        target = None
        for k, f in enumerate(found):
            if f.anchor is None:
                continue
            p0, a0, p1, a1 = f.anchor
            covers = f.quote.paragraphs and j in f.quote.paragraphs and (
                (j != p0 or a0 <= e) and (j != p1 or s <= a1))
            if covers:
                target = k
                break
        if target is None and kinds[i] != "quote":
            continue
        confirmed[i] = ((j, s, e), line)
        body = found[target].quote if target is not None else None
        who = attribution_line(texts[line], lex) if line is not None else None
        speaker = who.speaker if who else (body.speaker if body else None)
        role = (who.role if who else None) or (body.speaker_role if body else None)
        quote = Quote(text=strip_marks(texts[i]), speaker=speaker, speaker_role=role, cue=None,
                      kind=QuoteKind.PULL.value, paragraph=i, paragraphs=(i,), pull_of=target)
        start = len(texts[i]) - len(texts[i].lstrip())
        out.append(FoundQuote(quote, (i, start, i, len(texts[i].rstrip())), (j, s, e)))
    return confirmed, out
