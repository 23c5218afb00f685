"""tocsin_claims: stretches of text reported as somebody's statement.

Read from the dependency parse, not from word lists alone:

- a speech verb ("say", "claim", "report", "announce", "tell", ...) with a clausal complement:
  "the YPG said [it inflicted heavy losses]", "[five were killed], the army said";
- a speech verb with a direct object: "the ministry reported [12 deaths]" ("tell" excepted: its
  object is the listener, "told Reuters");
- a passive speech verb with an agent: "[it] was reported by state media";
- "according to X": the rest of the sentence is X's.

The source is kept as written ("state media", "a spokesman for the SDF"); pronoun sources are
kept too ("he said") since naming them is a coreference problem this stage does not solve.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from tocsin.model import Attribution

__all__ = ["DENYING_LEMMAS", "SPEECH_LEMMAS", "ClaimsComponent", "denied_spans", "find_attributions"]

SPEECH_LEMMAS = frozenset(
    "say claim report announce tell state add confirm allege deny insist declare assert warn note explain write "
    "tweet post indicate acknowledge admit estimate reveal testify argue maintain publish broadcast accuse".split()
)
#: Objects of a speech verb that are not a statement ("claimed responsibility", "told Reuters").
NOT_STATEMENT_OBJECTS = frozenset("responsibility credit".split())
#: Titles of one person who speaks ("the governor", "a spokesman"): who a later "he said" may be.
PERSON_TITLES = frozenset(
    "governor spokesman spokeswoman spokesperson minister official commander mayor president leader chief head "
    "witness resident medic doctor officer general colonel director coordinator envoy ambassador prosecutor".split()
)
#: Verbs that give a figure as their subject's ("put the death toll at 15") and the figures they give.
TOLL_VERBS = frozenset("put place raise revise bring estimate".split())
TOLL_NOUNS = frozenset("toll number figure count".split())
#: Verbs that deny what their complement says happened ("denied shelling", "rejected claims that police fired").
DENYING_LEMMAS = frozenset("deny reject dismiss refute".split())
SUBJECT_DEPS = frozenset(("nsubj", "nsubjpass"))
EDGE_DEPS = frozenset(("mark", "punct", "cc"))


def _trim(doc: Doc, start: int, end: int) -> Span | None:
    """Tokens ``[start, end)`` without leading marks/punctuation and trailing punctuation."""
    while start < end and (doc[start].dep_ in EDGE_DEPS or doc[start].is_punct):
        start += 1
    while end > start and doc[end - 1].is_punct:
        end -= 1
    return doc[start:end] if end > start else None


def _subtree(token: Token) -> tuple[int, int]:
    return token.left_edge.i, token.right_edge.i + 1


def _bare_participle(verb: Token) -> bool:
    """"with no casualties reported", "after clashes ... reported": a participle without an auxiliary tells
    what was reported; its parsed subject is the thing reported, not a speaker."""
    return verb.tag_ == "VBN" and not any(c.dep_ in ("aux", "auxpass") for c in verb.children)


def _source_of(verb: Token) -> Span | None:
    for child in verb.children:
        if child.dep_ == "nsubj" and not _bare_participle(verb):
            return verb.doc[slice(*_subtree(child))]
        if child.dep_ == "agent":
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    return verb.doc[slice(*_subtree(pobj))]
    if verb.dep_ == "conj" and verb.head.pos_ in ("VERB", "AUX") and not _bare_participle(verb):
        # "The SDF denied the shelling and said government artillery had hit the district": the SDF said it
        subject = next((c for c in verb.head.children if c.dep_ == "nsubj"), None)
        if subject is not None:
            return verb.doc[slice(*_subtree(subject))]
    return None


def _rest_of_sentence(sent: Span, start: int, end: int) -> Span | None:
    """The sentence without tokens ``[start, end)``: the longer side of what remains."""
    before = _trim(sent.doc, sent.start, start)
    after = _trim(sent.doc, end, sent.end)
    if before is None:
        return after
    if after is None:
        return before
    return before if len(before) >= len(after) else after


def _statement_of(verb: Token) -> Span | None:
    doc = verb.doc
    # "said that it had repelled an assault, inflicted losses and killed 30": the parser may hang each
    # reported clause off the verb on its own; the statement runs from the first to the last
    clauses = [c for c in verb.children if c.dep_ == "ccomp" or (c.dep_ == "parataxis" and c.i > verb.i)]
    if clauses:
        return _trim(doc, min(c.left_edge.i for c in clauses), max(c.right_edge.i for c in clauses) + 1)
    for child in verb.children:
        if child.dep_ == "dobj" and verb.lemma_ != "tell" and child.lemma_.lower() not in NOT_STATEMENT_OBJECTS:
            return _trim(doc, *_subtree(child))
    if verb.dep_ in ("parataxis", "ccomp", "advcl") and verb.head.i != verb.i:
        # "Five were killed, the army said": the verb hangs off the statement it reports.
        return _rest_of_sentence(verb.sent, *_subtree(verb))
    return None


def _speech(verb: Token) -> Attribution | None:
    if verb.lemma_.lower() not in SPEECH_LEMMAS or verb.pos_ not in ("VERB", "AUX"):
        return None
    source = _source_of(verb)
    if source is None or (len(source) == 1 and source[0].lower_ == "it"):
        return None
    statement = _statement_of(verb)
    if statement is None or (statement.start < source.end and source.start < statement.end):
        return None
    return Attribution(
        source=source.text,
        start=statement.start_char,
        end=statement.end_char,
        source_start=source.start_char,
        source_end=source.end_char,
    )


def _toll_given(verb: Token) -> Attribution | None:
    """'The Red Crescent put the death toll at 15', 'officials raised the number of dead to 20': the subject
    gives the figure."""
    if verb.pos_ != "VERB":
        return None
    figure = next((c for c in verb.children if c.dep_ == "dobj" and c.lemma_.lower() in TOLL_NOUNS), None)
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if figure is None or subject is None or subject.pos_ == "PRON":
        return None
    source = verb.doc[slice(*_subtree(subject))]
    statement = _trim(verb.doc, figure.left_edge.i, verb.right_edge.i + 1)
    if statement is None:
        return None
    return Attribution(source=source.text, start=statement.start_char, end=statement.end_char,
                       source_start=source.start_char, source_end=source.end_char)


def _according_to(token: Token) -> Attribution | None:
    if token.lower_ != "according":
        return None
    for prep in token.children:
        if prep.lower_ != "to":
            continue
        for pobj in prep.children:
            if pobj.dep_ != "pobj":
                continue
            source = token.doc[slice(*_subtree(pobj))]
            phrase_start, phrase_end = _subtree(token)
            statement = _rest_of_sentence(token.sent, phrase_start, phrase_end)
            if statement is None:
                return None
            return Attribution(
                source=source.text,
                start=statement.start_char,
                end=statement.end_char,
                source_start=source.start_char,
                source_end=source.end_char,
            )
    return None


def denied_spans(sent: Span) -> list[tuple[int, int]]:
    """Character spans of what a speaker denies: "The SDF denied [shelling civilian areas]", "the ministry
    rejected [claims that police fired on protesters]". What is denied is not told as having happened."""
    spans = []
    for token in sent:
        if token.pos_ != "VERB" or token.lemma_.lower() not in DENYING_LEMMAS:
            continue
        denied = [c for c in token.children if c.dep_ in ("ccomp", "xcomp", "dobj")]
        # "It blamed the SDF for the shelling; the SDF denied firing": the parser may hang the clause before the
        # verb as its complement too; what follows the verb, when something does, is what is denied
        denied = [c for c in denied if c.i > token.i] or denied
        spans += [(c.left_edge.idx, c.right_edge.idx + len(c.right_edge)) for c in denied]
    return spans


