"""The bundled sample press room: generation, ground truth, real HTTP serving, feed, sitemaps, dump."""

from __future__ import annotations

import concurrent.futures
import gzip
import json
import re
import time
import urllib.error
import urllib.request
from collections import defaultdict
from email.utils import format_datetime
from html import unescape
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from lxml import etree, html as lxml_html

from pressroom.sample_site import generate_site
from pressroom.sample_site.dump import dump_lines, write_dump, write_dump_truth
from pressroom.sample_site.generator import with_edited_releases
from pressroom.sample_site.server import serve_sample

SEED_DUMP = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "dumps" / "seed_fr_amnesty.txt"
SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture(scope="module")
def site():
    return generate_site()


@pytest.fixture(scope="module")
def server(site):
    with serve_sample(site) as srv:
        yield srv


def fetch(url: str, headers: dict | None = None, timeout: float = 10) -> tuple[int, dict, bytes]:
    req = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


def sentences(text: str) -> list[str]:
    return [s.strip("«»“” ") for s in re.split(r"(?<=[.!?])\s+", text) if s.strip("«»“” ")]


# ------------------------------------------------------------------ generation and truth

def test_generation_is_deterministic_and_fast():
    start = time.perf_counter()
    a = generate_site(seed=0)
    elapsed = time.perf_counter() - start
    b = generate_site(seed=0)
    assert elapsed < 1.0
    assert a.truth_json() == b.truth_json()
    assert {p: pg.body for p, pg in a.pages.items()} == {p: pg.body for p, pg in b.pages.items()}
    assert generate_site(seed=1).truth_json() != a.truth_json()
    json.loads(a.truth_json())  # valid JSON


def test_size_languages_sections(site):
    assert len(site.releases) >= 60
    langs = {r.lang for r in site.releases}
    assert langs == {"fr", "en"}
    for lang in langs:
        assert len({r.kicker for r in site.releases if r.lang == lang}) >= 3
    assert len({r.path for r in site.releases}) == len(site.releases)
    assert len({r.title for r in site.releases}) == len(site.releases)


def test_page_shapes_vary(site):
    rel = site.releases
    assert any(r.lead is None for r in rel) and any(r.lead for r in rel)
    assert any("list_item" in r.paragraph_kinds for r in rel)
    assert any(len({q["speaker"] for q in r.quotes if q["kind"] == "direct"}) == 2 for r in rel)
    assert any(len(r.authors) == 2 for r in rel)
    assert all("heading" in r.paragraph_kinds for r in rel)
    assert all(any(q["kind"] == "indirect" for q in r.quotes) for r in rel)
    assert sum(any(q["kind"] == "pull" for q in r.quotes) for r in rel) >= len(rel) // 2


def test_no_body_sentence_repeats_in_three_releases(site):
    """Otherwise a site model would rightly strip it: the sample must not teach our templates."""
    where = defaultdict(set)
    for r in site.releases:
        for block in r.paragraphs + r.notes + ([r.lead] if r.lead else []):
            for s in sentences(block):
                where[s].add(r.path)
    repeated = {s: paths for s, paths in where.items() if len(paths) > 1}
    assert all(len(paths) == 2 for paths in repeated.values()), repeated
    assert list(repeated) == [s for s in repeated if s in site.traps["shared_quote_sentence"]]
    assert len(repeated) == 1


def test_traps_are_documented(site):
    shared = [r for r in site.releases if "shared_quote_sentence" in r.traps]
    assert len(shared) == 2
    featured = [r for r in site.releases if "title_as_teaser" in r.traps]
    assert len(featured) == 1
    f = featured[0]
    fr_pages = [r for r in site.releases if r.lang == "fr"]
    assert all(r.teasers[0]["url"] == f.path for r in fr_pages)  # its own page included
    assert f.path in site.traps["title_as_teaser"]


