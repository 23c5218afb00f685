"""Which sentence readings are events, and which of a report's events it keeps (for ``tocsin_events``).

Two questions of news discourse, kept apart from how an event's fields are read (``events.py``):

- **Is this sentence an event?** (:func:`no_event`): not what usually happens, what is planned,
  threatened, demanded, prevented or banned, a toll over a period, or a denial.
- **Which events does the report tell as news?** (:func:`side_event_kept`): ACLED codes a news
  report's main happening; the rest of the article restates it, quotes witnesses about it, or gives
  background. A side event is kept only when it is told in the reporter's own words and, when it is
  of the main event's type, has its own day or its own toll.

See docs/events.md for the rules, why, and their measured effect.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from tocsin.model import DateMention, Event, Trigger
from tocsin.nlp.claims import SPEECH_LEMMAS, denied_spans
from tocsin.nlp.roles import trigger_root, verb_of

__all__ = [
    "CLOCK_ONLY",
    "SEPARATE_EVENT",
    "SPREAD",
    "VIOLENT_TYPES",
    "Group",
    "LEDE_SENTENCES",
    "history",
    "is_cued",
    "grievance_tokens",
    "launched_to_take",
    "main_first",
    "supporting",
    "sentence_tokens",
    "quoted_spans",
    "no_event",
    "side_event_kept",
]

#: The event types of violence (ACLED's "political violence" less riots).
VIOLENT_TYPES = frozenset(("Battles", "Explosions/Remote violence", "Violence against civilians"))
CLOCK_ONLY = re.compile(
    r"^(?:(?:about|around|shortly (?:before|after)|after|before|at)\s+)?(?:noon|midday|midnight|dawn|dusk"
    r"|\d{1,2}(?:[:.]\d{2})?\s*(?:[ap]\.?m\.?|h|hrs|gmt|utc|local time)?)$",
    re.IGNORECASE,
)
HABITUAL = frozenset(
    "frequently often regularly routinely usually repeatedly habitually typically continuously constantly".split()
)
#: Adjectives of an event noun that make it what keeps happening ("daily shelling", "constant attacks").
HABITUAL_ADJECTIVES = frozenset(
    "daily nightly constant frequent repeated continuous continual incessant relentless persistent near-daily".split()
)
#: Prepositions that give an event as the background of another ("amid daily shelling").
BACKGROUND_PREPS = frozenset("amid amidst despite".split())
#: Auxiliaries of what is planned, possible or required, not done.
MODALS = frozenset("will would shall may might could should can must".split())
CONDITIONS = frozenset(("if", "unless"))
#: "threatening to resume", "plans to attack", "vowed to retake": an intention, not an event.
INTENT_VERBS = frozenset(
    "threaten plan vow pledge promise prepare intend aim seek want warn decide expect hope try".split()
)
#: "decided to subject arrivals to checks" (ACLED codes the decision), "tried to storm the building" (an attempt):
#: told as a whole sentence, something happened.
DONE_INTENT = frozenset("decide try seek".split())
#: "urged them to surrender", "called on the militants to withdraw", "recommends that gatherings take place":
#: what someone demands of others, not what was done.
DIRECTIVE_VERBS = frozenset("urge call demand ask order instruct recommend advise request appeal".split())
#: "to stop the people from protesting", "to prevent civilians from evacuating": what was prevented did not happen.
PREVENT_FROM_VERBS = frozenset("stop prevent bar block deter keep prohibit restrain dissuade discourage".split())
#: "protests have been banned", "the authorities prohibited gatherings": what is forbidden is a rule, not an event.
BAN_VERBS = frozenset("ban prohibit forbid outlaw".split())
#: What aircraft or fighters drop or hand out without violence ("warplanes dropped leaflets").
#: "supported by warplanes", "backed by airstrikes": how another event was carried out.
BACKING_VERBS = frozenset("support back aid assist cover accompany escort".split())
#: Verbs of taking ground, and the operations launched to take it ("launched an offensive to retake the city").
TAKE_VERBS = frozenset("take retake capture recapture seize regain liberate free control storm".split())
OFFENSIVE_NOUNS = frozenset("operation offensive assault campaign push attack".split())
LAUNCH_VERBS = frozenset("launch begin start mount open".split())
#: "Peace talks stalled", "the rebels rejected the truce": an agreement that was not made.
FAILED_VERBS = frozenset("stall collapse fail falter suspend reject refuse derail".split())
#: "alleged shelling", "a purported attack": an event named as someone's allegation.
HEDGES = frozenset("alleged purported supposed unconfirmed so-called".split())
#: "People were still living in areas of Donbas": being somewhere is a situation, not a happening.
STATIVE_VERBS = frozenset("live remain stay reside exist".split())
#: Verbs that say what the sentence reports: speech, and what a leaflet or sign "read".
SAYING = SPEECH_LEMMAS | {"read"}
#: "air strikes are coming": an event announced, not told.
COMING_VERBS = frozenset("come loom approach".split())
HANDING_VERBS = frozenset("drop distribute deliver scatter hand airdrop throw spread".split())
HARMLESS_OBJECTS = frozenset("leaflet flyer flier pamphlet brochure message aid food supply".split())
#: The sub-types of a protest, whose cause a sentence may name ("marched to denounce the killing of a journalist").
PROTEST_SUB_TYPES = frozenset(
    ("Peaceful protest", "Protest with intervention", "Excessive force against protesters", "Violent demonstration")
)
#: Words whose object is what a protest is about: "to protest an airstrike", "denounced the arrest of".
GRIEVANCE_WORDS = frozenset("protest denounce condemn decry deplore mourn commemorate oppose demand".split())
#: Prepositions that name it after a protest word: "marched against the arrest", "in protest over the killing".
GRIEVANCE_PREPS = frozenset("against over".split())
#: Dependency links from a grievance word to what the protest is about.
_GRIEVANCE_LINKS = frozenset(("dobj", "ccomp"))
#: Dependency links that keep a word inside the object or "from" phrase of a verb.
_OBJECT_LINKS = frozenset(("pcomp", "pobj", "prep", "dobj", "nsubjpass", "compound", "amod"))
_MONTH = "(?:January|February|March|April|May|June|July|August|September|October|November|December)"
AGGREGATE = re.compile(
    r"\b(?:over|in|during|throughout) the (?:past|last) (?:\w+ )?(?:days|weeks?|months?|years?)\b"
    r"|\bsince the (?:start|beginning|outbreak) of\b"
    r"|\bsince the (?:war|conflict|fighting|crisis|uprising|offensive|invasion) (?:began|started|erupted|broke out)\b"
    r"|\bfor (?:many |several |the past |the last )?(?:\w+ )?(?:years|months|decades)\b"
    r"|\b(?:in|during|throughout) the (?:war|conflict|civil war)\b(?!-)"
    r"|\bsince (?:19|20)\d\d\b|\bso far this (?:year|month)\b|\bin recent (?:days|weeks|months)\b"
    rf"|\b(?:between {_MONTH} and|from {_MONTH} (?:to|until)) {_MONTH}\b",
    re.IGNORECASE,
)
#: A toll or attacks spread over many places ("attacks across the Kharkiv region killed 7 people", "shelling killed
#: 12 people in several districts"): ACLED codes an event per place, and the sentence names none of them.
SPREAD = re.compile(
    r"\bacross (?:the |much of the |most of the )?(?:[\w'-]+ ){0,2}?"
    r"(?:country|region|province|oblast|governorate|state|territory|strip|enclave|frontline|front line)\b"
    r"|\b(?:in|across|on) (?:several|various|multiple|many|numerous|different|a number of|dozens of) "
    r"(?:[\w'-]+ )?(?:districts|areas|towns|villages|places|parts|provinces|regions|cities|locations|localities"
    r"|neighbou?rhoods|communities|settlements|sectors|fronts)\b",
    re.IGNORECASE,
)
#: Words that make a sentence tell another happening than the ones before ("in a separate attack").
SEPARATE_EVENT = frozenset("another separate separately elsewhere meanwhile second third".split())
#: Sentences of a report's lede, where news tells its main happening.
LEDE_SENTENCES = 2
#: The weight of the score of an event first told after the lede, when choosing the main event.
LATER_WEIGHT = 0.75
#: Main-event scores this close to the best one count as equal: the earlier telling is the main event.
SCORE_MARGIN = 0.02
#: A quotation needs this many words to be someone's testimony rather than scare quotes ("liberation" leaflets).
QUOTE_WORDS = 4
_QUOTE_PAIRS = re.compile(r"\u201c[^\u201c\u201d\n]*\u201d|\"[^\"\n]*\"")


@dataclass
class Group:
    """Triggers telling one happening, the sentences they are in, and the sentences after them read for counts."""

    triggers: list[Trigger]
    sentences: list[tuple[int, int]]
    context: list[tuple[int, int]] = field(default_factory=list)

    @property
    def start(self) -> int:
        return self.sentences[0][0]

    @property
    def cued(self) -> bool:
        """Some sentence names the event in words of its sub-type ("airstrikes", "clashes"), not only the
        classifier's reading of the whole sentence."""
        return any(is_cued(t) for t in self.triggers)


