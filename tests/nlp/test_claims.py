"""tocsin_claims: who says what, read from the dependency parse."""

from __future__ import annotations

import pytest
from eventkit import load, run
from spacy.language import Language


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load(("tocsin_claims",))


def pairs(nlp: Language, text: str) -> list[tuple[str, str]]:
    doc = run(nlp, text)
    out = []
    for attribution in doc._.attributions:
        assert text[attribution.source_start : attribution.source_end] == attribution.source
        out.append((attribution.source, text[attribution.start : attribution.end]))
    return out


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # speech verb with a clausal complement
        ("The YPG said it destroyed two tanks near Kobani.", [("The YPG", "it destroyed two tanks near Kobani")]),
        # the statement before the speaker
        (
            "Five civilians were killed in the shelling, the army said.",
            [("the army", "Five civilians were killed in the shelling")],
        ),
        # "according to" at the start and at the end of the sentence
        (
            "According to SOHR, regime forces shelled Kafr Nabl on Monday.",
            [("SOHR", "regime forces shelled Kafr Nabl on Monday")],
        ),
        (
            "Regime forces shelled Kafr Nabl, according to local activists.",
            [("local activists", "Regime forces shelled Kafr Nabl")],
        ),
        # "reported that": the mark "that" is not part of the statement
        (
            "State media reported that two soldiers were killed by an IED.",
            [("State media", "two soldiers were killed by an IED")],
        ),
        # several reported clauses hung off the verb one by one: the statement holds them all
        (
            "The SDF said in a statement that it had repelled an assault on the town, inflicted heavy losses on "
            "government forces and killed 30 of their fighters.",
            [("The SDF", "it had repelled an assault on the town, inflicted heavy losses on government forces and "
                         "killed 30 of their fighters")],
        ),
        # "told Reuters": the listener is not the statement
        ("A local official told Reuters that 12 people died.", [("A local official", "12 people died")]),
        # a reported figure as a direct object
        ("The health ministry reported 15 deaths.", [("The health ministry", "15 deaths")]),
        # quoted speech with a long source
        (
            '"We repelled the attack," a spokesman for the SDF said on Tuesday.',
            [("a spokesman for the SDF", "We repelled the attack")],
        ),
        # a second speech verb shares the first one's subject
        (
            "The SDF denied the shelling and said government artillery had hit the district.",
            [("The SDF", "the shelling"), ("The SDF", "government artillery had hit the district")],
        ),
        # a figure given as the subject's: "put the death toll at", "raised the number of dead to"
        ("The Red Crescent put the death toll at 15.", [("The Red Crescent", "the death toll at 15")]),
        ("Medics later raised the number of dead to 20.", [("Medics", "the number of dead to 20")]),
        # two sources in one sentence
        (
            "The army said its troops killed 20 militants, while activists said 9 civilians died.",
            [
                ("The army", "its troops killed 20 militants, while activists said 9 civilians died"),
                ("activists", "9 civilians died"),
            ],
        ),
    ],
)
def test_attributions(nlp: Language, text: str, expected: list[tuple[str, str]]) -> None:
    assert pairs(nlp, text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # "he said" is the person who spoke just before
    ("Regional governor Oleksandr Prokudin said the evacuation would start on Wednesday. Russian artillery struck "
     "a bus, killing two passengers, he said.", "Regional governor Oleksandr Prokudin"),
    # not a body, which "he" cannot be
    ("The army said five soldiers were killed. Two more died later, he said.", "he"),
    # nor someone three sentences back
    ("Governor Ali Musa said the road was closed. Trucks waited. Drivers slept in their cabs. Two people died, "
     "he said.", "he"),
    # a "he" already named carries the name on: the person is two sentences back from the second "he"
    ("Governor Ali Musa said the road was closed. Trucks waited, he said. Drivers slept in their cabs. Two people "
     "died, he said.", "Governor Ali Musa"),
])
def test_a_pronoun_speaker_is_the_person_who_spoke_before(nlp: Language, text: str, expected: str) -> None:
    doc = run(nlp, text)
    last = doc._.attributions[-1]
    assert last.source == expected
    assert text[last.source_start : last.source_end] == "he"  # the evidence stays where it is written


@pytest.mark.parametrize(
    "text",
    [
        # claiming responsibility is not a statement about the event's facts
        "Islamic State claimed responsibility for the attack.",
        # a plain statement of fact
        "Gunmen killed five people in the market.",
        # an expletive subject names nobody
        "It was reported that shelling continued.",
        # putting something somewhere gives no figure
        "The soldiers put the wounded on a truck.",
        # a bare participle says what was reported; the clashes are not a speaker
        "Turkish forces took the village after clashes with SDF fighters with no casualties reported.",
    ],
)
def test_no_attribution(nlp: Language, text: str) -> None:
    assert pairs(nlp, text) == []
