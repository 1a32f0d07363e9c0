"""In CI (CI=true) a skipped test fails with its reason; elsewhere it is a skip (tests/conftest.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PROBE = '''
import pytest

def test_needs_a_service():
    pytest.skip("no Redis server here")

@pytest.mark.skipif(True, reason="no Chromium here")
def test_needs_a_browser():
    pass

@pytest.mark.xfail(reason="a known bug", strict=False)
def test_known_bug():
    assert False

def test_plain():
    assert True

@pytest.mark.bench_data
def test_needs_data_kept_outside_the_repository():
    pytest.skip("no shared bench data")
'''


def run_probe(tmp_path: Path, ci: str | None) -> subprocess.CompletedProcess:
    (tmp_path / "conftest.py").write_text((REPO / "tests" / "conftest.py").read_text())
    (tmp_path / "test_probe.py").write_text(PROBE)
    env = {k: v for k, v in __import__("os").environ.items() if k != "CI"}
    if ci is not None:
        env["CI"] = ci
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rA", str(tmp_path)],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("ci", ["true", "1"])
def test_in_ci_a_skip_is_a_failure_with_its_reason(tmp_path, ci):
    proc = run_probe(tmp_path, ci)
    assert proc.returncode == 1, proc.stdout
    assert "no Redis server here" in proc.stdout and "no Chromium here" in proc.stdout
    assert "skipped in CI" in proc.stdout
    last = proc.stdout.strip().splitlines()[-1]
    assert "1 passed" in last and "1 xfailed" in last and "1 skipped" in last, last  # only the bench-data test


@pytest.mark.parametrize("ci", [None, "false", ""])
def test_outside_ci_a_skip_stays_a_skip(tmp_path, ci):
    proc = run_probe(tmp_path, ci)
    assert proc.returncode == 0, proc.stdout
    last = proc.stdout.strip().splitlines()[-1]
    assert "3 skipped" in last and "1 passed" in last and " failed" not in last, last
