"""Texts of the sample releases, built from the phrase banks with invented facts.

`write_releases` returns release drafts (everything but the page chrome). A guard keeps
every generated sentence unique across the site, except the one deliberate trap (a
quote sentence shared by two French releases).
"""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from pressroom.sample_site import phrases as P


@dataclass
class ReleaseDraft:
    lang: str
    section: str
    kicker: str
    title: str
    slug: str
    published: datetime
    modified: datetime
    authors: list[str]
    lead: str | None
    paragraphs: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    quotes: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    pull: dict | None = None
    pull_after: int | None = None
    traps: list[str] = field(default_factory=list)


# ------------------------------------------------------------------ French grammar helpers

def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def _de(np: str) -> str:
    for art, rep in (("les ", "des "), ("le ", "du "), ("la ", "de la "), ("l’", "de l’")):
        if np.startswith(art):
            return rep + np[len(art):]
    return "de " + np


def _a(np: str) -> str:
    for art, rep in (("les ", "aux "), ("le ", "au "), ("la ", "à la "), ("l’", "à l’")):
        if np.startswith(art):
            return rep + np[len(art):]
    return "à " + np


def date_fr(d: datetime) -> str:
    day = "1er" if d.day == 1 else str(d.day)
    return f"{day} {P.MONTHS_FR[d.month - 1]} {d.year}"


def date_en(d: datetime) -> str:
    return f"{d.day} {P.MONTHS_EN[d.month - 1]} {d.year}"


def slugify(text: str, max_words: int = 9) -> str:
    ascii_ = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_.lower())
    return "-".join(words[:max_words])


# ------------------------------------------------------------------ facts

class _Facts:
    """Release-level facts; numbers are drawn afresh for each sentence."""

    def __init__(self, rng: random.Random, lang: str, topic: str, country_i: int, published: datetime):
        self.rng, self.lang = rng, lang
        c = P.COUNTRIES[country_i]
        city, city2 = P.CITIES[country_i]
        company = rng.choice(P.COMPANIES)
        facets = {k: rng.choice(v).format(company=company) for k, v in P.TOPICS[topic][lang].items()}
        d1 = published - timedelta(days=rng.randint(6, 200))
        d2 = published + timedelta(days=rng.randint(10, 120))
        m1 = published - timedelta(days=rng.randint(240, 540))
        m2 = published - timedelta(days=rng.randint(20, 60))
        fmt = date_fr if lang == "fr" else date_en
        months = P.MONTHS_FR if lang == "fr" else P.MONTHS_EN
        f = dict(city=city, city2=city2, company=company, date_pub=fmt(published), date1=fmt(d1), date2=fmt(d2),
                 month_year=f"{months[m1.month - 1]} {m1.year}", month_year2=f"{months[m2.month - 1]} {m2.year}",
                 year=str(m1.year - rng.randint(0, 6)), year2=str(published.year), year0=str(rng.randint(1968, 1999)))
        f.update(facets)
        if lang == "fr":
            f.update(country=c[0], country_art=c[1], in_country=c[2], of_country=c[3])
            f["country_art_cap"] = _cap(c[1])
            f["in_country_cap"] = _cap(c[2])
            f["de_demand"] = ("d’" if f["demand"][0] in "aeiouéèêhi" else "de ") + f["demand"]
            for k in ("issue", "victims", "perp", "law", "event"):
                f[k + "_de"] = _de(f[k])
                f[k + "_a"] = _a(f[k])
        else:
            f.update(country=c[4])
        for k in ("country", "issue", "victims", "perp", "law", "event"):
            f[k + "_cap"] = _cap(f[k])
        self.fixed = f

    def fill(self, template: str) -> str:
        r = self.rng
        n1 = r.randint(140, 48000)
        sep = " " if self.lang == "fr" else ","
        nums = dict(n1=f"{n1:,}".replace(",", sep) if n1 >= 1000 else str(n1), n_small=str(r.randint(7, 95)),
                    n_small2=str(r.randint(12, 140)), n_years=str(r.randint(5, 25)), n_months=str(r.randint(4, 30)),
                    n_pages=str(r.randint(24, 160)), n_days=str(r.randint(6, 21)), km=str(r.randint(15, 240)),
                    pct=str(r.randint(12, 87)))
        if "{ctx}" in template:
            bank = P.FR if self.lang == "fr" else P.EN
            nums["ctx"] = self.fill(r.choice(bank["ctx"]))
        return template.format(**self.fixed, **nums)


