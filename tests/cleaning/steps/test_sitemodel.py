"""Pass 1: fingerprints, exact per-site counts as a map-reduce, the model and its audit table."""

from __future__ import annotations

import random
import subprocess
import sys

import numpy as np
import pyarrow as pa

from cleaning.core.options import CleanOptions
from cleaning.core.schema import BOILERPLATE_SCHEMA, Block, Document
from cleaning.steps.sitemodel import (SiteCounts, build_site_model, collect_samples, count_fingerprints, doc_threshold,
                                hash64, merge_counts, merge_samples, normalise, pattern_key, text_key)
from cleaning.steps.strip import boilerplate_table

OPTS = CleanOptions()


def doc(doc_id: str, site: str | None, lines: list[str], dom_path: str | None = None) -> Document:
    blocks = [Block(text=t, position=i, dom_path=dom_path) for i, t in enumerate(lines)]
    return Document(doc_id=doc_id, input=doc_id, source="dump", blocks=blocks, site=site)


def random_corpus(n: int = 60, seed: int = 3) -> list[Document]:
    rng = random.Random(seed)
    shared = [f"Shared line number {k} for the site" for k in range(8)]
    docs = []
    for i in range(n):
        lines = rng.sample(shared, rng.randint(0, 5)) + [f"unique body {i} {rng.random()}"]
        docs.append(doc(f"d{i}", rng.choice(["a.example", "b.example", None]), lines))
    return docs


def test_normalise_folds_case_digits_punctuation_and_spacing():
    assert normalise("Contact  PRESSE : +33 6 76") == normalise("contact presse — +44 1 23") == "contactpresse000"
    assert normalise(" ... ") == ""


def test_hash_is_stable_across_processes():
    assert hash64("t\x00\x00contactpresse") == 0xBF9BA0AB07350B21
    code = "from cleaning.steps.sitemodel import hash64; print(hash64('t\\x00\\x00contactpresse'))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={"PYTHONHASHSEED": "123", "PATH": ""}, cwd=".")
    assert int(out.stdout) == 0xBF9BA0AB07350B21


def test_pattern_key_unifies_feed_footers_with_different_titles():
    a = Block("The post Monde. Un premier titre assez long appeared first on Amnesty International.")
    b = Block("The post Another release title, with commas appeared first on Amnesty International.")
    other_site = Block("The post Monde. Un premier titre assez long appeared first on Other Org Name.")
    assert pattern_key(a) == pattern_key(b)
    assert text_key(a) != text_key(b)
    assert pattern_key(a) != pattern_key(other_site)
    assert pattern_key(Block("Too short line")) is None


def test_text_key_is_keyed_by_dom_path():
    body = Block("The same sentence", dom_path="html/body/main/article/p")
    sidebar = Block("The same sentence", dom_path="html/body/aside/p")
    assert text_key(body) != text_key(sidebar)
    assert text_key(Block("THE same sentence!")) == text_key(Block("the same sentence"))


def test_a_document_counts_a_fingerprint_once():
    d = doc("x", "s", ["Contact presse", "Contact presse", "contact PRESSE."])
    counts = count_fingerprints([d], OPTS)
    sc = counts.sites["s"]
    key = text_key(Block("Contact presse"))
    assert sc.docs == 1
    assert sc.counts[np.searchsorted(sc.keys, np.uint64(key))] == 1


def test_counts_are_exact_arrays_partitioned_by_site():
    docs = [doc(f"d{i}", "a.example" if i % 2 else "b.example", ["Chrome line", f"body {i}"]) for i in range(10)]
    counts = count_fingerprints(docs, OPTS)
    assert set(counts.sites) == {"a.example", "b.example"}
    for sc in counts.sites.values():
        assert sc.keys.dtype == np.uint64 and sc.counts.dtype == np.int64
        assert np.all(np.diff(sc.keys.astype(np.float64)) > 0) or len(sc.keys) < 2  # sorted, unique
        key = text_key(Block("Chrome line"))
        assert sc.counts[np.searchsorted(sc.keys, np.uint64(key))] == 5
    assert counts.nbytes == sum(sc.keys.nbytes + sc.counts.nbytes for sc in counts.sites.values())


