"""Shared fixtures: real services (Redis) started on 127.0.0.1 or skipped with a reason.

In CI (the environment variable CI set to a true value, as .ci/run does) a skipped test is a
failure carrying the skip reason: the real parts (Redis, Chromium) cannot silently drop out.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time

import pytest

TRUE_VALUES = ("1", "true", "yes", "on")


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in TRUE_VALUES


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """CI=true: a skip (marker, pytest.skip, importorskip) becomes a failure with its reason.

    Tests marked `bench_data` are the exception: their data (../shared/bench) lives outside the
    repository, so a clean checkout elsewhere may rightly not have it.
    """
    outcome = yield
    report = outcome.get_result()
    if not report.skipped or hasattr(report, "wasxfail") or not in_ci() or item.get_closest_marker("bench_data"):
        return
    reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
    report.outcome = "failed"
    report.longrepr = f"skipped in CI (CI={os.environ['CI']}), which must run every test: {reason}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def redis_url():
    """A real Redis server: CI's (PRESSROOM_TEST_REDIS_URL), else one started here, else skip."""
    url = os.environ.get("PRESSROOM_TEST_REDIS_URL")
    if url:
        yield url
        return
    binary = shutil.which("redis-server")
    if not binary:
        pytest.skip("no Redis server: install Debian's redis-server (CI's .ci/run does)")
    port = free_port()
    proc = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    else:
        proc.kill()
        pytest.skip("redis-server did not start")
    yield f"redis://127.0.0.1:{port}/0"
    proc.terminate()
    proc.wait(timeout=10)
