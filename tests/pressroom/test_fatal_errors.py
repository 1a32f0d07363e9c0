"""Fatal errors: one explained line on stderr, a meaningful exit code, never a traceback.

Usage errors (exit 2) are found before any work starts; a fatal error during the work
(disk full, permission, a damaged dataset, a busy port) exits 4; a closed pipe 141.
"""

from __future__ import annotations

import errno
import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from pressroom.exitcodes import EXIT_BROKEN_PIPE, EXIT_FATAL, EXIT_USAGE
from tests.pressroom.conftest import write_sample_run
from tests.scraper.conftest import REPO, env, html_page, tiny_site

pytestmark = pytest.mark.timeout(120)
UNUSED_URL = "http://127.0.0.1:9/"  # never contacted: every command here stops before the crawl


def pressroom(*args: str, timeout: float = 90) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pressroom", *args], cwd=REPO, env=env(), capture_output=True,
                          text=True, timeout=timeout)


def one_line(proc: subprocess.CompletedProcess) -> str:
    lines = [x for x in proc.stderr.splitlines() if x.strip()]
    assert "Traceback" not in proc.stderr, proc.stderr
    assert len(lines) == 1, proc.stderr
    return lines[0]


def test_since_in_another_date_format_is_a_usage_error(tmp_path):
    proc = pressroom("crawl", UNUSED_URL, "--since", "01/02/2025", "--out", str(tmp_path / "out"))
    assert proc.returncode == EXIT_USAGE
    line = one_line(proc)
    assert "--since" in line and "'01/02/2025' is not a date" in line and "YYYY-MM-DD" in line
    assert not (tmp_path / "out").exists()


def test_since_after_until_fails_before_any_request(tmp_path):
    with tiny_site(lambda path: (200, "text/html", html_page("home"))) as (log, base):
        proc = pressroom("crawl", base + "/", "--since", "2025-12-01", "--until", "2025-01-01",
                         "--out", str(tmp_path / "out"))
    assert proc.returncode == EXIT_USAGE
    assert "--since 2025-12-01 is after --until 2025-01-01" in one_line(proc)
    assert log == []  # nothing was fetched


@pytest.mark.parametrize("args, words", [
    (["clean", "x", "--workers", "0"], "--workers: 0 must be 1 or more"),
    (["crawl", UNUSED_URL, "--max-pages", "-5"], "--max-pages: -5 must be 1 or more"),
    (["serve-sample", "--variant", "bogus"], "invalid choice: 'bogus'"),
    (["serve-sample", "--port", "70000"], "70000 is not a port number"),
])
def test_bad_option_values_are_usage_errors(args, words):
    proc = pressroom(*args)
    assert proc.returncode == EXIT_USAGE
    line = one_line(proc)
    assert words in line and f"pressroom {args[0]}" in line


def test_a_busy_port_is_named(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        proc = pressroom("serve-sample", "--port", str(port), timeout=30)
    assert proc.returncode == EXIT_FATAL
    assert one_line(proc).startswith(f"port already in use: 127.0.0.1:{port} — pick another with --port")


def test_out_pointing_at_a_file_is_a_usage_error_and_the_file_is_untouched(tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<html><body><p>hello</p></body></html>")
    target = tmp_path / "notes.txt"
    target.write_text("mine")
    proc = pressroom("clean", str(page), "--out", str(target))
    assert proc.returncode == EXIT_USAGE
    assert f"--out {target} is a file, not a folder" in one_line(proc)
    assert target.read_text() == "mine"


def _unwritable(tmp_path: Path) -> Path:
    if os.geteuid() == 0:  # root ignores permission bits: a kernel file system refuses instead
        return Path("/sys/pressroom-test-out")
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    return locked / "out"


def test_an_unwritable_out_is_one_line_before_any_work(tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<html><body><p>hello</p></body></html>")
    out = _unwritable(tmp_path)
    proc = pressroom("clean", str(page), "--out", str(out))
    assert proc.returncode == EXIT_FATAL
    line = one_line(proc)
    assert line.startswith(("permission denied: ", "cannot write")) and str(out) in line, line


def test_a_missing_input_stops_before_any_stage(tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<html><body><p>hello</p></body></html>")
    out = tmp_path / "out"
    proc = pressroom("clean", str(page), str(tmp_path / "missing.html"), "--out", str(out))
    assert proc.returncode == EXIT_USAGE
    assert f"no such input: {tmp_path / 'missing.html'}" in one_line(proc)
    assert not out.exists()  # no stage ran, nothing was written


def test_a_damaged_parquet_file_in_articles_is_named_and_left_alone(tmp_path):
    out = write_sample_run(tmp_path / "run")
    damaged = sorted((out / "articles").rglob("*.parquet"))[0]
    damaged.write_bytes(b"PAR1 this is not a parquet file any more")
    page = tmp_path / "page.html"
    page.write_text("<html><body><p>hello</p></body></html>")
    proc = pressroom("clean", str(page), "--out", str(out))
    assert proc.returncode == EXIT_FATAL
    line = one_line(proc)
    assert line.startswith(f"damaged Parquet file in the output: {damaged} (") and ".quarantine" in line
    assert damaged.read_bytes() == b"PAR1 this is not a parquet file any more"


def test_disk_full_while_writing_is_one_line_and_the_stats_are_saved(tmp_path, monkeypatch, capsys):
    import cleaning.pipeline
    from pressroom.cli import main

    def full(records, out_dir, stats, **_):  # boilerplate= too
        raise OSError(errno.ENOSPC, "No space left on device", str(out_dir / "articles" / "part-0.parquet"))

    monkeypatch.setattr(cleaning.pipeline, "write_dataset", full)
    page = tmp_path / "page.html"
    page.write_text("<html><head><title>T</title></head><body><article><p>" + "Some words here. " * 40
                    + "</p></article></body></html>")
    out = tmp_path / "out"
    code = main(["clean", str(page), "--out", str(out), "-q"])
    err = [x for x in capsys.readouterr().err.splitlines() if x.strip()]
    assert code == EXIT_FATAL
    assert len(err) == 1 and err[0].startswith(f"disk full while writing {out / 'articles' / 'part-0.parquet'}")
    saved = json.loads((out / "reports" / "clean-stats.json").read_text())
    assert saved["errors"][-1]["step"] == "fatal" and "No space left" in saved["errors"][-1]["error"]


def test_report_into_a_closed_pipe_exits_quietly(tmp_path):
    out = write_sample_run(tmp_path / "run")
    proc = subprocess.Popen([sys.executable, "-m", "pressroom", "report", str(out)], cwd=REPO, env=env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    proc.stdout.close()  # `| head` that has already stopped reading
    stderr = proc.stderr.read()
    proc.wait(timeout=90)
    assert proc.returncode == EXIT_BROKEN_PIPE
    assert "Traceback" not in stderr and "Exception ignored" not in stderr, stderr
    assert [x for x in stderr.splitlines() if x.strip()] == [
        "output closed early (broken pipe): the rest of the summary was not printed; files written are complete"]
    assert (out / "reports" / "report.html").exists()
