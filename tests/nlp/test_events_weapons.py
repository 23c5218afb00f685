"""nlp/events_weapons.py: an attack reading that the sentence's weapons say is an air/drone strike."""

from __future__ import annotations

import pytest
from eventkit import Setup, load, place, run
from spacy.language import Language


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load(("tocsin_actors", "tocsin_claims", "tocsin_events"))


@pytest.mark.parametrize(("text", "trigger", "sub_type", "word"), [
    # a state's strike on a building, no ground weapon named: ACLED codes the air strike
    ("An Israeli strike on a house in Deir al-Balah killed five people on Thursday.", "killed",
     "Air/drone strike", "strike"),
    ("Myanmar military aircraft bombed a village in Sagaing on Monday, killing 11 villagers.", "killing",
     "Air/drone strike", "aircraft"),
    # a ground weapon or soldiers: the attack stays
    ("Israeli soldiers shot dead a man in Jenin on Thursday.", "shot dead", "Attack", "shot dead"),
    ("An Israeli strike with tank shells on a house in Jabalia killed five people.", "killed", "Attack", "killed"),
    # nobody named: an unidentified armed group's attack, as ACLED codes an unknown perpetrator
    ("A helicopter dropped a bomb on a church in Kafr Nabl, killing two people.", "killing", "Attack", "killing"),
    # a strike by a group that is no state's forces is not read as from the air
    ("Gunmen struck a village in Kafr Nabl, killing two people.", "killing", "Attack", "killing"),
])
def test_an_attack_told_as_a_strike_from_the_air(nlp: Language, text: str, trigger: str, sub_type: str,
                                                 word: str) -> None:
    name = next(n for n in ("Deir al-Balah", "Sagaing", "Jenin", "Jabalia", "Kafr Nabl") if n in text)
    setup = Setup(triggers=[(trigger, "Attack", 0.7)], toponyms=[place(text, name, "PS")])
    [event] = run(nlp, text, setup)._.events
    assert event.sub_event_type == sub_type
    assert event.evidence["sub_event_type"].text == word
    if sub_type == "Air/drone strike":
        assert event.event_type == "Explosions/Remote violence"
        assert "air/drone strike" in event.reasons["sub_event_type"]
