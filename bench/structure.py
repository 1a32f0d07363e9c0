"""Per-field accuracy of the structure steps on the bundled sample site, against its ground truth.

Cleans every release page of `generate_site()` in one batch (so the site model applies),
and the same releases as one text dump (`write_dump` shape: segmentation included), then
prints, per field, the share of releases that come out right: title, kicker, date, lang,
lead, body token F1 (mean), notes, contacts, teasers. The baseline, measured in the same
run, is what the split step would give with no page structure at all: the first block as
title, every other block as body (the skeleton's behaviour).

    .venv/bin/python bench/structure.py [--variant default] [--seed 0] [--show-misses 3]
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import cleaning  # noqa: E402
from cleaning.core.schema import Paragraph  # noqa: E402

BASE = "http://127.0.0.1:8765"
NOT_IN_DUMPS = {"teaser_urls"}  # a text dump carries no links: not scored there
FIELDS = ("title", "kicker", "date", "lang", "lead", "body_f1", "notes", "contacts", "teasers", "teaser_urls")


def _tokens(text: str) -> Counter:
    return Counter(re.findall(r"\w+", (text or "").casefold()))


def token_f1(got: str, want: str) -> float:
    g, w = _tokens(got), _tokens(want)
    if not g and not w:
        return 1.0
    overlap = sum((g & w).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(g.values()), overlap / sum(w.values())
    return 2 * precision * recall / (precision + recall)


def _norm(text: str | None) -> str:
    return " ".join((text or "").split())


def score(record: dict, truth) -> dict[str, float]:
    """1.0 / 0.0 per field (body: token F1), for one release."""
    published = record.get("published_at")
    teasers = [(t["kicker"], _norm(t["title"]), _norm(t["snippet"])) for t in record.get("teasers") or []]
    want_teasers = [(t["kicker"], _norm(t["title"]), _norm(t["snippet"])) for t in truth.teasers]
    urls = [(t["url"] or "").replace(BASE, "") for t in record.get("teasers") or []]
    return {
        "title": float(_norm(record.get("title")) == _norm(truth.title)),
        "kicker": float(record.get("kicker") == truth.kicker),
        "date": float(published is not None and published.date() == truth.published.date()),
        "lang": float(record.get("lang") == truth.lang),
        "lead": float(_norm(record.get("lead")) == _norm(truth.lead)),
        "body_f1": token_f1(record.get("body_text") or "", truth.body_text),
        "notes": float([_norm(n) for n in record.get("notes") or []] == [_norm(n) for n in truth.notes]),
        "contacts": float(sorted(map(_norm, record.get("contacts") or [])) == sorted(map(_norm, truth.contacts))),
        "teasers": float(teasers == want_teasers),
        "teaser_urls": float(urls == [t["url"] for t in truth.teasers]),
    }


def _report(name: str, scores: list[dict[str, float]], missing: int, seconds: float, n_docs: int) -> dict:
    means = {f: (sum(s[f] for s in scores) / len(scores) if scores else 0.0) for f in FIELDS}
    print(f"\n{name}: {len(scores)} releases scored, {missing} missing, {n_docs / seconds:.1f} docs/s")
    for f in FIELDS:
        print(f"  {f:<12} {means[f]:.3f}")
    return means


def _baseline_split(doc, opts, stats):
    """The skeleton's split: first block = title, the rest = body."""
    paragraphs = [Paragraph(text=b.text, kind=b.kind.value) for b in doc.blocks]
    return doc.replace(title=doc.blocks[0].text if doc.blocks else None, paragraphs=paragraphs[1:])


