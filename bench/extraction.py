"""Extraction benchmark on every shared real page set: pressroom against bare trafilatura, per page type.

    .venv/bin/python bench/extraction.py [--data DIR] [--limit N] [--sample K] [--json OUT]
                                         [--results bench/RESULTS.md] [--worst K]

One run, one process, one trafilatura version, on:
- `zyte/` (181 article pages): the Zyte metric (bench/metrics.py: 4-token shingles, F1 of the
  averaged precision / recall) and, beside it, WCXB's word F1;
- `wcxb/` (900 pages: article, listing, collection): WCXB's metric (its README: bag-of-words
  word F1 per page, plain means of P, R and F1; `with` / `without` snippet rates).

Systems:
- pressroom page-alone: `clean_html(html, url)["body_text"]`, no site context;
- pressroom batch: `clean_pages` over the pages of one registered domain together (the real
  pressroom mode; a domain with one page gives the page-alone record, so it is reused);
- trafilatura default: `trafilatura.extract(html)`, nothing else;
- trafilatura zyte.py call: `extract(html, url=url)`, the call bench/zyte.py scores as "default";
- trafilatura favor_precision / favor_recall: the same call with that flag.

Every figure is also given as a difference (and ratio) against trafilatura default from the
same run, with the count of pages scoring 0, of empty bodies and of exceptions per system.
`--limit N` keeps the first N pages of each set (by id), `--sample K` every K-th page (by id):
both are deterministic. Data dir: `--data`, else $PRESSROOM_BENCH_DATA, else `../shared/bench`
next to the repository, else `/work/shared/bench`.
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import os
import platform
import re
import sys
import time
import warnings
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.metrics import score_document, summarize, tokenize  # noqa: E402
from bench.results import write_results_section  # noqa: E402
from bench.zyte import _uncovered_lines, library_versions, where_it_went  # noqa: E402

RESULTS_HEADING = "## Extraction per page type, Zyte + WCXB (bench/extraction.py)"
DATA_CANDIDATES = (REPO.parent / "shared" / "bench", Path("/work/shared/bench"))
BASELINE = "trafilatura default"
OURS = "pressroom page-alone"
BATCH = "pressroom batch"
SYSTEMS = (OURS, BATCH, BASELINE, "trafilatura zyte.py call", "trafilatura favor_precision",
           "trafilatura favor_recall")
GROUPS = ("zyte", "wcxb/article", "wcxb/listing", "wcxb/collection")
WORD_RE = re.compile(r"\w+")


def find_data_dir(explicit: Path | None = None) -> Path | None:
    """The folder holding zyte/ and wcxb/: --data, $PRESSROOM_BENCH_DATA, ../shared/bench, /work/shared/bench."""
    if explicit is not None:
        return explicit
    env = os.environ.get("PRESSROOM_BENCH_DATA")
    if env:
        return Path(env)
    for cand in DATA_CANDIDATES:
        if (cand / "zyte").is_dir() or (cand / "wcxb").is_dir():
            return cand
    return None


@dataclass(frozen=True, slots=True)
class Page:
    set: str  # "zyte" | "wcxb"
    page_id: str
    page_type: str  # "article" | "listing" | "collection" (zyte: "article")
    url: str
    html: str
    truth: str
    with_snippets: tuple[str, ...] = ()
    without_snippets: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return f"{self.set}/{self.page_id}"

    @property
    def group(self) -> str:
        return "zyte" if self.set == "zyte" else f"wcxb/{self.page_type}"


def _select(ids: list[str], limit: int | None, sample: int | None) -> list[str]:
    ids = sorted(ids)
    if sample and sample > 1:
        ids = ids[::sample]
    return ids[:limit] if limit else ids


def load_zyte(data_dir: Path, limit: int | None = None, sample: int | None = None) -> list[Page]:
    folder = data_dir / "zyte"
    if not (folder / "ground-truth.json").exists():
        return []
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for page_id in _select(list(truth), limit, sample):
        raw = gzip.decompress((folder / "html" / f"{page_id}.html.gz").read_bytes())
        pages.append(Page("zyte", page_id, "article", truth[page_id].get("url") or "",
                          raw.decode("utf-8", "replace"), truth[page_id].get("articleBody") or ""))
    return pages


def load_wcxb(data_dir: Path, limit: int | None = None, sample: int | None = None) -> list[Page]:
    folder = data_dir / "wcxb"
    if not (folder / "ground-truth").is_dir():
        return []
    ids = [p.name[: -len(".json")] for p in (folder / "ground-truth").glob("*.json")]
    pages = []
    for page_id in _select(ids, limit, sample):
        gt = json.loads((folder / "ground-truth" / f"{page_id}.json").read_text(encoding="utf-8"))
        raw = gzip.decompress((folder / "html" / f"{page_id}.html.gz").read_bytes())
        ptype = ((gt.get("_internal") or {}).get("page_type") or {}).get("primary") or "article"
        ptype = "collection" if ptype == "category" else ptype
        g = gt.get("ground_truth") or {}
        pages.append(Page("wcxb", page_id, ptype, gt.get("url") or "", raw.decode("utf-8", "replace"),
                          g.get("main_content") or "", tuple(g.get("with") or ()), tuple(g.get("without") or ())))
    return pages


def load_all(data_dir: Path, limit: int | None = None, sample: int | None = None) -> list[Page]:
    return load_zyte(data_dir, limit, sample) + load_wcxb(data_dir, limit, sample)


# ------------------------------------------------------------------ metrics


def word_scores(predicted: str, truth: str) -> tuple[float, float, float]:
    """WCXB's per-page word P, R, F1 (lower-cased \\w+ bags; an empty reference scores 1 only if empty)."""
    pred, ref = Counter(WORD_RE.findall(predicted.lower())), Counter(WORD_RE.findall(truth.lower()))
    if not ref:
        return (1.0, 1.0, 1.0) if not pred else (0.0, 0.0, 0.0)
    if not pred:
        return 0.0, 0.0, 0.0
    overlap = sum((pred & ref).values())
    p, r = overlap / sum(pred.values()), overlap / sum(ref.values())
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def snippet_rates(predicted: str, page: Page) -> tuple[float, float]:
    """(with-rate, without-rate) for one page; a page without snippets of a kind scores 1.0 for it."""
    low = predicted.lower()
    w = (sum(s.lower() in low for s in page.with_snippets) / len(page.with_snippets)) if page.with_snippets else 1.0
    wo = (sum(s.lower() in low for s in page.without_snippets) / len(page.without_snippets)
          if page.without_snippets else 1.0)
    return w, wo


