"""tocsin_events: one report's events, assembled from what earlier components left on the Doc.

For each happening (a trigger, joined by later triggers that tell the same happening: same sub-type
or a definite back-reference, same day, no other place; see ``_joined``) an
:class:`~tocsin.model.Event` is built:

- type and sub-type from the trigger; a trigger inside somebody's statement stays a claim of
  that source ("claimed by the YPG");
- date: the trigger sentence's date, else the nearest earlier date in the report, else the
  publication date (said in ``reasons``);
- actors: the agent of the trigger (subject, or ``by`` agent of a passive) is actor1, its
  object or victim actor2; protests/riots/violence against civilians fill the role ACLED
  always codes (protesters, rioters, civilians) from the report's country when the text does
  not name it;
- location: the most specific resolved toponym of the sentences, preferring one in a
  prepositional phrase attached to the trigger, else the report's main place;
- fatalities/displaced: counts of the event's sentences; different values from different
  sources are all kept as claims and the lowest one is coded (ACLED's conservative rule).

Every field carries its evidence span or a reason. Events are ordered main event first:
trigger score x (1 + has fatalities + has a resolved location). See docs/events.md.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

from spacy.language import Language
from spacy.tokens import Doc, Token

from tocsin.geo.mentions import SPONSOR_WORDS
from tocsin.model import (
    ActorMention,
    Attribution,
    Claim,
    CountMention,
    DateMention,
    Event,
    Location,
    Span,
    Toponym,
    Trigger,
    event_type_of,
)
from tocsin.nlp.actors import FOCUS_NOTE, ActorDictionary, country_focus, load_dictionary
from tocsin.nlp.claims import SPEECH_LEMMAS
from tocsin.nlp.events_join import ARTICLE_SENTENCES, PROTEST_SEVERITY, group_triggers, severity
from tocsin.nlp.events_join import inside as _inside
from tocsin.nlp.events_places import reference_point, settlement_name
from tocsin.nlp.events_select import (
    LEDE_SENTENCES,
    SPREAD,
    Group,
    grievance_tokens,
    history,
    launched_to_take,
    main_first,
    quoted_spans,
    side_event_kept,
    supporting,
)
from tocsin.nlp.events_weapons import air_strike
from tocsin.nlp.paragraphs import dateline_end
from tocsin.nlp.pipeline import doc_text
from tocsin.nlp.roles import acting, actor_roles, responsible, trigger_root, verb_of

__all__ = ["EventsComponent", "build_events", "is_dateline", "main_event_key"]

MINOR_PLACE = re.compile(r"^\s+(?:neighbou?rhood|street|road|avenue|square|market|district of)\b")
#: Victim nouns too vague to tell two sources' tolls apart ("5 people" vs "8 dead").
GENERIC_VICTIMS = frozenset(
    "people person persons individual individuals dead death deaths fatality fatalities".split()
)
NO_CASUALTIES = re.compile(
    r"\b(?:no (?:casualties|fatalities|deaths|injuries|one was (?:killed|hurt|injured))|without casualties"
    r"|neither fatalities|nobody was (?:killed|hurt|injured)|no one (?:was|has been) (?:killed|hurt|injured))\b",
    re.IGNORECASE,
)
#: Text between two counts of one clause that adds them up ("two soldiers and three civilians").
COORDINATED = re.compile(r"^[\w\s'-]{0,40}?(?:,|\band\b|\bas well as\b|\bplus\b)\s*(?:another\s+|a further\s+)?$")
SUBSET_WORDS = re.compile(r"\b(?:including|among|of whom|of them|included)\b", re.IGNORECASE)
PLACE_PREPS = frozenset(("in", "near", "at", "on", "outside", "around", "inside", "into", "across", "to", "from"))
PROTEST_KINDS = {"Protests": "protesters", "Riots": "rioters"}
_MET_WITH_FORCE = frozenset({"Protest with intervention", "Excessive force against protesters"})
CROWD_KINDS = frozenset(("protesters", "rioters", "civilians"))
#: Event types whose actor1, when the text names nobody, is an unidentified armed group (ACLED's convention);
#: not air strikes, whose unnamed perpetrator is an air force, not a group.
UNKNOWN_PERPETRATOR_TYPES = frozenset(("Battles", "Explosions/Remote violence", "Violence against civilians"))
AIR = frozenset(("Air/drone strike",))


def _attribution_at(attributions: list[Attribution], start: int, end: int) -> Attribution | None:
    """The innermost attributed stretch containing ``[start, end)``."""
    holding = [a for a in attributions if a.start <= start and end <= a.end]
    return min(holding, key=lambda a: a.end - a.start) if holding else None


def _report_source(doc: Doc) -> str:
    if Doc.has_extension("source"):
        value = doc._.get("source")
        if value:
            return str(value)
    return "report"


#: The reason of an actor whose country the text does not say and the event's place gives.
PLACE_NOTE = "country of the event's place"
#: ACLED's sub-types of ground changing hands through fighting.
TERRITORY_TAKEN = frozenset(("Government regains territory", "Non-state actor overtakes territory"))
#: The trigger score a sentence needs to be an event beside a stronger one in the same report.
SECOND_EVENT_SCORE = 0.3
#: A reading with no cue word of its sub-type needs at least this score to be an event; and it is never a side event.
UNCUED_SCORE = 0.35
#: In a news article, a reading with no cue word needs this score to be an event.
UNCUED_ARTICLE_SCORE = 0.5
#: A side event dated this many days before publication is background, not news.
BACKGROUND_DAYS = 30


def _weak_dropped(groups: list[Group], article: bool = False) -> list[Group]:
    """Groups whose best trigger is weak (below ``SECOND_EVENT_SCORE``) are no events of their own when the
    report has a stronger one: a side remark ("a spokesman did not answer calls") is no second event. A
    report whose every reading is weak keeps its best one only: the classifier says it is an event, but
    several weak readings of one report are mostly its background sentences. A news article (``article``:
    ``ARTICLE_SENTENCES`` or more) whose every reading is weak has no event: most of its sentences are
    context, and a weak reading of one of them is no evidence of a happening."""
    strong = [g for g in groups if max(t.score for t in g.triggers) >= SECOND_EVENT_SCORE]
    if strong or not groups or article:
        return strong
    return [max(groups, key=lambda g: max(t.score for t in g.triggers))]


# --- the builder -------------------------------------------------------------------------


class _Builder:
    def __init__(self, doc: Doc, dictionary: ActorDictionary) -> None:
        self.doc = doc
        self.text = doc_text(doc)
        self.dictionary = dictionary
        self.dates: list[DateMention] = list(doc._.dates or [])
        self.counts: list[CountMention] = list(doc._.counts or [])
        self.actors: list[ActorMention] = list(doc._.actors or [])
        # a place name inside an actor's name ("Hamas", "Islamic Resistance in Lebanon") is no event place
        self.toponyms: list[Toponym] = [
            t for t in doc._.toponyms or [] if not any(a.start <= t.start and t.end <= a.end for a in self.actors)
        ]
        self.attributions: list[Attribution] = list(doc._.attributions or [])
        self.source = _report_source(doc)
        local = [a.country_code for a in self.actors if a.country_code and a.inter in (2, 3, 4)]
        named = [a.country_code for a in self.actors if a.country_code and a.inter != 8]
        self.focus = country_focus(doc, named, local)
        self.grievances = grievance_tokens(doc, list(doc._.triggers or []))
        """Tokens that tell what a protest is about: no event, place or toll of their own."""
        self.dateline_end = dateline_end(self.text)
        """Where the report's dateline ends (0: none); its date is the filing day, not an event's."""
        self.place_code: str | None = None
        """The country code of the place :meth:`_location` chose for the event being built."""
        self.article = False
        """A news article (``ARTICLE_SENTENCES`` or more), not a short note: set by :meth:`build`."""

    def _grieved(self, start: int, end: int) -> bool:
        """Is the text at start..end part of what a protest is about ("to denounce the killing of two herders")?"""
        if not self.grievances:
            return False
        span = self.doc.char_span(start, end, alignment_mode="expand")
        return span is not None and len(span) > 0 and span.root.i in self.grievances

    def _span(self, start: int, end: int) -> Span:
        return Span(start, end, self.text[start:end])

    def build(self) -> list[Event]:
        sentences = list(self.doc.sents)
        article = self.article = len(sentences) >= ARTICLE_SENTENCES
        grouped = group_triggers(self.doc, self.text, self.toponyms, self.dates, SECOND_EVENT_SCORE)
        groups = _weak_dropped(grouped, article)
        uncued = UNCUED_ARTICLE_SCORE if article else UNCUED_SCORE
        groups = [g for g in groups if g.cued or max(t.score for t in g.triggers) >= uncued]
        # "backed by airstrikes": how another event was done, its own event only when the report has no other
        groups = [g for g in groups if not supporting(self.doc, g)] or groups
        if not groups:
            return []
        lede_end = sentences[min(LEDE_SENTENCES, len(sentences)) - 1].end_char
        pairs = [(self._event(g), g) for g in groups]
        if article:  # an article's history ("the battle began in June") is its background, not its news
            pairs = [p for p in pairs if not history(p[0], self.doc._.published, BACKGROUND_DAYS)]
            if not pairs:
                return []
        built = main_first(pairs, main_event_key, lede_end, self.doc._.published, BACKGROUND_DAYS, article)
        kept = [built[0][0]]
        quotes = quoted_spans(self.text)
        for event, group in built[1:]:
            if side_event_kept(self.doc, event, group, kept, quotes, BACKGROUND_DAYS):
                kept.append(event)
        return kept

    def _event(self, group: Group) -> Event:
        best = max(group.triggers, key=lambda t: t.score)
        # a protest that police broke up is one "Protest with intervention" (ACLED codes the most severe)
        protest = group.triggers[0].sub_event_type in PROTEST_SEVERITY
        # in a news article, a weak reading told first (a side remark) yields to a strong one
        article = self.article
        first = max(group.triggers, key=lambda t: (t.score >= SECOND_EVENT_SCORE or not article, severity(t, protest)))
        sub = first.sub_event_type
        offensive = sub in TERRITORY_TAKEN and launched_to_take(self.doc, first) and not any(
            t.sub_event_type in TERRITORY_TAKEN and not launched_to_take(self.doc, t) for t in group.triggers)
        if offensive:  # "launched an operation to retake the city": the fight, until the city is told as taken
            sub = "Armed clash"
        event = Event(event_type=event_type_of(sub), sub_event_type=sub)
        if offensive:
            event.reasons["sub_event_type"] = "an operation launched to take ground: the fight, not the taking"
        event.confidence = best.score
        event.report_id = self.doc._.report_id
        event.evidence["event_type"] = self._span(first.start, first.end)
        event.evidence["sub_event_type"] = self._span(first.start, first.end)
        event.notes = " ".join(self.text[s:e].strip() for s, e in group.sentences)
        if self.source != "report":
            event.sources = [self.source]
        self._date(event, group)
        self.place_code = None
        self._location(event, group, first)
        self._actors(event, group, first)
        struck = air_strike(self.doc, first, event.inter1, "actor1" in event.evidence)
        if struck is not None:  # "an Israeli strike on a house killed five": read as the killing, coded as the strike
            self._from_the_air(event, struck)
        self._claimed(event, first)
        self._counts(event, group, "fatalities")
        self._counts(event, group, "displaced")
        return event

    def _from_the_air(self, event: Event, struck: tuple[str, int, int]) -> None:
        """An attack reading that :func:`~tocsin.nlp.events_weapons.air_strike` says is an air/drone strike."""
        why, start, end = struck
        event.sub_event_type = "Air/drone strike"
        event.event_type = event_type_of(event.sub_event_type)
        event.reasons["sub_event_type"] = why
        event.evidence["event_type"] = event.evidence["sub_event_type"] = self._span(start, end)
        if event.inter1 is not None and "actor1" not in event.evidence:  # an air force, not an unidentified group
            event.actor1 = event.inter1 = None
            event.reasons["actor1"] = "no actor named in the event's sentences"
        if event.reasons.get("actor2", "").startswith("inferred"):
            event.reasons["actor2"] = "inferred: the victims of a strike read as an attack on civilians"

    # --- claimed events --------------------------------------------------------------------
    def _claimed(self, event: Event, trigger: Trigger) -> None:
        """A party's own account ("the YPG said it destroyed two tanks") stays that party's claim.

        The speaker is a party when an armed or state actor named in the source is also one of
        the event's actors. Statements of others (media, monitors, officials, lawyers:
        "according to SOHR") are the report's sourcing, not a claim about the event's existence.
        """
        attribution = self._statement_holding(trigger)
        if attribution is None:
            return
        speakers = [
            m
            for m in self.actors
            if attribution.source_start <= m.start and m.end <= attribution.source_end and m.inter not in (6, 7)
        ]
        parties = {event.actor1, event.actor2, event.assoc_actor_1, event.assoc_actor_2} - {None}
        if not any(self._dated(m, event.date)[0] in parties for m in speakers):
            return
        span = self._span(trigger.start, trigger.end)
        event.claims.append(Claim(attribution.source, "sub_event_type", event.sub_event_type, span))
        event.reasons["sub_event_type"] = f"claimed by {attribution.source}"

    def _statement_holding(self, trigger: Trigger) -> Attribution | None:
        """The statement the trigger's head word lies in; for a whole-sentence trigger, one covering most of it."""
        root = trigger_root(self.doc, trigger)
        start, end = (root.idx, root.idx + len(root)) if root is not None else (trigger.start, trigger.end)
        attribution = _attribution_at(self.attributions, start, end)
        if attribution is not None or (trigger.start, trigger.end) != (trigger.sent_start, trigger.sent_end):
            return attribution
        half = (trigger.sent_end - trigger.sent_start) / 2
        inside = [
            a
            for a in self.attributions
            if trigger.sent_start <= a.start and a.end <= trigger.sent_end and a.end - a.start > half
        ]
        return inside[0] if inside else None

    # --- date ------------------------------------------------------------------------------
    def _date(self, event: Event, group: Group) -> None:
        dated = [d for d in self.dates if d.value is not None]
        inside = [d for d in dated if _inside(d.start, d.end, group.sentences)]
        # the dateline's day is when the story was filed; "since Thursday" when a state of things began
        begun = [d for d in inside if _since(self.text, d)]
        told = [d for d in inside if d not in begun]
        chosen = next((d for d in told if d.start >= self.dateline_end), None) or next(iter(told), None)
        if chosen is None:
            # a date after publication (a deadline, the end of a curfew) is no day on which something was told to happen
            earlier = [d for d in dated if d.end <= group.start and not self._after_publication(d)]
            chosen = max(earlier, key=lambda d: d.start) if earlier else None
            if chosen is not None:
                event.reasons["date"] = "nearest earlier date in the report"
        if chosen is None and begun:
            chosen = begun[0]
            event.reasons["date"] = "the day it began: the report gives no other"
        if chosen is not None:
            value = chosen.value
            event.date = value.date() if isinstance(value, dt.datetime) else value
            event.time_precision = chosen.precision
            event.evidence["date"] = self._span(chosen.start, chosen.end)
            return
        published = self.doc._.published
        if isinstance(published, dt.datetime | dt.date):
            event.date = published.date() if isinstance(published, dt.datetime) else published
            event.time_precision = 1
            event.reasons["date"] = "publication date: no date in text"
        else:
            event.reasons["date"] = "no date in text and no publication date"

    def _after_publication(self, mention: DateMention) -> bool:
        published = self.doc._.published
        value = mention.value
        day = value.date() if isinstance(value, dt.datetime) else value
        return isinstance(published, dt.datetime) and isinstance(day, dt.date) and day > published.date()

    # --- actors ----------------------------------------------------------------------------
    def _participants(self, group: Group) -> list[ActorMention]:
        """Actor mentions of the event's sentences that are not the speaker of a statement, nor in what a protest
        is about ("protested against the M23 advance": the M23 is not at the protest)."""
        sources = [(a.source_start, a.source_end) for a in self.attributions]
        return [
            m
            for m in self.actors
            if _inside(m.start, m.end, group.sentences) and not any(s < m.end and m.start < e for s, e in sources)
            and not self._grieved(m.start, m.end)
        ]

    def _actors(self, event: Event, group: Group, trigger: Trigger) -> None:
        mentions = self._participants(group)
        statement = self._statement_holding(trigger)
        speakers = (
            []
            if statement is None
            else [m for m in self.actors if statement.source_start <= m.start and m.end <= statement.source_end]
        )
        first, second, assoc1 = actor_roles(self.doc, trigger, mentions, speakers)
        spoke = None
        if event.event_type not in PROTEST_KINDS and first is not None and self._civilian(first):
            # ACLED codes civilians only as actor2, the side violence is done to
            second = second if second is not None else first
            first = None
        if first is None and event.event_type not in PROTEST_KINDS and event.event_type != "Violence against civilians":
            spoke = self._armed_speaker(group, second)
            first = spoke
        claimant = responsible(self.doc, group.sentences + group.context, self.actors)
        claimed = claimant is not None and event.event_type in UNKNOWN_PERPETRATOR_TYPES and (
            first is None or first is spoke or not acting(self.doc, first)) and claimant is not second
        if claimed:  # "Al-Shabaab claimed responsibility": ACLED codes the claimant as the perpetrator
            first = claimant
        self._apply_type_rules(event, first, second, assoc1, mentions)
        if claimed and claimant is not None and "actor1" in event.evidence:
            event.reasons["actor1"] = f"claimed responsibility ({claimant.text!r})"
        elif spoke is not None and "actor1" in event.evidence:
            event.reasons["actor1"] = f"no agent in the text; the armed party that reports it ({spoke.text!r})"

    def _armed_speaker(self, group: Group, other: ActorMention | None) -> ActorMention | None:
        """An armed or state actor speaking in the event's sentences ("the army said 12 militants were killed").

        Not when civilians are the victims ("the army said 25 civilians were killed" tells of someone else's
        violence), nor a sponsor named in the speaker's title ("the army-aligned governor said")."""
        if other is not None and self._civilian(other):
            return None
        text = self.text
        for attribution in self.attributions:
            if not _inside(attribution.source_start, attribution.source_end, group.sentences):
                continue
            for mention in self.actors:
                spoken = attribution.source_start <= mention.start and mention.end <= attribution.source_end
                if (spoken and mention.inter not in (5, 6, 7) and (other is None or mention.name != other.name)
                        and not _BACKED_AFTER.match(text[mention.end : mention.end + 14])
                        and not _same_side(mention, other)):
                    return mention
        return None

    def _apply_type_rules(
        self,
        event: Event,
        first: ActorMention | None,
        second: ActorMention | None,
        assoc1: ActorMention | None,
        mentions: list[ActorMention],
    ) -> None:
        kind = PROTEST_KINDS.get(event.event_type)
        if kind is not None:
            crowd = next((m for m in mentions if self._kind(m) in ("protesters", "rioters")), None)
            if crowd is None and first is not None and self._kind(first) == "civilians":
                crowd = first  # "residents protested": the residents are the protesters
            group_member = next((m for m in mentions if self._is_assoc(m)), None)
            if crowd is not None and crowd is not first:
                if first is not None and second is None and first is not crowd and not self._is_assoc(first):
                    second = first
                first = crowd
            if second is crowd:
                second = None
            if first is not None and self._is_assoc(first):
                group_member, first = first, None
            elif first is not None and self._kind(first) not in CROWD_KINDS:
                # "police dispersed them": the police are the other side; the crowd is inferred
                if second is None or self._kind(second) in CROWD_KINDS or self._is_assoc(second):
                    second = first
                first = None
            if assoc1 is None and group_member is not None and group_member is not first:
                assoc1 = group_member
            self._set(event, 1, first, crowd_kind=kind)
            if event.sub_event_type == "Peaceful protest":
                second = None  # ACLED: nobody acts against a peaceful protest; what it targets is no actor
            elif second is None and event.sub_event_type in _MET_WITH_FORCE:
                # "protesters rallied; police fired tear gas": ACLED codes the force that intervened as actor2
                second = next((m for m in mentions if m.inter == 1), None) or next(
                    (m for m in mentions if m.inter in (3, 8)), None
                )
        elif first is None and event.sub_event_type == "Arrests" and (
            force := next((m for m in (second, *mentions) if m is not None and m.inter == 1), None)
        ) is not None:
            # "migrants were detained during an operation of the Coast Guard Command of Turkish Army": a state
            # force in an arrest is the one arresting; those detained are actor2 when the text names them
            if second is force:
                second = next((m for m in mentions if self._civilian(m)), None)
            first = force
            self._set(event, 1, first)
            event.reasons["actor1"] = "the state force of an arrest is the one arresting"
        elif first is None and event.event_type in UNKNOWN_PERPETRATOR_TYPES and event.sub_event_type not in AIR:
            self._set(event, 1, None, crowd_kind="armed_group")
            event.reasons["actor1"] = ("inferred: no perpetrator named; ACLED codes an unknown one as an unidentified "
                                       "armed group")
        else:
            self._set(event, 1, first)
        if event.event_type == "Violence against civilians":
            if second is None or (self._kind(second) not in ("civilians",) and not self._is_assoc(second)):
                victim = next((m for m in mentions if self._kind(m) == "civilians" and m is not first), None)
                if victim is not None:
                    second = victim
            self._set(event, 2, second, crowd_kind="civilians")
        else:
            self._set(event, 2, second)
        if assoc1 is not None and event.assoc_actor_1 is None and assoc1 is not first:
            event.assoc_actor_1 = self._dated(assoc1, event.date)[0]
            event.evidence["assoc_actor_1"] = self._span(assoc1.start, assoc1.end)

    def _civilian(self, mention: ActorMention) -> bool:
        return self._kind(mention) == "civilians" or self._is_assoc(mention)

    def _kind(self, mention: ActorMention) -> str | None:
        spec = self.dictionary.group_kind(mention.name)
        return spec.kind if spec is not None else None

    def _is_assoc(self, mention: ActorMention) -> bool:
        spec = self.dictionary.group_kind(mention.name)
        return spec is not None and spec.assoc

    def _set(self, event: Event, role: int, mention: ActorMention | None, crowd_kind: str | None = None) -> None:
        """Fill actor``role`` (and its inter, assoc actor, evidence) from a mention or the event type."""
        key, assoc_key, inter_key = f"actor{role}", f"assoc_actor_{role}", f"inter{role}"
        code = (mention.country_code if mention else None) or self.focus or self.place_code
        if mention is not None and self._is_assoc(mention) and crowd_kind is not None:
            # "students protested": Protesters (Country) with Students (Country) associated.
            setattr(event, assoc_key, mention.name)
            event.evidence[assoc_key] = self._span(mention.start, mention.end)
            mention = None
        elif mention is not None and self._is_assoc(mention):
            setattr(event, assoc_key, mention.name)
            event.evidence[assoc_key] = self._span(mention.start, mention.end)
            crowd_kind, mention = "civilians", None
        if mention is not None and crowd_kind in PROTEST_KINDS.values() and self._kind(mention) in CROWD_KINDS:
            if self._kind(mention) != crowd_kind:
                name = self.dictionary.group_name(crowd_kind, mention.country_code or self.focus)
                setattr(event, key, name)
                setattr(event, inter_key, self.dictionary.groups[crowd_kind].inter)
                event.evidence[key] = self._span(mention.start, mention.end)
                event.reasons[key] = f"{mention.text!r} coded as {crowd_kind} for a {event.event_type} event"
                return
        if mention is not None:
            name, inter = self._dated(mention, event.date)
            note = mention.note
            if note == FOCUS_NOTE and self.place_code and self.place_code != mention.country_code:
                # "the border police station in Madouba, Kossi Province": a force of no country said is the
                # force of the country the event is in, whatever the report's other names point to
                # ("gunmen", "civilians": Unidentified Armed Group (Niger) in Tillaberi)
                found = self.dictionary.of_country(mention.name, self.place_code, event.date)
                if found is not None:
                    name, note = found[0], PLACE_NOTE
                    inter = 1 if found[1] else inter
            setattr(event, key, name)
            setattr(event, inter_key, inter)
            event.evidence[key] = self._span(mention.start, mention.end)
            if note:
                event.reasons[key] = note
            return
        if crowd_kind is not None and crowd_kind in self.dictionary.groups:
            where = "country of the report" if code else "the report names no country"
            if crowd_kind in PROTEST_KINDS.values() and self.place_code:  # of the country it gathers in
                code, where = self.place_code, "country of the event's place"
            setattr(event, key, self.dictionary.group_name(crowd_kind, code))
            setattr(event, inter_key, self.dictionary.groups[crowd_kind].inter)
            event.reasons[key] = f"inferred: a {event.event_type} event always has {crowd_kind}; {where}"
            return
        event.reasons[key] = "no actor named in the event's sentences"

    def _dated(self, mention: ActorMention, on: dt.date | None) -> tuple[str, int]:
        """The mention's canonical name on the event's date (names of state forces change with regimes)."""
        if on is None:
            return mention.name, mention.inter
        name, inter = self.dictionary.rename(mention.name, on, self.focus)
        return name, inter if inter is not None else mention.inter

    # --- location --------------------------------------------------------------------------
    def _location(self, event: Event, group: Group, trigger: Trigger) -> None:
        inside = [t for t in self.toponyms if _inside(t.start, t.end, group.sentences)]
        resolved = [t for t in inside if t.resolved]
        specific = [t for t in resolved if not _is_country(t)]
        main = self._main_place()
        specific = _within_named_regions(specific, self.text)
        body = [t for t in specific if not is_dateline(self.text, t)]
        if specific and not body and main is not None and not _is_country(main) and not is_dateline(self.text, main):
            self._put(event, main, "report's main place: the event's sentences name only the dateline")
        elif specific:
            body = body or specific
            # "Kalle, a village 17 km from Maiduguri": the distance's reference point is not the place
            specific = _without_containers([t for t in body if not reference_point(self.text, t)] or body)
            root = trigger_root(self.doc, trigger)
            chosen = min(specific, key=lambda t: self._rank_place(t, root, trigger))
            self._put(event, chosen)
            self._settlement(event, chosen, inside)
        elif resolved:
            root = trigger_root(self.doc, trigger)
            best = min(resolved, key=lambda t: self._rank_place(t, root, trigger))
            if main is not None and not _is_country(main) and main.country_code in (best.country_code, self.focus):
                self._put(event, main, "report's main place: the event's sentences name only a country")
            else:
                self._put(event, best)
        elif main is not None:
            self._put(event, main, "report's main place: no resolved place in the event's sentences")
            self._settlement(event, main, inside)
        elif inside:
            event.location.name = inside[0].name
            event.evidence["location"] = self._span(inside[0].start, inside[0].end)
            event.reasons["location"] = f"unresolved: {inside[0].reason or 'not in the gazetteer'}"
        else:
            event.reasons["location"] = "no place in text"
        self._imprecise(event, group)

    def _imprecise(self, event: Event, group: Group) -> None:
        """A place that is not the event's own says so in its precision: the report's main place stands in for a
        place the event's sentences do not give (precision 2 at best), and a toll spread over many places
        ("attacks across the Kharkiv region", "in several districts") is no one place (precision 3)."""
        location = event.location
        if location.latitude is None:
            return
        spread = next((m for s, e in group.sentences if (m := SPREAD.search(self.text, s, e))), None)
        if spread is not None:
            location.geo_precision = 3
            event.reasons["location"] = "; ".join(filter(None, (
                event.reasons.get("location"), f"spread over many places ({spread.group(0)!r}): precision 3")))
        elif event.reasons.get("location", "").startswith("report's main place") and (location.geo_precision or 1) < 2:
            location.geo_precision = 2
            event.reasons["location"] += "; not the event's own place: precision 2"

    def _rank_place(self, toponym: Toponym, root: Token | None, trigger: Trigger) -> tuple[object, ...]:
        """A protest's grievance ("to protest an airstrike in Idlib") is not where it was held, whatever
        country the report is about; then :func:`_place_rank`."""
        grieved = self._grieved(toponym.start, toponym.end)
        return (grieved, *_place_rank(self.doc, self.text, toponym, root, trigger, self.focus))

    def _settlement(self, event: Event, area: Toponym, inside: list[Toponym]) -> None:
        """A village the gazetteer lacks, named in the event's sentences as one ("Nyalun community in Wase Local
        Government Area"), is the event's place when the chosen place is an administrative area: ACLED codes
        the village, placed at the area that holds it (geo_precision 2)."""
        if not (area.feature_code or "").startswith("ADM"):
            return
        found = settlement_name(self.text, [t for t in inside if not t.resolved])
        if found is not None:
            toponym, name = found
            event.location.name = name
            event.location.geonames_id = None
            event.location.geo_precision = 2
            event.evidence["location"] = self._span(toponym.start, toponym.start + len(name))
            event.reasons["location"] = f"a settlement not in the gazetteer, placed at {area.name}"

    def _put(self, event: Event, toponym: Toponym, reason: str | None = None) -> None:
        _copy_place(event.location, toponym)
        self.place_code = toponym.country_code
        event.evidence["location"] = self._span(toponym.start, toponym.end)
        if reason:
            event.reasons["location"] = reason

    def _main_place(self) -> Toponym | None:
        """The report's main place: its most mentioned resolved place below country level (the dateline only
        when the body names none), else a country."""
        resolved = [t for t in self.toponyms if t.resolved]
        if not resolved:
            return None
        counts = Counter(t.geonames_id or t.name for t in resolved)
        return min(
            resolved,
            key=lambda t: (
                bool(self.focus) and t.country_code != self.focus,
                _is_country(t),
                is_dateline(self.text, t),
                -counts[t.geonames_id or t.name],
                t.start,
            ),
        )

    # --- counts ----------------------------------------------------------------------------
    def _counts(self, event: Event, group: Group, kind: str) -> None:
        ranges = group.sentences + group.context
        counts = sorted(
            (c for c in self.counts if c.kind == kind and _inside(c.start, c.end, ranges)
             and not self._grieved(c.start, c.end)),
            key=_start,
        )
        if not counts:
            self._no_count(event, group, kind)
            return
        by_source: dict[str, list[list[CountMention]]] = {}
        more: list[tuple[list[CountMention], str]] = []
        named: dict[str, str] = {}  # "The army" and "the army" are one source, named as first written
        for cluster in _clusters(self.text, counts, ranges):
            attribution = _attribution_at(self.attributions, cluster[0].start, cluster[-1].end)
            source = attribution.source if attribution is not None else self.source
            source = named.setdefault(source.lower(), source)
            if all(_additional(self.text, m) for m in cluster):
                more.append((cluster, source))  # "2 more died at the hospital": on top of a toll, not a rival
            else:
                by_source.setdefault(source, []).append(cluster)
        if not by_source:
            by_source = {source: [cluster] for cluster, source in more[:1]}
            more = more[1:]
        values: list[tuple[int, Span, str]] = []
        vague: list[bool] = []
        victims: list[frozenset[str]] = []
        for source, clusters in by_source.items():
            cluster = max(clusters, key=lambda c: sum(m.value for m in c))
            value = sum(m.value for m in cluster)
            span = self._span(cluster[0].start, cluster[-1].end)
            values.append((value, span, source))
            vague.append(any(m.vague for m in cluster))
            victims.append(frozenset(self._victim(m) for m in cluster))
            event.claims.append(Claim(source, kind, value, span))
        if len(values) > 1 and _distinct_groups(victims):
            # "the army said 12 militants were killed, activists said 5 civilians died": two tolls, not a dispute
            setattr(event, kind, sum(v[0] for v in values))
            event.evidence[kind] = self._span(values[0][1].start, values[-1][1].end)
            event.reasons[kind] = "sources count different victims; their figures are added"
        else:
            # "thousands of families fled" is a lower bound, not a rival of "16,000 people": a vague figure
            # is coded only when no source gives a number
            precise = [v for v, is_vague in zip(values, vague, strict=True) if not is_vague]
            value, span, source = min(precise or values, key=lambda v: v[0])
            setattr(event, kind, value)
            event.evidence[kind] = span
            if len({v[0] for v in values}) > 1:
                lowest = "the lowest" if not precise or len(precise) == len(values) else "the lowest exact figure"
                event.reasons[kind] = f"sources disagree; {lowest} ({source}) is coded"
        for cluster, source in more:
            added = sum(m.value for m in cluster)
            span = self._span(cluster[0].start, cluster[-1].end)
            event.claims.append(Claim(source, kind, added, span))
            setattr(event, kind, getattr(event, kind) + added)
            event.evidence[kind] = self._span(min(event.evidence[kind].start, span.start),
                                              max(event.evidence[kind].end, span.end))
            reason = event.reasons.get(kind)
            event.reasons[kind] = f"{reason}; " if reason else ""
            event.reasons[kind] += f"{added} more ({source}) added"

    def _victim(self, count: CountMention) -> str:
        """The noun a count counts ("12 militants" -> militant), or "" when the text does not say."""
        span = self.doc.char_span(count.start, count.end, alignment_mode="expand")
        if span is None or not len(span):
            return ""
        token = span.root
        if token.dep_ == "nummod" or token.pos_ == "NUM":
            head = token.head if token.dep_ == "nummod" else token
            lemma = head.lemma_.lower()
            return "" if lemma in GENERIC_VICTIMS or head.pos_ not in ("NOUN", "PROPN") else lemma
        return "" if token.lemma_.lower() in GENERIC_VICTIMS or token.pos_ not in ("NOUN", "PROPN") else token.lemma_

    def _no_count(self, event: Event, group: Group, kind: str) -> None:
        if kind == "fatalities":
            for start, end in group.sentences + group.context:
                found = NO_CASUALTIES.search(self.text, start, end)
                if found:
                    event.fatalities = 0
                    event.evidence["fatalities"] = self._span(found.start(), found.end())
                    return
        event.reasons[kind] = f"no {kind} count in the event's sentences"


