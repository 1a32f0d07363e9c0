import codecs

import pytest

from cleaning.core.charset import binary_kind, decode_body, looks_binary


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


@pytest.mark.parametrize("text,body_encoding,label,expected", [
    ("Déjà vu « été »", "cp1252", "text/html; charset=utf-8", "cp1252"),
    ("Déjà vu « été »", "utf-8", "text/html; charset=windows-1252", "utf-8"),
    ("Déjà vu", "latin-1", "text/html; charset=iso-8859-1", "cp1252"),
    ("plain ascii", "ascii", None, "utf-8"),
])
def test_mislabelled_encodings_decode_correctly(text, body_encoding, label, expected):
    decoded, encoding = decode_body(text.encode(body_encoding), label)
    assert (decoded, encoding) == (text, expected)


def test_bom_wins():
    decoded, encoding = decode_body(b"\xef\xbb\xbf" + "é".encode(), "text/html; charset=windows-1252")
    assert (decoded, encoding) == ("é", "utf-8")


def test_meta_charset_decides_when_the_header_has_none():
    from cleaning.core.charset import decode_body

    text = "Zażółć gęślą jaźń"
    body = f'<html><head><meta charset="iso-8859-2"><title>{text}</title></head></html>'.encode("iso-8859-2")
    decoded, encoding = decode_body(body, "text/html")
    assert text in decoded and encoding == "iso8859-2"
    koi = '<meta http-equiv="Content-Type" content="text/html; charset=koi8-r"><p>Привет, мир</p>'.encode("koi8-r")
    assert "Привет, мир" in decode_body(koi, None)[0]


@pytest.mark.parametrize("head, kind", [
    (b"\x89PNG\r\n\x1a\n....", "a PNG image"), (b"%PDF-1.7", "a PDF document"), (b"\x1f\x8b\x08\x00", "gzip data"),
    (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "a WebP image"), (b"RIFF\x00\x00\x00\x00WAVEfmt ", "a RIFF file (audio or video)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office document"), (b"\x01\x02\x03\x00 random", "binary content"),
    (b"<!doctype html><p>x</p>", None), ("<p>é</p>".encode("utf-16"), None),  # UTF-16 text is not binary
])
def test_binary_kind_names_the_format_and_the_crawler_asks_the_same(head, kind):
    from scraper.discovery import is_binary

    assert binary_kind(head) == kind
    assert is_binary(head) is (kind is not None)  # one test for the crawler and the readers
