"""Contact headings as releases write them: in two languages at once, one word, or "Label : Name".

The cues are the lexicon's (cleaning/lexicon/xx.toml `contacts`); a bilingual heading is two
cues joined by a slash or a bar, and a label line is a cue, a colon, and whom to reach.
"""

from __future__ import annotations

import pytest

from cleaning.core.options import DEFAULT_OPTIONS
from cleaning.core.schema import Block, Document
from cleaning.core.stats import Stats
from cleaning.lexicon import cues
from cleaning.steps.split import split_document

BODY = [
    "Les riverains du Saint-Maurice demandent la suspension du permis accordé au barrage de La Gabelle jusqu’à la "
    "publication d’une étude complète du bassin versant, a déclaré l’Alliance Rivières Vivantes.",
    "« La province précipite un permis sans la science pour l’appuyer », a déclaré Sophie Lachance, directrice "
    "générale de l’Alliance Rivières Vivantes, lors d’une conférence de presse à Trois-Rivières.",
]


def _split(lines: list[str]) -> Document:
    doc = Document(doc_id="d", input="x.txt", source="dump",
                   blocks=[Block(text=t, position=i) for i, t in enumerate(lines)])
    return split_document(doc, DEFAULT_OPTIONS, Stats())


@pytest.mark.parametrize("contact", [
    ["Media contact / Contact médias", "Inès Bouchard, conseillère en communication", "+1 514 555 0182",
     "ines.bouchard@rivieresvivantes.org"],
    ["Contact médias | Media contact", "Inès Bouchard", "ines.bouchard@rivieresvivantes.org"],
    ["Presse", "Inès Bouchard", "+33 6 12 34 56 78"],
    ["Relations presse : Inès Bouchard", "+33 6 12 34 56 78"],
    ["Press: Jane Okafor, communications officer", "+44 20 7946 0321"],
])
def test_contact_blocks_leave_the_body(contact):
    doc = _split(["Saint-Maurice : les riverains demandent une étude avant le permis"] + BODY + contact)
    assert [p.text for p in doc.paragraphs] == BODY
    assert doc.contacts == contact


@pytest.mark.parametrize("line, heading, label", [
    ("Media contact / Contact médias", True, False),
    ("Kontakt für Medien / Pressekontakt", True, False),
    ("Presse", True, False),
    ("Relations presse : Inès Bouchard", False, True),
    ("Contact presse : ines.bouchard@rivieresvivantes.org", False, True),
    # a cue word inside prose is no heading, and a colon line must name someone
    ("Media / the government has not responded", False, False),
    ("Presse : le texte sera examiné en commission la semaine prochaine", False, False),
    ("Contexte : Inès Bouchard", False, False),
])
def test_heading_and_label_shapes(line, heading, label):
    assert cues().is_contact_heading(line) is heading
    assert cues().is_contact_label(line) is label
