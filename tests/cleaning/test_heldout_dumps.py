"""Held-out text dumps (issue 4: "solve the pattern, not the file"), each checked against its JSON of expected fields.

The dumps under tests/fixtures/dumps/heldout/ were written before the dump rules were read, to vary what
real press-room dumps vary: datelines, "-ENDS-", "About <Company>" boilerplate, "Media contact:" lines,
French / German / Spanish wording, localised WordPress footers, no kicker, teasers without kicker, several
releases whose contact blocks differ slightly. `score_dump` is also what the report's before/after figures use.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pyarrow.parquet as pq
import pytest

import cleaning

HELDOUT = Path(__file__).resolve().parents[1] / "fixtures" / "dumps" / "heldout"
DUMPS = sorted(p.stem for p in HELDOUT.glob("*.txt"))
FIELDS = ("title", "kicker", "site_name", "lang", "published", "body_first", "body_last", "body_count",
          "body_clean", "pull", "notes_count", "contacts", "teasers", "snippets")


FOOTER_WORDS = ("appeared first on", "est apparu en premier sur", "se publicó primero en", "erschien zuerst auf",
                "proviene da")


def _bare(text: str) -> str:
    """A quote without its marks and final stop: what the quotes step keeps of a pull quote."""
    return text.strip().strip("“”\"«»„ ").rstrip(".").strip("“”\"«»„ ")


def expected_of(name: str) -> list[dict]:
    return json.loads((HELDOUT / f"{name}.json").read_text(encoding="utf-8"))["releases"]


def lines_of(name: str) -> list[str]:
    return [line.strip() for line in (HELDOUT / f"{name}.txt").read_text(encoding="utf-8").splitlines()]


def clean_heldout(name: str) -> list[dict]:
    text = (HELDOUT / f"{name}.txt").read_text(encoding="utf-8")
    return list(cleaning.clean_pages([{"text": text, "source": "dump", "input": f"{name}.txt"}]))


def snippets_in(lines: list[str], want: dict) -> list[str | None]:
    """Each expected card's snippet: the line after its title line (after a date line if one sits between)."""
    out = []
    for kicker, title in want["teasers"]:
        card = {f"{kicker}. {title}", title}  # "Kicker. Title", or the kicker on the line above
        at = max((n for n, text in enumerate(lines) if text in card), default=len(lines))
        after = [text for text in lines[at + 1:at + 3] if text]
        if after and len(after[0]) < 25 and any(ch.isdigit() for ch in after[0]):
            after = after[1:]  # "February 11, 2025" between the title and the snippet
        out.append(after[0] if after else None)
    return out


def field_checks(record: dict, want: dict, lines: list[str] | None = None) -> dict[str, bool]:
    """One bool per field: is this record's field what the JSON expects?"""
    paragraphs = [p["text"] for p in record.get("paragraphs") or []]
    published = record.get("published_at")
    body = record.get("body_text") or ""
    chrome = list(want["contacts"]) + [t for _, t in want["teasers"]]
    pull = want["pull"] or []
    pulls = [_bare(q["text"]) for q in record.get("quotes") or [] if q["kind"] == "pull"]
    checks = {
        "title": record.get("title") == want["title"],
        "kicker": record.get("kicker") == want["kicker"],
        "site_name": record.get("site_name") == want.get("site_name"),
        "lang": record.get("lang") == want["lang"],
        "published": published is not None
        and published.astimezone(UTC).date() == datetime.fromisoformat(want["published"]).date(),
        "body_first": bool(paragraphs) and paragraphs[0] == want["body_first"],
        "body_last": bool(paragraphs) and paragraphs[-1] == want["body_last"],
        "body_count": len(paragraphs) == want["body_count"],
        "pull": not any(line in paragraphs for line in pull) and pulls == [_bare(line) for line in pull[:1]],
        "body_clean": not any(line in paragraphs for line in chrome)
        and not any(footer in body for footer in FOOTER_WORDS),
        "notes_count": len(record.get("notes") or []) == want["notes_count"],
        "contacts": sorted(record.get("contacts") or []) == sorted(want["contacts"]),
        "teasers": [[t["kicker"], t["title"]] for t in record.get("teasers") or []] == want["teasers"],
    }
    if lines is not None:  # the cards are looked up in this record's own lines ("name.txt:L41-70")
        first, _, last = (record.get("input") or "").rpartition(":L")[2].partition("-")
        own = lines[int(first) - 1:int(last)] if first.isdigit() and last.isdigit() else lines
        checks["snippets"] = [t["snippet"] for t in record.get("teasers") or []] == snippets_in(own, want)
    return {k: ok for k, ok in checks.items() if k in want or not k.startswith(("site_name",))}  # no footer: no site


def score_dump(name: str, records: list[dict] | None = None) -> dict[str, float]:
    """Share of releases right on each field; a missing or extra record counts as wrong on every field."""
    wanted = expected_of(name)
    records = clean_heldout(name) if records is None else records
    totals = dict.fromkeys(FIELDS, 0)
    if len(records) == len(wanted):
        for record, want in zip(records, wanted):
            checks = field_checks(record, want, lines_of(name))
            for field in FIELDS:
                totals[field] += checks.get(field, True)
    n = max(len(wanted), len(records))
    return {"records": float(len(records) == len(wanted))} | {f: totals[f] / n for f in FIELDS}


@pytest.fixture(scope="module", params=DUMPS)
def cleaned(request) -> tuple[str, list[dict], list[dict]]:
    return request.param, expected_of(request.param), clean_heldout(request.param)


def test_every_heldout_dump_has_its_json():
    assert len(DUMPS) >= 6
    for name in DUMPS:
        assert (HELDOUT / f"{name}.json").exists(), name


def test_one_record_per_release(cleaned):
    name, wanted, records = cleaned
    assert [r["title"] for r in records] == [w["title"] for w in wanted]


@pytest.mark.parametrize("field", FIELDS)
def test_field_matches_expected(cleaned, field):
    name, wanted, records = cleaned
    assert len(records) == len(wanted)
    for record, want in zip(records, wanted):
        assert field_checks(record, want, lines_of(name)).get(field, True), (field, record.get(field), want.get(field))


def test_cli_clean_writes_one_row_per_release(tmp_path):
    name = "en_multi_four_contacts_vary"
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, "-m", "pressroom", "clean", str(HELDOUT / f"{name}.txt"),
                             "--out", str(out)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    rows = [row for f in sorted((out / "articles").rglob("*.parquet")) for row in pq.read_table(f).to_pylist()]
    assert sorted(r["title"] for r in rows) == sorted(w["title"] for w in expected_of(name))


if __name__ == "__main__":  # before/after figures for the report
    for dump in DUMPS:
        s = score_dump(dump)
        bad = [k for k, v in s.items() if v < 1]
        print(f"{dump:34s} mean={sum(s.values()) / len(s):.2f} wrong: {', '.join(bad) or '-'}")
