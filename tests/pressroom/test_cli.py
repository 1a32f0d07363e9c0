"""What the command line offers (issue 15): --version, --log-file, -s KEY=VALUE, -q / --json on the
inspection commands, plain-English counts, and the one run summary of clean, run and demo."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

from pressroom.cli import main
from pressroom.exitcodes import EXIT_OK, EXIT_USAGE
from tests.pressroom.conftest import write_sample_run
from tests.scraper.conftest import REPO, env, html_page, tiny_site

pytestmark = pytest.mark.timeout(180)

def pressroom(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pressroom", *args], cwd=REPO, env=env(), capture_output=True,
                          text=True, timeout=timeout)


def test_version_is_the_installed_distribution():
    proc = pressroom("--version")
    assert proc.returncode == 0
    assert proc.stdout.strip() == f"pressroom {version('pressroom')}"


def _pages(folder: Path, n: int) -> Path:
    """n distinct release pages of the sample site."""
    from tests.pressroom.conftest import write_pages

    write_pages(folder, n)
    return folder


def test_clean_prints_the_run_summary_and_a_re_clean_says_nothing_changed(tmp_path, capsys):
    pages, out = _pages(tmp_path / "pages", 3), tmp_path / "out"
    assert main(["clean", str(pages), "--out", str(out), "-q"]) == EXIT_OK
    first = capsys.readouterr().out
    assert re.search(r"^this run\s+3 records: 3 new, 0 changed, 0 unchanged$", first, re.M), first
    assert re.search(r"^releases\s+3\s+\((en|fr): \d(, fr: \d)?\)$", first, re.M), first
    assert re.search(r"^quotes\s+\d+$", first, re.M) and "boilerplate removed" in first
    assert f"run `pressroom report {out}` to write one" in first
    assert f'pd.read_parquet("{out}/articles")' in first and "duckdb.sql" in first
    assert main(["clean", str(pages), "--out", str(out), "-q"]) == EXIT_OK
    second = capsys.readouterr().out
    assert re.search(r"^this run\s+3 records, all unchanged: nothing to rewrite$", second, re.M), second
    assert "new" not in second.split("releases")[0]
    stats = json.loads((out / "reports" / "clean-stats.json").read_text())["counts"]
    assert stats["write/rows_unchanged"] == 3


def test_one_record_is_singular(tmp_path, capsys):
    pages = _pages(tmp_path / "pages", 1)
    assert main(["clean", str(pages), "--out", str(tmp_path / "out"), "-q"]) == EXIT_OK
    shown = capsys.readouterr().out
    assert "1 record: 1 new" in shown and "1 records" not in shown


def test_log_file_gets_the_command_and_the_summary(tmp_path):
    pages, log = _pages(tmp_path / "pages", 2), tmp_path / "logs" / "run.log"
    proc = pressroom("clean", str(pages), "--out", str(tmp_path / "out"), "-q", "--log-file", str(log))
    assert proc.returncode == 0, proc.stderr
    text = log.read_text()
    assert f"clean {pages} --out" in text
    assert re.search(r"INFO: this run\s+2 records: 2 new", text) and "INFO: articles table" in text
    assert text.rstrip().endswith("INFO: exit 0")


def test_crawl_passes_scrapy_settings_and_logs_scrapy_to_the_log_file(tmp_path):
    def route(path):
        return 200, "text/html", html_page(f"page {path}", [f"/p{i}{path.strip('/')}/" for i in range(3)])

    log_file = tmp_path / "crawl.log"
    with tiny_site(route) as (log, base):
        proc = pressroom("crawl", base + "/", "--out", str(tmp_path / "out"), "--fast", "-q",
                         "-s", "USER_AGENT=pressroom-test/9", "-s", "CLOSESPIDER_PAGECOUNT=3", "--log-file", str(log_file))
    assert proc.returncode in (0, 3), proc.stderr
    assert log and {ua for _, _, ua in log} == {"pressroom-test/9"}
    stats = json.loads((tmp_path / "out" / "reports" / "crawl-stats.json").read_text())
    assert stats["finish_reason"] == "closespider_pagecount"
    assert "crawl ended          stopped at the page limit (CLOSESPIDER_PAGECOUNT)" in proc.stdout
    text = log_file.read_text()
    assert "[scrapy.core.engine] INFO: Spider opened" in text  # the child's Scrapy log
    assert "[pressroom] INFO: pages fetched" in text  # the parent's summary


@pytest.mark.parametrize("bad", ["USER_AGENT", "user_agent=x", "=x"])
def test_a_setting_without_key_equals_value_is_a_usage_error(bad):
    proc = pressroom("crawl", "http://127.0.0.1:9/", "-s", bad)
    assert proc.returncode == EXIT_USAGE
    assert "is not KEY=VALUE" in proc.stderr and "Traceback" not in proc.stderr


def test_crawl_summary_says_how_the_crawl_ended_in_words():
    from pressroom.crawl import summarise

    lines = summarise({"finish_reason": "finished", "pressroom/pages_fetched": 3})
    assert "crawl ended          complete: nothing left to fetch" in lines
    assert not any(re.search(r"finished\s+finished", line) for line in lines)


@pytest.mark.parametrize("command", ["report", "dedup", "boilerplate"])
def test_quiet_inspection_commands_print_nothing(tmp_path, capsys, command):
    run = write_sample_run(tmp_path / "run")
    assert main([command, str(run), "-q"]) == EXIT_OK
    assert capsys.readouterr().out == ""
    if command == "report":
        assert (run / "reports" / "report.html").exists()


def test_report_json(tmp_path, capsys):
    run = write_sample_run(tmp_path / "run")
    assert main(["report", str(run), "--json"]) == EXIT_OK
    found = json.loads(capsys.readouterr().out)
    assert found["report"] == str(run / "reports" / "report.html")
    titles = [s["title"] for s in found["sections"]]
    assert "Overview" in titles and "Languages" in titles
    languages = next(s for s in found["sections"] if s["title"] == "Languages")
    assert languages["summary"] == ["languages: fr 4, en 2"]


def test_dedup_json(tmp_path, capsys):
    run = write_sample_run(tmp_path / "run")
    assert main(["dedup", str(run), "--json"]) == EXIT_OK
    found = json.loads(capsys.readouterr().out)
    assert (found["documents"], found["unique"], found["clusters"], found["copies"]) == (6, 5, 1, 1)
    cluster = found["largest"][0]
    assert cluster["cluster"] == "amnesty.fr-3" and cluster["kept"]["doc_id"] == "amnesty.fr-3"
    assert [c["doc_id"] for c in cluster["copies"]] == ["amnesty.fr-4"]


def test_boilerplate_json(tmp_path, capsys):
    run = write_sample_run(tmp_path / "run")
    assert main(["boilerplate", str(run), "--json", "--top", "1"]) == EXIT_OK
    found = json.loads(capsys.readouterr().out)
    assert set(found["sites"]) == {"amnesty.fr", "oxfam.org"}
    amnesty = found["sites"]["amnesty.fr"]
    assert amnesty["documents"] == 4 and amnesty["repeated_blocks"] == 2
    assert [b["fingerprint"] for b in amnesty["top"]] == ["aa01"]


def test_dedup_without_copies_has_no_empty_parentheses(tmp_path, capsys):
    pages = _pages(tmp_path / "pages", 2)
    main(["clean", str(pages), "--out", str(tmp_path / "out"), "-q"])
    capsys.readouterr()
    assert main(["dedup", str(tmp_path / "out")]) == EXIT_OK
    first = capsys.readouterr().out.splitlines()[0]
    assert first.endswith("2 documents, 2 unique, 0 duplicate clusters, 0 copies marked"), first


def test_report_months_are_singular_for_one_month(tmp_path, capsys):
    pages = _pages(tmp_path / "pages", 1)  # one release, so its month is the only one
    main(["clean", str(pages), "--out", str(tmp_path / "out"), "-q"])
    capsys.readouterr()
    assert main(["report", str(tmp_path / "out")]) == EXIT_OK
    shown = capsys.readouterr().out
    assert re.search(r"^months: (\d{4}-\d\d) … \1 \(1 month\)$", shown, re.M), shown


def test_verbose_prints_the_traceback_a_failed_step_left_in_the_stats(tmp_path, monkeypatch, capsys):
    import json

    import cleaning.pipeline as pipeline
    from cleaning.core.step import Step
    from pressroom.cli import main

    def fragile(doc, opts, stats):
        raise KeyError("no such block")

    monkeypatch.setattr(pipeline, "DOCUMENT_STEPS", (Step("fragile", fragile),))
    dump = tmp_path / "in" / "release.txt"
    dump.parent.mkdir()
    dump.write_text("A title for the release\n\n" + "The ministry must publish the reports now. " * 8, encoding="utf-8")
    for verbose in (False, True):
        out = tmp_path / f"out-{verbose}"
        main(["clean", str(dump.parent), "--out", str(out), "-q", *(["--verbose"] if verbose else [])])
        err = capsys.readouterr().err
        assert "fragile: KeyError: 'no such block'" in err
        assert ("Traceback" in err and "in fragile" in err) is verbose, err
        saved = json.loads((out / "reports" / "clean-stats.json").read_text())["errors"]
        assert "in fragile" in saved[0]["traceback"]
