"""Place mentions in a parsed report: NER places, cued capitalised names, admin parentheses, demonyms.

``find_mentions(doc, gazetteer)`` returns the :class:`Mention` records that ``tocsin.geo.resolve`` scores,
and the report's country evidence from demonyms and names inside organisation names (see docs/geo.md,
"Mentions"). Split out of ``resolve.py`` to keep each module short; ``resolve`` re-exports the public names.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from importlib import resources
from typing import Any

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc, Span

from tocsin.geo.gazetteer import KIND_ADMIN1, KIND_COUNTRY, MATCH_ALIAS, Gazetteer, fold, loose_key
from tocsin.geo.hints import AdminHint, admin_parentheses, is_admin1
from tocsin.nlp.pipeline import doc_text

__all__ = ["ENT_LABELS", "SPONSOR_WORDS", "Mention", "demonyms", "find_mentions"]


ENT_LABELS = frozenset({"GPE", "LOC", "FAC"})
_PARTICLES = r"(?:al|el|ez|az|ad|as|ash|ar|an|at|de|du|do|da|dos|das|del|la|le|bin|ibn|abu|upon)"
#: A part of the place between the cue and its name: "in central Izmir", "in northern Burkina Faso".
_PART_OF = r"(?:(?:central|northern|southern|eastern|western|downtown|rural|greater)\s+)?"
_CAPS = re.compile(
    r"(?<![\w'’.\-])[A-Z][\w'’.\-]*(?:(?:[ \-]" + _PARTICLES + r")?[ \-][A-Z][\w'’.\-]*)*"
)
_CUE_BEFORE = re.compile(
    r"\b(?:in|near|at|outside|around|towards?|into|across|from|village of|town of|city of|"
    r"neighbou?rhood of|district of|outskirts of|suburbs? of|area of|province of|governorate of|region of|"
    r"countryside of|vicinity of|(?:north|south|east|west)(?:east|west)? of|shelled|struck|bombed|hit|"
    r"attacked|captured|seized|stormed|entered|recaptured|besieged|raided|targeted|"
    r"(?:,\s*\d{1,3},?|,|residents?|natives?|people|mayor|governor|outskirts|villages?|towns?) of)\s+(?:the\s+)?"
    + _PART_OF + r"$"
)
#: Second- and third-order divisions as countries name them: Nigeria's LGAs, DR Congo's territories, Ukraine's
#: raions and hromadas, Pakistan's tehsils, Bangladesh's upazilas, Ethiopia's woredas, Uganda's sub-counties, Mali's
#: cercles, Sierra Leone's chiefdoms ("in Kauru LGA", "Beni territory", "Nikopol raion").
_DIVISION_WORDS = (
    r"district|sub-?district|municipality|commune|lga|local government area|local government|territory|raion|"
    r"rayon|hromada|tehsil|upazila|woreda|sub-?county|cercle|chiefdom"
)
_CUE_AFTER = re.compile(
    r"^\s+(?:neighbou?rhoods?|districts?|sub-?districts?|villages?|towns?|camp|suburbs?|countryside|provinces?|"
    r"governorates?|outskirts|refugee camp|front|frontlines?|axis|checkpoints?|areas?|plain|valley|mountains?|"
    r"junction|crossing|border crossing|municipality|commune|LGAs?|(?i:local government areas?|territor(?:y|ies)|"
    r"raions?|rayons?|hromadas?|tehsils?|upazilas?|woredas?|sub-?count(?:y|ies)|cercles?|chiefdoms?))\b"
)
_LOCATIVE_BEFORE = re.compile(
    r"\b(?:in|near|at|outside|around|village of|town of|city of|neighbou?rhood of|district of|outskirts of|"
    r"suburbs? of|area of|countryside of|vicinity of|(?:north|south|east|west)(?:east|west)? of)\s+(?:the\s+)?"
    + _PART_OF + r"$",
    re.I,
)
#: A dateline: a place in capitals opening the report or a line, before a dash, "(Agency)" or ", State." and one
#: of those ("BEIRUT —", "LONDON (Reuters) -", "COLUMBIA, Ky. (WBKO) -", "PARIS, Mo. —"); after a headline's full
#: stop only before a dash ("... assault. BANTAM — A mason ...").
_DATELINE = re.compile(
    r"(?:^|\n)[ \t]*([A-Z][A-Z'’.\-]+(?: [A-Z][A-Z'’.\-]+){0,3})"
    r"(?=[ \t]*(?:[—–\-(]|,[ \t]*[A-Z][A-Za-z.]{0,12}[ \t]*[(—–\-]))"
    r"|(?<=[.!?] )[ \t]*([A-Z][A-Z'’.\-]+(?: [A-Z][A-Z'’.\-]+){0,3})(?=[ \t]+[—–\-]{1,2}[ \t])"
)
_DATELINE_SPAN = 300
_PERSON_PLACE_BEFORE = re.compile(
    r"\b(?:the|to|for|from|(?:neighbou?rhoods?|outside|streets|residents|people|surrender|fall|siege) of)\s+"
    r"(?:(?:central|northern|southern|eastern|western|downtown|old)\s+)?$"  # "the streets of central Kut"
    r"|\b(?:district|center|centre|village|town|city|area|camp)s?,\s+$",  # "in Zari district center, Balkh"
    re.I,
)
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\"“”]\s*|\n\s*)$")
_OTHER_ENTS = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "QUANTITY", "MONEY", "PERCENT"})
_ADMIN_AFTER = re.compile(r"^[\s\-]*(province|governorate|state|region|county|oblast|prefecture|department)\b", re.I)
_DISTRICT_AFTER = re.compile(r"^[\s\-]*(" + _DIVISION_WORDS + r")\b", re.I)
#: "New York Gov. Andrew Cuomo", "the Kano Governor": a governor's title after a name is its admin area's.
_GOVERNOR_AFTER = re.compile(r"^\s+(?:Lt\.\s+)?(?:Gov\.|Governor\b)")
#: Switch for A/B measurement of ``_GOVERNOR_AFTER``.
GOVERNOR_HINT = True
_AREA_AFTER = re.compile(r"^[\s\-]*(area|countryside|outskirts|suburbs?|region|environs|vicinity)\b", re.I)
_CITY_AFTER = re.compile(r"^[\s\-]*(city|town|village|neighbou?rhood|camp)\b", re.I)
_FACILITY_AFTER = re.compile(
    r"^[\s\-]*(road|street|highway|motorway|avenue|boulevard|bridge|square|roundabout|airport|airbase|air base|"
    r"stadium|hospital|university|prison|port|dam|power plant|mosque|church)\b", re.I
)
_ALLEGIANCE_BEFORE = re.compile(r"\b(?:pro|anti)-$", re.IGNORECASE)
#: "Saudi-led coalition", "Iran-backed Houthis": the sponsor, not where the report is.
SPONSOR_WORDS = ("led", "backed", "allied", "aligned", "affiliated", "funded", "supported", "sponsored")
_SPONSOR_AFTER = re.compile(r"-(?:" + "|".join(SPONSOR_WORDS) + r")\b", re.I)
#: A country's name before its currency ("the US dollar exchange rate") names no place, nor "Molotov cocktails".
_CURRENCY_AFTER = re.compile(
    r"[\s\-]*(?:dollars?|pounds?|dinars?|lira|liras|rials?|riyals?|euros?|rupees?|yuan|cocktails?)\b", re.I
)
#: A name before a kin-group word is the group's ("the Ayr sub-clan", "Hawadle clan", "the Shammar tribe").
_KIN_GROUP_AFTER = re.compile(
    r"(?:\s+and\s+(?:the\s+)?[A-Z][\w'’\-]*(?:\s+[A-Z][\w'’\-]*){0,2})?"  # "the Hawadle and Jarer Weyne clans"
    r"[\s\-]*(?i:sub-?clans?|clans?|tribes?|tribal)\b"
)
#: "the Red Sea", "Gulf of Aden": a body of water (``Mention.water``).
_WATER_NAME = re.compile(
    r"(?:Gulf|Sea|Straits?|Bay) of\b|.*\b(?:Sea|Ocean|Gulf)$|(?:(?:North|South)(?:ern)?\s+)?(?:Pacific|Atlantic)$"
)
#: "the Mali border", "the Syrian-Turkish frontier": the name is a border's.
_BORDER_AFTER = re.compile(r"(?:\s*-\s*\w+)?\s+(?:border|frontier)s?\b", re.IGNORECASE)
#: Regions of the world that news names ("the Middle East", "the Horn of Africa", "the Levant"): no one place,
#: and never the towns GeoNames has of their names (Middle East, Maryland; Levant, Kansas; Horn, Germany).
_WORLD_REGION = re.compile(
    r"\b(?:(?:Middle|Near|Far) East|Horn of Africa|(?:West|East|North|Southern|Central|Sub-Saharan) Africa"
    r"|Great Lakes region|Lake Chad (?:Basin|region)|Maghreb|Levant|Arabian Peninsula|(?:Persian|Arabian) Gulf"
    r"|Gulf region|(?:Western )?Balkans|(?:North |South )?Caucasus|(?:Central|South|East|South-?\s?East) Asia"
    r"|Asia-Pacific|Indo-Pacific|(?:Latin|Central) America|Caribbean|Scandinavia|Baltics|Baltic states"
    r"|(?:Western|Eastern|Central|Southern|Northern) Europe)\b(?![-\w])"
)
_WATER_BEFORE = re.compile(r"\bthe\s+(?:(?:north|south|east|west)(?:ern)?\s+)?$", re.IGNORECASE)
_NEAR_BEFORE = re.compile(
    r"\b(near|nearby|outside|around|outskirts of|suburbs? of|vicinity of|countryside of|area of|"
    r"(?:north|south|east|west)(?:east|west)?(?:ern)? (?:of|outskirts of)|(?:km|kilometres|kilometers|miles) "
    r"(?:\w+ )?(?:of|from))\s+(?:the\s+)?$",
    re.I,
)

_STRIP_SUFFIX = re.compile(
    r"\s+(province|governorate|state|region|county|" + _DIVISION_WORDS + r"|department|"
    r"city|town|village|"
    r"neighbou?rhood|camp|area|countryside|oblast|prefecture)$",
    re.I,
)
_STRIP_PREFIX = re.compile(
    r"^(?:(?:the|far|greater|upper|lower|northern|southern|eastern|western|central|north|south|east|west|"
    r"north-?eastern|north-?western|south-?eastern|south-?western)\s+)+",
    re.I,
)
_POSSESSIVE = re.compile(r"['’]s?$")
_NOT_PLACES = frozenset(
    fold(w.replace("-", " "))
    for w in (
        "January February March April May June July August September October November December "
        "Jan Feb Apr Jun Jul Aug Sep Sept Oct Nov Dec "  # "GAZA, Nov 20 (Reuters)": a dateline's month
        "Monday Tuesday Wednesday Thursday Friday Saturday Sunday God Allah Islam Muslim Christian Internet "
        "Parliament Congress Senate Government President Minister Army Police Christmas Easter Ramadan Eid "
        "Mr Mrs Ms Dr Eastern Western Northern Southern Central North South East West "
        # armed groups and news agencies that NER sometimes takes for places
        "Hamas Hezbollah Hizbollah Daesh ISIS ISIL Taliban Houthi Houthis Ansarullah al-Qaeda al-Shabaab Shabaab "
        "Wagner YPG SDF PKK IDF Reuters AFP Xinhua Bloomberg Sputnik TASS Anadolu"
    ).split()
)


@dataclass
class Mention:
    """A place name in a text: ``name`` is what is looked up, ``start``/``end`` the offsets written."""

    name: str
    start: int
    end: int
    hint: str | None = None
    """``admin`` ("Idlib province"), ``city`` ("town of X"), ``district`` or None."""
    near: bool = False
    """Written as "near X", "outskirts of X", "X countryside": ACLED geo_precision 2 at best."""
    source: str = "ner"
    facility: bool = False
    """Followed by "road", "street", "airport", ...: a site named after the place, not the place itself."""
    water: bool = False
    """"the Red Sea", "the Gulf of Aden": a body of water, not the region or town named after it."""
    governor: bool = False
    """Followed by a governor's title ("New York Gov. Andrew Cuomo"): the first-order division, not a county."""
    sponsor: bool = False
    """Written as a sponsor ("Iran-backed", "U.S.-led"): a place named, but no evidence of the report's country."""
    border: bool = False
    """Written as a border's ("near the Mali border"): no container, and no evidence of the report's country (the
    border is named from the other side of it)."""