def is_cued(trigger: Trigger) -> bool:
    return (trigger.start, trigger.end) != (trigger.sent_start, trigger.sent_end)


def sentence_tokens(doc: Doc, trigger: Trigger) -> list[Token]:
    span = doc.char_span(trigger.sent_start, trigger.sent_end, alignment_mode="expand")
    return list(span) if span is not None else []


# --- is this sentence an event? ----------------------------------------------------------------------------


def no_event(doc: Doc, text: str, trigger: Trigger, dates: list[DateMention], article: bool = False) -> bool:
    """The sentence tells what usually happens, what has not happened, or a toll over a period; in a news
    article (``article``), also a state of things told in the simple present."""
    if _habitual(doc, trigger) or _unreal(doc, trigger) or _aggregate(text, trigger, dates):
        return True
    if trigger.sub_event_type == "Agreement" and _failed(doc, trigger):
        return True
    return article and (_state(doc, trigger) or _hedged(doc, trigger))


def _hedged(doc: Doc, trigger: Trigger) -> bool:
    """'Caused by alleged "increased enemy's shelling"', 'a purported attack': the article names the event as
    someone's allegation, not as news it reports."""
    root = trigger_root(doc, trigger)
    if root is None or root.pos_ not in ("NOUN", "PROPN") or not is_cued(trigger):
        return False
    return any(t.lower_ in HEDGES and t.dep_ == "amod" and t.head.i == root.i for t in root.lefts)


