"""Which of a report's event readings tell the same happening (for ``tocsin_events``).

A report's later sentences mostly elaborate its lede, and ACLED codes one event per type, place and day,
so a reading joins an earlier event when it tells the same happening (:func:`group_triggers`): the next
sentence of the same sub-type, a later one of the same sub-type, a definite back-reference ("the attack",
"the village", "the protesters"), or a side's own account of a fight just told; always at the same time
and place, and never when the sentence marks another happening ("in a separate attack"). Readings of one
protest join as one event of its most severe sub-type. See docs/events.md.
"""

from __future__ import annotations

import datetime as dt
import re

from spacy.tokens import Doc, Token

from tocsin.geo.gazetteer import distance_km
from tocsin.model import ActorMention, DateMention, Toponym, Trigger, event_type_of
from tocsin.nlp.events_select import (
    CLOCK_ONLY,
    SEPARATE_EVENT,
    VIOLENT_TYPES,
    Group,
    is_cued,
    no_event,
    sentence_tokens,
)
from tocsin.nlp.paragraphs import dateline_end
from tocsin.nlp.roles import trigger_root

__all__ = ["CONTEXT_SENTENCES", "PROTEST_SEVERITY", "group_triggers", "inside", "severity"]

#: A report of this many sentences is a news article, not a short note: most of its sentences are context.
ARTICLE_SENTENCES = 6
#: Sentences after a trigger sentence (without a trigger of their own) still read for counts.
CONTEXT_SENTENCES = 2
#: How far after the last event's sentence a bare toll is still its toll (``_casualty_account``).
CASUALTY_SENTENCES = 3
#: The words of a bare toll ("were killed", "died", "were shot dead", "the dead").
CASUALTY_LEMMAS = frozenset("kill die wound injure dead death toll casualty shoot".split())
#: Readings of one protest, least to most severe: ACLED codes the protest once, as its most severe form
#: (a protest that "turned violent, with some hurling stones" is a Violent demonstration).
PROTEST_SEVERITY = {
    "Peaceful protest": 0,
    "Protest with intervention": 1,
    "Excessive force against protesters": 2,
    "Violent demonstration": 3,
}


def inside(start: int, end: int, ranges: list[tuple[int, int]]) -> bool:
    return any(s <= start and end <= e for s, e in ranges)


def _sentences(doc: Doc) -> list[tuple[int, int]]:
    return [(s.start_char, s.end_char) for s in doc.sents]


def _dates_in(dates: list[DateMention], start: int, end: int) -> set[object]:
    """The days named in ``[start, end)``; a clock time alone ("shortly after noon") names no day."""
    return {
        d.value.date() if isinstance(d.value, dt.datetime) else d.value
        for d in dates
        if d.value is not None and start <= d.start and d.end <= end and not CLOCK_ONLY.match(d.text)
    }


def group_triggers(
    doc: Doc, text: str, toponyms: list[Toponym], dates: list[DateMention], strong_score: float = 0.0
) -> list[Group]:
    """The report's triggers grouped into happenings, each with its context sentences (read for counts).

    A group whose best reading is below ``strong_score`` (too weak to be an event beside a stronger one,
    ``events.SECOND_EVENT_SCORE``) ends no earlier group's context: an ACLED coder's "Unknown number of
    fatalities coded as 10." read weakly as an attack still gives the clash before it its count.
    """
    sentences = _sentences(doc)
    index_of = {start: i for i, (start, _) in enumerate(sentences)}
    groups: list[Group] = []
    last_index = -10
    filed = dateline_end(text)
    for trigger in sorted(doc._.triggers or [], key=lambda t: t.sent_start):
        sent = (trigger.sent_start, trigger.sent_end)
        index = index_of.get(trigger.sent_start, -1)
        if no_event(doc, text, trigger, dates, len(sentences) >= ARTICLE_SENTENCES):
            continue
        joined = _joined(doc, text, groups, trigger, index, last_index, toponyms, dates, filed)
        if joined is not None:
            joined.triggers.append(trigger)
            if sent not in joined.sentences:
                joined.sentences.append(sent)
        else:
            groups.append(Group([trigger], [sent]))
        last_index = index
    trigger_starts = set(
        index_of[s]
        for g in groups
        if max(t.score for t in g.triggers) >= strong_score
        for s, _ in g.sentences
        if s in index_of
    )
    for group in groups:
        for start, _ in group.sentences:
            first = index_of.get(start, -1)
            for i in range(first + 1, min(first + 1 + CONTEXT_SENTENCES, len(sentences))):
                if first < 0 or i in trigger_starts:
                    break
                if sentences[i] not in group.context:
                    group.context.append(sentences[i])
    return groups


