"""Who did what to whom: the actor roles of a trigger, read from the dependency parse.

``actor_roles`` finds actor1 (the agent), actor2 (the object or victim) and an actor associated
with actor1 among a sentence's actor mentions: the subject of the trigger's verb (or the ``by``
agent of a passive), its object or ``on/against/at/with`` object, the sides of "clashes between X
and Y" or of "X and Y clashed", the modifiers and ``by``/"carried out by" agent of a nominal
event ("a coalition airstrike", "an attack by X"), the speaker for a pronoun subject ("the YPG
said *it* destroyed two tanks"), and text order when the parse says nothing.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from tocsin.model import ActorMention, Trigger
from tocsin.nlp.claims import SPEECH_LEMMAS

__all__ = ["acting", "actor_roles", "responsible", "trigger_root", "verb_of"]

AGENT_DEPS = frozenset(("nsubj", "csubj"))
SUBJECT_DEPS = AGENT_DEPS | {"nsubjpass"}
OBJECT_DEPS = frozenset(("dobj", "nsubjpass", "attr", "dative"))
TARGET_PREPS = frozenset(("on", "against", "at", "with", "upon", "targeting"))
NOMINAL_LINKS = frozenset(("dobj", "pobj", "prep", "agent", "compound", "nsubjpass", "nsubj", "conj", "appos", "attr"))
#: Verbs whose conjoined subjects are the two sides ("X and Y clashed").
RECIPROCAL = frozenset("clash fight battle exchange skirmish engage".split())
#: Verbs that name who did an event: their object is its perpetrator, their subject only says so.
BLAME_LEMMAS = frozenset("blame accuse".split())
#: Verbs of guarding something on its way: whoever does it is on the side of what they guard.
ESCORT_LEMMAS = frozenset("escort accompany guard protect secure".split())
#: Nouns naming a violent event, whose modifiers and "by" phrase say who did it.
EVENT_NOUNS = frozenset(
    "attack airstrike strike raid shelling bombardment assault ambush clash offensive operation fire bombing "
    "explosion blast ied incursion infiltration fight firefight gunfight fighting battle skirmish confrontation".split()
)


def trigger_root(doc: Doc, trigger: Trigger) -> Token | None:
    span = doc.char_span(trigger.start, trigger.end, alignment_mode="expand")
    return span.root if span is not None and len(span) else None


def _mention_at(mentions: list[ActorMention], tokens: Span | Token) -> list[ActorMention]:
    if isinstance(tokens, Token):
        start, end = tokens.idx, tokens.idx + len(tokens)
    else:
        start, end = tokens.start_char, tokens.end_char
    return [m for m in mentions if start <= m.start and m.end <= end]


def _subtree_span(token: Token) -> Span:
    return token.doc[token.left_edge.i : token.right_edge.i + 1]


def verb_of(root: Token) -> Token:
    """The clause verb a nominal trigger belongs to ("carried out an air strike" -> carried)."""
    if root.pos_ in ("VERB", "AUX"):
        if root.dep_ == "pcomp" and root.head.lower_ == "by":  # "were killed by shelling from X": killed
            return root.head.head
        return root
    head = root
    for _ in range(4):
        if head.dep_ in NOMINAL_LINKS and head.head.i != head.i:
            head = head.head
            if head.pos_ in ("VERB", "AUX"):
                return head
        else:
            break
    return root


def actor_roles(
    doc: Doc,
    trigger: Trigger,
    mentions: list[ActorMention],
    speakers: list[ActorMention],
) -> tuple[ActorMention | None, ActorMention | None, ActorMention | None]:
    """actor1, actor2 and an actor associated with actor1, from the parse, then from text order.

    ``speakers`` are the actors who state the event; a pronoun subject ("it", "its fighters")
    refers back to them.
    """
    root = trigger_root(doc, trigger)
    agents: list[ActorMention] = []
    targets: list[ActorMention] = []
    if root is not None:
        verb = _reported_clause(verb_of(root))
        agents, targets, speaker_agent = _dependents(verb, root, mentions)
        if not agents and speaker_agent:
            agents = list(speakers)
        if not targets:
            for child in verb.children:
                if child.dep_ in ("advcl", "xcomp", "conj") and child.pos_ == "VERB":
                    if child.lemma_.lower() in BLAME_LEMMAS:
                        continue  # "..., blaming X": X is the accused (_accusation), not the target
                    targets = [
                        m
                        for c in child.children
                        if c.dep_ in OBJECT_DEPS
                        for m in _mention_at(mentions, _subtree_span(c))
                    ]
                    if targets:
                        break
        if verb.lemma_.lower() in RECIPROCAL and not targets and len({m.name for m in agents}) > 1:
            # "the SNA and YPG forces clashed": the two sides, in text order
            agents = sorted(agents, key=lambda m: m.start)
            targets = [next(m for m in agents if m.name != agents[0].name)]
            agents = [agents[0]]
        accused, accusers = _accusation(root, mentions)
        if accused:
            # "X blamed Y for the attack", "..., blaming Y": Y is who did it, X only says so
            out = {id(m) for m in accused + accusers}
            agents = accused
            targets = [m for m in targets if id(m) not in out]
            mentions = [m for m in mentions if id(m) not in out]  # accused[0] is actor1: out of the rest anyway
    actor1 = agents[0] if agents else None
    assoc1 = next((m for m in agents[1:] if m.name != actor1.name), None) if actor1 else None
    actor2 = next((m for m in targets if actor1 is None or m.name != actor1.name), None)
    used = {id(m) for m in (actor1, actor2, assoc1) if m is not None}
    rest = [m for m in mentions if id(m) not in used]
    if actor1 is None and rest:
        candidates = [m for m in rest if actor2 is None or m.start < actor2.start] or (
            [m for m in rest if _in_by_phrase(doc, m)] if actor2 else rest)
        actor1 = candidates[0] if candidates else None
    if actor2 is None and actor1 is not None:
        actor2 = next((m for m in rest if m is not actor1 and m.name != actor1.name and m is not assoc1), None)
    return actor1, actor2, assoc1


def _accusation(root: Token, mentions: list[ActorMention]) -> tuple[list[ActorMention], list[ActorMention]]:
    """Who is accused of the event at ``root``, and who accuses: "X blamed Y for the attack", "X blamed the
    attack on Y", "X held Y responsible for the shelling", "Y was blamed for ...", "X accused Y of shelling",
    "... killed 18 people, a committee said, blaming Y". Empty when the event is told as nobody's accusation."""
    node = root
    for _ in range(8):  # up from the trigger to the accusing verb that governs it
        if node.lemma_.lower() in BLAME_LEMMAS and node.pos_ == "VERB":
            return _accused_by(node, root, mentions)
        if node.lower_ in ("responsible", "accountable") and node.head.lemma_.lower() == "hold":
            return _accused_by(node.head, root, mentions)
        if node.lower_ in ("responsible", "accountable") and node.head.head.lemma_.lower() == "hold":
            return _accused_by(node.head.head, root, mentions)
        if node.head.i == node.i:
            break
        node = node.head
    verb = verb_of(root)
    near = [verb, *(c for c in verb.children if c.lemma_.lower() in SPEECH_LEMMAS)]
    for clause in (c for v in near for c in v.children):  # "..., a committee said, blaming Y"
        if clause.lemma_.lower() in BLAME_LEMMAS and clause.dep_ in ("advcl", "conj", "xcomp") and clause.i > root.i:
            accused, _ = _accused_by(clause, root, mentions)
            return accused, []
    return [], []


