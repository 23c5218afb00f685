"""tocsin_paragraphs: a line break after a finished sentence starts a new sentence, before the parser runs.

The parser splits sentences on its own and misses breaks it cannot see: "... would stay open until 6 p.m."
ends in an abbreviation's full stop, and the next paragraph ("It published maps ...") was read as the same
sentence, so a strike warning took the corridors named before it as its areas. A line break counts only when
the line before ends like a sentence (. ! ? or a closing quote) and the next line starts with a capital or a
quote, so text hard-wrapped mid-sentence is left to the parser.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc, Token

from tocsin.nlp.pipeline import doc_text

__all__ = ["dateline_end", "dateline_place", "mark_paragraphs"]

_ENDS = (".", "!", "?", '"', "\u201d", "\u2019", "'", ")")
_OPENS = ('"', "\u201c", "\u2018", "'", "(")


_BRACKETED = r"(?:\s*[(\[][^)\]\n]{1,40}[)\]])*"
_DATELINE = re.compile(
    r"\s*(?P<place>[A-Z][\w'’.]*(?:[ -][A-Z][\w'’.]*){0,3})" + _BRACKETED
    + r"(?:\s*,\s*[^\n(\[\-–—:]{1,40})?" + _BRACKETED + r"\s*[-–—:]{1,2}\s"
)


def dateline_end(text: str) -> int:
    """Where a dateline ("ALEPPO, Jan 8 (Reuters) - ", "Naypyidaw [Myanmar], February 8 : ") ends; 0 without one.

    A dateline says where and when the story was filed, not where or when anything in it happened. A capitalised
    word and a colon alone ("Looting: On 29 April ...") is no dateline: it needs a place in capitals, a comma
    part or a bracket.
    """
    found = _DATELINE.match(text)
    if found is None:
        return 0
    head = found.group(0)
    place = found.group("place")
    return found.end() if ("," in head or "(" in head or "[" in head or (place.isupper() and len(place) > 2)) else 0


def dateline_place(text: str) -> str | None:
    """The place a dateline names ("BEIRUT" in "BEIRUT, Oct 20 - "), or None without a dateline."""
    found = _DATELINE.match(text)
    return found.group("place") if found is not None and dateline_end(text) else None


def mark_paragraphs(doc: Doc) -> Doc:
    """Set ``is_sent_start`` on the first word of each paragraph that follows a finished sentence, and on the
    first word after a dateline, which the parser otherwise reads as the subject of the first sentence. A parsed
    doc is left as the parser split it (spaCy refuses to move sentence starts then)."""
    if doc.has_annotation("DEP"):
        return doc
    filed = dateline_end(doc_text(doc))
    if filed:
        after = next((t for t in doc if t.idx >= filed and not t.is_space), None)
        if after is not None and after.i > 0:
            after.is_sent_start = True
            # nor a sentence of its own: "KYIV, March 15 - Russia and Ukraine agreed ..." had been split into
            # "Russia", "and", "Ukraine agreed ...": the words up to the first punctuation continue it
            for tok in doc[after.i + 1 : after.i + 1 + _DATELINE_KEEP]:
                if tok.is_punct or tok.is_space:
                    break
                tok.is_sent_start = False
    for tok in doc[1:]:
        if _zone_after_clock(doc, tok):
            tok.is_sent_start = False
    for space in doc:
        if not space.is_space or "\n" not in space.text or space.i == 0 or space.i + 1 >= len(doc):
            continue
        before, after = doc[space.i - 1], doc[space.i + 1]
        if before.text.endswith(_ENDS) and (after.text[:1].isupper() or after.text.startswith(_OPENS)):
            after.is_sent_start = True
    return doc


#: How many words after a dateline's first one are kept in its sentence (up to a punctuation mark).
_DATELINE_KEEP = 6
_CLOCK_ENDS = frozenset(("a.m.", "p.m."))
_ZONE_WORDS = frozenset(("GMT", "UTC", "local"))


def _zone_after_clock(doc: Doc, tok: Token) -> bool:
    """'10 a.m. Moscow time', '3 p.m. GMT', '8 p.m. local time': the zone of the clock time before it, not a new
    sentence after an abbreviation's full stop (the parser had split there, and the notice lost its time)."""
    if doc[tok.i - 1].lower_ not in _CLOCK_ENDS:
        return False
    if tok.text in _ZONE_WORDS:
        return True
    nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
    return tok.text[:1].isupper() and nxt is not None and nxt.lower_ == "time"


@Language.component("tocsin_paragraphs")
def paragraphs(doc: Doc) -> Doc:
    return mark_paragraphs(doc)
