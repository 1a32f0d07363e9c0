"""Crawl throughput: `pressroom crawl --fast` against a bare minimal Scrapy spider, same local site, same run.

    .venv/bin/python bench/crawl.py [--rounds 3]

Both crawl the bundled sample press site served on 127.0.0.1, in child processes, with
the same concurrency; pages/s = responses received / the crawl's own elapsed time
(Scrapy's `elapsed_time_seconds`, process start-up excluded; wall time is shown too).
Rounds alternate the two crawlers and the median is reported. Goal: ratio >= 0.9.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

BARE_SPIDER = '''
import json, scrapy
from urllib.parse import urlsplit

class Bare(scrapy.Spider):
    """Follow every same-host link; store nothing."""
    name = "bare"

    def __init__(self, start_url, stats_file, **kw):
        super().__init__(**kw)
        self.start_urls, self.stats_file = [start_url], stats_file
        self.host = urlsplit(start_url).netloc

    def parse(self, response):
        if b"html" not in (response.headers.get("Content-Type") or b""):
            return
        for href in response.css("a::attr(href)").getall():
            url = response.urljoin(href)
            if urlsplit(url).netloc == self.host:
                yield scrapy.Request(url)

    def closed(self, reason):
        from datetime import datetime
        started = self.crawler.stats.get_value("start_time")
        self.crawler.stats.set_value("elapsed_time_seconds", (datetime.now(started.tzinfo) - started).total_seconds())
        stats = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in self.crawler.stats.get_stats().items()}
        open(self.stats_file, "w").write(json.dumps(stats))
'''

SAME_LOAD = {"CONCURRENT_REQUESTS": 32, "CONCURRENT_REQUESTS_PER_DOMAIN": 16, "DOWNLOAD_DELAY": 0,
             "AUTOTHROTTLE_ENABLED": False, "LOG_LEVEL": "ERROR", "TELNETCONSOLE_ENABLED": False,
             "REMOTE_CONTROL_ENABLED": False, "ROBOTSTXT_OBEY": True}


def run_bare(base_url: str, work: Path) -> dict:
    spider = work / "bare_spider.py"
    spider.write_text(BARE_SPIDER)
    stats_file = work / "bare-stats.json"
    cmd = [sys.executable, "-m", "scrapy", "runspider", str(spider), "-a", f"start_url={base_url}/",
           "-a", f"stats_file={stats_file}"]
    for key, value in SAME_LOAD.items():
        cmd += ["-s", f"{key}={value}"]
    started = time.perf_counter()
    subprocess.run(cmd, check=True, cwd=work)
    return {**json.loads(stats_file.read_text()), "wall": time.perf_counter() - started}


def run_pressroom(base_url: str, work: Path, n: int) -> dict:
    out = work / f"pressroom-{n}"
    cmd = [sys.executable, "-m", "pressroom", "crawl", base_url + "/", "--out", str(out), "--fast", "-q"]
    started = time.perf_counter()
    subprocess.run(cmd, check=False, cwd=REPO, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - started
    return {**json.loads((out / "reports" / "crawl-stats.json").read_text()), "wall": wall}


def rate(stats: dict) -> float:
    return stats.get("response_received_count", 0) / max(stats["elapsed_time_seconds"], 1e-9)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    import scrapy

    from pressroom.sample_site.server import serve_sample

    results: dict[str, list[dict]] = {"bare scrapy": [], "pressroom --fast": []}
    with tempfile.TemporaryDirectory() as tmp, serve_sample("default") as srv:
        work = Path(tmp)
        for n in range(args.rounds):
            results["bare scrapy"].append(run_bare(srv.base_url, work))
            results["pressroom --fast"].append(run_pressroom(srv.base_url, work, n))

    print(f"scrapy {scrapy.__version__}, sample site {srv.base_url}, {args.rounds} rounds (median)")
    print(f"{'crawler':<18} {'responses':>9} {'crawl s':>8} {'pages/s':>8} {'wall s':>7}")
    medians = {}
    for name, runs in results.items():
        medians[name] = statistics.median(rate(s) for s in runs)
        print(f"{name:<18} {statistics.median(s['response_received_count'] for s in runs):>9.0f} "
              f"{statistics.median(s['elapsed_time_seconds'] for s in runs):>8.2f} {medians[name]:>8.1f} "
              f"{statistics.median(s['wall'] for s in runs):>7.2f}")
    ratio = medians["pressroom --fast"] / medians["bare scrapy"]
    print(f"ratio pressroom / bare: {ratio:.2f}x (goal >= 0.9x)")
    wall = {name: statistics.median(s["response_received_count"] / s["wall"] for s in runs)
            for name, runs in results.items()}
    print(f"with process start-up (pages / wall s): {wall['pressroom --fast']:.1f} vs {wall['bare scrapy']:.1f}, "
          f"{wall['pressroom --fast'] / wall['bare scrapy']:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
