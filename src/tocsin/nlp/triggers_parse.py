"""Parse features for the sub-event classifier: who acts on whom, read from the dependency parse.

The bag of words says *what* a sentence is about; the parse and the actor mentions
(``nlp/actors.py``, ACLED ``inter`` codes: 1 state forces, 2 rebels, 3 political militia,
4 identity militia, 5 rioters, 6 protesters, 7 civilians, 8 external/other) say who does it to
whom: police acting on protesters (intervention or excessive force), two armed sides facing each
other (a clash), an armed group acting on civilians (an attack). The features are strings for the
linear model (``P:`` prefix), computed from what the pipeline already holds, so they cost
a walk over the sentence's tokens.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from spacy.language import Language
from spacy.symbols import NOUN, VERB
from spacy.tokens import Span, Token

from tocsin.model import ActorMention

__all__ = ["ROLE_INTER", "parse_features", "parse_texts"]

#: Texts whose features ``parse_texts`` keeps (training and cross-validation parse the same texts again).
_CACHE_SIZE = 50_000
_cache: dict[str, list[str]] = {}

_SUBJECTS = frozenset(("nsubj", "csubj"))
_PATIENTS = frozenset(("dobj", "nsubjpass"))
_TARGET_PREPS = frozenset(("on", "at", "against", "with", "upon", "into", "between"))
#: Role words the actor dictionary may leave unmatched (no country focus, plural forms): lemma -> inter code.
ROLE_INTER: dict[str, int] = {
    **dict.fromkeys(("soldier", "troop", "army", "police", "policeman", "officer", "military", "gendarme",
                     "security", "force"), 1),
    **dict.fromkeys(("rebel", "insurgent", "militant", "jihadist", "separatist", "guerrilla", "terrorist",
                     "fighter"), 2),
    **dict.fromkeys(("militia", "militiaman", "gunman", "vigilante"), 3),
    **dict.fromkeys(("rioter", "mob", "looter"), 5),
    **dict.fromkeys(("protester", "protestor", "demonstrator", "marcher", "striker", "activist"), 6),
    **dict.fromkeys(("civilian", "villager", "resident", "farmer", "worshipper", "passenger", "child", "woman",
                     "student", "journalist", "people"), 7),
}
#: Entity types that are no participant ("on Monday", "at 5 am").
_CIRCUMSTANCE = frozenset(("DATE", "TIME", "CARDINAL", "ORDINAL", "QUANTITY", "PERCENT", "MONEY"))


def _actor_at(token: Token, spans: Sequence[tuple[int, int, int]]) -> int | None:
    for start, end, inter in spans:
        if start <= token.idx < end:
            return inter
    return None


def _argument(token: Token, spans: Sequence[tuple[int, int, int]]) -> str:
    """An argument's class: ``@<inter>`` for an actor (its head or a modifier), else its lemma."""
    inter = _actor_at(token, spans)
    if inter is None:
        for child in token.children:
            if child.dep_ in ("compound", "amod", "poss", "nmod"):
                inter = _actor_at(child, spans)
                if inter is not None:
                    break
    if inter is None:
        inter = ROLE_INTER.get(token.lemma_.lower())
    if inter is not None:
        return f"@{inter}"
    if token.pos_ == "PROPN":
        return token.ent_type_ or "propn"
    if token.pos_ == "PRON":
        return "pron"
    return token.lemma_.lower()


def _roles(verb: Token, spans: Sequence[tuple[int, int, int]]) -> tuple[list[str], list[str]]:
    """(agents, patients) of a verb; a conjoined verb without a subject shares its head's ("X looted and burned")."""
    agents: list[str] = []
    patients: list[str] = []
    for child in verb.children:
        dep = child.dep_
        if dep in _SUBJECTS:
            agents.append(_argument(child, spans))
        elif dep in _PATIENTS:
            patients.append(_argument(child, spans))
        elif dep == "agent":
            agents.extend(_argument(obj, spans) for obj in child.children if obj.dep_ == "pobj")
        elif dep == "prep" and child.lower_ in _TARGET_PREPS:
            objects = [obj for obj in child.children if obj.dep_ == "pobj" and obj.ent_type_ not in _CIRCUMSTANCE]
            patients.extend(_argument(obj, spans) for obj in objects)
    if not agents and verb.dep_ == "conj" and verb.head.pos_ == "VERB":
        agents = [_argument(c, spans) for c in verb.head.children if c.dep_ in _SUBJECTS]
    return agents, patients


def parse_features(sent: Span, actors: Sequence[ActorMention] = ()) -> list[str]:
    """``P:`` features of one sentence (or text) from its parse and the actor mentions inside it."""
    lo, hi = sent.start_char, sent.end_char
    spans = [(a.start, a.end, a.inter) for a in actors if lo <= a.start < hi]
    feats: list[str] = []
    found = {inter for _, _, inter in spans}
    verbs: list[Token] = []
    for token in sent:  # one walk: role nouns now, verbs for below
        pos = token.pos
        if pos == NOUN:
            if _actor_at(token, spans) is None:
                inter = ROLE_INTER.get(token.lemma_.lower())
                if inter is not None:
                    found.add(inter)
        elif pos == VERB:
            verbs.append(token)
    inters = sorted(found)
    feats.extend(f"P:A{i}" for i in inters)
    feats.extend(f"P:AA{a}_{b}" for k, a in enumerate(inters) for b in inters[k + 1 :])
    names = {(a.inter, a.name) for a in actors if lo <= a.start < hi}
    for inter in inters:
        if sum(1 for i, _ in names if i == inter) > 1:
            feats.append(f"P:AA{inter}_{inter}")
    for token in verbs:
        lemma = token.lemma_.lower()
        agents, patients = _roles(token, spans)
        if token.dep_ == "ROOT":
            feats.append(f"P:ROOT:{lemma}")
        for agent in agents:
            feats.append(f"P:SV:{agent}_{lemma}")
        for patient in patients:
            feats.append(f"P:VO:{lemma}_{patient}")
        for agent in agents:
            for patient in patients:
                if agent[0] == "@" or patient[0] == "@":
                    feats.append(f"P:SO:{agent}_{patient}")
        if any(child.dep_ == "neg" for child in token.children):
            feats.append(f"P:NEG:{lemma}")
    return feats


@lru_cache(maxsize=1)
def _parser() -> Language:
    from tocsin.nlp import pipeline  # the pipeline imports the components; import it only when parsing alone

    return pipeline.load(components=("tocsin_actors",))


def parse_texts(texts: Sequence[str], *, batch_size: int = 64) -> list[list[str]]:
    """``parse_features`` of whole texts (training rows, snippets) parsed with the base model and actors.

    Results are kept per process, so cross-validation parses each text once.
    """
    todo = [t for t in dict.fromkeys(texts) if t not in _cache]
    if todo:
        if len(_cache) + len(todo) > _CACHE_SIZE:
            _cache.clear()
        for text, doc in zip(todo, _parser().pipe(todo, batch_size=batch_size), strict=True):
            _cache[text] = parse_features(doc[:], doc._.actors or [])
    return [list(_cache[t]) for t in texts]
