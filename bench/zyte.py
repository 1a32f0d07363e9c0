"""Body-extraction benchmark on the Zyte article set: pressroom against bare trafilatura.

    .venv/bin/python bench/zyte.py [--limit N] [--json] [--worst K] [--results bench/RESULTS.md]

Scores, in one run, pressroom's `cleaning.clean_html(html, url)["body_text"]` (one page,
no site context), `trafilatura.extract(html, url=...)` with its defaults and with
`favor_precision=True`, with the metric of the data set's README (bench/metrics.py),
and prints the ratios pressroom / trafilatura default. `--worst K` lists the pages where
pressroom loses most F1 to trafilatura, with what it missed and what it added.
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
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.results import write_results_section  # noqa: E402
from bench.metrics import DocScore, Summary, score_document, shingles, summarize, tokenize  # noqa: E402

DEFAULT_DATA = REPO.parent / "shared" / "bench" / "zyte"
RESULTS_HEADING = "## Zyte article-extraction benchmark (bench/zyte.py)"
BASELINE = "trafilatura default"
LIBRARIES = ("pressroom", "trafilatura", "lxml", "selectolax", "langdetect", "pyarrow")


@dataclass(frozen=True, slots=True)
class Page:
    page_id: str
    url: str
    html: str
    truth: str


@dataclass
class EngineRun:
    name: str
    predictions: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0
    errors: dict[str, str] = field(default_factory=dict)
    derived: bool = False  # computed from another engine's output: no timing of its own
    records: dict[str, dict] = field(default_factory=dict)  # pressroom's full records, for the breakdown

    def scores(self, pages: list[Page]) -> dict[str, DocScore]:
        return {p.page_id: score_document(self.predictions.get(p.page_id, ""), p.truth) for p in pages}

    def docs_per_second(self) -> float | None:
        return len(self.predictions) / self.seconds if self.seconds and not self.derived else None


def load_pages(data_dir: Path, limit: int | None = None) -> list[Page]:
    truth = json.loads((data_dir / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for page_id in sorted(truth)[:limit]:
        raw = gzip.decompress((data_dir / "html" / f"{page_id}.html.gz").read_bytes())
        pages.append(Page(page_id, truth[page_id].get("url") or "", raw.decode("utf-8", "replace"),
                          truth[page_id].get("articleBody") or ""))
    return pages


def run_engine(name: str, extract: Callable[[Page], str], pages: list[Page]) -> EngineRun:
    """Time `extract` over every page; a page that raises scores as an empty prediction.

    One untimed call first, so lazy imports and model loading are not billed to the pages.
    """
    run = EngineRun(name)
    if pages:
        try:
            extract(pages[0])
        except Exception:  # noqa: BLE001 - the timed loop records it
            pass
    for page in pages:
        start = time.perf_counter()
        try:
            run.predictions[page.page_id] = extract(page) or ""
        except Exception as exc:  # noqa: BLE001 - one bad page must not stop the benchmark
            run.predictions[page.page_id] = ""
            run.errors[page.page_id] = f"{type(exc).__name__}: {exc}"[:200]
        run.seconds += time.perf_counter() - start
    return run


def run_pressroom(pages: list[Page]) -> tuple[EngineRun, EngineRun]:
    """pressroom's body_text, and the same records with the lead put back in front."""
    from cleaning import clean_html

    records: dict[str, dict] = {}

    def extract(page: Page) -> str:
        records[page.page_id] = clean_html(page.html, page.url or None)
        return records[page.page_id].get("body_text") or ""

    body = run_engine("pressroom", extract, pages)
    body.records = records
    with_lead = EngineRun("pressroom lead+body", errors=dict(body.errors), derived=True)
    for page in pages:
        rec = records.get(page.page_id) or {}
        with_lead.predictions[page.page_id] = "\n\n".join(x for x in (rec.get("lead"), rec.get("body_text")) if x)
    return body, with_lead


def run_all(pages: list[Page]) -> list[EngineRun]:
    import trafilatura

    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    runs = list(run_pressroom(pages))
    runs.append(run_engine(BASELINE, lambda p: trafilatura.extract(p.html, url=p.url or None), pages))
    runs.append(run_engine("trafilatura favor_precision",
                           lambda p: trafilatura.extract(p.html, url=p.url or None, favor_precision=True), pages))
    return runs


def library_versions() -> dict[str, str]:
    found = {"python": platform.python_version()}
    for name in LIBRARIES:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "not installed"
    return found


# ------------------------------------------------------------------ breakdown


def _coverage(line: str, other_tokens: list[str], other_sh: Counter) -> float | None:
    """Share of a line's shingles found in the other text; a line under 4 tokens must appear whole."""
    tokens = tokenize(line)
    if not tokens:
        return None
    if len(tokens) < 4:
        n = len(tokens)
        return float(any(other_tokens[i:i + n] == tokens for i in range(len(other_tokens) - n + 1)))
    sh = shingles(tokens)
    return sum((sh & other_sh).values()) / sum(sh.values())


