"""Progress: plain periodic lines off a terminal, a rich bar on one, nothing with --quiet."""

import io

from pressroom.progress import Tracker, format_duration, track


class FakeClock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


class TTY(io.StringIO):
    def isatty(self):
        return True


def test_plain_lines_every_interval_with_rate_and_eta():
    clock, out = FakeClock(), io.StringIO()
    seen = []
    for item in track(range(10), description="clean", stream=out, interval=5.0, clock=clock):
        seen.append(item)
        clock.now += 1.0  # one item a second
    assert seen == list(range(10))
    lines = out.getvalue().splitlines()
    assert lines == [
        "clean: 5/10 (50%), 1.0/s, elapsed 0:00:05, ETA 0:00:05",
        "clean: 10/10 (100%), 1.0/s, elapsed 0:00:10",
        "clean: 10/10 (100%), 1.0/s, elapsed 0:00:10 — done",
    ]


def test_unknown_total_has_no_eta():
    clock, out = FakeClock(), io.StringIO()
    for _ in track((x for x in range(4)), description="crawl", stream=out, interval=2.0, clock=clock):
        clock.now += 1.0
    assert out.getvalue().splitlines()[0] == "crawl: 2, 1.0/s, elapsed 0:00:02"
    assert "ETA" not in out.getvalue()


def test_verbose_logs_more_often():
    clock, out = FakeClock(), io.StringIO()
    with Tracker(100, "dedup", verbose=True, stream=out, clock=clock) as t:
        for _ in range(3):
            clock.now += 1.0
            t.advance()
    assert len(out.getvalue().splitlines()) == 4  # a line a second, then the closing line


def test_quiet_prints_nothing_and_still_yields_everything():
    tty, plain = TTY(), io.StringIO()
    assert list(track([1, 2, 3], quiet=True, stream=tty)) == [1, 2, 3]
    assert list(track([1, 2, 3], quiet=True, stream=plain)) == [1, 2, 3]
    assert tty.getvalue() == "" and plain.getvalue() == ""


def test_terminal_gets_a_rich_bar_with_count():
    tty = TTY()
    assert list(track(["a", "b", "c"], description="clean", stream=tty)) == ["a", "b", "c"]
    shown = tty.getvalue()
    assert "clean" in shown and "3/3" in shown and "ETA" in shown


def test_format_duration():
    assert format_duration(3725.4) == "1:02:05"


def test_step_progress_counts_pages_then_documents_not_batches():
    import io

    from cleaning.engines import InlineEngine
    from pressroom.progress import StepProgress

    def extract_and_count_batch(batch):
        return len(batch)

    def finish_and_sign_batch(batch):
        return -len(batch)

    stream = io.StringIO()
    progress = StepProgress(stream=stream)
    engine = InlineEngine(progress)
    assert engine.map(extract_and_count_batch, [[1], [2, 3]], sizes=[64, 6]) == [1, 2]
    assert engine.map(finish_and_sign_batch, [[1]], sizes=[5]) == [-1]
    lines = stream.getvalue().splitlines()
    assert lines[0].startswith("read + extract (pages): 70/70 (100%)") and lines[0].endswith("done")
    assert lines[1].startswith("clean, pass 2 (documents): 5/5 (100%)")
    assert len(lines) == 2


def test_a_real_clean_reports_progress_in_pages(tmp_path):
    import io

    from cleaning.pipeline import run_clean
    from pressroom.progress import StepProgress
    from tests.pressroom.conftest import write_pages

    write_pages(tmp_path / "pages", 70)  # two batches of up to 64
    stream = io.StringIO()
    progress = StepProgress(stream=stream)
    run_clean([str(tmp_path / "pages")], tmp_path / "out", engine="inline", progress=progress)
    progress.close()
    lines = stream.getvalue().splitlines()
    assert lines[0].startswith("read + extract (pages): 70/70 (100%)"), lines
    assert any(line.startswith("clean, pass 2 (documents): 70/70 (100%)") for line in lines), lines
    from pressroom.progress import STEP_LABELS

    labels = set(STEP_LABELS.values())  # every step the pipeline maps is named, none by its function name
    assert all(line.split(": ", 1)[0] in labels for line in lines), lines


def test_rates_are_averages_and_not_shown_for_an_instant():
    from rich.progress import Progress

    from pressroom.progress import RateColumn, format_rate

    assert format_rate(70, 0.0013) is None  # was "53319.1/s"
    assert format_rate(5000, 2.0) == "2,500/s" and format_rate(30, 4.0) == "7.5/s"
    now = [0.0]
    tracker = Tracker(70, "clean", stream=io_stream(), clock=lambda: now[0])
    now[0] = 0.001
    tracker.advance(70)
    assert "/s" not in tracker.status_line()
    bar = Progress(get_time=lambda: now[0])
    task_id = bar.add_task("clean", total=100)
    bar.start_task(task_id)
    now[0] = 10.0
    bar.update(task_id, completed=50)
    now[0] = 10.001
    bar.update(task_id, completed=100)  # a burst at the end: rich's own speed would jump
    assert RateColumn().render(bar.tasks[0]).plain == "10.0/s"


def io_stream():
    import io

    return io.StringIO()