def _state(doc: Doc, trigger: Trigger) -> bool:
    """'The roads leading to the checkpoint are blocked', 'gatherings in closed areas do not have a limit':
    the simple present (active or passive) states a condition; a news article tells events in the past or
    present perfect. Ongoing action ("protesters are marching") is no state. Short notes are left alone:
    the tagger reads a past "set" or a headline's verb as present.

    A participle naming people or places by what happened to them ("buses for internally displaced persons
    are provided") is read in its clause's tense; a whole sentence whose verb is one of being somewhere
    ("people were still living in areas where fighting was fierce") tells a situation, not a happening."""
    verb = verb_of(root) if (root := trigger_root(doc, trigger)) is not None else None
    if verb is None or verb.pos_ not in ("VERB", "AUX"):
        return False
    if verb.dep_ == "amod" and verb.tag_ == "VBN":
        verb = _clause_verb(verb)
        if verb is None:
            return False
    if verb.lemma_.lower() in SPEECH_LEMMAS:
        verb = next((c for c in verb.children if c.dep_ == "ccomp"), verb)
    if not is_cued(trigger) and verb.lemma_.lower() in STATIVE_VERBS:
        return True
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    if any(a.tag_ in ("VBD", "MD", "VBN") or a.lemma_.lower() == "have" for a in auxes):
        return False
    if _perfect_infinitive(verb):
        return False  # "an airstrike ... is believed to have killed around 100 people": a past event, hedged
    if verb.tag_ in ("VBZ", "VBP"):
        return True
    return any(a.tag_ in ("VBZ", "VBP") for a in auxes) and verb.tag_ in ("VB", "VBN")


