"""Text helpers shared by the readers: decoding with fallbacks, cleaning, and the content hash."""

from __future__ import annotations

import codecs
import hashlib
import re
import unicodedata

__all__ = ["clean_text", "content_hash", "decode", "declared_charset"]

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_BLANK_LINES = re.compile(r"\n{3,}")
#: In ASCII text, these are all the ways whitespace can need cleaning.
_ASCII_UNCLEAN = ("  ", " \n", "\n ", "\n\n\n", "\t", "\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x1f")


def content_hash(text: str) -> str:
    """The report's identity for idempotent ingest: sha256 hex of the NFC text with whitespace collapsed.

    Two copies of a text that differ only in Unicode composition, line endings or spacing hash alike.
    """
    normal = " ".join(unicodedata.normalize("NFC", text).split())
    return hashlib.sha256(normal.encode("utf-8", "surrogatepass")).hexdigest()


def decode(data: bytes, declared: str | None = None) -> tuple[str, str | None]:
    """``data`` as text, and the fallback encoding used (None when it was UTF-8 or the declared charset).

    UTF-8 (a BOM is dropped) first, then the charset the document declares (HTML), then cp1252, then
    latin-1, which never fails.
    """
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    if declared:
        try:
            return data.decode(declared), None
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def declared_charset(data: bytes) -> str | None:
    """The charset an HTML document declares in a ``<meta>`` near its top, if Python knows it."""
    match = _CHARSET.search(data[:4096])
    if match is None:
        return None
    name = match.group(1).decode("ascii", "replace")
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def clean_text(text: str) -> str:
    """Newlines as ``\\n``, runs of spaces as one, at most one blank line in a row, no outer whitespace."""
    if text.isascii() and text == text.strip() and not any(bad in text for bad in _ASCII_UNCLEAN):
        return text  # already clean: the common case, checked without allocating
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = "\n".join([" ".join(line.split()) for line in text.split("\n")])
    if "\n\n\n" in text:
        text = _BLANK_LINES.sub("\n\n", text)
    return text.strip()
