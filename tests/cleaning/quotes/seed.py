"""The seed release's quote paragraphs, as split gives them, shared by the quote tests."""

from pathlib import Path

from cleaning.core.schema import Document, Paragraph

SEED = Path(__file__).resolve().parents[2] / "fixtures" / "dumps" / "seed_fr_amnesty.txt"


def seed_lines() -> list[str]:
    return SEED.read_text(encoding="utf-8").splitlines()



def seed_body() -> list[str]:
    """The opening statement, the five « paragraphs and the pull-quote pair in place, as split gives them."""
    lines = seed_lines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Les États doivent fermement"))
    end = next(i for i, line in enumerate(lines) if line.startswith("Complément d"))
    return lines[start:end]



def seed_document() -> Document:
    return Document(doc_id="seed", input=str(SEED), source="dump", lang="fr",
                    paragraphs=[Paragraph(text) for text in seed_body()])
