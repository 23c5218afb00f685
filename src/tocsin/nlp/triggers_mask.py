"""Names masked by their entity label, for the sub-event classifier's word and n-gram features.

Place, person, organisation and group names say *where* and *who*, not *what happened*; in
training data they mostly say which series a row comes from (one country's villages, one
mission's reports). The classifier therefore reads a sentence with every named entity of the
types in :data:`MASKED_LABELS` replaced by one placeholder word per entity (``entgpe``,
``entperson``, ...): "Troops shelled Kafr Nabl in Idlib" is read as "Troops shelled entgpe in
entgpe". Names the actor dictionary knows (``doc._.actors``: "Free Syrian Army", "Boko Haram")
stay, since their wording and ``inter`` code describe the event. The lexicon cues still read the
original text. Entities come from the pipeline's ``ner``, which runs before the classifier; an
entity without a proper noun or adjective in it (a capitalised common noun) is kept.
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Span

from tocsin.model import ActorMention

__all__ = ["MASKED_LABELS", "mask_names", "mask_span"]

#: Entity labels whose names are replaced by a placeholder word.
MASKED_LABELS = frozenset(("GPE", "LOC", "FAC", "NORP", "PERSON", "ORG"))
_PLACEHOLDER = {label: f" ent{label.lower()} " for label in MASKED_LABELS}
#: An entity is masked only with a proper noun or adjective in it: the small model's NER also
#: tags a sentence's capitalised first word ("Warplanes bombed", "Jets struck") as a name.
_NAME_POS = frozenset(("PROPN", "ADJ"))


def mask_names(
    text: str, entities: Sequence[tuple[int, int, str]], actors: Sequence[tuple[int, int]] = ()
) -> str:
    """``text`` with each entity (start, end, label) of a masked label replaced by its placeholder word.

    Offsets are relative to ``text``; an entity overlapping an actor mention (start, end) is kept.
    """
    parts: list[str] = []
    last = 0
    for start, end, label in entities:
        placeholder = _PLACEHOLDER.get(label)
        if placeholder is None or start < last or any(a < end and start < b for a, b in actors):
            continue
        parts.append(text[last:start])
        parts.append(placeholder)
        last = end
    if not parts:
        return text
    parts.append(text[last:])
    return "".join(parts)


def mask_span(span: Span, text: str, actors: Sequence[ActorMention] = ()) -> str:
    """The masked form of ``text``, the text of ``span`` (a sentence or a whole doc), from its entities."""
    lo, hi = span.start_char, span.end_char
    entities = [(e.start_char - lo, e.end_char - lo, e.label_) for e in span.ents
                if e.label_ in MASKED_LABELS and any(t.pos_ in _NAME_POS for t in e)]
    if not entities:
        return text
    inside = [(a.start - lo, a.end - lo) for a in actors if lo <= a.start < hi]
    return mask_names(text, entities, inside)
