"""Each error a user can act on comes out as one line that names the place and the fix."""

import errno
import os
import socket
from pathlib import Path

import pytest

from cleaning.io.readers import read_inputs
from cleaning.core.stats import Stats
from pressroom.errors import (BAD_URL, DISK_FULL, PERMISSION, ROBOTS, UNREACHABLE, UNREADABLE, classify,
                              explain)


def _one_line(text: str) -> str:
    assert "\n" not in text and text.strip() == text
    return text


def _raised(fn):
    try:
        fn()
    except BaseException as exc:  # noqa: BLE001
        return exc
    raise AssertionError("expected an exception")


def test_bad_url_from_scrapy_request():
    from scrapy import Request

    exc = _raised(lambda: Request("example.org/press"))
    line = _one_line(explain(exc, "example.org/press"))
    assert classify(exc) == BAD_URL
    assert line.startswith("not a usable URL: example.org/press")
    assert "https://" in line


def test_unreachable_host_from_a_refused_connection():
    with socket.socket() as s:  # a port nobody listens on: bind, learn it, close
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    exc = _raised(lambda: socket.create_connection(("127.0.0.1", port), timeout=2))
    line = _one_line(explain(exc, f"http://127.0.0.1:{port}/press/"))
    assert classify(exc) == UNREACHABLE
    assert line.startswith("cannot reach 127.0.0.1 (Connection refused)")
    assert "--resume" in line


def test_unreachable_host_from_twisted_dns_failure():
    from twisted.internet.error import DNSLookupError
    from twisted.python.failure import Failure

    failure = Failure(DNSLookupError("no.such.host.invalid"))
    line = _one_line(explain(failure, "https://no.such.host.invalid/news"))
    assert classify(failure) == UNREACHABLE
    assert line.startswith("cannot reach no.such.host.invalid")


def test_robots_refusal_from_scrapy_ignore_request():
    from scrapy.exceptions import IgnoreRequest

    exc = IgnoreRequest("Forbidden by robots.txt")
    line = _one_line(explain(exc, "https://example.org/private/"))
    assert classify(exc) == ROBOTS
    assert line.startswith("https://example.org/private/ is disallowed by the site's robots.txt")


def test_unreadable_input_as_the_reader_reports_it(tmp_path: Path):
    bad = tmp_path / "broken.html.gz"
    bad.write_bytes(b"not gzip at all")
    stats = Stats()
    list(read_inputs([bad, tmp_path / "missing.txt"], stats))
    assert len(stats.errors) == 2
    lines = [_one_line(explain(err)) for err in stats.errors]
    assert [classify(err) for err in stats.errors] == [UNREADABLE, UNREADABLE]
    assert lines[0].startswith(f"cannot read input {bad}: ")
    assert lines[1].lower().startswith(f"cannot read input {tmp_path / 'missing.txt'}: no such file or directory".lower())
    assert all(".warc[.gz]" in line for line in lines)


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="/dev/full is absent on this system")
def test_full_disk_from_a_real_enospc():
    def write_to_full_device():
        with open("/dev/full", "w") as fh:
            fh.write("x" * 10)

    exc = _raised(write_to_full_device)
    assert isinstance(exc, OSError) and exc.errno == errno.ENOSPC
    line = _one_line(explain(exc, "data/articles/part-0.parquet"))
    assert classify(exc) == DISK_FULL
    assert line.startswith("disk full while writing data/articles/part-0.parquet")
    assert "--out" in line


def test_reader_messages_without_an_exception_name_are_unreadable_inputs():
    err = {"input": "dump/empty.txt", "step": "read", "error": "empty file"}
    assert classify(err) == UNREADABLE
    assert explain(err).startswith("cannot read input dump/empty.txt: empty file — check the path")


def test_full_disk_from_a_stats_record():
    err = {"input": "data/articles", "step": "write", "error": "OSError: [Errno 28] No space left on device"}
    assert classify(err) == DISK_FULL
    assert explain(err).startswith("disk full while writing data/articles")


def test_permission_denied_from_a_real_read(tmp_path: Path):
    if os.geteuid() == 0:  # root ignores permission bits: the kernel's own file system refuses a write
        locked = Path("/sys/pressroom-test-locked.txt")
        exc = _raised(lambda: locked.write_text("x"))
    else:
        locked = tmp_path / "locked.txt"
        locked.write_text("x")
        locked.chmod(0)
        try:
            exc = _raised(locked.read_text)
        finally:
            locked.chmod(0o600)
    line = _one_line(explain(exc))
    assert classify(exc) == PERMISSION
    assert line.startswith(f"permission denied: {locked}")


