"""HTML, RSS and sitemap rendering of the sample press room, WordPress style.

Every function returns text (and, for HTML pages, the chrome lines it drew, so the
ground truth knows exactly which lines are not body). Links are root-relative;
absolute URLs (canonical, og:url, feeds, sitemaps, robots.txt) use `{{BASE}}`.
"""

from __future__ import annotations

import json
import zlib
from datetime import datetime
from email.utils import format_datetime
from html import escape

from pressroom.sample_site import phrases as P
from pressroom.sample_site.content import ReleaseDraft, date_en, date_fr, snippet
from pressroom.sample_site.model import BASE_PLACEHOLDER as BASE

E = escape


def release_path(d: ReleaseDraft) -> str:
    return f"{P.CHROME[d.lang]['releases_root']}{d.slug}/"


def section_path(lang: str, section: str) -> str:
    return f"{P.CHROME[lang]['releases_root']}{section}/"


def teaser_of(d: ReleaseDraft) -> dict:
    """A teaser card as shown in "latest news" lists and listings."""
    return dict(title=d.title, url=release_path(d), kicker=d.kicker, snippet=snippet(d.lead or d.paragraphs[0]))


def _nav(lang: str) -> list[tuple[str, str]]:
    c = P.CHROME[lang]
    items = [(c["home_title"], f"/{lang}/"), (c["listing_title"], c["releases_root"])]
    for slug, (fr, en, en_slug) in P.SECTIONS.items():
        items.append((fr, section_path("fr", slug)) if lang == "fr" else (en, section_path("en", en_slug)))
    items.append(c["other_lang"])
    items.append(c["footer_links"][-1])
    return items


def contact_block(lang: str, variant: str) -> str:
    lines = P.CHROME[lang]["contacts"]
    return (f'<aside class="press-contact press-contact--{variant}">\n<h3>{E(lines[0])}</h3>\n<h4>{E(lines[1])}</h4>\n'
            f"<p>{E(lines[2])}</p>\n<p><a href=\"tel:{lines[3].replace(' ', '')}\">{E(lines[3])}</a></p>\n"
            f"<p>{E(lines[4])}</p>\n</aside>\n")


def page(lang: str, *, title: str, head: str, main: str, teasers: list[dict], mobile_contact: bool,
         body_class: str) -> tuple[str, list[str]]:
    """A whole HTML page around `main`, with all the chrome; returns (html, chrome lines)."""
    c = P.CHROME[lang]
    nav = _nav(lang)
    chrome = [c["banner"], c["banner_button"], *[label for label, _ in nav], *c["contacts"], c["latest"]]
    teaser_html = []
    for t in teasers:
        line = f"{t['kicker']}. {t['title']}"
        chrome += [line, t["snippet"]]
        teaser_html.append(f'<li class="teaser"><a href="{t["url"]}"><span class="kicker">{E(t["kicker"])}.</span> '
                           f'{E(t["title"])}</a>\n<p class="teaser-excerpt">{E(t["snippet"])}</p></li>')
    chrome += [c["cookie"], *c["cookie_buttons"], *c["footer"], *[label for label, _ in c["footer_links"]]]
    nav_html = "".join(f'<li class="menu-item"><a href="{href}">{E(label)}</a></li>' for label, href in nav)
    footer_links = "".join(f'<li><a href="{href}">{E(label)}</a></li>' for label, href in c["footer_links"])
    html = f"""<!DOCTYPE html>
<html lang="{'fr-FR' if lang == 'fr' else 'en-GB'}">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{E(title)} - {E(P.SITE_NAME)}</title>
<link rel="alternate" type="application/rss+xml" title="{E(P.SITE_NAME)} &raquo; Flux" href="/feed/">
<meta name="generator" content="WordPress 6.8.1">
{head}</head>
<body class="{body_class}">
<div class="donation-banner" role="region" aria-label="don"><p>{E(c['banner'])}</p>
<a class="button" href="{c['footer_links'][-1][1]}">{E(c['banner_button'])}</a></div>
<header id="masthead" class="site-header">
<a class="custom-logo-link" href="/{lang}/" rel="home"><img src="/wp-content/uploads/logo.svg" alt="{E(P.SITE_NAME)}"></a>
<nav class="main-navigation" aria-label="Menu principal"><ul id="primary-menu" class="menu">{nav_html}</ul></nav>
</header>
{contact_block(lang, 'mobile') if mobile_contact else ''}<div id="content" class="site-content">
<main id="main" class="site-main">
{main}</main>
<aside id="secondary" class="widget-area">
{contact_block(lang, 'desktop')}<section class="widget latest-news"><h2 class="widget-title">{E(c['latest'])}</h2>
<ul>
{chr(10).join(teaser_html)}
</ul></section>
</aside>
</div>
<div id="cookie-notice" class="cookie-notice" role="dialog"><p>{E(c['cookie'])}</p>
{''.join(f'<button type="button">{E(b)}</button>' for b in c['cookie_buttons'])}</div>
<footer id="colophon" class="site-footer">
<p>{E(c['footer'][0])}</p>
<p>{E(c['footer'][1])}</p>
<ul class="footer-menu">{footer_links}</ul>
</footer>
</body>
</html>
"""
    return html, chrome


