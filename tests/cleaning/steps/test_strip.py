"""Pass 2: site boilerplate, repeats, sandwiches, safeguards, reasons, the audit table and command."""

from __future__ import annotations

import io
import random
from pathlib import Path

import pyarrow.parquet as pq

from cleaning.core.options import CleanOptions
from cleaning.core.schema import Block, BlockKind, Document, PageMeta, Reason
from cleaning.steps.sitemodel import build_site_model
from cleaning.core.stats import Stats
from cleaning.steps.strip import GUTTED, strip_boilerplate, write_boilerplate
from pressroom.inspect_boilerplate import print_boilerplate

OPTS = CleanOptions()
SEED = Path(__file__).resolve().parents[2] / "fixtures" / "dumps" / "seed_fr_amnesty.txt"
WORDS = ("rapport droits enquête sanctions justice cour victimes états assemblée session décret "
         "organisation militants pétition accord climat santé personnes mondial gouvernement").split()
CONTACT = ["Espace journalistes", "Contact presse", "Pour toute demande d'interview :", "+33 6 76 94 37 05"]
BANNER = "En faisant un don, vous agissez pour protéger celles et ceux qui sont victimes."


def para(rng: random.Random, n: int = 30) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def dump_doc(doc_id: str, lines: list[str], site: str = "amnesty.example", **kw) -> Document:
    blocks = [Block(text=t, position=i) for i, t in enumerate(lines)]
    return Document(doc_id=doc_id, input=doc_id, source="dump", blocks=blocks, site=site, **kw)


def site_docs(n: int, seed: int = 1, extra=None) -> tuple[list[Document], list[str]]:
    """n releases: banner, contacts, title, body, feed footer, contacts again, teasers of the 3 previous."""
    rng = random.Random(seed)
    releases = [(f"Monde. Titre numéro {' '.join(rng.sample(WORDS, 6))}", [para(rng) for _ in range(3)])
                for _ in range(n)]
    docs = []
    for i, (title, body) in enumerate(releases):
        body = list(body) if extra is None else extra(i, list(body))
        teasers = []
        for k in range(1, min(3, n - 1) + 1):
            t_title, t_body = releases[(i - k) % n]
            teasers += [t_title, t_body[0][:100] + "..."]
        lines = [BANNER, *CONTACT, title, *body, f"The post {title} appeared first on Amnesty International.",
                 *CONTACT, *teasers]
        docs.append(dump_doc(f"d{i:03d}", lines))
    return docs, [t for t, _ in releases]


def strip_all(docs: list[Document], opts: CleanOptions = OPTS) -> tuple[list[Document], Stats]:
    stats = Stats()
    model = build_site_model(docs, opts)
    return [strip_boilerplate(d, model, opts, stats) for d in docs], stats


def texts(doc: Document) -> list[str]:
    return [b.text for b in doc.kept_blocks]


def reasons(doc: Document) -> dict[str, str]:
    return {r.text: r.reason for r in doc.stripped}


def test_site_boilerplate_is_stripped_and_body_kept():
    docs, titles = site_docs(20)
    out, stats = strip_all(docs)
    for before, after, title in zip(docs, out, titles):
        assert texts(after) == [title] + texts(before)[6:9]
        assert BANNER not in texts(after) and "Contact presse" not in texts(after)
        assert len(after.stripped) == len(before.blocks) - len(after.kept_blocks)
        assert [b.text for b in after.blocks] == [b.text for b in before.blocks]  # marked in place, none dropped
        assert after.removed == []  # split reports them
        assert "gutted" not in after.quality_flags
    assert stats["strip/blocks_removed"] == sum(len(d.stripped) for d in out)


def test_removed_blocks_carry_reasons_contacts_and_feed_footer():
    docs, titles = site_docs(20)
    out, _ = strip_all(docs)
    why = reasons(out[5])
    for line in CONTACT:
        assert why[line] == Reason.CONTACTS.value  # the split step reports contacts from removed
    assert why[f"The post {titles[5]} appeared first on Amnesty International."] == Reason.FEED_FOOTER.value
    assert why[titles[4]] == Reason.TEASER.value
    assert why[BANNER] in (Reason.BANNER.value, Reason.SITE_BOILERPLATE.value)  # banner when the lexicon knows