def page_score(predicted: str, page: Page) -> dict:
    p, r, f1 = word_scores(predicted, page.truth)
    w, wo = snippet_rates(predicted, page)
    out = {"word_f1": f1, "word_p": p, "word_r": r, "with": w, "without": wo,
           "tokens": len(WORD_RE.findall(predicted))}
    if page.set == "zyte":
        z = score_document(predicted, page.truth)
        out.update(zyte_f1=z.f1, zyte_tp=z.tp, zyte_fp=z.fp, zyte_fn=z.fn, zyte_exact=z.exact)
    return out


def _mean(xs: list[float]) -> float:
    return sum(xs) / len(xs) if xs else 0.0


def group_figures(pages: list[Page], run: "SystemRun") -> dict:
    """One system on one group of pages: WCXB means (and the Zyte metric on Zyte pages), zeros, empties, errors."""
    scores = [run.scores[p.key] for p in pages]
    fig = {
        "pages": len(pages),
        "word_f1": _mean([s["word_f1"] for s in scores]),
        "word_p": _mean([s["word_p"] for s in scores]),
        "word_r": _mean([s["word_r"] for s in scores]),
        "with": _mean([s["with"] for s in scores]),
        "without": _mean([s["without"] for s in scores]),
        "zero": sum(1 for s in scores if s["word_f1"] == 0.0),
        "empty": sum(1 for s in scores if s["tokens"] == 0),
        "errors": sum(1 for p in pages if p.key in run.errors),
    }
    if pages and pages[0].set == "zyte":
        from bench.metrics import DocScore

        z = summarize(DocScore(s["zyte_tp"], s["zyte_fp"], s["zyte_fn"], s["zyte_exact"]) for s in scores)
        fig.update(zyte_f1=z.f1, zyte_p=z.precision, zyte_r=z.recall, zyte_acc=z.accuracy)
    return fig


# ------------------------------------------------------------------ systems


@dataclass
class SystemRun:
    name: str
    predictions: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0
    records: dict[str, dict] = field(default_factory=dict)
    scores: dict[str, dict] = field(default_factory=dict)


def _err(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:300]


