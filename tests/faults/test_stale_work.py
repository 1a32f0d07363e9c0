"""Work folders a killed run leaves in OUT are removed by the next run; a live run's folder is kept."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from cleaning.core.options import CleanOptions
from cleaning.core.schema import SourceRecord
from cleaning.core.stats import Stats
from cleaning.engines import InlineEngine
from cleaning.pipeline import WORK_PREFIX, clean_sources

REPO = Path(__file__).resolve().parents[2]

HOLDER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from cleaning.pipeline import work_folder

    with work_folder(Path(sys.argv[1])) as work:
        (work / "batch-000000.pkl").write_bytes(b"staged documents")
        print(work, flush=True)
        sys.stdin.readline()  # a run still working, until told to finish
""")


def start_run(out: Path) -> tuple[subprocess.Popen, Path]:
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(out)], env={**os.environ, "PYTHONPATH": str(REPO)},
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = proc.stdout.readline().strip()
    assert line, proc.stderr.read()
    return proc, Path(line)


TOPICS = ("river pollution downstream of the mine", "a court ruling on press freedom", "flood relief for coastal villages",
          "the new water treaty", "prison conditions in the capital")


def pages(n: int) -> list[SourceRecord]:
    """n releases with texts of their own (a page whose whole text repeats across the site is no release)."""
    body = "<html><head><title>T{i}</title></head><body><article><p>{text}</p></article></body></html>"
    return [SourceRecord(input=f"p{i}.html", source="html", url=f"http://127.0.0.1:1/p{i}",
                         html=body.format(i=i, text=" ".join(f"Release {i} is about {TOPICS[i % len(TOPICS)]}, "
                                                             f"point {k} of {TOPICS[(i + k) % len(TOPICS)]}." for k in range(12))))
            for i in range(n)]


def test_a_killed_runs_work_folder_is_removed_and_a_live_runs_is_kept(tmp_path):
    out = tmp_path / "out"
    killed, killed_work = start_run(out)
    killed.send_signal(signal.SIGKILL)  # as the OOM killer would: no cleanup
    assert killed.wait(timeout=30) == -signal.SIGKILL
    assert killed_work.is_dir() and any(killed_work.iterdir())

    live, live_work = start_run(out)
    try:
        records = list(clean_sources(pages(3), CleanOptions(), Stats(), InlineEngine(), out))
        assert len(records) == 3
        assert not killed_work.exists(), "the killed run's folder was left"
        assert live_work.is_dir() and (live_work / "batch-000000.pkl").exists(), "a live run's folder was removed"
        assert sorted(out.glob(WORK_PREFIX + "*")) == [live_work]  # and this run's own folder is gone too
    finally:
        live.communicate("done\n", timeout=30)
    assert live.returncode == 0 and not live_work.exists()
