"""Injection benchmark for the site model and the strip step (issue 6).

Synthetic press sites: varied body text with boilerplate injected (contact block 1-3x
per document, banners, cookie notices, share lines, feed footers with varying titles,
teaser lists) and traps (a title that is a teaser on other pages, a quote shared by
2-3 releases, a genuine short line in ~10 % of a site's documents, a 3-document site).
Some sites are text dumps (one line = one block, no DOM path), others HTML-like blocks
with DOM paths. Prints character-level precision / recall per boilerplate type for
pressroom and, in the same run, for trafilatura's `deduplicate` on HTML renderings of
the same documents (fed in order, its global LRU reset between sites).

    .venv/bin/python bench/boilerplate.py                # quality, with the trafilatura baseline (~1 min)
    .venv/bin/python bench/boilerplate.py --scale 100000 # + pass 1 / pass 2 throughput and peak RSS (~4 CPU-min)
"""

from __future__ import annotations

import argparse
import html
import json
import random
import resource
import subprocess
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cleaning.core.options import CleanOptions  # noqa: E402
from cleaning.core.schema import Block, BlockKind, Document  # noqa: E402
from cleaning.steps.sitemodel import (build_site_model, collect_samples, count_fingerprints,  # noqa: E402
                                merge_counts, merge_samples, normalise)
from cleaning.core.stats import Stats  # noqa: E402
from cleaning.steps.strip import load_chrome_cues, strip_boilerplate  # noqa: E402

BOILERPLATE = ("contacts", "banner", "cookie", "share", "feed-footer", "teaser")
BODY = ("title", "body", "shared-quote", "short-line")

SYLLABLES = ("ra ne to mi sa lu ke po di va che ron tel mar ques pli dor fen gra sto ul en "
             "ab ver cor lin tus mon par ess ade ique ment ion ure ble ter pro con").split()


def make_vocab(rng: random.Random, size: int = 3000) -> list[str]:
    return sorted({"".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 4))) for _ in range(size)})


def sentence(rng: random.Random, vocab: list[str], lo: int = 8, hi: int = 24) -> str:
    ws = rng.choices(vocab, k=rng.randint(lo, hi))
    return ws[0].capitalize() + " " + " ".join(ws[1:]) + "."


def paragraph(rng: random.Random, vocab: list[str]) -> str:
    return " ".join(sentence(rng, vocab) for _ in range(rng.randint(2, 5)))


@dataclass(frozen=True)
class SiteSpec:
    index: int
    n_docs: int
    seed: int
    html: bool  # blocks with DOM paths, else a text dump
    french: bool


@dataclass
class Labeled:
    doc: Document
    labels: list[str]  # one ground-truth label per block


def _contact_block(rng, vocab, french: bool, name: str) -> list[str]:
    head = ["Espace journalistes", "Contact presse"] if french else ["Newsroom", "Media contact"]
    lines = head + [
        "Pour toute demande d'interview ou recevoir nos communiqués :" if french
        else "For interview requests or to receive our releases:",
        f"+33 6 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
        f"presse@{name}.example" if french else f"press@{name}.example",
    ]
    if rng.random() < 0.5:
        lines.append(sentence(rng, vocab, 20, 40))  # a long standard line, e.g. switchboard hours
    return lines