def test_title_that_is_a_teaser_elsewhere_stays_on_its_own_page():
    docs, titles = site_docs(20)
    # no feed footer and no metadata: the title is recognised as the headline over the body
    bare = [d.replace(blocks=[b for b in d.blocks if not b.text.startswith("The post")]) for d in docs]
    for variant in (docs, bare):
        out, _ = strip_all(variant)
        for i, doc in enumerate(out):
            assert texts(doc)[0] == titles[i]
            assert titles[(i - 1) % 20] not in texts(doc)  # as a teaser it goes


def test_title_known_from_metadata_is_protected():
    docs, titles = site_docs(20)
    docs[7] = docs[7].replace(blocks=[b for b in docs[7].blocks if b.text != titles[7]][:1]
                              + [Block(titles[7], position=99)] + docs[7].blocks[6:],
                              meta=PageMeta(title=titles[7].removeprefix("Monde. ")))
    out, _ = strip_all(docs)
    assert titles[7] in texts(out[7])


def test_h1_is_protected_and_dom_path_separates_body_from_sidebar():
    rng = random.Random(4)
    shared = "Une phrase partagée entre le corps et la barre latérale du site."
    docs = []
    for i in range(10):
        blocks = [Block("Titre commun des pages", kind=BlockKind.HEADING, dom_path="html/body/main/h1", position=0),
                  Block(para(rng), dom_path="html/body/main/p", position=1),
                  Block(shared, dom_path="html/body/aside/p", position=2, main=False)]
        if i == 0:
            blocks.append(Block(shared, dom_path="html/body/main/p", position=3))
        docs.append(Document(doc_id=f"h{i}", input=f"h{i}", source="html", blocks=blocks, site="h.example"))
    out, _ = strip_all(docs)
    assert all(texts(d)[0] == "Titre commun des pages" for d in out)
    assert [b.dom_path for b in out[0].kept_blocks if b.text == shared] == ["html/body/main/p"]
    assert all(shared not in texts(d) for d in out[1:])


def test_quote_shared_by_three_releases_stays():
    quote = "« Les États doivent protéger la capacité de la Cour à mener son mandat, a déclaré la directrice. »"
    docs, _ = site_docs(30, extra=lambda i, body: body[:1] + [quote] + body[1:] if i in (3, 11, 20) else body)
    out, _ = strip_all(docs)
    for i in (3, 11, 20):
        assert quote in texts(out[i])


def test_genuine_short_line_in_a_tenth_of_documents_stays_inside_the_body():
    line = "Lire le rapport complet."
    docs, _ = site_docs(40, extra=lambda i, body: body[:2] + [line] + body[2:] if i % 10 == 0 else body)
    out, _ = strip_all(docs)
    assert all(line in texts(out[i]) for i in range(0, 40, 10))


def test_three_document_site_keeps_its_body():
    docs, titles = site_docs(3)
    out, _ = strip_all(docs)
    for before, after, title in zip(docs, out, titles):
        body = before.blocks[6:9]
        assert texts(after) == [title] + [b.text for b in body]


def test_within_document_repeats_keep_the_first_copy():
    text = SEED.read_text(encoding="utf-8")
    doc = dump_doc("seed", [line.strip() for line in text.splitlines() if line.strip()])
    out, stats = strip_all([doc])
    kept = texts(out[0])
    assert kept.count("Contact presse") == 1 and kept.count("+33 6 76 94 37 05") == 1
    assert kept.index("Contact presse") < 5  # the first copy, for the split step to turn into contacts
    assert len(out[0].stripped) == 10 and {r.reason for r in out[0].stripped} == {Reason.CONTACTS.value}
    assert stats["strip/removed/contacts"] == 10


def test_repeat_reason_and_min_chars():
    long_line = "Une longue ligne répétée deux fois dans le même document sans indice."
    doc = dump_doc("r", ["Titre", long_line, "Court", "Corps unique du document, assez long pour compter.",
                         long_line, "Court"])
    out, _ = strip_all([doc])
    assert texts(out[0]) == ["Titre", long_line, "Court", "Corps unique du document, assez long pour compter."]
    assert reasons(out[0]) == {long_line: Reason.REPEAT.value, "Court": Reason.REPEAT.value}
    strict, _ = strip_all([doc], CleanOptions(repeat_min_chars=500))
    assert texts(strict[0]) == texts(doc)