def _perfect_infinitive(verb: Token) -> bool:
    """'Is believed to have killed', 'are reported to have fled': a present verb of saying or thinking over
    what happened before."""
    return any(
        c.dep_ == "xcomp" and any(a.dep_ == "aux" and a.lemma_.lower() == "have" for a in c.children)
        for c in verb.children
    )


def _failed(doc: Doc, trigger: Trigger) -> bool:
    """'Peace talks stalled', 'the negotiations broke down', 'the rebels rejected the ceasefire', 'no agreement was
    reached': no agreement was made, so ACLED codes none."""
    root = trigger_root(doc, trigger)
    if root is None:
        return False
    verb = verb_of(root)
    if not is_cued(trigger) and verb.lemma_.lower() in SAYING:
        verb = next((c for c in verb.children if c.dep_ == "ccomp"), verb)
    # the verb of the reading, or one the parser hung below the talks ("the peace talks in the capital stalled")
    for tok in [verb, *(t for t in root.subtree if t.pos_ == "VERB")]:
        lemma = tok.lemma_.lower()
        if lemma in FAILED_VERBS or (lemma == "break" and any(c.lower_ == "down" for c in tok.children)):
            return True
    return any(c.dep_ == "det" and c.lower_ == "no" for c in root.children)


def _clause_verb(token: Token) -> Token | None:
    """The verb of the clause a word belongs to, through the nouns and prepositions above it."""
    current = token
    for _ in range(8):
        if current.head.i == current.i:
            return None
        current = current.head
        if current.pos_ in ("VERB", "AUX") and current.dep_ != "amod":
            return current
    return None


def _unreal(doc: Doc, trigger: Trigger) -> bool:
    """What has not happened: a plan, threat, demand, warning, condition, prevention or denial (of the speaker's own
    or of what others say: "denied shelling", "rejected claims that police fired").

    "Azerbaijan will retake Lachin", "air strikes will not target civilians", "Turkey is threatening
    to resume its operation", "corridors are to be opened", "we urge you to surrender", "if the
    militants fail to withdraw", "the army did not shell the town", "to stop people from protesting".
    ACLED codes events that took place; such sentences are context (notices read them separately).
    """
    root = trigger_root(doc, trigger)
    if root is None:
        return False
    if is_cued(trigger) and any(s <= trigger.start and trigger.end <= e for s, e in denied_spans(root.sent)):
        return True  # "The SDF denied shelling civilian areas"
    verb = verb_of(root)
    # a whole-sentence reading's root is the sentence's verb: "that did not stop another round of clashes"
    whole = not is_cued(trigger)
    if whole and verb.lemma_.lower() in SAYING:  # "the IDF said it would open a corridor": what is said
        verb = next((c for c in verb.children if c.dep_ == "ccomp"), verb)
    if _open_question(verb):
        return True  # "he did not say where the victims were killed", "it was unclear who carried out the attack"
    if _coming_to(verb) or (verb is not root and _coming_to(root)):
        return True  # "coalition forces are coming to liberate your areas", "the army is going to storm the city"
    if _prevented(root) or (verb is not root and _prevented(verb)):
        return True
    if root.dep_ == "dobj" and root.head.lemma_.lower() in INTENT_VERBS:  # 'promised "fierce fighting"'
        return True
    if _handed_out(root, verb):  # "warplanes dropped leaflets over the city"
        return True
    if root.dep_ == "nsubj" and root.head.lemma_.lower() in COMING_VERBS and _progressive(root.head):
        return True  # "air strikes are coming"
    if verb.pos_ not in ("VERB", "AUX"):
        return False
    if whole and verb.lemma_.lower() in DIRECTIVE_VERBS and any(c.dep_ in ("ccomp", "xcomp") for c in verb.children):
        return True  # "the command recommends that gatherings take place" (not "medics called the police")
    if whole and verb.lemma_.lower() in INTENT_VERBS - DONE_INTENT and _to_clause(verb):
        return True  # "the army threatened to besiege the city", "the rebels vowed to retake the town"
    if _planned(verb, negation=verb is root and not whole):
        return True
    # "advancing units and air strikes will not target civilians": the clause is the subject of a planned verb
    if verb.dep_ in ("csubj", "csubjpass") and verb.head.i != verb.i and _planned(verb.head, negation=False):
        return True
    head = verb.head
    intends = verb.dep_ == "xcomp" and head.i != verb.i and head.lemma_.lower() in INTENT_VERBS | DIRECTIVE_VERBS
    return intends or _is_to_be(verb)


