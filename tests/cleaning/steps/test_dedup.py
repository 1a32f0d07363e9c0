"""Exact and near-duplicate folding: what is folded, what is not, which copy is kept."""

import itertools
import random
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

from cleaning.core.text import content_hash
from cleaning.steps.dedup import (
    dedup_documents,
    dedup_signature,
    find_duplicate_clusters,
    mark_duplicates,
    url_key,
)
from cleaning.core.options import CleanOptions
from cleaning.core.schema import Document, Paragraph
from cleaning.core.stats import Stats

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
from bench.dedup import plant, score  # noqa: E402

OPTS = CleanOptions()

RELEASE = [
    "Paris, 12 March 2025 — The regional water authority today announced a five-year plan to replace "
    "ageing pipes in forty municipalities, after a winter of repeated leaks and supply cuts.",
    "The programme will be financed by a mix of public loans and a modest tariff increase spread over "
    "the period, and the first works are due to start in the northern districts in early summer.",
    "Engineers surveyed more than two thousand kilometres of network last year and found that one pipe "
    "in six had reached the end of its expected life, most of them laid in the late nineteen sixties.",
    "Residents will be informed about interruptions at least a week in advance by letter and text message, "
    "and temporary tanks will be installed where a street is cut off for more than a day.",
]
OTHER = [
    "Lyon, 3 April 2025 — The city orchestra will tour six countries in the autumn with a programme of "
    "contemporary works commissioned from young composers across the continent.",
    "The tour opens in Vienna and closes in Lisbon, with open rehearsals for school classes in every city "
    "and a series of recordings to be released by the orchestra's own label next spring.",
    "Tickets go on sale next month; a quarter of the seats in each hall are reserved for students and "
    "for holders of the regional culture pass at a reduced price.",
]
QUOTE = ("“We are proud of what our teams have achieved this year and we will keep investing in the people "
         "who make this organisation work every day”, said Marie Dupont, chief executive.")
BOILERPLATE = [
    "About the Authority: the regional authority serves two million people in four hundred towns and is "
    "governed by a board of elected representatives from every department of the region.",
    "Press contact: Jean Martin, press office, telephone 01 23 45 67 89, press@example.org",
]


def doc(doc_id: str, paragraphs: list[str], url: str | None = None, published: datetime | None = None) -> Document:
    body = "\n\n".join(paragraphs)
    return Document(doc_id=doc_id, input=f"in#{doc_id}", source="html", url=url or f"https://example.org/{doc_id}",
                    paragraphs=[Paragraph(p) for p in paragraphs], published_at=published,
                    content_hash=content_hash(body), word_count=len(body.split()))


def day(n: int) -> datetime:
    return datetime(2025, 3, n, tzinfo=timezone.utc)


def marks(docs: list[Document]) -> dict[str, tuple]:
    return {d.doc_id: (d.dup_of, d.dup_cluster) for d in docs}


@pytest.mark.parametrize("a, b", [
    ("https://example.org/press/a/", "http://example.org/press/a"),
    ("https://www.example.org/press/a?utm_source=rss&utm_medium=feed", "https://example.org/press/a"),
    ("https://example.org/press/a?fbclid=xyz#comments", "https://EXAMPLE.org/press/a/"),
    ("https://example.org/press?id=3&gclid=1", "http://www.example.org/press/?id=3"),
])
def test_url_key_folds_scheme_www_tracking_fragment_and_trailing_slash(a, b):
    assert url_key(a) == url_key(b)


def test_url_key_keeps_meaningful_differences():
    assert url_key("https://example.org/press?id=3") != url_key("https://example.org/press?id=4")
    assert url_key("https://example.org/press/a") != url_key("https://example.org/press/b")
    assert url_key(None) is None


def test_republished_copy_is_folded_onto_the_earliest():
    stats = Stats()
    out = dedup_documents([doc("copy", RELEASE, "https://mirror.net/x", day(9)),
                           doc("orig", RELEASE, published=day(2)), doc("other", OTHER, published=day(1))],
                          OPTS, stats)
    assert marks(out) == {"copy": ("orig", "orig"), "orig": (None, "orig"), "other": (None, None)}
    assert stats["dedup/exact"] == 1 and stats["dedup/near"] == 0


def test_same_url_is_an_exact_duplicate_even_with_other_text():
    out = dedup_documents([doc("a", RELEASE, "https://example.org/p/1/", day(2)),
                           doc("b", OTHER, "http://www.example.org/p/1?utm_campaign=x", day(3))], OPTS, Stats())
    assert marks(out) == {"a": (None, "a"), "b": ("a", "a")}


@pytest.mark.parametrize("edit", ["corrected date", "added paragraph", "both", "typo"])
def test_lightly_edited_release_is_a_near_duplicate(edit):
    edited = list(RELEASE)
    if edit in ("corrected date", "both"):
        edited[0] = edited[0].replace("12 March", "13 March")
    if edit in ("added paragraph", "both"):
        edited.insert(2, "The plan was approved unanimously by the board on Tuesday evening after a short debate.")
    if edit == "typo":
        edited[1] = edited[1].replace("modest", "small")
    stats = Stats()
    out = dedup_documents([doc("orig", RELEASE, published=day(2)), doc("edit", edited, published=day(4))],
                          OPTS, stats)
    assert marks(out)["edit"] == ("orig", "orig")
    assert stats["dedup/near"] == 1


