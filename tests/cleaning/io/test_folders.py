"""Folders as people have them (issue 15): a wget mirror, content sniffing, include/exclude, symlinks."""

from __future__ import annotations

import gzip
import os

import pytest

from cleaning.core.stats import Stats
from cleaning.io.readers import read_inputs
from cleaning.io.sniff import classify

PAGE = "<!DOCTYPE html><html><head><title>T</title></head><body><p>Release text.</p></body></html>"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(200)
RSS = '<?xml version="1.0"?><rss version="2.0"><channel><title>News</title><item><title>A</title></item></channel></rss>'
SITEMAP = '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>x</loc></url></urlset>'


def read(paths, **kw):
    stats = Stats()
    records = list(read_inputs([str(p) for p in paths], stats, **kw))
    return records, stats


def names(records, root):
    return [os.path.relpath(r.input, root) for r in records]


def mirror(root):
    """What `wget --mirror` leaves for a small press room."""
    files = {
        "www.ex.org/index.html": PAGE,
        "www.ex.org/news/release-1.html": PAGE,
        "www.ex.org/news/release-2": PAGE,  # saved without a suffix
        "www.ex.org/news/index.html?page=2": PAGE,  # a query in the name
        "www.ex.org/about.php": PAGE,
        "www.ex.org/robots.txt": "User-agent: *\nDisallow: /admin\n",
        "www.ex.org/sitemap.xml": SITEMAP,
        "www.ex.org/sitemap-news.xml.gz": gzip.compress(SITEMAP.encode()),
        "www.ex.org/feed/index.html": RSS,  # wget saves /feed/ as index.html
        "www.ex.org/news/feed": RSS,
        "www.ex.org/wp-content/style.css": "body { color: red }",
        "www.ex.org/wp-content/app.js": "document.write('<p>x</p>')",
        "www.ex.org/wp-content/logo.png": PNG,
        "www.ex.org/wp-content/font.woff2": b"wOF2" + bytes(100),
        "www.ex.org/wp-content/data.xml": "<?xml version='1.0'?><data/>",
        "www.ex.org/wp-content/fake.html": PNG,  # a PNG named .html
        "www.ex.org/LICENSE": "MIT License\n\nPermission is hereby granted",
    }
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return root


def test_a_wget_mirror_reads_the_pages_and_counts_the_rest_quietly(tmp_path):
    root = mirror(tmp_path / "mirror")
    records, stats = read([root])
    assert names(records, root) == ["www.ex.org/about.php", "www.ex.org/index.html",
                                    "www.ex.org/news/index.html?page=2", "www.ex.org/news/release-1.html",
                                    "www.ex.org/news/release-2"]
    assert stats.errors == []  # not one line per asset
    assert stats["read/skipped_not_pages"] == 5  # robots.txt, two sitemaps, two feeds
    assert stats["read/skipped_assets"] == 5  # css, js, png, woff2, xml
    assert stats["read/skipped_binary"] == 1  # the PNG named .html
    assert stats["read/skipped_unknown"] == 1  # LICENSE: text, but no page
    assert not any("User-agent" in (r.html or r.text or "") for r in records)


def test_a_folder_of_only_assets_says_so_in_one_line(tmp_path):
    for name in ("a.css", "b.js", "c.png"):
        (tmp_path / name).write_text("x")
    records, stats = read([tmp_path])
    assert records == []
    (error,) = stats.errors
    assert error["error"] == "folder holds no input files (3 file(s) skipped as assets, feeds, sitemaps or of unknown type)"


@pytest.mark.parametrize("name, content, kind", [
    ("page", PAGE.encode(), "html"),
    ("page.gz", gzip.compress(PAGE.encode()), "html"),
    ("index.html", PNG, None),
    ("index.html", RSS.encode(), None),
    ("feed.html", ('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
                   "<title>x</title></feed>").encode(), None),
    ("page.xhtml", b'<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body/></html>', "html"),
    ("archive", b"WARC/1.0\r\nWARC-Type: warcinfo\r\n", "warc"),
    ("table.bin", b"PAR1....", "parquet"),
    ("robots.txt", b"User-agent: *\n", None),
    ("notes.txt", b"A dump\n", "text"),
    ("noname", b"User-agent: *\nDisallow: /\n", None),
    ("page-utf16", PAGE.encode("utf-16"), "html"),
    ("posts", b'{"id": 1, "content": "<html><body><p>x</p></body></html>"}', None),  # a saved wp-json reply
])
def test_the_type_comes_from_the_bytes_too(tmp_path, name, content, kind):
    path = tmp_path / name
    path.write_bytes(content)
    assert classify(path).kind == kind


def test_named_files_that_are_no_pages_are_reported(tmp_path):
    robots, fake = tmp_path / "robots.txt", tmp_path / "logo.html"
    robots.write_text("User-agent: *\n")
    fake.write_bytes(PNG)
    records, stats = read([robots, fake])
    assert records == []
    errors = {e["input"].rsplit("/", 1)[1]: e["error"] for e in stats.errors}
    assert "not a page" in errors["robots.txt"] and errors["logo.html"] == "a PNG image, not text"


def test_include_and_exclude_globs(tmp_path):
    root = mirror(tmp_path / "mirror")
    records, stats = read([root], include=["*/news/*"])
    assert names(records, root) == ["www.ex.org/news/index.html?page=2", "www.ex.org/news/release-1.html",
                                    "www.ex.org/news/release-2"]
    records, stats = read([root], include=["*.html", "*.php"], exclude=["index.html*"])
    assert names(records, root) == ["www.ex.org/about.php", "www.ex.org/news/release-1.html"]
    assert stats["read/skipped_excluded"] > 0 and stats.errors == []


def test_hidden_files_and_folders_are_left_out(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "page.html").write_text(PAGE)
    (tmp_path / "_SUCCESS").write_text("")
    (tmp_path / "a.html").write_text(PAGE)
    records, stats = read([tmp_path])
    assert names(records, tmp_path) == ["a.html"] and stats["read/skipped_hidden"] == 2


def test_a_symlink_loop_is_reported_in_one_line_and_the_files_read_once(tmp_path):
    root = tmp_path / "site"
    (root / "news").mkdir(parents=True)
    (root / "news" / "a.html").write_text(PAGE)
    (root / "news" / "again").symlink_to(root)  # a loop back to the top
    (root / "news" / "self").symlink_to(".")  # a loop to itself
    (root / "gone.html").symlink_to(tmp_path / "nowhere.html")  # a broken link
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "b.html").write_text(PAGE)
    (root / "linked").symlink_to(outside)  # a symlinked folder that is no loop: followed
    records, stats = read([root])
    assert names(records, root) == ["linked/b.html", "news/a.html"]
    (error,) = stats.errors
    assert error["input"] == str(root)
    assert error["error"].startswith("2 symlink loop(s) not followed (news/again -> ")
    assert "1 broken link(s) skipped (gone.html)" in error["error"]
    assert stats["read/symlink_loops"] == 2 and stats["read/broken_links"] == 1


def test_a_feed_served_as_text_html_in_a_warc_is_no_page(tmp_path):
    import io as _io

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    path = tmp_path / "crawl.warc.gz"
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for url, body in (("https://ex.org/feed/", RSS), ("https://ex.org/sitemap.xml", SITEMAP),
                          ("https://ex.org/a", PAGE)):
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=_io.BytesIO(body.encode()),
                                                          http_headers=headers))
    records, stats = read([path])
    assert [r.url for r in records] == ["https://ex.org/a"]
    assert stats["read/skipped_not_pages"] == 2 and stats.errors == []