#: Words that open an indirect question ("where the victims were killed", "whether anyone was hurt").
QUESTION_WORDS = frozenset("where who whom whose what which when why how whether if".split())
#: Verbs whose negation leaves a question open: "did not say where", "did not specify who".
TELLING = SAYING | frozenset("mention specify disclose reveal give".split())


def _open_question(verb: Token) -> bool:
    """'He did not say where the victims were killed', 'officials did not specify who carried out the attack': a
    question the speaker left open about what was told, not a happening of its own. ("It is unclear who planted
    the bomb" stays: in a short note it is often the only sentence that names the bomb.)"""
    if verb.dep_ not in ("ccomp", "xcomp") or verb.head.i == verb.i:
        return False
    if not any(c.lower_ in QUESTION_WORDS and c.i < verb.i for c in verb.children):
        return False
    head = verb.head
    return head.lemma_.lower() in TELLING and any(c.dep_ == "neg" for c in head.children)


def _coming_to(verb: Token) -> bool:
    """'Are coming to liberate', 'is going to storm': on the way to do it, not done."""
    if verb.lemma_.lower() not in ("come", "go") or not _progressive(verb):
        return False
    return _to_clause(verb, ("xcomp", "advcl"))


def _to_infinitive(verb: Token) -> bool:
    """'(to) retake': the verb is a *to*-infinitive."""
    return any(a.dep_ == "aux" and a.lower_ == "to" for a in verb.children)


def _to_clause(verb: Token, deps: tuple[str, ...] = ("xcomp",)) -> bool:
    """'threatened to besiege', 'are coming to liberate': the verb governs a *to*-infinitive (as one of ``deps``)."""
    return any(c.dep_ in deps and _to_infinitive(c) for c in verb.children)


def _planned(verb: Token, *, negation: bool) -> bool:
    for child in verb.children:
        if child.dep_ in ("aux", "auxpass") and child.lemma_.lower() in MODALS:
            return True
        if child.dep_ == "mark" and child.lower_ in CONDITIONS:
            return True
        if negation and child.dep_ == "neg":
            return True
    return False


def launched_to_take(doc: Doc, trigger: Trigger) -> bool:
    """'The coalition launched a military operation to retake the city': the taking is the operation's purpose,
    not done. ACLED codes the fighting of an offensive launched as an armed clash, and a change of territory
    only once it is told as taken."""
    root = trigger_root(doc, trigger)
    if root is None or not is_cued(trigger) or root.lemma_.lower() not in TAKE_VERBS:
        return False
    if not _to_infinitive(root):
        return False
    above = [root.head]
    while len(above) < 4 and above[-1].head.i != above[-1].i:
        above.append(above[-1].head)
    lemmas = {t.lemma_.lower() for t in above}
    return bool(lemmas & OFFENSIVE_NOUNS) or bool(lemmas & LAUNCH_VERBS and root.dep_ in ("advcl", "xcomp"))


