"""cleaning.core.urls and cleaning.steps.ids: one URL identity, trusted canonicals, no silent shared doc_id."""

from __future__ import annotations

import dataclasses

import pytest

from cleaning.core.stats import Stats
from cleaning.core.urls import canonical_url, doc_id_for, trusted_canonical, url_key
from cleaning.pipeline import clean_pages

DISTINCT = [  # pages a site routes by query or path case: each its own identity
    ("https://blog.example.org/?p=123", "https://blog.example.org/?p=124"),
    ("https://forum.example.org/viewtopic.php?t=1&f=2", "https://forum.example.org/viewtopic.php?t=2&f=2"),
    ("https://forum.example.org/forum/?threads/some-thread.123/", "https://forum.example.org/forum/?threads/other.124/"),
    ("https://forum.example.org/forum/?threads/some-thread.123/", "https://forum.example.org/forum/"),
    ("https://ex.org/index.php?option=com_content&view=article&id=7",
     "https://ex.org/index.php?option=com_content&view=article&id=8"),
    ("https://ex.org/Press/Release-A", "https://ex.org/press/release-a"),
    ("https://ex.org/search?ref=1", "https://ex.org/search?ref=2"),  # only known trackers go
]

SAME = [  # one page: tracking parameters, fragments, host case, default port, parameter order
    ("https://blog.example.org/?p=123&utm_source=rss&utm_medium=feed", "https://blog.example.org/?p=123"),
    ("https://forum.example.org/viewtopic.php?f=2&t=1&fbclid=IwAR0", "https://forum.example.org/viewtopic.php?t=1&f=2"),
    ("https://forum.example.org/forum/?threads/some-thread.123/&gclid=x#post-9",
     "https://forum.example.org/forum/?threads/some-thread.123/"),
    ("https://Ex.ORG:443/index.php?id=7&view=article&option=com_content&mc_cid=ab&mc_eid=cd",
     "https://ex.org/index.php?option=com_content&view=article&id=7"),
    ("HTTP://Ex.org:80/Press/Release-A#top", "http://ex.org/Press/Release-A"),
    ("https://bücher.example/presse/a?PHPSESSID=1", "https://xn--bcher-kva.example/presse/a"),
]


@pytest.mark.parametrize("a, b", DISTINCT)
def test_distinct_pages_stay_distinct(a, b):
    assert canonical_url(a) != canonical_url(b)
    assert url_key(a) != url_key(b)


@pytest.mark.parametrize("a, b", SAME)
def test_the_same_page_folds_into_one(a, b):
    assert canonical_url(a) == canonical_url(b)
    assert url_key(a) == url_key(b)


def test_identity_keeps_query_verbatim_and_path_case():
    assert canonical_url("https://F.example.org/forum/?threads/Some-Thread.123/#x") == \
        "https://f.example.org/forum/?threads/Some-Thread.123/"
    assert canonical_url("https://ex.org/?utm_source=a") == "https://ex.org/"
    assert canonical_url("https://München.example/A") == "https://xn--mnchen-3ya.example/A"
    assert canonical_url("http://[bad/x") == "http://[bad/x"  # never raises


@pytest.mark.parametrize("canonical, url, trusted", [
    ("https://ex.org/news/a/", "https://ex.org/news/a/?utm_source=x", True),
    ("https://www.ex.org/news/a/", "https://ex.org/?p=5", True),  # same registered domain
    ("https://ex.org/", "https://ex.org/news/a/", False),  # an inner page pointing at the home page
    ("https://ex.org/", "https://ex.org/?p=5", False),
    ("https://syndicator.net/copy/a/", "https://ex.org/news/a/", False),  # another domain
    ("http://[bad/x", "https://ex.org/news/a/", False),  # 'Invalid IPv6 URL'
])
def test_trusted_canonical(canonical, url, trusted):
    assert (trusted_canonical(canonical, url) == canonical) is trusted


def page(title: str, text: str, canonical: str | None = None) -> str:
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    return (f"<html><head><title>{title}</title>{link}</head><body><article><h1>{title}</h1>"
            f"<p>{text}</p></article></body></html>")


