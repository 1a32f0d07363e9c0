"""A tiny WordPress-like press site served on 127.0.0.1 for the crawler tests.

Known ground truth (`site.releases`), a request log (`server.requests`: method, path,
status, request headers), ETag / Last-Modified with 304s, a swappable page map for
incremental re-crawls, and a trap variant (redirect chains and loops, 404/410/500,
a slow page, an oversized page, binary as text/html, a malformed feed, a gzip-bomb
sitemap, XXE in a feed and a sitemap, a calendar trap, utm/fbclid variants,
mislabelled encodings).
"""

from __future__ import annotations

import gzip
import hashlib
import html
import json
import threading
import time
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

PER_PAGE = 5


@dataclass(frozen=True)
class Release:
    path: str
    title: str
    date: str  # YYYY-MM-DD
    body: str
    lang: str = "en"


@dataclass
class Page:
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    validators: bool = True


@dataclass
class Site:
    releases: list[Release]
    pages: dict[str, Page]
    variant: str = "default"


def make_releases(n: int = 17, revision: int = 0) -> list[Release]:
    out = []
    for i in range(n):
        year, month, day = 2024 + i // 12, i % 12 + 1, i % 27 + 1
        lang = "fr" if i % 3 == 0 else "en"
        slug = f"release-number-{i:02d}-about-things"
        body = (f"Release {i} body. L'équipe « Paris » a déclaré que tout va bien. " * 3).strip()
        out.append(Release(path=f"/{year}/{month:02d}/{slug}/", title=f"Release {i} title", lang=lang,
                           date=f"{year}-{month:02d}-{day:02d}", body=body + (f" Revision {revision}." if revision else "")))
    return out


def _chrome(inner: str, head: str = "") -> str:
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>Press</title>"
            f"<link rel='alternate' type='application/rss+xml' href='/feed/'>{head}</head><body>"
            f"<header><nav><a href='/'>Home</a> <a href='/news/'>News</a> <a href='/about/'>About us</a></nav></header>"
            f"<main>{inner}</main><footer>Footer text <a href='https://elsewhere.example/'>partner</a></footer></body></html>")


def release_html(rel: Release) -> str:
    ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "headline": rel.title,
                     "datePublished": rel.date + "T09:00:00+00:00"})
    head = f"<meta property='og:type' content='article'><script type='application/ld+json'>{ld}</script>"
    return _chrome(f"<article><h1>{html.escape(rel.title)}</h1><p>{html.escape(rel.body)}</p>"
                   f"<a href='/news/'>Back to news</a></article>", head)


def build_site(releases: list[Release], variant: str = "default", port: int = 0) -> Site:
    pages: dict[str, Page] = {}
    newest_first = sorted(releases, key=lambda r: r.date, reverse=True)
    for rel in releases:
        pages[rel.path] = Page(release_html(rel).encode("utf-8"))
    n_pages = (len(newest_first) + PER_PAGE - 1) // PER_PAGE
    for p in range(1, n_pages + 1):
        chunk = newest_first[(p - 1) * PER_PAGE: p * PER_PAGE]
        items = "".join(f"<li><a href='{r.path}'>{html.escape(r.title)}</a></li>" for r in chunk)
        head = f"<link rel='next' href='/news/page/{p + 1}/'>" if p < n_pages else ""
        path = "/news/" if p == 1 else f"/news/page/{p}/"
        pages[path] = Page(_chrome(f"<h1>News</h1><ul>{items}</ul>", head).encode())
    pages["/"] = Page(_chrome("<h1>Welcome</h1><a href='/news/'>All our press releases</a>").encode())
    pages["/about/"] = Page(_chrome("<h1>About</h1><p>We are an organisation.</p>").encode())
    pages["/robots.txt"] = Page(b"User-agent: *\nDisallow: /private/\nSitemap: /sitemap_index.xml\n", "text/plain")
    pages["/sitemap_index.xml"] = Page(
        b"<?xml version='1.0' encoding='UTF-8'?><sitemapindex xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>"
        b"<sitemap><loc>/post-sitemap.xml.gz</loc></sitemap></sitemapindex>", "application/xml")
    urls = "".join(f"<url><loc>{r.path}</loc><lastmod>{r.date}T10:00:00+00:00</lastmod></url>" for r in releases)
    pages["/post-sitemap.xml.gz"] = Page(gzip.compress(
        f"<?xml version='1.0' encoding='UTF-8'?><urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>{urls}"
        "</urlset>".encode()), "application/x-gzip", validators=False)
    items = "".join(
        f"<item><title>{html.escape(r.title)}</title><link>{r.path}</link>"
        f"<pubDate>{formatdate(time.mktime(time.strptime(r.date, '%Y-%m-%d')) + 9 * 3600, usegmt=True)}</pubDate>"
        f"<description>Summary of {html.escape(r.title)}</description>"
        f"<content:encoded><![CDATA[<p>{html.escape(r.body)}</p><p>The post {html.escape(r.title)} appeared first "
        f"on Press.</p>]]></content:encoded></item>" for r in newest_first[:6])
    pages["/feed/"] = Page((
        "<?xml version='1.0' encoding='UTF-8'?><rss version='2.0' xmlns:content='http://purl.org/rss/1.0/modules/content/'>"
        f"<channel><title>Press</title><link>/</link>{items}</channel></rss>").encode(), "application/rss+xml")
    if variant == "traps":
        _add_traps(pages, releases)
    return Site(releases=list(releases), pages=pages, variant=variant)