def _continues(group: Group, trigger: Trigger, index: int, last_index: int) -> bool:
    """The next sentence, same sub-type (or a protest escalating)."""
    previous = group.triggers[-1].sub_event_type
    escalates = (
        previous in PROTEST_SEVERITY and PROTEST_SEVERITY.get(trigger.sub_event_type, -1) > PROTEST_SEVERITY[previous]
    )
    if trigger.sub_event_type != previous and not escalates:
        return False
    return (trigger.sent_start, trigger.sent_end) in group.sentences or (index >= 0 and index == last_index + 1)


def _joined(
    doc: Doc,
    text: str,
    groups: list[Group],
    trigger: Trigger,
    index: int,
    last_index: int,
    toponyms: list[Toponym],
    dates: list[DateMention],
    filed: int,
) -> Group | None:
    """The earlier group this trigger tells more of, if any (``filed``: where the report's dateline ends).

    The next sentence continuing the last event with the same sub-type; else an earlier event of
    the same sub-type; else, for a definite back-reference ("the attack", "the village"), the last
    event; else a fight whose side gives its own account (:func:`_party_account`). Always at the
    same time and place (:func:`_same_time_and_place`), and never when the sentence marks another
    happening ("in a separate attack", "elsewhere"). ACLED codes one event per type, place and day,
    and a report's later sentences mostly elaborate its lede.
    """
    if not groups:
        return None
    tokens = sentence_tokens(doc, trigger)
    referred = any(_definite_event(tok) or _anaphor(tok, doc, groups[-1]) for tok in tokens)
    last = groups[-1]
    if (trigger.sent_start, trigger.sent_end) in last.sentences and _continues(last, trigger, index, last_index):
        return last
    candidates: list[Group] = []
    if _continues(last, trigger, index, last_index):
        candidates.append(last)
    if not any(tok.lower_ in SEPARATE_EVENT for tok in tokens):
        candidates += [g for g in reversed(groups) if _same_kind(g.triggers[0].sub_event_type, trigger.sub_event_type)]
        if (referred and not _violence_after_measures(last, trigger)) or (
                0 <= index - last_index <= CASUALTY_SENTENCES and _casualty_account(doc, last, trigger)):
            candidates.append(last)
        candidates += [g for g in reversed(groups) if _party_account(doc, g, trigger)]
    for group in candidates:
        if _same_time_and_place(text, group, trigger, toponyms, dates, filed, referred=referred):
            return group
    return None


def severity(trigger: Trigger, protest: bool) -> int:
    """How severe a reading of a protest is. A violent demonstration makes a protest violent only when words
    of violence say so ("hurling stones"), not the reading of a whole sentence ("the group blocked the
    entrance"), and never an event that is no protest ("the arrest ... came two days after riots")."""
    if trigger.sub_event_type == "Violent demonstration" and not (protest and is_cued(trigger)):
        return 0
    return PROTEST_SEVERITY.get(trigger.sub_event_type, 0)


def _same_kind(a: str, b: str) -> bool:
    """The same sub-type, or two readings of one protest ("protesters gathered", "police dispersed the
    protesters"): ACLED codes a protest once, as its most severe sub-type."""
    return a == b or (a in PROTEST_SEVERITY and b in PROTEST_SEVERITY)


