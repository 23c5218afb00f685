"""Which ACLED sub-event type a sentence describes: the ``tocsin_triggers`` component.

Each sentence is scored by a linear classifier (``nlp/classify.py``, shipped weights in
``tocsin/data/triggers/model.npz``) over its words, character n-grams, trigger-lexicon hits
(``nlp/triggers_lexicon.py``) and, for a model trained with them, parse features (who acts on
whom, ``nlp/triggers_parse.py``, from the Doc's parse and ``doc._.actors``). A sentence gets a
:class:`~tocsin.model.Trigger` unless the probability of ``NONE`` (no ACLED event) reaches
``none_threshold`` or the best ACLED sub-type's probability is below ``threshold``. The
event/no-event decision looks at ``NONE`` against all ACLED labels together, so a sentence torn
between two protest sub-types is still an event. The trigger span is the most specific lexicon
cue of the chosen sub-type in the sentence, else the whole sentence. ``classify_text`` does the
same for a whole snippet.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span

from tocsin.errors import ConfigError, E
from tocsin.model import ActorMention, Attribution, Trigger
from tocsin.nlp.claims import denied_spans
from tocsin.nlp.classify import NONE, LinearModel
from tocsin.nlp.events_select import GRIEVANCE_PREPS, GRIEVANCE_WORDS, PROTEST_SUB_TYPES, grievance_tokens
from tocsin.nlp.pipeline import doc_text
from tocsin.nlp.triggers_match import best_span
from tocsin.nlp.triggers_parse import parse_features, parse_texts

__all__ = ["DEFAULT_NONE_THRESHOLD", "DEFAULT_THRESHOLD", "TriggerClassifier", "classify_text", "load_model"]

#: Below this probability the best ACLED label is not trusted and no Trigger is made.
DEFAULT_THRESHOLD = 0.15
#: At or above this probability of ``NONE`` the text describes no ACLED event.
DEFAULT_NONE_THRESHOLD = 0.5


def _default_model_path() -> Path:
    return Path(str(resources.files("tocsin") / "data" / "triggers" / "model.npz"))


@lru_cache(maxsize=4)
def load_model(path: str | None = None) -> LinearModel:
    """The classifier from ``path`` (default: the shipped model), loaded once per process."""
    target = Path(path) if path else _default_model_path()
    try:
        return LinearModel.load(target)
    except (OSError, ValueError, KeyError) as exc:
        raise ConfigError(E.T502.format(path=target, detail=exc)) from exc


def classify_text(
    text: str,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    model_path: str | None = None,
    none_threshold: float = DEFAULT_NONE_THRESHOLD,
    extra: Sequence[str] | None = None,
) -> list[tuple[str, float]]:
    """ACLED sub-event types for ``text``, best first, with probabilities.

    Empty when the text describes no ACLED event: ``NONE`` has probability ``none_threshold``
    or more, or the best ACLED label's probability is below ``threshold``. ``extra`` are the
    text's parse features; a model trained with them parses ``text`` itself when they are not given.
    """
    model = load_model(model_path)
    if extra is None and model.parse:
        extra = parse_texts([text])[0]
    probs = model.event_scores(text, threshold=threshold, none_threshold=none_threshold, extra=extra or ())
    if probs is None:
        return []
    ranked = sorted(zip(model.labels, probs.tolist(), strict=True), key=lambda pair: -pair[1])
    events = [(label, p) for label, p in ranked if label != NONE]
    p_none = 1.0 - sum(p for _, p in events)
    if not events or p_none >= none_threshold or events[0][1] < threshold:
        return []
    return [(label, round(p, 4)) for label, p in events if p >= 0.01]


def _trigger_for(sent: Span, label: str, score: float, doc_text: str) -> Trigger:
    denied = [(s - sent.start_char, e - sent.start_char) for s, e in denied_spans(sent)]
    found = best_span(doc_text[sent.start_char : sent.end_char], label, denied)
    if found is None:
        start, end = sent.start_char, sent.end_char
    else:
        start, end = sent.start_char + found[0], sent.start_char + found[1]
    return Trigger(
        sub_event_type=label,
        score=round(score, 4),
        start=start,
        end=end,
        text=doc_text[start:end],
        sent_start=sent.start_char,
        sent_end=sent.end_char,
    )


def _protest_reading(doc: Doc, sent: Span, ranked: list[tuple[str, float]], full: str) -> Trigger | None:
    """The protest a sentence tells when the cue of its best reading is the protest's cause: "hundreds rallied in
    Konya to protest an airstrike that killed 12 soldiers" is a protest, not an airstrike (ACLED codes the
    airstrike when it happened). The score stays the sentence's: only its type changes."""
    label, score = ranked[0]
    if label in PROTEST_SUB_TYPES or not any(
        t.lemma_.lower() in GRIEVANCE_WORDS or t.lower_ in GRIEVANCE_PREPS for t in sent
    ):
        return None
    protest_label = next((name for name, _ in ranked if name in PROTEST_SUB_TYPES), "Peaceful protest")
    # the protest's word, by the cues of its sub-type or else of any protest ("Protesters ... condemned")
    for cue_label in (protest_label, *sorted(PROTEST_SUB_TYPES - {protest_label})):
        protest = _trigger_for(sent, cue_label, score, full)
        if (protest.start, protest.end) != (sent.start_char, sent.end_char):
            protest.sub_event_type = protest_label
            break
    else:
        return None  # no protest word in the sentence
    cue = _trigger_for(sent, label, score, full)
    span = doc.char_span(cue.start, cue.end, alignment_mode="expand")
    if span is None or not len(span) or span.root.i not in grievance_tokens(doc, [protest]):
        return None
    return protest