TRAP_RELEASES = {
    "cp1252": Release("/2024/06/cp1252-labelled-utf8-page/", "Café crème", "2024-06-02", "Déjà vu à l'été 1252."),
    "utf8": Release("/2024/06/utf8-labelled-cp1252-page/", "Thé glacé", "2024-06-03", "Où est l'élève ? UTF-8."),
}


def _add_traps(pages: dict[str, Page], releases: list[Release]) -> None:
    first, second = releases[0], releases[1]
    rel = TRAP_RELEASES["cp1252"]
    pages[rel.path] = Page(release_html(rel).replace("charset='utf-8'", "charset='utf-8'").encode("cp1252"),
                           "text/html; charset=utf-8")
    rel = TRAP_RELEASES["utf8"]
    pages[rel.path] = Page(release_html(rel).replace("charset='utf-8'", "charset='windows-1252'").encode("utf-8"),
                           "text/html; charset=windows-1252")
    pages["/old-link/"] = Page(b"", status=301, headers={"Location": "/older-link/"})
    pages["/older-link/"] = Page(b"", status=301, headers={"Location": first.path})
    pages["/loop-a/"] = Page(b"", status=302, headers={"Location": "/loop-b/"})
    pages["/loop-b/"] = Page(b"", status=302, headers={"Location": "/loop-a/"})
    pages["/gone-404/"] = Page(b"not here", status=404)
    pages["/gone-410/"] = Page(b"gone", status=410)
    pages["/broken-500/"] = Page(b"oops", status=500)
    pages["/slow/"] = Page(_chrome("<p>slow</p>").encode(), delay=3.0)
    pages["/huge/"] = Page(_chrome("<p>" + "x" * 300_000 + "</p>").encode())
    pages["/binary/"] = Page(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20, "text/html")
    pages["/report.pdf"] = Page(b"%PDF-1.4 ...", "application/pdf")
    pages["/events/2026-11/"] = Page(_chrome("<p>Nov</p><a href='/events/2026-12/'>next month</a>").encode())
    pages["/private/secret-release-never-fetch/"] = Page(release_html(first).encode())
    variants = "".join(f"<li><a href='{first.path}?utm_source=tw&utm_medium=social'>v1</a></li>"
                       f"<li><a href='{first.path}?fbclid=abc123'>v2</a></li>"
                       f"<li><a href='{second.path}?gclid=zz&utm_campaign=x'>v3</a></li>"
                       f"<li><a href='{second.path.rstrip('/')}'>v4</a></li>")
    links = "".join(f"<li><a href='{p}'>{p}</a></li>" for p in (
        "/old-link/", "/loop-a/", "/gone-404/", "/gone-410/", "/broken-500/", "/slow/", "/huge/", "/binary/",
        "/report.pdf", "/events/2026-11/", "/private/secret-release-never-fetch/",
        TRAP_RELEASES["cp1252"].path, TRAP_RELEASES["utf8"].path))
    pages["/about/"] = Page(_chrome(f"<h1>About</h1><ul>{variants}{links}</ul>",
                                    "<link rel='alternate' type='application/atom+xml' href='/bad-feed/'>"
                                    "<link rel='alternate' type='application/rss+xml' href='/xxe-feed/'>").encode())
    pages["/"] = Page(_chrome("<h1>Welcome</h1><a href='/news/'>All our press releases</a>",
                              "<link rel='alternate' type='application/atom+xml' href='/bad-feed/'>"
                              "<link rel='alternate' type='application/rss+xml' href='/xxe-feed/'>").encode())
    pages["/bad-feed/"] = Page(b"<?xml version='1.0'?><feed xmlns='http://www.w3.org/2005/Atom'><entry><title>Broken",
                               "application/atom+xml")
    xxe = ("<?xml version='1.0'?><!DOCTYPE r [<!ENTITY xxe SYSTEM 'file:///etc/passwd'>"
           "<!ENTITY canary SYSTEM '/xxe-canary'>]>")
    pages["/xxe-feed/"] = Page((
        f"{xxe}<rss version='2.0'><channel><title>X</title><item><title>&xxe;&canary;{second.title}</title>"
        f"<link>{second.path}</link><description>&xxe;&canary;</description></item></channel></rss>").encode(),
        "application/rss+xml")
    pages["/xxe-sitemap.xml"] = Page((
        f"{xxe}<urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'><url><loc>/&xxe;&canary;</loc></url>"
        f"<url><loc>{first.path}</loc></url></urlset>").encode(), "application/xml")
    pages["/xxe-canary"] = Page(b"root:x:0:0", "text/plain")
    bomb = gzip.compress(b"<?xml version='1.0'?><urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>"
                         + b"<url><loc>/bomb-url/</loc></url>" + b" " * (8 * 1024 * 1024) + b"</urlset>")
    pages["/bomb-sitemap.xml.gz"] = Page(bomb, "application/x-gzip", validators=False)
    pages["/sitemap_index.xml"] = Page(
        b"<?xml version='1.0' encoding='UTF-8'?><sitemapindex xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>"
        b"<sitemap><loc>/post-sitemap.xml.gz</loc></sitemap><sitemap><loc>/bomb-sitemap.xml.gz</loc></sitemap>"
        b"<sitemap><loc>/xxe-sitemap.xml</loc></sitemap></sitemapindex>", "application/xml")
    pages["/bomb-url/"] = Page(release_html(first).encode())


