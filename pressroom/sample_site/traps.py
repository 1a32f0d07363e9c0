"""Crawler traps of the "traps" variant (issue 3), each with its expected outcome.

Everything is reachable from the trap hub (linked from "/"), from robots.txt or from the
sitemap index, so a crawl started at the site root meets every trap. `SampleSite.traps`
maps each trap's path to what a well-behaved crawler must do with it; the constants
below let tests address them directly.
"""

from __future__ import annotations

import gzip
import random

from pressroom.sample_site import render as R
from pressroom.sample_site.model import BASE_PLACEHOLDER as BASE
from pressroom.sample_site.model import SamplePage, SampleSite

HUB_PATH = "/fr/archives-speciales/"
CHAIN = ["/go/chain-1/", "/go/chain-2/", "/go/chain-3/"]
SHORTLINK = "/?p=4242"
NO_SLASH_SUFFIX = ""  # a release path without its trailing slash redirects to it (WordPress)
LOOP = ["/loop/a/", "/loop/b/"]
NOT_FOUND_PATH = "/fr/communiques/communique-supprime/"
GONE_PATH = "/fr/communiques/communique-retire/"
ERROR_PATH = "/fr/communiques/erreur-serveur/"
SLOW_PATH = "/fr/communiques/page-lente/"
SLOW_DELAY = 5.0
HUGE_PATH = "/fr/communiques/page-geante/"
HUGE_BYTES = 3 * 1024 * 1024
BINARY_PATH = "/fr/communiques/piece-jointe/"
PDF_PATH = "/wp-content/uploads/2025/06/rapport-annuel.pdf"
DISALLOWED_PATH = "/prive/brouillon/"
BROKEN_FEED = "/feed/broken/"
XXE_FEED = "/feed/xxe/"
XXE_SITEMAP = "/sitemap-xxe.xml"
BOMB_SITEMAP = "/sitemap-bomb.xml.gz"
GZIP_SITEMAP = "/sitemap-legacy.xml.gz"
BOMB_EXPANDED = 20 * 1024 * 1024
BOMB_ONLY_PATH = "/fr/communiques/visible-seulement-dans-la-bombe/"
CALENDAR = "/events/"
CALENDAR_START = "/events/?month=2025-01"
TRACKING_QUERIES = ["utm_source=newsletter&utm_medium=email&utm_campaign=juin", "fbclid=IwAR0sampleTrackingId",
                    "gclid=EAIaIQobChMIsample", "PHPSESSID=5f2c0e7a9b1d"]
XXE_TARGET = "file:///etc/passwd"
PASSWD_MARKER = "root:"


def _html(body: str, status: int = 200, **kw) -> SamplePage:
    return SamplePage(status, "text/html; charset=UTF-8", body.encode("utf-8"), **kw)


def _redirect(to: str, status: int = 301) -> SamplePage:
    return SamplePage(status, "text/html; charset=UTF-8", b"", {"Location": BASE + to}, conditional=False)


def _error_page(status: int, title: str) -> SamplePage:
    return _html(f"<!DOCTYPE html><html><head><title>{title}</title></head><body><h1>{title}</h1></body></html>\n",
                 status, conditional=False)


def _calendar(path: str, query: dict, base: str) -> SamplePage | None:
    """An events calendar whose every month links to the next and previous one, forever."""
    if path != CALENDAR:
        return None
    month = (query.get("month") or ["2025-01"])[0]
    try:
        year, mon = (int(x) for x in month.split("-"))
        if not 1 <= mon <= 12 or not 1 <= year <= 9999:
            raise ValueError
    except ValueError:
        return None
    nxt = f"{year + (mon == 12):04d}-{mon % 12 + 1:02d}"
    prv = f"{year - (mon == 1):04d}-{(mon - 2) % 12 + 1:02d}"
    body = (f"<!DOCTYPE html><html lang=\"fr-FR\"><head><meta charset=\"UTF-8\"><title>Agenda {month}</title>"
            f'<link rel="next" href="/events/?month={nxt}"></head><body><h1>Agenda : {month}</h1>'
            f"<p>Aucun événement ce mois-ci.</p>"
            f'<a href="/events/?month={prv}">Mois précédent</a> <a href="/events/?month={nxt}">Mois suivant</a>'
            "</body></html>\n")
    return SamplePage(200, "text/html; charset=UTF-8", body.encode(), conditional=False)