def _accused_by(verb: Token, root: Token, mentions: list[ActorMention]) -> tuple[list[ActorMention],
                                                                                list[ActorMention]]:
    inside = range(root.left_edge.i, root.right_edge.i + 1) if root.head.i != verb.i else range(root.i, root.i + 1)
    accused: list[ActorMention] = []
    accusers: list[ActorMention] = []
    for child in verb.children:
        found = _mention_at(mentions, _subtree_span(child))
        if child.dep_ in AGENT_DEPS:
            accusers += found
        elif child.dep_ in ("dobj", "nsubjpass") and child.i not in inside:
            accused += [m for m in found if not _within(m, root)]
        elif child.dep_ == "dobj":  # "blamed the attack on Y": the parser may hang "on Y" on the attack
            accused += [m for p in child.children if p.dep_ == "prep" and p.lower_ in ("on", "upon")
                        for m in _mention_at(mentions, _subtree_span(p))]
        elif child.dep_ == "prep" and child.lower_ in ("on", "upon"):
            accused += [m for pobj in child.children for m in _mention_at(mentions, _subtree_span(pobj))]
    return accused, accusers


def _within(mention: ActorMention, root: Token) -> bool:
    """The mention lies in the event phrase itself ("the shelling of X by Y")."""
    return root.doc[root.left_edge.i].idx <= mention.start and mention.end <= root.doc[root.right_edge.i].idx + len(
        root.doc[root.right_edge.i])