class _Writer:
    """Draws sentences that were never used before on the site (the uniqueness guard)."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: set[str] = set()

    def draw(self, facts: _Facts, pool: list[str], taken: set[int]) -> str:
        order = [i for i in range(len(pool)) if i not in taken] or list(range(len(pool)))
        self.rng.shuffle(order)
        for _attempt in range(3):
            for i in order:
                text = facts.fill(pool[i])
                if text not in self.used:
                    self.used.add(text)
                    taken.add(i)
                    return text
        raise RuntimeError("phrase bank exhausted")  # pragma: no cover - banks are large enough


# ------------------------------------------------------------------ releases

def _plan(rng: random.Random, n_fr: int, n_en: int) -> list[tuple[str, str, int, datetime]]:
    """(lang, topic, country index, published) for each release, oldest first."""
    topics = sorted(P.TOPICS)
    langs = ["fr"] * n_fr + ["en"] * n_en
    rng.shuffle(langs)
    day = datetime(2025, 1, 6, 8, 0, tzinfo=timezone.utc)
    plan = []
    for i, lang in enumerate(langs):
        day += timedelta(days=rng.randint(3, 7))
        published = day.replace(hour=rng.randint(6, 17), minute=rng.choice([0, 15, 30, 45]))
        plan.append((lang, topics[(i * 5 + rng.randint(0, 2)) % len(topics)], rng.randrange(len(P.COUNTRIES)), published))
    return plan


def write_releases(seed: int = 0, n_fr: int = 40, n_en: int = 30) -> list[ReleaseDraft]:
    rng = random.Random(seed)
    writer = _Writer(rng)
    drafts: list[ReleaseDraft] = []
    slugs: set[str] = set()
    shared_left = 2  # the deliberate trap: one quote sentence in two French releases
    for lang, topic, country_i, published in _plan(rng, n_fr, n_en):
        facts = _Facts(rng, lang, topic, country_i, published)
        bank = P.FR if lang == "fr" else P.EN
        share = lang == "fr" and shared_left > 0 and len(drafts) >= 3
        if share:
            shared_left -= 1
        draft = _write_one(rng, writer, facts, bank, lang, topic, published, share)
        base, n = draft.slug, 2
        while draft.slug in slugs:
            draft.slug = f"{base}-{n}"
            n += 1
        slugs.add(draft.slug)
        drafts.append(draft)
    return drafts


def _write_one(rng, writer: _Writer, facts: _Facts, bank: dict, lang: str, topic: str,
               published: datetime, share_quote: bool) -> ReleaseDraft:
    taken: dict[str, set[int]] = {}

    def draw(pool: str) -> str:
        return writer.draw(facts, bank[pool], taken.setdefault(pool, set()))

    section = rng.choice(P.TOPICS[topic]["sections"])
    fr_label, en_label, en_slug = P.SECTIONS[section]
    kicker = fr_label if lang == "fr" else en_label
    title = draw("title")
    modified = published + timedelta(hours=rng.randint(2, 70)) if rng.random() < 0.4 else published
    if lang == "fr":
        authors = rng.sample(P.AUTHORS[:4], 2) if rng.random() < 0.2 else [rng.choice(P.AUTHORS[:4])]
    else:
        authors = rng.sample(P.AUTHORS[4:], 2) if rng.random() < 0.2 else [rng.choice(P.AUTHORS[4:])]
    draft = ReleaseDraft(lang=lang, section=section if lang == "fr" else en_slug, kicker=kicker, title=title,
                         slug=slugify(title), published=published, modified=modified, authors=authors,
                         lead=draw("lead") if rng.random() < 0.85 else None)

    def add(text: str, kind: str = "paragraph") -> int:
        draft.paragraphs.append(text)
        draft.kinds.append(kind)
        return len(draft.paragraphs) - 1

    org = P.ORG
    # 1. the organisation's indirect statement
    indirect = draw("indirect")
    cue = next(c for c in ("a déclaré", "a affirmé", "said", "stated") if f" {c} " in indirect)
    cut = indirect.index(f", {cue}" if lang == "fr" else f", {org} {cue}")
    i = add(indirect)
    draft.quotes.append(dict(text=indirect[:cut], speaker=org, speaker_role=None, cue=cue, kind="indirect",
                             paragraphs=[i]))

    # 2. the main speaker: one to three paragraphs of direct quote
    name, role_fr, role_en = rng.choice(P.STAFF)
    role = role_fr if lang == "fr" else role_en
    n_paras = rng.choice([1, 2, 2, 3])
    groups = [[draw("quote"), draw("quote")] for _ in range(n_paras)]
    if share_quote:
        groups[-1].insert(0, bank["shared_quote"])
        draft.traps.append("shared_quote_sentence")
    cue = rng.choice(bank["cues_first"])
    idxs = []
    for gi, sentences in enumerate(groups):
        idxs.append(add(_quote_paragraph(lang, gi, len(groups), sentences, cue, name, role)))
    quoted = [s for g in groups for s in g]
    draft.quotes.append(dict(text=" ".join(quoted), speaker=name, speaker_role=role, cue=cue, kind="direct",
                             paragraphs=idxs))
    incise_sentence = groups[0][-1]
    pull_candidates = [s for s in quoted if s != incise_sentence and s != bank["shared_quote"]]
    if pull_candidates and rng.random() < 0.85:
        sentence = rng.choice(pull_candidates)
        para = next(ix for ix, g in zip(idxs, groups) if sentence in g)
        draft.pull = dict(text=sentence.rstrip("."), speaker=name, speaker_role=role, cue=None, kind="pull",
                          paragraphs=[para])
        draft.pull_after = idxs[0] if len(idxs) > 1 else None  # set below when a single paragraph

    # 3. a heading and context
    add(draw("heading"), "heading")
    for _ in range(rng.randint(1, 3)):
        add(" ".join(draw("context") for _ in range(rng.randint(1, 2))))
    if draft.pull and draft.pull_after is None:
        draft.pull_after = len(draft.paragraphs) - 1

    # 4. sometimes a list of demands
    if rng.random() < 0.3:
        add(draw("list_intro"))
        items = [draw("list_item").rstrip(" ;.") for _ in range(3)]
        for n, item in enumerate(items):
            end = "." if n == len(items) - 1 else (" ;" if lang == "fr" else ";")
            add(item + end, "list_item")

    # 5. sometimes a second speaker
    if rng.random() < 0.4:
        name2, r2_fr, r2_en = rng.choice(P.PARTNERS)
        role2 = r2_fr if lang == "fr" else r2_en
        cue2 = rng.choice(bank["cues_second"])
        a, b = draw("quote"), draw("quote")
        if rng.random() < 0.5:
            text = (f"« {a} {b[:-1]} », {cue2} {name2}, {role2}." if lang == "fr"
                    else f"“{a} {b[:-1]},” {cue2} {name2}, {role2}.")
        else:
            text = (f"« {a[:-1]}, {cue2} {name2}, {role2}. {b} »" if lang == "fr"
                    else f"“{a[:-1]},” {cue2} {name2}, {role2}. “{b}”")
        i = add(text)
        draft.quotes.append(dict(text=f"{a} {b}", speaker=name2, speaker_role=role2, cue=cue2, kind="direct",
                                 paragraphs=[i]))

    # 6. sometimes a second heading and more context
    if rng.random() < 0.5:
        add(draw("heading"), "heading")
        add(" ".join(draw("context") for _ in range(2)))

    draft.notes = [draw("notes") for _ in range(rng.randint(2, 3))]
    if draft.pull:
        draft.quotes.append(draft.pull)
    return draft


def _quote_paragraph(lang: str, index: int, count: int, sentences: list[str], cue: str, name: str, role: str) -> str:
    """One paragraph of a (possibly multi-paragraph) direct quote, in the language's style.

    French: the first paragraph carries the incise "…, a déclaré X, rôle." and each
    continued paragraph reopens with «; only the last closes with ». English: “…,” said X,
    role. then “ reopens each continued paragraph, and only the last closes.
    """
    if lang == "fr":
        if index == 0:
            head = " ".join(sentences[:-1] + [sentences[-1][:-1]])
            if count == 1:
                return f"« {' '.join(sentences)[:-1]} », {cue} {name}, {role}."
            return f"« {head}, {cue} {name}, {role}."
        body = " ".join(sentences)
        return f"« {body} »" if index == count - 1 else f"« {body}"
    if index == 0:
        head = " ".join(sentences[:-1] + [sentences[-1][:-1]])
        return f"“{head},” {cue} {name}, {role}."
    body = " ".join(sentences)
    return f"“{body}”" if index == count - 1 else f"“{body}"


def snippet(text: str, limit: int = 160) -> str:
    """A teaser snippet: the text cut on a word boundary, then "..." (as WordPress does)."""
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[:cut] + "..."