def _party_account(doc: Doc, group: Group, trigger: Trigger) -> bool:
    """'The SDF said it had repelled an assault ... and killed 30 of their fighters', after a clash
    of the army and the SDF: one side's account of the fighting just told, whose figures become that
    side's claims beside the others', not a second event."""
    types = {event_type_of(trigger.sub_event_type), event_type_of(group.triggers[0].sub_event_type)}
    if not types <= VIOLENT_TYPES:
        return False
    actors: list[ActorMention] = list(doc._.actors or [])
    speakers = {
        m.name
        for a in doc._.attributions or []
        if trigger.sent_start <= a.start < trigger.sent_end
        for m in actors
        if a.source_start <= m.start and m.end <= a.source_end and m.inter not in (6, 7)
    }
    sides = {m.name for m in actors if inside(m.start, m.end, group.sentences)}
    return bool(speakers & sides)


def _violence_after_measures(group: Group, trigger: Trigger) -> bool:
    """Violence referred back to ("12 people were killed in the prison attacks") after a strategic development
    told first ("a curfew was imposed after gangs attacked two prisons"): the attack the lede gave as a reason is
    its own event, not part of the measure."""
    return (event_type_of(trigger.sub_event_type) in VIOLENT_TYPES
            and event_type_of(group.triggers[0].sub_event_type) == "Strategic developments")


def _casualty_account(doc: Doc, group: Group, trigger: Trigger) -> bool:
    """'The governor said 25 civilians had been killed', just after 'a drone strike ... killed 18 people':
    another toll of the violence (or the protest) just told, whose figures become claims beside the others', not
    a second event. Only a bare toll: the sentence names no weapon, no event and no perpetrator of its own."""
    told = group.triggers[0].sub_event_type
    if event_type_of(trigger.sub_event_type) not in VIOLENT_TYPES or not (
            event_type_of(told) in VIOLENT_TYPES or told in PROTEST_SEVERITY):
        return False  # a protest's toll too: "police fired tear gas at protesters ... two people were shot dead"
    root = trigger_root(doc, trigger)
    if root is None or not is_cued(trigger) or root.lemma_.lower() not in CASUALTY_LEMMAS:
        return False
    tokens = sentence_tokens(doc, trigger)
    if any(t.lemma_.lower() in EVENT_NOUNS and t.pos_ == "NOUN" for t in tokens):
        return False
    speakers = [(a.source_start, a.source_end) for a in doc._.attributions or []
                if trigger.sent_start <= a.start < trigger.sent_end]
    return not any(
        trigger.sent_start <= m.start and m.end <= trigger.sent_end and m.inter != 7
        and not inside(m.start, m.end, speakers)
        for m in doc._.actors or []
    )


def _same_time_and_place(
    text: str, group: Group, trigger: Trigger, toponyms: list[Toponym], dates: list[DateMention], filed: int, *,
    referred: bool,
) -> bool:
    """The trigger's sentence gives no date the group lacks, and no other place than the group's.

    A new place name is no other place when it is a part of a place just named ("the city's
    Dniprovskyi district") or a region or country holding the group's place; or, in a sentence that
    refers back to the event ("the attack", "the village"), when it is unresolved or within
    ``NEAR_KM`` of the group's places ("near the town of Depayin").
    """
    known_dates: set[object] = set()
    known: list[Toponym] = []
    for start, end in group.sentences:
        known_dates |= _dates_in(dates, start, end)
        known += [t for t in toponyms if start <= t.start and t.end <= end]
    if filed and not text[filed : group.sentences[0][0]].strip():  # the lede: the dateline's day is its own
        known_dates |= _dates_in(dates, 0, filed)
    if _dates_in(dates, trigger.sent_start, trigger.sent_end) - known_dates:
        return False
    placed = [t for t in known if t.resolved]
    names = {t.name.lower() for t in known}
    told = " ".join(text[start:end] for start, end in group.sentences).lower()
    for top in toponyms:
        if not (trigger.sent_start <= top.start and top.end <= trigger.sent_end) or top.name.lower() in names:
            continue
        if re.search(rf"\b{re.escape(top.name.lower())}\b", told):  # "proceeded towards X" ... "gathered near X"
            continue
        if _within_named(text, top) or (top.resolved and any(_holds(top, k) for k in placed)):
            continue
        if referred and (not top.resolved or any(_near(top, k) for k in placed)):
            continue
        return False
    return True


