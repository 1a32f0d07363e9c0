"""`pressroom report DIR`: one self-contained HTML file plus a terminal summary, tolerant of missing tables."""

import re
from pathlib import Path

import pyarrow.parquet as pq

from cleaning.core.schema import records_to_table
from pressroom.cli import main
from pressroom.exitcodes import EXIT_NOTHING, EXIT_OK
from pressroom.report import crawl_errors, duplicate_clusters, load_run, top_speakers, write_report


def _run_report(path: Path, capsys) -> tuple[int, str, str]:
    code = write_report(path)
    out = capsys.readouterr().out
    html = (path / "reports" / "report.html").read_text(encoding="utf-8") if code == EXIT_OK else ""
    return code, out, html


def test_summary_lines_carry_the_figures(sample_run: Path, capsys):
    code, out, _ = _run_report(sample_run, capsys)
    assert code == EXIT_OK
    lines = out.splitlines()
    assert "releases (one per release: dup_of empty): 5" in lines  # release 4 is marked a duplicate of 3
    assert "articles rows (duplicates included): 6" in lines
    assert "sites: 2; top: amnesty.fr 4, oxfam.org 2" in lines
    assert "months: 2024-01 … 2024-03 (3 months)" in lines
    assert "languages: fr 4, en 2" in lines
    assert "body length: median 400 words, range 0–610, 1 empty" in lines
    assert "top speakers: Erika Guevara Rosas (2), Jean Dupont (2), Jane Smith (1)" in lines
    assert "removed by reason: banner 2, contacts 1" in lines
    assert "duplicates: 1 folded, largest cluster 2 documents" in lines
    assert "errors: robots.txt 3, too_large 2, HTTP 404 1, HTTP 500 1, unreachable 1, unreadable-input 1" in lines
    assert "skipped: duplicate_page 4" in lines
    assert lines[-1] == f"report: {sample_run / 'reports' / 'report.html'}"


def test_html_is_one_self_contained_file_with_inline_plots(sample_run: Path, capsys):
    _, _, html = _run_report(sample_run, capsys)
    assert html.startswith("<!DOCTYPE html>")
    # four plots: per site, per month, body length, removed reasons — each with drawn bars
    svgs = re.findall(r"<svg.*?</svg>", html, flags=re.S)
    assert len(svgs) == 4
    assert all("<path" in svg for svg in svgs)
    # nothing fetched when opened: no scripts, stylesheets or remote images; remote hrefs only on release links
    assert "<script" not in html and "<link" not in html
    assert not re.search(r"""src=["']?(https?:)?//""", html)
    remote = re.findall(r"""<a href=["']?((?:https?:)?//[^"' >]*)""", html)
    assert len(re.findall(r"""href=["']?(https?:)?//""", html)) == len(remote) == 5  # one per kept release
    assert sorted(remote) == sorted(f"https://{s}/press/{i}" for s, i in
                                    [("amnesty.fr", 1), ("amnesty.fr", 2), ("amnesty.fr", 3), ("oxfam.org", 5), ("oxfam.org", 6)])
    # block text is escaped, and every section is there
    assert "We use cookies &lt;script&gt;" in html
    for title in ("Releases per site and per month", "Languages", "Body length", "Top speakers",
                  "Stripped boilerplate", "Duplicate clusters", "Crawl and cleaning errors", "Run settings"):
        assert f"<h2>{title}</h2>" in html
    assert "clean-stats: min_doc_count" in html and "crawl-stats: finish_reason" in html
    assert "cannot read input dumps/broken.html.gz" in html  # errors explained, not raw tracebacks


def test_hive_partitions_are_read_back(sample_run: Path):
    data = load_run(sample_run)
    assert sorted(set(data.articles.column("site").to_pylist())) == ["amnesty.fr", "oxfam.org"]
    assert data.missing == {}


def test_flat_articles_file_is_read_too(tmp_path: Path, capsys):
    (tmp_path / "articles").mkdir()
    rec = {"doc_id": "a", "source": "dump", "input": "x.txt", "site": "example.org", "lang": "en", "word_count": 12}
    pq.write_table(records_to_table([rec]), tmp_path / "articles" / "part-0.parquet")
    code, out, html = _run_report(tmp_path, capsys)
    assert code == EXIT_OK
    assert "sites: 1; top: example.org 1" in out
    assert "months: no dates" in out
    assert "top speakers: no attributed quotes" in out