def _noun_roles(noun: Token, mentions: list[ActorMention]) -> tuple[list[ActorMention], list[ActorMention]]:
    """Who does and who suffers a nominal event: "a coalition air strike on Houthi positions", "attacks by X"."""
    agents: list[ActorMention] = []
    targets: list[ActorMention] = []
    modifiers = [c for c in noun.children if c.i < noun.i and c.dep_ in ("amod", "compound", "poss", "nmod")]
    if modifiers:
        agents += _mention_at(mentions, noun.doc[min(c.left_edge.i for c in modifiers) : noun.i])
    for child in noun.children:
        if child.dep_ == "acl":
            # "an airstrike carried out by Myanmar's military"
            for grandchild in child.children:
                if grandchild.dep_ == "agent":
                    agents += [m for p in grandchild.children for m in _mention_at(mentions, _subtree_span(p))]
        if child.dep_ == "prep" and child.lower_ in ("by", "from"):  # "attacks by X", "rocket fire from X"
            agents += [m for pobj in child.children for m in _mention_at(mentions, _subtree_span(pobj))]
        elif child.dep_ == "prep" and child.lower_ in TARGET_PREPS:
            targets += [m for pobj in child.children for m in _mention_at(mentions, _subtree_span(pobj))]
    return agents, targets


def _event_nouns(verb: Token) -> list[Token]:
    return [t for t in verb.subtree if t.pos_ == "NOUN" and t.lemma_.lower() in EVENT_NOUNS]