def test_chrome_lines_never_inside_body(site):
    for r in site.releases:
        text = "\n".join(r.paragraphs + r.notes + [r.lead or ""])
        leaks = [line for line in r.chrome_lines if line in text]
        assert not leaks, (r.path, leaks)
        assert set(r.contacts) <= set(r.chrome_lines)
        assert any(line.startswith(r.teasers[1]["kicker"] + ". ") for line in r.chrome_lines)


def test_quotes_point_at_their_paragraphs(site):
    for r in site.releases:
        for q in r.quotes:
            assert q["paragraphs"], q
            joined = " ".join(r.paragraphs[i] for i in q["paragraphs"])
            for s in sentences(q["text"]):
                assert s.rstrip(".") in joined, (r.path, s)
            if q["kind"] == "direct":
                assert q["speaker"] in r.paragraphs[q["paragraphs"][0]] or q["speaker"] in joined
                mark = "«" if r.lang == "fr" else "“"
                assert all(r.paragraphs[i].startswith(mark) for i in q["paragraphs"])
            if q["kind"] == "pull":
                direct = [d for d in r.quotes if d["kind"] == "direct" and d["speaker"] == q["speaker"]]
                assert any(q["text"] in d["text"] for d in direct)


def test_french_multi_paragraph_quotes_reopen_and_close_once(site):
    multi = [q for r in site.releases if r.lang == "fr" for q in r.quotes
             if q["kind"] == "direct" and len(q["paragraphs"]) > 1]
    assert multi
    for r in site.releases:
        for q in r.quotes:
            if q["kind"] != "direct" or len(q["paragraphs"]) < 2 or r.lang != "fr":
                continue
            paras = [r.paragraphs[i] for i in q["paragraphs"]]
            assert re.search(r", a \w+ " + re.escape(q["speaker"]) + ", ", paras[0])
            assert all(p.startswith("« ") for p in paras)
            assert paras[-1].endswith(" »") and not any(p.endswith("»") for p in paras[:-1])


def test_truth_is_consistent_with_pages(site):
    for r in site.releases:
        page = site.pages[r.path]
        assert page.status == 200 and page.content_type.startswith("text/html")
        text = unescape(page.body.decode("utf-8"))
        tree = lxml_html.fromstring(page.body)
        for block in r.paragraphs + r.notes + [r.lead or "", r.notes_heading, *r.contacts]:
            assert block in text, (r.path, block)
        h1 = tree.xpath("string(//h1)")
        assert h1 == r.full_title
        assert tree.xpath("string(//*[contains(@class,'lead')])").strip() == (r.lead or "")
        ld = json.loads(tree.xpath("string(//script[@type='application/ld+json'])"))
        assert ld["@type"] == "NewsArticle" and ld["datePublished"] == r.published.isoformat()
        assert ld["dateModified"] == r.modified.isoformat()
        assert [a["name"] for a in ld["author"]] == r.authors
        assert tree.xpath("string(//meta[@property='og:type']/@content)") == "article"
        assert tree.xpath("string(//link[@rel='canonical']/@href)") == "{{BASE}}" + r.path
        assert tree.xpath("string(//time[contains(@class,'published')]/@datetime)") == r.published.isoformat()
        assert len(tree.xpath("//aside[contains(@class,'press-contact')]")) in (1, 2)
        assert [a.get("href") for a in tree.xpath("//li[@class='teaser']/a")] == [t["url"] for t in r.teasers]
        assert all(t["snippet"].endswith("...") for t in r.teasers)
        pull = next((q for q in r.quotes if q["kind"] == "pull"), None)
        if pull:
            assert tree.xpath("string(//blockquote[contains(@class,'pullquote')]/p)") == pull["text"]
            assert tree.xpath("string(//blockquote/cite)") == f"{pull['speaker']}, {pull['speaker_role']}"
        h2 = [h.text_content() for h in tree.xpath("//div[@class='entry-content']/h2")]
        assert h2 == [p for p, k in zip(r.paragraphs, r.paragraph_kinds) if k == "heading"] + [r.notes_heading]
    assert any(len(lxml_html.fromstring(site.pages[r.path].body).xpath("//aside[contains(@class,'press-contact')]")) == 2
               for r in site.releases)


