"""The step contract: per-step counts and time for free, failures recorded against the step that raised."""

import json

import pytest

from cleaning.core.options import DEFAULT_OPTIONS
from cleaning.core.schema import Document, Paragraph
from cleaning.core.stats import Stats
from cleaning.core.step import Step, StepFailed, run_steps
from cleaning.pipeline import DOCUMENT_STEPS, run_clean


def _doc() -> Document:
    return Document(doc_id="d", input="in.txt", source="dump", paragraphs=[Paragraph("One two three.")])


def _boom(doc, opts, stats):
    raise ValueError("no luck")


def test_each_step_is_counted_and_timed_under_its_name():
    stats = Stats()
    upper = Step("upper", lambda d, o, s: d.replace(title="T"))
    out = run_steps(_doc(), (upper, upper), DEFAULT_OPTIONS, stats)
    assert out.title == "T" and stats["step/upper/documents"] == 2 and "step/upper/time_us" in stats.counts


def test_a_required_step_failure_drops_the_document_and_names_the_step():
    stats = Stats()
    with pytest.raises(StepFailed):
        run_steps(_doc(), (Step("fragile", _boom), Step("after", lambda d, o, s: d)), DEFAULT_OPTIONS, stats)
    assert stats["fragile/errors"] == 1 and stats["step/after/documents"] == 0
    err = stats.errors[0]
    assert (err["input"], err["step"], err["error"]) == ("in.txt", "fragile", "ValueError: no luck")
    assert "_boom" in err["traceback"]


def test_an_optional_step_failure_keeps_the_document_as_it_was():
    stats, doc = Stats(), _doc()
    assert run_steps(doc, (Step("extra", _boom, optional=True),), DEFAULT_OPTIONS, stats) is doc
    assert stats["extra/errors"] == 1


def test_clean_stats_json_has_time_and_counts_for_every_step(tmp_path):
    dump = tmp_path / "in" / "release.txt"
    dump.parent.mkdir()
    dump.write_text("A title for the release\n\n" + "The ministry must publish the reports now. " * 8, encoding="utf-8")
    run_clean([str(dump.parent)], tmp_path / "out", workers=1)
    counts = json.loads((tmp_path / "out" / "reports" / "clean-stats.json").read_text())["counts"]
    for name in ["extract", "strip", *(step.name for step in DOCUMENT_STEPS)]:
        assert counts[f"step/{name}/documents"] >= 1 and f"step/{name}/time_us" in counts, name


def test_a_page_over_its_time_budget_is_an_error_of_the_step_that_used_it_up():
    import dataclasses
    import time

    def slow(doc, opts, stats):
        time.sleep(0.05)
        return doc

    never = Step("never", lambda d, o, s: pytest.fail("a step after the budget ran out was run"))
    opts = dataclasses.replace(DEFAULT_OPTIONS, page_budget_s=0.01)
    stats = Stats()
    with pytest.raises(StepFailed):
        run_steps(_doc(), (Step("slow", slow), never), opts, stats)
    [error] = stats.errors
    assert error["input"] == "in.txt" and error["step"] == "slow"
    assert error["error"].startswith("BudgetExceeded:") and "never" in error["error"]
    assert stats["step/slow/over_budget"] == 1 and stats["slow/errors"] == 1
    # a page within its budget goes through the same steps
    fast = Step("fast", lambda d, o, s: d.replace(title="T"))
    assert run_steps(_doc(), (fast, fast), opts, stats).title == "T"
    assert len(stats.errors) == 1


def test_the_budget_interrupts_a_step_that_would_run_on_and_no_except_clause_swallows_it():
    """A hard deadline (the timer signal): a step stuck for a minute is stopped at its budget, even
    inside a broad `except Exception` (as libraries write), and an optional step is no way out."""
    import dataclasses
    import time

    def stuck(doc, opts, stats):
        try:
            time.sleep(60)
        except Exception:  # noqa: BLE001 - what a library might do
            pass
        return doc.replace(title="finished anyway")

    opts = dataclasses.replace(DEFAULT_OPTIONS, page_budget_s=0.2)
    stats = Stats()
    started = time.monotonic()
    with pytest.raises(StepFailed):
        run_steps(_doc(), (Step("stuck", stuck, optional=True), Step("after", lambda d, o, s: d)), opts, stats)
    assert time.monotonic() - started < 10
    [error] = stats.errors
    assert error["step"] == "stuck" and error["error"].startswith("BudgetExceeded:") and "after" in error["error"]
    assert stats["step/stuck/over_budget"] == 1


def test_the_deadline_gives_an_outer_timer_back_what_is_left_of_it():
    import signal

    from cleaning.core.step import page_deadline

    rang = []
    previous = signal.signal(signal.SIGALRM, lambda *a: rang.append(True))
    try:
        signal.setitimer(signal.ITIMER_REAL, 30)
        with page_deadline(5):
            assert signal.getitimer(signal.ITIMER_REAL)[0] <= 5  # ours while inside
        left = signal.getitimer(signal.ITIMER_REAL)[0]
        assert 25 < left <= 30 and not rang  # the outer one is back, not reset, not fired
        signal.setitimer(signal.ITIMER_REAL, 1)
        with page_deadline(5):  # an outer timer ringing first is left alone
            assert signal.getitimer(signal.ITIMER_REAL)[0] <= 1
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_a_page_whose_extraction_runs_past_its_budget_is_dropped_and_the_others_are_kept():
    import dataclasses

    from cleaning.pipeline import clean_pages

    small = [{"url": f"https://ex.org/{i}/", "html": f"<html><body><p>Page {i} has a sentence or two of text.</p>"
                                                      "</body></html>"} for i in range(3)]
    paragraphs = "".join(f"<p>Paragraph {i} of a very long page, with words that differ: {i * 7919}.</p>"
                         for i in range(60_000))
    huge = {"url": "https://ex.org/huge/", "html": f"<html><body><article>{paragraphs}</article></body></html>"}
    stats = Stats()
    opts = dataclasses.replace(DEFAULT_OPTIONS, page_budget_s=1.0)
    records = list(clean_pages([small[0], huge, *small[1:]], opts, stats))
    assert sorted(r["url"] for r in records) == [p["url"] for p in small]
    [error] = stats.errors
    assert error["input"] == huge["url"] and error["step"] == "extract"
    assert error["error"].startswith("BudgetExceeded:") and stats["step/extract/over_budget"] == 1


def test_a_tiny_page_budget_drops_each_page_with_an_error_and_the_run_goes_on():
    import dataclasses

    from cleaning.pipeline import clean_pages

    pages = [{"url": f"https://ex.org/{i}/", "html": f"<html><body><p>Page {i} has a sentence or two of text.</p>"
                                                      "</body></html>"} for i in range(3)]
    stats = Stats()
    records = list(clean_pages(pages, dataclasses.replace(DEFAULT_OPTIONS, page_budget_s=1e-9), stats))
    assert records == []
    assert sorted(e["input"] for e in stats.errors) == [p["url"] for p in pages]
    assert {e["step"] for e in stats.errors} == {"extract"} and stats["step/extract/over_budget"] == 3
    assert len(list(clean_pages(pages, DEFAULT_OPTIONS, Stats()))) == 3  # the default budget keeps them
