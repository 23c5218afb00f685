"""Tests for nlp/triggers.py: sub-event classification per sentence, evidence spans, non-events."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest
from spacy.language import Language

from tocsin.eval.case import prf, score_case, score_case_cv
from tocsin.model import SUB_EVENT_TYPES
from tocsin.nlp.classify import CHAR_BITS, NONE, LinearModel, char_ngrams, clean_note, features, fit
from tocsin.nlp.triggers import _default_model_path as model_path
from tocsin.nlp.triggers import classify_text, load_model
from tocsin.nlp.triggers_match import _CUES, _STRONG, required_literals
from tocsin.train import MODEL_FILE, read_acled, read_case_examples, train

LABELS_INDEX = {label: i for i, label in enumerate((*SUB_EVENT_TYPES, NONE))}

# (sentence, expected sub-event type, a word the trigger span must contain)
ONE_PER_SUB_TYPE = [
    # Battles: two armed sides fight
    ("Soldiers and rebel fighters clashed for hours near the river crossing, leaving six fighters dead.",
     "Armed clash", "clashed"),
    # a side that comes under fire is in a fight
    ("Government forces came under fire from Islamic State militants near the desert town.",
     "Armed clash", "came under fire"),
    # the state takes ground back from a non-state group
    ("The national army recaptured the market town of Oruma from the insurgents on Saturday.",
     "Government regains territory", "recaptured"),
    # a non-state group takes ground
    ("Jihadist militants seized control of the district headquarters after a dawn assault.",
     "Non-state actor overtakes territory", "seized control"),
    # a named chemical agent settles the sub-type
    ("Medics said dozens of residents were treated after chlorine gas was dropped on the neighbourhood.",
     "Chemical weapon", "chlorine"),
    ("Military jets carried out an airstrike on a convoy outside the port city, killing four.",
     "Air/drone strike", "airstrike"),
    ("A suicide bomber detonated his vest at the gate of a police academy, killing eleven recruits.",
     "Suicide bomb", "suicide bomber"),
    ("Separatist positions shelled the frontline villages throughout the night, damaging a clinic.",
     "Shelling/artillery/missile attack", "shelled"),
    ("A roadside bomb struck a minibus on the highway, killing three passengers.",
     "Remote explosive/landmine/IED", "roadside bomb"),
    ("An attacker threw a grenade into a crowded nightclub, wounding nine people.",
     "Grenade", "grenade"),
    # Violence against civilians
    ("Two girls were raped by armed men while collecting firewood outside the camp.",
     "Sexual violence", "raped"),
    ("Unidentified gunmen opened fire on worshippers leaving a church, killing five of them.",
     "Attack", "opened fire"),
    ("Armed men kidnapped a doctor and his driver on the road to the regional hospital.",
     "Abduction/forced disappearance", "kidnapped"),
    # Protests and riots
    ("Hundreds of nurses marched to the health ministry to demand overdue pay.",
     "Peaceful protest", "marched"),
    ("Police fired tear gas to disperse students rallying outside the university.",
     "Protest with intervention", "disperse"),
    ("Troops opened fire on unarmed protesters in the main square, killing eight of them.",
     "Excessive force against protesters", "protesters"),
    ("Rioters hurled stones at officers and set tyres ablaze along the main avenue.",
     "Violent demonstration", "hurled stones"),
    ("An angry mob lynched a man suspected of stealing a motorbike.",
     "Mob violence", "mob"),
    # Strategic developments
    ("The two militias signed a ceasefire agreement brokered by tribal elders.",
     "Agreement", "ceasefire"),
    ("Security agents arrested four opposition organisers at their homes before dawn.",
     "Arrests", "arrested"),
    ("Several hundred soldiers defected to the rebel side with their weapons.",
     "Change to group/activity", "defected"),
    ("Engineers defused an explosive device left beside a fuel station.",
     "Disrupted weapons use", "defused"),
    ("Foreign troops set up a new military base on the outskirts of the provincial capital.",
     "Headquarters or base established", "set up a new military base"),
    ("Armed youths looted shops and warehouses in the old market.",
     "Looting/property destruction", "looted"),
    ("Rebels entered the town without resistance after government troops withdrew overnight.",
     "Non-violent transfer of territory", "without resistance"),
    ("A mass grave holding the remains of at least thirty people was uncovered near the former prison.",
     "Other", "mass grave"),
]

# Sentences that describe no ACLED event.
NON_EVENTS = [
    # a natural disaster with deaths
    "A strong earthquake shook the mountain region on Sunday, killing at least twelve people.",
    # a drug seizure by police
    "Customs officers seized three tonnes of cocaine hidden in a banana shipment at the port.",
    # a minister's visit
    "The foreign minister arrived in the capital for a two-day visit to discuss trade and investment.",
    # a claim of responsibility with no attack described
    "The group claimed responsibility in a statement posted online on Tuesday.",
    # an industrial accident
    "A gas leak at a fertiliser plant forced the evacuation of nearby homes.",
    # diplomacy: sanctions
    "The European Union imposed new sanctions on five senior officials.",
    # peace talks that failed are no agreement
    "The fighting intensified after the peace talks in Geneva collapsed on Sept. 8.",
    # ordinary news
    "The central bank kept interest rates unchanged for the third month in a row.",
]


@pytest.fixture(scope="module")
def nlp(load_pipeline: Callable[..., Language]) -> Language:
    return load_pipeline("tocsin_triggers")


@pytest.mark.parametrize(("sentence", "sub_type", "word"), ONE_PER_SUB_TYPE)
def test_each_sub_type_is_recognised(nlp: Language, sentence: str, sub_type: str, word: str) -> None:
    doc = nlp(sentence)
    assert [t.sub_event_type for t in doc._.triggers] == [sub_type]
    trigger = doc._.triggers[0]
    assert 0.0 < trigger.score <= 1.0
    assert word.lower() in trigger.text.lower()
    assert trigger.text == sentence[trigger.start : trigger.end]
    assert len(trigger.text) < len(sentence)  # a word, not the whole sentence


def test_table_covers_every_sub_type() -> None:
    assert sorted({row[1] for row in ONE_PER_SUB_TYPE}) == sorted(SUB_EVENT_TYPES)


@pytest.mark.parametrize("sentence", NON_EVENTS)
def test_non_events_get_no_trigger(nlp: Language, sentence: str) -> None:
    assert nlp(sentence)._.triggers == []
    assert classify_text(sentence) == []


def test_span_points_at_the_trigger_word(nlp: Language) -> None:
    text = "On Monday evening, regime artillery shelled the outskirts of the village."
    (trigger,) = nlp(text)._.triggers
    assert trigger.sub_event_type == "Shelling/artillery/missile attack"
    assert text[trigger.start : trigger.end] in ("shelled", "artillery")


def test_multi_sentence_text_yields_triggers_in_order(nlp: Language) -> None:
    text = (
        "The minister said the budget would be debated next week. "
        "Overnight, a drone strike hit a weapons depot near the airport. "
        "Later, police arrested twenty activists in the capital. "
        "Protesters marched through the city centre on Friday to demand jobs."
    )
    triggers = nlp(text)._.triggers
    assert [t.sub_event_type for t in triggers] == ["Air/drone strike", "Arrests", "Peaceful protest"]
    assert [t.start for t in triggers] == sorted(t.start for t in triggers)
    for trigger in triggers:
        assert trigger.sent_start <= trigger.start < trigger.end <= trigger.sent_end
        assert text[trigger.start : trigger.end] == trigger.text
    assert triggers[0].sent_start == text.index("Overnight")


def test_classify_text_ranks_labels() -> None:
    ranked = classify_text("A landmine exploded under an army truck, killing two soldiers.")
    assert ranked[0][0] == "Remote explosive/landmine/IED"
    scores = [score for _, score in ranked]
    assert scores == sorted(scores, reverse=True)
    assert all(label in SUB_EVENT_TYPES for label, _ in ranked)


def test_clean_note_drops_coder_conventions() -> None:
    note = "On 2 November 2019, regime forces shelled Kafr Nabl. [size=no report]"
    assert clean_note(note) == "regime forces shelled Kafr Nabl."


def test_features_include_lexicon_and_territory_cues() -> None:
    feats = features("Rebels recaptured the town after government troops withdrew.")
    assert "L:Government regains territory" in feats
    assert "TERR:nonstate:re" in feats


@pytest.mark.parametrize(
    ("text", "protest_cue"),
    [
        # the month is no march
        ("Prices have risen since March 4, 2018, officials said.", False),
        ("On 4 March the council met in closed session.", False),
        ("In March, the ministry published its budget.", False),
        # the protest, as a verb or a noun, is
        ("Thousands marched to parliament on Friday.", True),
        ("Teachers will march on the ministry.", True),
        ("Police stopped a march in the capital.", True),
    ],
)
def test_the_month_march_is_no_protest_cue(text: str, protest_cue: bool) -> None:
    assert ("L:Peaceful protest" in features(text)) is protest_cue


def test_fit_is_deterministic_and_learns() -> None:
    texts = ["police fired tear gas at marchers", "jets bombed the camp", "the minister visited the port"] * 3
    labels = ["Protest with intervention", "Air/drone strike", NONE] * 3
    first = fit(texts, labels, min_count=1, epochs=40)
    second = fit(texts, labels, min_count=1, epochs=40)
    assert (first.weights == second.weights).all()
    probs = first.scores("jets bombed the camp", bonus_scale=0.0)
    assert first.labels[int(probs.argmax())] == "Air/drone strike"


def _write_export(path: Path) -> None:
    rows = [
        ("On 3 May 2020, protesters gathered in the square to demand water.", "Peaceful protest"),
        ("On 4 May 2020, militants fired mortars at an army post.", "Shelling/artillery/missile attack"),
        ("On 5 May 2020, police arrested two journalists.", "Arrests"),
    ] * 4
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["event_date", "sub_event_type", "notes"])
        for note, label in rows:
            writer.writerow(["3 May 2020", label, note])


@pytest.mark.slow
def test_train_rebuilds_a_loadable_model(tmp_path: Path) -> None:
    export = tmp_path / "export.csv"
    _write_export(export)
    assert read_acled(export)[0] == ("protesters gathered in the square to demand water.", "Peaceful protest")
    target = train([export], tmp_path / "model")
    assert target.name == MODEL_FILE and target.stat().st_size < 15_000_000
    ranked = classify_text("Militants fired mortars at the army post.", model_path=str(target))
    assert ranked[0][0] == "Shelling/artillery/missile attack"


def test_read_acled_rejects_other_csv(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(Exception, match=r"\[T501\]"):
        read_acled(bad)


@pytest.mark.parametrize(
    ("pattern", "anchors"),
    [
        # a plain word is its own anchor
        (r"grenades?", {"grenade"}),
        # an alternation needs one anchor per branch
        (r"chlorine|sarin", {"chlorine", "sarin"}),
        # an optional prefix adds nothing; the required word is kept
        (r"(?:gang[- ])?rape", {"rape"}),
        # nothing literal is required
        (r"\w+", None),
    ],
)
def test_required_literals(pattern: str, anchors: set[str] | None) -> None:
    assert required_literals(pattern) == anchors


def test_gating_never_changes_a_match() -> None:
    texts = [row[0] for row in ONE_PER_SUB_TYPE] + NON_EVENTS
    for gated in list(_CUES.values()) + [g for _, g in _STRONG.values()]:
        for text in texts:
            plain = gated.regex.search(text)
            found = gated.search(text, text.lower())
            assert (found is None) == (plain is None)
            assert found is None or plain is None or found.span() == plain.span()


def test_prf_weights_by_support() -> None:
    gold = ["Arrests", "Arrests", "Grenade", NONE]
    pred = ["Arrests", NONE, "Grenade", "Grenade"]
    scores = prf(gold, pred, ["Arrests", "Grenade"])
    per = scores["per_class"]
    assert per["Arrests"] == {"precision": 1.0, "recall": 0.5, "f1": 0.6667, "support": 2}
    assert per["Grenade"]["precision"] == 0.5 and per["Grenade"]["recall"] == 1.0
    assert scores["weighted"]["f1"] == round((2 * 0.6667 + 0.6667) / 3, 4)


def test_score_case_counts_unseen_classes(tmp_path: Path) -> None:
    tsv = tmp_path / "case.tsv"
    tsv.write_text(
        "id\tEventSnippet\tSubType\n"
        "1\tA suicide bomber blew himself up at the gate of the ministry.\tSUIC_BOMB\n"
        "3\tA magnitude 6 earthquake destroyed hundreds of homes.\tNATURAL_DISASTER\n"
        "5\tThe ambassador was expelled after the spy scandal.\tDIPLO\n",
        encoding="utf-8",
    )
    result = score_case(tsv)
    assert result["rows"] == 3
    assert result["weighted_f1"] == 1.0
    assert result["unseen_not_forced"] == 1.0


@pytest.mark.parametrize(
    ("first", "second", "shared_at_least", "shared_at_most"),
    [
        # two inflections of one verb share most of their n-grams
        ("bombarded", "bombardment", 12, 40),
        # unrelated words share (almost) none
        ("bombarded", "protesters", 0, 2),
    ],
)
def test_char_ngrams_link_inflections(first: str, second: str, shared_at_least: int, shared_at_most: int) -> None:
    a, b = char_ngrams(first), char_ngrams(second)
    assert shared_at_least <= len(set(a.tolist()) & set(b.tolist())) <= shared_at_most
    assert a.min() >= 0 and a.max() < 2**CHAR_BITS
    assert len(a) > 20  # " b", "bo", ..., "ed ": every n-gram of 2 to 5 characters
    assert (char_ngrams(first) == a).all()


def test_char_ngrams_carry_a_model_to_unseen_word_forms() -> None:
    texts = ["jets bombarded the camp", "students protested outside the ministry", "the minister visited the port"] * 3
    labels = ["Air/drone strike", "Peaceful protest", NONE] * 3
    with_chars = fit(texts, labels, min_count=1, epochs=60)
    words_only = fit(texts, labels, min_count=1, epochs=60, char_bits=0)
    unseen = "bombardments"  # no word feature of the training texts matches it
    strike = LABELS_INDEX["Air/drone strike"]
    assert with_chars.scores(unseen, bonus_scale=0.0)[strike] > 2 * words_only.scores(unseen, bonus_scale=0.0)[strike]
    assert with_chars.labels[int(with_chars.scores("protesting", bonus_scale=0.0).argmax())] == "Peaceful protest"


def test_model_file_round_trip_keeps_the_ngram_block(tmp_path: Path) -> None:
    texts = ["police fired tear gas at marchers", "jets bombed the camp", "the minister visited the port"] * 2
    labels = ["Protest with intervention", "Air/drone strike", NONE] * 2
    model = fit(texts, labels, min_count=1, epochs=30)
    model.save(tmp_path / "m.npz")
    loaded = LinearModel.load(tmp_path / "m.npz")
    assert loaded.char_weights is not None and loaded.char_weights.shape == (2**CHAR_BITS, len(loaded.labels))
    text = "warplanes bombed a camp"
    assert abs(loaded.scores(text) - model.scores(text)).max() < 0.01


def test_shipped_model_is_small_and_has_the_ngram_block() -> None:
    model = load_model()
    assert model.char_weights is not None and model.idf is not None
    assert Path(str(model_path())).stat().st_size < 6_000_000


def _write_case(path: Path, rows: list[tuple[str, str]]) -> None:
    lines = ["id\tEventSnippet\tSubType"] + [f"{2 * i + 1}\t{text}\t{label}" for i, (text, label) in enumerate(rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_read_case_examples_maps_unseen_classes_to_none(tmp_path: Path) -> None:
    tsv = tmp_path / "case.tsv"
    _write_case(tsv, [
        ("Rebels shelled the town.", "ART_MISS_ATTACK"),  # an ACLED class: its sub-type name
        ("A flood swept away homes.", "NATURAL_DISASTER"),  # an unseen class: NONE
        ("Something unlabelled.", "NO_SUCH_CLASS"),  # an unknown name: dropped
    ])
    assert read_case_examples(tsv) == [
        ("Rebels shelled the town.", "Shelling/artillery/missile attack"),
        ("A flood swept away homes.", NONE),
    ]


@pytest.mark.slow
def test_case_cross_validation_scores_every_snippet_with_a_model_that_never_saw_it(tmp_path: Path) -> None:
    export = tmp_path / "export.csv"
    _write_export(export)
    tsv = tmp_path / "case.tsv"
    _write_case(tsv, [
        ("Warplanes bombed the rebel camp, killing four.", "AIR_STRIKE"),
        ("A landslide buried three houses after heavy rain.", "NATURAL_DISASTER"),
        ("Jets struck a convoy near the border.", "AIR_STRIKE"),
        ("Floods displaced thousands of families.", "NATURAL_DISASTER"),
    ])
    result = score_case_cv(tsv, [export], folds=2)
    assert result["rows"] == 4 and result["held_out"] == "2-fold over snippets"
    assert result["per_class"]["Air/drone strike"]["support"] == 2  # type: ignore[index]
    assert result["unseen_not_forced"] == 1.0
    assert result["weighted_f1"] == 1.0


@pytest.mark.parametrize(
    ("sentence", "sub_type"),
    [
        # the airstrike is what the rally is against: the sentence tells a protest
        ("Hundreds of people rallied in central Konya on Friday to protest an airstrike that killed 12 Turkish "
         "soldiers in Idlib, Syria.", "Peaceful protest"),
        # no protest in the sentence: the airstrike is its news
        ("The UN condemned the airstrike that killed 12 people in Idlib on Friday.", "Air/drone strike"),
    ],
)
def test_a_protest_against_violence_is_the_protest(nlp: Language, sentence: str, sub_type: str) -> None:
    assert [t.sub_event_type for t in nlp(sentence)._.triggers] == [sub_type]


@pytest.mark.parametrize(("sentence", "expected"), [
    # the sourcing at the end ("..., health officials said") is what made the whole sentence read as no event
    ("An Israeli strike on a house in Deir al-Balah killed five people, including two children, on Thursday, "
     "Palestinian health officials said.", 1),
    # a statement about something else stays no event when read alone
    ("The ministry said on Monday that it would review the budget of the health service next year.", 0),
])
def test_a_report_is_read_without_its_sourcing(load_pipeline: Callable[..., Language], sentence: str,
                                               expected: int) -> None:
    nlp = load_pipeline("tocsin_actors", "tocsin_claims", "tocsin_triggers")
    assert classify_text(sentence) == []  # the whole sentence, sourcing and all, reads as no event
    assert len(nlp(sentence)._.triggers) == expected


def test_a_protest_word_of_another_protest_sub_type_locates_the_protest(nlp: Language) -> None:
    # the cue of the classifier's arrest is what the protesters condemn; the protest is found by "Protesters"
    text = "Protesters in Tbilisi condemned the arrest of opposition leaders on Sunday; police detained 40 of them."
    [trigger] = nlp(text)._.triggers
    assert trigger.sub_event_type in ("Peaceful protest", "Protest with intervention",
                                      "Excessive force against protesters", "Violent demonstration")
    assert trigger.text == "Protesters"


def test_a_report_with_a_long_speaker_is_read_without_its_sourcing(load_pipeline: Callable[..., Language]) -> None:
    # the statement is under 60 % of the sentence, but the rest is only who says it
    nlp = load_pipeline("tocsin_claims", "tocsin_triggers")
    text = "Five people were killed in Gaza on Monday, Palestinian health officials said."
    assert [t.sub_event_type for t in nlp(text)._.triggers] == ["Attack"]
