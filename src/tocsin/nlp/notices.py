"""Civilian-protection notices in reports: evacuation orders, strike warnings, curfews, corridors, deadlines.

The ``tocsin_notices`` component reads each sentence's parse and a few lexicons, decides whether the
sentence announces a notice (one per sentence at most), and fills its fields from what earlier
components left on the Doc: areas from ``doc._.toponyms`` (spaCy's place entities when that is None),
times from ``doc._.dates`` (a small reader of its own when that is None), the issuer from the subject
of the announcing verb or ``doc._.attributions``. Sentences about the same notice are merged, so a
curfew announced in one sentence and given its end in the next is one notice. See docs/notices.md.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from tocsin.model import Area, Attribution, DateMention, Event, Notice, Span, Toponym
from tocsin.nlp import _notice_times as times
from tocsin.nlp import paragraphs
from tocsin.nlp._notice_cues import (
    DESTINATION_PREPS,
    DIRECTIVE_VERBS,
    EVAC_VERBS,
    ISSUER_NOT,
    ISSUING_VERBS,
    OPEN_END_CUES,
    PLACE_NOUNS,
    RECURRING_CUES,
    REPORTING_VERBS,
    RESIDENT_WORDS,
    SUBORDINATORS,
    WEEKDAY_RE,
    CueMatcher,
    ancestors,
    best_cue,
    cues,
    matcher_patterns,
    schedule_parts,
)
from tocsin.nlp._notice_times import COUNTRY_ZONES, Window
from tocsin.nlp.events import is_dateline
from tocsin.nlp.pipeline import doc_text

__all__ = ["COUNTRY_ZONES", "NoticeFinder", "find_notices", "make_notice_finder", "zone_for"]

log = logging.getLogger(__name__)

@dataclass
class _Draft:
    """A notice being assembled from one or more sentences."""

    kind: str
    sent: SpacySpan
    cue: SpacySpan
    areas: list[Area] = field(default_factory=list)
    area_spans: list[Span] = field(default_factory=list)
    window: Window = field(default_factory=Window)
    issuer: str | None = None
    issuer_span: Span | None = None
    zone: str | None = None
    areas_inferred: bool = False
    """The areas come from a neighbouring sentence (weak: they do not keep two notices apart)."""
    separate: bool = False
    """'Similar orders were given in ...': another notice, never merged into the previous one."""
    definite: bool = False
    """'The curfew will last until ...': refers back to a notice already mentioned."""
    clause: SpacySpan | None = None
    """The part of the sentence that states this notice, when the sentence states several."""
    last_sent: SpacySpan = field(init=False)
    """The last sentence folded into this draft."""

    def __post_init__(self) -> None:
        self.last_sent = self.sent
        if self.clause is None:
            self.clause = self.sent


class NoticeFinder:
    """The ``tocsin_notices`` pipeline component: sets ``doc._.notices``."""

    def __init__(self, nlp: Language, name: str = "tocsin_notices") -> None:
        self.name = name
        self.matcher = CueMatcher(nlp.vocab, matcher_patterns())

    def __call__(self, doc: Doc) -> Doc:
        try:
            doc._.notices = find_notices(doc, self.matcher)
        except Exception:  # a bad document is reported, not fatal for the batch
            log.exception("tocsin_notices: failed on report %r; no notices kept", doc._.report_id)
            doc._.notices = []
        if doc._.notices and Doc.has_extension("events") and doc._.events:
            doc._.events = events_besides(doc._.events, doc._.notices)
        return doc


#: Sub-types the classifier gives a warning's own sentence ("a curfew was imposed on ..."): the notice
#: is what that sentence tells, not a second, ACLED event.
NOTICE_READINGS = frozenset(("Change to group/activity", "Other"))


#: A notice's own word read as an event's cue ("the curfew", "evacuation", "a humanitarian corridor").
NOTICE_WORDS = re.compile(
    r"\b(?:curfews?|lockdowns?|evacuat\w*|corridors?|deadlines?|ultimatums?|displacement|relocation"
    r"|(?:safe|humanitarian) (?:passage|route|pause|window)s?)\b",
    re.IGNORECASE,
)


def events_besides(events: list[Event], notices: list[Notice]) -> list[Event]:
    """The events that are not the notices read as events.

    A notice's own sentence read as *Change to group/activity* or *Other* is the notice, not an event.
    So is such a reading whose cue word is a notice's word ("Now you have a curfew", "while the curfew
    order is in force") anywhere in a report that has notices, when the report keeps another event:
    the curfew is told as the warning, and the report's news is its other event. Alone, the reading
    stays (ACLED codes a curfew imposed, with nothing else, as a change to group/activity).
    """
    spans = [(n.evidence.start, n.evidence.end) for n in notices if n.evidence is not None]

    def is_notice(event: Event) -> bool:
        where = event.evidence.get("sub_event_type")
        return (
            event.sub_event_type in NOTICE_READINGS
            and where is not None
            and any(start <= where.start and where.end <= end for start, end in spans)
        )

    def names_a_notice(event: Event) -> bool:
        where = event.evidence.get("sub_event_type")
        return event.sub_event_type in NOTICE_READINGS and where is not None and bool(NOTICE_WORDS.search(where.text))

    kept = [e for e in events if not is_notice(e)]
    others = [e for e in kept if not names_a_notice(e)]
    return others if notices and others else kept


@Language.factory("tocsin_notices", default_config={}, assigns=["doc._.notices"])
def make_notice_finder(nlp: Language, name: str) -> NoticeFinder:
    return NoticeFinder(nlp, name)


# --- the per-document pass --------------------------------------------------------------------------------
def find_notices(doc: Doc, matcher: Matcher | CueMatcher) -> list[Notice]:
    """All notices in ``doc`` (the component's work, callable on its own for tests)."""
    sents = list(doc.sents)
    cues_by_sent = cues(doc, matcher, sents)
    if not cues_by_sent:
        return []  # most reports: nothing more to read
    published: dt.datetime | None = doc._.published
    mentions: list[DateMention] = list(doc._.dates) if doc._.dates is not None else times.read_dates(doc, published)
    toponyms = _toponyms(doc, sents)
    attributions: list[Attribution] = list(doc._.attributions or [])
    doc_zone = _doc_zone(toponyms) or _dateline_zone(doc)
    drafts: list[_Draft] = []
    last: _Draft | None = None
    prev_day: dt.date | None = None
    leaflets: _Leaflets | None = None
    for i, sent in enumerate(sents):
        sent_mentions = [m for m in mentions if sent.start_char <= m.start < sent.end_char]
        leaflets = _leaflet_drop(sent, sent_mentions) or leaflets
        stated = _clauses(sent, cues_by_sent.get(sent.start, []))
        steps = [part for item in stated for part in _steps(item, toponyms)]
        scheduled = len(steps) > len(stated)  # each step of a schedule is a notice of its own
        stated = steps
        similar = False
        if not stated:
            cue = _similar_order(sent, last)
            similar = cue is not None
            stated = [(cue, sent)] if cue is not None else []
        if not stated:
            if last is not None and _continues(sent, last, sent_mentions):
                _apply_times(last, sent, sent_mentions, published, prev_day, doc_zone, continuation=True)
            prev_day = times.day_of(sent_mentions) or prev_day
            continue
        for (kind, cue_span), clause in stated:
            if _history(clause, cue_span, sent_mentions, published):
                continue  # "In October 2022, the authorities told civilians to leave the city"
            draft = _Draft(kind=kind, sent=sent, cue=cue_span, separate=similar or scheduled,
                           definite=_definite(cue_span), clause=clause)
            _fill_issuer(draft, attributions)
            if draft.issuer is None and last is not None and last.issuer and _pronoun_issuer(draft):
                draft.issuer, draft.issuer_span = last.issuer, last.issuer_span  # "It said the curfew ..."
            if leaflets is not None and draft.issuer is None and _mentions_leaflets(sent):
                draft.issuer, draft.issuer_span = leaflets.issuer.text, leaflets.issuer
            _fill_areas(draft, toponyms, sents[i + 1 : i + 3], sents[i - 1] if i else None, doc_zone)
            clause_mentions = [m for m in sent_mentions if clause.start_char <= m.start < clause.end_char]
            _apply_times(draft, clause, clause_mentions, published, prev_day, doc_zone, continuation=False)
            if leaflets is not None and draft.window.start is None and leaflets.day and _mentions_leaflets(sent):
                draft.window.start, draft.window.start_span = leaflets.day, leaflets.day_span
            if draft.separate:
                drafts.append(draft)
                last = draft
            else:
                last = _merge(drafts, draft)
        prev_day = times.day_of(sent_mentions) or prev_day
    text = doc_text(doc)
    return [_to_notice(d, text, doc._.report_id) for d in drafts]


#: How long before the report a notice told with its date is history, not a warning to draft.
HISTORY_AGE = dt.timedelta(days=60)
_AGO_UNITS = frozenset(("year", "month", "decade"))
_AGO_WORDS = frozenset(("after", "ago", "earlier"))


def _history(
    clause: SpacySpan, cue: SpacySpan, mentions: list[DateMention], published: dt.datetime | None
) -> bool:
    """A notice the report tells as history: dated months or years before it ("In October 2022, the authorities
    told civilians to leave", "were told to leave the burning city in 1945", "Three years after Russian forces
    ordered the evacuation of ..."). Not when the clause also gives a time near the report ("ordered in June
    2021 to leave by Friday")."""
    if published is None:
        return False
    today = published.date()
    governors = {cue.root.i, *(a.i for a in ancestors(cue.root, 3))}
    for tok in clause:
        if (tok.ent_type_ == "DATE" and re.fullmatch(r"1[89]\d\d|20\d\d", tok.text) and int(tok.text) < today.year
                and governors & {a.i for a in ancestors(tok, 4)}):
            return True  # a year alone, which the date reader leaves out, on the notice's words ("in 1945")
    days = [d for m in mentions if clause.start_char <= m.start < clause.end_char and (d := times.day_value(m))]
    if days:
        return max(days) < today - HISTORY_AGE
    for tok in clause:
        if (tok.lemma_.lower() in _AGO_UNITS and tok.i + 1 < clause.end
                and clause.doc[tok.i + 1].lower_ in _AGO_WORDS
                and (clause.doc[tok.i + 1].lower_ != "after" or cue.start > tok.i)
                and any(c.like_num or c.lower_ in ("a", "an", "several", "few") for c in tok.children)):
            return True  # "two months ago", "Three years after Russian forces ordered the evacuation"
    return False


LEAFLETS = frozenset("leaflet flyer pamphlet flier".split())
DROP_VERBS = frozenset("drop airdrop distribute scatter throw spread".split())


@dataclass
class _Leaflets:
    """Who dropped leaflets, and when: what a later 'The leaflets urged residents to ...' refers to."""

    issuer: Span
    day: dt.date | None
    day_span: Span | None


def _mentions_leaflets(sent: SpacySpan) -> bool:
    return any(t.lemma_.lower() in LEAFLETS for t in sent)


def _leaflet_drop(sent: SpacySpan, mentions: list[DateMention]) -> _Leaflets | None:
    for tok in sent:
        if tok.lemma_.lower() not in DROP_VERBS or tok.pos_ != "VERB":
            continue
        if not any(c.lemma_.lower() in LEAFLETS for c in tok.children if c.dep_ in ("dobj", "nsubjpass")):
            continue
        subj = _subject(tok)
        if subj is None or subj.pos_ == "PRON":
            return None
        span = _issuer_span(tok, subj)
        day = next((m for m in mentions if not m.has_time and m.precision == 1 and m.value is not None), None)
        return _Leaflets(
            Span(span.start_char, span.end_char, span.text),
            times.day_value(day) if day else None,
            Span(day.start, day.end, day.text) if day else None,
        )
    return None


def _toponyms(doc: Doc, sents: Sequence[SpacySpan]) -> list[Toponym]:
    """The resolver's toponyms plus place names found from the parse that it did not report (these stay
    unresolved, with a reason); only the latter when no resolver ran. Datelines ("WASHINGTON (Sputnik)")
    are dropped: they say where the report was filed, not where a notice applies."""
    text = doc_text(doc)
    resolved = [_cleaned(text, t) for t in (doc._.toponyms or [])]
    reason = "not resolved: no place resolver ran" if doc._.toponyms is None else "not resolved: missed by the resolver"
    actors = [(a.start, a.end) for a in (doc._.actors or [])]
    # a name the resolver reported but could not place, that the actor dictionary knows: "as M23 fighters
    # advanced", "Fighters of the Islamic State group in Raqqa" name armed groups, not areas
    found = [t for t in resolved if t is not None
             and (t.resolved or not any(s < t.end and t.start < e for s, e in actors))]
    for extra in times.entity_toponyms(doc, reason, sents):
        if any(s < extra.end and extra.start < e for s, e in actors):
            continue  # "would strike Hezbollah targets": an armed group the actor dictionary knows, not an area
        inside = [t for t in found if extra.start <= t.start and t.end <= extra.end and len(t.name) < len(extra.name)]
        if inside and len(inside) == sum(1 for t in found if t.start < extra.end and extra.start < t.end):
            found = [t for t in found if all(t is not i for i in inside)]  # "Eastern" cut out of "Eastern Ghouta"
        if not any(t.start < extra.end and extra.start < t.end for t in found):
            found.append(extra)
    return sorted((t for t in found if not is_dateline(text, t)), key=lambda t: t.start)


def _cleaned(doc_text: str, top: Toponym) -> Toponym | None:
    """The toponym with its name trimmed to the words (no trailing quotes, full stops or 'and')."""
    text = doc_text[top.start : top.end]
    stripped = text.rstrip(" \n\t.,;:'\"\u2019\u201d)")
    if stripped.endswith(" and"):
        stripped = stripped[:-4]
    lead = len(stripped) - len(stripped.lstrip(" \n\t'\"\u2018\u201c("))
    stripped = stripped.strip(" \n\t'\"\u2018\u201c(")
    if stripped.lower().startswith("the ") and len(stripped) > 4:
        stripped, lead = stripped[4:], lead + 4  # "the Old City" -> "Old City"
    if not stripped:
        return None
    start = top.start + lead
    return dataclasses.replace(top, name=stripped, start=start, end=start + len(stripped))


def _doc_zone(toponyms: Sequence[Toponym]) -> str | None:
    """The zone most of the report's places share (a dateline city alone does not decide)."""
    counts = Counter(z for z in (zone_for(t) for t in toponyms) if z)
    return counts.most_common(1)[0][0] if counts else None


def _dateline_zone(doc: Doc) -> str | None:
    """The zone of the dateline's city ("BEIRUT, Oct 20 - The Lebanese army declared a curfew in the town of Bab
    al-Tabbaneh ..."), for a report none of whose places has a zone: the report was filed near what it tells."""
    place = paragraphs.dateline_place(doc_text(doc))
    return times.zone_by_name(place) if place else None


def zone_for(top: Toponym) -> str | None:
    """The IANA zone for a toponym: its own, else by country code or name, else by city name."""
    if top.timezone and _valid_zone(top.timezone):
        return top.timezone
    for key in (top.country_code, top.country):
        if key and key.lower() in COUNTRY_ZONES:
            return COUNTRY_ZONES[key.lower()]
    if top.reason is not None or not top.resolved:
        return times.zone_by_name(top.name)
    return None


def _valid_zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def _clause_head(tok: Token) -> Token:
    """The verb heading the coordinated clause a cue belongs to: 'ordered ... to leave' for the cue
    'leave', 'declared' for 'curfew' in '... ordered civilians to leave X and declared a curfew ...'."""
    while tok.head.i != tok.i:
        if tok.dep_ == "conj" and tok.pos_ in ("VERB", "AUX"):
            return tok
        tok = tok.head
    return tok


def _clauses(
    sent: SpacySpan, found: list[tuple[str, SpacySpan]]
) -> list[tuple[tuple[str, SpacySpan], SpacySpan]]:
    """The notices a sentence states, each with the clause that states it.

    One notice per sentence, unless coordinated clauses state notices of different kinds ("ordered
    civilians to leave X and declared a curfew over both districts"): then one per clause, each
    clause running from its verb's left edge to the next clause's."""
    best = best_cue(found)
    if best is None:
        return []
    heads: dict[int, list[tuple[str, SpacySpan]]] = {}
    for cue in found:
        heads.setdefault(_clause_head(cue[1].root).i, []).append(cue)
    chosen = {h: cue for h, cs in heads.items() if (cue := best_cue(cs)) is not None}
    if len({kind for kind, _ in chosen.values()}) < 2:
        return [(best, sent)]
    doc = sent.doc
    starts = sorted(sent.start if doc[h].dep_ != "conj" else doc[h].left_edge.i for h in chosen)
    out: list[tuple[tuple[str, SpacySpan], SpacySpan]] = []
    kinds: set[str] = set()
    for cue in sorted(chosen.values(), key=lambda c: c[1].start):
        if cue[0] in kinds:
            continue
        kinds.add(cue[0])
        begin = max(b for b in starts if b <= cue[1].start)
        end = min([b for b in starts if b > cue[1].start] + [sent.end])
        out.append((cue, doc[begin:end]))
    return out


def _steps(
    stated: tuple[tuple[str, SpacySpan], SpacySpan], toponyms: Sequence[Toponym]
) -> list[tuple[tuple[str, SpacySpan], SpacySpan]]:
    """A schedule of deadlines, one notice per step (``schedule_parts``): each step is the clause of its own
    notice, so it keeps its own date and places."""
    (kind, _), clause = stated
    places = [t.start for t in toponyms if clause.start_char <= t.start < clause.end_char]
    parts = schedule_parts(clause, places) if kind == "deadline" else []
    return [(stated[0], part) for part in parts] if parts else [stated]


def _similar_order(sent: SpacySpan, last: _Draft | None) -> tuple[str, SpacySpan] | None:
    """'Similar orders have been given in ...': a new notice of the previous notice's kind."""
    if last is None:
        return None
    for tok in sent:
        if tok.lower_ in ("similar", "same") and tok.head.lemma_.lower() in ("order", "measure", "restriction",
                                                                             "curfew", "decision", "directive"):
            return last.kind, sent[tok.i - sent.start : tok.head.i - sent.start + 1]
    return None


BACKREF_NOUNS = frozenset("order curfew warning notice deadline corridor ultimatum leaflet pause evacuation".split())


def _continues(sent: SpacySpan, last: _Draft, mentions: list[DateMention]) -> bool:
    """A sentence without a cue that adds to the previous notice: 'it would last until noon' (its end),
    'The IDF released the order Tuesday morning' (its day), '... he said 2am on Sunday' (a deadline's hour),
    'they have roughly "35 hours left"' (a deadline's end, counted from publication)."""
    if last.kind == "deadline" and last.window.end is None and times.counts_down(sent.text):
        return True
    if (last.window.lasts is None and sent.start == last.last_sent.end and times.lasting(sent.text) is not None
            and _refers_back(sent)):
        return True  # "State media said the order would remain in force for two weeks."
    if not mentions:
        return False
    if last.window.end is None and any(m.has_time for m in mentions):
        low = sent.text.lower()
        if any(w in low for w in ("until", " last", "expire", "in place", "in force", "effective", "take effect",
                                  "takes effect", "into effect", "into force")):
            return True
    if last.kind == "deadline" and isinstance(last.window.end, dt.date) and not last.window.end_clock:
        if any(m.has_time for m in mentions):
            return True
    return last.window.start is None and any(
        t.lemma_.lower() in BACKREF_NOUNS and any(c.lower_ in ("the", "this", "that") for c in t.children)
        for t in sent
    )


def _refers_back(sent: SpacySpan) -> bool:
    """'the order would remain in force', 'It will last 72 hours': a sentence about the notice just told."""
    return any(
        (t.lemma_.lower() in BACKREF_NOUNS and any(c.lower_ in ("the", "this", "that", "its") for c in t.children))
        or (t.lower_ == "it" and t.dep_ in ("nsubj", "nsubjpass"))
        for t in sent
    )


# --- issuer and areas -------------------------------------------------------------------------------------
def _subject(verb: Token, *, shared: bool = False) -> Token | None:
    """The subject of ``verb``: its own, a coordinated verb's ("Turkey denies ..., says ..."), or the agent of
    a passive ("was ordered by the army"); not the agent of the passive it is coordinated with ("the evacuation
    would be carried out by buses from Sloviansk ... and urged all residents to leave": not the buses)."""
    for child in verb.children:
        if child.dep_ == "nsubj":
            return child
    if verb.dep_ == "conj" and verb.head.pos_ in ("VERB", "AUX"):
        return _subject(verb.head, shared=True)  # "Turkey denies ..., says a safe corridor has been created"
    if shared:
        return None
    for child in verb.children:
        if child.dep_ == "agent":
            for grand in child.children:
                if grand.dep_ == "pobj":
                    return grand
    return None


def _issuer_span(verb: Token, subj: Token) -> SpacySpan:
    """The subject's words on its side of the verb, without a trailing relative clause or punctuation."""
    side = [t for t in subj.subtree if (t.i < verb.i) == (subj.i < verb.i)]
    relcl = [t.i for t in side if t.dep_ in ("relcl", "acl") and t.head.i == subj.i]
    # "The Israeli military on Thursday ordered ...": a time the parser hung on the subject is not the issuer
    relcl += [t.i for t in side if t.dep_ == "prep" and t.head.i == subj.i and t.i > subj.i
              and any(g.ent_type_ in ("DATE", "TIME") for g in t.subtree)]
    last = min([*relcl, max(t.i for t in side) + 1]) - 1
    span = subj.doc[min(t.i for t in side) : last + 1]
    while len(span) > 1 and (span[-1].is_punct or span[-1].lower_ in ("and", "or", "who", "which")):
        span = span[:-1]
    while len(span) > 1 and span[0].is_punct:
        span = span[1:]
    return span


def _issuer_of(verb: Token, cue: SpacySpan) -> SpacySpan | None:
    """The subject of an issuing verb, unless it is a pronoun, the people addressed or the notice itself."""
    if verb.pos_ not in ("VERB", "AUX") or verb.lemma_.lower() not in ISSUING_VERBS:
        return None
    subj = _subject(verb)
    if subj is None or subj.pos_ == "PRON" or subj.lemma_.lower() in ISSUER_NOT:
        return None
    if any(c.dep_ == "mark" and c.lower_ in SUBORDINATORS - {"while"} for c in [*verb.children, *subj.children]):
        return None  # "... if the militants fail to withdraw": not who announced it ("while the army ordered": it is)
    if any(t.lemma_.lower() in RESIDENT_WORDS for t in list(subj.subtree)[:6]):
        return None
    if cue.start <= subj.i < cue.end or cue.root in list(subj.subtree):
        return None
    span = _issuer_span(verb, subj)
    return None if span[0].lower_ == "according" else span


#: "According to the schedule / the agreement / its terms": a document cited, not who issued the notice.
NO_SOURCE = frozenset("schedule timetable plan agreement deal accord term roadmap".split())


def _fill_issuer(draft: _Draft, attributions: Sequence[Attribution]) -> None:
    """The subject of the nearest issuing verb above the cue; else the attribution's source; else the
    subject of a reporting verb elsewhere in the sentence ("..., the government said")."""
    cue_root = draft.cue.root
    span: SpacySpan | None = None
    for anc in [cue_root, *ancestors(cue_root, 6)]:
        span = _issuer_of(anc, draft.cue)
        if span is not None:
            break
    if span is None:
        sent = draft.sent
        for att in attributions:
            if att.source.lower().rsplit(" ", 1)[-1].rstrip("s") in NO_SOURCE:
                continue  # "according to the following schedule": what is cited, not who speaks
            if att.start <= sent.start_char < att.end or sent.start_char <= att.start < sent.end_char:
                draft.issuer = att.source
                draft.issuer_span = Span(att.source_start, att.source_end, att.source)
                return
        reporting = (t for t in sent if t.lemma_.lower() in REPORTING_VERBS | {"announce", "declare"})
        span = next((s for s in (_issuer_of(t, draft.cue) for t in reporting) if s is not None), None)
    if span is not None:
        draft.issuer = span.text
        draft.issuer_span = Span(span.start_char, span.end_char, span.text)


def _orders_out(cue: SpacySpan) -> bool:
    """Is the cue a verb or noun of leaving ("ordered residents to evacuate, saying it would strike")?"""
    lemma = cue.root.lemma_.lower()
    if lemma in ("warn", "warning"):  # "warned residents of the marked buildings to evacuate"
        holder = cue.root.head if cue.root.dep_ == "dobj" and cue.root.pos_ == "NOUN" else cue.root
        return any(
            t.lemma_.lower() in ("evacuate", "leave", "flee", "vacate") and t.tag_ == "VB"
            and any(c.dep_ == "aux" and c.lower_ == "to" for c in t.children)
            and not any(c.dep_ == "neg" for c in t.children)
            and _under(t, holder)
            for t in holder.subtree
        )
    return lemma in EVAC_VERBS or lemma in ("evacuation", "exodus")


def _under(tok: Token, verb: Token) -> bool:
    """``tok`` hangs on ``verb`` through nouns, prepositions and participles describing a noun only ("warned
    residents of the marked buildings to evacuate", with "to evacuate" hung on "buildings"; "the buildings marked
    on the attached map ... to evacuate", hung on "marked"), not through another verb."""
    for anc in ancestors(tok, 8):
        if anc.i == verb.i:
            return True
        if anc.pos_ in ("VERB", "AUX") and not (anc.dep_ == "acl" and anc.tag_ == "VBN"):
            return False
    return False


def _pronoun_issuer(draft: _Draft) -> bool:
    """Is the notice issued by "it" or "they", who stand for the issuer of the notice before?"""
    for anc in [draft.cue.root, *ancestors(draft.cue.root, 6)]:
        lemma = anc.lemma_.lower()
        if anc.pos_ in ("VERB", "AUX") and lemma in ISSUING_VERBS | REPORTING_VERBS:
            subj = _subject(anc)
            return subj is not None and subj.lower_ in ("it", "they")
    return False


def _is_destination(doc: Doc, top: Toponym) -> bool:
    """'evacuate to Al-Mawasi', 'move north of the Awali River', 'evacuate to the south via Salah al-Din Street':
    where people are sent, or the way there, not the area."""
    span = doc.char_span(top.start, top.end, alignment_mode="expand")
    if span is None:
        return False
    for anc in ancestors(span.root, 4):
        if anc.dep_ == "prep" and anc.lower_ in DESTINATION_PREPS:
            return True
        if anc.lower_ in ("north", "south", "east", "west", "beyond") and anc.head.lemma_.lower() in EVAC_VERBS:
            return True
        if anc.lemma_.lower() in EVAC_VERBS | DIRECTIVE_VERBS:
            return False
    return False


def _source_spans(sent: SpacySpan) -> list[tuple[int, int]]:
    out = []
    for tok in sent:
        if tok.lower_ == "according" and tok.dep_ == "prep":
            sub = list(tok.subtree)
            out.append((sub[0].idx, sub[-1].idx + len(sub[-1])))
    return out


def _in_sentence(toponyms: Sequence[Toponym], sent: SpacySpan) -> list[Toponym]:
    return [t for t in toponyms if sent.start_char <= t.start < sent.end_char]


_ROUTE_AFTER = re.compile(r"[\s-]*(?:road|street|highway|crossing|checkpoint|corridor|bridge|route)s?\b", re.I)
_ROUTE_BEFORE = re.compile(r"\b(?:via|through|along)\s+(?:the\s+)?$", re.I)


def _not_routes(toponyms: list[Toponym], sent: SpacySpan) -> list[Toponym]:
    """A neighbour sentence's places without its roads and crossings: "corridors via the Castello road and the
    Al-Awarid crossing" must not become the areas of a strike warning that names none of its own."""
    text, base = sent.text, sent.start_char
    return [
        t for t in toponyms
        if not _ROUTE_AFTER.match(text, t.end - base) and not _ROUTE_BEFORE.search(text, 0, t.start - base)
    ]


def _fill_areas(
    draft: _Draft,
    toponyms: Sequence[Toponym],
    following: Sequence[SpacySpan],
    preceding: SpacySpan | None,
    doc_zone: str | None,
) -> None:
    """The places in the notice's sentence (not the issuer's, not a destination of an evacuation); else
    the places listed just after it, the issuer's own jurisdiction, or the neighbouring sentences'."""
    sent = draft.sent
    assert draft.clause is not None
    chosen, of_issuer = _clause_places(draft, _in_sentence(toponyms, draft.clause))
    if not chosen and draft.clause is not sent:  # "... and declared a curfew over both districts"
        chosen, more = _clause_places(draft, _in_sentence(toponyms, sent))
        of_issuer = of_issuer or more
    if len(chosen) <= 1 and any(t.tag_ == "NNS" and t.lemma_.lower() in PLACE_NOUNS for t in sent):
        chosen.extend(_listed_places(toponyms, following))
    if not chosen:
        chosen = [t for t in of_issuer if draft.kind == "curfew" or not times.is_country(t)]
    if not chosen and preceding is not None:
        chosen = _not_routes(_in_sentence(toponyms, preceding), preceding)
        draft.areas_inferred = bool(chosen)
    if not chosen and following:
        chosen = _not_routes(_in_sentence(toponyms, following[0]), following[0])
        draft.areas_inferred = bool(chosen)
    specific = [t for t in chosen if not times.is_country(t)]
    text = doc_text(sent.doc)
    for top in specific or chosen:
        if any(a.name.lower() == top.name.lower() for a in draft.areas):
            continue
        area, start = _area(top, text)
        draft.areas.append(area)
        draft.area_spans.append(Span(start, top.end, text[start : top.end]))
    zones = Counter(z for z in (zone_for(t) for t in chosen) if z)
    if doc_zone in zones:
        draft.zone = doc_zone  # the report's own zone, when one of the areas shares it
    elif zones:
        draft.zone = zones.most_common(1)[0][0]
    else:  # unresolved areas: the zone of the nearest place the resolver placed ("Eastern Ghouta ... Syria")
        anchor = chosen[0].start if chosen else sent.start_char
        zoned = [(abs(t.start - anchor), z) for t in toponyms if (z := zone_for(t)) and t.resolved]
        draft.zone = min(zoned)[1] if zoned else None


def _clause_places(draft: _Draft, candidates: Sequence[Toponym]) -> tuple[list[Toponym], list[Toponym]]:
    """The places a notice applies to among ``candidates``, and those that belong to its issuer."""
    sent, doc = draft.sent, draft.sent.doc
    issuer = draft.issuer_span
    chosen: list[Toponym] = []
    of_issuer: list[Toponym] = []
    sources = _source_spans(sent)
    for top in candidates:
        if sent.text[top.end - sent.start_char : top.end - sent.start_char + 12].lower().lstrip().startswith(
            ("time", "local time")
        ):
            continue  # "8 pm Moscow time" names a time zone, not an area
        if any(a <= top.start < b for a, b in sources):
            continue  # "according to a military statement in Baghdad": where it was said
        if issuer is not None and issuer.start <= top.start < issuer.end:
            of_issuer.append(top)
            continue
        if draft.kind == "evacuation_order" and _is_destination(doc, top):
            continue
        chosen.append(top)
    causes = _cause_spans(draft.clause or sent, draft.cue)
    told = [t for t in chosen if not any(a <= t.start < b for a, b in causes)]
    chosen = told or chosen  # "imposed a curfew after clashes in Kirkuk": the only place there is
    part = _coordinated_part(draft.cue)
    if part is not None:  # "... would be carried out by buses from Sloviansk and urged residents of X to leave"
        chosen = [t for t in chosen if part[0] <= t.start < part[1]] or chosen
    parts = [t for t in chosen if not _container(doc, t)]
    return (parts if parts else chosen), of_issuer


def _coordinated_part(cue: SpacySpan) -> tuple[int, int] | None:
    """The characters of the coordinated verb phrase holding the cue ("said the evacuation would be carried out
    by buses from Sloviansk and urged all residents of Druzhkivka to leave": from "urged" on), when it is one."""
    for anc in [cue.root, *ancestors(cue.root, 4)]:
        if anc.dep_ == "conj" and anc.pos_ in ("VERB", "AUX") and anc.head.pos_ in ("VERB", "AUX"):
            words = [t for t in anc.subtree if not any(c.dep_ == "conj" and t in c.subtree for c in anc.children)]
            first, last = words[0], words[-1]
            return first.idx, last.idx + len(last)
    return None


#: What introduces the cause of a notice told beside it: "after gangs attacked police stations in X",
#: "following clashes in X", "because of fighting in X".
_CAUSE_WORDS = frozenset(("after", "following", "amid", "amidst", "because", "since"))


def _cause_spans(clause: SpacySpan, cue: SpacySpan) -> list[tuple[int, int]]:
    """The character spans of ``clause`` that tell why the notice was given ("imposed a curfew on Kayes after
    jihadists attacked a convoy on the road to Bamako"): the places there are the cause's, not the notice's
    (unless the notice names no other). A part holding the cue is not a cause."""
    spans: list[tuple[int, int]] = []
    for tok in clause:
        if tok.lower_ not in _CAUSE_WORDS:
            continue
        if tok.dep_ == "mark" and tok.head.dep_ == "advcl":
            part = tok.head
        elif tok.dep_ == "prep" and any(c.dep_ in ("pobj", "pcomp") for c in tok.children):
            part = tok
        else:
            continue
        words = list(part.subtree)
        first, last = min(t.i for t in [tok, *words]), max(t.i for t in words)
        if first <= cue.start < last + 1:
            continue
        spans.append((clause.doc[first].idx, clause.doc[last].idx + len(clause.doc[last])))
    return spans


def _container(doc: Doc, top: Toponym) -> bool:
    """'Aleppo' in 'the Sheikh Maqsoud and Ashrafieh neighbourhoods of Aleppo': the city holding the named
    areas, not an area of the notice itself."""
    span = doc.char_span(top.start, top.end, alignment_mode="expand")
    if span is None:
        return False
    root = span.root
    if root.dep_ != "pobj" or root.head.lower_ != "of":
        return False
    noun = root.head.head
    if noun.lemma_.lower() not in PLACE_NOUNS:
        return False
    named = any(c.dep_ in ("compound", "nmod") and c.pos_ == "PROPN" for c in noun.children)
    return named or (noun.dep_ == "appos" and noun.head.pos_ == "PROPN")  # "X, Y and Z neighbourhoods of Aleppo"


def _listed_places(toponyms: Sequence[Toponym], following: Sequence[SpacySpan]) -> list[Toponym]:
    """'The villages listed for evacuation include A, B and C.' in the next sentence or two."""
    for sent in following:
        lemmas = {t.lemma_.lower() for t in sent}
        if not lemmas & {"include", "list", "comprise", "--", ":"} or not lemmas & PLACE_NOUNS:
            continue
        inside = [t for t in toponyms if sent.start_char <= t.start < sent.end_char]
        if len(inside) >= 2:
            return inside
    return []


#: A part of a place named by its side: "southern Lebanon", "the north of Gaza" is not all of it.
_SIDE_BEFORE = re.compile(
    r"\b(?:the\s+)?((?:north|south)(?:-?(?:east|west))?(?:ern)?|east(?:ern)?|west(?:ern)?|central)\s+$", re.I
)


def _area(top: Toponym, text: str) -> tuple[Area, int]:
    """The notice area a toponym names, and where its words start.

    A country or region named whole ("Lebanon", "Idlib province") or by its side ("southern Lebanon") keeps its
    identity but no point: a circle around its centre would warn the wrong people, so the draft is left without
    a shape for an operator to draw (or for an imported polygon of that name)."""
    side = _SIDE_BEFORE.search(text, max(0, top.start - 20), top.start)
    start = side.start(1) if side else top.start
    name = f"{side.group(1)} {top.name}" if side else top.name
    reason = top.reason if not top.resolved else None
    if not top.resolved and reason is None:
        reason = "not resolved by a gazetteer"
    wide = top.resolved and (side is not None or top.geo_precision == 3)
    if wide:
        reason = "a region, not a place: its centre point is no area to warn; draw the area or import its polygon"
    return Area(
        name=name,
        latitude=None if wide else top.latitude,
        longitude=None if wide else top.longitude,
        geonames_id=top.geonames_id,
        country=top.country,
        admin1=top.admin1,
        reason=reason,
    ), start


# --- times ------------------------------------------------------------------------------------------------
def _apply_times(
    draft: _Draft,
    sent: SpacySpan,
    mentions: list[DateMention],
    published: dt.datetime | None,
    prev_day: dt.date | None,
    doc_zone: str | None,
    *,
    continuation: bool,
) -> None:
    zone = times.named_zone(sent.text) or draft.zone or doc_zone
    draft.zone = zone
    mentions = _weekdays_by_tense(sent, _not_reporting_days(sent, mentions), published)
    window = times.window(
        sent.text,
        sent.start_char,
        mentions,
        published=published,
        prev_day=prev_day,
        zone=zone,
        deadline=draft.kind == "deadline",
    )
    low = sent.text.lower()
    if draft.kind in ("curfew", "safe_corridor") and (
        any(c in low for c in RECURRING_CUES)
        or (draft.kind == "curfew" and window.start_clock and window.end_clock and not window.end_day_given)
    ):
        window.recurring = "daily"
    if any(c in low for c in OPEN_END_CUES):
        window.open_end = True
    if window.start is None and window.end is None and any(m.precision in (2, 3) and m.relative for m in mentions):
        window.vague_past = True  # "Earlier this week, the military sent out messages ..."
    if continuation:
        draft.window.continue_with(window)
    else:
        draft.window = window


def _weekdays_by_tense(
    sent: SpacySpan, mentions: list[DateMention], published: dt.datetime | None
) -> list[DateMention]:
    """A weekday follows the tense of the verb it belongs to: 'issued evacuation orders late Thursday' is on
    or before publication, 'will begin at 10 a.m. on Saturday' and 'agreed to open ... on Saturday' after."""
    if published is None:
        return mentions
    today = published.date()
    out: list[DateMention] = []
    for m in mentions:
        value = m.value
        if value is not None and WEEKDAY_RE.search(m.text) and m.relative:
            day = value.date() if isinstance(value, dt.datetime) else value
            tense = _tense(sent, m)
            if tense == "past" and day > today and not _end_given(sent, m):
                m = dataclasses.replace(m, value=value - dt.timedelta(days=7))
            elif tense == "future" and day < today:
                m = dataclasses.replace(m, value=value + dt.timedelta(days=7))
        out.append(m)
    return out


#: The words before a day that make it the end of what is given or ordered ("gave them until Friday").
_END_WORDS = frozenset(("by", "until", "till", "before"))


def _end_given(sent: SpacySpan, m: DateMention) -> bool:
    """'The army gave the fighters until Friday to leave', 'ordered residents to leave by Sunday': the day is
    the end of what the past verb gave or ordered, which lies after the giving, not before the report."""
    span = sent.doc.char_span(m.start, m.end, alignment_mode="expand")
    if span is None:
        return False
    prep = span.root.head
    if prep.lower_ not in _END_WORDS or not (span.start > 0 and sent.doc[span.start - 1].i == prep.i):
        return False
    verbs = [a for a in ancestors(prep, 3) if a.pos_ in ("VERB", "AUX")]
    return bool(verbs) and verbs[0].lemma_.lower() in ISSUING_VERBS


def _verb_of(tok: Token) -> Token | None:
    """The first verb above ``tok`` (three steps at most)."""
    return next((a for a in ancestors(tok, 3) if a.pos_ in ("VERB", "AUX")), None)


def _tense(sent: SpacySpan, m: DateMention) -> str | None:
    span = sent.doc.char_span(m.start, m.end, alignment_mode="expand")
    if span is None:
        return None
    verb = _verb_of(span.root)
    if verb is not None and verb.lemma_.lower() in REPORTING_VERBS and span[0].i != span.root.i:
        # "would open at 10 a.m. Moscow time on Wednesday", with "time" hung on "said": the clock's own verb
        verb = _verb_of(span[0]) or verb
    if verb is None:
        return None
    aux = {c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")}
    if aux & {"will", "shall", "'ll"} or verb.tag_ == "VB" and "would" in aux:
        return "future"
    if verb.tag_ == "VBD" or (verb.tag_ == "VBN" and bool(aux & {"has", "have", "had", "was", "were"})):
        return "past"
    return None


def _not_reporting_days(sent: SpacySpan, mentions: list[DateMention]) -> list[DateMention]:
    """Drop the day of a reporting verb ('Zelenskyy said on Saturday'): it dates the report, not the
    notice, unless the notice takes effect immediately."""
    low = sent.text.lower()
    if "immediate" in low or " now" in low:
        return mentions
    kept: list[DateMention] = []
    for m in mentions:
        span = None if m.has_time else sent.doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is not None:
            head = span.root.head
            if head.dep_ == "prep" and head.lower_ == "on":
                head = head.head
            if head.lemma_.lower() in REPORTING_VERBS and head.i != span.root.i:
                continue
        kept.append(m)
    return kept


def _next_sentence(old: _Draft, new: _Draft) -> bool:
    return new.sent.start == old.last_sent.end


def _same_issuer(old: _Draft, new: _Draft) -> bool:
    if old.issuer is None or new.issuer is None:
        return True
    a, b = old.issuer.lower().removeprefix("the "), new.issuer.lower().removeprefix("the ")
    return a in b or b in a


def _definite(cue: SpacySpan) -> bool:
    noun = cue.root.head if cue.root.dep_ == "compound" else cue.root
    return any(c.dep_ in ("det", "poss") and c.lower_ in ("the", "this", "that", "its") for c in noun.children)


def _merge_names(draft: _Draft) -> set[str]:
    """The area names that tell two notices apart: not inferred from a neighbour, not a whole country."""
    if draft.areas_inferred:
        return set()
    return {a.name.lower() for a in draft.areas if not times.is_country(Toponym(a.name, 0, 0))}


def _merge(drafts: list[_Draft], new: _Draft) -> _Draft:
    """Fold ``new`` into an earlier draft of the same notice, or append it; returns the one kept.

    Same kind, and neither different places (unless ``new`` refers back: "the corridor") nor a
    different start day."""
    for old in reversed(drafts):
        if old.kind != new.kind:
            continue
        old_names, new_names = _merge_names(old), _merge_names(new)
        apart = old_names and new_names and not any(a in b or b in a for a in old_names for b in new_names)
        follows = old is drafts[-1] and (new.definite or _next_sentence(old, new) and _same_issuer(old, new))
        if apart and not follows:
            continue
        if old.window.conflicts(new.window):
            continue
        if new.kind == "deadline" and not new.definite and old.window.ends_apart(new.window):
            continue  # another deadline ("by December 1"), unless it refers back ("the deadline will expire ...")
        if old.areas_inferred and new.areas and not new.areas_inferred:
            old.areas, old.area_spans, old.areas_inferred = [], [], False
        if not (new.areas_inferred and old.areas):
            known = {a.name.lower() for a in old.areas}
            for area, span in zip(new.areas, new.area_spans, strict=True):
                if area.name.lower() not in known:
                    old.areas.append(area)
                    old.area_spans.append(span)
        old.window.fill_from(new.window)
        old.last_sent = new.sent
        if old.issuer is None:
            old.issuer, old.issuer_span = new.issuer, new.issuer_span
        old.zone = old.zone or new.zone
        return old
    drafts.append(new)
    return new


def _last_night(start: dt.datetime, end: dt.datetime, lasts: dt.timedelta, zone: str | None) -> dt.date:
    """The day the last daily interval ends, for daily hours that apply for ``lasts`` from ``start`` ("from 6 p.m.
    to 5 a.m., for 72 hours" from Sunday 6 p.m.: the intervals starting Sunday, Monday and Tuesday; Wednesday)."""
    tz = ZoneInfo(zone) if zone and start.tzinfo is not None else None
    first, last_end = (start.astimezone(tz), end.astimezone(tz)) if tz else (start, end)
    last_start = first + dt.timedelta(days=(lasts - dt.timedelta(seconds=1)).days)
    overnight = last_end.time() <= first.time()
    return last_start.date() + dt.timedelta(days=1 if overnight else 0)


def _to_notice(draft: _Draft, text: str, report_id: str | None) -> Notice:
    sent = draft.sent
    spans: dict[str, Span] = {"kind": Span(draft.cue.start_char, draft.cue.end_char, draft.cue.text)}
    if draft.issuer_span is not None:
        spans["issuer"] = draft.issuer_span
    if draft.area_spans:
        first, last = min(s.start for s in draft.area_spans), max(s.end for s in draft.area_spans)
        spans["areas"] = Span(first, last, text[first:last])
    start, end = draft.window.resolve()
    until = draft.window.until if draft.window.recurring else None
    if draft.window.lasts is not None and isinstance(start, dt.datetime):
        if draft.window.recurring and until is None and isinstance(end, dt.datetime):
            until = _last_night(start, end, draft.window.lasts, draft.window.zone or draft.zone)
        elif not draft.window.recurring and end is None:
            end = start + draft.window.lasts  # "an evacuation order for the next 48 hours"
    if draft.window.start_span is not None and start is not None:
        spans["start"] = draft.window.start_span
    if draft.window.end_span is not None and end is not None:
        spans["end"] = draft.window.end_span
    return Notice(
        kind=draft.kind,
        areas=draft.areas,
        start=start,
        # "until further notice" leaves the validity open; a daily window keeps its hours' end ("to 5 a.m.")
        end=None if draft.window.open_end and draft.window.recurring is None else end,
        recurring=draft.window.recurring,
        issuer=draft.issuer,
        evidence=Span(sent.start_char, sent.end_char, sent.text),
        spans=spans,
        report_id=report_id,
        until=until,
        timezone=draft.window.zone or draft.zone,
        leave=draft.kind == "evacuation_order" or _orders_out(draft.cue),
    )