def run_per_page(name: str, extract: Callable[[Page], str], pages: list[Page]) -> SystemRun:
    run = SystemRun(name)
    if pages:  # warm-up: lazy imports and model loading are not billed to the pages
        try:
            extract(pages[0])
        except Exception:  # noqa: BLE001
            pass
    for page in pages:
        start = time.perf_counter()
        try:
            run.predictions[page.key] = extract(page) or ""
        except Exception as exc:  # noqa: BLE001 - one bad page must not stop the benchmark
            run.predictions[page.key] = ""
            run.errors[page.key] = _err(exc)
        run.seconds += time.perf_counter() - start
    return run


def run_pressroom_alone(pages: list[Page]) -> SystemRun:
    from cleaning.pipeline import clean_html

    records: dict[str, dict] = {}

    def extract(page: Page) -> str:
        records[page.key] = clean_html(page.html, page.url or None)
        return records[page.key].get("body_text") or ""

    run = run_per_page(OURS, extract, pages)
    run.records = records
    return run


def _domain(url: str) -> str:
    from cleaning.core.urls import registered_domain

    try:
        return registered_domain(url) or url
    except Exception:  # noqa: BLE001
        return url


def run_pressroom_batch(pages: list[Page], alone: SystemRun) -> SystemRun:
    """clean_pages per (set, registered domain); a one-page domain is the page-alone record."""
    from cleaning.core.options import CleanOptions
    from cleaning.core.stats import Stats
    from cleaning.pipeline import clean_pages

    run = SystemRun(BATCH)
    groups: dict[tuple[str, str], list[Page]] = defaultdict(list)
    for page in pages:
        groups[(page.set, _domain(page.url))].append(page)
    for group in groups.values():
        if len(group) == 1:
            page = group[0]
            run.predictions[page.key] = alone.predictions[page.key]
            if page.key in alone.errors:
                run.errors[page.key] = alone.errors[page.key]
            if page.key in alone.records:
                run.records[page.key] = alone.records[page.key]
            continue
        start = time.perf_counter()
        stats = Stats()
        try:
            # every page is scored on its body: the release filter (classify) is not what this measures
            records = list(clean_pages([{"input": p.key, "url": p.url or None, "html": p.html} for p in group],
                                       opts=CleanOptions(all_pages=True), stats=stats))
        except Exception as exc:  # noqa: BLE001
            records = []
            for p in group:
                run.errors[p.key] = _err(exc)
        run.seconds += time.perf_counter() - start
        by_input = {r["input"]: r for r in records}
        # A page folded into another (same canonical, same text) is scored on the record that kept it.
        folded_into = {n["dropped"]: n["kept"] for n in stats.notes.get("ids", [])}
        stage_errors = {e["input"]: f"{e['step']}: {e['error']}" for e in stats.errors}
        for p in group:
            rec = by_input.get(p.key) or by_input.get(folded_into.get(p.key, ""))
            run.predictions[p.key] = (rec or {}).get("body_text") or ""
            if rec is not None:
                run.records[p.key] = rec
            elif p.key not in run.errors:
                run.errors[p.key] = stage_errors.get(p.key, "no record")[:300]
    return run


def run_all(pages: list[Page], progress: Callable[[str], None] = lambda s: None,
            systems: tuple[str, ...] = SYSTEMS) -> list[SystemRun]:
    """Every system in `systems` (all of them by default; pressroom page-alone always runs) over `pages`."""
    import trafilatura

    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    runs = []
    alone = run_pressroom_alone(pages)
    progress(f"{OURS}: {alone.seconds:.0f}s")
    runs.append(alone)
    if BATCH in systems:
        batch = run_pressroom_batch(pages, alone)
        progress(f"{BATCH}: {batch.seconds:.0f}s (multi-page domains only)")
        runs.append(batch)
    calls = {
        BASELINE: lambda p: trafilatura.extract(p.html),
        "trafilatura zyte.py call": lambda p: trafilatura.extract(p.html, url=p.url or None),
        "trafilatura favor_precision": lambda p: trafilatura.extract(p.html, url=p.url or None, favor_precision=True),
        "trafilatura favor_recall": lambda p: trafilatura.extract(p.html, url=p.url or None, favor_recall=True),
    }
    for name, call in calls.items():
        if name not in systems:
            continue
        runs.append(run_per_page(name, call, pages))
        progress(f"{name}: {runs[-1].seconds:.0f}s")
    for run in runs:
        run.scores = {p.key: page_score(run.predictions.get(p.key, ""), p) for p in pages}
    return runs