def _same_side(speaker: ActorMention, victims: ActorMention | None) -> bool:
    """A state's forces reporting losses of that state's forces ("a roadside bomb killed three soldiers, police
    said"): they tell what was done to their side, not what they did."""
    return (victims is not None and speaker.inter == 1 and victims.inter == 1
            and victims.name.startswith(_FORCES)  # a government is no loss of forces (Yemen has two)
            and speaker.country_code is not None and speaker.country_code == victims.country_code)


_FORCES = ("Military Forces", "Police Forces")


def _distinct_groups(victims: list[frozenset[str]]) -> bool:
    """Every source names its victims and no two sources name the same ones."""
    if any(not v or "" in v for v in victims):
        return False
    seen: set[str] = set()
    for group in victims:
        if group & seen:
            return False
        seen |= group
    return True


def _start(mention: CountMention) -> int:
    return mention.start


def _clusters(text: str, counts: list[CountMention], ranges: list[tuple[int, int]]) -> list[list[CountMention]]:
    """Counts of distinct victim groups joined in one clause are added; others stand alone."""
    clusters: list[list[CountMention]] = []
    for mention in counts:
        if clusters:
            last = clusters[-1][-1]
            gap = text[last.end : mention.start]
            same_sentence = any(s <= last.start and mention.end <= e for s, e in ranges)
            if same_sentence and COORDINATED.match(gap) and not SUBSET_WORDS.search(gap):
                clusters[-1].append(mention)
                continue
        clusters.append([mention])
    return clusters


