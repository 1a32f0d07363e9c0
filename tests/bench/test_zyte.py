"""bench/zyte.py: results section edits stay surgical; the breakdown says where missing text went."""

import gzip
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench import zyte  # noqa: E402


def test_results_section_is_replaced_in_place(tmp_path: Path):
    results = tmp_path / "RESULTS.md"
    other = "## Crawl throughput (bench/crawl.py)\n\nfigures of another engineer\n"
    results.write_text(f"# Benchmark results\n\n{other}\n{zyte.RESULTS_HEADING}\n\nold figures\n\n## Dedup\n\nkept\n")
    zyte.write_results_section(results, f"{zyte.RESULTS_HEADING}\n\nnew figures\n")
    text = results.read_text()
    assert "old figures" not in text and "new figures" in text
    assert other in text and text.endswith("## Dedup\n\nkept\n")
    assert text.index("Crawl throughput") < text.index("new figures") < text.index("## Dedup")


def test_results_section_is_appended_when_absent(tmp_path: Path):
    results = tmp_path / "RESULTS.md"
    results.write_text("# Benchmark results\n\n## Other\n\nx\n")
    zyte.write_results_section(results, f"{zyte.RESULTS_HEADING}\n\nfigures\n")
    assert results.read_text() == f"# Benchmark results\n\n## Other\n\nx\n\n{zyte.RESULTS_HEADING}\n\nfigures\n"


def test_short_lines_count_as_present_when_their_tokens_appear_in_order():
    assert zyte._uncovered_lines("NISSAN SENTRA\nTOYOTA RAV4", "The new NISSAN SENTRA is here") == ["TOYOTA RAV4"]


def test_where_missing_text_went():
    record = {"removed": [{"text": "Subscribe to our newsletter for daily updates now", "reason": "banner"}],
              "notes": ["About the company: founded in 1999 in Lyon by two engineers"], "quotes": [], "teasers": []}
    assert zyte.where_it_went("Subscribe to our newsletter for daily updates", record) == "removed:banner"
    assert zyte.where_it_went("About the company: founded in 1999 in Lyon", record) == "notes"
    assert zyte.where_it_went("A sentence nobody kept anywhere at all", record) == "never extracted"


def test_end_to_end_on_a_two_page_set(tmp_path: Path, capsys):
    body = "The council approved the new budget on Monday after a long debate about schools and roads."
    pages = {
        "a1": (f"<html><head><title>Budget</title></head><body><nav>Home News Sport</nav><article><h1>Budget</h1>"
               f"<p>{body}</p><p>{body.replace('Monday', 'Tuesday')}</p></article><footer>© 2024</footer></body></html>"),
        "b2": "<html><body><p>Short page.</p></body></html>",
    }
    (tmp_path / "html").mkdir()
    truth = {}
    for page_id, html in pages.items():
        (tmp_path / "html" / f"{page_id}.html.gz").write_bytes(gzip.compress(html.encode()))
        truth[page_id] = {"url": f"https://example.org/{page_id}", "articleBody": body if page_id == "a1" else "Short page."}
    (tmp_path / "ground-truth.json").write_text(json.dumps(truth))
    assert zyte.main(["--data", str(tmp_path), "--json", "--worst", "2"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["pages"] == 2
    assert set(out["results"]) == {"pressroom", "pressroom lead+body", "trafilatura default", "trafilatura favor_precision"}
    for figures in out["results"].values():
        assert 0.0 <= figures["f1"] <= 1.0
    assert out["results"]["trafilatura default"]["recall"] > 0.5
    assert len(out["worst"]) == 2
    assert out["versions"]["trafilatura"].count(".") >= 1