def _byline(lang: str, authors: list[str]) -> str:
    sep = " et " if lang == "fr" else " and "
    return sep.join(f'<span class="author vcard"><span class="fn">{E(a)}</span></span>' for a in authors)


def _date_label(lang: str, d: datetime) -> str:
    return date_fr(d) if lang == "fr" else date_en(d)


def release_main(d: ReleaseDraft, notes_heading: str, path: str) -> str:
    """The <article> of a release: header, lead, body with headings, lists and pull quote, notes."""
    parts = []
    pending_list: list[str] = []

    def flush():
        if pending_list:
            parts.append("<ul>\n" + "\n".join(f"<li>{E(t)}</li>" for t in pending_list) + "\n</ul>")
            pending_list.clear()

    for i, (text, kind) in enumerate(zip(d.paragraphs, d.kinds)):
        if kind == "list_item":
            pending_list.append(text)
        else:
            flush()
            parts.append(f"<h2>{E(text)}</h2>" if kind == "heading" else f"<p>{E(text)}</p>")
        if d.pull and d.pull_after == i:
            flush()
            parts.append(f'<blockquote class="wp-block-pullquote pullquote"><p>{E(d.pull["text"])}</p>'
                         f'<cite>{E(d.pull["speaker"])}, {E(d.pull["speaker_role"])}</cite></blockquote>')
    flush()
    parts.append(f'<h2 class="notes-heading">{E(notes_heading)}</h2>')
    parts += [f"<p>{E(n)}</p>" for n in d.notes]
    lead = f'<div class="entry-summary chapo lead"><p>{E(d.lead)}</p></div>\n' if d.lead else ""
    c = P.CHROME[d.lang]
    updated = (f' <time class="updated" datetime="{d.modified.isoformat()}">{_date_label(d.lang, d.modified)}</time>'
               if d.modified != d.published else "")
    return f"""<article id="post-{zlib.crc32(path.encode()) % 10**5}" class="post type-post status-publish hentry category-{d.section}">
<header class="entry-header">
<h1 class="entry-title"><span class="kicker">{E(d.kicker)}.</span> {E(d.title)}</h1>
<div class="entry-meta"><time class="entry-date published" datetime="{d.published.isoformat()}">{_date_label(d.lang, d.published)}</time>{updated}
<span class="byline">{c['by']} {_byline(d.lang, d.authors)}</span></div>
</header>
{lead}<div class="entry-content">
{chr(10).join(parts)}
</div>
<footer class="entry-footer"><p class="share-links">{E(c['share'])}</p></footer>
</article>
"""