# --- dependency helpers ------------------------------------------------------------------


def _since(text: str, mention: DateMention) -> bool:
    """'Have fled since Thursday': the day a state of things began, not a day on which something happened."""
    before = text[max(0, mention.start - 7) : mention.start].rstrip().lower()
    return before.endswith("since") or mention.text.lower().startswith("since ")


def is_dateline(text: str, top: Toponym) -> bool:
    """'BAGHDAD (Reuters) -', 'Naypyidaw [Myanmar], February 8 :', 'Port Sudan, (APP ...)'.

    Where the reporter files from, not where anything happened, when the body names other places.
    """
    if top.start < 40 and top.name.isupper() and len(top.name) > 2:
        return True
    return top.start < 40 and not text[: top.start].strip() and text[top.end : top.end + 3].lstrip()[:1] in (
        "(", "[", ",", "-")


def _is_country(toponym: Toponym) -> bool:
    return (toponym.feature_code or "").startswith("PCL")


def _specificity(toponym: Toponym) -> float:
    """Lower is more specific: towns and districts, then unknown kinds, then provinces, then countries."""
    code = toponym.feature_code or ""
    if code.startswith("PCL"):
        return 3.0
    if code == "ADM1":
        return 2.0
    if code.startswith("ADM"):
        return 1.0
    if code.startswith("PPL") or toponym.geo_precision == 1:
        return 0.0
    return 1.0


