"""Every command and snippet of README.md's "A five-minute tour", run for real, in order.

The tour's ``` blocks (between its heading and the next `## ` heading) are parsed:

- a plain block holds command lines (`# ...` comments dropped), run one by one in a tmp folder;
- a ```toml block whose first line is `# NAME` is written to NAME (the tour's `pressroom.toml`);
- a ```python block is executed, in the same tmp folder, against what the commands produced.

Mapping from the README to this machine (nothing else is rewritten):

- `.venv/bin/pressroom` -> the `pressroom` console script beside `sys.executable`;
- `https://www.example.org/PATH` -> the bundled sample site on 127.0.0.1 (`pressroom serve-sample`)
  at the same PATH (`/` the root, `/feed/` its feed, ...);
- `crawl` and `run` get `--fast` (the host is ours: no throttling, README "Politeness");
- the placeholder inputs are real files made here: `dumps/` (tests/fixtures/dumps/*.txt),
  `archive.warc.gz` and `archive/` (WARC response records written by warcio), `pages.jsonl` and
  `pages.jsonl.gz` (`{"url","html"}` lines), `mirror/` (a wget-style folder with assets and robots.txt),
  `inputs.txt`, `urls.txt`; each from sample-site pages of its own host, so its records are its own.

A command line that no entry of CHECKS matches fails the test, as does a program other than
pressroom, find and zcat: the README cannot gain a command this test does not run and check.
Lines with `|` or `>` run through `bash -c` with `set -o pipefail`.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pyarrow.parquet as pq
import pytest

REPO = Path(__file__).resolve().parents[1]
README = REPO / "README.md"
HEADING = "## A five-minute tour"
EXAMPLE = "https://www.example.org/"
PRESSROOM = Path(sys.executable).parent / "pressroom"
PROGRAMS = {".venv/bin/pressroom", "find", "zcat"}
SHELL_OPS = {"|", ">"}


# ---------------------------------------------------------------- parsing the tour

def tour_blocks(text: str) -> list[tuple[str, str]]:
    """(language, body) of each fenced block between the tour heading and the next `## ` heading."""
    start = text.index(HEADING) + len(HEADING)
    nxt = text.find("\n## ", start)
    section = text[start: nxt if nxt >= 0 else len(text)]
    return re.findall(r"^```(\w*)\n(.*?)^```", section, flags=re.S | re.M)


def command_lines(body: str) -> list[str]:
    return [line.strip() for line in body.splitlines() if line.strip() and not line.strip().startswith("#")]


def test_the_tour_is_found_and_parsed():
    """The parser sees the tour's blocks (a broken heading or fence must not make the big test vacuous)."""
    blocks = tour_blocks(README.read_text(encoding="utf-8"))
    kinds = [lang for lang, _ in blocks]
    assert "" in kinds and "toml" in kinds and "python" in kinds, kinds
    commands = [c for lang, body in blocks if lang == "" for c in command_lines(body)]
    assert len(commands) >= 10
    assert all(c.split()[0] in PROGRAMS for c in commands), commands
    # comments go, quoted globs stay one argument
    assert shlex.split("pressroom clean x --include 'news/*'  # a comment", comments=True)[-1] == "news/*"


# ---------------------------------------------------------------- placeholder inputs

def sample_pages(seed: int, host: str, n: int) -> list[tuple[str, str]]:
    """n release pages of a generated sample site, served (in the text) from http://HOST: (url, html)."""
    from pressroom.sample_site.generator import generate_site

    while True:
        try:
            site = generate_site(seed=seed)
            break
        except RuntimeError:  # a seed can run a phrase bank dry: the next one is another site
            seed += 1
    base = f"http://{host}"
    return [(base + rel.path, site.pages[rel.path].body.decode("utf-8").replace("{{BASE}}", base))
            for rel in site.releases[:n]]


def write_warc(path: Path, pages: list[tuple[str, str]]) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for url, html in pages:
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=UTF-8")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(html.encode()),
                                                          http_headers=headers))