def _uncovered_lines(text: str, other: str, threshold: float = 0.5) -> list[str]:
    """Lines of `text` whose shingles are mostly absent from `other` (what one side lacks)."""
    other_tokens = tokenize(other)
    other_sh = shingles(other_tokens)
    out = []
    for line in (x.strip() for x in text.splitlines()):
        cov = _coverage(line, other_tokens, other_sh)
        if cov is not None and cov < threshold:
            out.append(line)
    return out


def _clip(text: str, width: int = 110) -> str:
    text = re.sub(r"\s+", " ", text)
    return text if len(text) <= width else text[: width - 1] + "…"


def _covers(container: str, line: str, threshold: float = 0.5) -> bool:
    tokens = tokenize(container)
    cov = _coverage(line, tokens, shingles(tokens))
    return cov is not None and cov >= threshold


def where_it_went(line: str, record: dict) -> str:
    """Which part of pressroom's record holds a truth line missing from body_text."""
    for removed in record.get("removed") or []:
        if _covers(removed.get("text") or "", line):
            return f"removed:{removed.get('reason')}"
    fields = {"lead": [record.get("lead") or ""], "notes": record.get("notes") or [],
              "contacts": record.get("contacts") or [], "title": [record.get("title") or ""],
              "quotes(pull)": [q.get("text") or "" for q in record.get("quotes") or [] if q.get("kind") == "pull"],
              "teasers": [" ".join(filter(None, (t.get("title"), t.get("snippet")))) for t in record.get("teasers") or []]}
    for name, texts in fields.items():
        if any(_covers(t, line) for t in texts):
            return name
    return "never extracted"


def loss_causes(pages: list[Page], ours: EngineRun) -> Counter:
    """Truth tokens missing from pressroom's body, by where they went (summed over all pages)."""
    causes: Counter = Counter()
    for page in pages:
        record = ours.records.get(page.page_id) or {}
        for line in _uncovered_lines(page.truth, ours.predictions.get(page.page_id, "")):
            causes[where_it_went(line, record) if record else "page raised"] += len(tokenize(line))
    return causes


def worst_pages(pages: list[Page], ours: EngineRun, base: EngineRun, k: int) -> list[dict]:
    """The k pages where pressroom loses most per-document F1 to the baseline, explained."""
    ours_scores, base_scores = ours.scores(pages), base.scores(pages)
    rows = []
    for page in pages:
        pred, ref = ours.predictions[page.page_id], base.predictions[page.page_id]
        o, b = ours_scores[page.page_id], base_scores[page.page_id]
        missing = _uncovered_lines(page.truth, pred)
        extra = _uncovered_lines(pred, page.truth)
        rows.append({
            "id": page.page_id[:12], "url": page.url, "delta_f1": o.f1 - b.f1,
            "pressroom": {"f1": o.f1, "precision": o.precision, "recall": o.recall, "tokens": len(tokenize(pred))},
            "trafilatura": {"f1": b.f1, "tokens": len(tokenize(ref))},
            "truth_tokens": len(tokenize(page.truth)),
            "missing_tokens": sum(len(tokenize(x)) for x in missing),
            "extra_tokens": sum(len(tokenize(x)) for x in extra),
            "missing": [_clip(x) for x in missing[:3]], "extra": [_clip(x) for x in extra[:3]],
            "missing_went": dict(Counter(where_it_went(x, ours.records.get(page.page_id) or {})
                                         for x in missing).most_common(3)) if ours.records else {},
            "flags": (ours.records.get(page.page_id) or {}).get("quality_flags") or [],
            "error": ours.errors.get(page.page_id),
        })
    rows.sort(key=lambda r: r["delta_f1"])
    return rows[:k]


# ------------------------------------------------------------------ output


def _fmt(x: float | None, digits: int = 3) -> str:
    return "—" if x is None else f"{x:.{digits}f}"


def results_table(runs: list[EngineRun], summaries: dict[str, Summary]) -> list[str]:
    lines = ["| extractor | F1 | precision | recall | accuracy | docs/s | errors |", "|---|---|---|---|---|---|---|"]
    for run in runs:
        s = summaries[run.name]
        dps = run.docs_per_second()
        lines.append(f"| {run.name} | {s.f1:.3f} | {s.precision:.3f} | {s.recall:.3f} | {s.accuracy:.3f} | "
                     f"{_fmt(dps, 1) if dps else 'same run'} | {len(run.errors)} |")
    return lines


def ratio_lines(runs: list[EngineRun], summaries: dict[str, Summary]) -> list[str]:
    by_name = {r.name: r for r in runs}
    ours, base = summaries["pressroom"], summaries[BASELINE]
    dps_ours, dps_base = by_name["pressroom"].docs_per_second(), by_name[BASELINE].docs_per_second()

    def ratio(a, b):
        return _fmt(a / b) if a and b else "—"

    return [f"pressroom / {BASELINE}: F1 ×{ratio(ours.f1, base.f1)}, precision ×{ratio(ours.precision, base.precision)}, "
            f"recall ×{ratio(ours.recall, base.recall)}, speed ×{ratio(dps_ours, dps_base)}"]


