"""The run summary's wording: plurals from the one helper, counts named for what they count, no empty
parentheses, a re-clean that changed nothing said so."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pyarrow.parquet as pq

from cleaning.core.schema import records_to_table
from cleaning.core.stats import Stats
from pressroom.console import crawl_lines, plural, print_run_summary, records_line


def _dataset(out: Path, records: list[dict]) -> Path:
    (out / "articles").mkdir(parents=True)
    pq.write_table(records_to_table(records), out / "articles" / "part-0.parquet")
    return out / "articles"


def _summary(out: Path, path: Path, stats: Stats, **kw) -> list[str]:
    buf = io.StringIO()
    print_run_summary(out, path, stats, file=buf, **kw)
    return buf.getvalue().splitlines()


def _rec(i: int, **extra) -> dict:
    return {"doc_id": f"d{i}", "source": "dump", "input": f"x.txt#{i}", "site": "example.org", "word_count": 10, **extra}


def test_plural_is_one_helper():
    assert plural(1, "record") == "1 record" and plural(2, "record") == "2 records"
    assert plural(1, "copy", "copies") == "1 copy" and plural(3, "copy", "copies") == "3 copies"
    assert plural(1234, "block") == "1,234 blocks" and plural(0, "month") == "0 months"


def test_records_line_never_says_wrote_what_was_there():
    stats = Stats({"write/rows_unchanged": 70})
    assert records_line(stats) == "70 records, all unchanged: nothing to rewrite"
    assert records_line(Stats({"write/rows_new": 1})) == "1 record: 1 new, 0 changed, 0 unchanged"
    assert records_line(Stats({"write/rows_new": 2, "write/rows_unchanged": 3})) == \
        "5 records: 2 new, 0 changed, 3 unchanged"


def test_one_duplicate_and_no_empty_parentheses(tmp_path: Path):
    path = _dataset(tmp_path, [_rec(1, lang="en"), _rec(2, lang="en", dup_of="d1", dup_cluster="d1")])
    lines = _summary(tmp_path, path, Stats({"write/rows_new": 2}))
    assert "releases                 1  (en: 1, 1 duplicate marked)" in lines
    assert "boilerplate removed      0 blocks" in lines
    undetected = tmp_path / "nolang"
    path = _dataset(undetected, [_rec(1)])  # no language detected: said so, never "None"
    lines = _summary(undetected, path, Stats({"write/rows_new": 1}))
    assert "releases                 1  (unknown: 1)" in lines
    assert not any("()" in line or "None" in line for line in lines)
    assert "this run                 1 record: 1 new, 0 changed, 0 unchanged" in lines


def test_crawl_counts_are_named_for_what_they_count():
    stats = {"pressroom/pages_fetched": 102, "response_received_count": 103, "pressroom/stored": 70}
    lines = crawl_lines(stats)
    assert lines[0] == "pages fetched            102"
    assert re.fullmatch(r"HTTP responses\s+103  \(the pages and Scrapy's own robots\.txt checks\)", lines[1])
    assert lines[2] == "release pages stored     70"
    same = crawl_lines({"pressroom/pages_fetched": 5, "response_received_count": 5, "pressroom/stored": 5})
    assert [line.split()[0] for line in same] == ["pages", "release"]  # nothing to tell apart


def test_the_summary_and_the_report_name_the_same_time(tmp_path: Path):
    """The summary's 'took' and the report's run time come from one figure (reports/run.json)."""
    from pressroom.report import build_report
    from pressroom.console import save_run_time

    path = _dataset(tmp_path, [_rec(1, lang="en")])
    save_run_time(tmp_path, "clean", 75.0)
    lines = _summary(tmp_path, path, Stats({"write/rows_new": 1}), seconds=75.0)
    assert "took                     75.0 s" in lines
    _, sections = build_report(tmp_path)
    run_time = next(s for s in sections if s.title == "Run time")
    assert run_time.summary == ["run time: pressroom clean (whole command) 1 min 15 s"]


def test_the_report_funnel_says_one_of_each_in_the_singular():
    from pressroom.report import funnel_line

    crawl = {"response_received_count": 1, "pressroom/pages_fetched": 1, "pressroom/pages/release": 1,
             "pressroom/stored": 1, "pressroom/new": 1}
    assert funnel_line(crawl, {"write/records": 1, "write/rows_unchanged": 1}, None) == (
        "funnel: 1 HTTP response → 1 page fetched → 1 release page → 1 stored in raw/ (1 new, 0 changed, "
        "0 unchanged) → 1 record written (0 new, 0 changed, 1 unchanged)")


def test_pages_set_aside_are_one_line_of_the_summary(tmp_path: Path):
    from cleaning.core.options import CleanOptions
    from cleaning.pipeline import run_clean

    fixtures = Path(__file__).resolve().parents[1] / "fixtures" / "html"
    path, stats = run_clean([str(fixtures)], tmp_path / "data", CleanOptions())
    stats.inc("extract/truncated")
    buf = io.StringIO()
    print_run_summary(tmp_path / "data", path, stats, file=buf)
    [line] = [x for x in buf.getvalue().splitlines() if x.startswith("pages set aside")]
    assert "1 page not releases (attachment 1; --all-pages keeps them)" in line and "1 page cut to the size cap" in line
    quiet = io.StringIO()
    print_run_summary(tmp_path / "data", path, Stats(), file=quiet)
    assert "pages set aside" not in quiet.getvalue()
