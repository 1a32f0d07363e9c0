"""Scale-out throughput: cleaning on 1 and 2 local workers and on a Dask LocalCluster; crawling with 1 and 2 scrapy-redis processes.

    .venv/bin/python bench/scale.py [--sites 2] [--latency 0.2] [--crawl-sites 3] [--redis redis://127.0.0.1:6379/0] [--results bench/RESULTS.md]

Cleaning: the sample site's release pages (as fetched HTML; `--sites K` generated sites, each
on its own host, so K site models), cleaned by `clean_sources` through each engine on the
same input. docs/s = documents / wall time of the clean, the engine already started (its
start-up is shown apart). Every engine must give the same records; the script checks it.

Crawling: `--crawl-sites` sample sites served on 127.0.0.1 with `--latency` seconds per answer (a stand-in
for the network), crawled by `pressroom crawl --redis` processes sharing one frontier in a
real Redis server (started here on a free port unless `--redis` is given). pages/s = pages
fetched by all processes / (last finish - first start) from Scrapy's own stats, so process
start-up is excluded. Each process has the same per-host concurrency, as on separate machines.

Ratios are against the 1-worker / 1-process figure of the same run.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from cleaning.engines import DaskEngine, LocalEngine  # noqa: E402
from cleaning.core.options import CleanOptions  # noqa: E402
from cleaning.pipeline import clean_sources  # noqa: E402
from cleaning.core.schema import SourceRecord  # noqa: E402
from cleaning.core.stats import Stats  # noqa: E402

CRAWL_SETTINGS = {"AUTOTHROTTLE_ENABLED": 0, "DOWNLOAD_DELAY": 0, "CONCURRENT_REQUESTS_PER_DOMAIN": 4,
                  "PRESSROOM_OBEY_CRAWL_DELAY": 0, "DOWNLOAD_TIMEOUT": 10, "CLOSESPIDER_TIMEOUT": 120,
                  "LOG_LEVEL": "ERROR"}


# ---------------------------------------------------------------- cleaning


def release_pages(sites: int) -> list[SourceRecord]:
    from pressroom.sample_site.generator import generate_site

    sources = []
    for seed in range(sites):
        site = generate_site(seed=seed)
        base = f"http://press{seed}.example.org"
        sources += [SourceRecord(input=base + rel.path, source="html", url=base + rel.path,
                                 html=site.pages[rel.path].body.decode("utf-8").replace("{{BASE}}", base))
                    for rel in site.releases]
    return sources


def time_clean(name: str, make, sources: list[SourceRecord], batch_size: int) -> dict:
    started = time.perf_counter()
    engine = make()
    warm_up = sources[: 4 * max(1, engine.workers)]  # starts a pool, imports the steps in every worker
    list(clean_sources(warm_up, CleanOptions(), Stats(), engine, batch_size=1))
    startup = time.perf_counter() - started
    try:
        t0 = time.perf_counter()
        records = list(clean_sources(sources, CleanOptions(), Stats(), engine, batch_size=batch_size))
        seconds = time.perf_counter() - t0
    finally:
        engine.close()
    return {"engine": name, "docs": len(records), "seconds": seconds, "startup": startup,
            "docs_per_s": len(records) / seconds, "records": records}


def bench_clean(sites: int) -> list[dict]:
    sources = release_pages(sites)
    batch_size = max(1, len(sources) // 16)  # enough batches to keep 2 workers busy to the end
    runs = [time_clean("local, 1 worker", lambda: LocalEngine(workers=1), sources, batch_size),
            time_clean("local, 2 workers", lambda: LocalEngine(workers=2), sources, batch_size),
            time_clean("Dask LocalCluster, 2 workers", lambda: DaskEngine(workers=2), sources, batch_size)]
    by_id = lambda r: r["doc_id"]  # noqa: E731
    reference = sorted(runs[0]["records"], key=by_id)
    for run in runs:
        run["same_records"] = sorted(run.pop("records"), key=by_id) == reference
    return runs


# ---------------------------------------------------------------- crawling


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_redis() -> tuple[str, subprocess.Popen | None]:
    binary = shutil.which("redis-server")
    if not binary:
        sys.exit("no redis-server on PATH: pass --redis URL")
    port = free_port()
    proc = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return f"redis://127.0.0.1:{port}/0", proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    sys.exit("redis-server did not start")


def crawl_once(base_urls: list[str], redis_url: str, processes: int) -> dict:
    from pressroom.crawl import build_command, child_env

    prefix = f"bench-{uuid.uuid4().hex[:8]}"
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        args = argparse.Namespace(urls=[u + "/" for u in base_urls], out=str(out), redis=redis_url, fast=True, quiet=True)
        procs = [subprocess.Popen(build_command(args, out / f"stats-{i}.json",
                                                {**CRAWL_SETTINGS, "PRESSROOM_REDIS_PREFIX": prefix}),
                                  cwd=REPO, env=child_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                 for i in range(processes)]
        for proc in procs:
            proc.wait(timeout=300)
        stats = [json.loads((out / f"stats-{i}.json").read_text()) for i in range(processes)]
    start = min(datetime.fromisoformat(s["start_time"]) for s in stats)
    finish = max(datetime.fromisoformat(s["start_time"]).timestamp() + s["elapsed_time_seconds"] for s in stats)
    pages = sum(s.get("pressroom/pages_fetched", 0) for s in stats)
    releases = sum(s.get("pressroom/releases_stored", 0) for s in stats)
    seconds = finish - start.timestamp()
    return {"processes": processes, "pages": pages, "releases": releases, "seconds": seconds,
            "pages_per_s": pages / seconds}


def bench_crawl(redis_url: str, latency: float, sites: int) -> list[dict]:
    from contextlib import ExitStack

    from pressroom.sample_site.generator import generate_site
    from pressroom.sample_site.server import serve_sample

    with ExitStack() as stack:
        urls = []
        for seed in range(sites):
            site = generate_site(seed=seed)
            site = dataclasses.replace(site, pages={p: dataclasses.replace(page, delay=page.delay or latency)
                                                    for p, page in site.pages.items()})
            urls.append(stack.enter_context(serve_sample(site)).base_url)
        return [crawl_once(urls, redis_url, n) for n in (1, 2)]


# ---------------------------------------------------------------- report


def report(clean: list[dict], crawl: list[dict], args, n_sources: int) -> str:
    now = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = [f"## Scale-out (bench/scale.py)", "",
             f"Measured {now}, one run, {platform.machine()} / {os.cpu_count()} cores, load average "
             f"{args.load:.1f} at the start (other jobs share the cores: with load above the core count, "
             f"2 workers cannot get 2 cores). Python {platform.python_version()}.", "",
             f"Cleaning {n_sources} sample release pages ({args.sites} sites), batches of "
             f"{max(1, n_sources // 16)}; engine start-up excluded from docs/s.", "",
             "| engine | docs/s | × 1 worker | start-up s | same records |", "|---|---|---|---|---|"]
    base = clean[0]["docs_per_s"]
    for r in clean:
        lines.append(f"| {r['engine']} | {r['docs_per_s']:.1f} | ×{r['docs_per_s'] / base:.2f} | "
                     f"{r['startup']:.1f} | {'yes' if r['same_records'] else 'NO'} |")
    lines += ["", f"Crawling {args.crawl_sites} sample sites at once ({args.latency * 1000:.0f} ms per answer, "
              "at most 4 requests in flight per site per process) with scrapy-redis processes "
              "sharing one frontier; process start-up excluded.", "",
              "| processes | pages | releases stored | seconds | pages/s | × 1 process |", "|---|---|---|---|---|---|"]
    base = crawl[0]["pages_per_s"]
    for r in crawl:
        lines.append(f"| {r['processes']} | {r['pages']} | {r['releases']} | {r['seconds']:.2f} | "
                     f"{r['pages_per_s']:.1f} | ×{r['pages_per_s'] / base:.2f} |")
    lines += ["", f"Reproduce: `.venv/bin/python bench/scale.py --sites {args.sites} --latency {args.latency} "
              f"--crawl-sites {args.crawl_sites}`."]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=2, help="generated sample sites to clean (70 releases each)")
    parser.add_argument("--latency", type=float, default=0.2, help="seconds the sample server waits per answer")
    parser.add_argument("--crawl-sites", type=int, default=3, help="sample sites served and crawled together")
    parser.add_argument("--redis", help="a Redis server URL (default: start redis-server on a free port)")
    parser.add_argument("--results", type=Path, help="update this benchmark's section of this Markdown file")
    args = parser.parse_args()

    args.load = os.getloadavg()[0]
    n_sources = len(release_pages(args.sites))
    clean = bench_clean(args.sites)
    redis_url, redis_proc = (args.redis, None) if args.redis else start_redis()
    try:
        crawl = bench_crawl(redis_url, args.latency, args.crawl_sites)
    finally:
        if redis_proc is not None:
            redis_proc.terminate()
            redis_proc.wait(timeout=10)
    text = report(clean, crawl, args, n_sources)
    print(text)
    if args.results:
        from bench.results import write_results_section

        write_results_section(args.results, text)


if __name__ == "__main__":
    main()