def test_edited_site_changes_only_the_edited_releases(site):
    target = site.releases[5].path
    edited = with_edited_releases(site, [target])
    assert edited.release(target).modified > site.release(target).modified
    assert len(edited.release(target).paragraphs) == len(site.release(target).paragraphs) + 1
    changed = [r.path for r in site.releases if edited.pages[r.path].body != site.pages[r.path].body]
    assert changed == [target]


# ------------------------------------------------------------------ HTTP

def test_serves_over_http_with_base_url(server, site):
    assert server.base_url.startswith("http://127.0.0.1:")
    r = site.releases[0]
    status, headers, body = fetch(server.base_url + r.path)
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert b"{{BASE}}" not in body and (server.base_url + r.path).encode() in body
    assert headers["ETag"] and headers["Last-Modified"] == format_datetime(r.modified, usegmt=True)
    status, _, _ = fetch(server.base_url + "/no/such/page/")
    assert status == 404
    status, _, same = fetch(server.base_url + r.path + "?utm_source=newsletter")
    assert status == 200 and same == body
    logged = [x for x in server.requests if x.path == r.path]
    assert logged and logged[0].status == 200 and logged[0].bytes_sent == len(body)
    assert "User-Agent" in logged[0].headers


def test_conditional_get_answers_304(server, site):
    path = site.releases[1].path
    status, headers, body = fetch(server.base_url + path)
    assert status == 200
    status, _, again = fetch(server.base_url + path, {"If-None-Match": headers["ETag"]})
    assert status == 304 and again == b""
    status, _, _ = fetch(server.base_url + path, {"If-Modified-Since": headers["Last-Modified"]})
    assert status == 304
    status, _, _ = fetch(server.base_url + path, {"If-None-Match": '"stale"'})
    assert status == 200
    assert server.requests[-1].status == 200 and server.requests[-2].status == 304


def test_swapping_the_site_between_crawls(site):
    path = site.releases[2].path
    with serve_sample(site) as srv:
        _, headers, _ = fetch(srv.base_url + path)
        srv.site = with_edited_releases(site, [path])
        status, new_headers, body = fetch(srv.base_url + path, {"If-None-Match": headers["ETag"]})
        assert status == 200 and new_headers["ETag"] != headers["ETag"]
        assert srv.site.release(path).paragraphs[-1] in unescape(body.decode())
        other = site.releases[3].path
        _, h, _ = fetch(srv.base_url + other)
        assert fetch(srv.base_url + other, {"If-Modified-Since": h["Last-Modified"]})[0] == 304


def test_every_internal_link_resolves_and_concurrent_requests(server, site):
    html_paths = [p for p, pg in site.pages.items() if pg.content_type.startswith("text/html")]
    links = set()
    for p in html_paths:
        tree = lxml_html.fromstring(site.pages[p].body)
        for href in tree.xpath("//a/@href | //link[@rel='next' or @rel='prev']/@href"):
            if href.startswith("/"):
                links.add(urlsplit(href).path)
    assert links - set(site.pages) == set()
    with concurrent.futures.ThreadPoolExecutor(max_workers=16) as pool:
        statuses = list(pool.map(lambda p: fetch(server.base_url + p)[0], sorted(links | set(html_paths))))
    assert set(statuses) == {200}


def test_listing_pagination_reaches_every_release(server, site):
    for lang, root in (("fr", "/fr/communiques/"), ("en", "/en/press-releases/")):
        seen, url, pages = set(), server.base_url + root, 0
        while url and pages < 20:
            status, _, body = fetch(url)
            assert status == 200
            tree = lxml_html.fromstring(body)
            seen |= {urlsplit(h).path for h in tree.xpath("//article[contains(@class,'post-preview')]//a/@href")}
            nxt = tree.xpath("//link[@rel='next']/@href")
            url = urljoin(url, nxt[0]) if nxt else None
            pages += 1
        assert pages > 1
        assert seen == {r.path for r in site.releases if r.lang == lang}


