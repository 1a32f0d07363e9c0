"""The articles dataset as analysts load it (pandas, polars, DuckDB), and what a SIGKILL mid-write leaves."""

import os
import signal
import subprocess
import sys
import textwrap
import time
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.dataset as ds
import pytest

from cleaning.core.schema import ARTICLES_SCHEMA, Document, Paragraph, Quote, Removed, Teaser, document_to_record
from cleaning.core.stats import Stats
from cleaning.io.writers import data_files, write_dataset

REPO = Path(__file__).resolve().parents[2]


def rich_records() -> list[dict]:
    """Two releases exercising every column, nested lists included (one with empty lists and nulls)."""
    full = Document(
        doc_id="fr1", input="dump.txt:L1-40", source="dump", url="https://www.amnesty.fr/presse/x",
        canonical_url="https://www.amnesty.fr/presse/x", site="amnesty.fr", site_name="Amnesty International France",
        fetched_at=datetime(2025, 6, 2, 8, 30, tzinfo=timezone.utc),
        published_at=datetime(2025, 6, 1, 9, 0, tzinfo=timezone.utc),
        modified_at=datetime(2025, 6, 1, 10, 0, tzinfo=timezone.utc), date_source="jsonld",
        title="Un titre", kicker="Monde", lang="fr", authors=["A. Auteur", "B. Autrice"], lead="Chapô.",
        paragraphs=[Paragraph("« Il faut agir », a déclaré Erika Guevara Rosas.", "paragraph", None),
                    Paragraph("Complément.", "paragraph", "Complément d'information")],
        quotes=[Quote("Il faut agir", speaker="Erika Guevara Rosas", speaker_role="directrice", cue="a déclaré",
                      kind="direct", paragraph=0, paragraphs=(0, 1), start=2, end=14, pull_of=None),
                Quote("Il faut agir", kind="pull", pull_of=0)],
        teasers=[Teaser("Autre titre", "https://www.amnesty.fr/autre", "Monde", "Début...")],
        notes=["Note aux rédactions."], contacts=["Contact presse : 01 23 45 67 89"],
        removed=[Removed("Faites un don", "banner"), Removed("The post X appeared first on Y.", "feed-footer")],
        quality_flags=["gutted"], content_hash="abc", prev_content_hash="old", word_count=9,
    )
    bare = Document(doc_id="en1", input="page.html", source="html", site="example.org", title="Bare",
                    lang="en", word_count=0)
    return [document_to_record(full), document_to_record(bare)]