def release_head(d: ReleaseDraft, path: str) -> str:
    full = f"{d.kicker}. {d.title}"
    desc = snippet(d.lead or d.paragraphs[0])
    ld = {
        "@context": "https://schema.org", "@type": "NewsArticle", "headline": full,
        "datePublished": d.published.isoformat(), "dateModified": d.modified.isoformat(),
        "author": [{"@type": "Person" if a not in ("Service de presse", "Press office") else "Organization", "name": a}
                   for a in d.authors],
        "publisher": {"@type": "Organization", "name": P.SITE_NAME, "logo": {"@type": "ImageObject",
                                                                            "url": f"{BASE}/wp-content/uploads/logo.svg"}},
        "mainEntityOfPage": f"{BASE}{path}", "inLanguage": "fr-FR" if d.lang == "fr" else "en-GB",
        "articleSection": d.kicker,
    }
    return f"""<meta name="description" content="{E(desc)}">
<link rel="canonical" href="{BASE}{path}">
<meta property="og:locale" content="{'fr_FR' if d.lang == 'fr' else 'en_GB'}">
<meta property="og:type" content="article">
<meta property="og:title" content="{E(full)}">
<meta property="og:description" content="{E(desc)}">
<meta property="og:url" content="{BASE}{path}">
<meta property="og:site_name" content="{E(P.SITE_NAME)}">
<meta property="article:published_time" content="{d.published.isoformat()}">
<meta property="article:modified_time" content="{d.modified.isoformat()}">
<meta property="article:section" content="{E(d.kicker)}">
<meta name="author" content="{E(', '.join(d.authors))}">
<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>
"""


def listing_main(lang: str, heading: str, items: list[ReleaseDraft], page_no: int, n_pages: int, base: str) -> str:
    c = P.CHROME[lang]
    cards = []
    for d in items:
        t = teaser_of(d)
        cards.append(f'<article class="post-preview hentry"><h2 class="entry-title"><a href="{t["url"]}" rel="bookmark">'
                     f'<span class="kicker">{E(d.kicker)}.</span> {E(d.title)}</a></h2>\n'
                     f'<time datetime="{d.published.isoformat()}">{_date_label(lang, d.published)}</time>\n'
                     f'<p class="excerpt">{E(t["snippet"])}</p></article>')
    nav = []
    if page_no > 1:
        prev = base if page_no == 2 else f"{base}page/{page_no - 1}/"
        nav.append(f'<a class="prev page-numbers" rel="prev" href="{prev}">{E(c["prev"])}</a>')
    for n in range(1, n_pages + 1):
        href = base if n == 1 else f"{base}page/{n}/"
        nav.append(f'<span aria-current="page" class="page-numbers current">{n}</span>' if n == page_no
                   else f'<a class="page-numbers" href="{href}">{n}</a>')
    if page_no < n_pages:
        nav.append(f'<a class="next page-numbers" rel="next" href="{base}page/{page_no + 1}/">{E(c["next"])}</a>')
    return (f'<header class="page-header"><h1 class="page-title">{E(heading)}</h1></header>\n' + "\n".join(cards)
            + f'\n<nav class="navigation pagination"><div class="nav-links">{"".join(nav)}</div></nav>\n')


def listing_head(path: str, page_no: int, n_pages: int, base: str) -> str:
    rel = [f'<link rel="canonical" href="{BASE}{path}">', '<meta property="og:type" content="website">',
           f'<meta property="og:site_name" content="{E(P.SITE_NAME)}">']
    if page_no > 1:
        rel.append(f'<link rel="prev" href="{base if page_no == 2 else f"{base}page/{page_no - 1}/"}">')
    if page_no < n_pages:
        rel.append(f'<link rel="next" href="{base}page/{page_no + 1}/">')
    ld = {"@context": "https://schema.org", "@type": "CollectionPage", "url": f"{BASE}{path}"}
    rel.append(f'<script type="application/ld+json">{json.dumps(ld)}</script>')
    return "\n".join(rel) + "\n"


def simple_head(path: str) -> str:
    return (f'<link rel="canonical" href="{BASE}{path}">\n<meta property="og:type" content="website">\n'
            f'<meta property="og:site_name" content="{E(P.SITE_NAME)}">\n')


def feed_footer(d: ReleaseDraft) -> str:
    return f"The post {d.kicker}. {d.title} appeared first on {P.SITE_NAME}."