def test_feed_is_rss_with_wordpress_footer(server, site):
    import feedparser

    _, headers, body = fetch(server.base_url + "/feed/")
    assert headers["Content-Type"].startswith("application/rss+xml")
    feed = feedparser.parse(body)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "rss20" and len(feed.entries) == 20
    by_path = {r.path: r for r in site.releases}
    for entry in feed.entries:
        r = by_path[urlsplit(entry.link).path]
        assert entry.link.startswith(server.base_url)
        assert entry.title == r.full_title
        assert entry.author in r.authors
        assert entry.published_parsed[:5] == r.published.utctimetuple()[:5]
        blocks = [b.text_content() for b in lxml_html.fragments_fromstring(entry.content[0].value)]
        assert blocks[-1] == f"The post {r.full_title} appeared first on {site.site_name}." == r.feed_footer
        assert all(p in blocks for p in r.paragraphs)
    newest = sorted(site.releases, key=lambda r: r.published, reverse=True)
    assert [urlsplit(e.link).path for e in feed.entries] == [r.path for r in newest[:20]]
    for lang in ("fr", "en"):
        entries = feedparser.parse(fetch(server.base_url + f"/{lang}/feed/")[2]).entries
        assert entries and all(by_path[urlsplit(e.link).path].lang == lang for e in entries)


def test_news_sitemap_has_publication_dates(server, site):
    _, _, index = fetch(server.base_url + "/sitemap_index.xml")
    assert f"{server.base_url}/news-sitemap.xml".encode() in index
    _, _, body = fetch(server.base_url + "/news-sitemap.xml")
    ns = {**SITEMAP_NS, "news": "http://www.google.com/schemas/sitemap-news/0.9"}
    urls = etree.fromstring(body).xpath("//sm:url", namespaces=ns)
    by_path = {r.path: r for r in site.releases}
    assert len(urls) == 20
    for u in urls:
        r = by_path[urlsplit(u.findtext("sm:loc", namespaces=ns)).path]
        assert u.findtext(".//news:publication_date", namespaces=ns) == r.published.isoformat()
        assert u.findtext(".//news:title", namespaces=ns) == r.full_title


def test_robots_sitemap_index_and_post_sitemap(server, site):
    _, _, robots = fetch(server.base_url + "/robots.txt")
    lines = [line for line in robots.decode().splitlines() if line.startswith("Sitemap:")]
    assert lines == [f"Sitemap: {server.base_url}/sitemap_index.xml"]
    _, _, index = fetch(server.base_url + "/sitemap_index.xml")
    root = etree.fromstring(index)
    locs = root.xpath("//sm:sitemap/sm:loc/text()", namespaces=SITEMAP_NS)
    assert all(root.xpath("//sm:sitemap/sm:lastmod/text()", namespaces=SITEMAP_NS))
    post = next(loc for loc in locs if "post-sitemap" in loc)
    _, _, urlset = fetch(post)
    entries = etree.fromstring(urlset).xpath("//sm:url", namespaces=SITEMAP_NS)
    listed = {e.findtext("sm:loc", namespaces=SITEMAP_NS): e.findtext("sm:lastmod", namespaces=SITEMAP_NS)
              for e in entries}
    assert listed == {server.base_url + r.path: r.modified.isoformat() for r in site.releases}


# ------------------------------------------------------------------ dump