def test_missing_tables_make_sections_not_available(tmp_path: Path, capsys):
    code, out, html = _run_report(tmp_path, capsys)
    assert code == EXIT_OK
    assert "Releases per site and per month: not available (no articles/ folder in" in out
    assert "boilerplate: not available (no boilerplate/ folder in" in out
    assert "Run settings: not available (no settings recorded in reports/*.json)" in out
    assert html.count('class="na"') >= 7
    assert "<svg" not in html


def test_corrupt_table_does_not_stop_the_report(sample_run: Path, capsys):
    (sample_run / "boilerplate" / "part-0.parquet").write_bytes(b"PAR1 this is not parquet")
    code, out, html = _run_report(sample_run, capsys)
    assert code == EXIT_OK
    assert "boilerplate: not available (" in out
    assert "languages: fr 4, en 2" in out


def test_not_a_folder_is_a_clear_error(tmp_path: Path, capsys):
    assert write_report(tmp_path / "nope") == EXIT_NOTHING
    err = capsys.readouterr().err
    assert err.startswith(f"pressroom report: {tmp_path / 'nope'} is not a folder")


def test_cli_subcommand(sample_run: Path, capsys):
    assert main(["report", str(sample_run)]) == EXIT_OK
    assert (sample_run / "reports" / "report.html").stat().st_size > 10_000


def test_figures(sample_run: Path):
    data = load_run(sample_run)
    assert top_speakers(data.articles) == [("Erika Guevara Rosas", "unknown", 2, 2), ("Jean Dupont", "unknown", 2, 2),
                                           ("Jane Smith", "unknown", 1, 1)]  # written without speaker_type
    folded, clusters = duplicate_clusters(data.articles)
    assert folded == 1
    # same date, 610 words against 600, different bodies and URLs: kept for its length, matched as near-duplicate
    assert clusters == [{"cluster": "amnesty.fr-3", "size": 2, "kept": "Release 3 of amnesty.fr",
                         "why": "longest body among the earliest", "members": ["Release 4 of amnesty.fr"],
                         "matches": ["near-duplicate"]}]
    kinds, examples = crawl_errors(data)
    # the spider's own counters stand for Scrapy's downloader ones; HTTP 404 in raw and in stats counts once
    assert dict(kinds) == {"HTTP 404": 1, "HTTP 500": 1, "robots.txt": 3, "unreachable": 1, "too_large": 2,
                           "unreadable-input": 1}
    assert examples[0].startswith("cannot read input dumps/broken.html.gz")


def test_partition_keys_also_kept_inside_the_files(tmp_path: Path, capsys):
    """The articles writer keeps site/year in the files too: year=2025 must read as the column's int16."""
    rec = {"doc_id": "a", "source": "link", "input": "raw#0", "site": "example.org", "year": 2025, "lang": "fr",
           "word_count": 5}
    part = tmp_path / "articles" / "site=example.org" / "year=2025"
    part.mkdir(parents=True)
    pq.write_table(records_to_table([rec]), part / "part-0.parquet")
    data = load_run(tmp_path)
    assert data.missing.get("articles") is None
    assert data.articles.column("site").to_pylist() == ["example.org"]


def test_partition_folders_named_apart_from_the_columns(tmp_path: Path):
    """The writer's site_key=/year_key= folders (columns stay in the files) read without clashes."""
    rec = {"doc_id": "a", "source": "link", "input": "raw#0", "site": "example.org", "year": 2025, "word_count": 5}
    part = tmp_path / "articles" / "site_key=example.org" / "year_key=2025"
    part.mkdir(parents=True)
    pq.write_table(records_to_table([rec]), part / "part-0.parquet")
    data = load_run(tmp_path)
    assert data.missing.get("articles") is None
    assert data.articles.column("site").to_pylist() == ["example.org"]
    assert data.articles.column("word_count").to_pylist() == [5]


def test_shared_doc_ids_are_listed_with_the_kept_input(tmp_path):
    from pressroom.report import RunData, section_shared_ids

    note = {"doc_id": "abc", "kept": "second", "dropped": "first", "why": "same URL fetched more than once"}
    section = section_shared_ids(RunData(tmp_path, stats_files={"clean-stats.json": {"notes": {"ids": [note]}}}))
    assert "second" in section.html and "same URL" in section.html and section.summary[0].startswith("shared doc ids: 1")
    assert section_shared_ids(RunData(tmp_path)).summary == ["shared doc ids: none"]