def _same(a: SiteCounts, b: SiteCounts) -> bool:
    return set(a.sites) == set(b.sites) and all(
        a.sites[s].docs == b.sites[s].docs
        and np.array_equal(a.sites[s].keys, b.sites[s].keys)
        and np.array_equal(a.sites[s].counts, b.sites[s].counts) for s in a.sites)


def test_merge_is_associative_and_independent_of_order_and_batching():
    docs = random_corpus()
    whole = count_fingerprints(docs, OPTS)
    parts = [count_fingerprints(docs[i:i + 7], OPTS) for i in range(0, len(docs), 7)]
    assert _same(merge_counts(parts), whole)
    assert _same(merge_counts(reversed(parts)), whole)
    left = merge_counts([merge_counts(parts[:3]), merge_counts(parts[3:])])
    right = merge_counts([parts[0], merge_counts([parts[1], merge_counts(parts[2:])])])
    assert _same(left, whole) and _same(right, whole)
    shuffled = docs[:]
    random.Random(9).shuffle(shuffled)
    assert _same(count_fingerprints(shuffled, OPTS), whole)


def test_threshold_is_max_of_min_count_and_share():
    assert doc_threshold(3, OPTS) == 3
    assert doc_threshold(100, OPTS) == 3
    assert doc_threshold(1000, OPTS) == 20
    assert doc_threshold(1000, CleanOptions(min_doc_count=5, min_doc_share=0.001)) == 5


def test_model_keeps_only_frequent_fingerprints():
    docs = [doc(f"d{i}", "s", ["Chrome everywhere", f"body {i}"] + (["Twice only"] if i < 2 else []))
            for i in range(10)]
    model = build_site_model(docs, OPTS)
    entry = model.entry("s")
    assert entry.docs == 10 and entry.threshold == 3
    assert entry.count(text_key(Block("Chrome everywhere"))) == 10
    assert entry.count(text_key(Block("Twice only"))) == 0
    assert model.entry("unknown.example").count(text_key(Block("Chrome everywhere"))) == 0


def test_model_from_counts_equals_model_from_docs_and_samples_are_smallest():
    docs = [doc(f"d{i}", "s", [("Contact PRESSE" if i == 4 else "Contact presse"), f"body {chr(97 + i)}"]) for i in range(6)]
    direct = build_site_model(docs, OPTS)
    counts = merge_counts([count_fingerprints(docs[:2], OPTS), count_fingerprints(docs[2:], OPTS)])
    staged = build_site_model(counts, OPTS)
    staged = staged.with_samples(merge_samples([collect_samples(docs[3:], staged), collect_samples(docs[:3], staged)]))
    assert np.array_equal(direct.entry("s").keys, staged.entry("s").keys)
    assert direct.samples == staged.samples
    assert direct.samples[("s", text_key(Block("Contact presse")))] == "Contact PRESSE"  # smallest, deterministic
    assert staged.nbytes > 0 and staged.n_keys == 1


def test_boilerplate_table_lists_each_frequent_fingerprint_with_sample_and_reason():
    docs = [doc(f"d{i}", "s.example", ["Contact presse", "+33 6 76 94 37 05", f"body text of release {chr(97 + i)}"]) for i in range(5)]
    table = boilerplate_table(build_site_model(docs, OPTS))
    assert isinstance(table, pa.Table) and table.schema.equals(BOILERPLATE_SCHEMA, check_metadata=False)
    rows = table.to_pylist()
    assert sorted(r["text"] for r in rows) == ["+33 6 76 94 37 05", "Contact presse"]  # one row per line
    assert all(r["doc_count"] == 5 and r["site_docs"] == 5 and r["site"] == "s.example" for r in rows)
    assert {r["reason"] for r in rows} == {"contacts"}
    assert all(len(r["fingerprint"]) == 16 for r in rows)