def figures_by_group(pages: list[Page], runs: list[SystemRun]) -> dict[str, dict[str, dict]]:
    """{group: {system: figures}} for the groups present in `pages`."""
    by_group: dict[str, list[Page]] = defaultdict(list)
    for p in pages:
        by_group[p.group].append(p)
    return {g: {r.name: group_figures(by_group[g], r) for r in runs} for g in GROUPS if by_group.get(g)}


# ------------------------------------------------------------------ loss analysis


def worst_pages(pages: list[Page], ours: SystemRun, base: SystemRun, k: int) -> list[dict]:
    """The k pages where pressroom loses most word F1 to trafilatura default, with where the missing text went."""
    rows = []
    for page in pages:
        o, b = ours.scores[page.key], base.scores[page.key]
        delta = o["word_f1"] - b["word_f1"]
        if delta >= 0:
            continue
        pred, ref = ours.predictions[page.key], base.predictions[page.key]
        record = ours.records.get(page.key) or {}
        missing = _uncovered_lines(page.truth, pred)
        kept_by_base = [x for x in missing if not _uncovered_lines(x, ref)]  # missing lines trafilatura had
        went = Counter()
        for line in kept_by_base or missing:
            went[where_it_went(line, record) if record else "page raised"] += len(tokenize(line))
        rows.append({
            "key": page.key, "group": page.group, "url": page.url, "delta_word_f1": delta,
            "pressroom": {k2: o[k2] for k2 in ("word_f1", "word_p", "word_r", "tokens")},
            "trafilatura": {k2: b[k2] for k2 in ("word_f1", "word_p", "word_r", "tokens")},
            "truth_tokens": len(WORD_RE.findall(page.truth)),
            "missing_tokens_went": dict(went.most_common()),
            "missing_examples": [x[:140] for x in (kept_by_base or missing)[:4]],
            "flags": record.get("quality_flags") or [],
            "error": ours.errors.get(page.key),
        })
    rows.sort(key=lambda r: r["delta_word_f1"])
    return rows[:k]


def loss_causes(pages: list[Page], ours: SystemRun, base: SystemRun) -> dict[str, Counter]:
    """Per group: truth tokens trafilatura default kept and pressroom's body lacks, by where they went."""
    out: dict[str, Counter] = defaultdict(Counter)
    for page in pages:
        pred, ref = ours.predictions[page.key], base.predictions[page.key]
        record = ours.records.get(page.key) or {}
        for line in _uncovered_lines(page.truth, pred):
            if _uncovered_lines(line, ref):
                continue  # trafilatura lacks it too
            out[page.group][where_it_went(line, record) if record else "page raised"] += len(tokenize(line))
    return out


# ------------------------------------------------------------------ output


def _f(x: float | None, d: int = 3) -> str:
    return "—" if x is None else f"{x:.{d}f}"


def _delta(a: float, b: float) -> str:
    ratio = f" ×{a / b:.3f}" if b else ""
    return f"{a - b:+.3f}{ratio}"


def table_lines(figs: dict[str, dict[str, dict]], runs: list[SystemRun]) -> list[str]:
    lines = []
    for group, by_sys in figs.items():
        base = by_sys[BASELINE]
        n = base["pages"]
        lines += [f"**{group}** ({n} pages)", ""]
        zyte = "zyte_f1" in base
        head = "| system |" + (" Zyte F1 | Zyte P | Zyte R | Δ Zyte F1 |" if zyte else "") + \
               " word F1 | word P | word R | Δ word F1 (×) | with | without | F1=0 | empty | errors |"
        lines += [head, "|" + "---|" * (head.count("|") - 1)]
        for run in runs:
            s = by_sys[run.name]
            z = (f" {s['zyte_f1']:.3f} | {s['zyte_p']:.3f} | {s['zyte_r']:.3f} | {s['zyte_f1'] - base['zyte_f1']:+.3f} |"
                 if zyte else "")
            lines.append(f"| {run.name} |{z} {s['word_f1']:.3f} | {s['word_p']:.3f} | {s['word_r']:.3f} | "
                         f"{_delta(s['word_f1'], base['word_f1'])} | {s['with']:.3f} | {s['without']:.3f} | "
                         f"{s['zero']} | {s['empty']} | {s['errors']} |")
        lines.append("")
    return lines