def run_pages(site, show: int, split=None, single: bool = False) -> tuple[dict, list]:
    releases = {r.path: r for r in site.releases}
    pages = [{"url": BASE + path, "html": site.pages[path].body.decode("utf-8").replace("{{BASE}}", BASE),
              "input": path} for path in releases]
    start = time.perf_counter()
    if single:  # one page at a time, no site context: what `clean_html` gives
        records = [{**cleaning.clean_html(p["html"], url=p["url"]), "input": p["input"]} for p in pages]
    elif split is None:
        records = list(cleaning.clean_pages(pages))
    else:
        records = _with_split(pages, split)
    seconds = time.perf_counter() - start
    scored, misses = [], []
    by_path = {r["input"]: r for r in records}
    for path, truth in releases.items():
        record = by_path.get(path)
        if record is None:
            continue
        s = score(record, truth)
        scored.append(s)
        if any(v < 0.98 for v in s.values()):
            misses.append((path, s, record, truth))
    return {"scores": scored, "missing": len(releases) - len(scored), "seconds": seconds,
            "n": len(pages)}, misses[:show]


def _with_split(pages: list[dict], split) -> list[dict]:
    """The real pipeline (inline engine) with another split step, for the baseline."""
    import dataclasses
    from unittest import mock

    import cleaning.pipeline as pipeline

    steps = tuple(dataclasses.replace(step, fn=split) if step.fn is pipeline.split_document else step
                  for step in pipeline.DOCUMENT_STEPS)
    with mock.patch.object(pipeline, "DOCUMENT_STEPS", steps):
        return list(cleaning.clean_pages(pages))


def run_dump(site, variant: str, seed: int) -> dict:
    from pressroom.sample_site.dump import write_dump

    with tempfile.TemporaryDirectory() as tmp:
        path = write_dump(Path(tmp) / "sample.txt", variant, seed)
        text = path.read_text(encoding="utf-8")
    start = time.perf_counter()
    records = list(cleaning.clean_pages([{"text": text, "source": "dump", "input": "sample.txt"}]))
    seconds = time.perf_counter() - start
    by_title = {_norm(r["title"]): r for r in records}
    scored = [score(by_title[_norm(t.title)], t) for t in site.releases if _norm(t.title) in by_title]
    print(f"\ndump: {len(records)} records for {len(site.releases)} releases")
    return {"scores": scored, "missing": len(site.releases) - len(scored), "seconds": seconds,
            "n": len(site.releases)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variant", default="default")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--show-misses", type=int, default=0, help="print this many imperfect releases")
    args = parser.parse_args(argv)

    from pressroom.sample_site import generate_site

    site = generate_site(args.variant, args.seed)
    baseline, _ = run_pages(site, 0, split=_baseline_split)
    base = _report("baseline (first block = title, rest = body)", baseline["scores"], baseline["missing"],
                   baseline["seconds"], baseline["n"])
    pages, misses = run_pages(site, args.show_misses)
    ours = _report("pressroom, HTML pages (one batch)", pages["scores"], pages["missing"], pages["seconds"],
                   pages["n"])
    single, _ = run_pages(site, 0, single=True)
    alone = _report("pressroom, HTML pages one at a time (clean_html, no site model)", single["scores"],
                    single["missing"], single["seconds"], single["n"])
    dump = run_dump(site, args.variant, args.seed)
    dumped = _report("pressroom, the same releases as one text dump", dump["scores"], dump["missing"],
                     dump["seconds"], dump["n"])
    print(f"\n{'field':<12} {'baseline':>9} {'pages':>7} {'single':>7} {'dump':>7} {'pages/baseline':>15}")
    for f in FIELDS:
        ratio = f"{ours[f] / base[f]:.2f}x" if base[f] else "n/a"
        dump_cell = "n/a" if f in NOT_IN_DUMPS else f"{dumped[f]:.3f}"
        print(f"{f:<12} {base[f]:>9.3f} {ours[f]:>7.3f} {alone[f]:>7.3f} {dump_cell:>7} {ratio:>15}")
    for path, s, record, truth in misses:
        bad = {k: v for k, v in s.items() if v < 0.98}
        print(f"\nmiss {path}: {bad}")
        for key in bad:
            print(f"  {key}: got {record.get(key if key not in ('date', 'body_f1') else 'published_at')!r:.300}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