def find_attributions(doc: Doc) -> list[Attribution]:
    """Every attributed stretch in the document, in text order."""
    found: list[Attribution] = []
    for token in doc:  # the tests that open _according_to and _speech, before calling them for every token
        attribution = _according_to(token) if token.lower_ == "according" else None
        if attribution is None and token.lemma_.lower() in TOLL_VERBS:
            attribution = _toll_given(token)
        if attribution is None and token.lemma_.lower() in SPEECH_LEMMAS:
            attribution = _speech(token)
        if attribution is not None:
            found.append(attribution)
    found.sort(key=lambda a: (a.start, a.end))
    return _pronouns_named(doc, found)


def _pronouns_named(doc: Doc, found: list[Attribution]) -> list[Attribution]:
    """'he said' names the person who spoke just before ("Regional governor Oleksandr Prokudin said ...
    Russian artillery struck a bus ..., he said"): the nearest earlier source, up to two sentences back, that is
    one person (a PERSON name, or a title such as "the governor"). The span stays the pronoun's."""
    if not any(a.source.lower() in ("he", "she") for a in found):
        return found
    sentence_of = {s.start_char: i for i, s in enumerate(doc.sents)}
    out = []
    people: list[tuple[int, int, str]] = []  # (sentence, source start, name) of each one-person source so far
    for attribution in found:
        source = doc.char_span(attribution.source_start, attribution.source_end, alignment_mode="expand")
        here = sentence_of.get(source.sent.start_char, -1) if source is not None else -1
        if attribution.source.lower() in ("he", "she"):
            earlier = [name for sent, start, name in people
                       if start < attribution.source_start and 0 <= here - sent <= 2]
            if earlier:  # a "he" named here names the later ones too ("X said ... he said ... he said")
                attribution = Attribution(earlier[-1], attribution.start, attribution.end,
                                          attribution.source_start, attribution.source_end)
                people.append((here, attribution.source_start, attribution.source))
        elif _one_person(source):
            people.append((here, attribution.source_start, attribution.source))
        out.append(attribution)
    return out


def _one_person(span: Span | None) -> bool:
    """A source that is one person: a PERSON name, or a title such as "the governor"."""
    if span is None or not len(span) or span.root.lower_ in ("he", "she", "they", "we", "it"):
        return False
    return any(e.label_ == "PERSON" for e in span.ents) or (
        span.root.tag_ == "NN" and span.root.lemma_.lower() in PERSON_TITLES)


class ClaimsComponent:
    """Writes ``doc._.attributions``."""

    def __init__(self, nlp: Language, name: str = "tocsin_claims") -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        doc._.attributions = find_attributions(doc)
        return doc


@Language.factory("tocsin_claims", assigns=["doc._.attributions"])
def make_claims(nlp: Language, name: str) -> ClaimsComponent:
    return ClaimsComponent(nlp, name)