def test_permission_denied_from_errno():
    exc = PermissionError(errno.EACCES, "Permission denied", "/srv/out")
    assert explain(exc) == ("permission denied: /srv/out — check its permissions, "
                            "or pass --out to a folder you can write to")


def test_unknown_errors_still_give_one_line_with_a_next_step():
    err = {"input": "page#3", "step": "split", "error": "KeyError: 'x'"}
    assert explain(err) == ("error: page#3: split: KeyError: 'x' — rerun with --verbose for the traceback "
                            "(kept in reports/clean-stats.json)")


def test_clean_command_prints_one_explained_line_per_bad_input(tmp_path: Path, capsys):
    from pressroom.cli import main
    from pressroom.exitcodes import EXIT_NOTHING

    bad = tmp_path / "broken.html.gz"
    bad.write_bytes(b"not gzip at all")
    other = tmp_path / "broken.warc.gz"  # (a missing input is a usage error now: tests/pressroom/test_fatal_errors.py)
    other.write_bytes(b"not gzip either")
    code = main(["clean", str(bad), str(other), "--out", str(tmp_path / "out"), "-q"])
    err_lines = [x for x in capsys.readouterr().err.splitlines() if x.startswith("cannot read input")]
    assert code == EXIT_NOTHING
    assert len(err_lines) == 2
    assert err_lines[0].startswith(f"cannot read input {bad}: ")


def test_scrapy_cannot_resolve_host_is_unreachable():
    err = {"input": "http://press.example.invalid/", "step": "fetch",
           "error": "CannotResolveHostError: DNS lookup failed: no results for hostname lookup: press.example.invalid."}
    assert classify(err) == UNREACHABLE
    assert explain(err).startswith("cannot reach press.example.invalid (")


def test_a_failure_fetching_robots_txt_is_not_a_refusal():
    from pressroom.errors import classify

    timeout = "DownloadTimeoutError: Getting https://example.org/robots.txt took longer than 30.0 seconds."
    assert classify(timeout) == "unreachable"  # it names a robots.txt URL, it refuses nothing
    line = explain({"input": "https://example.org/robots.txt", "error": f"robots.txt fetch failed ({timeout})"})
    assert line.startswith("could not fetch robots.txt of example.org (Getting https://example.org/robots.txt took")
    assert "disallowed" not in line
    assert "disallowed by the site's robots.txt" in explain("IgnoreRequest: Forbidden by robots.txt",
                                                            subject="https://example.org/private/")


def test_a_busy_output_folder_is_one_line_naming_the_lock():
    from pressroom.errors import OutputBusy

    line = explain(OutputBusy("/data/out/.crawl.lock", "pid 4242"))
    assert line == ("another crawl is already writing to this output folder (lock /data/out/.crawl.lock, held by "
                    "pid 4242) — wait for it to end, or pass another --out")


def test_a_tiny_page_budget_from_the_config_drops_each_page_with_one_line(tmp_path):
    import json
    import subprocess
    import sys

    folder = tmp_path / "in"
    folder.mkdir()
    for i in (1, 2):
        (folder / f"r{i}.html").write_text(f"<html><body><main><h1>Release {i}</h1><p>Release {i} says something "
                                           "about the programme for rural schools.</p></main></body></html>")
    config = tmp_path / "cfg.toml"
    config.write_text("[clean]\npage_budget_s = 1e-9\n")
    proc = subprocess.run([sys.executable, "-m", "pressroom", "clean", str(folder), "--out", str(tmp_path / "out"),
                           "--config", str(config), "-q"], capture_output=True, text=True, timeout=120,
                          cwd=Path(__file__).resolve().parents[2])
    assert proc.returncode == 3, proc.stderr[-2000:]  # nothing produced, no crash
    lines = [line for line in proc.stderr.splitlines() if line.startswith("page over its time budget")]
    assert len(lines) == 2 and all("in step 'extract'" in line and "page_budget_s" in line for line in lines)
    errors = json.loads((tmp_path / "out" / "reports" / "clean-stats.json").read_text())["errors"]
    assert sorted(Path(e["input"]).name for e in errors) == ["r1.html", "r2.html"]
    assert {e["step"] for e in errors} == {"extract"}
