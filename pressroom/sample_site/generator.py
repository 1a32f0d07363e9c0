"""Assemble the sample press room: release pages, listings, feeds, sitemaps, robots.txt.

`generate_site(variant, seed)` is deterministic for a seed and returns the pages with
their ground truth. The "traps" variant adds the crawler traps of `traps.py`.
"""

from __future__ import annotations

from datetime import timedelta

from pressroom.sample_site import phrases as P
from pressroom.sample_site import render as R
from pressroom.sample_site.content import ReleaseDraft, date_en, date_fr, write_releases
from pressroom.sample_site.model import ReleaseTruth, SamplePage, SampleSite

PER_PAGE = 10
FEED_ITEMS = 20
NEWS_ITEMS = 20  # the news sitemap lists the newest releases
TEASERS = 5
FEATURED_RANK = 8  # the featured French release: the 9th newest, pinned in every French teaser list

HTML = "text/html; charset=UTF-8"
RSS = "application/rss+xml; charset=UTF-8"
XML = "application/xml; charset=UTF-8"
TEXT = "text/plain; charset=UTF-8"
NOTES_HEADING = {"fr": P.FR["notes_heading"], "en": P.EN["notes_heading"]}


def generate_site(variant: str = "default", seed: int = 0, edited: tuple[str, ...] = ()) -> SampleSite:
    """The sample site for a variant ("default" or "traps"); `edited` lists release paths
    that got an update (see `with_edited_releases`)."""
    if variant not in ("default", "traps"):
        raise ValueError(f"unknown sample site variant {variant!r} (expected 'default' or 'traps')")
    drafts = write_releases(seed)
    # the traps variant adds two releases reachable only from its trap hub (served mislabelled)
    hidden = write_releases(seed + 7919, n_fr=2, n_en=0) if variant == "traps" else []
    for d in drafts + hidden:
        if R.release_path(d) in edited:
            _apply_edit(d)
    site = _build(drafts, variant, seed, hidden)
    site.edited = tuple(edited)
    if variant == "traps":
        from pressroom.sample_site.traps import add_traps

        add_traps(site, [R.release_path(d) for d in hidden])
    return site


def _apply_edit(d: ReleaseDraft) -> None:
    d.modified = d.modified + timedelta(days=2)
    if d.lang == "fr":
        text = (f"Mise à jour : ce communiqué publié le {date_fr(d.published)} a été complété le "
                f"{date_fr(d.modified)} après de nouveaux échanges avec les autorités.")
    else:
        text = (f"Update: this press release, first published on {date_en(d.published)}, was updated on "
                f"{date_en(d.modified)} after further exchanges with the authorities.")
    d.paragraphs.append(text)
    d.kinds.append("paragraph")


def _html_page(html: str, last_modified) -> SamplePage:
    return SamplePage(200, HTML, html.encode("utf-8"), {}, last_modified)