def _dependents(
    verb: Token, root: Token, mentions: list[ActorMention]
) -> tuple[list[ActorMention], list[ActorMention], bool]:
    agents: list[ActorMention] = []
    targets: list[ActorMention] = []
    pronoun_agent = False
    active = any(c.dep_ in AGENT_DEPS for c in verb.children)
    # "The gendarmerie ... attacked overnight by unknown gunmen": a by-agent makes the verb passive, whatever its tag
    under = _comes_under(verb)
    passive = under or any(_by_agent(verb, c) for c in verb.children)
    for child in verb.children:
        if child.dep_ in OBJECT_DEPS and child.lemma_.lower() in EVENT_NOUNS:
            noun_agents, noun_targets = _noun_roles(child, mentions)
            if active:
                # "the army repelled an attack by X": X is the other side
                targets += noun_agents + [m for m in noun_targets if m not in noun_agents]
            else:
                # "a coalition air strike was reported on ...": the event noun's modifiers are its agents
                agents += noun_agents
                targets += [m for m in _mention_at(mentions, _subtree_span(child)) if m not in noun_agents]
        elif child.dep_ in AGENT_DEPS and passive:
            targets += _mention_at(mentions, _subtree_span(child))
        elif child.dep_ in AGENT_DEPS:
            # "a convoy escorted by Malian troops struck a landmine": the escort is the convoy's side, not the agent
            guards = [] if any(m.start <= child.idx < m.end for m in mentions) else _escorts(child, mentions)
            found = _head_first([m for m in _mention_at(mentions, _subtree_span(child)) if m not in guards], child)
            agents += found
            targets += [m for m in guards if m not in targets]
            pronoun_agent = pronoun_agent or (not found and not guards and _pronominal(child))
        elif _by_agent(verb, child) or (under and child.dep_ == "prep" and child.lower_ in ("from", "by")):
            agents += [m for pobj in child.children for m in _mention_at(mentions, _subtree_span(pobj))]
        elif child.dep_ in OBJECT_DEPS:
            targets += _mention_at(mentions, _subtree_span(child))
        elif child.dep_ == "prep" and child.lower_ in TARGET_PREPS:
            found = [m for pobj in child.children for m in _mention_at(mentions, _subtree_span(pobj))]
            # an object before an active verb is a misparse of its subject ("At X, Myanmar military torched")
            agents += [m for m in found if m.end <= verb.idx]
            targets += [m for m in found if m.end > verb.idx]
        elif child.dep_ == "prep" and child.lower_ == "between":
            between = [m for pobj in child.children for m in _mention_at(mentions, _subtree_span(pobj))]
            agents += between[:1]
            targets += between[1:]
    if root is not verb and root.lemma_.lower() in EVENT_NOUNS:
        noun_agents, noun_targets = _noun_roles(root, mentions)
        agents = noun_agents + [m for m in agents if m not in noun_agents]
        targets += [m for m in noun_targets if m not in targets]
    if root is not verb:
        for child in root.children:
            if child.dep_ == "prep" and child.lower_ in ("by", "between"):
                found = [m for pobj in child.children for m in _mention_at(mentions, _subtree_span(pobj))]
                agents += found[:1]
                targets += found[1:] if child.lower_ == "between" else []
            elif child.dep_ in ("amod", "compound", "poss"):
                agents += _mention_at(mentions, _subtree_span(child))
            elif child.dep_ == "prep" and child.lower_ in TARGET_PREPS:
                targets += [m for pobj in child.children for m in _mention_at(mentions, _subtree_span(pobj))]
    subject = _borrowed_subject(verb)
    if subject is not None:
        found = _mention_at(mentions, _subtree_span(subject))
        if subject.dep_ == "nsubjpass" or passive:
            targets += [m for m in found if m not in targets]
        elif not agents:
            agents += found
    if not targets:
        # "engaged in a fire fight with X", "captured the village after clashes with X": the other side
        for noun in _event_nouns(verb):
            found = [m for m in _noun_roles(noun, mentions)[1] if m not in agents]
            if found:
                targets += found
                break
    if not agents:
        # "two policemen were killed following an attack by Taliban militants"
        for noun in _event_nouns(verb):
            noun_agents, noun_targets = _noun_roles(noun, mentions)
            if noun_agents and pronoun_agent:
                # "its fighters repelled an attack by X": X is the other side
                targets += [m for m in noun_agents if m not in targets]
                break
            if noun_agents:
                agents += noun_agents
                targets += [m for m in noun_targets if m not in targets]
                break
    return agents, targets, pronoun_agent


def _escorts(noun: Token, mentions: list[ActorMention]) -> list[ActorMention]:
    """Who escorts or guards what ``noun`` names ("a convoy escorted by the gendarmerie", "a bus guarded by
    soldiers"). When what they guard is no actor (a convoy, a bus), it is what is attacked, and they are its side,
    never who attacks it; forces "accompanied by" other forces are allies (the caller asks only for the first)."""
    return [
        m
        for t in noun.subtree
        if t.dep_ in ("acl", "relcl") and t.lemma_.lower() in ESCORT_LEMMAS
        for m in _mention_at(mentions, _subtree_span(t))
    ]


def _in_by_phrase(doc: Doc, mention: ActorMention) -> bool:
    """The mention is the agent of some passive in the sentence ("the IED was most likely planted by X")."""
    span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    if span is None or not len(span):
        return False
    head = span.root
    return head.dep_ == "pobj" and _by_agent(head.head.head, head.head)


def _comes_under(verb: Token) -> bool:
    """"X came under fire/attack (from Y)": X suffers it, like the subject of a passive."""
    return verb.lemma_.lower() == "come" and any(
        c.dep_ == "prep" and c.lower_ == "under" and any(p.lemma_.lower() in EVENT_NOUNS for p in c.children)
        for c in verb.children
    )


