"""roles: actor1/actor2 of a trigger from the dependency parse (real spaCy, real tocsin_actors)."""

from __future__ import annotations

import pytest
from eventkit import Setup, at, load, run
from spacy.language import Language

from tocsin.model import Trigger
from tocsin.nlp.roles import actor_roles, responsible, trigger_root, verb_of


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load(("tocsin_actors", "tocsin_claims"))


@pytest.mark.parametrize(
    ("text", "trigger", "expected"),
    [
        # active verb: subject and object
        ("Houthi forces shelled Saudi-led coalition positions.", "shelled", ("Houthi forces", "Saudi-led coalition")),
        # passive: the "by" agent is actor1, the passive subject actor2
        ("Villagers were abducted by Boko Haram fighters.", "abducted", ("Boko Haram fighters", "Villagers")),
        # "clashes between X and Y"
        ("Clashes between the SDF and HTS fighters erupted.", "Clashes", ("SDF", "HTS fighters")),
        # a pronoun subject is the speaker of the statement
        ("The YPG said it destroyed two tanks.", "destroyed", ("YPG", None)),
        # a gerund under "by": the clause verb's victims, and "from X" fired it
        ("Four civilians were killed and six wounded by shelling from the SDF on Wednesday.", "shelling",
         ("SDF", "civilians")),
        # a by-agent makes the verb passive even where the tagger read it as a past tense
        ("The police post in the town attacked by unknown gunmen, two motorbikes seized.", "attacked",
         ("unknown gunmen", "police")),
        # a verb without a subject shares its clause's: "soldiers were killed and two others wounded by ..."
        ("Five soldiers were killed and two others wounded by an IED blast near the base.", "IED", (None, "soldiers")),
        ("Three soldiers were shot and killed by Boko Haram fighters in Borno.", "killed",
         ("Boko Haram fighters", "soldiers")),
        # the other side of an event noun hanging off the verb
        ("Turkish forces captured the village after clashes with SDF fighters with no casualties reported.",
         "captured", ("Turkish forces", "SDF fighters")),
        ("The army engaged in a firefight with Boko Haram fighters near Bama.", "firefight",
         ("army", "Boko Haram fighters")),
        # nobody acts in the event's clause: the agent of a passive elsewhere in the sentence
        ("Two soldiers were wounded by an IED near Djibo; the IED was most likely planted by ISWAP fighters.", "IED",
         ("ISWAP fighters", "soldiers")),
        ("Rocket fire from Hezbollah wounded two civilians in Metula.", "Rocket fire", ("Hezbollah", "civilians")),
        # "X came under fire from Y": Y fired
        ("Government forces came under fire from Islamic State militants near Deir ez-Zor.", "fire",
         ("Islamic State militants", "Government forces")),
        # the accused did it; the accuser only says so
        ("The Sudanese army blamed the Rapid Support Forces for the shelling of the market.", "shelling",
         ("Rapid Support Forces", None)),
        ("The Sudanese army blamed the attack on the Rapid Support Forces.", "attack", ("Rapid Support Forces", None)),
        ("The army held the RSF responsible for the shelling of El Fasher that killed 18 civilians.", "shelling",
         ("RSF", "civilians")),
        ("The RSF was blamed for the shelling of El Fasher that killed 18 civilians.", "shelling",
         ("RSF", "civilians")),
        ("A drone strike on a market in El Fasher killed 18 people, a committee said, blaming the Rapid Support "
         "Forces.", "drone strike", ("Rapid Support Forces", None)),
        ("The army blamed the Rapid Support Forces for the attack on the market in El Fasher, which killed 18 "
         "civilians.", "killed", ("Rapid Support Forces", "civilians")),
        # an escort is the side of what it guards, not who attacks it
        ("A supply convoy escorted by Malian troops struck a landmine near Boni.", "landmine",
         (None, "Malian troops")),
        ("A bus guarded by Burkinabe gendarmes was ambushed by JNIM fighters near Djibo.", "ambushed",
         ("JNIM fighters", "Burkinabe gendarmes")),
    ],
)
def test_actor_roles(nlp: Language, text: str, trigger: str, expected: tuple[str | None, str | None]) -> None:
    doc = run(nlp, text, Setup())
    start, end = at(text, trigger)
    sent = next(iter(doc.sents))
    record = Trigger("Armed clash", 0.9, start, end, trigger, sent.start_char, sent.end_char)
    mentions = [
        m for m in doc._.actors if not any(a.source_start <= m.start < a.source_end for a in doc._.attributions)
    ]
    speakers = [m for m in doc._.actors if m not in mentions]
    first, second, _ = actor_roles(doc, record, mentions, speakers)
    assert (first.text if first else None, second.text if second else None) == expected


def test_a_nominal_trigger_climbs_to_its_verb(nlp: Language) -> None:
    text = "Turkish forces carried out an air strike on Kobani."
    doc = run(nlp, text, Setup())
    start, end = at(text, "air strike")
    root = trigger_root(doc, Trigger("Air/drone strike", 0.9, start, end, "air strike", 0, len(text)))
    assert root is not None and root.text == "strike"
    assert verb_of(root).lemma_ == "carry"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A roadside bomb killed three soldiers in Afgoye. Al-Shabaab claimed responsibility.", "Al-Shabaab"),
        ("A car bomb exploded in Beledweyne. Al-Shabaab said it carried out the attack.", "Al-Shabaab"),
        # a claim denied or not made is no claim
        ("A missile fell near Marib. The Houthis did not claim responsibility for the attack.", None),
        # saying that someone else did it is no claim
        ("A car bomb exploded in Beledweyne. Police said nobody had claimed the attack.", None),
    ],
)
def test_who_claims_responsibility(nlp: Language, text: str, expected: str | None) -> None:
    doc = run(nlp, text, Setup())
    found = responsible(doc, [(0, len(text))], doc._.actors)
    assert (found.text if found else None) == expected