def _dynamic(path: str) -> Page | None:
    """Endless calendar: every month links to the next one."""
    if path.startswith("/events/") and len(path.strip("/").split("/")) == 2:
        ym = path.strip("/").split("/")[1]
        try:
            y, m = map(int, ym.split("-"))
        except ValueError:
            return None
        y2, m2 = (y + 1, 1) if m == 12 else (y, m + 1)
        return Page(_chrome(f"<p>{ym}</p><a href='/events/{y2}-{m2:02d}/'>next month</a>").encode())
    return None


class _Handler(BaseHTTPRequestHandler):
    server: "_Server"

    def log_message(self, *args):  # quiet
        pass

    def do_GET(self):
        path = urlsplit(self.path).path
        site = self.server.site
        page = site.pages.get(path) or _dynamic(path)
        if page is None:
            page = Page(b"not found", status=404)
        if page.delay:
            time.sleep(page.delay)
        status, headers = page.status, dict(page.headers)
        headers.setdefault("Content-Type", page.content_type)
        body = page.body
        if page.validators and status == 200:
            etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
            headers["ETag"] = etag
            headers["Last-Modified"] = "Mon, 01 Jan 2024 00:00:00 GMT"
            if self.headers.get("If-None-Match") == etag:
                status, body = 304, b""
        self.server.log(self.command, self.path, status, dict(self.headers))
        try:
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            if status != 304:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if status != 304:
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, site: Site):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.site = site
        self.requests: list[tuple[str, str, int, dict]] = []
        self._lock = threading.Lock()

    def log(self, method, path, status, headers):
        with self._lock:
            self.requests.append((method, path, status, headers))

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class serve_site:
    """`with serve_site(build_site(make_releases())) as srv: srv.base_url, srv.site, srv.requests`."""

    def __init__(self, site: Site):
        self.server = _Server(site)

    def __enter__(self) -> _Server:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self.server

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