def timing_line(runs: list[SystemRun], n: int) -> str:
    parts = [f"{r.name} {r.seconds:.0f}s" + (f" ({n / r.seconds:.1f} pages/s)" if r.seconds and r.name != BATCH else "")
             for r in runs]
    return "Time per system (one process): " + ", ".join(parts) + \
        f"; {BATCH} times only the domains with several pages (the others reuse the page-alone record)."


def causes_lines(causes: dict[str, Counter]) -> list[str]:
    out = []
    for group in GROUPS:
        c = causes.get(group)
        if not c:
            continue
        total = sum(c.values()) or 1
        out.append(f"- {group}: {sum(c.values())} truth tokens kept by trafilatura default and missing from "
                   f"pressroom's body went to " + ", ".join(f"{k} {100 * v / total:.0f}%" for k, v in c.most_common(6)))
    return out


def markdown_section(figs, runs, pages, versions, seconds, causes, load, data_dir, sample, limit) -> str:
    subset = (f", every {sample}th page" if sample and sample > 1 else "") + (f", first {limit} per set" if limit else "")
    lines = [RESULTS_HEADING, "",
             f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {len(pages)} pages "
             f"(`zyte/` and `wcxb/` of the shared bench data{subset}), one run, one process, "
             f"{platform.machine()} / {len(os.sched_getaffinity(0))} cores, load average {load:.2f} at start, "
             f"{seconds:.0f}s in all. pressroom = `body_text`. trafilatura default = `extract(html)`; "
             "zyte.py call = `extract(html, url=url)`; favor_* add that flag to the zyte.py call. "
             "Zyte metric: bench/metrics.py; word F1 / P / R, with / without: the WCXB README (plain means per page). "
             "Δ and × are against trafilatura default in the same run. F1=0: pages with word F1 0; empty: empty body.",
             "", *table_lines(figs, runs), timing_line(runs, len(pages)), "",
             "Where pressroom (page-alone) loses text trafilatura default kept:", *causes_lines(causes), "",
             "Versions: " + ", ".join(f"{k} {v}" for k, v in versions.items()), "",
             "Reproduce: `.venv/bin/python bench/extraction.py --results bench/RESULTS.md`.", ""]
    return "\n".join(lines) + "\n"


def per_page_json(pages: list[Page], runs: list[SystemRun]) -> list[dict]:
    return [{"key": p.key, "set": p.set, "id": p.page_id, "type": p.page_type, "url": p.url,
             "systems": {r.name: {**r.scores[p.key], "error": r.errors.get(p.key)} for r in runs}} for p in pages]


def run_bench(data_dir: Path, limit: int | None = None, sample: int | None = None,
              progress: Callable[[str], None] = lambda s: None,
              systems: tuple[str, ...] = SYSTEMS) -> tuple[list[Page], list[SystemRun], dict]:
    pages = load_all(data_dir, limit, sample)
    runs = run_all(pages, progress, systems)
    return pages, runs, figures_by_group(pages, runs)


GATED_SYSTEMS = (OURS, BATCH)
GATED_FIGURES = ("word_f1", "with", "zyte_f1")  # higher is better; zyte_f1 on the Zyte pages only
FLOORS_FILE = REPO / "bench" / "extraction-floors.json"


def floors_from(figs: dict[str, dict[str, dict]], margin: float) -> dict[str, dict[str, dict[str, float]]]:
    """{group: {system: {figure: measured - margin}}} for pressroom's systems."""
    return {g: {name: {k: round(by_sys[name][k] - margin, 4) for k in GATED_FIGURES if k in by_sys[name]}
                for name in GATED_SYSTEMS if name in by_sys} for g, by_sys in figs.items()}