def supporting(doc: Doc, group: Group) -> bool:
    """Every reading of the group tells how another event was carried out: 'government forces supported by
    Russian warplanes cut off the roads', 'the incursion was backed by coalition airstrikes' (ACLED codes
    the fight they supported). Such a reading is the report's event only when it has no other."""
    return all(_backing(root) for t in group.triggers if (root := trigger_root(doc, t)) is not None)


def _backing(root: Token) -> bool:
    token = root
    while token.dep_ == "conj" and token.head.i != token.i:  # "artillery fire and air strikes"
        token = token.head
    by = token.head
    if token.dep_ != "pobj" or by.lower_ != "by" or by.dep_ not in ("agent", "prep"):
        return False
    return by.head.lemma_.lower() in BACKING_VERBS


def _progressive(verb: Token) -> bool:
    return verb.tag_ == "VBG" and any(c.dep_ == "aux" and c.lemma_.lower() == "be" for c in verb.children)


def _handed_out(root: Token, verb: Token) -> bool:
    """'Warplanes dropped leaflets', 'helicopters distributed flyers': the trigger names who did it (an
    aircraft, fighters), and what they did was hand something out, not attack."""
    if verb is root or verb.lemma_.lower() not in HANDING_VERBS:
        return False
    return any(c.dep_ == "dobj" and c.lemma_.lower() in HARMLESS_OBJECTS for c in verb.children)


def _is_to_be(verb: Token) -> bool:
    """'Corridors are to be opened', 'the next battle is to surround Mekele': *be to* + infinitive, a plan."""
    if verb.lemma_.lower() == "be":
        return _to_clause(verb)
    head = verb.head
    return (
        verb.dep_ == "xcomp" and head.i != verb.i and head.lemma_.lower() == "be"
        and _to_infinitive(verb)
    )


def _prevented(token: Token) -> bool:
    """'to stop the people from protesting', 'protests have been banned': the word is what a verb of
    preventing governs through "from", or what a verb of forbidding governs as its object."""
    current, through_from = token, False
    for _ in range(5):
        linked = current.dep_ in _OBJECT_LINKS or (current.dep_ == "conj" and current.pos_ in ("NOUN", "PROPN"))
        if not linked or current.head.i == current.i:
            return False
        through_from = through_from or (current.dep_ == "prep" and current.lower_ == "from")
        current = current.head
        if current.pos_ in ("VERB", "AUX"):
            lemma = current.lemma_.lower()
            return lemma in BAN_VERBS or (through_from and lemma in PREVENT_FROM_VERBS)
    return False


def grievance_tokens(doc: Doc, triggers: list[Trigger]) -> frozenset[int]:
    """The tokens that tell what a protest is about, not what happened at it: "rallied to protest an airstrike
    that killed 12 soldiers in Idlib", "protested against the arrest of an activist by security forces", "in
    protest over the killing of two herders", "demanded justice for a student who was beaten to death". ACLED
    codes the protest alone, where it was held and with its own toll; the grievance was coded when it happened.

    Only sentences with a protest reading are read: "the UN condemned the attack that killed 12" is the attack's
    news, not a protest's cause."""
    protests = {root.i: root for t in triggers if t.sub_event_type in PROTEST_SUB_TYPES
                if (root := trigger_root(doc, t)) is not None}
    if not protests:
        return frozenset()
    found: set[int] = set()
    for head in _grievance_heads(protests):
        # "protested the killing", but "blocked a road to protest land seizures": a road is no grievance
        objects = head.lemma_.lower() in GRIEVANCE_WORDS
        for child in head.children:
            prep = child.dep_ == "prep" and child.lower_ in GRIEVANCE_PREPS
            if prep or (objects and child.dep_ in _GRIEVANCE_LINKS):
                found.update(t.i for t in child.subtree if t.i not in protests)
    return frozenset(found)