def _bomb(path: str, query: dict, base: str) -> SamplePage | None:
    """A gzip sitemap of ~20 KB that expands to 20 MB; the one URL after the padding must never be fetched."""
    if path != BOMB_SITEMAP:
        return None
    head = b'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
    tail = f"<url><loc>{base}{BOMB_ONLY_PATH}</loc></url>\n</urlset>\n".encode()
    raw = head + b" " * (BOMB_EXPANDED - len(head) - len(tail)) + tail
    return SamplePage(200, "application/x-gzip", gzip.compress(raw, 9, mtime=0), templated=False, conditional=False)


def _gzip_sitemap(paths: list[str]):
    """A valid gzip sitemap (compressed per request: absolute URLs need the base URL)."""

    def route(path: str, query: dict, base: str) -> SamplePage | None:
        if path != GZIP_SITEMAP:
            return None
        xml = R.urlset([(p, None) for p in paths]).replace(BASE, base).encode()
        return SamplePage(200, "application/x-gzip", gzip.compress(xml, 9, mtime=0), templated=False,
                          conditional=False)

    return route


def _binary(seed: int) -> bytes:
    rng = random.Random(seed)
    return b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nstream\n" + rng.randbytes(48_000) + b"\nendstream\n%%EOF\n"


def _huge_page() -> bytes:
    para = ("<p>Cette page d’archive contient un très long journal technique de la mise à jour du site, "
            "répété jusqu’à dépasser la taille maximale acceptée par le robot.</p>\n").encode()
    head = (b'<!DOCTYPE html><html lang="fr-FR"><head><meta charset="UTF-8"><title>Archive technique</title>'
            b'<meta property="og:type" content="article"></head><body><article><h1>Archive technique</h1>\n')
    tail = b"</article></body></html>\n"
    n = (HUGE_BYTES - len(head) - len(tail)) // len(para) + 1
    return head + para * n + tail


def _broken_feed(links: list[str]) -> bytes:
    """Not well-formed: a bare "&", an HTML entity XML does not know, a bad date, truncated mid-item."""
    items = "".join(f"<item><title>Entrée {i} &nbsp;&mdash; à lire</title><link>{BASE}{p}</link>"
                    f"<pubDate>Lun, 99 Foo 2025</pubDate><description>Texte & suite</description></item>\n"
                    for i, p in enumerate(links))
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>Flux cassé & mal formé'
            f"</title><link>{BASE}/</link>\n{items}<item><title>Tronqu").encode()


def _xxe_feed(link: str) -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE rss [\n<!ENTITY xxe SYSTEM "{XXE_TARGET}">\n]>\n'
            '<rss version="2.0"><channel><title>Flux XXE</title>'
            f"<link>{BASE}/</link><description>&xxe;</description>"
            f"<item><title>Fuite &xxe;</title><link>{BASE}{link}</link><description>&xxe;</description>"
            "<pubDate>Mon, 02 Jun 2025 08:00:00 +0000</pubDate></item></channel></rss>\n").encode()


def _xxe_sitemap(link: str) -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE urlset [\n<!ENTITY xxe SYSTEM "{XXE_TARGET}">\n]>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            f"<url><loc>{BASE}{link}</loc><lastmod>2025-06-02</lastmod></url>\n"
            f"<url><loc>{BASE}/xxe/&xxe;</loc></url>\n</urlset>\n").encode()