# ----------------------------------------------------------------------------- demonyms
_DEMONYMS: dict[str, str] | None = None



def _names_no_place(text: str, end: int) -> bool:
    """The word after a name makes it a currency's or a kin group's, not a place's."""
    return bool(_CURRENCY_AFTER.match(text, end) or _KIN_GROUP_AFTER.match(text, end))

def demonyms() -> dict[str, str]:
    """Folded demonym -> country code (shipped ``demonyms.tsv``; plural forms "Syrians" accepted)."""
    global _DEMONYMS
    if _DEMONYMS is None:
        table: dict[str, str] = {}
        text = (resources.files("tocsin") / "data" / "geo" / "demonyms.tsv").read_text(encoding="utf-8")
        for line in text.splitlines():
            if line and not line.startswith("#"):
                word, cc = line.split("\t")[:2]
                table[fold(word)] = cc
                table[fold(word) + "s"] = cc
        _DEMONYMS = table
    return _DEMONYMS


# ----------------------------------------------------------------------------- mentions
_ADMIN_WORDS = frozenset(
    {"province", "governorate", "state", "region", "county", "oblast", "prefecture", "department"}
)
_AREA_WORDS = frozenset({"area", "countryside"})


def _clean(name: str) -> tuple[str, str | None]:
    """The name as written (possessive and quotes off) and a hint from its last word.

    "Idlib province" -> admin, "Karak district" -> district, "Aleppo countryside" -> area (near),
    "Gaza City" -> city. The whole name is looked up first; the bare name only when that fails.
    """
    name = name.strip()
    if name.endswith(("'s", "’s", "'", "’")):
        name = _POSSESSIVE.sub("", name)
    name = name.strip().strip(",;:\"“”()")
    if name[:4].lower() == "the " and name[4:5].isupper():
        name = name[4:]
    hint = None
    m = _STRIP_SUFFIX.search(name)
    if m:
        word = m.group(1).lower()
        hint = (
            "admin" if word in _ADMIN_WORDS
            else "area" if word in _AREA_WORDS
            else None if word == "territory"  # DR Congo's are districts, Canada's and Australia's provinces
            else "district" if re.fullmatch(_DIVISION_WORDS, word) else "city"
        )
    return name, hint