def _grievance_heads(protests: dict[int, Token]) -> list[Token]:
    """The protest words, their clauses' verbs, and the words of protesting in their sentences ("rallied ... to
    protest", "protesters who were denouncing", "in protest over"): what they are against names a grievance."""
    heads: dict[int, Token] = {}
    for root in protests.values():
        heads[root.i] = root
        verb = _clause_verb(root)  # "protesters demanded justice", "held a sit-in against the plan"
        if verb is not None:
            heads[verb.i] = verb
        # "rallied to protest", "protesters who were denouncing", "in protest over the killing"
        heads.update((t.i, t) for t in root.sent if t.lemma_.lower() in GRIEVANCE_WORDS)
    return list(heads.values())


def _aggregate(text: str, trigger: Trigger, dates: list[DateMention]) -> bool:
    """A toll over a period ("over the past week, 16 civilians were killed", "tens of thousands have
    been killed in the war", "fought for years"): no one event, unless the sentence also names a day."""
    if not AGGREGATE.search(text[trigger.sent_start : trigger.sent_end]):
        return False
    return not any(
        trigger.sent_start <= d.start and d.end <= trigger.sent_end and d.value is not None and d.precision == 1
        and not CLOCK_ONLY.match(d.text)
        for d in dates
    )


def _habitual(doc: Doc, trigger: Trigger) -> bool:
    """'The group frequently targets army convoys', 'the army has repeatedly warned': what usually
    happens, not an event. Also what keeps happening given as the background of something else ("ordered an
    evacuation, citing daily Russian shelling", "amid constant attacks")."""
    if any(tok.lower_ in HABITUAL and _present(tok.head) for tok in sentence_tokens(doc, trigger)):
        return True
    noun = trigger_root(doc, trigger)
    if noun is None or not is_cued(trigger) or noun.pos_ != "NOUN":
        return False
    background = noun.head.lower_ in BACKGROUND_PREPS or (noun.dep_ == "dobj" and noun.head.lemma_.lower() == "cite")
    return background and any(c.dep_ == "amod" and c.lower_ in HABITUAL_ADJECTIVES for c in noun.children)


def _present(verb: Token) -> bool:
    """'attacks', 'has repeatedly warned', 'have often shelled': the present or the present perfect."""
    if verb.tag_ in ("VBZ", "VBP"):
        return True
    return verb.tag_ == "VBN" and any(c.dep_ == "aux" and c.tag_ in ("VBZ", "VBP") for c in verb.children)


