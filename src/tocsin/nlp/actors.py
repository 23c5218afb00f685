"""tocsin_actors: actor mentions normalised to ACLED-style canonical names and ``inter`` codes.

The dictionary (``tocsin/data/actors.json``, plus the user file named by the ``actors_file``
setting merged over it) has three parts:

- named actors ("JNIM", "Houthis", "SDF") with canonical names and aliases; a name may change
  with the date (``periods``: "Taliban" becomes "Military Forces of Afghanistan (2021-)");
- countries with demonyms and the periods of their state forces, so "the Syrian army" becomes
  "Military Forces of Syria (2000-2024)" or "(2024-)" depending on the date;
- generic role words ("protesters", "gunmen", "villagers") whose country comes from a demonym
  ("Iraqi protesters") or from the report's country focus (its resolved toponyms, else the
  countries and demonyms it names).

Matching uses two spaCy ``PhraseMatcher`` (lower-case for words, exact case for acronyms such as
"IS", "LeT"), built once per vocabulary, over every spelling of an alias (``spellings``: "al-Shabaab",
"al Shabaab"). An alias that also names other bodies ("NPA") is a ``local_aliases`` entry: it is kept only
when the report's country focus is the actor's country, and it does not vote for that focus.
Hedged mentions ("presumed JNIM or ISGS militants") keep the first named group and say so in
``ActorMention.note``. See docs/events.md.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from tocsin import settings
from tocsin.errors import ConfigError, E
from tocsin.model import ActorMention

__all__ = [
    "ActorDictionary",
    "ActorEntry",
    "ActorsComponent",
    "CountryEntry",
    "FOCUS_NOTE",
    "GroupSpec",
    "country_focus",
    "load_dictionary",
    "spellings",
]

#: (from date or None, canonical name, inter code or None for the entry's own).
Period = tuple[dt.date | None, str, int | None]

HEDGE_WORDS = frozenset(
    "presumed suspected alleged possible possibly probable probably likely purported unconfirmed reportedly".split()
)
#: Words that, right after a named actor, still belong to the mention ("Houthi fighters").
MEMBER_WORDS = frozenset(
    "fighters militants members elements forces troops soldiers gunmen jihadists insurgents rebels rebel militia "
    "militias militiamen cells operatives men units combatants terrorists guerrillas guerrilla cadres gang gangs "
    "gangsters hitmen separatists".split()
)
ALTERNATION = frozenset(("or", "and/or", "/"))
#: "<role> of <Country>": "military forces of Armenia", "the army of Mali".
OF_ROLES = {
    "military": ("forces", "military forces", "armed forces", "army", "troops", "soldiers", "military"),
    "police": ("police", "police forces", "gendarmerie", "security forces"),
    "government": ("government", "the government", "authorities"),
}
STATE_KINDS = ("military", "police", "government")
UNKNOWN_STATE = {"military": "Military Forces", "police": "Police Forces", "government": "Government"}
#: "Turkish army and border guard forces": up to three words between "and" and the next actor.
_COORDINATED = re.compile(r"\s+(?:and|&)\s+(?:[a-z][\w-]*\s+){0,3}")
#: The note of a state force whose country the text does not say ("the police", "soldiers").
FOCUS_NOTE = "country from the report's focus"


@dataclass(frozen=True)
class CountryEntry:
    code: str
    name: str
    demonyms: tuple[str, ...]
    aliases: tuple[str, ...]
    military: tuple[Period, ...]
    police: tuple[Period, ...]


@dataclass(frozen=True)
class ActorEntry:
    name: str
    inter: int
    aliases: tuple[str, ...]
    country: str | None = None
    countries: tuple[str, ...] = ()
    periods: tuple[Period, ...] = ()
    state: str | None = None
    """``military``/``police``: the name comes from the country's state-force periods."""
    family: str | None = None
    family_root: str | None = None
    """A generic family name ("IS"): resolved to the member entry of the report's country."""
    local_aliases: tuple[str, ...] = ()
    """Aliases that also name other bodies ("NPA": New People's Army, National Prosecuting Authority):
    they match only in a report whose country focus is the entry's country (or one of its countries)."""

    def serves(self, focus: str | None) -> bool:
        return bool(focus) and (self.country == focus or focus in self.countries)