def site_documents(spec: SiteSpec) -> list[Labeled]:
    """Every document of one synthetic site, deterministic from its spec."""
    rng = random.Random(spec.seed)
    vocab = make_vocab(rng)
    name = f"site{spec.index:03d}"
    site = f"{name}.example"
    contact = _contact_block(rng, vocab, spec.french, name)
    officers = [f"{rng.choice(vocab).capitalize()} {rng.choice(vocab).capitalize()}, "
                f"+33 1 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}"
                for _ in range(rng.choice((0, 0, 2, 4)))]  # the release's own press officer, one of a few
    teaser_kicker = rng.random() < 0.7  # else teasers show the title without its kicker
    banners = [sentence(rng, vocab, 10, 25) for _ in range(rng.choice((1, 1, 3)))]
    cookie = ("Nous utilisons des cookies " if spec.french else "We use cookies ") + sentence(rng, vocab, 10, 20)
    has_cookie = rng.random() < 0.7
    mid_banners = [("Abonnez-vous : " if spec.french else "Subscribe: ") + sentence(rng, vocab, 6, 14)
                   for _ in range(rng.choice((0, 0, 1, 3)))]  # a newsletter box inside the body
    share = "Partager : Facebook Twitter LinkedIn E-mail" if spec.french else "Share: Facebook X LinkedIn Email"
    site_name = " ".join(w.capitalize() for w in rng.choices(vocab, k=2))
    has_footer = not spec.html and rng.random() < 0.8
    kickers = [rng.choice(vocab).capitalize() for _ in range(3)]
    n_teasers = rng.randint(3, 5)
    short_line = "Lire le rapport complet." if spec.french else "Read the full report."
    shared_quote = ("« " if spec.french else "“") + sentence(rng, vocab, 20, 35) + ("»" if spec.french else "”")
    quote_docs = set(rng.sample(range(spec.n_docs), min(spec.n_docs, rng.randint(2, 3))))
    short_docs = {i for i in range(spec.n_docs) if rng.random() < 0.1}

    releases = []
    for i in range(spec.n_docs):
        kicker = rng.choice(kickers)
        title = f"{kicker}. " + sentence(rng, vocab, 6, 16)[:-1]
        paras = [paragraph(rng, vocab) for _ in range(rng.randint(2, 7))]
        releases.append((title, paras))

    def path(role: str) -> str | None:
        if not spec.html:
            return None
        return {"cookie": "html/body/div/p", "banner": "html/body/header/div/p",
                "contacts": "html/body/footer/div/p", "contacts-aside": "html/body/aside/div/p",
                "title": "html/body/main/article/h1", "mid-banner": "html/body/main/article/div/p", "body": "html/body/main/article/p",
                "share": "html/body/main/article/div/a", "teaser": "html/body/aside/ul/li/a",
                "teaser-snippet": "html/body/aside/ul/li/p", "feed-footer": "html/body/main/article/p"}[role]

    out = []
    for i, (title, paras) in enumerate(releases):
        rows: list[tuple[str, str, str | None, bool]] = []  # text, label, dom path, main

        def add(text, label, role, main=True):
            if label in BOILERPLATE and rng.random() < 0.05:  # templates drift: case and spacing
                text = text.upper() if rng.random() < 0.5 else "  ".join(text.split(" "))
            rows.append((text, label, path(role), main if spec.html else True))

        def add_contacts(role):
            for line in contact[:3] + ([officers[i % len(officers)]] if officers else []) + contact[3:]:
                add(line, "contacts", role, False)

        copies = rng.randint(1, 3)
        if has_cookie and rng.random() < 0.9:  # not shown once accepted
            add(cookie, "cookie", "cookie", False)
        add(banners[i % len(banners)], "banner", "banner", False)
        if copies >= 2:
            add_contacts("contacts-aside")
        add(title, "title", "title")
        body = list(paras)
        if i in quote_docs:
            body.insert(rng.randint(1, len(body)), shared_quote)
        if i in short_docs:
            body.insert(rng.randint(1, len(body)), short_line)
        if mid_banners:
            body.insert(rng.randint(1, len(body)), mid_banners[i % len(mid_banners)])
        for p in body:
            label = ("shared-quote" if p == shared_quote else "short-line" if p == short_line
                     else "banner" if p in mid_banners else "body")
            add(p, label, "mid-banner" if label == "banner" else "body")
        add(share, "share", "share")
        if has_footer:
            add(f"The post {title} appeared first on {site_name}.", "feed-footer", "feed-footer")
        if copies >= 1:
            add_contacts("contacts")
        for k in range(1, min(n_teasers, spec.n_docs - 1) + 1):  # the latest releases: titles teased elsewhere
            t_title, t_paras = releases[(i - k) % spec.n_docs]
            add(t_title if teaser_kicker else t_title.split(". ", 1)[1], "teaser", "teaser", False)
            add(t_paras[0][:150].rstrip() + "...", "teaser", "teaser-snippet", False)
        if copies >= 3:
            add_contacts("contacts")
        blocks = [Block(text=t, kind=BlockKind.QUOTE if lab == "shared-quote" and spec.html else
                        BlockKind.HEADING if lab == "title" and spec.html else BlockKind.PARAGRAPH,
                        position=k, dom_path=p, main=m) for k, (t, lab, p, m) in enumerate(rows)]
        doc = Document(doc_id=f"{name}-{i:05d}", input=f"{name}/{i:05d}", source="html" if spec.html else "dump",
                       blocks=blocks, site=site)
        out.append(Labeled(doc, [r[1] for r in rows]))
    return out


def site_specs(n_sites: int = 22, seed: int = 7) -> list[SiteSpec]:
    rng = random.Random(seed)
    specs = []
    for s in range(n_sites):
        n = 3 if s == n_sites - 1 else rng.randint(15, 90)  # the last site has only 3 documents
        specs.append(SiteSpec(s, n, rng.randrange(1 << 30), html=(s % 3 == 1), french=(s % 2 == 0)))
    return specs


# ---------------------------------------------------------------- scoring