def test_different_releases_sharing_a_quote_and_boilerplate_are_not_folded():
    a = [RELEASE[0], QUOTE, RELEASE[1], *BOILERPLATE]
    b = [OTHER[0], QUOTE, OTHER[1], *BOILERPLATE]
    out = dedup_documents([doc("a", a, published=day(1)), doc("b", b, published=day(2))], OPTS, Stats())
    assert marks(out) == {"a": (None, None), "b": (None, None)}


def test_a_boilerplate_only_stub_does_not_swallow_the_releases_containing_it():
    stub = doc("stub", [QUOTE, *BOILERPLATE], published=day(1))
    full = [doc("a", [*RELEASE, QUOTE, *BOILERPLATE], published=day(2)),
            doc("b", [*OTHER, QUOTE, *BOILERPLATE], published=day(3))]
    out = dedup_documents([stub, *full], OPTS, Stats())
    assert all(m == (None, None) for m in marks(out).values())


def test_keep_rule_earliest_then_longest_then_smallest_id_whatever_the_input_order():
    longer = [*RELEASE, "A further paragraph gives the schedule of public meetings in each of the districts."]
    docs = [doc("z-early", RELEASE, published=day(1)), doc("a-late", RELEASE[:1] + RELEASE[1:], "https://m.net/1",
                                                         day(5)),
            doc("b-undated", longer, "https://m.net/2")]
    for perm in itertools.permutations(docs):
        assert {d.doc_id: d.dup_of for d in dedup_documents(list(perm), OPTS, Stats())} == {
            "z-early": None, "a-late": "z-early", "b-undated": "z-early"}
    same_day = [doc("m2", RELEASE, "https://m.net/3", day(1)), doc("m1", RELEASE, "https://m.net/4", day(1)),
                doc("m3", longer, "https://m.net/5", day(1))]
    out = {d.doc_id: d.dup_of for d in dedup_documents(same_day, OPTS, Stats())}
    assert out == {"m3": None, "m1": "m3", "m2": "m3"}  # same date: the longest is kept
    tie = [doc("t2", RELEASE, "https://m.net/6", day(1)), doc("t1", RELEASE, "https://m.net/7", day(1))]
    assert {d.doc_id: d.dup_of for d in dedup_documents(tie, OPTS, Stats())} == {"t1": None, "t2": "t1"}


def test_nothing_is_dropped_and_order_is_kept():
    docs = [doc(f"d{i}", RELEASE, f"https://m.net/{i}", day(i + 1)) for i in range(5)] + [doc("o", OTHER)]
    out = dedup_documents(docs, OPTS, Stats())
    assert [d.doc_id for d in out] == [d.doc_id for d in docs]
    assert sum(d.dup_of is None for d in out) == 2


def test_empty_and_short_bodies_are_not_duplicates_of_each_other():
    out = dedup_documents([doc("e1", []), doc("e2", []), doc("s1", ["Read more."]), doc("s2", ["Read more!"])],
                          OPTS, Stats())
    assert marks(out)["e1"] == marks(out)["e2"] == (None, None)
    assert marks(out)["s2"] == ("s1", "s1")  # short but identical once normalised: exact duplicate


def test_the_same_document_twice_is_not_its_own_duplicate():
    out = dedup_documents([doc("a", RELEASE), doc("a", RELEASE)], OPTS, Stats())
    assert all(d.dup_of is None for d in out)


def test_stale_marks_are_cleared():
    stale = doc("a", RELEASE).replace(dup_of="gone", dup_cluster="gone")
    assert marks(dedup_documents([stale, doc("o", OTHER)], OPTS, Stats()))["a"] == (None, None)


def test_a_bad_document_is_an_error_not_a_crash():
    bad = doc("bad", RELEASE).replace(paragraphs=None)
    stats = Stats()
    out = dedup_documents([bad, doc("ok", OTHER)], OPTS, stats)
    assert [d.doc_id for d in out] == ["bad", "ok"]
    assert stats["dedup/errors"] == 1


def test_signatures_per_partition_then_one_merge_equals_the_single_batch():
    """The distributed shape: map dedup_signature over partitions, merge once, map mark_duplicates."""
    planted = plant(400, seed=3)
    docs = list(planted.docs)
    random.Random(0).shuffle(docs)
    partitions = [docs[i::3] for i in range(3)]
    sigs = [dedup_signature(d, OPTS) for part in partitions for d in part]
    assignments = find_duplicate_clusters(sigs, OPTS)
    merged = {d.doc_id: mark_duplicates(d, assignments.get(d.doc_id)) for d in docs}
    single = {d.doc_id: d for d in dedup_documents(planted.docs, OPTS, Stats())}
    assert marks(merged.values()) == marks(single.values())


@pytest.mark.parametrize("seed", [5, 19])
def test_planted_set_precision_and_recall_at_least_095(seed):
    planted = plant(1500, seed=seed)
    out = dedup_documents(planted.docs, OPTS, Stats())
    result = score(planted.truth, {d.doc_id: d.dup_cluster for d in out if d.dup_cluster})
    assert result["true_pairs"] > 300
    assert result["precision"] >= 0.95 and result["recall"] >= 0.95, result
