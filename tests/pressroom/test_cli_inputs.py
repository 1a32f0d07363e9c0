"""Inputs as people have them, through the command line (issue 15): a wget mirror, --include / --exclude,
-i FILE lists of inputs or URLs, and - for standard input."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from pressroom.cli import main
from pressroom.exitcodes import EXIT_OK, EXIT_USAGE
from tests.pressroom.conftest import write_pages
from tests.scraper.conftest import REPO, env, html_page, tiny_site

pytestmark = pytest.mark.timeout(180)


def pressroom(*args: str, stdin: str | bytes | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    data = stdin.encode() if isinstance(stdin, str) else stdin
    return subprocess.run([sys.executable, "-m", "pressroom", *args], cwd=REPO, env=env(), input=data,
                          capture_output=True, timeout=timeout)


def clean_stats(out: Path) -> dict:
    return json.loads((out / "reports" / "clean-stats.json").read_text())


def pages(folder: Path, n: int) -> list[Path]:
    write_pages(folder, n)
    return sorted(folder.rglob("*.html"))


def test_a_wget_mirror_cleans_its_pages_and_counts_the_rest(tmp_path, capsys):
    mirror = tmp_path / "mirror"
    releases = pages(mirror / "www.ex.org" / "news", 3)
    site = mirror / "www.ex.org"
    (site / "robots.txt").write_text("User-agent: *\nDisallow: /admin\n")
    (site / "sitemap.xml").write_text('<?xml version="1.0"?><urlset><url><loc>x</loc></url></urlset>')
    (site / "feed").mkdir()
    (site / "feed" / "index.html").write_text('<?xml version="1.0"?><rss version="2.0"><channel/></rss>')
    (site / "wp-content").mkdir()
    for name, content in {"style.css": b"body{}", "app.js": b"var x;", "logo.png": b"\x89PNG\r\n\x1a\n" + bytes(64),
                          "data.xml": b"<x/>"}.items():
        (site / "wp-content" / name).write_bytes(content)
    (site / "wp-content" / "banner.html").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))  # a PNG named .html
    bare = site / "news" / "release-without-suffix"
    bare.write_bytes(releases[0].read_bytes().replace(b"<title>", b"<title>Bare "))
    assert main(["clean", str(mirror), "--out", str(tmp_path / "out"), "-q"]) == EXIT_OK
    shown = capsys.readouterr()
    assert "error" not in shown.err.lower() and "css" not in shown.out
    assert re.search(r"^files skipped\s+8 in folders \(assets 4, feeds, sitemaps, robots.txt 3, "
                     r"binary under a page name 1\)$", shown.out, re.M), shown.out
    stats = clean_stats(tmp_path / "out")
    counts = stats["counts"]
    assert stats["errors"] == []
    assert counts["read/html"] == 4  # three releases and the page saved without a suffix
    assert counts["read/skipped_assets"] == 4 and counts["read/skipped_not_pages"] == 3
    assert counts["read/skipped_binary"] == 1


def test_a_damaged_warc_cleans_its_undamaged_records_and_names_the_byte_range(tmp_path, capsys):
    from pressroom.exitcodes import EXIT_PARTIAL
    from tests.cleaning.io.test_warc_resync import PAGES, response, write_warc

    path = tmp_path / "crawl.warc.gz"
    index = write_warc(path, gz=True)
    data = bytearray(path.read_bytes())
    off, length = response(index, 2)
    data[off + length // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    assert main(["clean", str(path), "--out", str(tmp_path / "out"), "-q"]) == EXIT_PARTIAL
    err = capsys.readouterr().err
    assert f"bytes {off}-{off + length}" in err, err
    stats = clean_stats(tmp_path / "out")
    assert stats["counts"]["read/warc"] == PAGES - 1 and len(stats["errors"]) == 1


def test_include_and_exclude_pick_files_in_folders(tmp_path):
    folder = tmp_path / "pages"
    found = pages(folder, 4)
    keep = found[0].name
    assert main(["clean", str(folder), "--out", str(tmp_path / "a"), "-q", "--include", "*.html",
                 "--exclude", keep]) == EXIT_OK
    counts = clean_stats(tmp_path / "a")["counts"]
    assert counts["read/html"] == 3 and counts["read/skipped_excluded"] == 1
    assert main(["clean", str(folder), "--out", str(tmp_path / "b"), "-q", "--include", keep]) == EXIT_OK
    stats = clean_stats(tmp_path / "b")
    assert stats["counts"]["read/html"] == 1
    assert stats["settings"]["options"]["include"] == [keep]  # the run says how its inputs were picked


def test_an_input_list_file(tmp_path):
    found = pages(tmp_path / "pages", 3)
    listing = tmp_path / "inputs.txt"
    listing.write_text(f"# the releases to clean\n{found[0]}\n\n  {found[2]}  \n")
    assert main(["clean", "-i", str(listing), "--out", str(tmp_path / "out"), "-q"]) == EXIT_OK
    stats = clean_stats(tmp_path / "out")
    assert stats["counts"]["read/html"] == 2
    assert stats["settings"]["inputs"] == [str(found[0]), str(found[2])]


def test_an_input_list_naming_a_missing_file_stops_before_any_work(tmp_path, capsys):
    listing = tmp_path / "inputs.txt"
    listing.write_text(str(tmp_path / "nowhere.html") + "\n")
    assert main(["clean", "-i", str(listing), "--out", str(tmp_path / "out")]) == EXIT_USAGE
    assert "no such input" in capsys.readouterr().err
    assert not (tmp_path / "out" / "articles").exists()


@pytest.mark.parametrize("argv, says", [
    (["clean"], "give at least one input"),
    (["clean", "-i", "/nonexistent/list.txt"], "-i /nonexistent/list.txt: cannot read this list of inputs"),
    (["clean", "-", "-"], "standard input can be read once"),
    (["crawl", "-i", "/nonexistent/urls.txt"], "cannot read this list of URLs"),
])
def test_bad_input_arguments_are_usage_errors(tmp_path, capsys, argv, says):
    assert main([*argv, "--out", str(tmp_path / "out")]) == EXIT_USAGE
    assert says in capsys.readouterr().err


def test_standard_input_as_jsonl(tmp_path):
    found = pages(tmp_path / "pages", 2)
    lines = [json.dumps({"url": f"http://press.example.org/{i}", "html": p.read_text(encoding="utf-8")})
             for i, p in enumerate(found)]
    proc = pressroom("clean", "-", "--out", str(tmp_path / "out"), "-q", stdin="\n".join(lines) + "\n")
    assert proc.returncode == 0, proc.stderr
    stats = clean_stats(tmp_path / "out")
    assert stats["counts"]["read/jsonl"] == 2 and stats["errors"] == []
    import pyarrow.dataset as ds

    inputs = sorted(ds.dataset(tmp_path / "out" / "articles", partitioning="hive").to_table(columns=["input"])
                    .column("input").to_pylist())
    assert inputs == ["-#1", "-#2"]


def test_standard_input_as_a_list_of_inputs(tmp_path):
    found = pages(tmp_path / "pages", 2)
    proc = pressroom("clean", "-i", "-", "--out", str(tmp_path / "out"), "-q",
                     stdin="".join(f"{p}\n" for p in found))
    assert proc.returncode == 0, proc.stderr
    assert clean_stats(tmp_path / "out")["counts"]["read/html"] == 2


def test_crawl_reads_its_urls_from_a_file(tmp_path):
    def route(path):
        return 200, "text/html", html_page(f"page {path}")

    with tiny_site(route) as (log, base):
        urls = tmp_path / "urls.txt"
        urls.write_text(f"# two sections\n{base}/a/\n{base}/b/\n")
        proc = pressroom("crawl", "-i", str(urls), "--out", str(tmp_path / "out"), "--fast", "-q")
    assert proc.returncode in (0, 3), proc.stderr
    requested = {path for _, path, _ in log}
    assert {"/a/", "/b/"} <= requested