def make_inputs(root: Path, base_url: str) -> dict:
    """The tour's placeholder files in ROOT; returns what each holds (for the checks)."""
    shutil.copytree(REPO / "tests" / "fixtures" / "dumps", root / "dumps", ignore=shutil.ignore_patterns("heldout"))
    warc = sample_pages(11, "warc.example.net", 4)
    write_warc(root / "archive.warc.gz", warc)
    write_warc(root / "archive" / "2025" / "crawl.warc.gz", warc)
    jsonl = sample_pages(12, "jsonl.example.net", 4)
    text = "".join(json.dumps({"url": u, "html": h}) + "\n" for u, h in jsonl)
    (root / "pages.jsonl").write_text(text, encoding="utf-8")
    (root / "pages.jsonl.gz").write_bytes(gzip.compress(text.encode()))

    mirror = root / "mirror"
    pages = sample_pages(13, "mirror.example.net", 6)
    (mirror / "news" / "tag").mkdir(parents=True)
    for i, (_, html) in enumerate(pages[:4]):
        (mirror / "news" / f"release-{i}.html").write_text(html, encoding="utf-8")
    for i, (_, html) in enumerate(pages[4:]):
        (mirror / "news" / "tag" / f"water-{i}.html").write_text(html, encoding="utf-8")
    (mirror / "style.css").write_text("body { margin: 0 }\n")
    (mirror / "app.js").write_text("console.log('hi');\n")
    (mirror / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    (mirror / "robots.txt").write_text("User-agent: *\nDisallow: /wp-admin/\n")

    (root / "inputs.txt").write_text("# a list of inputs\narchive.warc.gz\n\npages.jsonl\n")
    (root / "urls.txt").write_text(f"# URLs to crawl\n{base_url}/en/press-releases/\n")
    return {"warc": len(warc), "jsonl": len(jsonl), "mirror_news": 4, "mirror_pages": len(pages)}


# ---------------------------------------------------------------- checks, one per README command

def articles(root: Path) -> list[dict]:
    return pq.read_table(root / "data" / "articles", columns=["doc_id", "input", "title"]).to_pylist()


def this_run(proc) -> int:
    """Records of this clean, from the summary line `this run  N records: ...`."""
    m = re.search(r"^this run\s+([\d,]+) records?", proc.stdout, flags=re.M)
    assert m, proc.stdout[-2000:]
    return int(m.group(1).replace(",", ""))


def fetched(proc) -> int:
    m = re.search(r"^pages fetched\s+([\d,]+)", proc.stdout, flags=re.M)
    assert m, proc.stdout[-2000:]
    return int(m.group(1).replace(",", ""))


def clean_stats(root: Path) -> dict:
    return json.loads((root / "data" / "reports" / "clean-stats.json").read_text())


def check_run(proc, root, ctx):
    rows = articles(root)
    assert rows and this_run(proc) == len(rows)


def check_crawl(proc, root, ctx):
    assert fetched(proc) > 0
    assert list((root / "data" / "raw").glob("*.parquet"))


def check_crawl_config(proc, root, ctx):
    """The README's [crawl] settings reach Scrapy (the crawl's stats record them), and --max-pages holds."""
    argv = shlex.split(ctx["line"], comments=True)
    assert 0 < fetched(proc) <= int(argv[argv.index("--max-pages") + 1])
    used = json.loads((root / "data" / "reports" / "crawl-stats.json").read_text())["pressroom/settings"]
    assert ctx["toml"]["crawl"]
    import scraper.settings
    from scrapy.settings import default_settings

    for key, value in ctx["toml"]["crawl"].items():  # not a value the crawl would have had anyway
        default = getattr(scraper.settings, key, getattr(default_settings, key, None))
        assert used[key] == value != default, (key, used.get(key), default)


def check_reclean(proc, root, ctx):
    assert this_run(proc) == len(articles(root)) > 0


def check_mixed(proc, root, ctx):
    inputs = [r["input"] for r in articles(root)]
    for name in ("dumps/", "archive.warc.gz", "pages.jsonl"):
        assert any(i.startswith(name) for i in inputs), (name, sorted(set(inputs))[:20])


def check_mirror(proc, root, ctx):
    assert this_run(proc) == ctx["inputs"]["mirror_pages"]
    counts = clean_stats(root)["counts"]
    assert counts.get("read/skipped_assets", 0) >= 2 and counts.get("read/skipped_not_pages", 0) >= 1, counts
    assert not any((r["title"] or "").startswith("User-agent") for r in articles(root))


def check_mirror_globs(proc, root, ctx):
    assert this_run(proc) == ctx["inputs"]["mirror_news"]


def check_input_list(proc, root, ctx):
    assert this_run(proc) == ctx["inputs"]["warc"] + ctx["inputs"]["jsonl"]


def check_stdin_list(proc, root, ctx):
    assert this_run(proc) == ctx["inputs"]["warc"]


def check_stdin(proc, root, ctx):
    assert this_run(proc) == ctx["inputs"]["jsonl"]
    assert any(r["input"].startswith("-") for r in articles(root))


def default_options() -> dict:
    import dataclasses

    from cleaning.core.options import CleanOptions

    return {k: list(v) if isinstance(v, tuple) else v for k, v in dataclasses.asdict(CleanOptions()).items()}


def check_config(proc, root, ctx):
    """The README's [clean] values are the ones the clean used (and they are not the defaults)."""
    used, defaults = clean_stats(root)["settings"]["options"], default_options()
    assert ctx["toml"]["clean"]
    for key, value in ctx["toml"]["clean"].items():
        assert used[key] == value != defaults[key], (key, used)


def check_profile(proc, root, ctx):
    """A bundled profile by name: its own [clean] over the defaults (the earlier --config does not linger)."""
    name = shlex.split(ctx["line"], comments=True)
    name = name[name.index("--profile") + 1]
    bundled = [tomllib.loads(p.read_text(encoding="utf-8")) for p in (REPO / "cleaning" / "profiles").glob("*.toml")]
    profile = [p for p in bundled if p.get("name") == name]
    assert len(profile) == 1, f"no bundled profile named {name}"
    assert this_run(proc) > 0
    assert clean_stats(root)["settings"]["options"] == {**default_options(), **profile[0].get("clean", {})}


def check_boilerplate(proc, root, ctx):
    reasons = set(pq.read_table(root / "data" / "boilerplate", columns=["reason"]).column("reason").to_pylist())
    assert any(reason in proc.stdout for reason in reasons), proc.stdout[:2000]


def check_dedup(proc, root, ctx):
    m = re.match(r"data/articles: (\d+) documents", proc.stdout)
    assert m and int(m.group(1)) == len(articles(root)), proc.stdout[:500]


def check_report(proc, root, ctx):
    report = root / "data" / "reports" / "report.html"
    assert report.stat().st_size > 1000 and report.stat().st_mtime >= ctx["started"]
    assert "<html" in report.read_text(encoding="utf-8")[:500].lower()


def check_json(proc, root, ctx):
    """`--json` prints one JSON object, and its figures are this dataset's."""
    figures = json.loads(proc.stdout)
    command = shlex.split(ctx["line"], comments=True)[1]
    if command == "report":
        assert figures["report"] == "data/reports/report.html" and figures["sections"]
    elif command == "dedup":
        assert figures["documents"] == len(articles(root))
    else:
        assert isinstance(figures, dict) and figures


def check_export_jsonl(proc, root, ctx):
    lines = (root / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(articles(root))
    assert {json.loads(line)["doc_id"] for line in lines} == {r["doc_id"] for r in articles(root)}


def check_export_csv(proc, root, ctx):
    with (root / "boilerplate.csv").open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == pq.read_table(root / "data" / "boilerplate").num_rows > 0


# (pattern on the README line, check): every command of the tour must match exactly one
CHECKS = [
    (r"pressroom run https://www\.example\.org/ --out data\b", check_run),
    (r"pressroom crawl https://www\.example\.org/feed/ .*--since", check_crawl),
    (r"pressroom crawl -i urls\.txt", check_crawl),
    (r"pressroom crawl .*--config pressroom\.toml", check_crawl_config),
    (r"pressroom clean data/raw --out data$", check_reclean),
    (r"pressroom clean dumps/ archive\.warc\.gz pages\.jsonl", check_mixed),
    (r"pressroom clean mirror/ --out data$", check_mirror),
    (r"pressroom clean mirror/ --include", check_mirror_globs),
    (r"pressroom clean -i inputs\.txt", check_input_list),
    (r"^find archive .*\| .*pressroom clean -i -", check_stdin_list),
    (r"^zcat pages\.jsonl\.gz \| .*pressroom clean -", check_stdin),
    (r"pressroom clean data/raw --config pressroom\.toml", check_config),
    (r"pressroom clean data/raw --profile ", check_profile),
    (r"pressroom boilerplate data$", check_boilerplate),
    (r"pressroom dedup data$", check_dedup),
    (r"pressroom report data$", check_report),
    (r"pressroom (report|dedup|boilerplate) data --json$", check_json),
    (r"pressroom export data -o articles\.jsonl$", check_export_jsonl),
    (r"pressroom export data --format csv --table boilerplate > boilerplate\.csv$", check_export_csv),
]


def check_for(line: str):
    bare = " ".join(shlex.split(line, comments=True))  # the comment off, quotes resolved
    found = [check for pattern, check in CHECKS if re.search(pattern, bare)]
    assert len(found) == 1, f"README tour command with {len(found)} checks in {__file__} (add one): {line}"
    return found[0]


def to_local(line: str, base_url: str) -> tuple[list[str] | str, bool]:
    """The README line as this machine runs it: (argv, False), or (a bash script, True) for pipes/redirects."""
    tokens = shlex.split(line, comments=True)
    parts, current = [], []
    for tok in tokens:  # split into simple commands on | and >
        if tok in SHELL_OPS:
            parts.append((current, tok))
            current = []
        else:
            current.append(tok)
    parts.append((current, None))
    out = []
    for i, (argv, op) in enumerate(parts):
        if i and parts[i - 1][1] == ">":  # a redirect target: a plain file name
            assert len(argv) == 1, line
            out.append((argv, op))
            continue
        assert argv and argv[0] in PROGRAMS, f"README tour runs a program this test does not know: {line}"
        argv = [t.replace(EXAMPLE, base_url + "/") for t in argv]
        if argv[0] == ".venv/bin/pressroom":
            argv[0] = str(PRESSROOM)
            if argv[1] in ("crawl", "run"):
                argv.append("--fast")
        assert not any("example.org" in t for t in argv), f"unmapped URL in: {line}"
        out.append((argv, op))
    if len(out) == 1:
        return out[0][0], False
    script = " ".join(shlex.join(argv) + (f" {op}" if op else "") for argv, op in out)
    return "set -o pipefail; " + script, True


def test_to_local_maps_urls_programs_and_pipes():
    argv, shell = to_local(".venv/bin/pressroom crawl https://www.example.org/feed/ --out data  # x", "http://h:1")
    assert not shell and argv == [str(PRESSROOM), "crawl", "http://h:1/feed/", "--out", "data", "--fast"]
    script, shell = to_local("zcat a.gz | .venv/bin/pressroom clean - --out data", "http://h:1")
    assert shell and script == f"set -o pipefail; zcat a.gz | {PRESSROOM} clean - --out data"
    with pytest.raises(AssertionError):
        to_local("curl https://www.example.org/", "http://h:1")
    with pytest.raises(AssertionError):
        check_for(".venv/bin/pressroom frobnicate data")


# ---------------------------------------------------------------- the tour, end to end

@pytest.mark.slow
@pytest.mark.timeout(600)
def test_every_tour_command_runs(tmp_path, monkeypatch):
    import time

    from pressroom.sample_site.server import serve_sample

    blocks = tour_blocks(README.read_text(encoding="utf-8"))
    ran = 0
    with serve_sample("default") as srv:
        ctx = {"inputs": make_inputs(tmp_path, srv.base_url), "toml": {}}
        for lang, body in blocks:
            if lang == "toml":
                first = body.partition("\n")[0]
                name = first.removeprefix("#").strip()
                assert first.startswith("#") and name, "a toml block of the tour starts with `# FILE NAME`"
                (tmp_path / name).write_text(body, encoding="utf-8")
                ctx["toml"] = tomllib.loads(body)
                continue
            if lang == "python":
                run_python(body, tmp_path, monkeypatch)
                continue
            assert lang == "", f"tour block in an unknown language: {lang}"
            for line in command_lines(body):
                check = check_for(line)
                cmd, shell = to_local(line, srv.base_url)
                ctx["started"], ctx["line"] = time.time() - 1, line
                proc = subprocess.run(["bash", "-c", cmd] if shell else cmd, cwd=tmp_path, capture_output=True,
                                      text=True, timeout=180)
                assert proc.returncode == 0, f"{line}\nexit {proc.returncode}\n{proc.stdout[-2000:]}\n{proc.stderr[-3000:]}"
                check(proc, tmp_path, ctx)
                ran += 1
    assert ran == sum(len(command_lines(b)) for lang, b in blocks if lang == "")


def run_python(body: str, root: Path, monkeypatch) -> None:
    """A tour snippet, with `html` (one page) and `pages` ((url, html) pairs) defined for the API example."""
    monkeypatch.chdir(root)
    pages = sample_pages(14, "api.example.net", 3)
    namespace = {"html": pages[0][1], "pages": pages}
    exec(compile(body, "README.md (tour)", "exec"), namespace)
    if "record" in namespace:
        assert namespace["record"]["title"] and namespace["record"]["body_text"]
        assert len(namespace["records"]) == len(pages)
    if "df" in namespace:
        n = len(articles(root))
        assert len(namespace["df"]) == len(namespace["pldf"]) == n > 0
        assert len(namespace["speakers"]) > 0
    if "record" not in namespace and "df" not in namespace:
        raise AssertionError(f"a python block of the tour this test does not check (add one):\n{body}")