def _build(drafts: list[ReleaseDraft], variant: str, seed: int, hidden: list[ReleaseDraft] = ()) -> SampleSite:
    """All pages; `hidden` releases get pages and truth but appear in no listing, feed or sitemap."""
    newest = sorted(drafts, key=lambda d: d.published, reverse=True)
    by_lang = {lang: [d for d in newest if d.lang == lang] for lang in ("fr", "en")}
    featured = by_lang["fr"][FEATURED_RANK]
    featured.traps.append("title_as_teaser")
    updated = max(d.modified for d in drafts)
    pages: dict[str, SamplePage] = {}

    def teasers_for(lang: str, exclude: str | None) -> list[dict]:
        pool = ([featured] if lang == "fr" else []) + by_lang[lang]
        out, seen = [], set()
        for d in pool:
            path = R.release_path(d)
            if path in seen or (path == exclude and d is not featured):
                continue
            seen.add(path)
            out.append(R.teaser_of(d))
            if len(out) == TEASERS:
                break
        return out

    # release pages
    releases = []
    for rank, d in enumerate(newest + list(hidden)):
        path = R.release_path(d)
        teasers = teasers_for(d.lang, path)
        html, chrome = R.page(d.lang, title=f"{d.kicker}. {d.title}", head=R.release_head(d, path),
                              main=R.release_main(d, NOTES_HEADING[d.lang], path), teasers=teasers,
                              mobile_contact=rank % 3 == 0, body_class="post-template-default single single-post")
        chrome.append(P.CHROME[d.lang]["share"])
        pages[path] = _html_page(html, d.modified)
        quotes = [dict(q, paragraphs=list(q["paragraphs"])) for q in d.quotes]
        releases.append(ReleaseTruth(
            path=path, lang=d.lang, section=d.section, kicker=d.kicker, title=d.title, published=d.published,
            modified=d.modified, authors=list(d.authors), lead=d.lead, paragraphs=list(d.paragraphs),
            paragraph_kinds=list(d.kinds), notes=list(d.notes), notes_heading=NOTES_HEADING[d.lang],
            contacts=list(P.CHROME[d.lang]["contacts"]), teasers=teasers, quotes=quotes, chrome_lines=chrome,
            pull_after=d.pull_after, feed_footer=R.feed_footer(d), site_name=P.SITE_NAME, traps=list(d.traps)))

    # listings: per language, and per language and section
    listing_paths = []
    for lang, items in by_lang.items():
        c = P.CHROME[lang]
        groups = [(c["listing_title"], c["releases_root"], items)]
        for slug, (fr, en, en_slug) in P.SECTIONS.items():
            s = slug if lang == "fr" else en_slug
            groups.append((f"{c['listing_title']} : {fr}" if lang == "fr" else f"{c['listing_title']}: {en}",
                           R.section_path(lang, s), [d for d in items if d.section == s]))
        for heading, base, group in groups:
            n_pages = max(1, -(-len(group) // PER_PAGE))
            for n in range(1, n_pages + 1):
                path = base if n == 1 else f"{base}page/{n}/"
                chunk = group[(n - 1) * PER_PAGE:n * PER_PAGE]
                html, _ = R.page(lang, title=heading if n == 1 else f"{heading} - page {n}",
                                 head=R.listing_head(path, n, n_pages, base),
                                 main=R.listing_main(lang, heading, chunk, n, n_pages, base),
                                 teasers=teasers_for(lang, None), mobile_contact=False, body_class="archive category")
                pages[path] = _html_page(html, max((d.modified for d in chunk), default=updated))
                listing_paths.append(path)

    # home pages and static pages
    for lang in ("fr", "en"):
        c = P.CHROME[lang]
        main = (f'<h1>{R.E(c["home_title"])}</h1>\n'
                + R.listing_main(lang, c["listing_title"], by_lang[lang][:PER_PAGE], 1, 1, c["releases_root"])
                + f'<p><a href="{c["releases_root"]}">{R.E(c["listing_title"])}</a></p>\n')
        html, _ = R.page(lang, title=c["home_title"], head=R.simple_head(f"/{lang}/"), main=main,
                         teasers=teasers_for(lang, None), mobile_contact=True, body_class="home page")
        pages[f"/{lang}/"] = _html_page(html, updated)
        for label, href in c["footer_links"]:
            main = f"<article class=\"page\"><h1>{R.E(label)}</h1>\n<p>{R.E(c['footer'][1])}</p></article>\n"
            html, _ = R.page(lang, title=label, head=R.simple_head(href), main=main, teasers=teasers_for(lang, None),
                             mobile_contact=False, body_class="page")
            pages[href] = _html_page(html, updated)
    root_main = ('<h1>Vigie Internationale</h1>\n<ul class="language-switcher"><li><a href="/fr/" hreflang="fr">Français</a>'
                 '</li><li><a href="/en/" hreflang="en">English</a></li></ul>\n')
    html, _ = R.page("fr", title="Accueil", head=R.simple_head("/"), main=root_main, teasers=teasers_for("fr", None),
                     mobile_contact=False, body_class="home")
    pages["/"] = _html_page(html, updated)

    # feeds, sitemaps, robots.txt
    for path, items, lang in (("/feed/", newest, None), ("/fr/feed/", by_lang["fr"], "fr"),
                              ("/en/feed/", by_lang["en"], "en")):
        body = R.rss(items[:FEED_ITEMS], NOTES_HEADING, path, lang, updated)
        pages[path] = SamplePage(200, RSS, body.encode("utf-8"), {}, max(d.modified for d in items[:FEED_ITEMS]))
    post_entries = [(R.release_path(d), d.modified) for d in newest]
    static_paths = ["/", "/fr/", "/en/"] + listing_paths
    pages["/post-sitemap.xml"] = SamplePage(200, XML, R.urlset(post_entries).encode(), {}, updated)
    pages["/page-sitemap.xml"] = SamplePage(200, XML, R.urlset([(p, None) for p in static_paths]).encode(), {}, updated)
    pages["/news-sitemap.xml"] = SamplePage(200, XML, R.news_sitemap(newest[:NEWS_ITEMS]).encode(), {}, updated)
    pages["/sitemap_index.xml"] = SamplePage(200, XML, R.sitemap_index(
        [("/post-sitemap.xml", updated), ("/page-sitemap.xml", updated), ("/news-sitemap.xml", updated)]).encode(),
        {}, updated)
    pages["/robots.txt"] = SamplePage(200, TEXT, R.robots().encode(), {}, updated)

    traps = {
        "shared_quote_sentence": (f"the sentence {P.FR['shared_quote']!r} is quoted in the bodies of "
                                  + " and ".join(r.path for r in releases if "shared_quote_sentence" in r.traps)
                                  + "; it is body in both (repeated in 2 releases only, not boilerplate)"),
        "title_as_teaser": (f"{R.release_path(featured)} is pinned as the first teaser of every French page, its own "
                            "included: its title line is a teaser elsewhere but the title of that release"),
    }
    return SampleSite(variant=variant, seed=seed, pages=pages, releases=releases, site_name=P.SITE_NAME, traps=traps)


def with_edited_releases(site: SampleSite, paths) -> SampleSite:
    """The same site where each given release gained an update paragraph and a later
    modification date: what an incremental re-crawl must re-fetch."""
    return generate_site(site.variant, site.seed, edited=tuple(sorted(set(site.edited) | set(paths))))