def below_floors(figs: dict[str, dict[str, dict]], floors: dict) -> list[str]:
    """Every pinned figure under its floor, as 'group / system / figure: measured < floor'."""
    out = []
    for group, by_sys in floors.items():
        for name, pinned in by_sys.items():
            got = (figs.get(group) or {}).get(name)
            for key, floor in pinned.items():
                if got is None or key not in got:
                    out.append(f"{group} / {name} / {key}: not measured (floor {floor})")
                elif got[key] < floor:
                    out.append(f"{group} / {name} / {key}: {got[key]:.4f} < floor {floor:.4f}")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None, help="folder holding zyte/ and wcxb/")
    parser.add_argument("--limit", type=int, default=None, help="first N pages of each set (by id)")
    parser.add_argument("--sample", type=int, default=None, metavar="K", help="every K-th page of each set (by id)")
    parser.add_argument("--json", type=Path, default=None, metavar="OUT", help="write per-page scores here")
    parser.add_argument("--worst", type=int, default=20, help="list the K pages where pressroom loses most")
    parser.add_argument("--results", type=Path, help="update this benchmark's section of this Markdown file")
    parser.add_argument("--write-floors", type=Path, metavar="FILE",
                        help="pin pressroom's measured figures minus --margin as floors in FILE (the gate reads it)")
    parser.add_argument("--margin", type=float, default=0.005, help="noise margin under the measured figures")
    args = parser.parse_args(argv)

    data_dir = find_data_dir(args.data)
    if data_dir is None or not data_dir.is_dir():
        print(f"no bench data (tried --data, $PRESSROOM_BENCH_DATA, {', '.join(map(str, DATA_CANDIDATES))})",
              file=sys.stderr)
        return 2
    warnings.filterwarnings("ignore")
    versions = library_versions()
    print(f"trafilatura {versions.get('trafilatura')}, data {data_dir}", file=sys.stderr)
    load = os.getloadavg()[0]
    start = time.perf_counter()
    pages, runs, figs = run_bench(data_dir, args.limit, args.sample, lambda s: print(s, file=sys.stderr))
    seconds = time.perf_counter() - start
    by_name = {r.name: r for r in runs}
    ours, base = by_name[OURS], by_name[BASELINE]
    causes = loss_causes(pages, ours, base)
    worst = worst_pages(pages, ours, base, args.worst) if args.worst else []

    print(f"{len(pages)} pages from {data_dir}; trafilatura {versions.get('trafilatura')}; {seconds:.0f}s")
    print("\n".join(table_lines(figs, runs)))
    print(timing_line(runs, len(pages)))
    for run in runs:
        if run.errors:
            kinds = Counter(e.split(":", 1)[0] for e in run.errors.values())
            print(f"{run.name} raised on {len(run.errors)} pages: {dict(kinds)}; e.g. "
                  + "; ".join(f"{k}: {v}" for k, v in list(run.errors.items())[:3]))
    print("\n".join(causes_lines(causes)))
    if worst:
        print(f"\nWhere {OURS} loses most word F1 to {BASELINE}:")
        for row in worst:
            print(f"- {row['key']} [{row['group']}] Δ{row['delta_word_f1']:+.2f} (ours {row['pressroom']['word_f1']:.2f} "
                  f"/ traf {row['trafilatura']['word_f1']:.2f}; tokens {row['pressroom']['tokens']} / "
                  f"{row['trafilatura']['tokens']} / truth {row['truth_tokens']}) went {row['missing_tokens_went']} "
                  f"flags {row['flags']}{' error ' + row['error'] if row['error'] else ''} {row['url']}")
    if args.json:
        args.json.write_text(json.dumps({
            "pages": len(pages), "versions": versions, "seconds": seconds, "sample": args.sample, "limit": args.limit,
            "figures": figs, "errors": {r.name: r.errors for r in runs},
            "missing_tokens_by_cause": {g: dict(c.most_common()) for g, c in causes.items()},
            "worst": worst, "per_page": per_page_json(pages, runs),
        }, indent=1, ensure_ascii=False), encoding="utf-8")
        print(f"wrote {args.json}", file=sys.stderr)
    if args.write_floors:
        args.write_floors.write_text(json.dumps({
            "about": "Floors for tests/bench/test_extraction_gate.py: pressroom's figures measured by "
                     "bench/extraction.py on these pages, minus the margin. Regenerate with "
                     f"`.venv/bin/python bench/extraction.py --sample {args.sample or 1} --write-floors FILE`; "
                     "never edit by hand.",
            "measured_at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "sample": args.sample or 1, "limit": args.limit, "pages": len(pages), "margin": args.margin,
            "versions": versions,
            "measured": {g: {n: {k: round(v[k], 4) for k in GATED_FIGURES if k in v} for n, v in by.items()
                             if n in GATED_SYSTEMS} for g, by in figs.items()},
            "trafilatura_default": {g: {k: round(by[BASELINE][k], 4) for k in GATED_FIGURES if k in by[BASELINE]}
                                    for g, by in figs.items()},
            "floors": floors_from(figs, args.margin),
        }, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {args.write_floors}", file=sys.stderr)
    if args.results:
        write_results_section(args.results, markdown_section(figs, runs, pages, versions, seconds, causes, load,
                                                             data_dir, args.sample, args.limit))
        print(f"updated {args.results}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