def test_release_list_is_newest_first_undated_last_and_capped(sample_run: Path, monkeypatch):
    import pressroom.report as report
    from cleaning.core.schema import records_to_table as to_table

    undated = {"doc_id": "u", "url": "https://oxfam.org/press/u", "source": "link", "input": "raw#9",
               "title": "Undated release", "word_count": 4}
    pq.write_table(to_table([undated]).drop_columns(["site", "year"]),
                   sample_run / "articles" / "site=oxfam.org" / "year=2024" / "undated.parquet")
    data = load_run(sample_run)
    titles = lambda html: re.findall(r'<a href="[^"]+">([^<]+)</a>', html)  # noqa: E731
    assert titles(report.section_release_list(data).html) == [
        "Release 5 of oxfam.org", "Release 6 of oxfam.org", "Release 3 of amnesty.fr", "Release 1 of amnesty.fr",
        "Release 2 of amnesty.fr", "Undated release"]  # March, March, February, January x2 (by title), no date
    monkeypatch.setattr(report, "RELEASE_LIST_MAX", 3)
    section = report.section_release_list(data)
    assert titles(section.html) == ["Release 5 of oxfam.org", "Release 6 of oxfam.org", "Release 3 of amnesty.fr"]
    assert "The first 3 of 6; the Parquet holds them all." in section.html and section.summary == ["releases listed: 3 of 6"]


def test_a_canonical_clash_with_an_earlier_run_is_listed_in_the_report(tmp_path):
    from cleaning.core.stats import Stats
    from cleaning.steps.ids import stored_clashes
    from pressroom.report import RunData, section_shared_ids

    stats = Stats()
    [renamed], moved = stored_clashes([{"doc_id": "abc", "input": "run2.jsonl#1", "url": "https://ex.org/b/",
                                 "canonical_url": "https://ex.org/a/", "content_hash": "h2"}],
                               [("abc", "https://ex.org/a/", "h1")], stats)
    assert moved == {}
    section = section_shared_ids(RunData(tmp_path, stats_files={"clean-stats.json": stats.to_dict()}))
    assert "https://ex.org/a/" in section.html and "run2.jsonl#1" in section.html
    assert renamed["doc_id"] in section.html and section.summary == ["shared doc ids: 1 listed in reports/clean-stats.json"]


def test_pages_kept_out_or_cut_by_cleaning_are_counted_and_named(tmp_path):
    from cleaning.core.options import CleanOptions
    from cleaning.pipeline import run_clean
    from pressroom.report import RunData, section_pages_set_aside

    fixtures = Path(__file__).resolve().parents[1] / "fixtures" / "html"
    out, stats = run_clean([str(fixtures)], tmp_path / "data", CleanOptions())
    stats.note("truncated", {"input": "big.html", "url": "https://ex.org/big", "chars": 60_000_000})
    section = section_pages_set_aside(RunData(out.parent, stats_files={"clean-stats.json": stats.to_dict()}))
    assert "wordpress_attachment.html" in section.html and "attachment" in section.html
    assert "big.html" in section.html and "60000000" in section.html
    assert section.summary == ["kept out of the articles table: 1 (attachment 1)", "cut to the size cap before parsing: 1"]
    assert section_pages_set_aside(RunData(tmp_path)).summary == ["pages set aside or cut: none"]


def test_people_and_organisations_are_counted_apart(tmp_path):
    from cleaning.core.schema import records_to_table
    from pressroom.report import RunData, section_speakers

    def quote(speaker, kind):
        return {"text": "«…»", "speaker": speaker, "kind": "direct", "speaker_type": kind}

    rows = [{"doc_id": "a", "source": "link", "input": "x", "quotes": [quote("Ana Ruiz", "person"),
                                                                       quote("River Watch", "organisation")]},
            {"doc_id": "b", "source": "link", "input": "y", "quotes": [quote("Ana Ruiz", "person")]}]
    section = section_speakers(RunData(tmp_path, articles=records_to_table(rows)))
    assert section.summary[1] == "top people: Ana Ruiz (2); top organisations: River Watch (1)"
    assert "organisation" in section.html