class Score:
    def __init__(self):
        self.total = defaultdict(int)
        self.removed = defaultdict(int)

    def add(self, label: str, chars: int, removed: bool) -> None:
        self.total[label] += chars
        if removed:
            self.removed[label] += chars

    def precision_recall(self) -> tuple[float, float]:
        bp_removed = sum(self.removed[t] for t in BOILERPLATE)
        all_removed = sum(self.removed.values())
        bp_total = sum(self.total[t] for t in BOILERPLATE)
        return (bp_removed / all_removed if all_removed else 1.0), (bp_removed / bp_total if bp_total else 1.0)


def score_pressroom(data: list[Labeled], opts: CleanOptions) -> tuple[Score, dict]:
    stats = Stats()
    docs = [x.doc for x in data]
    t0 = time.perf_counter()
    model = build_site_model(docs, opts)
    cues = load_chrome_cues()
    score = Score()
    flagged = 0
    for x in data:
        out = strip_boilerplate(x.doc, model, opts, stats, cues)
        flagged += "gutted" in out.quality_flags
        kept = {b.position for b in out.kept_blocks}
        for b, label in zip(x.doc.blocks, x.labels):
            score.add(label, len(b.text), b.position not in kept)
    return score, {"seconds": time.perf_counter() - t0, "gutted": flagged, "stats": stats}


ROLE_TAGS = {"cookie": ("div", "p"), "banner": ("header", "p"), "contacts": ("footer", "p"),
             "title": ("article", "h1"), "body": ("article", "p"), "shared-quote": ("article", "blockquote"),
             "short-line": ("article", "p"), "share": ("article", "p"), "feed-footer": ("article", "p"),
             "teaser": ("aside", "p")}


def render_html(x: Labeled) -> str:
    """The same document as HTML: semantic sections for HTML sites, flat paragraphs for dumps."""
    parts = ["<html><head><title>%s</title></head><body>" % html.escape(x.doc.blocks[0].text)]
    open_section = None
    for b, label in zip(x.doc.blocks, x.labels):
        section, tag = ROLE_TAGS[label] if x.doc.source == "html" else ("article", "p")
        if label == "banner" and b.main:  # the newsletter box inside the article
            section, tag = "article", "div"
        if section != open_section:
            if open_section:
                parts.append(f"</{open_section}>")
            parts.append(f"<{section}>")
            open_section = section
        parts.append(f"<{tag}>{html.escape(b.text)}</{tag}>")
    parts.append(f"</{open_section}></body></html>")
    return "".join(parts)


def score_trafilatura(data: list[Labeled], specs: list[SiteSpec]) -> tuple[Score, dict]:
    import trafilatura
    from trafilatura import deduplication

    score = Score()
    t0 = time.perf_counter()
    by_site = defaultdict(list)
    for x in data:
        by_site[x.doc.site].append(x)
    for site in sorted(by_site):
        deduplication.LRU_TEST.clear()  # its cache is global: one site at a time
        for x in by_site[site]:
            text = trafilatura.extract(render_html(x), deduplicate=True) or ""
            out = normalise(text)
            left: dict[str, int] = {}
            for b, label in zip(x.doc.blocks, x.labels):
                n = normalise(b.text)
                if n not in left:
                    left[n] = out.count(n) if n else 0
                kept = left[n] > 0
                left[n] -= kept
                score.add(label, len(b.text), not kept)
    return score, {"seconds": time.perf_counter() - t0}


def print_scores(scores: dict[str, Score]) -> None:
    names = list(scores)
    print(f"{'type':<14}{'chars':>10}" + "".join(f"{n + ' removed':>22}" for n in names))
    first = scores[names[0]]
    for label in BOILERPLATE + BODY:
        kind = "recall" if label in BOILERPLATE else "lost"
        row = f"{label:<14}{first.total[label]:>10}"
        for n in names:
            s = scores[n]
            row += f"{s.removed[label] / max(1, s.total[label]):>15.4f} {kind:<6}"
        print(row)
    print()
    for n in names:
        p, r = scores[n].precision_recall()
        print(f"{n:<12} overall char precision {p:.4f}  recall {r:.4f}")


# ---------------------------------------------------------------- scale


