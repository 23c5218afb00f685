"""What the weapons a sentence names say of an event's sub-type (for ``tocsin_events``).

The classifier reads "An Israeli strike on a house in Deir al-Balah killed five people" as an *Attack*
(the killing), as it has no cue word of an air strike. ACLED codes a strike by a state's forces, with no
ground weapon named, as an *Air/drone strike*; and whatever is bombed by aircraft a named actor flies
("military aircraft bombed a village") is one. :func:`air_strike` says when a reading is that.

See docs/events.md ("Air strikes told without their word").
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

from tocsin.model import Trigger
from tocsin.nlp.roles import trigger_root

__all__ = ["AIR_WORDS", "GROUND_WORDS", "air_strike"]

#: The readings a strike from the air may be read as when its word is missing.
STRUCK_READINGS = frozenset(("Attack",))
#: Aircraft: a strike told with one of them is from the air.
AIR_WORDS = frozenset("aircraft warplane jet plane helicopter drone airstrike airplane".split())
#: Words of a strike whose weapon is not said: the noun "strike", "struck", "bombed".
STRIKE_WORDS = frozenset(("strike", "bomb"))
#: What a strike is not when the first word names it ("hunger strike", "a general strike").
NOT_ATTACK = frozenset("hunger general labour labor worker teacher nationwide".split())
#: Weapons and ways of violence on the ground (or of missiles and shells, ACLED's other remote sub-type).
GROUND_WORDS = frozenset(
    "shell shelling artillery mortar rocket missile gun gunfire gunman gunmen shoot shot bullet rifle sniper knife "
    "stab machete ied mine landmine grenade tank explosive device suicide detonate raid storm soldier troop "
    "fire beat torture kidnap abduct arrest execute militant fighter rebel".split()
)
#: The state's forces (ACLED inter 1; 8 abroad): their unstated strikes are from the air.
STATE_INTERS = frozenset((1, 8))


def _words(sent: Span) -> list[tuple[str, str]]:
    return [(t.lemma_.lower(), t.lower_) for t in sent]


def air_strike(doc: Doc, trigger: Trigger, inter1: int | None, named: bool) -> tuple[str, int, int] | None:
    """Why the reading ``trigger`` (actor1's inter ``inter1``, ``named`` when the text names actor1) is an air
    strike, with the offsets of the word that tells it, or None when it is not: an *Attack* reading by a named
    actor whose sentence names aircraft, or a strike ("strike", "struck", "bombed") by state forces, and no ground
    weapon, shell or missile. "A bomb was dropped from a helicopter ... it is unclear who was behind the incident"
    stays an attack by an unidentified armed group, as ACLED codes it."""
    if trigger.sub_event_type not in STRUCK_READINGS:
        return None
    root = trigger_root(doc, trigger)
    if root is None:
        return None
    sent = root.sent
    words = _words(sent)
    if any(lemma in GROUND_WORDS or lower in GROUND_WORDS for lemma, lower in words):
        return None
    if not named:  # ACLED codes an unknown perpetrator as an unidentified armed group, whose attack it stays
        return None
    air = next((t for t in sent if t.lemma_.lower() in AIR_WORDS), None)
    if air is not None:
        return "aircraft named and no ground weapon: an air/drone strike", air.idx, air.idx + len(air)
    struck = [
        t for t in sent
        if t.lemma_.lower() in STRIKE_WORDS
        and (t.pos_ == "VERB" or (t.pos_ == "NOUN" and t.lemma_.lower() == "strike"))
        and not any(c.lower_ in NOT_ATTACK for c in t.children)
    ]
    if struck and inter1 in STATE_INTERS:
        word = struck[0]
        why = "a strike by state forces with no ground weapon named: an air/drone strike, as ACLED codes it"
        return why, word.idx, word.idx + len(word)
    return None