def _context_hints(text: str, start: int, end: int, mention: Mention) -> None:
    if mention.hint == "area":
        mention.hint, mention.near = None, True
    after = text[end:end + 24]
    before = text[max(0, start - 40):start]
    if _ADMIN_AFTER.match(after):
        mention.hint = "admin"
    elif GOVERNOR_HINT and mention.hint is None and _GOVERNOR_AFTER.match(after):
        mention.hint, mention.governor = "admin", True
    elif _DISTRICT_AFTER.match(after):
        mention.hint = mention.hint or "district"
        mention.near = True
    elif _AREA_AFTER.match(after):
        mention.near = True
    elif _CITY_AFTER.match(after):
        mention.hint = mention.hint or "city"
    if _FACILITY_AFTER.match(after):
        mention.facility = True
    if _NEAR_BEFORE.search(before):
        mention.near = True
    if re.search(r"\b(?:village|town|city|neighbou?rhood) of\s+(?:the\s+)?$", before, re.I):
        mention.hint = mention.hint or "city"


def _strip_dot(name: str, gazetteer: Gazetteer) -> str:
    """Drop a sentence's full stop from a name, but keep abbreviations ("Ky.", "B.C.")."""
    if name.endswith(".") and name.count(".") == 1 and name not in gazetteer.abbreviations:
        return name[:-1]
    return name


_WORD_DOT = re.compile(r"(\S+)\.\s+")


def _sequences(text: str, gazetteer: Gazetteer) -> list[tuple[int, str]]:
    """Capitalised name sequences, split where a full stop ends a sentence ("in Red Deer. Donna ...").

    A dot after a short word ("St.", "Mt.") or a known abbreviation ("Ky.") does not end the name.
    """
    out = []
    for m in _CAPS.finditer(text):
        seq, offset = m.group(), m.start()
        cut = 0
        for dot in _WORD_DOT.finditer(seq):
            word = dot.group(1).split()[-1].split("-")[-1]
            if len(word) >= 3 and word[1:].islower() or word.isupper() and len(word) > 3:
                out.append((offset + cut, seq[cut:dot.start(1) + len(dot.group(1))]))
                cut = dot.end()
            elif word + "." in gazetteer.abbreviations and word not in ("St", "Mt", "Ft"):
                out.append((offset + cut, seq[cut:dot.start(1) + len(dot.group(1)) + 1]))
                cut = dot.end()
        out.append((offset + cut, seq[cut:]))
    out = [part for start, seq in out for part in _english_particles(start, seq, gazetteer)]
    return [_trim_stopwords(start, seq) for start, seq in out]


