"""The report in a real browser: headless Chromium renders its plots; the screenshot is kept.

Artifacts: data/reports/report-screenshot.png and report-three-sites.png (a real clean of three
generated sites), repo root, rewritten on every run.
"""

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from selectolax.lexbor import LexborHTMLParser

from pressroom.report import write_report

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
ARTIFACT = Path(__file__).resolve().parents[2] / "data" / "reports" / "report-screenshot.png"
BAR_BLUE = np.array([0x3B, 0x6E, 0xA8]) / 255  # the plots' bar colour

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (Debian: apt-get install chromium)"),
]


def _chromium(args: list[str], profile: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
         f"--user-data-dir={profile}", *args],
        capture_output=True, text=True, timeout=90, check=True)


@pytest.fixture
def report_html(sample_run: Path, capsys) -> Path:
    assert write_report(sample_run) == 0
    capsys.readouterr()
    return sample_run / "reports" / "report.html"


def test_plots_render_in_headless_chromium(report_html: Path, tmp_path: Path):
    dom = _chromium(["--dump-dom", report_html.as_uri()], tmp_path / "profile").stdout
    tree = LexborHTMLParser(dom)
    svgs = tree.css("svg")
    assert len(svgs) == 4
    for svg in svgs:
        drawn = [p for p in svg.css("path") if len(p.attributes.get("d") or "") > 20]
        assert len(drawn) >= 3, "a plot without drawn shapes"
    assert "Top speakers" in tree.body.text()


def test_screenshot_shows_the_plots(report_html: Path, tmp_path: Path):
    import matplotlib.image as mpimg

    shot = tmp_path / "report.png"
    _chromium([f"--screenshot={shot}", "--window-size=1280,2400", "--hide-scrollbars", report_html.as_uri()],
              tmp_path / "profile")
    pixels = mpimg.imread(shot)[..., :3]
    assert pixels.shape[:2] == (2400, 1280)
    bar_pixels = int((np.abs(pixels - BAR_BLUE).max(axis=-1) < 0.03).sum())
    assert bar_pixels > 100_000, f"only {bar_pixels} bar-coloured pixels: the plots did not render"
    ARTIFACT.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(shot, ARTIFACT)


@pytest.mark.parametrize("sites", [1, 3])
def test_a_real_clean_renders_with_charts_that_fit_the_sites(sites: int, tmp_path: Path, capsys):
    """One site: a table instead of the per-site bar; three sites: the bar chart. Both render."""
    from pressroom.cli import main

    from tests.pressroom.conftest import write_pages

    write_pages(tmp_path / "pages", sites * 8, per_site=8, host="www.ngo{seed}.org", scheme="https")
    out = tmp_path / "out"
    assert main(["clean", str(tmp_path / "pages"), "--out", str(out), "-q"]) == 0
    assert write_report(out) == 0
    capsys.readouterr()
    report = out / "reports" / "report.html"
    tree = LexborHTMLParser(_chromium(["--dump-dom", report.as_uri()], tmp_path / "profile").stdout)
    titles = [t.text() for svg in tree.css("svg") for t in svg.css("text") if "Releases per site" in t.text()]
    assert bool(titles) == (sites > 1)
    assert len(tree.css("svg")) == (4 if sites > 1 else 3)  # per site (3 sites only), per month, lengths, reasons
    for svg in tree.css("svg"):
        assert len([p for p in svg.css("path") if len(p.attributes.get("d") or "") > 20]) >= 3
    body = tree.body.text()
    for section in ("Crawl funnel", "Date coverage", "Languages by site", "Quotes", "Quality flags", "Releases",
                    "Run time", "Load the data"):
        assert section in body, section
    assert len(tree.css("#releases a[href]")) == 8 * sites
    if sites == 3:
        shot = tmp_path / "report.png"
        _chromium([f"--screenshot={shot}", "--window-size=1280,2400", "--hide-scrollbars", report.as_uri()],
                  tmp_path / "profile")
        ARTIFACT.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, ARTIFACT.with_name("report-three-sites.png"))