# --- which events does the report keep? ---------------------------------------------------------------------


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Direct quotations of at least ``QUOTE_WORDS`` words, each within one paragraph."""
    return [
        (m.start(), m.end()) for m in _QUOTE_PAIRS.finditer(text) if len(m.group().split()) >= QUOTE_WORDS
    ]


def _quoted(group: Group, quotes: list[tuple[int, int]]) -> bool:
    """Every trigger of the group lies inside a direct quotation: a witness's or official's words."""
    return all(any(s <= t.start and t.end <= e for s, e in quotes) for t in group.triggers)


def _own_anchor(doc: Doc, event: Event, group: Group) -> bool:
    """The event's sentences name its own day or its own toll (not one inherited from the report), or say
    it is another happening ("in a separate raid", "elsewhere")."""
    own_day = event.date is not None and "date" not in event.reasons
    if own_day or event.fatalities is not None:
        return True
    return any(tok.lower_ in SEPARATE_EVENT for trigger in group.triggers[:1] for tok in sentence_tokens(doc, trigger))


def main_first(
    pairs: list[tuple[Event, Group]],
    score: Callable[[Event], float],
    lede_end: int,
    published: dt.datetime | dt.date | None,
    background_days: int,
    article: bool = False,
) -> list[tuple[Event, Group]]:
    """The report's events, its main event first.

    The main event is news, not history: an event dated more than ``background_days`` before publication
    comes after the others. Among the rest, ``score`` (the reading's confidence with its toll and place)
    ranks them, and an event first told after the lede (the report's first sentences, ending at
    ``lede_end``) weighs ``LATER_WEIGHT`` of its score: a news report tells its main happening first.
    In a news article (``article``) an event named in words of its sub-type comes before the reading of a
    whole sentence, which is as often a reaction or a plan.
    """

    def rank(pair: tuple[Event, Group]) -> tuple[bool, bool, float]:
        event, group = pair
        weight = 1.0 if group.start < lede_end else LATER_WEIGHT
        return (not _background(event, published, background_days), group.cued or not article, score(event) * weight)

    ranked = sorted(pairs, key=rank, reverse=True)
    if not ranked:
        return ranked
    # scores within ``SCORE_MARGIN`` of the best are no evidence against the earlier telling
    best = rank(ranked[0])
    near = [p for p in ranked if rank(p)[:2] == best[:2] and rank(p)[2] >= best[2] - SCORE_MARGIN]
    main = min(near, key=lambda p: p[1].start)
    return [main] + [p for p in ranked if p is not main]


def side_event_kept(
    doc: Doc,
    event: Event,
    group: Group,
    kept: list[Event],
    quotes: list[tuple[int, int]],
    background_days: int,
) -> bool:
    """Is ``event`` (not the report's main one) news of its own?

    - cued: a reading with no cue word of its sub-type is background, reactions or plans;
    - not history: dated more than ``background_days`` before publication;
    - told by the reporter: a side event only in a direct quotation is a witness's account of what
      the report tells ("They were already throwing stones", "Now you have a curfew");
    - of a type not already kept, or anchored: a second event of a type the report already has
      (the main strike, then "earlier in the day, airstrikes on ...") is a restatement or an episode of
      it unless its sentences name their own day or toll, or call it a separate happening, or it is the
      other side's act (:func:`_other_side`).
    """
    if not group.cued or _background(event, doc._.published, background_days) or _quoted(group, quotes):
        return False
    if any(k.event_type == event.event_type for k in kept):
        return _own_anchor(doc, event, group) or _other_side(event, kept)
    return True


def _other_side(event: Event, kept: list[Event]) -> bool:
    """Violence of another sub-type done by a named actor who is in none of the kept events of its type:
    "airstrikes hit houses in Kfar Kila ... Hezbollah said it fired rockets at an Israeli base": the reply, not a
    restatement. (Strategic developments told beside the news are mostly its background.)"""
    if event.event_type not in VIOLENT_TYPES:
        return False
    same = [k for k in kept if k.event_type == event.event_type]
    return "actor1" in event.evidence and event.actor1 is not None and all(
        k.sub_event_type != event.sub_event_type and event.actor1 not in (k.actor1, k.actor2) for k in same)


def history(event: Event, published: dt.datetime | dt.date | None, days: int) -> bool:
    """The event's own words date it more than ``days`` before publication ("The battle for Hodeidah began in
    June"): in a news article, the background of the news, never its event. A date inherited from another
    sentence ("nearest earlier date in the report") is no evidence of age."""
    return "date" not in event.reasons and _background(event, published, days)


def _background(event: Event, published: dt.datetime | dt.date | None, days: int) -> bool:
    """Dated more than ``days`` before publication ("the battle for Hodeidah began in June", "last fall, ..."):
    the report's history, coded from its own reports at the time."""
    if event.date is None or not isinstance(published, dt.datetime):
        return False
    return (published.date() - event.date).days > days