_ENGLISH_PARTICLE = re.compile(r" (at|as|an) (?=([A-Z]))")


def _english_particles(start: int, seq: str, gazetteer: Gazetteer) -> list[tuple[int, str]]:
    """Split a sequence at "at", "as" or "an" used as English words ("Burkina Faso at Baraboule").

    As Arabic articles they assimilate to the next word ("At Tall", "As Suwayda", "An Nabk"); before any
    other letter they are English, unless the gazetteer knows the whole sequence.
    """
    cuts = [m for m in _ENGLISH_PARTICLE.finditer(seq) if m.group(1)[1] != m.group(2).lower()]
    if not cuts or gazetteer.loose.get(loose_key(fold(seq))):
        return [(start, seq)]
    parts, begin = [], 0
    for m in cuts:
        parts.append((start + begin, seq[begin:m.start()]))
        begin = m.end()
    parts.append((start + begin, seq[begin:]))
    return [(s, p) for s, p in parts if p]


def _trim_stopwords(start: int, seq: str) -> tuple[int, str]:
    """Drop capitalised function words at either end ("AUSTIN, Texas A white ..." -> "Texas")."""
    words = seq.split(" ")
    while len(words) > 1 and words[0].lower() in STOP_WORDS:
        start += len(words[0]) + 1
        words = words[1:]
    while len(words) > 1 and words[-1].lower() in STOP_WORDS:
        words = words[:-1]
    return start, " ".join(words)


_WORD_BEFORE = re.compile(r"([A-Z][\w'’\-]*)\s$")
_WORD_AFTER = re.compile(r"\s((?:(?:do|da|dos|das|de|del|di|du|of|and) )?[A-Z][\w'’\-]*)")


_PARTICLE_END = re.compile(r"(?:^|[ \-])(?:al|el|ad|ar|as|ash|az|ez|an|at|ed|en|es|et|ul)$", re.I)
_CONTINUATION = re.compile(r"[ \-][A-Z][\w'’]*")


def _extend_particle(text: str, start: int, name: str) -> str:
    """NER sometimes stops at an article: "Bourj el" + "-Barajneh", "Wadi al" + "-Dhahab"."""
    if _PARTICLE_END.search(name):
        more = _CONTINUATION.match(text, start + len(name))
        if more:
            return text[start:more.end()]
    return name


def _extend(text: str, start: int, name: str, gazetteer: Gazetteer) -> tuple[int, str]:
    """Widen an entity NER cut short by a capitalised word the gazetteer knows with it ("West" + "Virginia")."""
    before = _WORD_BEFORE.search(text, max(0, start - 30), start)
    if before and gazetteer.index.get(fold(f"{before.group(1)} {name}")):
        return before.start(1), text[before.start(1):start + len(name)]
    after = _WORD_AFTER.match(text, start + len(name))
    if after and gazetteer.index.get(fold(f"{name} {after.group(1)}")):
        return start, text[start:after.end(1)]
    return start, name


def _take_embedded(
    embedded: Mention | None, name: str, mentions: list[Mention], taken: list[tuple[int, int]],
    gazetteer: Gazetteer, focus: Counter[str],
) -> None:
    """Keep the place found inside an organisation's name; else let the name count as focus evidence."""
    if embedded is not None:
        mentions.append(embedded)
        taken.append((embedded.start, embedded.end))
    else:
        _embedded_evidence(name, gazetteer, focus)


def _embedded_evidence(name: str, gazetteer: Gazetteer, focus: Counter[str]) -> None:
    """A country or state named at either end of a longer name ("Kentucky State Police", "CBC Toronto" no)
    is not a toponym, but it says where the report is: count it as focus evidence ("US", "US.KY")."""
    words = name.split()
    if len(words) < 2:
        return
    for n in range(min(3, len(words) - 1), 0, -1):
        for part in (" ".join(words[:n]), " ".join(words[-n:])):
            rows = [
                c.row for c in gazetteer.candidates(part)
                if c.match <= MATCH_ALIAS and gazetteer.kind[c.row] in (KIND_COUNTRY, KIND_ADMIN1)
            ]
            if rows:
                row = max(rows, key=lambda r: gazetteer.population[r])
                focus[gazetteer.cc[row]] += 1
                if gazetteer.kind[row] == KIND_ADMIN1:
                    focus[f"{gazetteer.cc[row]}.{gazetteer.admin1[row]}"] += 1
                return


_ORG_WORDS = re.compile(
    r"\b(?:Office|Department|Police|Council|Ministry|Agency|Company|Corporation|Bank|Airlines?|Air|Club|Party|"
    r"Army|Forces|Authority|Commission|Committee|Association|Foundation|Institute|Services?|Project|Day|Sheriff|"
    r"Court|University|College|Network|News|Times|Post|Radio|TV|Television|Inc|Ltd|Group)\b"
)


#: Other entities whose names may carry a place's name: "Kentucky State Police", "CTV Edmonton", "Team Alberta".
_NAMED_AFTER = frozenset({"ORG", "FAC", "EVENT", "WORK_OF_ART", "PRODUCT", "LAW"})
#: Words of organisations' and office holders' names ("Police", "Mayor", "Centre"), beside ``_ORG_WORDS``.
_ORG_NAME_WORDS = re.compile(
    _ORG_WORDS.pattern[:-3] + r"|Centre|Center|Hospital|Clinic|Schools?|Museum|Gallery|Church|Cathedral|Hall|"
    r"House|Society|Union|Alliance|Federation|Board|Bureau|Fund|Trust|Coalition|Partnership|Rescue|Press|Journal|"
    r"Herald|Magazine|Fire|EMS|Transit|Government|Mayor|Premier|Governor|Coroner|Jail|Detention|Patrol|"
    r"Troopers?|Officers?)\b"
)
#: Words that may stand between a town and its organisation's word: "Bantam Superior Court", "Glasgow City Council".
_ORG_QUALIFIERS = frozenset("state city county superior regional municipal district public general provincial".split())
_TITLES = re.compile(r"\b(?:Governor|Mayor|Premier|President|Senator|Minister|General|Judge|Pope|King|Queen|Prince)\b")
#: Switch for A/B measurement: places named inside organisations' names are toponyms (source "embedded").
EMBEDDED_PLACES = True