def _within_named_regions(places: list[Toponym], text: str) -> list[Toponym]:
    """Drop places lying outside the admin1 regions the sentences name in their country.

    "in Kartal Istanbul" where the gazetteer's Kartal is a village of Gaziantep, "Sinjar area ... in Hama
    countryside" where its Sinjar is in Idlib: the named region is the writer's own word for where it
    happened, a namesake elsewhere is not. The regions themselves stay candidates. A region named as where
    people come from ("protesters from Babylon protested in Najaf") bounds nothing.
    """
    regions = [t for t in places if t.feature_code == "ADM1" and t.admin1 and not _origin(text, t)]
    if not regions:
        return places
    named = {(r.country_code, (r.admin1 or "").lower()) for r in regions}
    countries = {r.country_code for r in regions}
    return [
        t for t in places
        if t.country_code not in countries or (t.country_code, (t.admin1 or "").lower()) in named
    ]


def _without_containers(places: list[Toponym]) -> list[Toponym]:
    """Drop places that contain another candidate ("Fresnillo, Zacatecas" -> Fresnillo; "positions in Kirkuk
    province, including the town of Taza Khurmatu" -> Taza Khurmatu): by the name as written, or by the
    gazetteer's admin1 of the other."""
    containers = {(p.admin1 or "").lower() for p in places} | {(p.admin2 or "").lower() for p in places}
    inner = [
        p for p in places
        if (p.name.lower() not in containers or p.name.lower() in _own_admin(p))
        and not any(_contains(p, q) for q in places)
    ]
    return inner or places