def test_dump_has_the_seed_shape(tmp_path, site):
    out = write_dump(tmp_path / "dump.txt")
    lines = out.read_text(encoding="utf-8").splitlines()
    seed = SEED_DUMP.read_text(encoding="utf-8").splitlines()
    _, ranges = dump_lines(site)
    assert len(ranges) == len(site.releases)
    assert all(line.strip() for line in lines)  # one paragraph a line, no blank lines
    for r in site.releases:
        first, last = ranges[r.path]
        block = lines[first - 1:last]
        # the seed's frame: banner, contact block twice, "Kicker. Title", ..., footer, contacts, 5 teasers
        n = len(r.contacts)
        assert len(seed[1:1 + n]) == n and seed[1] == "Espace journalistes"
        assert block[1:1 + n] == r.contacts and block[1 + n:1 + 2 * n] == r.contacts
        assert block[1 + 2 * n] == r.full_title
        assert re.fullmatch(r"(Monde|Europe|Climat|Libertés|World|Climate|Freedoms)\. .+", block[1 + 2 * n])
        footer_at = block.index(r.feed_footer)
        assert re.fullmatch(r"The post .+ appeared first on .+\.", block[footer_at])
        assert block[footer_at + 1:footer_at + 1 + n] == r.contacts
        teasers = block[footer_at + 1 + n:]
        assert len(teasers) == 2 * len(r.teasers) == 10
        assert all(t.endswith("...") for t in teasers[1::2])
        assert block[block.index(r.notes_heading) + 1:footer_at] == r.notes
        for p in r.paragraphs:
            assert p in block
    seed_footer = [line for line in seed if line.startswith("The post ")]
    assert len(seed_footer) == 1 and seed_footer[0].endswith("appeared first on Amnesty International.")


def test_dump_truth_matches_dump(tmp_path):
    write_dump(tmp_path / "d.txt")
    write_dump_truth(tmp_path / "d.json")
    lines = (tmp_path / "d.txt").read_text(encoding="utf-8").splitlines()
    truth = json.loads((tmp_path / "d.json").read_text(encoding="utf-8"))
    assert len(truth["releases"]) == len(truth["dump_lines"])
    for r in truth["releases"]:
        first, last = truth["dump_lines"][r["path"]]
        assert lines[first - 1 + 11] == r["full_title"]
        assert lines[last - 1] == r["teasers"][-1]["snippet"]


def test_cli_serve_sample_dump(tmp_path, capsys):
    from pressroom.cli import main

    code = main(["serve-sample", "--dump", str(tmp_path / "x.txt")])
    assert code == 0
    assert (tmp_path / "x.txt").read_text(encoding="utf-8").startswith("En soutenant") or \
        (tmp_path / "x.txt").read_text(encoding="utf-8").startswith("By supporting")


# ------------------------------------------------------------------ the traps variant (issue 3)

@pytest.fixture(scope="module")
def trap_site():
    return generate_site("traps")


@pytest.fixture(scope="module")
def trap_server(trap_site):
    with serve_sample(trap_site) as srv:
        yield srv


def raw_get(server, target: str, timeout: float = 5) -> tuple[int, dict, bytes]:
    """One request, redirects not followed."""
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=timeout)
    try:
        conn.request("GET", target)
        resp = conn.getresponse()
        return resp.status, dict(resp.getheaders()), resp.read()
    finally:
        conn.close()


def test_traps_variant_keeps_the_site_and_documents_every_trap(site, trap_site):
    from pressroom.sample_site import traps as T

    start = time.perf_counter()
    generate_site("traps")
    assert time.perf_counter() - start < 1.0
    default_paths = {r.path for r in site.releases}
    hidden = [r for r in trap_site.releases if r.path not in default_paths]
    assert {r.path for r in trap_site.releases} >= default_paths and len(hidden) == 2
    for path in (T.CHAIN[0], T.SHORTLINK, T.LOOP[0], T.NOT_FOUND_PATH, T.GONE_PATH, T.ERROR_PATH, T.SLOW_PATH,
                 T.HUGE_PATH, T.BINARY_PATH, T.PDF_PATH, T.DISALLOWED_PATH, T.BROKEN_FEED, T.XXE_FEED,
                 T.XXE_SITEMAP, T.BOMB_SITEMAP, T.CALENDAR_START, *(r.path for r in hidden)):
        assert path in trap_site.traps, path
    assert sum("?" + q in key for key in trap_site.traps for q in T.TRACKING_QUERIES) == len(T.TRACKING_QUERIES)