def _embedded_place(text: str, start: int, name: str, bounds: tuple[int, int], gazetteer: Gazetteer) -> Mention | None:
    """A place named at the start of an organisation's name ("Kentucky State Police", "the Winnipeg Free Press"),
    right after its "of" ("University of Missouri", "Conference Board of Canada") or at its end ("CTV Edmonton",
    "Environment Canada"): a toponym of its own (news annotators count it; "Kentucky" says where the report is).

    ``name`` is a capitalised sequence at ``start``, ``bounds`` the organisation's name around it. Whether the
    place is kept is ``resolve._accept``'s call (source "embedded": an exact name, a country, region or big town).
    """
    if not EMBEDDED_PLACES:
        return None
    words = [(m.start(), m.group()) for m in re.finditer(r"[^\s]+", name)]
    lead = text[bounds[0]:start].strip().lower() in ("", "the")
    after_of = text[max(0, start - 4):start].lower() == " of "
    tail = not text[start + len(name):bounds[1]].strip(" '’s")
    runs = []
    for n in range(min(4, len(words)), 0, -1):
        if lead or after_of:
            runs.append(words[:n])
        if tail and n < len(words) and not _TITLES.search(name[:words[-n][0]]):  # "Governor Bush" is a person
            runs.append(words[-n:])
    for run in runs:
        at = run[0][0]
        part = name[at:run[-1][0] + len(run[-1][1])].rstrip(",;:")
        if part.endswith(".") and part not in gazetteer.abbreviations:
            part = part[:-1]
        key = fold(part)
        if not part[:1].isupper() or key in _NOT_PLACES or key in _NAME_HEADS or (
            key in STOP_WORDS and not part.isupper()  # "U.S. Department of Justice" is no "us"
        ):
            continue
        if gazetteer.index.get(key) and not _ORG_NAME_WORDS.search(part):  # "University", "Centre": not places
            end = start + at + len(part)
            after = text[end:end + 40].split()
            if after and after[0].lower() in _ORG_QUALIFIERS:
                after = after[1:]
            org = bool(after) and _ORG_NAME_WORDS.match(after[0]) is not None
            return Mention(part, start + at, end, hint=_clean(part)[1], source="embedded-org" if org else "embedded")
    return None


_ENTITY_SPLIT = re.compile(r"\s*[,;()/]\s*|(?<=[a-z])-(?=[A-Z])|\s+(?:and|or)\s+")


def _entity_parts(start: int, text: str, gazetteer: Gazetteer) -> list[tuple[int, str]]:
    """An entity NER ran over several names ("Nis, Serbia", "Gabes (Gabes", "Djibo-Mentao") -> its parts."""
    if gazetteer.loose.get(loose_key(fold(_clean(text)[0]))) or not _ENTITY_SPLIT.search(text):
        return [(start, text)]
    parts, cut = [], 0
    for sep in _ENTITY_SPLIT.finditer(text):
        parts.append((start + cut, text[cut:sep.start()]))
        cut = sep.end()
    parts.append((start + cut, text[cut:]))
    return [(s, p) for s, p in parts if p.strip()]


def _known(name: str, gazetteer: Gazetteer) -> bool:
    bare = _STRIP_SUFFIX.sub("", _STRIP_PREFIX.sub("", name))
    return any(gazetteer.loose.get(loose_key(fold(n))) for n in (name, bare) if n)


#: Capitalised words an entity may carry around a place name that are not part of another name.
_FRAME_WORDS = frozenset(
    "city town village metro greater downtown central north south east west northern southern eastern western "
    "upper lower province district county state region area of the".split()
)
#: Words that are never a place name on their own, only the start of one ("Wadi X", "Ash Shula").
_NAME_HEADS = frozenset(
    "al el ad ar as ash at az ez an wadi jabal jebel tal tell tel ain ein bir deir dayr kafr kfar ras khirbet "
    "qasr bab abu umm um bani beni street road avenue highway mount lake river saint st".split()
)


_HEAD_TOWN_POPULATION = 5000
_LOWER_NEXT = re.compile(r"\s*(?:[a-z]|[,.;:)]|$)")


def _town_named_like_head(text: str, start: int, raw: str, key: str, gazetteer: Gazetteer) -> bool:
    """A whole entity that is one of the name-head words and a town in its own right ("Beni territory", DR Congo):
    not followed by the rest of a longer name, and a town of some size."""
    if not _LOWER_NEXT.match(text, start + len(raw)):
        return False
    return any(gazetteer.population[r] >= _HEAD_TOWN_POPULATION for r in gazetteer.index.get(key) or ())


#: A word that makes the name before it a zone's own ("the Green Zone", "the Red Line"), not a town's.
_ZONE_WORDS = frozenset({"zone", "line"})


