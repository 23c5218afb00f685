"""content_hash, decoding with fallbacks, text cleaning."""

from __future__ import annotations

import hashlib
import unicodedata

import pytest

from tocsin.sources import content_hash
from tocsin.sources.text import clean_text, declared_charset, decode

TEXT = "Shelling hit Kherson’s Dniprovskyi district overnight, café owners said."


def test_hash_is_sha256_of_normalised_text() -> None:
    expected = hashlib.sha256(" ".join(TEXT.split()).encode("utf-8")).hexdigest()
    assert content_hash(TEXT) == expected
    assert len(content_hash(TEXT)) == 64


@pytest.mark.parametrize(
    "variant",
    [
        unicodedata.normalize("NFD", TEXT),  # decomposed é
        TEXT.replace(" ", "  "),  # doubled spaces
        "\n" + TEXT.replace(", ", ",\r\n") + "\n\n",  # CRLF line breaks and outer whitespace
        TEXT.replace(" ", "\t"),  # tabs
    ],
)
def test_hash_is_idempotent_across_spacing_and_composition(variant: str) -> None:
    assert variant != TEXT
    assert content_hash(variant) == content_hash(TEXT)


def test_hash_differs_for_different_text() -> None:
    assert content_hash(TEXT) != content_hash(TEXT.replace("Kherson", "Kharkiv"))
    assert content_hash("a b") != content_hash("ab")


@pytest.mark.parametrize(
    ("data", "text", "fallback"),
    [
        ("Aleppo – Sheikh Maqsoud".encode(), "Aleppo – Sheikh Maqsoud", None),  # UTF-8
        (b"\xef\xbb\xbfAleppo", "Aleppo", None),  # UTF-8 with a BOM: BOM dropped
        (b"caf\xe9 \x93quoted\x94", "café “quoted”", "cp1252"),  # Windows quotes: cp1252
        (b"caf\xe9 \x81", "café \x81", "latin-1"),  # 0x81 is undefined in cp1252: latin-1
    ],
)
def test_decode_fallbacks(data: bytes, text: str, fallback: str | None) -> None:
    assert decode(data) == (text, fallback)


def test_decode_uses_declared_charset_before_fallbacks() -> None:
    data = '<meta charset="windows-1256"><p>قصف على حلب</p>'.encode("cp1256")
    charset = declared_charset(data)
    assert charset == "cp1256"
    assert decode(data, charset) == ('<meta charset="windows-1256"><p>قصف على حلب</p>', None)


def test_clean_text() -> None:
    raw = "  ALEPPO -\u00a0Fighting   broke out.\r\n\r\n\r\n\r\nResidents fled.\t \n"
    assert clean_text(raw) == "ALEPPO - Fighting broke out.\n\nResidents fled."


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Already clean.\n\nTwo paragraphs.", "Already clean.\n\nTwo paragraphs."),  # fast path: unchanged
        ("a  b", "a b"),  # double space
        ("a \nb", "a\nb"),  # space before a newline
        ("a\n b", "a\nb"),  # space after a newline
        ("a\n\n\nb", "a\n\nb"),  # three newlines
        ("a\tb", "a b"),  # tab
        ("a\x0bb\x1fc", "a b c"),  # vertical tab, unit separator
        (" a", "a"),  # leading space
        ("a\r\nb", "a\nb"),  # CRLF
    ],
)
def test_clean_text_ascii_cases(raw: str, clean: str) -> None:
    assert clean_text(raw) == clean
