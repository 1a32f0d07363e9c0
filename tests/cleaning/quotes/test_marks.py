"""Quote marks: guillemets with any space, apostrophes that are not marks, scare quotes that are not quotes."""

import pytest

from cleaning.quotes import find_quotes


@pytest.mark.parametrize("space", [" ", "\u00a0", "\u202f", ""])
def test_french_guillemets_with_any_space(space):
    text = f"«{space}Nous ne lâcherons rien{space}», a affirmé Karim Benali, coordinateur du collectif."
    (quote,) = find_quotes([text], "fr")
    assert (quote.text, quote.speaker, quote.speaker_role, quote.kind) == (
        "Nous ne lâcherons rien", "Karim Benali", "coordinateur du collectif", "direct")
    assert text[quote.start:quote.end] == "Nous ne lâcherons rien"



def test_apostrophes_and_possessives_are_never_quote_marks():
    assert find_quotes(["The workers’ union didn’t accept the government’s offer in ’98."], "en") == []
    assert find_quotes(["L’ONG s’est rendue à l’hôpital d’Alep aujourd’hui."], "fr") == []



def test_scare_quotes_are_not_quotes():
    assert find_quotes(["More than 170,000 people asked TikTok to fix its “toxic” design."], "en") == []
    assert find_quotes(["La loi dite « sécurité globale » a été adoptée."], "fr") == []