def _known_part(name: str, gazetteer: Gazetteer) -> tuple[int, str] | None:
    """The longest run of words of an unknown entity that the gazetteer knows ("City of Montreal rec").

    Words before the part must be frame words ("City of", lower-case ones): in "Maaret Alia" the known
    word is only the end of an unknown name, not the place meant; words after it may be anything
    ("Metcalfe County Fire and EMS").
    """
    words = [(m.start(), m.group()) for m in re.finditer(r"\S+", name)]
    for size in range(len(words) - 1, 0, -1):
        found = []
        for i in range(len(words) - size + 1):
            first = words[i][1]
            if not first[:1].isupper() or fold(first) in STOP_WORDS:
                continue
            if any(w[:1].isupper() and fold(w.strip(",.;:")) not in _FRAME_WORDS for _, w in words[:i]):
                continue  # "Maaret Alia": a name word before the known part makes it another name
            start, end = words[i][0], words[i + size - 1][0] + len(words[i + size - 1][1])
            part = name[start:end].rstrip(",.;:")
            rows = gazetteer.index.get(fold(part))
            rest = name[end:].strip(" ,.;:").lower()
            if rows and fold(part) not in _NOT_PLACES and fold(part) not in _NAME_HEADS and (
                not _ORG_NAME_WORDS.fullmatch(part) and fold(part) not in _FRAME_WORDS  # "City Hall": no place
            ) and rest not in _ZONE_WORDS:
                found.append((max(gazetteer.population[r] for r in rows), start, part))
        if found:
            _, start, part = max(found)
            return start, part
    return None


#: Landform words that end many names ("Peace River Valley") and are also an admin1's alternate name
#: (The Valley, Anguilla): never the province closing an unknown name.
_LANDFORM_WORDS = frozenset(
    "valley river lake lakes mountain mountains hills desert plain plains coast bay park".split()
)


def _admin1_end(name: str, gazetteer: Gazetteer, variants: bool = False) -> int | None:
    """Where an admin1 name ends an unknown entity of capitalised names ("Karayazi Erzurum" -> 9), else None.

    ACLED's notes write a district and its province without a comma; NER takes both for one name.
    """
    words = [(m.start(), m.group()) for m in re.finditer(r"\S+", name)]
    if len(words) < 2 or not all(w[:1].isupper() for _, w in words):
        return None
    for size in range(min(3, len(words) - 1), 0, -1):
        at = words[-size][0]
        key = fold(name[at:])
        if key in _NOT_PLACES or key in _LANDFORM_WORDS or fold(words[-size - 1][1]) in _FRAME_WORDS:
            continue
        if any(gazetteer.kind[r] == KIND_ADMIN1 for r in gazetteer.index.get(key)):
            return at
        if variants and len(key) >= 6 and is_admin1(gazetteer, name[at:]):
            return at  # by a transliteration variant: "Haddadain Lattakia" (GeoNames "Latakia")
    return None


_ABBREVIATED_END = re.compile(r"\b(?:St|Ste|Mt|Ft)\.$")
_NEXT_WORD = re.compile(r"\s+([A-Z][\w'’-]*)")


def _join_abbreviation(text: str, start: int, raw: str, gazetteer: Gazetteer) -> str:
    """NER stops at an abbreviation's full stop ("Fort St." + "John"): the name with the next word, if known."""
    if not _ABBREVIATED_END.search(raw):
        return raw
    after = _NEXT_WORD.match(text, start + len(raw))
    if after and gazetteer.index.get(fold(f"{raw} {after.group(1)}")):
        return text[start:after.end(1)]
    return raw


def _ner_mention(
    text: str, start: int, raw: str, gazetteer: Gazetteer, table: dict[str, str], focus: Counter[str],
    mentions: list[Mention],
) -> None:
    raw = _join_abbreviation(text, start, raw, gazetteer)
    raw = _strip_dot(raw, gazetteer)
    name, hint = _clean(raw)
    key = fold(name)
    head_only = key in _NAME_HEADS and not _town_named_like_head(text, start, raw, key, gazetteer)
    if not name or key in _NOT_PLACES or head_only or not any(c.isupper() for c in name) or (
        key in STOP_WORDS and not name.isupper()
    ):
        return  # "the crisis zone" is no proper name, "Wadi" or "Street" only the start of one
    if key in table and not gazetteer.index.get(key):
        focus[table[key]] += 1
        return
    found = text.find(name, start, start + len(raw))
    start = found if found >= 0 else start + len(raw) - len(raw.lstrip())
    if _names_no_place(text, start + len(name)):
        return
    name = _extend_particle(text, start, name)
    if " " in name and not _known(name, gazetteer):
        if _ORG_WORDS.search(name):
            embedded = _embedded_place(text, start, name, (start, start + len(name)), gazetteer)
            if embedded is not None:
                mentions.append(embedded)
            else:
                _embedded_evidence(name, gazetteer, focus)
            return  # "Metcalfe County Sheriff's Office" is an organisation
        region = _admin1_end(name, gazetteer)
        if region is not None:  # "Karayazi Erzurum": an unknown district, then its province
            mentions.append(Mention(name[:region].rstrip(), start, start + len(name[:region].rstrip())))
            start, name, hint = start + region, name[region:], "admin"
            mention = Mention(name, start, start + len(name), hint=hint)
            _context_hints(text, mention.start, mention.end, mention)
            mentions.append(mention)
            return
        part = _known_part(name, gazetteer)
        if part is not None:
            start, name = start + part[0], part[1]
            hint = _clean(name)[1]
    start, name = _extend(text, start, name, gazetteer)
    mention = Mention(name, start, start + len(name), hint=hint)
    _context_hints(text, mention.start, start + len(raw.strip()), mention)
    mentions.append(mention)


def _outside_parentheses(
    text: str, ent: Any, paren: list[AdminHint], gazetteer: Gazetteer, table: dict[str, str], focus: Counter[str],
    mentions: list[Mention],
) -> None:
    """An entity that runs into an admin parenthesis ("Hodeidah (Al-Hali"): keep only its part before it."""
    first = min((h.start for h in paren if ent.start_char < h.end and h.start < ent.end_char), default=ent.end_char)
    head = text[ent.start_char:first].rstrip(" ([,")
    if head.strip() and first > ent.start_char:
        _ner_mention(text, ent.start_char, head, gazetteer, table, focus, mentions)