def feed_item_content(d: ReleaseDraft, notes_heading: str, path: str) -> str:
    """content:encoded as WordPress + Yoast write it: the post body, then the footer."""
    body = []
    if d.lead:
        body.append(f"<p>{E(d.lead)}</p>")
    for text, kind in zip(d.paragraphs, d.kinds):
        body.append(f"<h2>{E(text)}</h2>" if kind == "heading" else
                    f"<ul><li>{E(text)}</li></ul>" if kind == "list_item" else f"<p>{E(text)}</p>")
    body.append(f"<h2>{E(notes_heading)}</h2>")
    body += [f"<p>{E(n)}</p>" for n in d.notes]
    body.append(f'<p>The post <a href="{BASE}{path}">{E(d.kicker)}. {E(d.title)}</a> appeared first on '
                f'<a href="{BASE}/">{E(P.SITE_NAME)}</a>.</p>')
    return "\n".join(body)


def rss(items: list[ReleaseDraft], notes_heading: dict, self_path: str, lang: str | None, build: datetime) -> str:
    out = []
    for d in items:
        path = release_path(d)
        desc = E(snippet(d.lead or d.paragraphs[0])) + " [&#8230;]"
        cats = f"<category><![CDATA[{d.kicker}]]></category>"
        creators = "".join(f"<dc:creator><![CDATA[{a}]]></dc:creator>" for a in d.authors)
        out.append(f"""<item>
<title>{E(d.kicker)}. {E(d.title)}</title>
<link>{BASE}{path}</link>
{creators}
<pubDate>{format_datetime(d.published, usegmt=True)}</pubDate>
{cats}
<guid isPermaLink="false">{BASE}{path}</guid>
<description><![CDATA[{desc}]]></description>
<content:encoded><![CDATA[{feed_item_content(d, notes_heading[d.lang], path)}]]></content:encoded>
</item>""")
    language = {"fr": "fr-FR", "en": "en-GB", None: "fr-FR"}[lang]
    return f"""<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"
 xmlns:content="http://purl.org/rss/1.0/modules/content/"
 xmlns:wfw="http://wellformedweb.org/CommentAPI/"
 xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:atom="http://www.w3.org/2005/Atom"
 xmlns:sy="http://purl.org/rss/1.0/modules/syndication/">
<channel>
<title>{E(P.SITE_NAME)}</title>
<atom:link href="{BASE}{self_path}" rel="self" type="application/rss+xml" />
<link>{BASE}/</link>
<description>Communiqués de presse et actualités</description>
<lastBuildDate>{format_datetime(build, usegmt=True)}</lastBuildDate>
<language>{language}</language>
<sy:updatePeriod>hourly</sy:updatePeriod>
<generator>https://wordpress.org/?v=6.8.1</generator>
{chr(10).join(out)}
</channel>
</rss>
"""


def sitemap_index(entries: list[tuple[str, datetime]]) -> str:
    rows = "\n".join(f"<sitemap><loc>{BASE}{p}</loc><lastmod>{d.isoformat()}</lastmod></sitemap>" for p, d in entries)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + rows + "\n</sitemapindex>\n")


def urlset(entries: list[tuple[str, datetime | None]]) -> str:
    rows = "\n".join(f"<url><loc>{BASE}{p}</loc>" + (f"<lastmod>{d.isoformat()}</lastmod>" if d else "") + "</url>"
                     for p, d in entries)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + rows + "\n</urlset>\n")


def news_sitemap(items: list[ReleaseDraft]) -> str:
    """A Google News sitemap (Yoast News SEO style) with news:publication_date."""
    rows = []
    for d in items:
        rows.append(f"<url><loc>{BASE}{release_path(d)}</loc><news:news><news:publication>"
                    f"<news:name>{E(P.SITE_NAME)}</news:name><news:language>{d.lang}</news:language></news:publication>"
                    f"<news:publication_date>{d.published.isoformat()}</news:publication_date>"
                    f"<news:title>{E(d.kicker)}. {E(d.title)}</news:title></news:news></url>")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">\n' + "\n".join(rows) + "\n</urlset>\n")


def robots(extra: str = "") -> str:
    return ("User-agent: *\nDisallow: /wp-admin/\nAllow: /wp-admin/admin-ajax.php\n" + extra +
            f"\nSitemap: {BASE}/sitemap_index.xml\n")