def _contains(outer: Toponym, inner: Toponym) -> bool:
    """``outer`` is an admin1 region of the gazetteer and ``inner`` a smaller place inside it.

    Not a district and its town: "Aden (Craiter Aden)" names the district the city lies in, both one place."""
    if outer is inner or outer.country_code != inner.country_code or outer.feature_code != "ADM1":
        return False
    return inner.feature_code != "ADM1" and bool(inner.admin1) and inner.admin1 == outer.admin1


def _own_admin(place: Toponym) -> set[str]:
    return {(place.admin1 or "").lower(), (place.admin2 or "").lower()}


def _minor(text: str, toponym: Toponym) -> bool:
    """A street or neighbourhood name ("Sao Geraldo neighborhood", "Murree road"): ACLED codes the town."""
    return MINOR_PLACE.match(text[toponym.end : toponym.end + 16].lower()) is not None


def _attached(doc: Doc, toponym: Toponym, root: Token | None) -> bool:
    """Is the toponym in a prepositional phrase hanging off the trigger (or its verb)?"""
    if root is None:
        return False
    span = doc.char_span(toponym.start, toponym.end, alignment_mode="expand")
    if span is None or not len(span):
        return False
    token = span.root
    anchors = {root.i, verb_of(root).i}
    for _ in range(4):
        head = token.head
        if head.i == token.i:
            return False
        if token.dep_ == "pobj" and head.dep_ == "prep" and head.lower_ in PLACE_PREPS and head.head.i in anchors:
            return True
        token = head
    return False