def test_pages_with_different_text_claiming_one_canonical_both_survive():
    shared = "https://ex.org/news/the-one/"
    stats = Stats()
    records = list(clean_pages([
        {"url": "https://ex.org/news/a/", "html": page("A", "The first release says one thing entirely.", shared)},
        {"url": "https://ex.org/news/b/", "html": page("B", "The second release talks about something else.", shared)},
    ], stats=stats))
    assert len(records) == 2
    assert {r["doc_id"] for r in records} == {doc_id_for("https://ex.org/news/a/"), doc_id_for("https://ex.org/news/b/")}
    assert {r["canonical_url"] for r in records} == {"https://ex.org/news/a/", "https://ex.org/news/b/"}
    assert stats["ids/canonical_clash"] == 1
    [note] = stats.to_dict()["notes"]["ids"]
    assert note["canonical"] == shared and note["kept"] == "all"


def test_same_page_twice_is_one_record_listed_with_the_kept_input():
    html = page("A", "One release, fetched once plainly and once from a newsletter link.")
    stats = Stats()
    records = list(clean_pages([
        {"input": "first", "url": "https://ex.org/news/a/?utm_source=newsletter", "html": html},
        {"input": "second", "url": "https://ex.org/news/a/", "html": html},
    ], stats=stats))
    assert len(records) == 1 and records[0]["doc_id"] == doc_id_for("https://ex.org/news/a/")
    assert stats["ids/shared"] == 1
    [note] = stats.to_dict()["notes"]["ids"]
    assert (note["kept"], note["dropped"]) == ("second", "first") and "same URL" in note["why"]


def test_forum_threads_keep_their_own_records():
    stats = Stats()
    records = list(clean_pages([
        {"url": "https://f.example.org/forum/?threads/first-thread.1/", "html": page("T1", "First thread text here.")},
        {"url": "https://f.example.org/forum/?threads/second-thread.2/", "html": page("T2", "Second thread, other text.")},
    ], stats=stats))
    assert len({r["doc_id"] for r in records}) == 2 and stats["ids/shared"] == 0
    assert not any(r["dup_of"] for r in records)


def test_malformed_canonical_is_ignored_not_the_page():
    stats = Stats()
    records = list(clean_pages([{"url": "https://ex.org/news/a/", "html": page("A", "Text of a release.", "http://[x")}],
                               stats=stats))
    assert len(records) == 1 and records[0]["canonical_url"] == "https://ex.org/news/a/"
    assert stats["extract/errors"] == 0


def test_unsafe_query_characters_are_encoded_once():
    assert canonical_url("https://ex.org/forum/?threads/a b.1/&q=é") == \
        canonical_url("https://ex.org/forum/?q=%C3%A9&threads/a%20b.1/") == "https://ex.org/forum/?q=%C3%A9&threads/a%20b.1/"


def test_one_url_given_twice_keeps_the_same_copy_whatever_the_input_order():
    from datetime import UTC, datetime

    from cleaning.core.schema import SourceRecord
    from cleaning.pipeline import clean_sources

    url = "https://ex.org/news/a/"
    old = SourceRecord(input="old.html", source="html", url=url, fetched_at=datetime(2025, 1, 1, tzinfo=UTC),
                       html=page("A", "The release as first published, before its correction."))
    new = SourceRecord(input="new.html", source="html", url=url, fetched_at=datetime(2025, 2, 1, tzinfo=UTC),
                       html=page("A", "The release as corrected a month later, with new figures."))
    undated = [dataclasses.replace(r, fetched_at=None) for r in (old, new)]
    for pair, kept in (((old, new), "new.html"), ((new, old), "new.html")):  # the latest fetch wins
        stats = Stats()
        [record] = list(clean_sources(list(pair), stats=stats))
        assert record["input"] == kept and stats["ids/shared"] == 1
        assert stats.to_dict()["notes"]["ids"][0]["dropped"] == ({"old.html", "new.html"} - {kept}).pop()
    # no fetch time: the content hash decides, the same in both orders
    kept = {next(iter(clean_sources(list(pair), stats=Stats())))["input"] for pair in (undated, undated[::-1])}
    assert len(kept) == 1


