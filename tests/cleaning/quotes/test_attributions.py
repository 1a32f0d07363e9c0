"""Attribution forms: who said it, before or after the quote, by pronoun inversion, "according to"; odd tails."""

import pytest

from cleaning.quotes import find_quotes
from cleaning.quotes.attributions import tail_is_adjunct
from cleaning.quotes.lexicon import quote_lexicon


@pytest.mark.parametrize("tail", [" — , as talks opened", " *** ", " – -, then"])
def test_punctuation_only_tail_is_not_an_index_error(tail):
    assert tail_is_adjunct(tail, quote_lexicon(), "said") is False


def test_adjunct_tail_still_recognised():
    assert tail_is_adjunct(" on Monday", quote_lexicon(), "said") is True


@pytest.mark.parametrize("cue", ["a-t-il ajouté", "a‑t‑il ajouté", "ajoute-t-il", "poursuit-il"])
def test_pronoun_inversion_takes_the_last_speaker(cue):
    paragraphs = ["« La loi est injuste », a déclaré Paul Girard, avocat.", f"« Elle doit être abrogée », {cue}."]
    quotes = find_quotes(paragraphs, "fr")
    assert [(q.text, q.speaker) for q in quotes] == [("La loi est injuste", "Paul Girard"),
                                                    ("Elle doit être abrogée", "Paul Girard")]



@pytest.mark.parametrize("text", [
    "“We will not be silenced,” said Jane Doe, director at Free Voices.",
    "\"We will not be silenced,\" said Jane Doe, director at Free Voices.",
    "“We will not be silenced,” Jane Doe, director at Free Voices, said.",
    "Jane Doe, director at Free Voices, said: “We will not be silenced,”",
])
def test_english_attribution_orders_and_marks(text):
    (quote,) = find_quotes([text], "en")
    assert quote.text.rstrip(",") == "We will not be silenced"
    assert (quote.speaker, quote.speaker_role, quote.kind) == ("Jane Doe", "director at Free Voices", "direct")



def test_according_to_and_selon_name_the_source():
    (en,) = find_quotes(["At least 57 people were killed during the protests, according to Amnesty International."], "en")
    (fr,) = find_quotes(["Selon Human Rights Watch, au moins 300 personnes ont été arrêtées."], "fr")
    assert (en.kind, en.speaker, en.cue) == ("indirect", "Amnesty International", "according to")
    assert (fr.kind, fr.speaker, fr.cue) == ("indirect", "Human Rights Watch", "Selon")



def test_quote_block_kind_is_a_quote_even_without_marks():
    paragraphs = ["Witnesses described the raid.", "They broke down the door at dawn.", "— Mariam Saleh, resident"]
    (quote,) = find_quotes(paragraphs, "en", ["paragraph", "quote", "caption"])
    assert (quote.text, quote.speaker, quote.paragraph) == ("They broke down the door at dawn.", "Mariam Saleh", 1)