_ORIGIN = re.compile(
    r"\bfrom\s+(?:the\s+)?(?:(?:village|town|city|area|region|district|province|governorate|camp)s?\s+of\s+)?$", re.I
)


def _origin(text: str, toponym: Toponym) -> bool:
    """Where someone comes from ("an individual from Afrin in Idleb", "fighters from Deir-ez-Zor, in Jarablus"),
    not where the event happened."""
    return _ORIGIN.search(text, max(0, toponym.start - 40), toponym.start) is not None


_CAUSE = re.compile(r"\bin\s+(?:support|solidarity)\s+(?:of|with)\b[^.;,()]*$", re.I)


def _cause(text: str, toponym: Toponym) -> bool:
    """A place named as whom a protest supports ("rallies in Baghdad in support of the demonstrations in Najaf",
    "in solidarity with Koudougou"), not where it happened."""
    return _CAUSE.search(text, max(0, toponym.start - 80), toponym.start) is not None


#: Verbs whose subject speaks or acts: a place in that role stands for its government ("Moscow said", "Kyiv
#: launched").
_AGENT_VERBS = SPEECH_LEMMAS | frozenset(
    "demand threaten order deploy send launch fire strike attack bomb shell target retaliate respond vow blame "
    "condemn reject agree sign negotiate urge call dispatch mobilise mobilize pledge promise approve ban impose".split()
)
#: What a place's government owns ("Kyiv's drones", "Moscow's forces"), unlike "Idlib's countryside".
_AGENT_NOUNS = frozenset(
    "force army military troop government drone missile jet warplane navy president minister ministry official "
    "ally proxy militia negotiator delegation envoy".split()
)
_BACKED_AFTER = re.compile(r"^-(?:" + "|".join((*SPONSOR_WORDS, "based")) + r")\b")


