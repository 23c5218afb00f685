"""tocsin_paragraphs: a line break after a finished sentence starts a new sentence, before the parser runs.

The parser splits sentences on its own and misses breaks it cannot see: "... would stay open until 6 p.m."
ends in an abbreviation's full stop, and the next paragraph ("It published maps ...") was read as the same
sentence, so a strike warning took the corridors named before it as its areas. A line break counts only when
the line before ends like a sentence (. ! ? or a closing quote) and the next line starts with a capital or a
quote, so text hard-wrapped mid-sentence is left to the parser.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

__all__ = ["mark_paragraphs"]

_ENDS = (".", "!", "?", '"', "\u201d", "\u2019", "'", ")")
_OPENS = ('"', "\u201c", "\u2018", "'", "(")


def mark_paragraphs(doc: Doc) -> Doc:
    """Set ``is_sent_start`` on the first word of each paragraph that follows a finished sentence."""
    for space in doc:
        if not space.is_space or "\n" not in space.text or space.i == 0 or space.i + 1 >= len(doc):
            continue
        before, after = doc[space.i - 1], doc[space.i + 1]
        if before.text.endswith(_ENDS) and (after.text[:1].isupper() or after.text.startswith(_OPENS)):
            after.is_sent_start = True
    return doc


@Language.component("tocsin_paragraphs")
def paragraphs(doc: Doc) -> Doc:
    return mark_paragraphs(doc)