@dataclass(frozen=True)
class GroupSpec:
    kind: str
    name: str
    """Template with ``{country}``, e.g. "Protesters ({country})"."""
    inter: int
    words: tuple[str, ...]
    assoc: bool = False
    """Civilian sub-groups (students, journalists): ACLED's associated actors."""


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _periods(raw: list[list[Any]] | None) -> tuple[Period, ...]:
    out: list[Period] = []
    for item in raw or []:
        inter = int(item[2]) if len(item) > 2 and item[2] is not None else None
        out.append((_date(item[0]), str(item[1]), inter))
    out.sort(key=lambda p: p[0] or dt.date.min)
    return tuple(out)


def _government_of(military: str) -> str:
    """ "Military Forces of Yemen (2022-) Presidential ..." -> "Government of Yemen (2022-)"."""
    name = military.replace("Military Forces of", "Government of", 1)
    return name.split(")")[0] + ")" if "(" in name else name


def _pick(periods: tuple[Period, ...], on: dt.date | None) -> Period:
    """The period in force on ``on`` (the latest one when the date is unknown)."""
    if on is None:
        return periods[-1]
    chosen = periods[0]
    for period in periods:
        if period[0] is None or period[0] <= on:
            chosen = period
    return chosen


@dataclass
class ActorDictionary:
    countries: dict[str, CountryEntry]
    entries: list[ActorEntry]
    groups: dict[str, GroupSpec]
    generic_state: dict[str, tuple[str, ...]]
    prefix_only: frozenset[str] = frozenset()
    """Role words that name an actor only after a demonym ("Russian warplanes", not "warplanes")."""
    _by_name: dict[str, tuple[str, Any]] = field(default_factory=dict, repr=False)
    _group_of: dict[str, GroupSpec | None] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for index, entry in enumerate(self.entries):
            for name in [entry.name, *(p[1] for p in entry.periods)]:
                self._by_name.setdefault(name, ("entry", index))
        for code, country in self.countries.items():
            for kind in ("military", "police"):
                for period in getattr(country, kind):
                    self._by_name[period[1]] = ("state", (kind, code))
            for period in country.military:
                self._by_name[_government_of(period[1])] = ("state", ("government", code))

    # --- names -------------------------------------------------------------------------
    def state_name(self, kind: str, code: str | None, on: dt.date | None) -> str:
        country = self.countries.get(code or "")
        if country is None:
            return UNKNOWN_STATE[kind]
        if kind == "government":
            # ACLED's governments share their period with the state's forces
            return _government_of(self.state_name("military", code, on))
        periods = getattr(country, kind)
        if not periods:
            return f"{UNKNOWN_STATE[kind]} of {country.name}"
        return _pick(periods, on)[1]

    def state_inter(self, code: str | None, focus: str | None) -> int:
        """ACLED codes a state's forces 1 at home and 8 (external) in another country."""
        return 8 if code and focus and code != focus else 1

    def entry_name(self, entry: ActorEntry, on: dt.date | None, focus: str | None) -> tuple[str, int, str | None]:
        """Canonical name, inter code and country of a named entry on a date."""
        if entry.state:
            code = entry.country
            return self.state_name(entry.state, code, on), self.state_inter(code, focus), code
        if entry.family_root:
            member = self._family_member(entry.family_root, focus)
            if member is not None:
                return member.name, member.inter, member.country
        if entry.periods:
            _, name, inter = _pick(entry.periods, on)
            return name, inter if inter is not None else entry.inter, entry.country
        return entry.name, entry.inter, entry.country

    def _family_member(self, family: str, focus: str | None) -> ActorEntry | None:
        if not focus:
            return None
        for entry in self.entries:
            if entry.family == family and entry.serves(focus):
                return entry
        return None

    def group_name(self, kind: str, code: str | None) -> str:
        template = self.groups[kind].name
        country = self.countries.get(code or "")
        if country is None:
            return template.replace(" ({country})", "").replace("{country}", "")
        return template.format(country=country.name)

    def group_kind(self, name: str) -> GroupSpec | None:
        """The group spec a canonical group name was made from ("Students (Iraq)" -> students)."""
        if name not in self._group_of:
            self._group_of[name] = None
            for spec in self.groups.values():
                prefix = spec.name.split(" ({country})")[0]
                if name == prefix or name.startswith(prefix + " ("):
                    self._group_of[name] = spec
                    break
        return self._group_of[name]

    def rename(self, name: str, on: dt.date | None, focus: str | None = None) -> tuple[str, int | None]:
        """The name (and inter) a known canonical name has on another date; unknown names unchanged."""
        found = self._by_name.get(name)
        if found is None:
            return name, None
        kind, payload = found
        if kind == "state":
            state_kind, code = payload
            return self.state_name(state_kind, code, on), self.state_inter(code, focus)
        new_name, inter, _ = self.entry_name(self.entries[payload], on, focus)
        return new_name, inter

    def of_country(self, name: str, code: str, on: dt.date | None) -> tuple[str, bool] | None:
        """The same kind of actor as ``name`` (a state force, "Civilians", "Unidentified Armed Group", ...) of
        country ``code``, and whether it is a state's; None when ``name`` is of neither kind."""
        found = self._by_name.get(name)
        if found is not None and found[0] == "state":
            return self.state_name(found[1][0], code, on), True
        spec = self.group_kind(name)
        return (self.group_name(spec.kind, code), False) if spec is not None else None

    def choose(self, indices: tuple[int, ...], focus: str | None) -> ActorEntry:
        """Among entries sharing an alias ("SNA"), the one of the report's country."""
        for index in indices:
            entry = self.entries[index]
            if entry.serves(focus):
                return entry
        return self.entries[indices[0]]