_MORE_AFTER = re.compile(r"\s+(?:more|additional|further)\b", re.IGNORECASE)
_MORE_BEFORE = re.compile(r"\b(?:another|an additional|a further)\s+$", re.IGNORECASE)


def _additional(text: str, count: CountMention) -> bool:
    """'2 more died at the hospital', 'another three soldiers died of their wounds': a count on top of a toll."""
    return bool(_MORE_AFTER.match(text, count.end) or _MORE_BEFORE.search(text[max(0, count.start - 16):count.start]))


def _metonym(doc: Doc, text: str, toponym: Toponym) -> bool:
    """A place named for its government or its people, not where anything happened: the subject of a verb of
    acting or saying ("Moscow said its forces shelled Kupiansk"), the "by" agent of a passive verb ("abandoned by
    the U.S."), a possessor ("Kyiv's drones") or the first half of "Damascus-backed"."""
    if _BACKED_AFTER.match(text[toponym.end : toponym.end + 14]):
        return True
    span = doc.char_span(toponym.start, toponym.end, alignment_mode="expand")
    if span is None or not len(span):
        return False
    token = span.root
    if token.dep_ == "poss":
        return token.head.lemma_.lower() in _AGENT_NOUNS
    if token.dep_ == "pobj" and token.head.dep_ == "agent":
        return True  # "abandoned by the U.S.", "shelled by Russia": the doer of a passive verb
    return token.dep_ == "nsubj" and token.head.lemma_.lower() in _AGENT_VERBS


