import codecs

from cleaning.core.charset import decode_body, looks_binary


def test_binary_is_judged_the_same_on_bytes_and_on_decoded_text():
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(32)) * 4
    assert looks_binary(png) and looks_binary(png.decode("latin-1"))
    page = "<html><body><p>Déjà vu</p></body></html>"
    assert not looks_binary(page.encode()) and not looks_binary(page)


def test_utf16_with_a_bom_is_text_not_binary():
    raw = codecs.BOM_UTF16_LE + "Communiqué de presse".encode("utf-16-le")
    assert not looks_binary(raw)
    assert decode_body(raw) == ("Communiqué de presse", "utf-16-le")


def test_an_undeclared_legacy_encoding_is_guessed_and_a_declared_one_trusted():
    cyrillic = ("Пресс-релиз: министерство должно опубликовать доклады об инспекциях немедленно. " * 4).encode("cp1251")
    assert decode_body(cyrillic)[0].startswith("Пресс-релиз")
    assert decode_body(cyrillic, declared="windows-1251")[1] == "cp1251"
