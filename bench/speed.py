"""Speed: pressroom's pages per second against bare `trafilatura.extract` on the same pages, one process.

    .venv/bin/python bench/speed.py [--sample K] [--sites N] [--rounds R]

Two workloads, each timed for both systems in alternation (baseline, pressroom, baseline, ...,
R rounds) so that a drift of the machine's speed hits both alike; the figure is the ratio of
pages per second, pressroom / trafilatura (CPU time of this process, and wall time):

- single pages with no site context: the shared Zyte and WCXB pages (every K-th of each set),
  `cleaning.clean_html` page by page, where the trafilatura witness must run on every page;
- site crawls: N generated sample press sites of 70 releases each, `cleaning.clean_pages` per site
  (the site model sees the whole site), against trafilatura page by page.

Absolute times depend on the machine and its load; quote the ratios.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def single_pages(sample: int) -> list[tuple[str, str]]:
    from bench.extraction import find_data_dir, load_all

    data = find_data_dir()
    if data is None:
        return []
    return [(p.url, p.html) for p in load_all(data, sample=sample)]


def site_crawls(sites: int) -> list[list[tuple[str, str]]]:
    from pressroom.sample_site.generator import generate_site

    out, seed = [], 0
    while len(out) < sites:
        try:
            site = generate_site(seed=seed)
        except RuntimeError:  # a seed can run a phrase bank dry: the next one is another site
            seed += 1
            continue
        base = f"https://www.press{seed}-news.org"
        out.append([(base + rel.path, site.pages[rel.path].body.decode("utf-8").replace("{{BASE}}", base))
                    for rel in site.releases])
        seed += 1
    return out


def timed(fn) -> tuple[float, float]:
    cpu, wall = time.process_time(), time.perf_counter()
    fn()
    return time.process_time() - cpu, time.perf_counter() - wall


def compare(name: str, pages: int, baseline, ours, rounds: int) -> dict:
    totals = {"baseline": [0.0, 0.0], "pressroom": [0.0, 0.0]}
    for _ in range(rounds):
        for system, fn in (("baseline", baseline), ("pressroom", ours)):
            cpu, wall = timed(fn)
            totals[system][0] += cpu
            totals[system][1] += wall
    rate = {s: (pages * rounds / c, pages * rounds / w) for s, (c, w) in totals.items()}
    row = {"workload": name, "pages": pages, "rounds": rounds,
           "trafilatura_pages_per_cpu_s": rate["baseline"][0], "pressroom_pages_per_cpu_s": rate["pressroom"][0],
           "ratio_cpu": rate["pressroom"][0] / rate["baseline"][0],
           "ratio_wall": rate["pressroom"][1] / rate["baseline"][1]}
    print(f"{name}: {pages} pages x {rounds} rounds; pages per CPU second: trafilatura "
          f"{row['trafilatura_pages_per_cpu_s']:.1f}, pressroom {row['pressroom_pages_per_cpu_s']:.1f}; "
          f"pressroom / trafilatura: CPU x{row['ratio_cpu']:.2f}, wall x{row['ratio_wall']:.2f}", flush=True)
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sample", type=int, default=5, metavar="K", help="every K-th shared page (default 5)")
    parser.add_argument("--sites", type=int, default=4, help="generated sample sites of 70 releases (default 4)")
    parser.add_argument("--rounds", type=int, default=2, help="alternated rounds per workload (default 2)")
    args = parser.parse_args(argv)

    import trafilatura

    import cleaning

    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    cleaning.clean_html("<html><body><p>warm-up: load the models once</p></body></html>")
    rows = []
    pages = single_pages(args.sample)
    if pages:
        rows.append(compare("single pages (Zyte + WCXB, no site context)", len(pages),
                            lambda: [trafilatura.extract(html) for _, html in pages],
                            lambda: [cleaning.clean_html(html, url=url) for url, html in pages], args.rounds))
    else:
        print("single pages: no shared bench data (../shared/bench, /work/shared/bench or $PRESSROOM_BENCH_DATA)")
    sites = site_crawls(args.sites)
    n_site_pages = sum(len(s) for s in sites)
    rows.append(compare(f"site crawls ({len(sites)} sample sites, whole site per call)", n_site_pages,
                        lambda: [trafilatura.extract(html) for site in sites for _, html in site],
                        lambda: [list(cleaning.clean_pages([{"url": u, "html": h} for u, h in site])) for site in sites],
                        args.rounds))
    return 0


if __name__ == "__main__":
    sys.exit(main())