def _after_place(text: str, start: int, mentions: list[Mention]) -> bool:
    """The name follows a place and a comma ("Orikhove, Luhansk"), where a report names its container."""
    comma = text.rfind(",", max(0, start - 3), start)
    return comma >= 0 and not text[comma + 1:start].strip() and any(
        m.end == comma and m.source in ("ner", "paren", "cue-place", "cue") for m in mentions
    )


_OTHER_SPLIT = re.compile(r"\s*[,;()]\s*|\s+(?:in|of|near)\s+")


def _other_parts(start: int, text: str, label: str) -> list[tuple[int, int, str]]:
    """A non-place entity cut where NER ran a name and its places together ("Basnere, Soum Province",
    "Qoqfin in Idleb", "the Cabinet of Ministers in Kyiv"): each part is a name of its own, so a place
    among them is not "part of a longer name"."""
    parts, cut = [], 0
    for sep in _OTHER_SPLIT.finditer(text):
        parts.append((start + cut, start + sep.start(), label))
        cut = sep.end()
    parts.append((start + cut, start + len(text), label))
    return [p for p in parts if p[1] > p[0]]


_REGION_AFTER = re.compile(r",\s*([A-Z][\w.]*?(?: [A-Z]\w*)?)(?=[\s,;:!?)]|\.(?:\s|$)|$)")


def _before_region(text: str, end: int, gazetteer: Gazetteer) -> bool:
    """The name is followed by a comma and an admin1 region or a country ("Hugo, Oklahoma", "Kfraya, Syria")."""
    m = _REGION_AFTER.match(text, end)
    return m is not None and any(
        gazetteer.kind[r] in (KIND_ADMIN1, KIND_COUNTRY) for r in gazetteer.index.get(fold(m.group(1))) or ()
    )


def _whole_name(inside: list[tuple[int, int, str]], start: int, end: int) -> bool:
    """One other entity that is exactly this name: "near Novoluhanske" that NER calls a person.

    Kept as a place only when the gazetteer knows the name: "at Paris Regional Medical Center" is an
    organisation, not an unknown place."""
    return len(inside) == 1 and inside[0][:2] == (start, end)


def _world_regions(text: str, mentions: list[Mention]) -> list[Mention]:
    """A world region written in the text replaces the mentions inside it ("Horn" of "the Horn of Africa") by
    one mention of ``source`` "region", which the resolver reports as no one place."""
    regions = [Mention(m.group(), m.start(), m.end(), source="region") for m in _WORLD_REGION.finditer(text)]
    if not regions:
        return mentions
    kept = [m for m in mentions if not any(r.start < m.end and m.start < r.end for r in regions)]
    return kept + regions


def _water(text: str, mention: Mention) -> bool:
    """"the Red Sea", "the southern Red Sea", "Gulf of Aden", "the South Pacific": the sea, not Sudan's Red Sea
    state ("Red Sea state", "Hodeidah Red Sea port city" are not the sea) nor Pacific, Missouri."""
    if mention.hint == "admin" or not _WATER_NAME.match(mention.name):
        return False
    return mention.name[0] in "GSB" and " of " in mention.name or bool(
        _WATER_BEFORE.search(text, max(0, mention.start - 16), mention.start)
    )


_NAME_LABELS = frozenset({"PERSON", "ORG", "NORP"})


def _alias_in_parentheses(text: str, before: Span, ent: Span) -> bool:
    """A name alone in parentheses right after a person's or organisation's name is its other name ("the Hadash
    (Jebah)", "Ansar Allah (Houthis)"), not a place."""
    return (
        before.label_ in _NAME_LABELS
        and text[before.end_char:ent.start_char] in (" (", "(")
        and text[ent.end_char:ent.end_char + 1] == ")"
    )