def _clean_run(tmp_path, out, name: str, pages: list[dict]):
    import json

    from cleaning.core.options import CleanOptions
    from cleaning.pipeline import run_clean

    src = tmp_path / f"{name}.jsonl"
    src.write_text("".join(json.dumps(p) + "\n" for p in pages), encoding="utf-8")
    _, stats = run_clean([str(src)], out, CleanOptions(all_pages=True), engine="inline")
    return stats, json.loads((out / "reports" / "clean-stats.json").read_text(encoding="utf-8"))


def _rows(out) -> dict[str, dict]:
    import pyarrow.dataset as ds

    from cleaning.io.writers import data_files

    return {r["doc_id"]: r for r in ds.dataset(data_files(out / "articles"), format="parquet").to_table().to_pylist()}


A_URL = "https://ex.org/news/a/"
A_TEXT = "The first release says one thing entirely, about the harbour and its new quay."


def test_a_later_run_page_claiming_an_earlier_pages_canonical_keeps_both(tmp_path):
    out = tmp_path / "out"
    _clean_run(tmp_path, out, "run1", [{"url": A_URL, "html": page("A", A_TEXT)}])
    [a_id] = _rows(out)
    assert a_id == doc_id_for(A_URL)
    b_text = "The second release talks about something else: the school canteen menus."
    stats, saved = _clean_run(tmp_path, out, "run2",
                              [{"url": "https://ex.org/news/b/", "html": page("B", b_text, A_URL)}])
    rows = _rows(out)
    assert sorted(rows) == sorted([a_id, doc_id_for("https://ex.org/news/b/")])
    assert "harbour" in rows[a_id]["body_text"] and "canteen" in rows[doc_id_for("https://ex.org/news/b/")]["body_text"]
    assert stats["ids/canonical_clash"] == 1 and stats["write/rows_changed"] == 0 and stats["write/rows_new"] == 1
    [note] = saved["notes"]["ids"]
    assert note["doc_id"] == a_id and note["kept"] == "all" and A_URL in note["inputs"]


@pytest.mark.parametrize("url, text, counter", [
    (A_URL, A_TEXT + " Corrected: the quay opens in May.", "write/rows_changed"),
    (A_URL + "?utm_source=newsletter&fbclid=x", A_TEXT, "write/rows_unchanged"),
])
def test_a_later_run_refetching_the_stored_page_updates_it(tmp_path, url, text, counter):
    out = tmp_path / "out"
    _clean_run(tmp_path, out, "run1", [{"url": A_URL, "html": page("A", A_TEXT)}])
    stats, saved = _clean_run(tmp_path, out, "run2", [{"url": url, "html": page("A", text)}])
    [(doc_id, row)] = _rows(out).items()
    assert doc_id == doc_id_for(A_URL) and row["body_text"].endswith(text)
    assert stats[counter] == 1 and stats["ids/canonical_clash"] == 0 and not saved.get("notes", {}).get("ids")


@pytest.mark.parametrize("variant", [
    "http://H.example:80/2024/01/a-b-c-d/?utm_source=x&utm_medium=y",
    "http://h.example/2024/01/a-b-c-d/?fbclid=123",
    "http://h.example/2024/01/a-b-c-d?gclid=9#comments",
    "http://h.example/2024/01/a-b-c-d/;jsessionid=ABC?PHPSESSID=1",
])
def test_tracking_session_case_slash_variants_share_one_key(variant):
    assert url_key(variant) == url_key("http://h.example/2024/01/a-b-c-d/")
    assert "utm_" not in canonical_url(variant) and "fbclid" not in canonical_url(variant)


def test_query_order_is_normalised_but_meaningful_params_kept():
    assert canonical_url("http://h/x?b=2&a=1&utm_term=z") == "http://h/x?a=1&b=2"
