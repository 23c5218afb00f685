"""Cues of the notices stage (nlp/notices.py): lexicons, Matcher patterns, and the parse checks that decide
whether a trigger word announces a notice and of which kind.
"""

from __future__ import annotations

import bisect
import re

from spacy.attrs import LEMMA, LOWER
from spacy.matcher import Matcher
from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan
from spacy.vocab import Vocab

__all__ = [
    "ANNOUNCE_VERBS",
    "CueMatcher",
    "DESTINATION_PREPS",
    "DIRECTIVE_VERBS",
    "EVAC_VERBS",
    "ISSUER_NOT",
    "ISSUING_VERBS",
    "OPEN_END_CUES",
    "PLACE_NOUNS",
    "PRIORITY",
    "RECURRING_CUES",
    "REPORTING_VERBS",
    "RESIDENT_WORDS",
    "SUBORDINATORS",
    "WEEKDAY_RE",
    "ancestors",
    "best_cue",
    "cues",
    "matcher_patterns",
    "schedule_parts",
    "schedule_steps",
]

# --- lexicons ---------------------------------------------------------------------------------------------
ANNOUNCE_VERBS = frozenset(
    "announce declare impose reimpose extend order issue introduce set expand decide decree "
    "proclaim establish open create confirm publish give instruct direct urge call warn threaten "
    "broadcast post drop".split()
)
DIRECTIVE_VERBS = frozenset(
    "order urge call tell instruct direct ask demand advise command warn decide plan require request appeal "
    "notify".split()
)
#: A noun cue governed by these is a back-reference ("Following the evacuation orders, ..."), not a notice.
BACKREF_PREPS = frozenset("follow following after despite amid amidst since before during under over against".split())
DEADLINE_POBJ = frozenset("end dawn midnight noon morning evening night deadline expiry".split())
PLANNED_WORDS = frozenset("ahead before planned coming imminent upcoming impending intend intended will".split())
ISSUER_NOT = frozenset(
    "leaflet statement message order map notice warning post report information according text decision".split()
)
REPORTING_VERBS = frozenset("say tell report add write".split())
WEEKDAY_RE = re.compile(r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b", re.I)
SUBORDINATORS = frozenset("if unless when because as after before while once until".split())
EVAC_VERBS = frozenset("evacuate leave flee relocate vacate depart move head go".split())
STRIKE_WORDS = frozenset(
    "strike airstrike bomb bombard bombing target attack hit shell raid bombardment airstrikes strikes".split()
)
RESIDENT_WORDS = frozenset(
    "resident civilian people population inhabitant citizen family everyone anyone villager gazan "
    "residents civilians".split()
)
STAY_AWAY_OBJECTS = frozenset("location position area site vicinity gathering building facility base".split())
CANCEL_VERBS = frozenset(
    "lift end ease relax cancel remove suspend scrap revoke rescind violate defy break breach violation violator "
    "defiance enforce".split()
)
CORRIDOR_MODS = frozenset("humanitarian safe evacuation civilian secure green".split())
CORRIDOR_VERBS = frozenset("open establish create set organise organize announce provide allow agree reopen".split())
ISSUING_VERBS = ANNOUNCE_VERBS | DIRECTIVE_VERBS | REPORTING_VERBS | CORRIDOR_VERBS | frozenset(
    "grant allow set give impose send publish release drop post".split()
)
EVACUEE_WORDS = frozenset(
    "child family home house area city town village region neighbourhood neighborhood district building part "
    "zone camp settlement everyone you".split()
)
DEADLINE_SETTERS = frozenset("give set issue impose announce deliver extend expire pass agree grant declare".split())
#: A sentence about a natural or industrial hazard is not about a conflict's warnings.
HAZARD_WORDS = frozenset(
    "earthquake aftershock flood storm hurricane cyclone typhoon wildfire tsunami landslide heatwave spill "
    "leak virus coronavirus covid pandemic epidemic outbreak recall".split()
)
CONFLICT_WORDS = frozenset("offensive operation assault".split())
DEADLINE_ACTIONS = frozenset(
    "leave withdraw surrender evacuate vacate return hand abandon disarm lay pull depart quit".split()
)
RECURRING_CUES = ("every day", "each day", "daily", "nightly", "every night", "each night", "every evening")
OPEN_END_CUES = ("until further notice", "indefinite", "indefinitely")
PLACE_LABELS = frozenset(("GPE", "LOC", "FAC"))
PLACE_NOUNS = frozenset(
    "village town settlement neighbourhood neighborhood district area city locality township community "
    "building suburb governorate province region division".split()
)
#: Where people are sent, or the way they are sent along ("evacuate to the south via Salah al-Din Street").
DESTINATION_PREPS = frozenset(("to", "towards", "toward", "into", "via"))

#: Priority when one sentence shows cues of several kinds: the more specific kind wins.
PRIORITY = ("safe_corridor", "deadline", "curfew", "strike_warning", "evacuation_order")


def matcher_patterns() -> dict[str, list[list[dict[str, object]]]]:
    return {
        "curfew": [
            [{"LEMMA": {"IN": ["curfew", "lockdown"]}}],
            [{"LOWER": "stay"}, {"ORTH": "-"}, {"LOWER": "at"}, {"ORTH": "-"}, {"LOWER": "home"}],
        ],
        "safe_corridor": [
            [{"LEMMA": "corridor"}],
            [{"LOWER": {"IN": ["safe", "humanitarian"]}}, {"LEMMA": {"IN": ["passage", "route", "pause", "window"]}}],
            [{"LOWER": "evacuation"}, {"LEMMA": "route"}],
            [{"LEMMA": {"IN": ["ceasefire", "truce", "cease-fire"]}}],
        ],
        "deadline": [
            [{"LEMMA": {"IN": ["deadline", "ultimatum"]}}],
            [{"LOWER": "within"}, {"LIKE_NUM": True}, {"LEMMA": {"IN": ["hour", "day"]}}],
            [{"LOWER": "grace"}, {"LOWER": "period"}],
            [{"LEMMA": {"IN": sorted(DEADLINE_ACTIONS | EVAC_VERBS)}, "POS": "VERB"}],
        ],
        "strike_warning": [
            [{"LEMMA": {"IN": ["warn", "warning", "threaten", "threat"]}}],
            [{"LOWER": "away"}],
            [{"LEMMA": "avoid"}],
            [{"LEMMA": "map"}],
            [{"LEMMA": "approach"}],
            [{"LEMMA": {"IN": ["strike", "airstrike", "bombing", "raid", "attack"]}}, {"LEMMA": "be"},
             {"LEMMA": "come"}],
        ],
        "evacuation_order": [
            [{"LEMMA": {"IN": list(EVAC_VERBS)}}],
            [{"LEMMA": {"IN": ["evacuation", "displacement", "relocation"]}}],
        ],
    }


class CueMatcher:
    """``matcher_patterns`` matched as one spaCy ``Matcher`` of them all matches them, in less time.

    A Matcher starts every pattern at every token and calls each ``IN`` list from Python per token: for
    these 18 patterns, 0.3 ms per report, most of the notices stage in reports without notices. Every
    pattern's first token here needs one of a few lemmas or lower-case forms, so a Matcher of only the
    patterns whose first words the doc has (one per such selection, kept) finds the same matches in the
    same order (the patterns keep their order; the others could not start), and a doc with none of them
    is not matched at all.
    """

    def __init__(self, vocab: Vocab, patterns: dict[str, list[list[dict[str, object]]]]) -> None:
        self._vocab = vocab
        self._patterns = [(kind, pattern) for kind, found in patterns.items() for pattern in found]
        self._firsts = [self._first_words(pattern) for _, pattern in self._patterns]
        self._matchers: dict[tuple[int, ...], Matcher] = {}

    def _first_words(self, pattern: list[dict[str, object]]) -> frozenset[int] | None:
        """The string ids of the first token's required lemmas and lower-case forms (None: any token)."""
        words: set[int] = set()
        for attr in ("LEMMA", "LOWER"):
            value = pattern[0].get(attr)
            if isinstance(value, str):
                words.add(self._vocab.strings.add(value))
            elif isinstance(value, dict) and set(value) == {"IN"}:
                words.update(self._vocab.strings.add(str(v)) for v in value["IN"])
            elif value is not None:
                return None
        return frozenset(words) if words and pattern[0].get("OP") is None else None

    def _matcher(self, selected: tuple[int, ...]) -> Matcher:
        matcher = self._matchers.get(selected)
        if matcher is None:
            matcher = self._matchers[selected] = Matcher(self._vocab)
            for i in selected:
                kind, pattern = self._patterns[i]
                matcher.add(kind, [pattern])
        return matcher

    def __call__(self, doc: Doc) -> list[tuple[int, int, int]]:
        if not (doc.has_annotation("LEMMA") and doc.has_annotation("POS")):
            return self._matcher(tuple(range(len(self._patterns))))(doc)  # which raises E155 as the full one does
        words = set(doc.to_array([LEMMA, LOWER]).ravel().tolist())
        selected = tuple(i for i, first in enumerate(self._firsts) if first is None or not first.isdisjoint(words))
        return self._matcher(selected)(doc) if selected else []


# --- cues -------------------------------------------------------------------------------------------------
def cues(doc: Doc, matcher: Matcher | CueMatcher, sents: list[SpacySpan]) -> dict[int, list[tuple[str, SpacySpan]]]:
    """Sentence start -> the accepted cues (kind, words) in it."""
    found: dict[int, list[tuple[str, SpacySpan]]] = {}
    starts = [s.start for s in sents]
    for match_id, start, end in matcher(doc):
        kind = doc.vocab.strings[match_id]
        span = doc[start:end]
        sent = sents[bisect.bisect_right(starts, start) - 1]
        if _accept(kind, span, sent):
            found.setdefault(sent.start, []).append((_refine_kind(kind, span, sent), span))
    return found


_TIME_GIVEN = frozenset("minute hour day week".split())


def _by_date(tok: Token) -> bool:
    """'warned to leave the region by Aug. 25', 'gave them until 2 a.m. to withdraw', 'gave the fighters 72 hours
    to leave': a deadline."""
    holders = _own_clause([tok, *ancestors(tok, 3)])
    if any(
        h.lemma_.lower() in ("give", "grant", "allow") and any(
            c.dep_ in ("dobj", "npadvmod") and c.lemma_.lower() in _TIME_GIVEN for c in h.children
        )
        for h in holders[1:]
    ):
        return True
    # "until" read as the mark of the leaving: "gave residents until noon on Thursday to leave"
    preps = [c for h in holders[:3] for c in h.children if c.dep_ == "prep" or (c.dep_ == "mark" and c.lower_ in (
        "until", "before"))] + [h for h in holders if h.dep_ == "prep"]
    for prep in preps:
        if prep.lower_ in ("by", "before", "until") and any(
            t.ent_type_ in ("DATE", "TIME") or t.lemma_.lower() in DEADLINE_POBJ for t in prep.subtree
        ):
            return True
    return False


#: The prepositions of a deadline's date.
DEADLINE_PREPS = frozenset(("by", "before", "until"))


def schedule_steps(span: SpacySpan) -> list[Token]:
    """The "by"/"before"/"until" words of ``span`` that a date follows: two or more make a schedule of
    deadlines ("by November 20 - Aghdam region, by December 1 - Lachin region"). Read from the words, not
    the parse, which hangs the dashes' parts anywhere."""
    doc = span.doc
    return [t for t in span if t.lower_ in DEADLINE_PREPS and t.i + 1 < span.end and doc[t.i + 1].ent_type_ == "DATE"]


def schedule_parts(clause: SpacySpan, places: list[int]) -> list[SpacySpan]:
    """The steps of a schedule of deadlines in ``clause``, each with its date and places ("must withdraw
    according to the following schedule: by November 20 - Aghdam region, by December 1 - Lachin region": each
    place after its date; "leave Aghdam by November 20 and Lachin by December 1": each place before it).
    ``places`` are the character offsets of the clause's place names. Empty when the clause is no schedule or
    a step names no place (one notice, then)."""
    steps = schedule_steps(clause)
    if len(steps) < 2:
        return []
    doc = clause.doc
    if any(p > steps[-1].idx for p in places):  # the place follows its date
        bounds = [s.i for s in steps] + [clause.end]
    else:  # the place precedes its date: a step ends after its date's words
        ends = [next((t.i for t in doc[s.i + 1 : clause.end] if t.ent_type_ != "DATE"), clause.end) for s in steps]
        colon = [t.i + 1 for t in doc[clause.start : steps[0].i] if t.text == ":"]
        bounds = [colon[-1] if colon else clause.start, *ends]
    parts = [doc[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]
    if not all(any(part.start_char <= p < part.end_char for p in places) for part in parts):
        return []
    return parts


def _own_clause(chain: list[Token]) -> list[Token]:
    """A cue's chain of heads up to its clause's verb: "gave them until 3 p.m. to leave ..., and ordered
    residents to evacuate": the deadline's time is not the evacuation's."""
    for k, tok in enumerate(chain):
        if tok.dep_ == "conj" and tok.pos_ in ("VERB", "AUX"):
            return chain[: k + 1]
    return chain


def best_cue(cues: list[tuple[str, SpacySpan]]) -> tuple[str, SpacySpan] | None:
    if not cues:
        return None
    return min(cues, key=lambda c: (PRIORITY.index(c[0]), c[1].start))


def ancestors(tok: Token, limit: int = 4) -> list[Token]:
    out: list[Token] = []
    while tok.head.i != tok.i and len(out) < limit:
        tok = tok.head
        out.append(tok)
    return out


def _words(sent: SpacySpan) -> set[str]:
    return {t.lemma_.lower() for t in sent} | {t.lower_ for t in sent}


def _negated_or_cancelled(tok: Token) -> bool:
    if tok.dep_ in ("oprd", "attr") or (tok.dep_ == "pobj" and tok.head.lemma_.lower() in BACKREF_PREPS):
        return True  # "calling it 'evacuation'", "Following the evacuation orders, ..."
    if tok.dep_ == "compound" and tok.head.dep_ == "pobj" and tok.head.head.lemma_.lower() in BACKREF_PREPS:
        return True
    chain = ancestors(tok, 4)
    for near, far in zip(chain, chain[1:], strict=False):
        if near.dep_ == "pobj" and far.dep_ == "prep" and far.lemma_.lower() in BACKREF_PREPS:
            return True  # "Following the introduction of a curfew, ...", "protested against the imposition of"
    for anc in [tok, *ancestors(tok, 2)]:
        if anc.lemma_.lower() == "enforce" and anc.head.lemma_.lower() in ("begin", "start"):
            return False  # "began enforcing a 3-day curfew": it starts now
        if anc.lemma_.lower() in CANCEL_VERBS:
            return True  # lifted, violated, enforced (an existing curfew): not a new notice
        if any(c.dep_ == "neg" for c in anc.children) and anc.pos_ in ("VERB", "AUX") and anc is not tok:
            return anc.lemma_.lower() in ANNOUNCE_VERBS
    return False


def _announced(tok: Token) -> bool:
    """Governed by an announcing verb ("imposed a curfew"), or described by one ("a curfew imposed on X")."""
    if any(a.pos_ == "VERB" and a.lemma_.lower() in ANNOUNCE_VERBS for a in [tok, *ancestors(tok)]):
        return True
    return any(c.dep_ == "acl" and c.lemma_.lower() in ANNOUNCE_VERBS for c in tok.children)


_HABIT_RE = re.compile(
    r"\b(?:every|each)\s+(?:day|week|month|time|morning|night)\b|\b(?:often|routinely|repeatedly|regularly|usually"
    r"|always)\b",
    re.I,
)


def _habitual(tok: Token) -> bool:
    """'Every week the army tells people to move south': what an issuer keeps doing, in the present simple with
    a word of frequency, is no order of the day (an opinion piece, a profile)."""
    verb = next((a for a in [tok, *ancestors(tok, 3)] if a.pos_ in ("VERB", "AUX") and a.tag_ in ("VBZ", "VBP")), None)
    if verb is None or any(c.dep_ == "aux" for c in verb.children):
        return False
    words = verb.doc[min(t.i for t in verb.subtree) : max(t.i for t in verb.subtree) + 1]
    return bool(_HABIT_RE.search(words.text))


def _accept(kind: str, span: SpacySpan, sent: SpacySpan) -> bool:
    tok = span.root
    if _negated_or_cancelled(tok):
        return False
    if kind in ("evacuation_order", "strike_warning") and _habitual(tok):
        return False
    if kind == "curfew":
        return _accept_curfew(tok, sent)
    if kind == "safe_corridor":
        return _accept_corridor(span, tok)
    if kind == "deadline":
        return _accept_deadline(span, tok, sent)
    if kind == "strike_warning":
        return _accept_strike(span, tok, sent)
    return _accept_evacuation(tok, sent)


#: What asks for a notice that someone else would have to give: "called for a curfew", "demanded the evacuation".
REQUEST_VERBS = frozenset("demand propose seek suggest want request".split())
REQUEST_FOR = frozenset("call appeal press push campaign plea lobby".split())


def _requested(tok: Token) -> bool:
    """'An opposition lawmaker called for a 24-hour curfew in Jos', 'the UN demanded the evacuation of the
    wounded', 'calls for a lockdown': asked for, not given."""
    noun = tok.head if tok.dep_ == "compound" else tok
    if noun.dep_ == "pobj" and noun.head.lower_ == "for" and noun.head.head.lemma_.lower() in REQUEST_FOR:
        return True
    if noun.dep_ == "pobj" and noun.head.lower_ == "of" and noun.head.head.dep_ in ("dobj", "pobj"):
        noun = noun.head.head  # "demanded the imposition of a curfew"
        if noun.dep_ == "pobj" and noun.head.lower_ == "for" and noun.head.head.lemma_.lower() in REQUEST_FOR:
            return True
    return noun.dep_ == "dobj" and noun.head.lemma_.lower() in REQUEST_VERBS


#: What a curfew does to the places it is in force in: "The curfew applies to / covers / includes X and Y".
_COVER_VERBS = frozenset("apply cover include affect extend span encompass".split())


def _accept_curfew(tok: Token, sent: SpacySpan) -> bool:
    if _requested(tok):
        return False
    if tok.dep_ == "compound":
        if tok.head.lemma_.lower() not in ("order", "decision", "extension"):
            return False  # "curfew passes", "curfew hours"
        tok = tok.head
    if tok.dep_ == "pobj" and tok.head.lower_ not in ("of", "for", "with"):
        return False  # "protests amid the lockdown"
    if _announced(tok) or any(c.dep_ == "prep" and c.lower_ in ("on", "in", "over", "across", "for") for c in
                              tok.children):
        return True
    if tok.dep_ == "nsubj" and tok.head.lemma_.lower() in _COVER_VERBS and any(
        (t.ent_type_ in PLACE_LABELS or t.pos_ == "PROPN") for t in tok.head.subtree if t.i > tok.head.i
    ):
        return True  # "The curfew applies to the communes of Port-au-Prince, Delmas and Petion-Ville"
    clause = {t.lower_ for t in tok.head.subtree} if tok.dep_ in ("nsubj", "nsubjpass") else {
        t.lower_ for t in tok.subtree}
    return bool(clause & {"from", "until", "till", "between", "effective", "starting"})


def _accept_corridor(span: SpacySpan, tok: Token) -> bool:
    if tok.lemma_.lower() in ("ceasefire", "truce", "cease-fire"):
        # "a ceasefire to allow civilians to leave Mariupol": a window for evacuation, not a truce in general
        words = {t.lemma_.lower() for t in tok.subtree} | {t.lemma_.lower() for t in tok.head.subtree}
        return bool(words & {"evacuate", "evacuation"}) or ("allow" in words and bool(words & {"leave", "exit"}))
    if tok.lemma_.lower() != "corridor":
        return True  # "safe passage", "humanitarian pause", "evacuation route"
    mods = {c.lower_ for c in tok.children if c.dep_ in ("amod", "compound", "nmod")}
    if mods & CORRIDOR_MODS:
        return True
    if any(c.dep_ == "compound" and c.pos_ == "PROPN" for c in tok.children):
        return False  # a named road: "the Lachin corridor", "the Al-Rashid corridor"
    if tok.dep_ in ("nsubj", "nsubjpass") and any(
        c.dep_ == "xcomp" and c.lemma_.lower() in CORRIDOR_VERBS for c in tok.head.children
    ):
        return True  # "Corridors are to be opened"
    return any(a.lemma_.lower() in CORRIDOR_VERBS for a in [tok, *ancestors(tok, 3)])


def _accept_deadline(span: SpacySpan, tok: Token, sent: SpacySpan) -> bool:
    if tok.lemma_.lower() == "deadline" and tok.dep_ == "compound":
        return False  # "deadline extensions"
    if span[0].lower_ == "within":
        return bool(_words(sent) & DEADLINE_ACTIONS)
    if tok.pos_ == "VERB":
        if tok.tag_ == "VBD":
            return False  # "the troops withdrew from the town by November 20": what they did, not a deadline
        # "gave fighters until 2 a.m. to withdraw", "warned to leave by Aug. 25", "must withdraw according to the
        # following schedule: by November 20 - Aghdam, by December 1 - Lachin"
        return _by_date(tok) or len(schedule_steps(sent)) >= 2
    if any(a.lemma_.lower() in DEADLINE_SETTERS for a in [tok, *ancestors(tok, 2)]):
        return True  # "gave them a 72-hour ultimatum", "set a deadline", "the deadline will expire"
    return bool(_words(sent) & DEADLINE_ACTIONS)  # not "the proposal was presented as an ultimatum"


def _accept_strike(span: SpacySpan, tok: Token, sent: SpacySpan) -> bool:
    lemma = tok.lemma_.lower()
    words = _words(sent)
    if lemma in ("warn", "warning", "threaten", "threat"):
        holder = tok.head if tok.dep_ == "dobj" and tok.pos_ == "NOUN" else tok  # "issued warnings to ..."
        objs = {
            t.lemma_.lower()
            for c in holder.children
            if c.dep_ not in ("nsubj", "nsubjpass", "mark") and (c.dep_ != "advcl" or holder is not tok)
            for t in c.subtree
        }
        if lemma in ("threaten", "threat"):
            return _military_strike(holder)  # not "threatened to strike if nothing was done" (a labour strike)
        if words & HAZARD_WORDS and not words & STRIKE_WORDS:
            return False  # "warned people to stay outdoors because of aftershocks", food recalls
        if objs & (STRIKE_WORDS | CONFLICT_WORDS) or "urgent" in objs or "away" in objs:
            return True
        if objs & EVAC_VERBS:  # "warned residents to evacuate": a strike warning only if strikes are in view
            return bool(words & STRIKE_WORDS) or "building" in words or "buildings" in words
        return _residents_of_a_place(holder)
    if lemma == "avoid":
        return any(t.lemma_.lower() in STAY_AWAY_OBJECTS for t in tok.subtree)
    if lemma == "approach":  # "urged residents not to approach", "Do not approach"
        negated = any(c.dep_ == "neg" and c.lower_ in ("not", "n't") for c in tok.children)
        directed = any(a.lemma_.lower() in DIRECTIVE_VERBS for a in ancestors(tok, 3)) or any(
            c.lower_ == "do" for c in tok.children)
        return negated and directed
    if lemma == "away":  # "urged residents to stay away from", "get at least 500 meters away"
        verbs = [a for a in ancestors(tok, 3) if a.pos_ == "VERB"]
        if not any(a.lemma_.lower() in ("stay", "keep", "move", "get", "remain") for a in verbs):
            return False
        if not any(a.lemma_.lower() in DIRECTIVE_VERBS for a in ancestors(tok, 5)) and not any(
            _imperative(a) for a in verbs
        ):
            return False
        return bool(words & (RESIDENT_WORDS | STRIKE_WORDS | {"position", "building", "meter", "metre"}))
    if span[-1].lemma_ == "come":
        return True
    if lemma == "map":  # "published maps of the buildings it would target"
        return _announced(tok) and any(
            t.lemma_.lower() in STRIKE_WORDS and any(c.lower_ in ("will", "would") for c in t.children)
            for t in sent
        )
    return False


def _military_strike(verb: Token) -> bool:
    """A strike word meant as an attack: bomb/shell/target, an air/drone/missile strike, or 'strike' with
    an object ("threatened to strike the port")."""
    for t in verb.subtree:
        lemma = t.lemma_.lower()
        if lemma in STRIKE_WORDS - {"strike", "strikes", "attack", "hit"}:
            return True
        if lemma in ("strike", "attack", "hit"):
            if t.pos_ == "VERB" and any(c.dep_ == "dobj" for c in t.children):
                return True
            kinds = ("air", "drone", "missile", "military", "rocket")
            if t.pos_ == "NOUN" and any(c.lower_ in kinds for c in t.children):
                return True
    return False


def _residents_of_a_place(verb: Token) -> bool:
    """'warned Mekele residents', 'warned residents of Dahiyeh': the people of a named place."""
    for t in verb.subtree:
        if t.lemma_.lower() in RESIDENT_WORDS and t.head.i != t.i:
            if any(c.dep_ == "compound" and c.pos_ == "PROPN" for c in t.children):
                return True
            if any(c.dep_ == "prep" and c.lower_ in ("of", "in") and any(g.pos_ == "PROPN" for g in c.subtree)
                   for c in t.children):
                return True
    return False


def _accept_evacuation(tok: Token, sent: SpacySpan) -> bool:
    lemma = tok.lemma_.lower()
    if lemma in ("evacuation", "displacement", "relocation"):
        if _requested(tok):
            return False
        noun = tok.head if tok.dep_ == "compound" else tok
        if noun.dep_ not in ("dobj", "pobj", "nsubjpass", "conj", "appos", "ROOT"):
            return False  # "this evacuation order was the fourth", "the evacuation warnings were confusing"
        return _announced(noun) and noun.head.lemma_ != "allow"
    if lemma in ("move", "head", "go") and not any(c.lower_ in ("south", "north", "east", "west", "away")
                                                   for c in tok.subtree) and not _sent_somewhere(tok):
        return False
    if tok.tag_ != "VB" or (tok.dep_ in ("acl", "amod", "pcomp", "compound", "nmod", "relcl")
                            and not _told_to(tok)):
        return False  # "those evacuating", "people fleeing", "..., leaving five dead"
    doc = tok.doc
    if (tok.i > 0 and doc[tok.i - 1].text == "-") or (tok.i + 1 < len(doc) and doc[tok.i + 1].text == "-"):
        return False  # "a take-it-or-leave-it offer"
    if _words(sent) & HAZARD_WORDS and not _words(sent) & STRIKE_WORDS:
        return False  # a flood or a chemical spill, not a conflict
    if any(c.dep_ == "dobj" and c.lemma_.lower() in _LEFT_NOT_PLACES for c in tok.children):
        return False  # "told the people to leave the protest", "asked him to leave his post"
    if any(c.lower_ in ("must", "should") for c in tok.children) and _addressed(tok):
        return True  # "residents must leave", "you should leave"
    if tok.dep_ == "xcomp" and tok.head.lemma_.lower() in ("have", "need") and tok.head.tag_ in ("VBP", "VBZ", "VB"):
        return _addressed(tok.head)  # "you have to leave" (not "journalists had to leave")
    if _imperative(tok):
        return True  # "Leave now", '"Evacuate immediately," the army said'

    for anc in ancestors(tok, 3):
        a = anc.lemma_.lower()
        if a in ("allow", "let", "able", "refuse", "help", "enable", "want", "wish"):
            return False
        if a == "call" and not any(c.lower_ in ("on", "upon", "for") for c in anc.children):
            return False  # "calling the warnings 'propaganda'" names, it does not direct
        if a in DIRECTIVE_VERBS:
            if anc.tag_ == "VBG" and anc.dep_ in ("csubj", "csubjpass", "nsubj"):
                return False  # "Ordering a population to flee without a safe destination is not protection"
            return _evacuees(anc, tok)
    return False


def _sent_somewhere(verb: Token) -> bool:
    """'ordered civilians living near the airport to move to the city centre': moved (or headed) to a place, not
    only a direction ("go" stays out: "urged people to go to the polls")."""
    return verb.lemma_.lower() in ("move", "head") and any(
        c.dep_ == "prep" and c.lower_ in ("to", "towards", "toward", "into") and any(
            g.dep_ == "pobj" and (g.lemma_.lower() in PLACE_NOUNS | _SAFE_PLACES or g.ent_type_ in PLACE_LABELS)
            for g in c.children
        )
        for c in verb.children
    )


#: Where people are sent for safety, besides a place noun: "move to the city centre", "head to shelters".
_SAFE_PLACES = frozenset("centre center shelter safety zone camp south north east west".split())


#: What one is told to leave that is no area: a gathering, a meeting, an office.
_LEFT_NOT_PLACES = frozenset(
    "protest rally demonstration march gathering meeting session talks scene stage hall room court match game "
    "party post office job government coalition".split()
)


def _told_to(verb: Token) -> bool:
    """'ordered residents of Sheikh Maqsoud to evacuate', parsed with the infinitive hung on the people told."""
    noun = verb.head
    return (
        verb.dep_ == "acl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)
        and noun.dep_ == "dobj" and noun.head.lemma_.lower() in DIRECTIVE_VERBS
    )


def _evacuees(directive: Token, verb: Token) -> bool:
    """Who is told to leave, or from where: residents, civilians, children, their homes, a city or a named
    place; not "asked them to leave the scene" or "demanded the newcomers leave"."""
    words: set[str] = set()
    for c in [*directive.children, *verb.children]:
        if c.dep_ in ("nsubj", "nsubjpass") and c.head.i == directive.i:
            continue
        words |= {t.lemma_.lower() for t in c.subtree}
        if any(t.ent_type_ in ("GPE", "LOC", "FAC") for t in c.subtree):
            return True
    if any(c.lower_ in ("immediately", "south", "north", "east", "west") for c in verb.children):
        return True
    return bool(words & (RESIDENT_WORDS | EVACUEE_WORDS))


def _addressed(verb: Token) -> bool:
    """The subject is the people told to act: you, residents, civilians, everyone (or none is given)."""
    subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is None:
        return True
    words = {t.lemma_.lower() for t in subj.subtree} | {subj.lower_}
    return bool(words & (RESIDENT_WORDS | {"you", "everyone", "anyone", "all", "those"}))


def _imperative(tok: Token) -> bool:
    if tok.tag_ != "VB" or any(c.dep_ in ("nsubj", "aux", "auxpass") for c in tok.children):
        return False
    if tok.dep_ not in ("ROOT", "ccomp", "conj"):
        return False
    first = min(t.i for t in tok.subtree if not t.is_punct)
    sent_start = tok.sent.start
    return first == tok.i and (tok.i == sent_start or tok.doc[tok.i - 1].is_quote or tok.doc[tok.i - 1].is_punct)


def _refine_kind(kind: str, span: SpacySpan, sent: SpacySpan) -> str:
    """An order to leave ahead of strikes, or a warning to leave, is a strike warning (building-level)."""
    if kind != "evacuation_order":
        return kind
    warned = any(a.lemma_.lower() in ("warn", "warning") for a in ancestors(span.root, 3))
    if warned and _words(sent) & STRIKE_WORDS:
        return "strike_warning"  # "warning civilians to leave ... because forces planned to bomb the city"
    near = sent.doc[max(sent.start, span.start - 8) : min(sent.end, span.end + 8)]
    if any(t.lemma_.lower() == "building" for t in near):
        return "strike_warning"  # leave these buildings: a warning of strikes on them
    for tok in sent:
        if tok.lemma_.lower() not in STRIKE_WORDS:
            continue
        before = {t.lower_ for t in sent.doc[max(sent.start, tok.i - 3) : tok.i]}
        aux = {c.lower_ for c in tok.children if c.dep_ == "aux"}
        if before & PLANNED_WORDS or aux & {"will", "would"}:
            return "strike_warning"  # "evacuate ahead of planned strikes", "it will strike"
    return kind