def test_short_run_sandwiched_between_stripped_blocks_goes():
    rng = random.Random(2)
    docs = [dump_doc(f"s{i}", ["Bandeau : soutenez notre action", f"Ligne {w}", "Nous suivre sur les réseaux sociaux",
                               f"Titre {w} et {i}", para(rng)]) for i, w in enumerate(WORDS[:12])]
    out, _ = strip_all(docs)
    for d in out:
        assert [b.position for b in d.kept_blocks] == [3, 4]
        assert [r.reason for r in d.stripped if r.text.startswith("Ligne")] == [Reason.SANDWICHED.value]


def test_document_that_would_be_gutted_is_flagged_instead():
    rng = random.Random(5)
    body = [para(rng) for _ in range(3)]
    docs = [dump_doc(f"g{i}", [f"Titre unique {w}"] + body) for i, w in enumerate(WORDS[:6])]
    out, stats = strip_all(docs)
    for before, after in zip(docs, out):
        assert GUTTED in after.quality_flags and texts(after) == texts(before)
    assert stats["strip/gutted"] == 6
    nav = Block("Accueil | Actualités | Nous contacter", dom_path="html/body/nav", main=False)
    html_docs = [d.replace(blocks=[nav, *d.blocks]) for d in docs]
    out, _ = strip_all(html_docs)
    assert all(GUTTED in d.quality_flags and texts(d) == texts(before) for d, before in zip(out, docs))


def test_result_does_not_depend_on_input_order():
    docs, _ = site_docs(25)
    out, _ = strip_all(docs)
    shuffled = docs[:]
    random.Random(1).shuffle(shuffled)
    out2, _ = strip_all(shuffled)
    by_id = {d.doc_id: d for d in out2}
    assert all(texts(d) == texts(by_id[d.doc_id]) and d.stripped == by_id[d.doc_id].stripped for d in out)


def test_sites_are_modelled_separately():
    docs, _ = site_docs(10)
    lone = dump_doc("other", [BANNER, "Un corps tout à fait différent sur un autre site."], site="other.example")
    out, _ = strip_all(docs + [lone])
    assert texts(out[-1]) == texts(lone)


def test_boilerplate_table_is_written_and_listed(tmp_path):
    docs, _ = site_docs(12)
    model = build_site_model(docs, OPTS)
    path = write_boilerplate(model, tmp_path)
    assert path == tmp_path / "boilerplate" and (path / "site_key=amnesty.example").is_dir()
    rows = pq.read_table(path).to_pylist()
    assert {r["reason"] for r in rows if r["text"] in CONTACT} == {"contacts"}
    buf = io.StringIO()
    assert print_boilerplate(tmp_path, top=3, file=buf) == 0
    shown = buf.getvalue()
    assert "amnesty.example  (12 documents" in shown and len(shown.strip().splitlines()) == 4
    assert print_boilerplate(tmp_path / "nothing-here", top=3, file=io.StringIO()) != 0


def test_one_html_page_keeps_a_line_the_main_content_repeats():
    """One page, no site model: a line the witness marked main twice is the article's own
    (a meal plan's "1 tsp. nut butter" every day); a copy outside the main content still goes."""
    lines = [("Day one", True), ("Recharge, 1 tsp. nut butter and one cup of blueberries", True),
             ("Day two", True), ("Recharge, 1 tsp. nut butter and one cup of blueberries", True),
             ("Recharge, 1 tsp. nut butter and one cup of blueberries", False)]
    blocks = [Block(text=t, position=i, dom_path=f"body/article/p[{i}]", main=m) for i, (t, m) in enumerate(lines)]
    doc = Document(doc_id="one", input="one", source="html", blocks=blocks, site="ex.org")
    out, _ = strip_all([doc])
    assert [b.position for b in out[0].kept_blocks] == [0, 1, 2, 3]
    assert reasons(out[0]) == {lines[4][0]: Reason.REPEAT.value}
    dumped, _ = strip_all([dump_doc("one", [t for t, _ in lines])])  # a dump has no witness: repeats go
    assert texts(dumped[0]) == [lines[0][0], lines[1][0], lines[2][0]]