def find_mentions(doc: Doc, gazetteer: Gazetteer) -> tuple[list[Mention], Counter[str]]:
    """Place mentions in a parsed doc, and the demonym counts per country code (for the focus).

    NER's GPE/LOC/FAC entities are mentions. Other capitalised names become candidate mentions
    (``source`` "cue" after "in", "village of", ... or before "province", "district", ...; else
    "cap") when they are a whole NER entity of another kind or none at all; the resolver keeps
    them only where the gazetteer makes them unambiguous enough (``_accept``).
    """
    text = doc_text(doc)
    mentions: list[Mention] = []
    taken: list[tuple[int, int]] = []
    focus: Counter[str] = Counter()
    table = demonyms()
    others: list[tuple[int, int, str]] = []
    paren = admin_parentheses(text, gazetteer) if "(" in text or "[" in text else []
    dateline_matches = list(_DATELINE.finditer(text, 0, _DATELINE_SPAN))
    if paren and dateline_matches:  # "RUSSELLVILLE, Ark. (AP) -": the agency, not Andhra Pradesh
        agencies = [(m.end(), text.find(")", m.end(), m.end() + 60)) for m in dateline_matches]
        paren = [h for h in paren if not any(a <= h.start < b for a, b in agencies)]
    for h in paren:
        mentions.append(Mention(h.name, h.start, h.end, hint=h.hint, source="paren"))
        taken.append((h.start, h.end))
    widened_to = -1
    ents = doc.ents  # built anew on every access
    for index, ent in enumerate(ents):
        if ent.label_ in ENT_LABELS:
            if index and _alias_in_parentheses(text, ents[index - 1], ent):
                taken.append((ent.start_char, ent.end_char))
                continue
            if paren and any(s < ent.end_char and ent.start_char < e for s, e in taken[: len(paren)]):
                _outside_parentheses(text, ent, paren, gazetteer, table, focus, mentions)
                continue
            if ent.start_char < widened_to:
                taken.append((ent.start_char, ent.end_char))
                continue  # "Port" + "Spain": the previous name was widened over this one ("Port of Spain")
            for part_start, part in _entity_parts(ent.start_char, ent.text, gazetteer):
                if part_start >= widened_to:
                    before = len(mentions)
                    _ner_mention(text, part_start, part, gazetteer, table, focus, mentions)
                    widened_to = max([widened_to, *(m.end for m in mentions[before:])])
            taken.append((ent.start_char, max(ent.end_char, widened_to)))
        else:
            if ent.label_ == "NORP" and fold(ent.text) in table and not _SPONSOR_AFTER.match(text, ent.end_char):
                focus[table[fold(ent.text)]] += 1
                taken.append((ent.start_char, ent.end_char))
            if ent.label_ not in _OTHER_ENTS:
                others.extend(_other_parts(ent.start_char, ent.text, ent.label_))
    datelines = {m.start(m.lastindex or 1) for m in dateline_matches}
    for start, raw in _sequences(text, gazetteer):
        end = start + len(raw)
        if any(s < end and start < e for s, e in taken):
            continue
        raw = _strip_dot(raw, gazetteer)
        name, hint = _clean(raw)
        key = fold(name)
        if not key or key in _NOT_PLACES or key in _NAME_HEADS or key in table or (
            key in STOP_WORDS and not name.isupper()
        ):
            continue
        end = start + len(name)
        if _names_no_place(text, end):
            continue
        region = None
        if not gazetteer.loose.get(loose_key(key)) and _CUE_BEFORE.search(text, max(0, start - 40), start):
            # a spelling variant of a region only where no organisation or venue is named ("Medical Center")
            named = any(s < end and start < e and label in _NAMED_AFTER for s, e, label in others)
            region = _admin1_end(name, gazetteer, variants=not named)
        if region is not None:  # "village of Karayazi Erzurum": the province is a place, the district unknown
            tail = Mention(name[region:], start + region, end, hint="admin", source="cue")
            mentions.append(tail)
            taken.append((tail.start, tail.end))
            name = name[:region].rstrip()
            end, key, hint = start + len(name), fold(name), _clean(name)[1]
        inside = [(s, e, label) for s, e, label in others if s < end and start < e]
        if any(s < start or e > end for s, e, _ in inside):
            # part of a longer name ("Kentucky State Police"): only a place at its start, end or after "of"
            named = [(s, e) for s, e, label in inside if label in _NAMED_AFTER]
            embedded = _embedded_place(text, start, name, named[0], gazetteer) if len(named) == 1 else None
            _take_embedded(embedded, name, mentions, taken, gazetteer, focus)
            continue
        cue = (
            bool(_CUE_BEFORE.search(text, max(0, start - 40), start)) or bool(_CUE_AFTER.match(text[end:end + 20]))
            or hint in ("admin", "district")  # "Sittwe District", "Rakhine State"
            or _after_place(text, start, mentions)  # "near Orikhove, Luhansk": the place's container
        )
        if not cue and not gazetteer.index.get(key):
            named = any(label in _NAMED_AFTER for _, _, label in inside) or _ORG_NAME_WORDS.search(name)
            embedded = _embedded_place(text, start, name, (start, end), gazetteer) if named else None
            _take_embedded(embedded, name, mentions, taken, gazetteer, focus)
            continue
        dateline = start in datelines and gazetteer.loose.get(loose_key(key)) is not None
        cue = cue or dateline
        source = "cue" if cue else "cap"
        if not cue and any(label in _NAMED_AFTER for *_, label in inside) and not (
            text[start - 1:start] in ("(", "[") or _before_region(text, end, gazetteer)
        ):
            # a name NER calls an organisation ("Department of Justice", "the Boons", "MENA"): only a big place;
            # one opening a parenthesis or before its region is where the report places something ("camps
            # (Hidaybu, Suqutra)", "all of Hugo, Oklahoma")
            source = "cap-org"
        if cue and (not inside or _whole_name(inside, start, end) and gazetteer.loose.get(loose_key(key))) and (
            _LOCATIVE_BEFORE.search(text, max(0, start - 40), start) or _CUE_AFTER.match(text[end:end + 20])
            or dateline
        ):
            source = "cue-place"  # "in X", "X frontline", "BEIRUT —": a place even when the gazetteer lacks it
        if any(label == "PERSON" for _, _, label in inside) and not cue:
            # "the Cairns police", "neighbourhoods of Shiraz", "on her way to Edmonton": where a person's name
            # would hardly stand; ``_accept`` still asks for a big town of the report's country
            before = _PERSON_PLACE_BEFORE.search(text, max(0, start - 24), start)
            place_like = _whole_name(inside, start, end) and before is not None
            source = "cap-person-place" if place_like else "cap-person"
            if place_like and before is not None and before.group().endswith((",", ", ")) and hint is None:
                hint = "admin"  # "Zari district center, Balkh": the province the place lies in
        elif " " not in name and _SENTENCE_START.search(text, max(0, start - 3), start) and not cue:
            source = "cap-initial"
        mention = Mention(name, start, end, hint=hint, source=source)
        _context_hints(text, start, end, mention)
        mentions.append(mention)
        taken.append((start, end))
    # "pro-Turkey factions", "anti-Houthi forces": an allegiance, not a place
    mentions = [m for m in mentions if not _ALLEGIANCE_BEFORE.search(text, max(0, m.start - 5), m.start)]
    mentions = _world_regions(text, mentions)
    for m in mentions:
        m.water = _water(text, m)
        m.sponsor = _SPONSOR_AFTER.match(text, m.end) is not None
        m.border = _BORDER_AFTER.match(text, m.end) is not None
    mentions.sort(key=lambda m: m.start)
    return mentions, focus
