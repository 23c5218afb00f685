"""Counts of people in a report: killed, injured, displaced, arrested, abducted (``doc._.counts``).

A precompiled regex finds number expressions in ``doc.text`` (digits, number words, vague words);
the dependency parse around each one says what is counted and what happened to it. Cheap per doc:
one regex pass and a few token look-ups per number.

Rules (each one is tested in tests/nlp/test_numbers.py):

- Values: digits ("12", "1,200", "1.5 million"), number words ("three", "twenty-five", "two hundred
  and fifty", "a dozen" = 12, "half a dozen" = 6), and "a"/"an"/"another" before a singular person
  noun (from the lexicon, or shaped like one: "trafficker", "adolescent") when something happened
  to it ("a soldier was killed" -> 1). Qualifiers are dropped and the stated figure kept, ACLED's
  most conservative reading: "at least 12", "more than 12", "nearly 12" -> 12; a range "11-12" -> 11.
  "How many", "as many as", "so many" are no counts.
- Vague words (``vague=True``), ACLED's coding: "dozens" 12, "hundreds" 100, "thousands" 1000,
  "scores" 20, "tens" 10; "several", "many", "numerous", "multiple", "a number of", "an unknown
  number of" 10; "a few" 3. "some" is no count. Evidence from /work/shared/eval/acled_*.csv (8,256
  rows; notes whose only fatality phrase is vague, no other number near a death word): "an unknown
  number of ... killed" was coded 10 in 15 of 19 notes (3 in 3), "several ... killed" 10 in 6 of
  11 (3 in 4), "dozens of ... killed" 12 or 6 (4 and 4; 6 where the note split the figure over
  events), which matches ACLED's codebook rule (several/many/unknown = 10, dozens = 12, hundreds =
  100). "a few" = 3 follows the same conservative reading (the smallest plural beyond "a couple").
- Kind, from the counted noun's modifiers ("3 people killed"), else its governing verb ("refugees
  were killed" is fatalities), else the counted word itself ("12 deaths"); lemma lexicons below:
  fatalities (killed, dead, died, deaths, bodies, "lost their lives", "death toll rose to"),
  injured (wounded, injured, hurt), displaced (fled, displaced, evacuated, IDPs, "left their
  homes", "forced to leave"), arrested (arrested, detained, "taken into custody"), abducted
  (kidnapped, abducted, hostages, "taken hostage"), else "people" (only when the counted noun is
  a person word: "300 protesters").
  The subject of a verb with an object is the perpetrator, not the victim ("5 gunmen killed 3
  civilians" -> people 5, fatalities 3; but "12 people lost their lives"), and so is the agent
  ("killed by 5 gunmen"); the object of a place preposition is not a victim ("killed in a crash").
- A subset is not a new count: a number under "including"/"among" or the object of "include"
  is dropped ("killing 6 civilians, including 2 women" -> fatalities 6).
- Coordinated groups stay separate mentions ("two soldiers and three civilians were killed" ->
  fatalities 2 and fatalities 3); the events stage sums them.
- Conflicting figures are all kept ("5 killed according to state media, while activists said 12").
- "No casualties", "no fatalities", "neither fatalities nor injuries were reported", "no one was
  killed", "fatalities were not reported" -> fatalities 0.
- Deaths without a figure ("incurring fatalities", "fatalities were reported", "fatalities on both
  sides") -> fatalities 10, vague, when the sentence has no other fatality count: ACLED's coding
  (13 of 27 such notes coded 10; most others are 10 split over several events: 3, 4, 5).
- A definite singular victim ("killed the watchman", "killing him", "the officer and her daughter
  died") counts 1, but only before any other count of that kind in the text (a later "the
  soldier" repeats "a soldier") unless coordinated with another victim ("a woman and her son"),
  and never for a collective ("the police") or a count word ("the death").
- Not counts of people: numbers inside a date/time mention, a MONEY/PERCENT/QUANTITY/ORDINAL
  entity, or a DATE/TIME entity unless they count a person noun; numbers before a unit or thing
  noun ("12 rockets", "5 km", "3 vehicles"), ages ("22-year-old"), hyphenated compounds ("24-hour").
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from tocsin.model import CountMention
from tocsin.nlp.claims import SPEECH_LEMMAS, TOLL_NOUNS, TOLL_VERBS
from tocsin.nlp.pipeline import doc_text, register_extensions

__all__ = ["CountExtractor", "find_counts", "make_numbers", "parse_count"]

register_extensions()

UNITS: dict[str, int] = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
TENS: dict[str, int] = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}
SCALES: dict[str, int] = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
#: Vague words and the figure ACLED codes for them (see the module docstring for the evidence).
VAGUE: dict[str, int] = {
    "dozens": 12, "hundreds": 100, "thousands": 1_000, "tens of thousands": 10_000, "hundreds of thousands": 100_000,
    "scores": 20, "tens": 10, "several": 10, "many": 10, "numerous": 10, "multiple": 10, "a number of": 10,
    "an unknown number of": 10, "unknown number of": 10, "an undetermined number of": 10, "a few": 3,
}  # fmt: skip

KIND_LEMMAS: dict[str, frozenset[str]] = {
    "fatalities": frozenset({
        "kill", "die", "dead", "death", "body", "corpse", "fatality", "slay", "behead", "execute", "massacre",
        "murder", "perish", "killing", "toll", "lynch", "assassinate",
    }),
    "injured": frozenset({"injure", "wound", "hurt", "injury", "injured", "wounded", "maim"}),
    "displaced": frozenset({"flee", "displace", "displaced", "evacuate", "idp", "idps", "refugee", "uproot"}),
    "arrested": frozenset({"arrest", "detain", "detainee", "apprehend", "imprison", "jail"}),
    "abducted": frozenset({"kidnap", "abduct", "abductee", "hostage"}),
}  # fmt: skip
_KIND_OF: dict[str, str] = {lemma: kind for kind, lemmas in KIND_LEMMAS.items() for lemma in lemmas}
#: Verbs whose active subject is the perpetrator (the victims are the object or passive subject).
TRANSITIVE = frozenset({
    "kill", "slay", "behead", "execute", "massacre", "murder", "injure", "wound", "hurt", "maim", "arrest", "detain",
    "apprehend", "imprison", "jail", "kidnap", "abduct", "displace", "evacuate", "uproot", "lynch", "assassinate",
})  # fmt: skip
PERSON_NOUNS = frozenset("""
people person persons civilian soldier troop trooper fighter militant member child children kid woman women man men
boy girl student pupil protester demonstrator policeman policemen police officer guard gunman gunmen rebel insurgent
jihadist terrorist worker farmer herder villager resident individual victim passenger pedestrian journalist doctor
nurse teacher migrant refugee idp hostage prisoner detainee inmate suspect personnel recruit commander leader official
employee staff youth elder infant baby patient trader miner driver fisherman fishermen shepherd pilgrim worshipper
attacker assailant element combatant militiaman militiamen militia gendarme cadet sergeant colonel captain lieutenant
general officer agent security fighter jihadi other others family families settler citizen national activist
volunteer worshiper rioter looter bandit cadre bodyguard kidnapper smuggler merchant servicemen serviceman marine
sailor pilot principal councilor councillor mayor governor judge lawyer wife husband son daughter brother sister
father mother relative nephew niece uncle aunt cousin friend neighbour neighbor bystander
crew guardsman mercenary operative cleric imam priest pastor chief dozen dead wounded injured displaced casualty
casualties fatality fatalities body bodies corpse corpses death deaths abductee hostage hostages
""".split())  # fmt: skip
NON_PERSON = frozenset("""
rocket missile shell mortar drone bomb explosive ied vehicle car truck tank house home building village town km
kilometre kilometer mile metre meter dollar euro pound usd year month week day hour minute second percent round
bullet weapon gun rifle ton tonne kg animal cattle cow sheep goat camel livestock head hectare acre school shop
structure airstrike strike raid attack incident event time times shot point site position checkpoint base camp
district province area location grenade projectile barrel aircraft plane helicopter boat ship item piece box
accident restaurant plant container border number order letter center centre shelter tower water quarter corner
power river computer weather paper transmitter launcher
""".split())  # fmt: skip
_PERSON_SUFFIXES = ("er", "or", "ist", "ian", "ant", "ent", "man", "men", "ee", "ier")
_SKIP_ENTS = frozenset({"MONEY", "PERCENT", "QUANTITY", "ORDINAL"})
#: spaCy's DATE/TIME entities sometimes swallow a following count ("At 10 pm 2 soldiers"): inside
#: them a number is kept only when it counts a person noun.
_SOFT_SKIP_ENTS = frozenset({"DATE", "TIME"})
_COLLECTIVE = frozenset({
    "police", "security", "staff", "personnel", "crew", "family", "military", "army", "militia", "number", "dozen",
    "casualty", "fatality", "death", "body", "corpse", "dead", "other", "element",
})  # fmt: skip
_QUANTIFIER_PREPS = frozenset({"between", "about", "around", "over", "under", "nearly", "approximately", "up"})
_OBJECT_NOT_VICTIM = frozenset({"lose", "leave", "flee", "die"})
_CUSTODY = frozenset({"custody", "detention"})
_DEFINITE = frozenset({"the", "his", "her", "their", "its", "this", "that"})
_SUBSET_PREPS = frozenset({"including", "among", "excluding", "besides", "like"})
_HOMES = frozenset({"home", "house", "village", "town", "city", "area", "land", "neighbourhood", "neighborhood"})

_UNIT_WORDS = "|".join(sorted(UNITS, key=len, reverse=True))
_TEN_WORDS = "|".join(TENS)
_SCALE_WORDS = "|".join(SCALES)
_WORD_NUM = (
    rf"(?:(?:{_TEN_WORDS})(?:[\s-](?:{_UNIT_WORDS}))?|(?:{_UNIT_WORDS}))"
    rf"(?:\s+(?:{_SCALE_WORDS})(?:\s+(?:and\s+)?(?:(?:{_TEN_WORDS})(?:[\s-](?:{_UNIT_WORDS}))?|(?:{_UNIT_WORDS})))?)?"
)
_VAGUE_WORDS = "|".join(re.escape(v).replace(r"\ ", r"\s+") for v in sorted(VAGUE, key=len, reverse=True))
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _lower(text: str) -> str:
    """Lowercase A-Z only, so offsets stay those of ``text`` (``str.lower`` may change lengths)."""
    return text.translate(_ASCII_LOWER)


def _fast(pattern: str, first_chars: str) -> re.Pattern[str]:
    """A case-sensitive regex for lowercased text, led by the set of characters a match starts with.

    The leading look-ahead lets the regex engine skip to candidate positions: about 5x faster than
    ``re.I`` with ``\\b`` on every position.
    """
    return re.compile(rf"(?=[{re.escape(first_chars)}])(?:{pattern})")


_NUMBER_WORDS = (*UNITS, *TENS, *SCALES, *VAGUE, "a", "half", "dozen")
_NUMBER = _fast(
    r"(?<![\w$€£.,-])(?P<digits>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s?[-–]\s?(?P<upto>\d+))?"
    r"(?:\s+(?P<scale>million|thousand|billion))?"
    r"(?![\w%$€£]|[.,]\d|-\w|/\d|:\d)"
    rf"|\b(?P<words>(?:a\s+)?(?:half\s+a\s+)?(?:dozen|hundred|thousand)|{_WORD_NUM})\b(?!-\w)"
    rf"|\b(?<!how\s)(?<!so\s)(?<!too\s)(?<!as\s)(?P<vague>{_VAGUE_WORDS})\b(?!\s+(?:as|more|times)\b)",
    "0123456789" + "".join(sorted({w[0] for w in _NUMBER_WORDS})),
)
_QUALIFIER = re.compile(
    r"^(?:at\s+least|more\s+than|over|about|around|nearly|almost|some|approximately|up\s+to|roughly|"
    r"as\s+many\s+as|an\s+estimated|estimated|fewer\s+than|less\s+than|close\s+to)\s+",
    re.I,
)
_NONE_KILLED = _fast(
    r"\b(?:no|neither|zero|without(?:\s+any)?)\s+(?:\w+\s+(?:or|nor)\s+)?(?:fatalities|casualties|deaths|dead|loss\s+of\s+life)\b"
    r"|\bno(?:\s+one|body)\s+(?:was|were|had\s+been|has\s+been)\s+(?:killed|hurt\s+or\s+killed|injured\s+or\s+killed)\b"
    r"|\bno(?:\s+one|body)\s+died\b"
    r"|\b(?:fatalities|casualties|deaths)\s+(?:were|was|have\s+been|are)\s+not\s+reported\b",
    "nzwfcd",
)

#: Deaths reported without a figure; ACLED codes 10 (see the module docstring).
_SOME_KILLED = _fast(
    r"\b(?:incurring|causing|caused|resulting\s+in|resulted\s+in|leaving|left)\s+(?:heavy\s+)?(?:fatalities|deaths)\b"
    r"|(?<!no\s)(?<!neither\s)\bfatalities\s+(?:were|have\s+been|had\s+been)\s+reported\b"
    r"|\bfatalities\s+(?:on|among)\s+both\s+sides\b",
    "icrlf",
)


def _words_value(text: str) -> int | None:
    words = text.lower().replace("-", " ").split()
    if words[:3] == ["half", "a", "dozen"] and len(words) == 3:
        return 6
    total, current = 0, 0
    for word in words:
        if word == "and":
            continue
        if word in ("a", "an"):
            current = max(current, 1)
        elif word == "dozen":
            current = 12 * max(current, 1)
        elif word in UNITS:
            current += UNITS[word]
        elif word in TENS:
            current += TENS[word]
        elif word == "hundred":
            current = max(current, 1) * 100
        elif word in SCALES:
            total += max(current, 1) * SCALES[word]
            current = 0
        else:
            return None
    return total + current


def parse_count(text: str) -> tuple[int, bool] | None:
    """``(value, vague)`` of a number expression ("1,200", "twenty-five", "dozens"), or None."""
    text = _QUALIFIER.sub("", _lower(text.strip()))
    m = _NUMBER.fullmatch(text)
    if m is None:
        return None
    if m["digits"]:
        value = float(m["digits"].replace(",", ""))
        if m["scale"]:
            value *= SCALES[m["scale"].lower()]
        return int(value), False
    if m["vague"]:
        return VAGUE[re.sub(r"\s+", " ", m["vague"].lower())], True
    value = _words_value(m["words"])
    return (value, False) if value is not None else None


# -- reading the parse ----------------------------------------------------------------------------


def _lemma(token: Token) -> str:
    return token.lemma_.lower()


def _victim_of(verb: Token, role: Token) -> bool:
    """Whether ``role`` (a child of ``verb``) is on the receiving end of it, not the perpetrator."""
    if role.dep_ in ("nsubj", "csubj"):
        has_object = any(c.dep_ in ("dobj", "obj") for c in verb.children)
        if _lemma(verb) in _OBJECT_NOT_VICTIM:
            return True  # "12 people lost their lives", "500 fled their homes"
        # "two gunmen shot dead a man": the subject of a verb with an object did it; "12 wounded":
        # a transitive verb with no object reads as a passive participle
        return not has_object
    return role.dep_ != "agent"


def _verb_kind(verb: Token) -> str | None:
    lemma = _lemma(verb)
    children = list(verb.children)
    if lemma == "lose" and any(_lemma(c) == "life" for c in children if c.dep_ == "dobj"):
        return "fatalities"
    if lemma == "leave" and any(_lemma(c) in _HOMES for c in children if c.dep_ == "dobj"):
        return "displaced"
    if lemma == "force" and any(_lemma(c) in ("leave", "flee") for c in children if c.dep_ == "xcomp"):
        return "displaced"
    if lemma in ("rise", "reach", "climb", "stand", "increase", "jump", "hit", "be") and any(
        _lemma(c) == "toll" for c in children if c.dep_ in ("nsubj", "nsubjpass")
    ):
        return "fatalities"
    if lemma in TOLL_VERBS:  # the figures claims.py attributes to the verb's subject
        for c in children:  # "put the death toll at 15", "raised the toll to 20", "put the number of dead at 7"
            if c.dep_ == "dobj" and _lemma(c) == "toll":
                return "fatalities"
            if c.dep_ == "dobj" and _lemma(c) in TOLL_NOUNS:
                of = [g for p in c.children if p.dep_ == "prep" and p.lower_ == "of" for g in p.children]
                if of and _lemma(of[0]) in _KIND_OF:
                    return _KIND_OF[_lemma(of[0])]
    if lemma in _KIND_OF and verb.pos_ in ("VERB", "AUX", "ADJ"):
        return _KIND_OF[lemma]
    if verb.pos_ == "VERB" and any(
        (c.dep_ == "advmod" and c.lower_ == "fatally")
        or (c.dep_ == "prep" and c.lower_ == "to" and any(_lemma(g) == "death" for g in c.children))
        for c in children
    ):
        return "fatalities"  # "fatally shot", "shot to death", "beaten to death"
    if lemma in ("take", "hold", "place", "put") and any(
        c.dep_ == "prep" and c.lower_ in ("into", "in") and any(_lemma(g) in _CUSTODY for g in c.children)
        for c in children
    ):
        return "arrested"  # "taken into custody", "held in detention"
    if lemma in ("take", "hold") and any(_lemma(c) in ("hostage", "captive") for c in children):
        return "abducted"  # "taken hostage"
    for c in children:  # "were reported killed", "were found dead", "left 3 fighters dead", "shot and killed"
        if c.dep_ in ("xcomp", "oprd", "acomp", "ccomp", "conj") and _lemma(c) in _KIND_OF and c.pos_ != "NOUN":
            return _KIND_OF[_lemma(c)]
    return None


def _modifier_kind(noun: Token) -> str | None:
    """'3 fighters dead', '3 people killed', '5,000 displaced people', 'people who were killed'."""
    for c in noun.children:
        if c.dep_ in ("amod", "acl", "relcl", "acomp", "oprd") and _lemma(c) in _KIND_OF:
            if c.dep_ == "relcl" and any(g.dep_ == "nsubj" and g.lower_ not in ("who", "that") for g in c.children):
                continue
            return _KIND_OF[_lemma(c)]
    return None


def _noun_head(token: Token) -> Token:
    """'two mining company employees': the parser may hang "two" on "company"; the noun is "employees"."""
    while token.dep_ == "compound" and token.head.i > token.i:
        token = token.head
    return token


def _counted_noun(root: Token) -> tuple[Token, Token | None]:
    """(anchor, noun): the token whose place in the sentence says what happened, and the counted noun."""
    if root.dep_ == "nummod" and root.head.i < root.i:
        # a number modifies a noun after it; a head on the left is a parse error ("On 7 February 2020
        # 3 fishermen were killed" hangs "3" on "February"): take the next noun instead
        for token in root.doc[root.i + 1 : root.i + 5]:
            if token.pos_ in ("NOUN", "PROPN"):
                noun = _noun_head(token)
                return noun, noun
            if token.pos_ not in ("ADJ", "NUM", "PUNCT") or token.text in ",.;":
                break
    if root.dep_ in ("nummod", "quantmod") or (
        root.dep_ in ("amod", "det", "compound") and root.head.pos_ in ("NOUN", "PROPN", "PRON")
    ):
        noun = _noun_head(root.head)
        return noun, noun
    for c in root.children:  # "dozens of people", "12 of them"
        if c.dep_ == "prep" and c.lower_ == "of":
            objects = [g for g in c.children if g.dep_ == "pobj"]
            if objects:
                return root, objects[0]
    if root.dep_ == "pobj" and root.head.lower_ == "of" and root.head.head.lower_ in VAGUE:
        return root.head.head, root
    return root, None


def _kind(root: Token) -> tuple[str, bool] | None:
    """(kind, is_person) for the number whose span root is ``root``; None to drop it."""
    anchor, noun = _counted_noun(root)
    noun_lemma = _lemma(noun) if noun is not None else ""
    if noun is not None and (noun_lemma in NON_PERSON or noun.lower_ in NON_PERSON):
        return None
    # a bare "people" count needs a person word ("300 protesters"), not a name ("Sharjah 24")
    person = noun is not None and (noun_lemma in PERSON_NOUNS or noun.lower_ in PERSON_NOUNS)
    # "12 deaths", "12 bodies", "12 wounded", "4,000 IDPs": the fallback when no verb says more
    noun_kind = _KIND_OF.get(noun_lemma) if noun is not None and noun.pos_ in ("NOUN", "ADJ") else None
    for token in (noun, anchor):
        if token is not None and (kind := _modifier_kind(token)):
            return kind, True
    while anchor.dep_ in ("conj", "appos") and anchor.head.pos_ in ("NOUN", "PROPN", "NUM", "PRON"):
        anchor = anchor.head  # "two soldiers and three civilians were killed"
    head = anchor.head
    if anchor.dep_ == "pobj":
        if head.lower_ in _SUBSET_PREPS:
            return None
        if head.dep_ == "agent":
            return ("people", person) if person else None
        if head.lower_ == "of" and _lemma(head.head) in _KIND_OF:
            return _KIND_OF[_lemma(head.head)], True  # "the killing of 5 civilians", "the arrest of 3"
        if head.lower_ == "of" and _lemma(head.head) == "toll":
            return "fatalities", True  # "a death toll of 12"
        if head.lower_ in _QUANTIFIER_PREPS:  # "between 11-12 militants were killed": a quantifier
            anchor, head = head, head.head
        elif head.lower_ in ("to", "at") or person:
            # "the death toll rose to 12"; "On Feb 14 two personnel were killed" (a parse that
            # hangs the victims on "On")
            head = head.head
        else:
            head = anchor  # "died in a road accident": the object of "in" is not the victim
    if anchor.dep_ == "dobj" and _lemma(head) == "include":
        return None
    if anchor.dep_ == "nsubj" and noun_kind is None and _lemma(head) in SPEECH_LEMMAS:
        # "people fled, a local official said": the speaker is a source, never a victim ("4 fatalities
        # reported" is ACLED's passive without "were": the noun itself says what is counted)
        return None
    if anchor is not head and (kind := _verb_kind(head)):
        if anchor.dep_ == "dobj" and head.dep_ == "conj" and not any(c.dep_ == "dobj" for c in head.head.children):
            kind = _verb_kind(head.head) or kind  # "killing and injuring dozens": the first verb's kind
        if anchor.dep_ == "pobj" or _victim_of(head, anchor):
            return kind, True
        return ("people", person) if person else None
    for c in head.children:
        if anchor.dep_ in ("nsubj", "nsubjpass") and c.dep_ in ("acomp", "attr") and _lemma(c) in _KIND_OF:
            return _KIND_OF[_lemma(c)], True  # "12 were dead"
    if noun_kind:
        return noun_kind, True
    if noun is not None and (kind := _participle_after(noun)):
        return kind, True
    return ("people", person) if person else None


def _participle_after(noun: Token) -> str | None:
    """'with six others injured': a participle right after the counted noun, when the parse missed it."""
    if noun.i + 1 >= len(noun.doc):
        return None
    after = noun.doc[noun.i + 1]
    if after.tag_ in ("VBN", "JJ") and _lemma(after) in _KIND_OF:
        if not any(c.dep_ in ("nsubj", "nsubjpass") and c != noun for c in after.children):
            return _KIND_OF[_lemma(after)]
    return None


def _inside(start: int, end: int, spans: Iterable[tuple[int, int]]) -> bool:
    return any(s <= start and end <= e for s, e in spans)


def _person_like(noun: Token) -> bool:
    """A person word from the lexicon, or a noun shaped like one ("trafficker", "adolescent")."""
    lemma = _lemma(noun)
    if lemma in PERSON_NOUNS:
        return True
    return lemma not in NON_PERSON and lemma.endswith(_PERSON_SUFFIXES) and not lemma.endswith("ment")


def _a_victim(doc: Doc, text: str, taken: list[tuple[int, int]]) -> list[CountMention]:
    """'a soldier was killed' -> 1: "a"/"an"/"another" before a singular noun that something happened to."""
    out = []
    for token in doc:
        if token.lower_ not in ("a", "an", "another") or token.dep_ != "det":
            continue
        if token.head.tag_ != "NN" and token.head.lower_ != "personnel":
            continue
        noun = token.head
        if noun.dep_ == "appos":
            continue  # "22 students, a 22-year-old man, ...": already counted
        if not _person_like(noun) or noun.ent_type_ or _inside(token.idx, noun.idx + len(noun), taken):
            continue
        found = _kind(noun if noun.dep_ != "ROOT" else token)
        if found is None or found[0] == "people":
            continue
        end = noun.idx + len(noun.text)
        out.append(CountMention(found[0], 1, token.idx, end, text[token.idx : end]))
    return out


def _zero_fatalities(text: str, lower: str) -> list[CountMention]:
    if not any(w in lower for w in ("no", "zero", "without")):
        return []
    found = _NONE_KILLED.finditer(lower)
    return [CountMention("fatalities", 0, m.start(), m.end(), text[m.start() : m.end()]) for m in found]


def find_counts(doc: Doc) -> list[CountMention]:
    """Every count of people in a parsed Doc, with its kind."""
    text = doc_text(doc)
    lower = _lower(text)
    ents = [(e.start_char, e.end_char, e.label_) for e in doc.ents]
    skip = [(s, e) for s, e, label in ents if label in _SKIP_ENTS]
    soft_skip = [(s, e) for s, e, label in ents if label in _SOFT_SKIP_ENTS]
    skip += [(d.start, d.end) for d in (doc._.dates or [])]
    zeros = _zero_fatalities(text, lower)
    taken = [(z.start, z.end) for z in zeros]
    mentions: list[CountMention] = list(zeros)
    for m in _NUMBER.finditer(lower):
        start, end = m.start(), m.end()
        if _inside(start, end, skip) or _inside(start, end, taken):
            continue
        if m["words"] == "one" and lower[end : end + 3] == " of":
            continue  # "one of the ..." is rarely a count worth keeping
        parsed = parse_count(m.group(0))
        if parsed is None:
            continue
        span: Span | None = doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            continue
        if _inside(start, end, soft_skip):
            noun = _counted_noun(span.root)[1]
            if noun is None or _lemma(noun) not in PERSON_NOUNS:
                continue
        found = _kind(span.root)
        if found is None or not found[1]:
            continue
        mentions.append(CountMention(found[0], parsed[0], start, end, text[start:end], vague=parsed[1]))
        taken.append((start, end))
    mentions += _a_victim(doc, text, taken)
    mentions += _definite_victims(doc, text, mentions)
    if "fatalities" in lower or "deaths" in lower:
        mentions += _unnumbered_deaths(doc, text, lower, mentions)
    mentions.sort(key=lambda c: (c.start, c.end))
    return mentions


def _definite_victims(doc: Doc, text: str, found: list[CountMention]) -> list[CountMention]:
    """'killed the watchman', 'killing him', 'the officer and her daughter died' -> 1 each.

    Only before any other count of the same kind: a later "the soldier" usually repeats "a soldier".
    """
    out = []
    for token in doc:
        if token.lower_ in ("him", "her") and token.pos_ == "PRON":
            start = token.idx
        elif token.tag_ == "NN" and token.dep_ != "poss" and _one_person(token):
            dets = [c for c in token.children if c.dep_ in ("det", "poss") and c.lower_ in _DEFINITE]
            if not dets:
                continue
            start = dets[0].idx
        else:
            continue
        end = token.idx + len(token.text)
        result = _kind(token)
        if result is None or result[0] == "people" or not result[1]:
            continue
        if _inside(start, end, _spans(found)):
            continue
        # a repetition of an earlier count ("a soldier ... the soldier"), unless coordinated with
        # another victim ("a woman and her son")
        if token.dep_ != "conj" and any(c.kind == result[0] and c.start < end for c in found):
            continue
        out.append(CountMention(result[0], 1, start, end, text[start:end]))
    return out


def _one_person(noun: Token) -> bool:
    """A singular noun for one person: not a collective ("the police") nor a count word ("the death")."""
    lemma = _lemma(noun)
    return _person_like(noun) and lemma not in _KIND_OF and lemma not in _COLLECTIVE


def _unnumbered_deaths(doc: Doc, text: str, lower: str, found: list[CountMention]) -> list[CountMention]:
    """'incurring fatalities' with no figure in its sentence: ACLED's 10."""
    out = []
    for m in _SOME_KILLED.finditer(lower):
        span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
        if span is None:
            continue
        sent = span.sent
        if any(c.kind == "fatalities" and sent.start_char <= c.start < sent.end_char for c in found):
            continue
        value = VAGUE["unknown number of"]
        out.append(CountMention("fatalities", value, m.start(), m.end(), text[m.start() : m.end()], vague=True))
    return out


def _spans(mentions: list[CountMention]) -> list[tuple[int, int]]:
    return [(c.start, c.end) for c in mentions]


class CountExtractor:
    """spaCy component: sets ``doc._.counts`` from the parse."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        doc._.counts = find_counts(doc)
        return doc


@Language.factory("tocsin_numbers", default_config={}, assigns=["doc._.counts"])
def make_numbers(nlp: Language, name: str) -> CountExtractor:
    return CountExtractor(nlp, name)