def scale_specs(n_docs: int, per_site: int = 500) -> list[SiteSpec]:
    n_sites = max(1, n_docs // per_site)
    return [SiteSpec(s, per_site, 1000 + s, html=(s % 3 == 1), french=(s % 2 == 0)) for s in range(n_sites)]


def rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def scale_worker(n_docs: int, batch_sites: int) -> dict:
    """Pass 1 (count → merge → model → samples) and pass 2 (strip) over streamed batches.

    Documents are regenerated batch by batch for each pass (never all in memory); the time
    spent generating them is measured apart and is the baseline the passes are compared to.
    """
    opts = CleanOptions()
    specs = scale_specs(n_docs)
    batches = [specs[i:i + batch_sites] for i in range(0, len(specs), batch_sites)]
    gen_s = 0.0

    def docs_of(batch):
        nonlocal gen_s
        t0 = time.process_time()
        docs = [x.doc for spec in batch for x in site_documents(spec)]
        gen_s += time.process_time() - t0
        return docs

    rss0 = rss_mib()
    t = time.process_time()
    counts = merge_counts(count_fingerprints(docs_of(b), opts) for b in batches)
    model = build_site_model(counts, opts)
    model = model.with_samples(merge_samples(collect_samples(docs_of(b), model) for b in batches))
    pass1_gen, pass1_s = gen_s, time.process_time() - t - gen_s

    stats, cues, total = Stats(), load_chrome_cues(), 0
    t = time.process_time()
    for b in batches:
        docs = docs_of(b)
        total += len(docs)
        for doc in docs:
            strip_boilerplate(doc, model, opts, stats, cues)
    pass2_s = time.process_time() - t - (gen_s - pass1_gen)
    return {"docs": total, "gen_s": gen_s / 3, "pass1_s": pass1_s, "pass2_s": pass2_s,
            "counts_bytes": counts.nbytes, "count_keys": counts.n_keys, "model_bytes": model.nbytes,
            "model_keys": model.n_keys, "rss_start_mib": rss0, "rss_peak_mib": rss_mib(),
            "blocks_removed": stats["strip/blocks_removed"]}


def run_scale(n_docs: int, batch_sites: int) -> None:
    cmd = [sys.executable, __file__, "--scale-worker", str(n_docs), "--batch-sites", str(batch_sites)]
    r = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)
    n = r["docs"]
    gen = n / r["gen_s"]
    print(f"\nscale: {n} documents, {n // 500} sites, batches of {batch_sites * 500} documents (fresh subprocess)")
    print(f"  generating the documents (baseline)  {gen:>9.0f} docs/s  (CPU time, one process)")
    for name, what in (("pass1", "count + merge + model + samples"), ("pass2", "strip")):
        rate = n / r[f"{name}_s"]
        label = f"{name} ({what})"
        print(f"  {label:<37}{rate:>9.0f} docs/s  = {rate / gen:.2f}x generation")
    print(f"  pass 1 state: counts {r['count_keys']} keys, {r['counts_bytes'] / 2**20:.1f} MiB; "
          f"model {r['model_keys']} frequent keys, {r['model_bytes'] / 2**20:.2f} MiB")
    print(f"  peak RSS {r['rss_peak_mib']:.0f} MiB (after imports {r['rss_start_mib']:.0f} MiB; "
          f"{r['rss_peak_mib'] / r['rss_start_mib']:.1f}x); blocks removed {r['blocks_removed']}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sites", type=int, default=22)
    ap.add_argument("--scale", type=int, default=0, help="also measure pass 1 / pass 2 on this many documents")
    ap.add_argument("--batch-sites", type=int, default=10, help="sites per batch in the scale run")
    ap.add_argument("--no-baseline", action="store_true", help="skip trafilatura")
    ap.add_argument("--scale-worker", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.scale_worker:
        print(json.dumps(scale_worker(args.scale_worker, args.batch_sites)))
        return 0

    specs = site_specs(args.sites)
    data = [x for spec in specs for x in site_documents(spec)]
    n_html = sum(s.html for s in specs)
    print(f"{len(specs)} sites ({n_html} as HTML blocks with DOM paths, {len(specs) - n_html} as text dumps), "
          f"{len(data)} documents, {sum(len(x.doc.blocks) for x in data)} blocks")
    opts = CleanOptions()
    scores = {}
    scores["pressroom"], info = score_pressroom(data, opts)
    print(f"pressroom: {info['seconds']:.2f} s, {info['gutted']} documents flagged gutted")
    if not args.no_baseline:
        scores["trafilatura"], tinfo = score_trafilatura(data, specs)
        print(f"trafilatura deduplicate=True: {tinfo['seconds']:.2f} s")
    print()
    print_scores(scores)
    small = [x for x in data if x.doc.site == f"site{specs[-1].index:03d}.example"]
    s3, _ = score_pressroom(small, opts)
    print(f"\n3-document site alone: body lost {s3.removed['body'] / max(1, s3.total['body']):.4f}, "
          f"boilerplate recall {s3.precision_recall()[1]:.4f}")
    if args.scale:
        run_scale(args.scale, args.batch_sites)
    return 0


if __name__ == "__main__":
    sys.exit(main())