def test_boilerplate_table_lists_a_feed_footer_template_once():
    titles = ["Premier titre de la série", "Un autre titre bien différent", "Encore un autre sujet traité",
              "Quatrième communiqué du site", "Cinquième et dernier texte publié"]
    docs = [doc(f"d{i}", "s", [t, f"The post {t} appeared first on Vigie Internationale."]) for i, t in enumerate(titles)]
    rows = boilerplate_table(build_site_model(docs, OPTS)).to_pylist()
    assert len(rows) == 1 and rows[0]["doc_count"] == 5
    assert rows[0]["text"].startswith("The post ") and int(rows[0]["fingerprint"], 16) & 1  # a pattern key


def test_on_the_sample_site_the_model_finds_the_chrome_with_no_site_rule(tmp_path):
    """Contact block, banner, cookie notice, teaser list (HTML) and the feed-footer pattern (dump)."""
    import pyarrow.parquet as pq

    from cleaning.pipeline import clean_sources
    from cleaning.core.schema import SourceRecord
    from pressroom.sample_site import generate_site
    from pressroom.sample_site.dump import write_dump

    site = generate_site()
    pages = [SourceRecord(input=r.path, source="html", url="http://127.0.0.1:1" + r.path,
                          html=site.pages[r.path].body.decode("utf-8")) for r in site.releases]
    list(clean_sources(pages, out_dir=tmp_path / "html"))
    table = pq.read_table(tmp_path / "html" / "boilerplate")
    assert {"contacts", "banner", "cookie-notice", "teaser"} <= set(table.column("reason").to_pylist())
    stripped = " ".join(table.column("text").to_pylist())
    chrome = site.releases[0].chrome_lines
    assert sum(line in stripped for line in chrome) >= 0.5 * len(chrome)

    dump = write_dump(tmp_path / "sample.txt")
    list(clean_sources([SourceRecord(input="sample.txt", source="dump", text=dump.read_text(encoding="utf-8"))],
                       out_dir=tmp_path / "dump"))
    table = pq.read_table(tmp_path / "dump" / "boilerplate")
    footers = [t for t, r in zip(table.column("text").to_pylist(), table.column("reason").to_pylist())
               if r == "feed-footer"]
    assert footers and all("appeared first on" in t for t in footers)
    assert min(table.column("doc_count").to_pylist()[i] for i, r in enumerate(table.column("reason").to_pylist())
               if r == "feed-footer") >= len(site.releases) // 2


def test_page_signals_are_counted_per_site_whatever_the_batching():
    from cleaning.core.schema import PageMeta

    def page(i: int, site: str, title: str, og: str | None) -> Document:
        return Document(doc_id=f"p{i}", input=f"p{i}", source="html", site=site,
                        blocks=[Block(text=f"body {i}", position=0)], meta=PageMeta(html_title=title, og_type=og))

    docs = [page(i, "a.example", f"Story {i} – Harbour Watch", "article") for i in range(6)]
    docs += [page(9, "a.example", "Legal notice – Harbour Watch", "website"),
             page(10, "b.example", "Other – Harbour Watch", "article")]
    whole = build_site_model(merge_counts([count_fingerprints(docs, OPTS)]), OPTS)
    batched = build_site_model(merge_counts(count_fingerprints(docs[i:i + 3], OPTS) for i in range(0, 8, 3)), OPTS)
    for model in (whole, batched):
        entry = model.entry("a.example")
        assert entry.signal("suffix", "Harbour Watch") == 7 and entry.signal("og", "article") == 6
        assert entry.signal("suffix", "harbour  watch!") == 7  # normalised like block text
        assert entry.signal("suffix", "Legal notice – Harbour Watch") == 0  # not a suffix, and once only
        assert model.entry("b.example").signal("suffix", "Harbour Watch") == 0  # below b's threshold (1 page)