def causes_line(causes: Counter, empty: list[str]) -> str:
    total = sum(causes.values()) or 1
    went = ", ".join(f"{c} {100 * n / total:.0f}%" for c, n in causes.most_common(6)) or "nowhere (none missing)"
    return (f"Where pressroom loses: its body is empty on {len(empty)} pages where trafilatura found text; "
            f"truth tokens missing from its body_text went to {went}.")


def markdown_section(runs, summaries, n_pages, versions, extra: list[str] = (), load: float | None = None) -> str:
    load_note = f", load average {load:.2f} at start (docs/s compare within the run only)" if load is not None else ""
    lines = [RESULTS_HEADING, "",
             f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {n_pages} pages of "
             "`../shared/bench/zyte/` (metric: its README, implemented in `bench/metrics.py`), "
             f"one run, {platform.machine()} / {len(os.sched_getaffinity(0))} cores{load_note}. "
             "pressroom = `cleaning.clean_html(html, url)[\"body_text\"]`, one page at a time, no site context. "
             "The ground truth never starts with the headline, so no title-prepended variant is scored.", "",
             *results_table(runs, summaries), "", *ratio_lines(runs, summaries), "", *extra,
             "Versions: " + ", ".join(f"{k} {v}" for k, v in versions.items()), "",
             "Reproduce: `.venv/bin/python bench/zyte.py --results bench/RESULTS.md`.", ""]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="benchmark folder (html/, ground-truth.json)")
    parser.add_argument("--limit", type=int, default=None, help="score only the first N pages (sorted by id)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--worst", type=int, default=10, help="list the K pages where pressroom loses most F1")
    parser.add_argument("--results", type=Path, help="update this benchmark's section of this Markdown file")
    args = parser.parse_args(argv)

    warnings.filterwarnings("ignore")
    load = os.getloadavg()[0]
    pages = load_pages(args.data, args.limit)
    runs = run_all(pages)
    summaries = {r.name: summarize(r.scores(pages).values()) for r in runs}
    by_name = {r.name: r for r in runs}
    ours, base = by_name["pressroom"], by_name[BASELINE]
    worst = worst_pages(pages, ours, base, args.worst) if args.worst else []
    causes = loss_causes(pages, ours) if args.worst else Counter()
    empty = [p.page_id for p in pages if not tokenize(ours.predictions[p.page_id]) and tokenize(base.predictions[p.page_id])]
    versions = library_versions()

    if args.json:
        print(json.dumps({
            "pages": len(pages), "versions": versions,
            "results": {r.name: {**summaries[r.name].as_dict(), "docs_per_s": r.docs_per_second(),
                                 "errors": len(r.errors)} for r in runs},
            "ratios": {k: (summaries["pressroom"].as_dict()[k] / summaries[BASELINE].as_dict()[k]
                           if summaries[BASELINE].as_dict()[k] else None) for k in ("f1", "precision", "recall")},
            "worst": worst,
            "missing_tokens_by_cause": dict(causes.most_common()),
            "empty_where_baseline_not": empty,
            "errors": by_name["pressroom"].errors,
        }, indent=2, ensure_ascii=False))
    else:
        print(f"{len(pages)} pages from {args.data}")
        print("\n".join(results_table(runs, summaries)))
        print("\n".join(ratio_lines(runs, summaries)))
        if by_name["pressroom"].errors:
            first = next(iter(by_name["pressroom"].errors.items()))
            print(f"pressroom raised on {len(by_name['pressroom'].errors)} pages, e.g. {first[0][:12]}: {first[1]}")
        if args.worst:
            print()
            print(causes_line(causes, empty))
        if worst:
            print(f"\nWhere pressroom loses most to {BASELINE} (per-page F1):")
            for row in worst:
                p = row["pressroom"]
                print(f"- {row['id']} Δ{row['delta_f1']:+.2f} (ours {p['f1']:.2f}, traf {row['trafilatura']['f1']:.2f}; "
                      f"tokens ours {p['tokens']} / traf {row['trafilatura']['tokens']} / truth {row['truth_tokens']}; "
                      f"missing {row['missing_tokens']}, extra {row['extra_tokens']}) {row['url']}")
                if row["error"]:
                    print(f"    error: {row['error']}")
                if row["missing_went"] or row["flags"]:
                    print(f"    flags {row['flags']}; missing lines went to {row['missing_went']}")
                for line in row["missing"]:
                    print(f"    - missing: {line}")
                for line in row["extra"]:
                    print(f"    + extra:   {line}")
    if args.results:
        extra = [causes_line(causes, empty), ""] if args.worst else []
        write_results_section(args.results, markdown_section(runs, summaries, len(pages), versions, extra, load))
        print(f"updated {args.results}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
