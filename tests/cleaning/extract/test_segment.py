"""Document boundaries in text dumps: footers, hard separators, repeated chrome, blank lines."""

from __future__ import annotations

import bisect
from pathlib import Path

import pytest

from cleaning.extract.segment import segment_dump

DUMPS = Path(__file__).resolve().parents[2] / "fixtures" / "dumps"


def lines_of(name: str) -> list[str]:
    return (DUMPS / name).read_text(encoding="utf-8").split("\n")


def without_footers(lines: list[str]) -> tuple[list[str], list[int]]:
    keep = [i for i, line in enumerate(lines) if not line.startswith("The post ")]
    return [lines[i] for i in keep], keep


def test_empty_and_blank_dumps_have_no_release():
    assert segment_dump([]) == []
    assert segment_dump(["", "  ", ""]) == []


def test_one_release_dump_is_one_range():
    lines = lines_of("seed_fr_amnesty.txt")
    assert segment_dump(lines) == [(0, len(lines))]
    assert segment_dump(without_footers(lines)[0]) == [(0, len(lines) - 1)]


def test_teasers_after_a_footer_belong_to_the_release_before():
    lines = lines_of("multi_water_alliance.txt")
    ranges = segment_dump(lines)
    assert ranges == [(0, 32), (32, 64), (64, len(lines))]
    for start, end in ranges:
        assert lines[start].startswith("By donating")  # each page opens with its own chrome
        assert lines[end - 1].strip() == "" or lines[end - 1].endswith("...")  # and ends with its teasers


def test_footerless_releases_are_cut_in_the_chrome_between_them():
    lines, keep = without_footers(lines_of("multi_water_alliance.txt"))
    ranges = segment_dump(lines)
    assert len(ranges) == 3
    assert [lines[a] for a, _ in ranges] == [lines[0]] * 3
    assert all(lines[b - 1].endswith("...") or not lines[b - 1] for _, b in ranges)


def test_same_release_pasted_twice_with_a_form_feed():
    lines = lines_of("en_water_alliance.txt")[:-1]
    doubled = lines + ["\f"] + lines
    assert segment_dump(doubled) == [(0, len(lines)), (len(lines) + 1, 2 * len(lines) + 1)]


def test_rule_lines_separate_releases():
    a = lines_of("seed_fr_amnesty.txt")[:-1]
    b = lines_of("en_water_alliance.txt")[:-1]
    dump = a + ["=" * 20] + b
    assert segment_dump(dump) == [(0, len(a)), (len(a) + 1, len(dump))]


def test_blank_line_runs_separate_footerless_releases_without_chrome():
    paragraph = "Sentence number {} of release {} is long enough to count as body text for the segmenter here."
    release = lambda r: [f"Title of release {r}"] + [paragraph.format(i, r) * 2 for i in range(4)]  # noqa: E731
    dump = release(1) + ["", ""] + release(2) + ["", ""] + release(3)
    ranges = segment_dump(dump)
    assert len(ranges) == 3
    for (a, b), r in zip(ranges, (1, 2, 3)):
        text = "\n".join(dump[a:b])
        assert f"Title of release {r}" in text and all(f"release {o}" not in text for o in {1, 2, 3} - {r})


def test_paragraphs_separated_by_single_blank_lines_stay_together():
    paragraph = "This is paragraph {} of a single release, long enough to be body text and never chrome at all."
    dump = ["A title line"]
    for i in range(8):
        dump += ["", paragraph.format(i) * 2]
    assert segment_dump(dump) == [(0, len(dump))]


@pytest.mark.parametrize("seed", [0, 1])
def test_sample_site_dump_matches_the_generator_truth(seed):
    from pressroom.sample_site import generate_site
    from pressroom.sample_site.dump import dump_lines

    lines, truth_ranges = dump_lines(generate_site("default", seed))
    truth = sorted((first - 1, last) for first, last in truth_ranges.values())
    assert segment_dump(lines) == truth

    stripped, keep = without_footers(lines)  # the same dump with every feed footer deleted
    moved = [(bisect.bisect_left(keep, a), bisect.bisect_left(keep, b)) for a, b in truth]
    assert segment_dump(stripped) == moved


@pytest.mark.parametrize("kicker", ["Europe", "Africa", "Asia"])
def test_a_release_without_footer_among_releases_with_one(kicker):
    lines = lines_of("multi_water_alliance.txt")
    kept = [i for i, line in enumerate(lines) if not line.startswith(f"The post {kicker}.")]
    dump = [lines[i] for i in kept]
    expected = [(bisect.bisect_left(kept, a), bisect.bisect_left(kept, b)) for a, b in [(0, 32), (32, 64), (64, 98)]]
    assert segment_dump(dump) == expected


def test_extract_never_imports_the_steps_after_it():
    """Kicker rules live in cleaning/extract/kicker.py: segment used to import split lazily (an upward import)."""
    from pathlib import Path

    from cleaning.extract import kicker
    from cleaning.steps import split
    from tests.test_layering import imported_modules

    extract = Path(kicker.__file__).parent
    upward = {f"{path.name} imports {name}" for path in sorted(extract.glob("*.py"))
              for name in imported_modules(path) if name.startswith(("cleaning.steps", "cleaning.quotes"))}
    assert not upward, upward
    assert split.split_kicker is kicker.split_kicker  # one rule, used by both