def test_trap_hub_reaches_every_page_trap(trap_server, trap_site):
    from pressroom.sample_site import traps as T

    _, _, root = fetch(trap_server.base_url + "/")
    assert T.HUB_PATH.encode() in root
    _, _, hub = fetch(trap_server.base_url + T.HUB_PATH)
    tree = lxml_html.fromstring(hub)
    linked = set(tree.xpath("//a/@href"))
    feeds = set(tree.xpath("//link[@rel='alternate']/@href"))
    assert feeds == {T.BROKEN_FEED, T.XXE_FEED}
    _, _, robots = fetch(trap_server.base_url + "/robots.txt")
    _, _, index = fetch(trap_server.base_url + "/sitemap_index.xml")
    reachable = linked | feeds | {T.HUB_PATH}
    reachable |= {urlsplit(u).path for u in re.findall(r"Sitemap: (\S+)", robots.decode())}
    reachable |= {urlsplit(u).path for u in re.findall(r"<loc>([^<]+)</loc>", index.decode())}
    documented = {k for k in trap_site.traps if k.startswith("/")}
    assert documented - reachable == set()
    assert "Disallow: /prive/" in robots.decode()


def test_redirect_chain_shortlink_and_loop(trap_server, trap_site):
    from pressroom.sample_site import traps as T

    target = trap_site.traps[T.CHAIN[0]].split(" to ")[1].split(":")[0]
    hops, url = 0, T.CHAIN[0]
    while hops < 10:
        status, headers, _ = raw_get(trap_server, url)
        if status != 301:
            break
        assert headers["Location"].startswith(trap_server.base_url)
        url, hops = urlsplit(headers["Location"]).path, hops + 1
    assert (status, url, hops) == (200, target, len(T.CHAIN))
    status, headers, _ = raw_get(trap_server, T.SHORTLINK)
    assert status == 301 and headers["Location"] == trap_server.base_url + target
    status, headers, _ = raw_get(trap_server, target.rstrip("/"))
    assert status == 301 and headers["Location"] == trap_server.base_url + target
    seen = []
    url = T.LOOP[0]
    for _ in range(6):
        status, headers, _ = raw_get(trap_server, url)
        assert status == 301
        url = urlsplit(headers["Location"]).path
        seen.append(url)
    assert set(seen) == set(T.LOOP)


def test_failing_statuses_and_non_html(trap_server):
    from pressroom.sample_site import traps as T

    assert raw_get(trap_server, T.NOT_FOUND_PATH)[0] == 404
    assert raw_get(trap_server, T.GONE_PATH)[0] == 410
    assert [raw_get(trap_server, T.ERROR_PATH)[0] for _ in range(4)] == [500] * 4
    status, headers, body = raw_get(trap_server, T.BINARY_PATH)
    assert status == 200 and headers["Content-Type"].startswith("text/html") and body.startswith(b"%PDF")
    status, headers, body = raw_get(trap_server, T.PDF_PATH)
    assert headers["Content-Type"] == "application/pdf" and body.startswith(b"%PDF")
    status, headers, body = raw_get(trap_server, T.HUGE_PATH)
    assert status == 200 and int(headers["Content-Length"]) == len(body) >= T.HUGE_BYTES


def test_slow_page_times_out_a_short_timeout(trap_server):
    import socket

    from pressroom.sample_site import traps as T

    start = time.perf_counter()
    with pytest.raises((socket.timeout, TimeoutError)):
        raw_get(trap_server, T.SLOW_PATH, timeout=0.5)
    assert time.perf_counter() - start < 2
    assert raw_get(trap_server, "/robots.txt")[0] == 200  # other requests are still served meanwhile


