"""Words around a place name that say what it is to an event (for ``tocsin_events``' location).

- a **reference point**: "17 kilometers (11 miles) from the Borno capital Maiduguri", "5 km north of
  Idlib": the event happened elsewhere, measured from there;
- a **settlement the gazetteer lacks**: "Nyalun community in Wase Local Government Area", "in Kasuwan
  Magani town", "Kalle, a village": ACLED codes the village, placed at the area that holds it.

See docs/events.md (the ``location`` field).
"""

from __future__ import annotations

import re

from tocsin.model import Toponym

__all__ = ["reference_point", "settlement_name"]

_DIRECTION = r"(?:(?:north|south|east|west|northeast|northwest|southeast|southwest)(?:ern)?\s+)"
#: "... 17 kilometers (11 miles) from the Borno capital " before the name.
_REFERENCE = re.compile(
    r"\b(?:km|kms|kilomet(?:er|re)s?|miles?)\b(?:\s*\([^)]{0,20}\))?\s+" + _DIRECTION + r"?(?:of|from)\s+"
    r"(?:the\s+)?(?:[\w'-]+\s+){0,3}$",
    re.IGNORECASE,
)
#: Words that call a name a settlement; "community" also names a people ("two groups of the Jhatyal community"),
#: so it counts only when no name in the sentences is called a village or town.
SETTLEMENT_WORDS = ("village town settlement hamlet locality".split(), ["community"])


def _after(words: list[str]) -> re.Pattern[str]:
    """"Nyalun community", "Kasuwan Magani town" (one more capitalised word the resolver cut off), "Kalle, a
    village"."""
    alt = "(?:" + "|".join(words) + ")"
    return re.compile(
        r"^((?:[ \t]+[A-Z][\w'-]+)?)(?:[ \t]+" + alt + r"\b|,[ \t]+a[ \t]+(?:small[ \t]+|remote[ \t]+)?" + alt + r"\b)"
    )


def _before(words: list[str]) -> re.Pattern[str]:
    """"the village of Kalle"."""
    return re.compile(r"\b(?:" + "|".join(words) + r")\s+of\s+$", re.IGNORECASE)


_MARKERS = [(_after(words), _before(words)) for words in SETTLEMENT_WORDS]


def reference_point(text: str, toponym: Toponym) -> bool:
    """The name is what a distance is measured from ("a village 17 km from Maiduguri"), not where it happened."""
    return _REFERENCE.search(text[max(0, toponym.start - 80) : toponym.start]) is not None


def settlement_name(text: str, toponyms: list[Toponym]) -> tuple[Toponym, str] | None:
    """The first of ``toponyms`` that the words around it call a village or town ("in Kasuwan Magani town",
    "Kalle, a village", "the village of Kalle"), else a community ("Nyalun community"), with its name as
    written; None when none is."""
    for after, before in _MARKERS:
        for toponym in toponyms:
            found = after.match(text[toponym.end : toponym.end + 40])
            if found is not None:
                return toponym, text[toponym.start : toponym.end + len(found.group(1))].strip()
            if before.search(text[max(0, toponym.start - 30) : toponym.start]):
                return toponym, text[toponym.start : toponym.end].strip()
    return None