@pytest.fixture(scope="module")
def dataset(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("out")
    write_dataset(rich_records(), out, Stats())
    return out / "articles"


def expected_by_id() -> dict[str, dict]:
    return {r["doc_id"]: r for r in pa.Table.from_pylist(rich_records(), schema=ARTICLES_SCHEMA).to_pylist()}


def test_pyarrow_reads_exact_schema_and_values(dataset):
    table = ds.dataset(dataset, schema=ARTICLES_SCHEMA, partitioning="hive").to_table()
    assert table.schema.equals(ARTICLES_SCHEMA, check_metadata=False)
    assert {r["doc_id"]: r for r in table.to_pylist()} == expected_by_id()


def test_pandas_pyarrow_engine_round_trip(dataset):
    df = pd.read_parquet(dataset, engine="pyarrow", schema=ARTICLES_SCHEMA)
    assert list(df.columns) == ARTICLES_SCHEMA.names
    row = df.set_index("doc_id").loc["fr1"]
    assert str(df["published_at"].dtype) == "datetime64[us, UTC]"
    assert row["published_at"] == pd.Timestamp("2025-06-01 09:00", tz="UTC")
    assert row["year"] == 2025 and row["site"] == "amnesty.fr"
    assert list(row["authors"]) == ["A. Auteur", "B. Autrice"]
    assert row["quotes"][0]["speaker"] == "Erika Guevara Rosas"
    assert list(row["quotes"][0]["paragraphs"]) == [0, 1]
    assert row["quotes"][1]["pull_of"] == 0
    assert row["paragraphs"][1]["section"] == "Complément d'information"
    assert [r["reason"] for r in row["removed"]] == ["banner", "feed-footer"]
    assert row["teasers"][0]["url"] == "https://www.amnesty.fr/autre"
    bare = df.set_index("doc_id").loc["en1"]
    assert len(bare["quotes"]) == 0 and pd.isna(bare["published_at"]) and pd.isna(bare["year"])
    # without our schema: the plainest call reads every row, the undated release included (year_key 0)
    plain = pd.read_parquet(dataset)
    assert sorted(plain["doc_id"]) == ["en1", "fr1"]
    assert set(plain.columns) == set(ARTICLES_SCHEMA.names) | {"site_key", "year_key"}
    assert plain.set_index("doc_id").loc["fr1", "quotes"][0]["speaker"] == "Erika Guevara Rosas"
    assert str(plain["published_at"].dtype) == "datetime64[us, UTC]"
    keys = plain.set_index("doc_id")["year_key"]
    assert keys["fr1"] == 2025 and keys["en1"] == 0  # the undated release: year_key=0, an integer key


def test_polars_round_trip(dataset):
    df = pl.read_parquet(dataset / "**" / "*.parquet", hive_partitioning=True)
    assert df.columns == ARTICLES_SCHEMA.names + ["site_key", "year_key"]
    df = df.drop("site_key", "year_key")
    assert df.schema["quotes"] == pl.List(pl.Struct({
        "text": pl.String, "speaker": pl.String, "speaker_role": pl.String, "cue": pl.String, "kind": pl.String,
        "paragraph": pl.Int32, "paragraphs": pl.List(pl.Int32), "start": pl.Int32, "end": pl.Int32,
        "pull_of": pl.Int32, "speaker_type": pl.String}))
    assert df.schema["published_at"] == pl.Datetime("us", "UTC")
    assert df.schema["year"] == pl.Int16 and df.schema["word_count"] == pl.Int32
    assert df.schema["removed"] == pl.List(pl.Struct({"text": pl.String, "reason": pl.String}))
    rows = {r["doc_id"]: r for r in df.to_dicts()}
    exp = expected_by_id()
    for doc_id in exp:
        for col in ARTICLES_SCHEMA.names:
            assert rows[doc_id][col] == exp[doc_id][col], col


def test_duckdb_round_trip(dataset):
    con = duckdb.connect()
    glob = str(dataset / "**" / "*.parquet")
    described = con.execute(f"DESCRIBE SELECT * FROM read_parquet('{glob}')")
    types = {name: type_ for name, type_, *_ in described.fetchall()}
    assert types["published_at"] == "TIMESTAMP WITH TIME ZONE"
    assert types["year"] == "SMALLINT" and types["word_count"] == "INTEGER"
    assert types["removed"] == "STRUCT(\"text\" VARCHAR, reason VARCHAR)[]"
    assert types["quotes"].startswith("STRUCT(\"text\" VARCHAR, speaker VARCHAR")
    speakers = con.execute(
        f"SELECT q.speaker, q.paragraphs, q.kind FROM (SELECT unnest(quotes) AS q FROM read_parquet('{glob}') "
        "WHERE site = 'amnesty.fr' AND lang = 'fr') ORDER BY q.kind").fetchall()
    assert speakers == [("Erika Guevara Rosas", [0, 1], "direct"), (None, [], "pull")]
    n, reasons = con.execute(f"SELECT count(*), list_sort(flatten(list(list_transform(removed, lambda r: r.reason)))) "
                             f"FROM read_parquet('{glob}')").fetchone()
    assert n == 2 and reasons == ["banner", "feed-footer"]


# ---------------------------------------------------------------- SIGKILL during a write

WRITER = textwrap.dedent("""
    import sys
    from datetime import datetime, timezone
    from pathlib import Path
    from cleaning.core.schema import Document, Paragraph, document_to_record
    from cleaning.core.stats import Stats
    from cleaning.io.writers import write_dataset

    out, run = Path(sys.argv[1]), int(sys.argv[2])
    records = []
    for site in range(6):
        for i in range(40):
            n = (run * 1000) + i if i % 2 or run == 0 else i  # run 1: half updates of run 0, half new
            body = f"release {n} of site {site}, version {run}"
            doc = Document(doc_id=f"s{site}-{n}", input="x", source="dump", site=f"site{site}.org",
                           paragraphs=[Paragraph(body)], content_hash=f"{site}-{n}-{run}", word_count=7,
                           published_at=datetime(2020 + n % 3, 1, 1, tzinfo=timezone.utc))
            records.append(document_to_record(doc))
    write_dataset(records, out, Stats())
    print("done", flush=True)
""")


def run_writer(out: Path, run: int, pause: float = 0.0) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(REPO), "PRESSROOM_WRITE_PAUSE": str(pause)}
    return subprocess.Popen([sys.executable, "-c", WRITER, str(out), str(run)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def load(out: Path) -> pa.Table:
    return ds.dataset(out / "articles", schema=ARTICLES_SCHEMA, partitioning="hive").to_table()


def test_sigkill_mid_write_leaves_previous_run_readable_and_rerun_completes(tmp_path):
    first = run_writer(tmp_path, 0)
    assert first.wait(timeout=60) == 0, first.stderr.read()
    before = load(tmp_path)
    before_ids = set(before.column("doc_id").to_pylist())
    assert len(before_ids) == before.num_rows == 240

    second = run_writer(tmp_path, 1, pause=0.15)  # 18 partitions, each paused after its file and its swap
    deadline = time.monotonic() + 30
    log = tmp_path / ".commit.json"  # every partition staged, the plan logged: the swaps start
    while time.monotonic() < deadline and not log.exists():
        time.sleep(0.01)
    time.sleep(0.5)  # a few partitions swapped, the others still staged
    second.send_signal(signal.SIGKILL)
    second.wait(timeout=10)
    assert second.returncode == -signal.SIGKILL

    during = load(tmp_path)  # every file readable, no temp file visible
    ids = during.column("doc_id").to_pylist()
    assert before_ids <= set(ids), "rows of the previous run went missing"
    assert len(ids) == len(set(ids)), "a doc_id appears twice"
    versions = {h.rsplit("-", 1)[1] for h in during.column("content_hash").to_pylist()}
    assert versions == {"0", "1"}, "the kill should land mid-way (some partitions new, some old)"

    third = run_writer(tmp_path, 1)
    assert third.wait(timeout=60) == 0, third.stderr.read()
    after = load(tmp_path)
    ids = after.column("doc_id").to_pylist()
    assert len(ids) == len(set(ids)) == 360
    assert before_ids <= set(ids)
    rows = {r["doc_id"]: r for r in after.to_pylist()}
    assert rows["s0-0"]["content_hash"] == "0-0-1" and rows["s0-0"]["prev_content_hash"] == "0-0-0"
    assert not any((tmp_path / ".staging").glob("*")) and not log.exists()
    assert len(data_files(tmp_path / "articles")) == 18


# ---------------------------------------------------------------- `pressroom dedup DIR`


def test_pressroom_dedup_reports_clusters_kept_member_and_why(tmp_path, capsys):
    from cleaning.steps.dedup import dedup_documents
    from cleaning.core.options import CleanOptions
    from pressroom.cli import main

    text = [f"Paragraph {i} of the harbour release: the port will open a new terminal for ferries and "
            f"cargo ships next spring, the operator said on Monday, adding detail number {i}." for i in range(4)]

    def release(doc_id, paras, url, day):
        body = "\n\n".join(paras)
        return Document(doc_id=doc_id, input="x", source="html", site="port.org", url=url, title=f"Harbour {doc_id}",
                        paragraphs=[Paragraph(p) for p in paras], content_hash=str(hash(body)),
                        word_count=len(body.split()), published_at=datetime(2025, 5, day, tzinfo=timezone.utc))

    docs = [release("orig", text, "https://port.org/a", 1),
            release("mirror", text, "https://mirror.net/a", 3),
            release("edited", text + ["A corrected paragraph was added a day later by the press office."],
                    "https://port.org/a-updated", 2),
            release("alone", ["Something else entirely, about the museum opening hours in winter."] * 1,
                    "https://port.org/b", 4)]
    marked = dedup_documents(docs, CleanOptions(), Stats())
    write_dataset([document_to_record(d) for d in marked], tmp_path, Stats())

    assert main(["dedup", str(tmp_path), "--top", "5"]) == 0
    out = capsys.readouterr().out
    assert "4 documents, 2 unique, 1 duplicate cluster, 2 copies marked (" in out
    assert "cluster orig: 3 documents" in out
    kept_line = next(line for line in out.splitlines() if line.strip().startswith("kept"))
    assert "orig" in kept_line and "earliest published" in kept_line and "Harbour orig" in kept_line
    assert any("mirror" in line and "[same body]" in line for line in out.splitlines())
    assert any("edited" in line and "[near-duplicate]" in line for line in out.splitlines())
    assert main(["dedup", str(tmp_path / "nothing-here")]) == 3


# ---------------------------------------------------------------- real pipeline output, and docs/notebook.md

FIXTURES = REPO / "tests" / "fixtures" / "dumps"


@pytest.fixture(scope="module")
def cleaned(tmp_path_factory) -> Path:
    """`clean` run twice into one dataset (two sites), as an analyst would find it."""
    from cleaning.core.options import CleanOptions
    from cleaning.pipeline import run_clean

    out = tmp_path_factory.mktemp("cleaned") / "data"
    for dump, site in (("seed_fr_amnesty.txt", "amnesty.fr"), ("en_water_alliance.txt", "wateralliance.org")):
        path, stats = run_clean([str(FIXTURES / dump)], out, CleanOptions(site=site))
        assert path == out / "articles", stats.errors
    return out


def test_pipeline_output_reads_the_same_in_pandas_polars_and_duckdb(cleaned):
    root = cleaned / "articles"
    reference = ds.dataset(root, schema=ARTICLES_SCHEMA, partitioning="hive").to_table().sort_by("doc_id")
    assert reference.num_rows >= 2 and len(set(reference.column("doc_id").to_pylist())) == reference.num_rows
    assert set(reference.column("site").to_pylist()) == {"amnesty.fr", "wateralliance.org"}
    expected = reference.to_pylist()
    nested = ["paragraphs", "quotes", "teasers", "removed", "authors", "notes", "contacts", "quality_flags"]

    df = pd.read_parquet(root, engine="pyarrow", schema=ARTICLES_SCHEMA).sort_values("doc_id")
    for exp, (_, row) in zip(expected, df.iterrows()):
        assert row["title"] == exp["title"] and row["body_text"] == exp["body_text"]
        for col in nested:
            got = [dict(x) if isinstance(x, dict) else x for x in row[col]]
            got = [{k: (list(v) if hasattr(v, "tolist") else v) for k, v in x.items()} if isinstance(x, dict) else x
                   for x in got]
            assert got == exp[col], col

    pl_rows = pl.read_parquet(root / "**" / "*.parquet", hive_partitioning=True).sort("doc_id")
    pl_rows = pl_rows.select(ARTICLES_SCHEMA.names).to_dicts()
    assert pl_rows == expected

    con = duckdb.connect()
    db = con.sql(f"SELECT * FROM read_parquet('{root}/**/*.parquet') "
                     "ORDER BY doc_id").to_arrow_table()
    for exp, got in zip(expected, db.select(ARTICLES_SCHEMA.names).to_pylist()):
        for col in ARTICLES_SCHEMA.names:
            assert got[col] == exp[col], col


def notebook_blocks() -> list[str]:
    text = (REPO / "docs" / "notebook.md").read_text(encoding="utf-8")
    blocks, inside, current = [], False, []
    for line in text.splitlines():
        if line.strip() == "```python":
            inside, current = True, []
        elif line.strip() == "```" and inside:
            inside = False
            blocks.append("\n".join(current))
        elif inside:
            current.append(line)
    return blocks


def test_notebook_runs_on_a_cleaned_dataset(cleaned, monkeypatch):
    blocks = notebook_blocks()
    assert len(blocks) >= 6
    monkeypatch.chdir(cleaned.parent)
    ns: dict = {}
    for block in blocks:
        exec(compile(block, "docs/notebook.md", "exec"), ns)  # noqa: S102 - our own documentation
    assert len(ns["releases"]) == ns["articles"]["dup_of"].isna().sum() >= 2
    assert set(ns["one_site"]["site"]) == {"amnesty.fr"}
    assert len(ns["spring"]) >= 1 and set(ns["spring"]["lang"]) == {"en"}
    assert {"speaker", "kind", "text", "doc_id", "quote_index"} <= set(ns["quotes"].columns)

    # the quotes table's answers, recomputed from articles.quotes the slow obvious way
    said = [(r["site"], q) for r in ds.dataset(cleaned / "articles", schema=ARTICLES_SCHEMA, partitioning="hive")
            .to_table().to_pylist() if r["dup_of"] is None for q in r["quotes"]
            if q["kind"] != "pull" and q["speaker"]]
    def top10(kind):
        counts: dict = {}
        for site, q in said:
            if q["speaker_type"] == kind:
                counts[(site, q["speaker"])] = counts.get((site, q["speaker"]), 0) + 1
        ranked = sorted(counts.items(), key=lambda kv: (kv[0][0], -kv[1], kv[0][1]))
        return [(site, who, n) for (site, who), n in ranked
                if [k for k, _ in ranked if k[0] == site].index((site, who)) < 10]
    people, organisations = top10("person"), top10("organisation")
    assert ("amnesty.fr", "Erika Guevara Rosas") in {(s, w) for s, w, _ in people}
    assert ("amnesty.fr", "Amnesty International") in {(s, w) for s, w, _ in organisations}
    got = lambda df, n="quotes": list(zip(df["site"], df["speaker"], df[n]))  # noqa: E731
    assert got(ns["top_people"]) == people and got(ns["top_organisations"]) == organisations
    assert list(ns["pl_top_people"].iter_rows()) == people
    assert got(ns["db_top_people"], "n") == people
    person = ns["person"]
    theirs = sorted(q["text"] for _, q in said if q["speaker"] == person)
    assert 1 <= len(theirs) < len(said)
    assert sorted(ns["by_person"]["text"]) == sorted(ns["pl_by_person"]["text"]) \
        == sorted(ns["db_by_person"]["text"]) == theirs
    assert ns["reasons"].sum() >= 1


def test_cleaning_a_second_site_into_the_same_out_keeps_the_first_sites_boilerplate(tmp_path):
    import json

    from cleaning.pipeline import run_clean
    from pressroom.sample_site import generate_site

    site = generate_site()
    out = tmp_path / "data"
    for host in ("alpha.org", "beta.org"):
        pages = tmp_path / f"{host}.jsonl"
        pages.write_text("".join(json.dumps({"url": f"https://{host}{r.path}",
                                             "html": site.pages[r.path].body.decode("utf-8")}) + "\n"
                                 for r in site.releases[:12]), encoding="utf-8")
        run_clean([str(pages)], out, engine="inline")
    table = ds.dataset(out / "boilerplate", partitioning="hive").to_table()
    assert set(table.column("site").to_pylist()) == {"alpha.org", "beta.org"}  # site a survived site b's run
    assert sorted(p.name for p in (out / "boilerplate").iterdir()) == ["site_key=alpha.org", "site_key=beta.org"]
    assert not list(out.glob(".staging/*")) and not (out / ".commit.json").exists()