def _place_rank(
    doc: Doc, text: str, toponym: Toponym, root: Token | None, trigger: Trigger, focus: str | None
) -> tuple[bool, bool, bool, bool, bool, float, int]:
    """Not a government's name, then places of the report's country, not a street, not an origin or a cause
    supported, attached to the trigger, specific, near."""
    return (
        _metonym(doc, text, toponym),
        bool(focus) and toponym.country_code != focus,
        _minor(text, toponym),
        _origin(text, toponym) or _cause(text, toponym),
        not _attached(doc, toponym, root),
        _specificity(toponym),
        abs(toponym.start - trigger.start),
    )


def _copy_place(location: Location, toponym: Toponym) -> None:
    location.name = toponym.place_name or toponym.name
    location.latitude = toponym.latitude
    location.longitude = toponym.longitude
    location.admin1 = toponym.admin1
    location.admin2 = toponym.admin2
    location.country = toponym.country
    location.geo_precision = toponym.geo_precision
    location.geonames_id = toponym.geonames_id


def main_event_key(event: Event) -> float:
    """Main event first: the trigger's score x (1 + has fatalities + has a resolved location)."""
    has_fatalities = 1 if event.fatalities is not None else 0
    has_place = 1 if event.location.latitude is not None else 0
    return event.confidence * (1 + has_fatalities + has_place)


def build_events(doc: Doc, dictionary: ActorDictionary | None = None) -> list[Event]:
    """The report's events, main event first; none when no sentence has a trigger."""
    if not doc._.triggers:
        return []
    return _Builder(doc, dictionary or load_dictionary()).build()


class EventsComponent:
    """Writes ``doc._.events``."""

    def __init__(self, nlp: Language, name: str = "tocsin_events", actors_file: str = "") -> None:
        self.name = name
        self.dictionary = load_dictionary(actors_file or None)

    def __call__(self, doc: Doc) -> Doc:
        doc._.events = build_events(doc, self.dictionary)
        return doc


@Language.factory("tocsin_events", assigns=["doc._.events"], default_config={"actors_file": ""})
def make_events(nlp: Language, name: str, actors_file: str) -> EventsComponent:
    return EventsComponent(nlp, name, actors_file)