def _read_json(path: Path | str, text: str | None = None) -> dict[str, Any]:
    try:
        data = json.loads(text if text is not None else Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(E.T104.format(path=path, detail=exc)) from exc
    if not isinstance(data, dict):
        raise ConfigError(E.T104.format(path=path, detail="the top level must be an object"))
    return data


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """Merge a user dictionary over the shipped one: same name/code replaces, new ones are added."""
    merged = dict(base)
    for key, ident in (("countries", "code"), ("actors", "name")):
        items = {item[ident]: item for item in base.get(key, [])}
        for item in extra.get(key, []):
            items[item[ident]] = item
        merged[key] = list(items.values())
    for key in ("generic", "groups"):
        merged[key] = {**base.get(key, {}), **extra.get(key, {})}
    return merged


def _build(data: dict[str, Any], where: str) -> ActorDictionary:
    try:
        countries = {
            c["code"]: CountryEntry(
                code=c["code"],
                name=c["name"],
                demonyms=tuple(c.get("demonyms", ())),
                aliases=tuple(c.get("aliases", ())),
                military=_periods(c.get("military")),
                police=_periods(c.get("police")),
            )
            for c in data.get("countries", [])
        }
        entries = [
            ActorEntry(
                name=a["name"],
                inter=int(a["inter"]),
                aliases=tuple(a.get("aliases", ())),
                country=a.get("country"),
                countries=tuple(a.get("countries", ())),
                periods=_periods(a.get("periods")),
                state=a.get("state"),
                family=a.get("family"),
                family_root=a.get("family_root"),
                local_aliases=tuple(a.get("local_aliases", ())),
            )
            for a in data.get("actors", [])
        ]
        generic = data.get("generic", {})
        groups: dict[str, GroupSpec] = {}
        for kind, spec in data.get("groups", {}).items():
            words = tuple(spec.get("words", generic.get(kind, ())))
            groups[kind] = GroupSpec(kind, spec["name"], int(spec["inter"]), words, bool(spec.get("assoc", False)))
        generic_state = {kind: tuple(generic.get(kind, ())) for kind in STATE_KINDS}
        prefix_only = frozenset(generic.get("prefix_only", ()))
    except (KeyError, TypeError, ValueError) as exc:
        raise ConfigError(E.T104.format(path=where, detail=f"bad entry: {exc!r}")) from exc
    return ActorDictionary(countries, entries, groups, generic_state, prefix_only)


@lru_cache(maxsize=8)
def load_dictionary(extra_path: str | None = None) -> ActorDictionary:
    """The shipped dictionary, with the user file (``actors_file`` setting by default) merged over it."""
    shipped = resources.files("tocsin.data").joinpath("actors.json").read_text(encoding="utf-8")
    data = _read_json("tocsin/data/actors.json", shipped)
    path = extra_path if extra_path is not None else settings.get("actors_file")
    if path:
        data = _merge(data, _read_json(path))
    return _build(data, path or "tocsin/data/actors.json")


# --- matching ----------------------------------------------------------------------------

#: A rule: ("named", entry indices) | ("local", entry indices: a local alias, see ``ActorEntry.local_aliases``)
#: | ("state", (kind, code)) | ("group", (kind, code)) | ("country", code)
Rule = tuple[str, Any]
_PRIORITY = {"named": 0, "local": 0, "state": 1, "group": 2, "country": 3}
_NAMED = ("named", "local")
#: Arabic articles written with a hyphen or a space ("al-Shabaab", "al Shabaab", "Hay'at Tahrir al-Sham").
_ARTICLE = re.compile(r"(?:^|(?<=\s))([Aa]l|[Ee]l|ad|ash|as|ar|an|at|az)[- ](?=[A-Z])")
_WORD_APOSTROPHE = re.compile(r"(?<=[A-Za-z])['’](?=[a-z])")


def spellings(alias: str) -> list[str]:
    """The ways news writes an alias: an Arabic article with a hyphen or a space ("al-Shabaab",
    "al Shabaab"), hyphens as spaces ("Mai-Mai", "Mai Mai"; not in acronyms: "SPLM-N"), and
    apostrophes inside a word dropped ("Hay'at" -> "Hayat", "People's" -> "Peoples").

    >>> spellings("Hay'at Tahrir al-Sham")
    ["Hay'at Tahrir al-Sham", "Hay'at Tahrir al Sham", 'Hayat Tahrir al-Sham', 'Hayat Tahrir al Sham']
    """
    spaced = _ARTICLE.sub(lambda m: m.group(1) + " ", alias)
    out = [alias, spaced, _ARTICLE.sub(lambda m: m.group(1) + "-", alias)]
    if "-" in alias and not _case_sensitive(alias):
        out.append(spaced.replace("-", " "))
    out += [_WORD_APOSTROPHE.sub("", a) for a in out]
    return list(dict.fromkeys(out))


@lru_cache(maxsize=4096)
def _case_sensitive(phrase: str) -> bool:
    """Acronyms ("IS", "SDF", "US", "LeT", "FAMa") match only as written; words match in any case
    ("let" is a verb, not Lashkar-e-Taiba)."""
    letters = [c for c in re.split(r"[\s-]", phrase)[0] if c.isalpha()]
    upper = sum(c.isupper() for c in letters)
    return upper >= 2 and upper >= len(letters) - upper


@dataclass
class _Matchers:
    lower: PhraseMatcher
    exact: PhraseMatcher
    rules: dict[int, Rule]


class _Builder:
    def __init__(self, nlp: Language, dictionary: ActorDictionary) -> None:
        self.nlp = nlp
        # NORM is the lower-case form with typographic quotes normalised ("Israel’s" = "israel's")
        self.lower = PhraseMatcher(nlp.vocab, attr="NORM")
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.phrases: dict[tuple[bool, str], Rule] = {}

    def add(self, phrase: str, rule: Rule) -> None:
        exact = _case_sensitive(phrase)
        key = (exact, phrase if exact else phrase.lower())
        old = self.phrases.get(key)
        if old is not None and old[0] in _NAMED and rule[0] in _NAMED:
            # an alias shared by two entries; local only if it is local to both
            # (the entries it fully names first: they are the choice outside every entry's country)
            kind = "local" if old[0] == rule[0] == "local" else "named"
            first, second = (rule, old) if old[0] == "local" and rule[0] == "named" else (old, rule)
            rule = (kind, tuple(dict.fromkeys(first[1] + second[1])))
        elif old is not None and _PRIORITY[old[0]] <= _PRIORITY[rule[0]]:
            return
        self.phrases[key] = rule

    def build(self) -> _Matchers:
        rules: dict[int, Rule] = {}
        grouped: dict[tuple[bool, Rule], list[str]] = {}
        for (exact, phrase), rule in self.phrases.items():
            grouped.setdefault((exact, rule), []).append(phrase)
        for number, ((exact, rule), phrases) in enumerate(grouped.items()):
            key = f"tocsin_actor_{number}"
            match_id = self.nlp.vocab.strings.add(key)
            rules[match_id] = rule
            docs = list(self.nlp.tokenizer.pipe(phrases))
            (self.exact if exact else self.lower).add(key, docs)
        return _Matchers(self.lower, self.exact, rules)


def _role_variants(word: str) -> tuple[str, ...]:
    return (word, word.title()) if word.islower() else (word,)


def _build_matchers(nlp: Language, dictionary: ActorDictionary) -> _Matchers:
    builder = _Builder(nlp, dictionary)
    for index, entry in enumerate(dictionary.entries):
        for kind, aliases in (("named", entry.aliases), ("local", entry.local_aliases)):
            for alias in aliases:
                for spelling in spellings(alias):
                    builder.add(spelling, (kind, (index,)))
    for kind, words in dictionary.generic_state.items():
        for word in words:
            if word not in dictionary.prefix_only:
                builder.add(word, ("state", (kind, None)))
    for kind, spec in dictionary.groups.items():
        for word in spec.words:
            builder.add(word, ("group", (kind, None)))
    for code, country in dictionary.countries.items():
        for alias in country.aliases:
            builder.add(alias, ("country", code))
        prefixes = [*country.demonyms, *country.aliases, *(f"{a}'s" for a in country.aliases)]
        for prefix in prefixes:
            for kind, words in dictionary.generic_state.items():
                for word in words:
                    for variant in _role_variants(word) if _case_sensitive(prefix) else (word,):
                        builder.add(f"{prefix} {variant}", ("state", (kind, code)))
            for kind in dictionary.generic_state:
                for word in OF_ROLES.get(kind, ()):
                    for alias in country.aliases:
                        builder.add(f"{word} of {alias}", ("state", (kind, code)))
            for kind in ("protesters", "rioters", "civilians"):
                if kind in dictionary.groups:
                    for word in dictionary.groups[kind].words:
                        builder.add(f"{prefix} {word}", ("group", (kind, code)))
        for demonym in country.demonyms:
            builder.add(demonym, ("country", code))
    return builder.build()


_MATCHER_CACHE: dict[tuple[int, int], _Matchers] = {}


def _matchers_for(nlp: Language, dictionary: ActorDictionary) -> _Matchers:
    key = (id(nlp.vocab), id(dictionary))
    if key not in _MATCHER_CACHE:
        _MATCHER_CACHE[key] = _build_matchers(nlp, dictionary)
    return _MATCHER_CACHE[key]


def country_focus(doc: Doc, country_hits: list[str] | None = None, local: list[str] | None = None) -> str | None:
    """The report's country.

    Resolved toponyms vote by country, and so do ``local`` actors (non-state groups tied to one
    country: Houthis -> Yemen), which outvote a place or two resolved in the wrong country. The
    countries and demonyms the text names (``country_hits``) have half a vote: they break ties.
    """
    toponyms = doc._.toponyms or []
    votes: dict[str, float] = {}
    for code in [t.country_code for t in toponyms if t.resolved and t.country_code] + list(local or []):
        votes[code] = votes.get(code, 0.0) + 1.0
    for code in country_hits or []:
        votes[code] = votes.get(code, 0.0) + 0.5
    return max(votes, key=lambda code: votes[code]) if votes else None


def _report_date(doc: Doc) -> dt.date | None:
    published = doc._.published
    if isinstance(published, dt.datetime):
        return published.date()
    if isinstance(published, dt.date):
        return published
    return None


@dataclass
class _Hit:
    start: int
    end: int
    rule: Rule


def _raw_hits(doc: Doc, matchers: _Matchers) -> list[_Hit]:
    found = [*matchers.lower(doc), *matchers.exact(doc)]
    hits = [_Hit(start, end, matchers.rules[match_id]) for match_id, start, end in found]
    return [h for h in hits if not _adjective_use(doc, h) and not _opposed(doc, h) and not _describes_a_place(doc, h)
            and not _currency(doc, h)]


#: Currencies named after their country ("the US dollar", "the Lebanese pound").
CURRENCY_WORDS = frozenset(
    "dollar dollars pound pounds dinar dinars lira liras rial rials riyal riyals euro euros rupee rupees yuan "
    "ruble rubles rouble roubles franc francs naira shilling shillings cedi cedis rand hryvnia hryvnias kyat "
    "afghani afghanis birr leone leones kwacha".split()
)


def _currency(doc: Doc, hit: _Hit) -> bool:
    """"Protests against the high US dollar exchange rate" in Lebanon: a currency, no evidence of the country."""
    return hit.rule[0] == "country" and hit.end < len(doc) and doc[hit.end].lower_ in CURRENCY_WORDS


#: "Naxal-affected districts", "Boko Haram-hit areas": a place described by a group, not the group acting.
DESCRIBING = frozenset(("affected", "hit", "infested", "prone", "ravaged"))


def _describes_a_place(doc: Doc, hit: _Hit) -> bool:
    end = hit.end
    return hit.rule[0] in _NAMED and end + 1 < len(doc) and doc[end].text == "-" and doc[end + 1].lower_ in DESCRIBING


def _adjective_use(doc: Doc, hit: _Hit) -> bool:
    """A bare role word used as an adjective ("military vehicle", "civilian casualties") is no actor."""
    return hit.rule[0] in ("state", "group") and hit.end - hit.start == 1 and doc[hit.start].pos_ == "ADJ"


#: "gunmen from the Gran Grif gang", "fighters of Ahrar al-Sham", "militants loyal to X": members named by their group.
MEMBER_LINKS = (("from",), ("of",), ("belonging", "to"), ("linked", "to"), ("loyal", "to"), ("affiliated", "with"))


def _member_start(doc: Doc, start: int) -> int:
    """The start of "<member word> <link> [the] <named actor>" before a named actor at ``start``, else ``start``."""
    i = start - 1 if start > 0 and doc[start - 1].lower_ == "the" else start
    for link in MEMBER_LINKS:
        j = i - len(link)
        if j >= 1 and tuple(t.lower_ for t in doc[j:i]) == link and doc[j - 1].lower_ in MEMBER_WORDS:
            return j - 1
    return start


def _extend_named(doc: Doc, hit: _Hit) -> _Hit:
    end = hit.end
    while end < len(doc) and doc[end].lower_ in MEMBER_WORDS and end - hit.end < 2:
        end += 1
    start = _member_start(doc, hit.start) if hit.rule[0] in _NAMED else hit.start
    return _Hit(start, end, hit.rule)


def _extensible(hit: _Hit) -> bool:
    """Named actors and demonym-qualified forces absorb member words ("Turkish Army Forces")."""
    return hit.rule[0] in _NAMED or (hit.rule[0] == "state" and hit.rule[1][1] is not None)


def _select(doc: Doc, hits: list[_Hit]) -> list[_Hit]:
    """Longest first, named actors before generic words; no overlaps."""
    hits = [_extend_named(doc, h) if _extensible(h) else h for h in hits]
    hits.sort(key=lambda h: (-(h.end - h.start), _PRIORITY[h.rule[0]], h.start))
    taken = [False] * len(doc)
    chosen: list[_Hit] = []
    for hit in hits:
        if any(taken[hit.start : hit.end]):
            continue
        for i in range(hit.start, hit.end):
            taken[i] = True
        chosen.append(hit)
    chosen.sort(key=lambda h: h.start)
    return chosen


def _opposed(doc: Doc, hit: _Hit) -> bool:
    """ "anti-Houthi forces" are not the Houthis."""
    start = hit.start
    if start >= 2 and doc[start - 1].text == "-" and doc[start - 2].lower_ == "anti":
        return True
    return start >= 1 and doc[start - 1].lower_ in ("anti-", "anti")


def _hedge_before(doc: Doc, start: int) -> str | None:
    for i in range(max(0, start - 2), start):
        if doc[i].lower_ in HEDGE_WORDS:
            return doc[i].text
    return None


class ActorsComponent:
    """Writes ``doc._.actors``: every actor mention, in text order."""

    def __init__(self, nlp: Language, name: str = "tocsin_actors", actors_file: str = "") -> None:
        self.nlp = nlp
        self.name = name
        self.dictionary = load_dictionary(actors_file or None)
        self.matchers = _matchers_for(nlp, self.dictionary)

    def __call__(self, doc: Doc) -> Doc:
        doc._.actors = self.find(doc)
        return doc

    def find(self, doc: Doc) -> list[ActorMention]:
        raw = _raw_hits(doc, self.matchers)
        voting = [h for h in raw if h.rule[0] != "local"]
        hits = _select(doc, voting)
        focus = country_focus(doc, self._country_hits(hits), self._local_hits(hits))
        # local aliases ("NPA") do not vote for the focus; they name their entry only in its country
        kept = [_Hit(h.start, h.end, ("named", indices)) for h in raw if h.rule[0] == "local"
                if (indices := tuple(i for i in h.rule[1] if self.dictionary.entries[i].serves(focus)))]
        if kept:
            hits = _select(doc, voting + kept)
        on = _report_date(doc)
        mentions: list[ActorMention] = []
        skip_until = -1
        for index, hit in enumerate(hits):
            if hit.rule[0] == "country" or hit.start < skip_until:
                continue
            mention = self._mention(doc, hit, focus, on)
            hedge = _hedge_before(doc, hit.start)
            alternative = self._alternative(doc, hits, index)
            if alternative is not None:
                skip_until = alternative.end
            if alternative is not None:
                other = self._mention(doc, alternative, focus, on)
                if other.name != mention.name:  # ACLED's joint name for an uncertain attribution
                    mention.name = f"{mention.name} and/or {other.name}"
            if hedge or alternative is not None:
                start = hit.start - 1 if hedge and doc[hit.start - 1].text == hedge else hit.start
                stretch = doc[max(0, start) : alternative.end if alternative else hit.end]
                mention.note = f"hedged: {stretch.text}"
            mentions.append(mention)
        return self._conjoined(doc, mentions, focus, on)

    def _conjoined(self, doc: Doc, mentions: list[ActorMention], focus: str | None,
                   on: dt.date | None) -> list[ActorMention]:
        """A demonym carries over a coordination: "Turkish army and border guard forces" are both Turkish, so
        a force of no country said right after "and" takes the country of the actor before it."""
        text = doc.text
        for before, mention in zip(mentions, mentions[1:], strict=False):
            if mention.note != FOCUS_NOTE or before.note is not None or not before.country_code:
                continue
            between = text[before.end : mention.start]
            if before.country_code == mention.country_code or not _COORDINATED.fullmatch(between):
                continue
            found = self.dictionary.of_country(mention.name, before.country_code, on)
            if found is not None:
                mention.name, mention.country_code = found[0], before.country_code
                if found[1]:
                    mention.inter = self.dictionary.state_inter(before.country_code, focus)
                mention.note = f"country of {before.text!r}, coordinated with it"
        return mentions

    def _local_hits(self, hits: list[_Hit]) -> list[str]:
        """Countries of named non-state actors tied to one country (not regional groups such as JNIM)."""
        local = []
        for hit in hits:
            if hit.rule[0] == "named" and len(hit.rule[1]) == 1:  # an ambiguous alias ("SNA") does not vote
                entry = self.dictionary.entries[hit.rule[1][0]]
                if entry.country and not entry.state and not entry.countries and entry.inter != 8:
                    local.append(entry.country)
        return local

    def _country_hits(self, hits: list[_Hit]) -> list[str]:
        """Countries the text names, strongest evidence first: names, then local actors, then state forces."""
        named = [h.rule[1] for h in hits if h.rule[0] == "country"]
        if named:
            return named
        local = [h.rule[1][1] for h in hits if h.rule[0] == "group" and h.rule[1][1]]
        for hit in hits:
            if hit.rule[0] == "named":
                entry = self.dictionary.entries[hit.rule[1][0]]
                if entry.country and not entry.state:
                    local.append(entry.country)
        if local:
            return local
        return [h.rule[1][1] for h in hits if h.rule[0] == "state" and h.rule[1][1]]

    @staticmethod
    def _alternative(doc: Doc, hits: list[_Hit], index: int) -> _Hit | None:
        """A second actor offered as an alternative right after this one ("JNIM or ISGS")."""
        hit = hits[index]
        if index + 1 >= len(hits) or hit.end >= len(doc) or doc[hit.end].lower_ not in ALTERNATION:
            return None
        following = hits[index + 1]
        if following.start == hit.end + 1 and following.rule[0] in ("named", "group", "state"):
            return following
        return None

    def _mention(self, doc: Doc, hit: _Hit, focus: str | None, on: dt.date | None) -> ActorMention:
        span: Span = doc[hit.start : hit.end]
        kind, payload = hit.rule
        note = None
        if kind == "named":
            entry = self.dictionary.choose(payload, focus)
            name, inter, code = self.dictionary.entry_name(entry, on, focus)
            if focus and focus in entry.countries:
                code = focus
        elif kind == "state":
            state_kind, explicit = payload
            code = explicit or focus
            name = self.dictionary.state_name(state_kind, code, on)
            inter = self.dictionary.state_inter(code, focus)
            if explicit is None:
                note = FOCUS_NOTE if code else "country unknown"
        else:
            group_kind, explicit = payload
            code = explicit or focus
            spec = self.dictionary.groups[group_kind]
            name = self.dictionary.group_name(group_kind, code)
            inter = spec.inter
            if explicit is None:
                note = FOCUS_NOTE if code else "country unknown"
        return ActorMention(
            name=name,
            inter=inter,
            start=span.start_char,
            end=span.end_char,
            text=span.text,
            country_code=code,
            note=note,
        )


@Language.factory(
    "tocsin_actors",
    assigns=["doc._.actors"],
    default_config={"actors_file": ""},
)
def make_actors(nlp: Language, name: str, actors_file: str) -> ActorsComponent:
    return ActorsComponent(nlp, name, actors_file)