def _holds(region: Toponym, place: Toponym) -> bool:
    """Is ``region`` the country or admin1 region of ``place``?"""
    code = region.feature_code or ""
    if code.startswith("PCL"):
        return region.country_code == place.country_code
    return code == "ADM1" and region.country_code == place.country_code and (
        (region.place_name or region.name).lower() == (place.admin1 or "").lower()
    )


#: Nouns that name an event; "the blast", "this attack" refer back to one already told.
EVENT_NOUNS = frozenset(
    "attack assault blast explosion bomb bombing device ied strike airstrike raid ambush shelling bombardment "
    "clash clashes fighting incident operation protest demonstration rally riot abduction kidnapping arrest "
    "detention shooting killing massacre offensive incursion skirmish firefight gunfight battle "
    # the people of an event told before: "the protesters", "the gunmen"
    "protesters demonstrators rioters crowd mob gunmen attackers assailants".split()
)
#: Nouns of a scene that a later sentence names again with "the" ("a village" ... "the village").
SCENE_NOUNS = frozenset(
    "village town city capital area district neighbourhood neighborhood camp market school hospital building "
    "site convoy vehicle car bus checkpoint base position house home mosque church".split()
)
_SCENE = "city|town|village|capital|province|region|district|area|camp"
PART_BEFORE = re.compile(rf"\b(?:the|this|that) (?:{_SCENE})'s\s+(?:[a-z]+\s+){{0,2}}$", re.IGNORECASE)
PART_AFTER = re.compile(
    rf"^\s+(?:district|neighbou?rhood|quarter|suburb|area|square|market)\s+(?:of|in) (?:the|this|that) (?:{_SCENE})\b",
    re.IGNORECASE,
)
#: Words that make a definite event noun another event ("the second attack", "the other blast").
ANOTHER_EVENT = frozenset("second third another other new separate earlier later previous latest next".split())
#: A back-reference may name a nearer place ("the village of X, 20 km from the city"), not a far one.
NEAR_KM = 50.0


def _anaphor(tok: Token, doc: Doc, group: Group) -> bool:
    """'the village' after 'a village', 'the city's' after 'the city of Kherson': the scene told again."""
    lemma = tok.lemma_.lower()
    if tok.pos_ != "NOUN" or lemma not in SCENE_NOUNS:
        return False
    if not any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in tok.children):
        return False
    for start, end in group.sentences:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is not None and any(t.lemma_.lower() == lemma and t.i != tok.i for t in span):
            return True
    return False


def _within_named(text: str, toponym: Toponym) -> bool:
    """'the city's Dniprovskyi district', 'Shaar district of the city': a part of a place already named."""
    return bool(PART_BEFORE.search(text[max(0, toponym.start - 40) : toponym.start])) or bool(
        PART_AFTER.match(text[toponym.end : toponym.end + 60])
    )


def _definite_event(tok: Token) -> bool:
    if tok.pos_ != "NOUN" or (tok.lemma_.lower() not in EVENT_NOUNS and tok.lower_ not in EVENT_NOUNS):
        return False  # the people of an event are listed in the plural ("the attackers", lemma "attacker")
    children = list(tok.children)
    if not any(c.dep_ in ("det", "poss") and c.lower_ in ("the", "this", "that", "its") for c in children):
        return False
    return not any(c.lower_ in ANOTHER_EVENT for c in children)


def _near(a: Toponym, b: Toponym) -> bool:
    assert a.latitude is not None and a.longitude is not None and b.latitude is not None and b.longitude is not None
    return distance_km(a.latitude, a.longitude, b.latitude, b.longitude) <= NEAR_KM