def test_gzip_bomb_sitemap(trap_server):
    from pressroom.sample_site import traps as T

    status, headers, body = raw_get(trap_server, T.BOMB_SITEMAP)
    assert status == 200 and headers["Content-Type"] == "application/x-gzip"
    assert len(body) < 100_000
    expanded = gzip.decompress(body)
    assert len(expanded) == T.BOMB_EXPANDED
    assert expanded.rstrip().endswith(f"<loc>{trap_server.base_url}{T.BOMB_ONLY_PATH}</loc></url>\n</urlset>".encode())
    _, _, index = raw_get(trap_server, "/sitemap_index.xml")
    assert f"{trap_server.base_url}{T.BOMB_SITEMAP}".encode() in index


def test_valid_gzip_sitemap_lists_the_mislabelled_releases(trap_server, site, trap_site):
    from pressroom.sample_site import traps as T

    status, headers, body = raw_get(trap_server, T.GZIP_SITEMAP)
    assert status == 200 and headers["Content-Type"] == "application/x-gzip"
    locs = etree.fromstring(gzip.decompress(body)).xpath("//sm:loc/text()", namespaces=SITEMAP_NS)
    hidden = {r.path for r in trap_site.releases} - {r.path for r in site.releases}
    assert {urlsplit(u).path for u in locs} == hidden and all(u.startswith(trap_server.base_url) for u in locs)


def test_external_entities_are_present_but_never_resolved_by_a_safe_parser(trap_server):
    import feedparser

    from pressroom.sample_site import traps as T

    for path in (T.XXE_FEED, T.XXE_SITEMAP):
        _, _, body = raw_get(trap_server, path)
        assert f'SYSTEM "{T.XXE_TARGET}"'.encode() in body
        safe = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
        text = etree.tostring(etree.fromstring(body, safe)).decode()
        assert T.PASSWD_MARKER not in text
    parsed = feedparser.parse(raw_get(trap_server, T.XXE_FEED)[2])
    assert parsed.entries and T.PASSWD_MARKER not in json.dumps(parsed.entries, default=str)


def test_malformed_feed_is_not_well_formed_but_salvageable(trap_server):
    import feedparser

    from pressroom.sample_site import traps as T

    _, _, body = raw_get(trap_server, T.BROKEN_FEED)
    with pytest.raises(etree.XMLSyntaxError):
        etree.fromstring(body)
    parsed = feedparser.parse(body)
    assert parsed.bozo
    assert [e.link for e in parsed.entries if e.get("link")]


def test_calendar_trap_is_endless(trap_server):
    from pressroom.sample_site import traps as T

    url, months = T.CALENDAR_START, []
    for _ in range(15):
        status, _, body = raw_get(trap_server, url)
        assert status == 200
        nxt = lxml_html.fromstring(body).xpath("//link[@rel='next']/@href")[0]
        months.append(nxt.split("=")[1])
        url = nxt
    assert months[:2] == ["2025-02", "2025-03"] and months[-1] == "2026-04"
    assert raw_get(trap_server, "/events/?month=bogus")[0] == 404


def test_tracking_variants_serve_the_same_release(trap_server, trap_site):
    from pressroom.sample_site import traps as T

    keys = [k for k in trap_site.traps if any(k.endswith("?" + q) for q in T.TRACKING_QUERIES)]
    base = keys[0].split("?")[0]
    original = raw_get(trap_server, base)[2]
    assert all(raw_get(trap_server, k)[2] == original for k in keys)
    assert len(keys) == len(T.TRACKING_QUERIES)


def test_mislabelled_encodings(trap_server, trap_site):
    default_paths = {r.path for r in generate_site().releases}
    hidden = [r for r in trap_site.releases if r.path not in default_paths]
    by_label = {}
    for r in hidden:
        _, headers, body = raw_get(trap_server, r.path)
        by_label[headers["Content-Type"]] = (r, body)
    r, body = by_label["text/html; charset=UTF-8"]
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    assert all(p in unescape(body.decode("cp1252")) for p in r.paragraphs)
    r, body = by_label["text/html; charset=windows-1252"]
    assert b'<meta charset="windows-1252">' in body
    assert all(p in unescape(body.decode("utf-8")) for p in r.paragraphs)
    assert not all(p in unescape(body.decode("cp1252", errors="replace")) for p in r.paragraphs)