def _by_agent(verb: Token, child: Token) -> bool:
    """The by-phrase of a passive, also where the parser hangs it as a plain preposition ("wounded by X")."""
    return child.dep_ == "agent" or (child.dep_ == "prep" and child.lower_ == "by" and verb.tag_ == "VBN")


def _borrowed_subject(verb: Token) -> Token | None:
    """The subject a verb without one shares with the clause it hangs from: "eight soldiers were killed and
    another wounded by the explosion" (wounded <- another <- killed: the soldiers)."""
    if any(c.dep_ in SUBJECT_DEPS for c in verb.children):
        return None
    node = verb
    for _ in range(3):
        if node.dep_ not in ("conj", "acl") or node.head.i == node.i:
            return None
        node = node.head
        subject = next((c for c in node.children if c.dep_ in SUBJECT_DEPS), None)
        if subject is not None:
            return subject
    return None


def _reported_clause(verb: Token) -> Token:
    """For "X said [Y attacked Z]", the verb of the reported clause: the event is there, not in "said"."""
    for _ in range(3):
        if verb.lemma_.lower() not in SPEECH_LEMMAS:
            break
        clause = next((c for c in verb.children if c.dep_ == "ccomp"), None)
        if clause is None:
            break
        verb = clause
    return verb


def _pronominal(subject: Token) -> bool:
    """A subject that refers back to someone: "it", "they", "we", "its fighters", "our forces"."""
    return subject.pos_ == "PRON" or any(c.dep_ == "poss" and c.pos_ == "PRON" for c in subject.children)


def _head_first(found: list[ActorMention], head: Token) -> list[ActorMention]:
    """The mention holding the phrase's head word first ("X forces, backed by Y" -> X)."""
    start, end = head.idx, head.idx + len(head)
    return sorted(found, key=lambda m: (0 if m.start <= start and end <= m.end else 1, m.start))


#: "claimed responsibility", "took responsibility": the claimant did it.
RESPONSIBILITY_VERBS = frozenset("claim take admit accept".split())
#: "Al-Shabaab said it carried out the attack": doing it, said by the doer.
DOING_VERBS = frozenset("carry conduct perpetrate stage launch".split())


def responsible(doc: Doc, ranges: list[tuple[int, int]], mentions: list[ActorMention]) -> ActorMention | None:
    """The armed actor that claims an event in ``ranges`` ("Al-Shabaab claimed responsibility for the blast",
    "Al-Shabaab said it carried out the attack"), or None."""
    for start, end in ranges:
        span = doc.char_span(start, end, alignment_mode="expand")
        for token in span if span is not None else ():
            lemma = token.lemma_.lower()
            subject = next((c for c in token.children if c.dep_ == "nsubj"), None)
            if subject is None or token.pos_ != "VERB" or any(c.dep_ == "neg" for c in token.children):
                continue  # "did not claim responsibility"
            if lemma in RESPONSIBILITY_VERBS and any(
                    c.dep_ == "dobj" and c.lemma_.lower() == "responsibility" for c in token.children):
                who = subject
            elif (lemma in DOING_VERBS and subject.pos_ == "PRON" and token.dep_ == "ccomp"
                  and token.head.lemma_.lower() in SPEECH_LEMMAS
                  and any(c.dep_ == "dobj" and c.lemma_.lower() in EVENT_NOUNS | {"bombing", "blast"}
                          for c in token.children)):
                who = next((c for c in token.head.children if c.dep_ == "nsubj"), None)
                if who is None:
                    continue
            else:
                continue
            found = [m for m in _mention_at(mentions, _subtree_span(who)) if m.inter in (1, 2, 3, 4, 8)]
            if found:
                return found[0]
    return None


def acting(doc: Doc, mention: ActorMention) -> bool:
    """The mention acts in its sentence: a verb's subject, a passive's "by" agent, or who an event noun is by
    ("an Israeli strike"); not a place named by its guards ("outside a police station")."""
    span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    if span is None or not len(span):
        return False
    token = span.root
    if token.dep_ in AGENT_DEPS:
        return True
    if token.dep_ == "pobj" and token.head.lower_ in ("by", "from"):
        return True
    return token.dep_ in ("amod", "compound", "poss", "nmod") and token.head.lemma_.lower() in EVENT_NOUNS
