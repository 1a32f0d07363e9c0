"""Peak memory of `pressroom clean` as the input grows: N synthetic HTML pages, one subprocess per N.

    .venv/bin/python bench/memory.py [--sizes 1000 5000] [--workers 1]

Pages are the sample site's release pages (generated sites with varied seeds, each on its own
host), written as .html files into a temp folder and cleaned by `pressroom clean FOLDER --out TMP`
in a child process. Peak RSS is the child's ru_maxrss (RUSAGE_CHILDREN, one fresh run per N);
docs/s = pages / wall time of the child (start-up included). The ratio column is against the
smallest N of the same run: flat memory gives a ratio near 1.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path


def write_pages(folder: Path, n: int) -> None:
    from pressroom.sample_site.generator import generate_site

    written, seed = 0, 0
    while written < n:
        try:
            site = generate_site(seed=seed)
        except RuntimeError:  # a few seeds run a phrase bank dry; the next seed is another site
            seed += 1
            continue
        base = f"http://press{seed}.example.org"
        host = folder / f"press{seed}.example.org"
        host.mkdir(parents=True, exist_ok=True)
        for rel in site.releases:
            if written == n:
                break
            html = site.pages[rel.path].body.decode("utf-8").replace("{{BASE}}", base)
            (host / (rel.path.strip("/").replace("/", "_") + ".html")).write_text(html, encoding="utf-8")
            written += 1
        seed += 1


def measure(n: int, workers: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        pages, out = Path(tmp) / "pages", Path(tmp) / "out"
        write_pages(pages, n)
        cmd = [sys.executable, "-m", "pressroom", "clean", str(pages), "--out", str(out), "--workers", str(workers)]
        # A fresh interpreter per N, so RUSAGE_CHILDREN's max is this run's own peak.
        probe = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
                 "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL); "
                 "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
        done = subprocess.run([sys.executable, "-c", probe, *cmd], check=True, capture_output=True, text=True)
        seconds, maxrss_kb = done.stdout.split()
        return {"n": n, "seconds": float(seconds), "docs_per_s": n / float(seconds), "peak_mb": int(maxrss_kb) / 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    rows = [measure(n, args.workers) for n in args.sizes]
    base = rows[0]
    print(f"{'pages':>7} {'docs/s':>8} {'peak RSS MB':>12} {'RSS ratio':>10}")
    for row in rows:
        print(f"{row['n']:>7} {row['docs_per_s']:>8.1f} {row['peak_mb']:>12.1f} {row['peak_mb'] / base['peak_mb']:>10.2f}")


if __name__ == "__main__":
    main()