class TriggerClassifier:
    """Writes ``doc._.triggers``: one Trigger per sentence that describes an ACLED event."""

    def __init__(
        self, nlp: Language, name: str, *, threshold: float, model_path: str, none_threshold: float
    ) -> None:
        self.name = name
        self.threshold = threshold
        self.none_threshold = none_threshold
        self.model_path = model_path or None
        self.model = load_model(self.model_path)

    def __call__(self, doc: Doc) -> Doc:
        triggers: list[Trigger] = []
        full = doc_text(doc)  # a slice of it per sentence
        actors = (doc._.actors or []) if self.model.parse else []
        attributions = doc._.attributions or []
        for sent in doc.sents:
            text = full[sent.start_char : sent.end_char]
            if not text.strip():
                continue
            ranked = self._ranked(sent, text, actors)
            if not ranked:
                # "An Israeli strike ... killed five people, health officials said": the sourcing is not what
                # happened; read what is reported alone
                reported = _reported_stretch(doc, sent, attributions)
                if reported is not None:
                    ranked = self._ranked(reported, full[reported.start_char : reported.end_char], actors)
            if ranked:
                label, score = ranked[0]
                triggers.append(_protest_reading(doc, sent, ranked, full) or _trigger_for(sent, label, score, full))
        doc._.triggers = triggers
        return doc

    def _ranked(self, span: Span, text: str, actors: Sequence[ActorMention]) -> list[tuple[str, float]]:
        extra = parse_features(span, actors) if self.model.parse else []
        return classify_text(
            text, threshold=self.threshold, model_path=self.model_path, none_threshold=self.none_threshold,
            extra=extra,
        )


#: A reported stretch needs this share of its sentence to be read alone: the sentence is that report plus its
#: sourcing ("..., medics said"), not a statement about something else.
REPORTED_SHARE = 0.6


#: Words a sentence may hold besides its statement and speaker and still be only that report and its sourcing.
_SOURCING_WORDS = frozenset("said say says told tell reported report stated added according to as per".split())


def _only_sourcing(sent: Span, attribution: Attribution) -> bool:
    """Besides the statement, the sentence holds only who says it ("Five people were killed in Gaza on Monday,
    Palestinian health officials said": a long speaker's name, the statement under 60 % of the sentence)."""
    return all(
        t.is_punct or t.is_space or t.lower_ in _SOURCING_WORDS
        for t in sent
        if not (attribution.start <= t.idx < attribution.end)
        and not (attribution.source_start <= t.idx < attribution.source_end)
    )


def _reported_stretch(doc: Doc, sent: Span, attributions: Sequence[Attribution]) -> Span | None:
    """The longest statement inside ``sent`` that is most of it ("An Israeli strike on a house killed five
    people" in "..., Palestinian health officials said."), without its speaker; None when there is none."""
    inside = [
        a for a in attributions
        if sent.start_char <= a.start and a.end <= sent.end_char
        and not (a.start <= a.source_start and a.source_end <= a.end)
        and (a.end - a.start >= REPORTED_SHARE * (sent.end_char - sent.start_char) or _only_sourcing(sent, a))
    ]
    if not inside:
        return None
    best = max(inside, key=lambda a: a.end - a.start)
    span = doc.char_span(best.start, best.end, alignment_mode="contract")
    return span if span is not None and len(span) else None


@Language.factory(
    "tocsin_triggers",
    default_config={"threshold": DEFAULT_THRESHOLD, "model_path": "", "none_threshold": DEFAULT_NONE_THRESHOLD},
    assigns=["doc._.triggers"],
)
def make_triggers(
    nlp: Language, name: str, threshold: float, model_path: str, none_threshold: float
) -> TriggerClassifier:
    return TriggerClassifier(nlp, name, threshold=threshold, model_path=model_path, none_threshold=none_threshold)