def add_traps(site: SampleSite, hidden: list[str]) -> None:
    """Add every trap page to `site` and document the expected outcome of each in `site.traps`."""
    pages, traps = site.pages, site.traps
    listed = [r.path for r in site.releases if r.path not in hidden]
    target, tracked, feed_only, xxe_link = listed[4], listed[6], listed[7], listed[8]
    cp1252_path, utf8_path = hidden
    assert not set(hidden) & set(listed)

    # redirects
    chain = CHAIN + [target]
    for src, dst in zip(chain, chain[1:]):
        pages[src] = _redirect(dst)
    traps[CHAIN[0]] = f"301 chain of {len(CHAIN)} hops to {target}: stored once, under the final URL"
    pages[SHORTLINK] = _redirect(target)
    traps[SHORTLINK] = f"WordPress shortlink, 301 to {target}: no second copy"
    pages[target.rstrip("/")] = _redirect(target)
    traps[target.rstrip("/")] = f"no trailing slash, 301 to {target}: no second copy"
    pages[LOOP[0]], pages[LOOP[1]] = _redirect(LOOP[1]), _redirect(LOOP[0])
    traps[LOOP[0]] = f"redirect loop {LOOP[0]} <-> {LOOP[1]}: ended when the chain comes back to a visited URL (counted errors/redirect_loop), nothing stored"

    # failing statuses
    pages[NOT_FOUND_PATH] = _error_page(404, "Page introuvable")
    traps[NOT_FOUND_PATH] = "404: not retried, nothing stored"
    pages[GONE_PATH] = _error_page(410, "Contenu retiré")
    traps[GONE_PATH] = "410: not retried, nothing stored"
    pages[ERROR_PATH] = _error_page(500, "Erreur interne du serveur")
    traps[ERROR_PATH] = "500 on every attempt: retried a bounded number of times, then given up; nothing stored"

    # slow, huge, binary, non-HTML
    pages[SLOW_PATH] = _html("<!DOCTYPE html><html><head><title>Lente</title></head><body><p>Enfin.</p></body></html>",
                             delay=SLOW_DELAY)
    traps[SLOW_PATH] = f"answers after {SLOW_DELAY:g} s: times out with a shorter download timeout; nothing stored"
    pages[HUGE_PATH] = SamplePage(200, "text/html; charset=UTF-8", _huge_page(), templated=False)
    traps[HUGE_PATH] = f"{HUGE_BYTES // 2**20} MB HTML page: refused by a smaller maximum response size"
    pages[BINARY_PATH] = SamplePage(200, "text/html; charset=UTF-8", _binary(site.seed), templated=False)
    traps[BINARY_PATH] = "PDF bytes served as text/html: noted as non-HTML (sniffed), not parsed, not a release"
    pages[PDF_PATH] = SamplePage(200, "application/pdf", _binary(site.seed + 1), templated=False)
    traps[PDF_PATH] = "application/pdf: noted, not parsed as HTML"

    # robots.txt
    pages[DISALLOWED_PATH] = _html("<!DOCTYPE html><html><body><h1>Brouillon interne</h1></body></html>")
    traps[DISALLOWED_PATH] = "disallowed by robots.txt: never requested"

    # feeds and sitemaps
    pages[BROKEN_FEED] = SamplePage(200, "application/rss+xml; charset=UTF-8", _broken_feed([feed_only, target]))
    traps[BROKEN_FEED] = ("malformed RSS (bare &, unknown entities, bad dates, truncated): no crash; a lenient parser "
                          f"salvages the links of its complete items ({feed_only}, {target})")
    pages[XXE_FEED] = SamplePage(200, "application/rss+xml; charset=UTF-8", _xxe_feed(xxe_link))
    traps[XXE_FEED] = (f"RSS with an external entity to {XXE_TARGET}: entity never resolved, '{PASSWD_MARKER}' "
                       "appears nowhere in what is stored")
    pages[XXE_SITEMAP] = SamplePage(200, "application/xml; charset=UTF-8", _xxe_sitemap(xxe_link))
    traps[XXE_SITEMAP] = f"sitemap with an external entity to {XXE_TARGET}: never resolved; no /xxe/ URL requested"
    site.routes.append((BOMB_SITEMAP, _bomb))
    traps[BOMB_SITEMAP] = (f"gzip sitemap of ~20 KB expanding to {BOMB_EXPANDED // 2**20} MB: refused; "
                           f"{BOMB_ONLY_PATH} (listed only after the padding) never requested")
    pages[BOMB_ONLY_PATH] = _error_page(404, "Ne devrait jamais être demandée")

    site.routes.append((GZIP_SITEMAP, _gzip_sitemap(hidden)))
    traps[GZIP_SITEMAP] = "a valid small gzip sitemap: decompressed and followed (it lists the two mislabelled releases)"

    # infinite calendar
    site.routes.append((CALENDAR, _calendar))
    traps[CALENDAR_START] = "calendar: every month links to the next, forever; requests to /events/ stay bounded"

    # tracking parameters: the same release under several URLs
    for q in TRACKING_QUERIES:
        traps[f"{tracked}?{q}"] = f"same page as {tracked}: canonicalised before the dupefilter, stored once"

    # mislabelled encodings (both are real releases in `site.releases`)
    cp = pages[cp1252_path]
    pages[cp1252_path] = SamplePage(200, "text/html; charset=UTF-8", cp.body.decode("utf-8").encode("cp1252"),
                                    {}, cp.last_modified)
    traps[cp1252_path] = "windows-1252 bytes labelled UTF-8 (header and meta): stored, text decoded correctly"
    u8 = pages[utf8_path]
    relabelled = u8.body.replace(b'<meta charset="UTF-8">', b'<meta charset="windows-1252">')
    pages[utf8_path] = SamplePage(200, "text/html; charset=windows-1252", relabelled, {}, u8.last_modified)
    traps[utf8_path] = "UTF-8 bytes labelled windows-1252 (header and meta): stored, text decoded correctly"

    # where a crawl from the root meets them: the hub, robots.txt, the sitemap index
    links = ([CHAIN[0], SHORTLINK, target.rstrip("/"), LOOP[0], NOT_FOUND_PATH, GONE_PATH, ERROR_PATH, SLOW_PATH,
              HUGE_PATH, BINARY_PATH, PDF_PATH, DISALLOWED_PATH, CALENDAR_START, cp1252_path, utf8_path]
             + [f"{tracked}?{q}" for q in TRACKING_QUERIES])
    items = "\n".join(f'<li><a href="{R.E(href)}">{R.E(href)}</a></li>' for href in links)
    hub = ('<!DOCTYPE html><html lang="fr-FR"><head><meta charset="UTF-8"><title>Archives spéciales</title>\n'
           f'<link rel="alternate" type="application/rss+xml" title="Flux cassé" href="{BROKEN_FEED}">\n'
           f'<link rel="alternate" type="application/rss+xml" title="Flux XXE" href="{XXE_FEED}">\n'
           f'</head><body><h1>Archives spéciales</h1><ul>\n{items}\n</ul></body></html>\n')
    pages[HUB_PATH] = _html(hub)
    traps[HUB_PATH] = "trap hub linked from /: links to every trap page"
    root = pages["/"]
    pages["/"] = SamplePage(200, root.content_type, root.body.replace(
        b'</ul>\n</main>', f'</ul>\n<p><a href="{HUB_PATH}">Archives spéciales</a></p>\n</main>'.encode(), 1),
        root.headers, root.last_modified)
    assert HUB_PATH.encode() in pages["/"].body
    pages["/robots.txt"] = SamplePage(200, "text/plain; charset=UTF-8", R.robots(
        "Disallow: /prive/\n").replace(f"Sitemap: {BASE}/sitemap_index.xml\n",
                                       f"Sitemap: {BASE}/sitemap_index.xml\nSitemap: {BASE}{XXE_SITEMAP}\n").encode(),
        {}, pages["/robots.txt"].last_modified)
    index = pages["/sitemap_index.xml"]
    extra = "".join(f"<sitemap><loc>{BASE}{p}</loc></sitemap>\n" for p in (GZIP_SITEMAP, BOMB_SITEMAP, XXE_SITEMAP))
    pages["/sitemap_index.xml"] = SamplePage(200, index.content_type, index.body.replace(
        b"</sitemapindex>", extra.encode() + b"</sitemapindex>"), {}, index.last_modified)
